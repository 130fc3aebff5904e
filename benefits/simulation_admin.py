"""Admin page 政策测算 for county staff: upload a draft policy file, see what it would do (read-only).

Registered from benefits/wagtail_hooks.py (one import). The page calls ``benefits.simulation.policy_simulate``
with the logged-in user as actor (county staff of that county only); "下载变化名单" answers the list
of changed households as CSV instead of the page.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from benefits.simulation import NOT_ELIGIBLE, PolicyFileError, policy_simulate
from reemployment.core.admin_views import PermissionMenuItem
from reemployment.core.errors import DomainError
from reemployment.core.exports import CsvDictWriter
from reemployment.core.models import Region, RegionLevel

PERMISSION = "core.change_standard"  # county civil-affairs staff: those who may change a standard
AREA_NAMES = {"urban": _("城市"), "rural": _("农村")}


class SimulationForm(forms.Form):
    county = forms.CharField(label=_("县（区）代码"), max_length=12)
    month = forms.CharField(label=_("测算月份（YYYY-MM）"), max_length=7)
    draft = forms.FileField(label=_("政策草案（与 load_policy 相同格式的 YAML 文件）"))

    def clean_month(self):
        try:
            return dt.datetime.strptime(self.cleaned_data["month"], "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("月份应为 YYYY-MM")) from None

    def clean_county(self):
        region = Region.objects.filter(code=self.cleaned_data["county"], level=RegionLevel.COUNTY).first()
        if region is None:
            raise forms.ValidationError(_("未知的县（区）代码"))
        return region


class SimulationMenuItem(PermissionMenuItem):
    permission = PERMISSION


def _category_label(category: str) -> str:
    return gettext("不符合") if category == NOT_ELIGIBLE else gettext("%(category)s类") % {"category": category}


class PolicySimulationViewSet(ViewSet):
    name = "benefit_policy_simulation"
    icon = "calculator"
    menu_label = _("政策测算")
    menu_item_class = SimulationMenuItem
    menu_order = 210

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index")]

    def index_view(self, request):
        if not request.user.has_perm(PERMISSION):
            return HttpResponseForbidden(gettext("无权查看"))
        region = getattr(request.user, "region", None)
        initial = {"county": region.code if region is not None and region.level == RegionLevel.COUNTY else ""}
        form = SimulationForm(request.POST or None, request.FILES or None, initial=initial)
        report = errors = None
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["draft"].read().decode("utf-8-sig")
                report = policy_simulate(actor=request.user, county=form.cleaned_data["county"],
                                         month=form.cleaned_data["month"], draft_text=text).as_json()
            except UnicodeDecodeError:
                errors = [gettext("文件须为UTF-8编码")]
            except PolicyFileError as exc:
                errors = exc.errors
            except DomainError as exc:
                errors = [exc.message]
            if report is not None and "csv" in request.POST:
                return self._csv(report)
        rows = []
        if report is not None:
            for area, categories in report["areas"].items():
                for category, cell in categories.items():
                    rows.append({"area": AREA_NAMES.get(area, area), "category": _category_label(category), **cell})
            for change in report["changes"]:
                change["current_label"] = _category_label(change["current_category"])
                change["draft_label"] = _category_label(change["draft_category"])
                change["area_label"] = AREA_NAMES.get(change["area"], change["area"])
        return TemplateResponse(request, "benefits/admin/policy_simulation.html", {
            "title": _("政策测算"), "form": form, "report": report, "rows": rows, "errors": errors,
        })

    def _csv(self, report: dict) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="simulation-{report["county"]}-{report["month"]}.csv"'
        columns = ["household_id", "number", "community", "area", "persons", "current_category", "draft_category",
                   "current_amount", "draft_amount", "difference"]
        # BOM: Excel opens it as UTF-8; formula-safe cells (reemployment.core.exports).
        writer = CsvDictWriter(response, columns, bom=True, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(report["changes"])
        return response


@hooks.register("register_admin_viewset")
def register_policy_simulation():
    return PolicySimulationViewSet()
