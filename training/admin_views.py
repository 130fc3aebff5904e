"""Wagtail admin screens of training beyond the model viewsets: the course roster (enrol,
attendance, completion, assessment, certificate, placement), subsidy payment, the report
(table, chart, XLSX) and the training-wish survey (table, chart, XLSX).

Charts: Chart.js 4 (MIT), vendored as training/static/training/vendor/chartjs/chart.umd.min.js
and drawn by training/static/training/charts.js from data the view embeds with ``json_script``.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reemployment.core.errors import DomainError
from reemployment.core.exports import append_row
from reemployment.core.models import today
from reemployment.core.scoping import scope_model
from reemployment.money import format_yuan
from training import selectors, services
from training.models import CourseStatus, TrainingEnrolment


def _require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise DjangoPermissionDenied


def percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


# --- roster --------------------------------------------------------------------------------------

class EnrolForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)


class AttendanceForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))


class PlacementForm(forms.Form):
    start_date = forms.DateField(label=_("上岗日期"), widget=forms.DateInput(attrs={"type": "date"}))
    employer_name = forms.CharField(label=_("用人单位"), max_length=120)
    monthly_earnings = forms.DecimalField(label=_("月收入(元)"), max_digits=12, decimal_places=2, required=False)
    evidence = forms.CharField(label=_("证明材料"), max_length=300)


class CourseRosterView(WagtailAdminTemplateMixin, TemplateView):
    """花名册: a course's trainees with inline actions, each calling one service."""

    template_name = "training/admin/roster.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        _require_perm(request, "training.view_course")
        found = selectors.roster(request.user, kwargs["pk"])
        if found is None:
            raise Http404("not in your jurisdiction")
        self.course, self.enrolments = found
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("花名册")

    def get_page_subtitle(self):
        return self.course.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.course.assessment or {}
        context.update(
            course=self.course,
            enrolments=self.enrolments,
            enrol_form=kwargs.get("enrol_form") or EnrolForm(),
            attendance_form=kwargs.get("attendance_form") or AttendanceForm(initial={"day": today()}),
            placement_form=PlacementForm(),
            explanation=assessment.get("explanation", []),
            window_closes_on=assessment.get("window_closes_on"),
            completion=percent(self.course.completion_rate),
            output=percent(self.course.output_rate),
            can_manage=self.request.user.has_perm("training.change_course"),
            statuses=CourseStatus,
            index_url=reverse("training_course:index"),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404("unknown action")
        try:
            result = handler(request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if isinstance(result, HttpResponse):
                return result
            messages.success(request, result)
        return HttpResponseRedirect(request.path)

    def _enrolment(self, request) -> TrainingEnrolment:
        try:
            pk = int(request.POST.get("enrolment", ""))
        except ValueError:
            raise Http404 from None
        found = next((e for e in self.enrolments if e.pk == pk), None)
        if found is None:
            raise Http404("not on this course")
        return found

    def do_enrol(self, request):
        from benefits.models import Member

        form = EnrolForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("请填写身份证号码"))
        number = form.cleaned_data["id_number"].strip().upper()
        member = scope_model(Member.objects.select_related("household__region"), request.user).filter(
            id_number=number).first()
        if member is None:
            raise DomainError(_("辖区内没有此身份证号码的人员"))
        services.enrolment_create(actor=request.user, course=self.course, member=member)
        return _("已报名：%(name)s") % {"name": member}

    def do_status(self, request):
        to_status = request.POST.get("to_status", "")
        if to_status not in CourseStatus.values:
            raise DomainError(_("未知状态"))
        services.course_transition(actor=request.user, course=self.course, to_status=to_status)
        return _("培训班状态已更新")

    def do_attendance(self, request):
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("请填写考勤日期"))
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        n = services.attendance_record(actor=request.user, course=self.course, day=form.cleaned_data["day"],
                                       present_ids=present)
        return _("已记录 %(n)s 人考勤") % {"n": n}

    def do_complete(self, request):
        services.enrolment_complete(actor=request.user, enrolment=self._enrolment(request), completed=True)
        return _("已记录结业")

    def do_drop(self, request):
        services.enrolment_complete(actor=request.user, enrolment=self._enrolment(request), completed=False)
        return _("已记录未结业")

    def do_assess(self, request):
        passed = request.POST.get("passed") == "1"
        services.enrolment_assess(actor=request.user, enrolment=self._enrolment(request), passed=passed,
                                  note=request.POST.get("note", ""))
        return _("已记录考核结果")

    def do_certify(self, request):
        services.enrolment_certify(actor=request.user, enrolment=self._enrolment(request),
                                   certificate_number=request.POST.get("certificate_number", ""))
        return _("已记录证书")

    def do_place(self, request):
        form = PlacementForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("输出信息不完整：") + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        data = form.cleaned_data
        services.placement_record(actor=request.user, enrolment=self._enrolment(request),
                                  start_date=data["start_date"], employer_name=data["employer_name"],
                                  evidence=data["evidence"], monthly_earnings=data["monthly_earnings"])
        return _("已记录输出")

    def do_withdraw(self, request):
        services.enrolment_withdraw(actor=request.user, enrolment=self._enrolment(request),
                                    reason=request.POST.get("reason", ""))
        return _("已退出报名")

    def do_assess_course(self, request):
        services.course_assess(actor=request.user, course=self.course)
        return _("已重新考核")


# --- subsidy payment ----------------------------------------------------------------------------

class SubsidyPayForm(forms.Form):
    paid_on = forms.DateField(label=_("支付日期"), widget=forms.DateInput(attrs={"type": "date"}))
    voucher = forms.CharField(label=_("支付凭证号"), max_length=60)


class SubsidyPayView(WagtailAdminTemplateMixin, TemplateView):
    """Show the computed subsidy (计算过程) and confirm its payment."""

    template_name = "training/admin/subsidy_pay.html"
    header_icon = "decimal"

    def dispatch(self, request, *args, **kwargs):
        _require_perm(request, "training.change_subsidypayment")
        self.payment = selectors.subsidies_for(request.user).filter(pk=kwargs["pk"]).first()
        if self.payment is None:
            raise Http404("not in your jurisdiction")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("支付培训补贴")

    def get_page_subtitle(self):
        return self.payment.course.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(payment=self.payment, form=kwargs.get("form") or SubsidyPayForm(initial={"paid_on": today()}),
                       index_url=reverse("training_subsidy:index"))
        return context

    def post(self, request, *args, **kwargs):
        form = SubsidyPayForm(request.POST)
        if form.is_valid():
            try:
                services.subsidy_pay(actor=request.user, payment=self.payment, paid_on=form.cleaned_data["paid_on"],
                                     voucher=form.cleaned_data["voucher"])
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("培训补贴已支付"))
                return HttpResponseRedirect(reverse("training_subsidy:index"))
        return self.render_to_response(self.get_context_data(form=form))


# --- report --------------------------------------------------------------------------------------

class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("统计周期"), choices=[("year", _("年")), ("quarter", _("季度")),
                                                            ("month", _("月"))], initial="year", required=False)
    group = forms.ChoiceField(label=_("分组"), choices=[("provider", _("培训机构")), ("course_type", _("培训类别"))],
                              initial="provider", required=False)
    date_from = forms.DateField(label=_("日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("人数按培训班结业日期，已付补贴按支付日期"))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


REPORT_HEADERS = ["统计周期", "分组", "培训班数", "报名人数", "结业人数", "输出人数", "结业率", "输出率",
                  "已付补贴(元，按支付日期)"]


class TrainingReportView(WagtailAdminTemplateMixin, TemplateView):
    """Per provider or course type over time: enrolled, completed, placed, output rate, subsidy paid."""

    template_name = "training/admin/report.html"
    header_icon = "table"
    page_title = _("培训统计报表")

    def get(self, request, *args, **kwargs):
        _require_perm(request, "training.view_course")
        form = ReportFilterForm(request.GET or None)
        options = {"period": "year", "group": "provider", "date_from": None, "date_to": None}
        if form.is_bound and form.is_valid():
            options.update({k: v for k, v in form.cleaned_data.items() if v})
        rows = selectors.training_report(request.user, **options)
        if request.GET.get("export") == "xlsx":
            return xlsx_response("training-report.xlsx", "培训统计", REPORT_HEADERS, [
                [r.period, r.group_label, r.courses, r.enrolled, r.completed, r.placed, r.completion_rate,
                 r.output_rate, r.subsidy_paid] for r in rows], percent_columns=(6, 7), money_columns=(8,))
        chart = {
            "type": "report",
            "labels": [f"{r.period} {r.group_label}" for r in rows],
            "series": {
                "enrolled": [r.enrolled for r in rows],
                "completed": [r.completed for r in rows],
                "placed": [r.placed for r in rows],
                "output_rate": [None if r.output_rate is None else float(r.output_rate * 100) for r in rows],
                # Money stays exact: yuan as strings ("3040.00"), turned into numbers only by the chart.
                "subsidy_paid": [format_yuan(r.subsidy_paid) for r in rows],
            },
            "names": {"enrolled": "报名", "completed": "结业", "placed": "输出", "output_rate": "输出率(%)",
                      "subsidy_paid": "已付补贴(元)"},
        }
        context = self.get_context_data(form=form, rows=[(r, percent(r.completion_rate), percent(r.output_rate))
                                                         for r in rows], chart=chart,
                                        export_query=_export_query(request))
        return self.render_to_response(context)


class SurveyView(WagtailAdminTemplateMixin, TemplateView):
    """Training-wish survey by township and course type, to plan courses (培训意愿调查汇总)."""

    template_name = "training/admin/survey.html"
    header_icon = "list-ul"
    page_title = _("培训意愿调查汇总")

    def get(self, request, *args, **kwargs):
        _require_perm(request, "training.view_trainingwish")
        rounds = selectors.wish_rounds(request.user)
        survey_round = request.GET.get("round") or (rounds[0] if rounds else None)
        table = selectors.wish_survey(request.user, survey_round)
        if request.GET.get("export") == "xlsx":
            headers = ["乡镇/街道", "代码", *[label for _, label in table.course_types], "合计"]
            body = [[row["name"], row["code"], *row["cells"], row["total"]] for row in table.rows]
            body.append(["合计", "", *[table.totals[v] for v, _ in table.course_types], table.total])
            return xlsx_response("training-wishes.xlsx", "培训意愿", headers, body)
        chart = {
            "type": "survey",
            "labels": [row["name"] for row in table.rows],
            "datasets": [{"label": label, "data": [row["counts"][value] for row in table.rows]}
                         for value, label in table.course_types if table.totals[value]],
        }
        context = self.get_context_data(table=table, rounds=rounds, survey_round=survey_round, chart=chart,
                                        totals=[table.totals[v] for v, _ in table.course_types],
                                        export_query=_export_query(request))
        return self.render_to_response(context)


def _export_query(request) -> str:
    query = request.GET.copy()
    query["export"] = "xlsx"
    return query.urlencode()


def xlsx_response(filename: str, title: str, headers: list[str], rows: list[list], *,
                  percent_columns=(), money_columns=()) -> HttpResponse:
    """An XLSX download (openpyxl): header row, rows, rates as percentages, money as 0.00; every cell
    formula-safe (``reemployment.core.exports``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)  # formula-safe: course titles and provider names are typed by staff
    for index in percent_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cell.number_format = "0.0%"
    for index in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
