"""Staff admin of the payroll (Wagtail): runs (compute button, progress bar, review, lock, bank files),
payment lines (read only) and overpayments (decide). Every view is scoped to the user's jurisdiction."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse, StreamingHttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from benefits.payroll import exports, services
from benefits.payroll.models import (
    OVERPAYMENT_TRANSITIONS,
    Overpayment,
    OverpaymentStatus,
    PaymentLine,
    PayrollRun,
    RunStatus,
)
from reemployment.core.admin_actions import (
    ACTIONS_ONLY,
    Action,
    ActionForm,
    ActionIndexView,
    ActionInspectView,
    ActionsMixin,
)
from reemployment.core.admin_views import ScopedModelViewSet
from reemployment.core.errors import DomainError
from reemployment.core.errors import PermissionDenied as DomainPermissionDenied
from reemployment.core.models import RegionLevel, Role, today
from reemployment.core.scoping import regions_for
from reemployment.dates import month_start

# --- forms and actions --------------------------------------------------------------------------


class RunForm(ActionForm):
    county = forms.ModelChoiceField(label=_("县/区"), queryset=None)
    month = forms.CharField(label=_("发放月份"), help_text=_("YYYY-MM"), max_length=7)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = regions_for(self.user).filter(level=RegionLevel.COUNTY)
        if not self.is_bound:
            self.initial["month"] = f"{month_start(today()):%Y-%m}"

    def clean_month(self):
        try:
            return services.parse_month(self.cleaned_data["month"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc


class ConfirmForm(ActionForm):
    pass


class DecideOverpaymentForm(ActionForm):
    status = forms.ChoiceField(label=_("结果"), choices=[(OverpaymentStatus.RECOVERED, _("已追回")),
                                                        (OverpaymentStatus.WAIVED, _("核销/免于追回"))])
    recovered_amount = forms.DecimalField(label=_("实际追回(元)"), max_digits=12, decimal_places=2, required=False)
    decision = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}))


RUN_CREATE_ACTIONS = {
    "compute": Action(
        label=_("计算月度发放"), form_class=RunForm, permission="payroll.add_payrollrun",
        run=lambda user, obj, form: services.payroll_run_request(actor=user, county=form.cleaned_data["county"], month=form.cleaned_data["month"]),
        help_text=_("按县、月计算：每户在保待遇一笔。重复计算不会重复发放；已锁定的月份不能再计算。"),
    ),
}


def _status_in(*statuses):
    return lambda user, run: run is not None and run.status in statuses


def _checker_step(status, step):
    """Review and lock are offered only to a county user who is not the run's maker (maker–checker);
    the service refuses the maker anyway."""
    return lambda user, run: run is not None and run.status == status and not services.is_maker(user, run, step)


RUN_ACTIONS = {
    "recompute": Action(
        label=_("重新计算"), form_class=ConfirmForm, permission="payroll.change_payrollrun",
        available=_status_in(RunStatus.DRAFT, RunStatus.COMPUTED, RunStatus.REVIEWED),
        run=lambda user, run, form: services.payroll_run_request(actor=user, county=run.county, month=run.month),
        help_text=_("只补足缺少的发放明细、撤回已不应发放的明细，不会重复发放。"),
    ),
    "review": Action(
        label=_("审核通过"), form_class=ConfirmForm, permission="payroll.change_payrollrun",
        available=_checker_step(RunStatus.COMPUTED, "review"),
        run=lambda user, run, form: services.payroll_run_review(actor=user, run=run),
        help_text=_("须由计算人以外的县民政局工作人员审核（制单与审核分离）。"),
    ),
    "reopen": Action(
        label=_("撤回审核"), form_class=ConfirmForm, permission="payroll.change_payrollrun",
        available=_status_in(RunStatus.REVIEWED),
        run=lambda user, run, form: services.payroll_run_reopen(actor=user, run=run),
    ),
    "lock": Action(
        label=_("锁定(确认发放)"), form_class=ConfirmForm, permission="payroll.change_payrollrun",
        available=_checker_step(RunStatus.REVIEWED, "lock"),
        run=lambda user, run, form: services.payroll_run_lock(actor=user, run=run),
        help_text=_("锁定后本月发放明细和合计不能再改变，才能生成银行代发文件；计算人不能锁定。"),
    ),
}

OVERPAYMENT_ACTIONS = {
    "decide": Action(
        label=_("作出处理决定"), form_class=DecideOverpaymentForm, permission="payroll.change_overpayment",
        available=lambda user, o: o is not None and bool(OVERPAYMENT_TRANSITIONS[o.status]),
        run=lambda user, o, form: services.overpayment_decide(
            actor=user, overpayment=o, status=form.cleaned_data["status"], decision=form.cleaned_data["decision"],
            recovered_amount=form.cleaned_data.get("recovered_amount")),
    ),
}


# --- search by a member's name or ID number ------------------------------------------------------------

# ID numbers are stored in full (Member.id_number, like the household list's search); the lists show no
# member column, so a search by name or ID number finds the household's lines and claims.
MEMBER_SEARCH = ["household__number", "household__members__name", "household__members__id_number"]


class MemberSearchIndexView(ActionIndexView):
    """Searching through the household's members joins one row per matching member (a surname matches the
    whole family): filter by the matching ids instead, so each record is listed once."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        matches = super().search_queryset(queryset.model._default_manager.all())
        return queryset.filter(pk__in=matches.values("pk"))


# --- payroll runs ---------------------------------------------------------------------------------


class RunInspectView(ActionInspectView):
    template_name = "payroll/admin/run_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        context.update({
            "progress_url": reverse("payroll_runs:progress", args=(run.pk,)),
            "running": run.is_running,
            "can_download": run.status == RunStatus.LOCKED and _may_download(self.request.user),
            "awaiting_checker": run.status in (RunStatus.COMPUTED, RunStatus.REVIEWED)
                                and services.is_maker(self.request.user, run,
                                                      "review" if run.status == RunStatus.COMPUTED else "lock"),
            "csv_url": reverse("payroll_runs:bank_file", args=(run.pk, "csv")),
            "xlsx_url": reverse("payroll_runs:bank_file", args=(run.pk, "xlsx")),
        })
        return context


def _may_download(user) -> bool:
    return user.is_superuser or user.role == Role.COUNTY


def progress_payload(run: PayrollRun) -> dict:
    """celery-progress-style JSON for the progress bar."""
    running = run.is_running
    return {
        "state": "PROGRESS" if running else ("FAILURE" if run.last_error else "SUCCESS"),
        "complete": not running, "success": None if running else not run.last_error,
        "current": run.progress_done, "total": run.progress_total, "percent": run.progress_percent,
        "status": run.status, "status_label": str(RunStatus(run.status).label), "lines": run.lines,
        "households": run.households, "persons": run.persons, "total_amount": f"{run.total_amount:.2f}",
        "error": run.last_error,
    }


class PayrollRunViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "payroll_runs"
    model = PayrollRun
    icon = "date"
    menu_label = _("月度发放")
    inspect_view_class = RunInspectView
    create_actions = RUN_CREATE_ACTIONS
    object_actions = RUN_ACTIONS
    form_fields = ["county"]  # required by ModelViewSet; add/edit are disabled (the run button computes)
    list_display = ["county", "month", "status", "lines", "households", "persons", "total_amount", "computed_at",
                    "computed_by"]
    list_filter = ["status", "month"]
    inspect_view_fields = ["county", "month", "status", "lines", "households", "persons", "total_amount",
                           "computed_by", "computed_at", "reviewed_by", "reviewed_at", "locked_by", "locked_at",
                           "task_id"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/progress/", self.progress_view, name="progress"),
            path("<int:pk>/bank/<str:fmt>/", self.bank_file_view, name="bank_file"),
        ]

    def progress_view(self, request, pk):
        if not request.user.has_perm("payroll.view_payrollrun"):
            return HttpResponseForbidden()
        return JsonResponse(progress_payload(self.scoped_object(request, pk)))

    def bank_file_view(self, request, pk, fmt):
        run = self.scoped_object(request, pk)  # 404 outside the jurisdiction
        if not _may_download(request.user):
            return HttpResponseForbidden(gettext("银行文件仅限本县民政局工作人员"))  # personal data
        try:
            run = services.bank_file_download(actor=request.user, run=run, fmt=fmt)
        except DomainPermissionDenied as exc:
            return HttpResponseForbidden(exc.message)
        except DomainError as exc:
            return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
        name = exports.filename(run, fmt)
        if fmt == "csv":
            response = StreamingHttpResponse(exports.csv_chunks(run), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.xlsx_bytes(run),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class PaymentLineViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "payroll_lines"
    model = PaymentLine
    icon = "list-ul"
    menu_label = _("发放明细")
    form_fields = ["amount"]  # required by ModelViewSet; lines are written by the payroll only
    index_view_class = MemberSearchIndexView
    list_display = ["household", "month", "amount", "persons", "category", "area", "region"]
    list_filter = ["month", "area", "category"]
    search_fields = MEMBER_SEARCH
    inspect_view_fields = ["run", "household", "region", "month", "amount", "persons", "category", "area",
                           "bank_name"]


class OverpaymentViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "payroll_overpayments"
    model = Overpayment
    icon = "warning"
    menu_label = _("追回款")
    object_actions = OVERPAYMENT_ACTIONS
    form_fields = ["decision"]
    index_view_class = MemberSearchIndexView
    list_display = ["household", "month", "amount", "reason", "status", "recovered_amount", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = MEMBER_SEARCH
    inspect_view_fields = ["household", "enrolment", "month", "amount", "reason", "note", "status",
                           "recovered_amount", "decision", "decided_by", "decided_at", "created_at"]


class PayrollGroup(ViewSetGroup):
    menu_label = _("低保金发放")
    menu_icon = "date"
    menu_order = 210
    items = (PayrollRunViewSet, PaymentLineViewSet, OverpaymentViewSet)


@hooks.register("register_admin_viewset")
def register_payroll_viewsets():
    return PayrollGroup()

