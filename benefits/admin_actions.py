"""Step actions of the staff admin: one small form per action, each calling one service.

Used by ``benefits/wagtail_hooks.py``: every viewset there exposes ``<pk>/do/<action>/``, which
fetches the object through the user's jurisdiction (404 outside it), shows the action's form and
runs the service. The service checks role, step and jurisdiction; its DomainError is shown on the form.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benefits import models as benefit_models
from benefits import selectors, services
from benefits.models import (
    ENROLMENT_TRANSITIONS,
    OPEN_APPLICATION_STEPS,
    ApplicationAction,
    ApplicationStep,
    Asset,
    Category,
    EnrolmentStatus,
    Household,
    IncomeItem,
    Member,
    Objection,
    ObjectionStatus,
    Relation,
    ReviewOutcome,
    ReviewStatus,
)
from reemployment.core.admin_actions import Action, ActionForm, ActionModelForm
from reemployment.core.errors import DomainError
from reemployment.core.models import Role, today
from reemployment.dates import next_month_start


class AttachmentForm(ActionForm):
    expected_step = forms.CharField(widget=forms.HiddenInput, required=False)
    attachment = forms.FileField(label=_("附件（PDF/JPG/PNG，可选）"), required=False)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and hasattr(obj, "step"):
            self.fields["expected_step"].initial = obj.step

    def uploads(self):
        upload = self.cleaned_data.get("attachment")
        return [upload] if upload else []

    def step(self):
        return self.cleaned_data.get("expected_step") or None


class SurveyForm(AttachmentForm):
    findings = forms.CharField(label=_("入户调查情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        for item in IncomeItem.objects.filter(household=obj.household).select_related("member").order_by("id"):
            self.fields[f"income_{item.pk}"] = forms.DecimalField(
                label=f"核实：{item.member} {item.get_kind_display()}（申报 {item.monthly_amount} 元"
                      + (f"，实物 {item.quantity} {item.unit}" if item.quantity is not None else "") + "）",
                initial=item.monthly_amount, min_value=0, max_digits=12, decimal_places=2)

    def verified(self):
        return {int(k.split("_", 1)[1]): v for k, v in self.cleaned_data.items() if k.startswith("income_")}


class AppraiseForm(AttachmentForm):
    group = forms.CharField(label=_("评议小组成员（每行一人）"), widget=forms.Textarea(attrs={"rows": 5}))
    votes_for = forms.IntegerField(label=_("同意票"), min_value=0)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0)
    abstentions = forms.IntegerField(label=_("弃权票"), min_value=0, initial=0)
    opinions = forms.CharField(label=_("评议意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReviewForm(AttachmentForm):
    opinion = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(label=_("同意上报县级审批"), required=False, initial=True)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and selectors.application_plan(obj).notice_stage(ApplicationStep.REVIEWED):
            self.fields["opinion"].help_text = _("本申请的审核公示环节含乡镇/街道公示：审核后即张榜公示，期满后报县级审批")


class ReasonForm(AttachmentForm):
    reason = forms.CharField(label=_("意见/理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RejectForm(AttachmentForm):
    reason = forms.CharField(label=_("不予批准理由（将写入书面通知）"), widget=forms.Textarea(attrs={"rows": 3}))


class EnrolForm(AttachmentForm):
    recipient_password = forms.CharField(label=_("对象登录初始密码（可选，登录名为户主身份证号）"), required=False,
                                         widget=forms.PasswordInput)


class ObjectionForm(AttachmentForm):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    raised_by = forms.CharField(label=_("提出人（可匿名）"), required=False)


class ResolveForm(AttachmentForm):
    objection = forms.ModelChoiceField(label=_("异议"), queryset=Objection.objects.none())
    upheld = forms.BooleanField(label=_("异议成立（退回重新入户调查）"), required=False)
    resolution = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["objection"].queryset = obj.objections.filter(status=ObjectionStatus.OPEN)


class SubmitForm(ActionForm):
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))
    fast_track = forms.BooleanField(label=_("快速通道（就业结束后再次申请）"), required=False)
    job_start = forms.DateField(label=_("就业开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    job_end = forms.DateField(label=_("就业结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    attachment = forms.FileField(label=_("申请材料（PDF/JPG/PNG，可选）"), required=False)


class PasswordForm(ActionForm):
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class NoUniqueModelForm(ActionModelForm):
    """The service checks uniqueness (and flags a person in two households), not the form."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.household = obj

    def validate_unique(self):
        # Uniqueness of the ID number is decided by the service, which also flags a person found in
        # another household (人户分离 / duplicate registration) instead of a bare form error.
        return None


class MemberForm(NoUniqueModelForm):
    class Meta:
        model = Member
        fields = ["id_number", "name", "sex", "birth_date", "relation", "hukou_area", "serious_illness",
                  "disability_grade", "work_ability", "student_status", "three_no"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}


class IncomeForm(NoUniqueModelForm):
    class Meta:
        model = IncomeItem
        fields = ["member", "kind", "monthly_amount", "quantity", "unit", "work_costs", "away_from_home", "note"]

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(household=obj)


class AssetForm(NoUniqueModelForm):
    class Meta:
        model = Asset
        fields = ["kind", "value", "description"]


class DecideForm(ActionForm):
    outcome = forms.ChoiceField(label=_("复核结论"), choices=ReviewOutcome.choices)
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    new_category = forms.ChoiceField(label=_("调整后类别（调整时，可空则按规则核算）"),
                                     choices=[("", "—"), *Category.choices], required=False)
    new_amount = forms.DecimalField(label=_("调整后月保障金（可空则按规则核算）"), required=False, min_value=0,
                                    max_digits=12, decimal_places=2)


class MoveMemberForm(ActionForm):
    """Move a member to another household (分户/迁入) — an existing one by its number, or a new one."""

    to_household = forms.CharField(label=_("迁入家庭的户编号"), max_length=20, required=False,
                                   help_text=_("须为您辖区内已登记的家庭"))
    new_household = forms.BooleanField(label=_("新立户：在原社区/村登记一个新家庭并迁入"), required=False)
    relation = forms.ChoiceField(label=_("在迁入家庭中与户主关系"), choices=Relation.choices)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None:
            self.fields["relation"].initial = obj.relation

    def clean(self):
        data = super().clean()
        number, new = (data.get("to_household") or "").strip(), data.get("new_household")
        if bool(number) == bool(new):
            raise forms.ValidationError(_("请填写迁入家庭的户编号，或勾选“新立户”（二选一）"))
        data["to_household"] = number
        return data


def _move_member(user, member, form):
    data = form.cleaned_data
    with transaction.atomic():
        if data["new_household"]:
            target = services.household_save(actor=user, instance=Household(region=member.household.region))
        else:
            # Looked up inside the user's jurisdiction only: another county's household numbers are not
            # revealed, and the service checks both households again.
            target = selectors.households_for(user).filter(number=data["to_household"]).first()
            if target is None:
                raise DomainError(gettext("您的辖区内没有户编号为 %(number)s 的家庭") % {"number": data["to_household"]},
                                  field_errors={"to_household": [gettext("未找到")]})
        return services.member_move(actor=user, member=member, to_household=target, relation=data["relation"])


class EnrolmentStatusForm(ActionForm):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["effective_on"].initial = today()


class EnrolmentEndForm(EnrolmentStatusForm):
    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["reason"].label = _("停保原因")
        self.fields["effective_on"].label = _("停发日期")
        self.fields["effective_on"].help_text = _("自该日起开始的月份不再发放（默认下月1日）")
        self.fields["effective_on"].initial = next_month_start(today())

    def clean_effective_on(self):
        value = self.cleaned_data["effective_on"]
        if self.obj is not None and value < self.obj.start_date:
            raise forms.ValidationError(_("停发日期不能早于待遇起始日期 %(d)s") % {"d": self.obj.start_date})
        return value


def _is(role):
    return lambda user: getattr(user, "role", None) == role


def _staff(user):
    return getattr(user, "role", None) in {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY}


def _move(action: str):
    """Show the button of an application move when ``selectors.application_actions_for`` — which reads the
    transition table ``benefits.models.APPLICATION_ACTIONS`` — allows it for this user now."""

    def available(user, application):
        cache = application.__dict__.setdefault("_actions_for", {})
        key = getattr(user, "pk", None)
        if key not in cache:
            cache[key] = selectors.application_actions_for(user, application)
        return action in cache[key]

    return available


APPLICATION_ACTIONS = {
    "survey": Action(_("入户调查"), SurveyForm, lambda u, o, f: services.application_survey(
        actor=u, application=o, findings=f.cleaned_data["findings"], verified_incomes=f.verified(),
        expected_step=f.step(), attachments=f.uploads()), available=_move(ApplicationAction.SURVEY)),
    "appraise": Action(_("民主评议"), AppraiseForm, lambda u, o, f: services.application_appraise(
        actor=u, application=o, group=f.cleaned_data["group"].splitlines(), votes_for=f.cleaned_data["votes_for"],
        votes_against=f.cleaned_data["votes_against"], abstentions=f.cleaned_data["abstentions"] or 0,
        opinions=f.cleaned_data["opinions"], expected_step=f.step(), attachments=f.uploads()),
        available=_move(ApplicationAction.APPRAISE)),
    "post_notice": Action(_("张榜公示"), AttachmentForm, lambda u, o, f: services.application_post_notice(
        actor=u, application=o, expected_step=f.step(), attachments=f.uploads()),
        available=_move(ApplicationAction.POST_NOTICE)),
    "review": Action(_("乡镇/街道审核"), ReviewForm, lambda u, o, f: services.application_review(
        actor=u, application=o, opinion=f.cleaned_data["opinion"], agree=f.cleaned_data["agree"],
        expected_step=f.step(), attachments=f.uploads()), available=_move(ApplicationAction.REVIEW)),
    "approve": Action(_("批准"), ReasonForm, lambda u, o, f: services.application_approve(
        actor=u, application=o, reason=f.cleaned_data["reason"], expected_step=f.step(), attachments=f.uploads()),
        available=_move(ApplicationAction.APPROVE)),
    "reject": Action(_("不予批准"), RejectForm, lambda u, o, f: services.application_reject(
        actor=u, application=o, reason=f.cleaned_data["reason"], expected_step=f.step(), attachments=f.uploads()),
        available=_move(ApplicationAction.REJECT)),
    "enrol": Action(_("纳入并发证"), EnrolForm, lambda u, o, f: services.application_enrol(
        actor=u, application=o, expected_step=f.step(),
        recipient_password=f.cleaned_data["recipient_password"] or None, attachments=f.uploads()),
        available=_move(ApplicationAction.ENROL)),
    "objection": Action(_("登记公示异议"), ObjectionForm, lambda u, o, f: services.objection_raise(
        actor=u, application=o, text=f.cleaned_data["text"], raised_by=f.cleaned_data["raised_by"],
        attachments=f.uploads()), available=_move(ApplicationAction.OBJECTION)),
    "resolve": Action(_("处理异议"), ResolveForm, lambda u, o, f: services.objection_resolve(
        actor=u, objection=f.cleaned_data["objection"], upheld=f.cleaned_data["upheld"],
        resolution=f.cleaned_data["resolution"], attachments=f.uploads()),
        available=_move(ApplicationAction.OBJECTION_RESOLVED)),
}


def _submit(user, household, form):
    data = form.cleaned_data
    uploads = [data["attachment"]] if data.get("attachment") else []
    return services.application_submit(actor=user, household=household, reason=data["reason"],
                                       fast_track=data["fast_track"], job_start=data["job_start"],
                                       job_end=data["job_end"], attachments=uploads)


def _may_submit(user, household) -> bool:
    return (getattr(user, "role", None) in benefit_models.APPLICATION_ACTIONS[ApplicationAction.SUBMIT].roles
            and not household.applications.filter(step__in=OPEN_APPLICATION_STEPS).exists())


def _add(service):
    def run(user, household, form):
        instance = form.save(commit=False)
        instance.household = household
        return service(actor=user, instance=instance)
    return run


HOUSEHOLD_ACTIONS = {
    "add_member": Action(_("添加成员"), MemberForm, _add(services.member_save), available=lambda u, o: _staff(u),
                         permission="benefits.add_member"),
    "add_income": Action(_("添加收入"), IncomeForm, _add(services.income_save), available=lambda u, o: _staff(u),
                         permission="benefits.add_incomeitem"),
    "add_asset": Action(_("添加财产"), AssetForm, _add(services.asset_save), available=lambda u, o: _staff(u),
                        permission="benefits.add_asset"),
    "submit": Action(_("受理低保申请"), SubmitForm, _submit, available=_may_submit,
                     permission="benefits.add_application"),
    "create_account": Action(_("创建对象登录账号"), PasswordForm, lambda u, o, f: services.recipient_account_create(
        actor=u, household=o, password=f.cleaned_data["password"]), available=lambda u, o: _staff(u) and not o.account_id),
    "reset_password": Action(_("重置对象登录密码"), PasswordForm, lambda u, o, f: services.recipient_password_reset(
        actor=u, household=o, password=f.cleaned_data["password"]), available=lambda u, o: _staff(u) and bool(o.account_id)),
}

MEMBER_ACTIONS = {
    "move": Action(_("迁至其他家庭"), MoveMemberForm, _move_member, available=lambda u, o: _staff(u) and o.is_current),
}


def _county_to(status):
    """County staff, and only when the enrolment's status may change to ``status`` (ENROLMENT_TRANSITIONS)."""
    return lambda u, o: _is(Role.COUNTY)(u) and status in ENROLMENT_TRANSITIONS[o.status]


ENROLMENT_ACTIONS = {
    "suspend": Action(_("暂停发放"), EnrolmentStatusForm, lambda u, o, f: services.enrolment_suspend(
        actor=u, enrolment=o, reason=f.cleaned_data["reason"], effective_on=f.cleaned_data["effective_on"]),
        available=_county_to(EnrolmentStatus.SUSPENDED)),
    "resume": Action(_("恢复发放"), EnrolmentStatusForm, lambda u, o, f: services.enrolment_resume(
        actor=u, enrolment=o, reason=f.cleaned_data["reason"], effective_on=f.cleaned_data["effective_on"]),
        available=lambda u, o: _is(Role.COUNTY)(u) and o.status == EnrolmentStatus.SUSPENDED),
    "end": Action(_("停保（退出）"), EnrolmentEndForm, lambda u, o, f: services.enrolment_end(
        actor=u, enrolment=o, reason=f.cleaned_data["reason"], effective_on=f.cleaned_data["effective_on"]),
        available=_county_to(EnrolmentStatus.ENDED)),
}

REVIEW_ACTIONS = {
    "decide": Action(_("复核处理"), DecideForm, lambda u, o, f: services.review_decide(
        actor=u, review=o, outcome=f.cleaned_data["outcome"], findings=f.cleaned_data["findings"],
        new_category=f.cleaned_data["new_category"] or None, new_amount=f.cleaned_data["new_amount"]),
        available=lambda u, o: getattr(u, "role", None) in {Role.TOWNSHIP, Role.COUNTY} and o.status == ReviewStatus.OPEN),
}
