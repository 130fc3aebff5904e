"""Wagtail admin views of county onboarding: upload → preview (a Celery task, with a progress bar) →
confirm → import (a Celery task, with a progress bar); the error report and the discrepancy list as
files; the template; the county's export. County staff only; every read is scoped (404 outside)."""

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

from benefits.onboarding import columns, export, selectors, services
from benefits.onboarding.models import ImportStatus
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, RegionLevel
from reemployment.core.scoping import regions_for

SHOWN_ERRORS = 200
SHOWN_DISCREPANCIES = 100


class PermissionMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.has_perm(self.permission):
            raise DjangoPermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdminPage(PermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class CountyField(forms.ModelChoiceField):
    """A county of the user's jurisdiction (the form sets the queryset)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.none(), **kwargs)


def counties_for(user):
    return regions_for(user).filter(level=RegionLevel.COUNTY)


class UploadForm(forms.Form):
    county = CountyField(label=_("县（区）"))
    file = forms.FileField(label=_("存量对象文件（CSV 或 XLSX）"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = counties_for(user)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].initial = counties.first()


class UploadView(AdminPage):
    """Upload a caseload file; its check runs as a Celery task and the next page shows the preview."""

    permission = "onboarding.import_caseload"
    template_name = "onboarding/admin/upload.html"
    page_title = _("导入存量对象")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm(user=self.request.user))
        context["columns"] = columns.COLUMNS
        context["template_csv"] = reverse("onboarding_template") + "?format=csv"
        context["template_xlsx"] = reverse("onboarding_template") + "?format=xlsx"
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.MAX_IMPORT_BYTES:
                form.add_error("file", gettext("文件过大：%(size)s 字节，上限 %(limit)s 字节") % {
                    "size": upload.size, "limit": settings.MAX_IMPORT_BYTES})
            else:
                try:
                    record = services.caseload_import_create(actor=request.user, county=form.cleaned_data["county"],
                                                             name=upload.name, content=upload.read(), preview=True)
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, gettext("文件已上传，正在校验"))
                    return redirect("onboarding_import_status", pk=record.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportStatusView(AdminPage):
    """One import: progress, counts, the error report, the discrepancies; "confirm" once previewed."""

    permission = "onboarding.view_caseloadimport"
    template_name = "onboarding/admin/status.html"
    page_title = _("存量对象导入")
    header_icon = "doc-full"

    def get_record(self):
        return get_object_or_404(selectors.imports_for(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record()
        pk = record.pk
        context.update({
            "record": record, "progress_url": reverse("onboarding_import_progress", args=[pk]),
            "errors": record.errors[:SHOWN_ERRORS], "more_errors": max(0, record.error_count - SHOWN_ERRORS),
            "errors_url": reverse("onboarding_import_errors", args=[pk]),
            "discrepancies": selectors.discrepancies_for(self.request.user, record)[:SHOWN_DISCREPANCIES],
            "discrepancies_url": reverse("onboarding_import_discrepancies", args=[pk]),
            "can_confirm": record.status == ImportStatus.READY
            and self.request.user.has_perm("onboarding.import_caseload"),
            "final": record.is_final or record.status == ImportStatus.READY,
        })
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("onboarding.import_caseload"):
            raise DjangoPermissionDenied
        record = self.get_record()
        try:
            services.caseload_import_confirm(actor=request.user, caseload_import=record)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("已确认导入，正在后台导入"))
        return redirect("onboarding_import_status", pk=record.pk)


def import_progress(request, pk):
    """JSON for the progress bar (polled by the status page)."""
    if not request.user.has_perm("onboarding.view_caseloadimport"):
        raise DjangoPermissionDenied
    record = get_object_or_404(selectors.imports_for(request.user), pk=pk)
    return JsonResponse({"status": record.status, "status_label": str(record.get_status_display()),
                         "progress": record.progress, "message": record.message,
                         "final": record.is_final or record.status == ImportStatus.READY})


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def import_errors(request, pk):
    """The whole stored error report as a CSV (row, column, problem)."""
    if not request.user.has_perm("onboarding.view_caseloadimport"):
        raise DjangoPermissionDenied
    record = get_object_or_404(selectors.imports_for(request.user), pk=pk)
    return _download(export.error_report(record.errors), f"import-{record.pk}-errors.csv", export.CONTENT_TYPES["csv"])


def import_discrepancies(request, pk):
    if not request.user.has_perm("onboarding.view_caseloadimport"):
        raise DjangoPermissionDenied
    record = get_object_or_404(selectors.imports_for(request.user), pk=pk)
    return _download(export.discrepancy_report(selectors.discrepancies_for(request.user, record).iterator()),
                     f"import-{record.pk}-discrepancies.csv", export.CONTENT_TYPES["csv"])


def template_download(request):
    """The empty template with its example rows (CSV or XLSX)."""
    if not request.user.has_perm("onboarding.import_caseload"):
        raise DjangoPermissionDenied
    fmt = request.GET.get("format", "csv")
    if fmt not in export.FORMATS:
        raise Http404
    return _download(export.template_file(fmt), f"caseload-template.{fmt}", export.CONTENT_TYPES[fmt])


class ExportForm(forms.Form):
    county = CountyField(label=_("县（区）"))
    format = forms.ChoiceField(label=_("格式"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = counties_for(user)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].initial = counties.first()


class ExportView(AdminPage):
    """The county's current caseload in the import template (CSV/XLSX): ?county=<id>&format=csv|xlsx."""

    permission = "onboarding.export_caseload"
    template_name = "onboarding/admin/export.html"
    page_title = _("导出在保对象")
    header_icon = "download"

    def get(self, request, *args, **kwargs):
        form = ExportForm(request.GET or None, user=request.user)
        if form.is_bound:
            if not form.is_valid():
                if "county" in form.errors and request.GET.get("county"):
                    raise Http404  # another jurisdiction's county is not a choice: as if it did not exist
            else:
                county, fmt = form.cleaned_data["county"], form.cleaned_data["format"]
                try:
                    content = services.caseload_export(actor=request.user, county=county, fmt=fmt)
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    return _download(content, f"caseload-{county.code}.{fmt}", export.CONTENT_TYPES[fmt])
        return self.render_to_response(self.get_context_data(form=form))
