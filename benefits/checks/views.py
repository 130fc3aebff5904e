"""Wagtail admin views of department checks: upload, progress, reports (+ exports), roster reconciliation.

Every view checks a permission and scopes its reads to the user's jurisdiction; a record or region
outside it answers 404.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from benefits.checks import reports, selectors, services
from benefits.checks.sources import SOURCE_CHOICES, SOURCES
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, RegionLevel, today
from reemployment.core.scoping import regions_for
from reemployment.dates import month_start


class PermissionMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.has_perm(self.permission):
            raise DjangoPermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdminPage(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=_("数据来源"), choices=SOURCE_CHOICES)
    region = forms.ModelChoiceField(label=_("比对辖区(县)"), queryset=Region.objects.none())
    file = forms.FileField(label=_("文件 (CSV 或 XLSX)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = regions_for(user).filter(level__in=[RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE])
        self.fields["region"].queryset = counties
        if counties.count() == 1:
            self.fields["region"].initial = counties.first()


class UploadView(AdminPage):
    """Upload a department file; processing runs as a Celery task and the next page shows its progress."""

    permission = "checks.upload_departmentfile"
    template_name = "checks/admin/upload.html"
    page_title = _("上传部门比对文件")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm(user=self.request.user))
        context["sources"] = SOURCES.values()
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.MAX_IMPORT_BYTES:
                form.add_error("file", gettext("文件过大：%(size)s 字节，上限 %(MAX_IMPORT_BYTES)s 字节") % {
                    "size": upload.size, "MAX_IMPORT_BYTES": settings.MAX_IMPORT_BYTES})
            else:
                try:
                    department_file = services.department_file_upload(
                        actor=request.user, source=form.cleaned_data["source"], region=form.cleaned_data["region"],
                        name=upload.name, content=upload.read())
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, gettext("文件已上传，正在后台处理"))
                    return redirect("checks_file_status", pk=department_file.pk)
        return self.render_to_response(self.get_context_data(form=form))


class FileStatusView(AdminPage):
    permission = "checks.view_departmentfile"
    template_name = "checks/admin/file_status.html"
    page_title = _("比对文件处理进度")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["file"] = get_object_or_404(selectors.files_for(self.request.user), pk=self.kwargs["pk"])
        context["progress_url"] = reverse("checks_file_progress", args=[self.kwargs["pk"]])
        return context


def file_progress(request, pk):
    """JSON for the progress bar (polled by the status page)."""
    if not request.user.has_perm("checks.view_departmentfile"):
        raise DjangoPermissionDenied
    department_file = get_object_or_404(selectors.files_for(request.user), pk=pk)
    return JsonResponse({"status": department_file.status, "progress": department_file.progress,
                         "message": department_file.message, "rows": department_file.rows,
                         "flags_created": department_file.flags_created,
                         "error_count": department_file.error_count})


class ReportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("区域"), queryset=Region.objects.none(), required=False)
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(user).exclude(level=RegionLevel.COMMUNITY)


def default_region(user) -> Region | None:
    if user.region_id:
        return user.region
    return regions_for(user).order_by("path").first()


class ReportView(AdminPage):
    """The report tables for a region and period; ?format=csv|xlsx downloads them."""

    permission = "checks.view_reports"
    template_name = "checks/admin/reports.html"
    page_title = _("低保统计报表")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        region, start, end = default_region(request.user), month_start(today()).replace(month=1), today()
        form = ReportForm(request.GET or None, user=request.user,
                          initial={"region": region, "start": start, "end": end})
        if form.is_bound:
            if not form.is_valid():
                # A region outside the jurisdiction is not a choice: answer as if it did not exist.
                if "region" in form.errors:
                    raise Http404
            else:
                region = form.cleaned_data["region"] or region
                start = form.cleaned_data["start"] or start
                end = form.cleaned_data["end"] or end
        if region is None:
            raise Http404
        try:
            tables = reports.build_report(request.user, region=region, start=start, end=end)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
            tables = []
        title = f"{region.name} {start}—{end}"
        export = request.GET.get("format")
        if export in {"csv", "xlsx"}:
            filename = f"report-{region.code}-{start:%Y%m%d}-{end:%Y%m%d}.{export}"
            if export == "csv":
                response = HttpResponse(reports.export_csv(tables, title=title), content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(
                    reports.export_xlsx(tables, title=title),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        query = request.GET.copy()
        query.pop("format", None)
        return self.render_to_response(self.get_context_data(
            form=form, tables=tables, region=region, start=start, end=end, query=query.urlencode()))


class PovertyView(AdminPage):
    """Registered-poor roster (建档立卡) vs dibao roster: three lists with counts and follow-up actions."""

    permission = "checks.view_flag"
    template_name = "checks/admin/poverty.html"
    page_title = _("建档立卡与低保比对")
    header_icon = "list-ul"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lists = selectors.roster_reconciliation(self.request.user)
        context["lists"] = [
            (key, label, lists[key]) for key, label in (
                ("uncovered", "应保未保（建档立卡未脱贫户未纳入低保）"),
                ("partial", "一户保一人（仅部分成员享受低保）"),
                ("left_receiving", "已脱贫仍享受低保"),
            )
        ]
        context["counts"] = selectors.reconciliation_counts(lists)
        context["can_act"] = self.request.user.has_perm("checks.resolve_flag")
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("checks.resolve_flag"):
            raise DjangoPermissionDenied
        finding = request.POST.get("finding", "")
        number = request.POST.get("poor_household_number", "")
        try:
            if number:
                services.poverty_follow_up(actor=request.user, finding=finding, poor_household_number=number)
                messages.success(request, gettext("已发起跟进：%(number)s") % {"number": number})
            else:
                done = services.poverty_follow_up_all(actor=request.user, finding=finding)
                messages.success(request, gettext("已发起跟进 %(done)s 户") % {"done": len(done)})
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
        return redirect("checks_poverty")

