"""Staff admin of integrity records (Wagtail): cadre-relative registrations (with the XLSX report),
tip-offs (record, assign, investigate, close), fraud cases (open, decide) and death reports (report,
monthly list). Every view is scoped to the user's jurisdiction; every change goes through a service."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from benefits.integrity import selectors, services
from benefits.integrity.models import (
    FRAUD_TRANSITIONS,
    TIP_OFF_TEXT_MAX,
    TIP_OFF_TRANSITIONS,
    CadreRelation,
    CadreRelative,
    DeathReport,
    DeathReportStatus,
    FraudCase,
    FraudKind,
    TipOff,
    TipOffOutcome,
    TipOffStatus,
)
from benefits.models import Household, Member
from reemployment.core.admin_actions import ACTIONS_ONLY, Action, ActionForm, ActionIndexView, ActionsMixin
from reemployment.core.admin_views import ScopedModelViewSet
from reemployment.core.models import Role, User, today
from reemployment.core.scoping import JURISDICTION_ROLES, regions_for, scope_model

# --- lookups inside the user's jurisdiction ---------------------------------------------------------


def _scoped_member(user, id_number: str) -> Member:
    member = scope_model(Member.objects.select_related("household__region"), user).filter(
        id_number=id_number.strip().upper()).first()
    if member is None:
        raise forms.ValidationError(_("辖区内没有该身份证号码的家庭成员"))
    return member


def _scoped_household(user, number: str) -> Household:
    household = scope_model(Household.objects.select_related("region"), user).filter(number=number.strip()).first()
    if household is None:
        raise forms.ValidationError(_("辖区内没有该户编号"))
    return household


# --- forms ------------------------------------------------------------------------------------------


class CadreForm(ActionForm):
    member_id_number = forms.CharField(label=_("享受低保的亲属身份证号码"), max_length=18)
    relation = forms.ChoiceField(label=_("与干部关系"), choices=CadreRelation.choices)
    cadre_name = forms.CharField(label=_("干部姓名"), max_length=50)
    cadre_post = forms.CharField(label=_("干部职务"), max_length=100)
    cadre_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    registered_on = forms.DateField(label=_("备案日期"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean_member_id_number(self):
        return _scoped_member(self.user, self.cleaned_data["member_id_number"])


class TipOffRecordForm(ActionForm):
    region = forms.ModelChoiceField(label=_("所涉辖区"), queryset=None)
    household_number = forms.CharField(label=_("被举报户编号"), max_length=20, required=False)
    text = forms.CharField(label=_("举报内容"), max_length=TIP_OFF_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    anonymous = forms.BooleanField(label=_("匿名"), required=False, initial=True)
    contact = forms.CharField(label=_("举报人联系方式"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for(self.user)

    def clean_household_number(self):
        number = self.cleaned_data["household_number"]
        return _scoped_household(self.user, number) if number else None


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Caseworkers whose jurisdiction covers the tip-off's region.
        region = self.obj.region if self.obj is not None else None
        codes = [c for c in region.path.split("/") if c] if region else []
        self.fields["assignee"].queryset = User.objects.filter(
            role__in=[Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY], region__code__in=codes, is_active=True,
        ).order_by("username")


class ConfirmForm(ActionForm):
    pass


class CloseForm(ActionForm):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=TipOffOutcome.choices)
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 4}))


class FraudOpenForm(ActionForm):
    household_number = forms.CharField(label=_("涉案户编号"), max_length=20)
    kind = forms.ChoiceField(label=_("案件类型"), choices=FraudKind.choices)
    summary = forms.CharField(label=_("案情"), widget=forms.Textarea(attrs={"rows": 4}))
    amount_wrongly_paid = forms.DecimalField(label=_("违规领取金额(元)"), max_digits=12, decimal_places=2,
                                             min_value=0, initial=0)

    def clean_household_number(self):
        return _scoped_household(self.user, self.cleaned_data["household_number"])


class FraudDecideForm(ActionForm):
    amount_wrongly_paid = forms.DecimalField(label=_("违规领取金额(元)"), max_digits=12, decimal_places=2, min_value=0)
    serious = forms.BooleanField(label=_("情节严重"), required=False)
    fine_amount = forms.DecimalField(label=_("罚款(元)"), max_digits=12, decimal_places=2, min_value=0, initial=0,
                                     help_text=_("情节严重的骗保：违规金额的 1–3 倍；出具虚假证明：不超过 1000 元"))
    decision = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial["amount_wrongly_paid"] = self.obj.amount_wrongly_paid


class DeathConfirmForm(ActionForm):
    note = forms.CharField(label=_("核实情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("如 经入户核实、殡葬记录、死亡证明"))


class DeathRejectForm(ActionForm):
    note = forms.CharField(label=_("驳回理由"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("如 经入户核实本人健在，公安数据有误"))


class DeathForm(ActionForm):
    member_id_number = forms.CharField(label=_("死亡成员身份证号码"), max_length=18)
    died_on = forms.DateField(label=_("死亡日期"))
    source = forms.CharField(label=_("信息来源"), max_length=100, required=False,
                             help_text=_("如 公安户籍注销、殡葬、村居报告"))

    def clean_member_id_number(self):
        return _scoped_member(self.user, self.cleaned_data["member_id_number"])


# --- actions ----------------------------------------------------------------------------------------


def _can_move(table, new_status):
    return lambda user, obj: obj is not None and new_status in table[obj.status]


CADRE_CREATE = {
    "register": Action(
        label=_("新增备案"), form_class=CadreForm, permission="integrity.add_cadrerelative",
        run=lambda user, obj, form: services.cadre_relative_register(
            actor=user, member=form.cleaned_data["member_id_number"], cadre_name=form.cleaned_data["cadre_name"], cadre_post=form.cleaned_data["cadre_post"],
            relation=form.cleaned_data["relation"], cadre_unit=form.cleaned_data["cadre_unit"], registered_on=form.cleaned_data["registered_on"], note=form.cleaned_data["note"]),
    ),
}

TIP_OFF_CREATE = {
    "record": Action(
        label=_("登记举报"), form_class=TipOffRecordForm, permission="integrity.add_tipoff",
        run=lambda user, obj, form: services.tip_off_record(
            actor=user, text=form.cleaned_data["text"], region=form.cleaned_data["region"], household=form.cleaned_data["household_number"], contact=form.cleaned_data["contact"],
            anonymous=form.cleaned_data["anonymous"]),
        help_text=_("来信、来访、电话举报由工作人员登记；网站举报自动进入本列表。"),
    ),
}

TIP_OFF_ACTIONS = {
    "assign": Action(
        label=_("分派承办人"), form_class=AssignForm, permission="integrity.change_tipoff",
        available=lambda user, obj: obj is not None and TipOffStatus.ASSIGNED in TIP_OFF_TRANSITIONS[obj.status]
        and user.role in (Role.TOWNSHIP, Role.COUNTY, Role.ADMIN),
        run=lambda user, obj, form: services.tip_off_assign(actor=user, tip_off=obj, assignee=form.cleaned_data["assignee"]),
    ),
    "investigate": Action(
        label=_("开始核查"), form_class=ConfirmForm, permission="integrity.change_tipoff",
        available=_can_move(TIP_OFF_TRANSITIONS, TipOffStatus.INVESTIGATING),
        run=lambda user, obj, form: services.tip_off_investigate(actor=user, tip_off=obj),
        help_text=_("被举报家庭明确时，同时发起举报核查复核。"),
    ),
    "close": Action(
        label=_("办结"), form_class=CloseForm, permission="integrity.change_tipoff",
        available=lambda user, obj: obj is not None and TipOffStatus.CLOSED in TIP_OFF_TRANSITIONS[obj.status]
        and user.role in (Role.TOWNSHIP, Role.COUNTY, Role.ADMIN),
        run=lambda user, obj, form: services.tip_off_close(actor=user, tip_off=obj, outcome=form.cleaned_data["outcome"],
                                                        findings=form.cleaned_data["findings"]),
    ),
}

FRAUD_CREATE = {
    "open": Action(
        label=_("立案"), form_class=FraudOpenForm, permission="integrity.add_fraudcase",
        run=lambda user, obj, form: services.fraud_case_open(
            actor=user, household=form.cleaned_data["household_number"], kind=form.cleaned_data["kind"], summary=form.cleaned_data["summary"],
            amount_wrongly_paid=form.cleaned_data["amount_wrongly_paid"]),
    ),
}

FRAUD_ACTIONS = {
    "decide": Action(
        label=_("作出处理决定"), form_class=FraudDecideForm, permission="integrity.change_fraudcase",
        available=lambda user, obj: obj is not None and bool(FRAUD_TRANSITIONS[obj.status]),
        run=lambda user, obj, form: services.fraud_case_decide(
            actor=user, case=obj, decision=form.cleaned_data["decision"], serious=form.cleaned_data["serious"], fine_amount=form.cleaned_data["fine_amount"],
            amount_wrongly_paid=form.cleaned_data["amount_wrongly_paid"]),
        help_text=_("违规领取的金额登记为追回款；罚款须在政策参数规定的范围内。"),
    ),
}

DEATH_CREATE = {
    "report": Action(
        label=_("死亡报告"), form_class=DeathForm, permission="integrity.add_deathreport",
        run=lambda user, obj, form: services.death_report_record(
            actor=user, member=form.cleaned_data["member_id_number"], died_on=form.cleaned_data["died_on"], source=form.cleaned_data["source"]),
        help_text=_("次月起停发：家庭无其他成员的终止待遇，有其他成员的发起复核；死亡次月以后已发放的金额登记追回。"
                    "该成员已有待确认的部门比对死亡信息且日期一致的，本报告即确认该信息。"),
    ),
}


def _pending_death(user, obj) -> bool:
    return obj is not None and obj.is_pending


DEATH_ACTIONS = {
    "confirm": Action(
        label=_("确认死亡"), form_class=DeathConfirmForm, permission="integrity.confirm_deathreport",
        available=_pending_death,
        run=lambda user, obj, form: services.death_report_confirm(actor=user, report=obj, note=form.cleaned_data["note"]),
        help_text=_("确认后登记死亡日期，次月起停发：家庭无其他成员的终止待遇，有其他成员的发起复核；"
                    "死亡次月以后已发放的金额登记追回。对应的比对疑点同时办结。"),
    ),
    "reject": Action(
        label=_("驳回（数据有误）"), form_class=DeathRejectForm, permission="integrity.confirm_deathreport",
        available=_pending_death,
        run=lambda user, obj, form: services.death_report_reject(actor=user, report=obj, note=form.cleaned_data["note"]),
        help_text=_("驳回后不改变家庭和待遇的任何信息，只记录驳回理由；对应的比对疑点同时办结。"),
    ),
}


# --- viewsets ---------------------------------------------------------------------------------------


class CadreIndexView(ActionIndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(HeaderButton(_("导出备案表(XLSX)"), url=reverse("integrity_cadres:report"),
                                    icon_name="download"))
        return buttons


class CadreRelativeViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "integrity_cadres"
    model = CadreRelative
    icon = "user"
    menu_label = _("干部近亲属备案")
    create_actions = CADRE_CREATE
    index_view_class = CadreIndexView
    form_fields = ["note"]
    list_display = ["member", "relation", "cadre_name", "cadre_post", "registered_on", "registered_by"]
    list_filter = ["relation"]
    search_fields = ["cadre_name", "member__name", "member__id_number", "member__household__number"]
    inspect_view_fields = ["member", "relation", "cadre_name", "cadre_post", "cadre_unit", "registered_on",
                           "registered_by", "note"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("report.xlsx", self.report_view, name="report")]

    def report_view(self, request):
        """干部近亲属享受低保备案表 of the user's jurisdiction (XLSX), audited."""
        if not request.user.has_perm("integrity.view_cadrerelative") or request.user.role not in (
            JURISDICTION_ROLES | {Role.ADMIN}
        ):
            return HttpResponseForbidden()
        queryset = selectors.cadre_relatives_for(request.user)
        where = request.user.region.name if request.user.region_id else "全部"
        content, count = selectors.cadre_report_xlsx(queryset, f"{where} 干部近亲属享受低保备案表（{today()}）")
        services.cadre_report_download(actor=request.user, count=count)
        response = HttpResponse(content,
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="cadre-relatives-{today():%Y%m%d}.xlsx"'
        response["Cache-Control"] = "no-store"
        return response


class TipOffViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "integrity_tip_offs"
    model = TipOff
    icon = "mail"
    menu_label = _("举报")
    create_actions = TIP_OFF_CREATE
    object_actions = TIP_OFF_ACTIONS
    form_fields = ["text"]
    list_display = ["__str__", "reference", "channel", "region", "household_number", "status", "assigned_to",
                    "outcome", "received_at"]
    list_filter = ["status", "channel", "outcome"]
    # The reference told to the person who sent it (they quote it when they call back).
    search_fields = ["reference", "household_number", "text", "household__members__name",
                     "household__members__id_number"]
    inspect_view_fields = ["reference", "channel", "text", "region", "household", "household_number", "anonymous", "contact",
                           "status", "received_by", "assigned_to", "review", "findings", "outcome", "closed_by",
                           "closed_at", "received_at"]


class FraudCaseViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "integrity_fraud_cases"
    model = FraudCase
    icon = "warning"
    menu_label = _("骗保案件")
    create_actions = FRAUD_CREATE
    object_actions = FRAUD_ACTIONS
    form_fields = ["summary"]
    list_display = ["__str__", "household", "kind", "amount_wrongly_paid", "serious", "fine_amount", "status",
                    "decided_by", "opened_at"]
    list_filter = ["status", "kind", "serious"]
    search_fields = ["household__number", "household__members__name", "household__members__id_number"]
    inspect_view_fields = ["household", "kind", "summary", "tip_off", "amount_wrongly_paid", "serious",
                           "fine_amount", "status", "decision", "decided_by", "decided_at", "overpayment",
                           "opened_by", "opened_at"]


class DeathIndexView(ActionIndexView):
    """The monthly list; a header button leads to the deaths from department files that wait for staff."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        pending = selectors.pending_death_count(self.request.user)
        if pending:
            url = f"{reverse('integrity_deaths:index')}?status={DeathReportStatus.PENDING}"
            buttons.append(HeaderButton(_("待核实确认的部门比对死亡信息（%(n)s）") % {"n": pending}, url=url,
                                        icon_name="warning"))
        return buttons


class DeathReportViewSet(ActionsMixin, ScopedModelViewSet):
    disabled_views = ACTIONS_ONLY
    name = "integrity_deaths"
    model = DeathReport
    icon = "doc-empty"
    menu_label = _("死亡报告")
    create_actions = DEATH_CREATE
    object_actions = DEATH_ACTIONS
    index_view_class = DeathIndexView
    form_fields = ["source"]
    list_display = ["member", "household", "died_on", "report_month", "status", "source", "outcome", "stop_from",
                    "overpayment_count", "overpayment_amount"]
    list_filter = ["status", "report_month", "outcome"]
    search_fields = ["household__number", "member__name", "member__id_number"]
    inspect_view_fields = ["member", "household", "died_on", "report_month", "status", "source", "outcome",
                           "stop_from", "review", "overpayment_count", "overpayment_amount", "reported_by",
                           "reported_at", "decided_by", "decided_at", "decision_note"]


CADRE_CASE_ROLES = frozenset({Role.COUNTY, Role.ADMIN})  # the cases are flagged to the county [R3 备案]


def _may_see_cadre_cases(user) -> bool:
    return user.is_superuser or getattr(user, "role", None) in CADRE_CASE_ROLES


class CadreCasesMenuItem(MenuItem):
    """Shown to county staff (and admins). No query: the role is on the user."""

    def is_shown(self, request):
        return _may_see_cadre_cases(request.user)


class CadreCasesViewSet(ViewSet):
    """干部近亲属申请与复核: the county's queue of open applications and open reviews flagged at intake
    because a member matches a registered cadre relative (``benefits.services.cadre``; selector
    ``cadre_flagged_cases``, scoped); each row leads to the case."""

    name = "integrity_cadre_cases"
    icon = "user"
    menu_label = _("干部近亲属申请与复核")
    menu_item_class = CadreCasesMenuItem

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index")]

    def index_view(self, request):
        if not _may_see_cadre_cases(request.user):
            return HttpResponseForbidden()
        applications, reviews = selectors.cadre_flagged_cases(request.user)
        return TemplateResponse(request, "integrity/admin/cadre_cases.html", {
            "title": _("干部近亲属申请与复核"),
            "applications": [{"case": a, "url": reverse("benefit_applications:inspect", args=(a.pk,))}
                             for a in applications[:500]],
            "reviews": [{"case": r, "url": reverse("benefit_reviews:inspect", args=(r.pk,))} for r in reviews[:500]],
        })


class IntegrityGroup(ViewSetGroup):
    menu_label = _("廉政与监督")
    menu_icon = "warning"
    menu_order = 220
    items = (TipOffViewSet, FraudCaseViewSet, DeathReportViewSet, CadreRelativeViewSet, CadreCasesViewSet)


@hooks.register("register_admin_viewset")
def register_integrity_viewsets():
    return IntegrityGroup()
