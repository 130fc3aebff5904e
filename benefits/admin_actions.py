"""Step actions of the staff admin: one small form per action, each calling one service.

Used by ``benefits/wagtail_hooks.py``: every viewset there exposes ``<pk>/do/<action>/``, which
fetches the object through the user's jurisdiction (404 outside it), shows the action's form and
runs the service. The service checks role, step and jurisdiction; its DomainError is shown on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from benefits import services
from benefits.models import (
    OPEN_APPLICATION_STEPS,
    ApplicationStep,
    Asset,
    Category,
    IncomeItem,
    Member,
    Objection,
    ObjectionStatus,
    ReviewOutcome,
    ReviewStatus,
)
from reemployment.core.models import Role

NOTICE = (ApplicationStep.NOTICE, ApplicationStep.APPROVED)


class AttachmentForm(forms.Form):
    expected_step = forms.CharField(widget=forms.HiddenInput, required=False)
    attachment = forms.FileField(label=_("附件（PDF/JPG/PNG，可选）"), required=False)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj
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


class SubmitForm(forms.Form):
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))
    fast_track = forms.BooleanField(label=_("快速通道（就业结束后再次申请）"), required=False)
    job_start = forms.DateField(label=_("就业开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    job_end = forms.DateField(label=_("就业结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    attachment = forms.FileField(label=_("申请材料（PDF/JPG/PNG，可选）"), required=False)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class NoUniqueModelForm(forms.ModelForm):
    """The service checks uniqueness (and flags a person in two households), not the form."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
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


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("复核结论"), choices=ReviewOutcome.choices)
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    new_category = forms.ChoiceField(label=_("调整后类别（调整时，可空则按规则核算）"),
                                     choices=[("", "—"), *Category.choices], required=False)
    new_amount = forms.DecimalField(label=_("调整后月保障金（可空则按规则核算）"), required=False, min_value=0,
                                    max_digits=12, decimal_places=2)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class Action:
    label: str
    form_class: type
    run: Callable  # (user, obj, form) -> message
    available: Callable  # (user, obj) -> bool: show the button


def _is(role):
    return lambda user: getattr(user, "role", None) == role


def _staff(user):
    return getattr(user, "role", None) in {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY}


APPLICATION_ACTIONS = {
    "survey": Action(_("入户调查"), SurveyForm, lambda u, o, f: services.application_survey(
        actor=u, application=o, findings=f.cleaned_data["findings"], verified_incomes=f.verified(),
        expected_step=f.step(), attachments=f.uploads()),
        lambda u, o: _is(Role.COMMUNITY)(u) and o.step == ApplicationStep.SUBMITTED),
    "appraise": Action(_("民主评议"), AppraiseForm, lambda u, o, f: services.application_appraise(
        actor=u, application=o, group=f.cleaned_data["group"].splitlines(), votes_for=f.cleaned_data["votes_for"],
        votes_against=f.cleaned_data["votes_against"], abstentions=f.cleaned_data["abstentions"] or 0,
        opinions=f.cleaned_data["opinions"], expected_step=f.step(), attachments=f.uploads()),
        lambda u, o: _is(Role.COMMUNITY)(u) and o.step == ApplicationStep.SURVEYED),
    "post_notice": Action(_("张榜公示"), AttachmentForm, lambda u, o, f: services.application_post_notice(
        actor=u, application=o, expected_step=f.step(), attachments=f.uploads()),
        lambda u, o: _is(Role.COMMUNITY)(u) and (o.step == ApplicationStep.APPRAISED
                                                 or (o.fast_track and o.step == ApplicationStep.SURVEYED))),
    "review": Action(_("乡镇/街道审核"), ReviewForm, lambda u, o, f: services.application_review(
        actor=u, application=o, opinion=f.cleaned_data["opinion"], agree=f.cleaned_data["agree"],
        expected_step=f.step(), attachments=f.uploads()),
        lambda u, o: _is(Role.TOWNSHIP)(u) and o.step == ApplicationStep.NOTICE),
    "approve": Action(_("批准"), ReasonForm, lambda u, o, f: services.application_approve(
        actor=u, application=o, reason=f.cleaned_data["reason"], expected_step=f.step(), attachments=f.uploads()),
        lambda u, o: _is(Role.COUNTY)(u) and o.step == ApplicationStep.REVIEWED),
    "reject": Action(_("不予批准"), RejectForm, lambda u, o, f: services.application_reject(
        actor=u, application=o, reason=f.cleaned_data["reason"], expected_step=f.step(), attachments=f.uploads()),
        lambda u, o: _is(Role.COUNTY)(u) and o.step == ApplicationStep.REVIEWED),
    "enrol": Action(_("纳入并发证"), EnrolForm, lambda u, o, f: services.application_enrol(
        actor=u, application=o, expected_step=f.step(),
        recipient_password=f.cleaned_data["recipient_password"] or None),
        lambda u, o: _is(Role.COUNTY)(u) and o.step == ApplicationStep.APPROVED),
    "objection": Action(_("登记公示异议"), ObjectionForm, lambda u, o, f: services.objection_raise(
        actor=u, application=o, text=f.cleaned_data["text"], raised_by=f.cleaned_data["raised_by"]),
        lambda u, o: _staff(u) and o.step in NOTICE),
    "resolve": Action(_("处理异议"), ResolveForm, lambda u, o, f: services.objection_resolve(
        actor=u, objection=f.cleaned_data["objection"], upheld=f.cleaned_data["upheld"],
        resolution=f.cleaned_data["resolution"]),
        lambda u, o: _staff(u) and o.objections.filter(status=ObjectionStatus.OPEN).exists()),
}


def _submit(user, household, form):
    data = form.cleaned_data
    uploads = [data["attachment"]] if data.get("attachment") else []
    return services.application_submit(actor=user, household=household, reason=data["reason"],
                                       fast_track=data["fast_track"], job_start=data["job_start"],
                                       job_end=data["job_end"], attachments=uploads)


def _add(service):
    def run(user, household, form):
        instance = form.save(commit=False)
        instance.household = household
        return service(actor=user, instance=instance)
    return run


HOUSEHOLD_ACTIONS = {
    "add_member": Action(_("添加成员"), MemberForm, _add(services.member_save), lambda u, o: _staff(u)),
    "add_income": Action(_("添加收入"), IncomeForm, _add(services.income_save), lambda u, o: _staff(u)),
    "add_asset": Action(_("添加财产"), AssetForm, _add(services.asset_save), lambda u, o: _staff(u)),
    "submit": Action(_("受理低保申请"), SubmitForm, _submit,
                     lambda u, o: _is(Role.COMMUNITY)(u)
                     and not o.applications.filter(step__in=OPEN_APPLICATION_STEPS).exists()),
    "create_account": Action(_("创建对象登录账号"), PasswordForm, lambda u, o, f: services.recipient_account_create(
        actor=u, household=o, password=f.cleaned_data["password"]), lambda u, o: _staff(u) and not o.account_id),
    "reset_password": Action(_("重置对象登录密码"), PasswordForm, lambda u, o, f: services.recipient_password_reset(
        actor=u, household=o, password=f.cleaned_data["password"]), lambda u, o: _staff(u) and bool(o.account_id)),
}

REVIEW_ACTIONS = {
    "decide": Action(_("复核处理"), DecideForm, lambda u, o, f: services.review_decide(
        actor=u, review=o, outcome=f.cleaned_data["outcome"], findings=f.cleaned_data["findings"],
        new_category=f.cleaned_data["new_category"] or None, new_amount=f.cleaned_data["new_amount"]),
        lambda u, o: getattr(u, "role", None) in {Role.TOWNSHIP, Role.COUNTY} and o.status == ReviewStatus.OPEN),
}
