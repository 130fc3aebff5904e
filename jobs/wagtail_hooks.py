"""Admin screens for jobs: employers, vacancies, job seekers, referrals and outcomes, hires,
sanction proposals. Every view is scoped (ScopedModelViewSet) and saves through jobs.services;
choice lists in forms only offer records inside the user's jurisdiction."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from benefits.models import Member
from jobs import selectors, services
from jobs.models import (
    SANCTION_TRANSITIONS,
    Employer,
    Hire,
    JobSeeker,
    Referral,
    ReferralStatus,
    SanctionProposal,
    SanctionStatus,
    Vacancy,
    VacancyStatus,
)
from reemployment.core.admin_actions import ACTIONS_ONLY, Action, ActionForm, ActionsMixin
from reemployment.core.admin_views import (
    PermissionMenuItem,
    ScopedChoicesForm,
    ScopedInspectView,
    ScopedModelViewSet,
)
from reemployment.core.scoping import scope_model


class JobsChoicesForm(ScopedChoicesForm):
    """Choices of the jobs forms: only open vacancies can be referred to; lists load what they show."""

    choice_querysets = {
        **ScopedChoicesForm.choice_querysets,
        Employer: lambda user, queryset: selectors.employers_for(user),
        Member: lambda user, queryset: scope_model(Member.objects.select_related("household"), user),
        JobSeeker: lambda user, queryset: selectors.seekers_for(user),
        Vacancy: lambda user, queryset: selectors.vacancies_for(user).filter(selectors.open_vacancy_q()),
    }


class ScopedFormViewSet(ScopedModelViewSet):
    form_base = JobsChoicesForm


# ---------------------------------------------------------------------- employers and vacancies


class EmployerViewSet(ScopedFormViewSet):
    model = Employer
    url_prefix = "jobs/employer"
    url_namespace = "jobs_employer"
    icon = "group"
    menu_label = _("用人单位")
    save_service = staticmethod(services.employer_save)
    list_display = ["name", "region", "contact", "phone"]
    search_fields = ["name"]
    form_fields = ["name", "region", "credit_code", "contact", "phone", "address"]
    copy_view_enabled = False
    delete_view_enabled = False


@transaction.atomic
def _save_vacancy(*, actor, instance: Vacancy) -> Vacancy:
    """Admin edit: field changes through vacancy_save, a status change through vacancy_set_status."""
    wanted = instance.status
    current = Vacancy.objects.get(pk=instance.pk).status if instance.pk else VacancyStatus.OPEN
    instance.status = current
    instance = services.vacancy_save(actor=actor, instance=instance)
    if wanted and wanted != current:
        instance = services.vacancy_set_status(actor=actor, vacancy=instance, status=wanted)
    return instance


class VacancyViewSet(ScopedFormViewSet):
    model = Vacancy
    url_prefix = "jobs/vacancy"
    url_namespace = "jobs_vacancy"
    icon = "doc-full"
    menu_label = _("岗位")
    save_service = staticmethod(_save_vacancy)
    list_display = ["title", "employer", "region", "pay_min", "pay_max", "openings", "closes_on", "status"]
    list_filter = ["status", "hours"]
    search_fields = ["title", "occupation", "occupation_code"]
    form_fields = ["employer", "title", "description", "occupation", "occupation_code", "region", "pay_min", "pay_max",
                   "hours", "openings", "requirements", "certificates", "closes_on", "status"]
    inspect_view_fields = ["employer", "title", "description", "occupation", "occupation_code",
                           "occupation_code_confirmed", "region", "pay_min", "pay_max", "hours", "openings",
                           "requirements", "certificates", "closes_on", "status", "created_at"]
    copy_view_enabled = False
    delete_view_enabled = False


# ---------------------------------------------------------------------- job seekers


def _save_seeker(*, actor, instance):
    return services.seeker_save(actor=actor, instance=instance)


class SeekerInspectView(ScopedInspectView):
    """A registration with the certificates its member earned in training (read-only: labour staff
    record them on the course roster; they are matched beside the certificates on the profile)."""

    def get_field_label(self, field_name, field):
        if field_name == "training_certificates":
            return _("培训所获证书")
        return super().get_field_label(field_name, field)

    def get_training_certificates_display_value(self):
        return training_certificates_html(selectors.training_certificates(self.object.member))


def training_certificates_html(certificates) -> str:
    if not certificates:
        return "—"
    return format_html("<ul>{}</ul>", format_html_join(
        "", "<li>{}（{}；证书编号 {}；发证日期 {}）</li>",
        ((c.name, c.course_title, c.number, c.issued_on or "—") for c in certificates)))


class JobSeekerViewSet(ScopedFormViewSet):
    model = JobSeeker
    url_prefix = "jobs/jobseeker"
    url_namespace = "jobs_jobseeker"
    icon = "user"
    menu_label = _("求职登记")
    save_service = staticmethod(_save_seeker)
    list_display = ["__str__", "member", "status", "education", "registered_on",
                    Column("matches", label=_("匹配岗位"), accessor=lambda seeker: matches_link(seeker))]
    list_filter = ["status", "education"]
    form_fields = ["member", "skills", "experience", "education", "certificates", "desired_occupations",
                   "occupation_codes", "hours", "physical_limits"]
    inspect_view_class = SeekerInspectView
    inspect_view_fields = ["member", "status", "skills", "experience", "education", "certificates",
                           "training_certificates", "desired_occupations", "occupation_codes",
                           "occupation_codes_confirmed", "hours", "physical_limits", "registered_on"]
    copy_view_enabled = False
    delete_view_enabled = False


# ---------------------------------------------------------------------- referrals and outcomes


class ReferralForm(JobsChoicesForm):
    """Create: seeker + vacancy. Edit: the outcome (hire details are extra fields)."""

    start_date = forms.DateField(label=_("上岗日期（录用时填写）"), required=False)
    monthly_earnings = forms.DecimalField(label=_("月收入(元)（录用时填写）"), required=False, max_digits=12,
                                          decimal_places=2, min_value=0)

    def save(self, commit=True):
        instance = super().save(commit=False)
        instance._hire_details = (self.cleaned_data.get("start_date"), self.cleaned_data.get("monthly_earnings"))
        return instance


@transaction.atomic
def _save_referral(*, actor, instance: Referral) -> Referral:
    if instance.pk is None:
        return services.referral_create(actor=actor, seeker=instance.seeker, vacancy=instance.vacancy)
    current = Referral.objects.get(pk=instance.pk)
    if instance.status != current.status:
        start_date, earnings = getattr(instance, "_hire_details", (None, None))
        return services.referral_record_outcome(
            actor=actor, referral=current, outcome=instance.status, outcome_on=instance.outcome_on,
            start_date=start_date, monthly_earnings=earnings, refusal_reason=instance.refusal_reason,
            refusal_valid=instance.refusal_valid, note=instance.outcome_note)
    if current.status == ReferralStatus.REFUSED and instance.refusal_valid is not None \
            and instance.refusal_valid != current.refusal_valid:
        return services.referral_judge_refusal(actor=actor, referral=current, valid=instance.refusal_valid,
                                               note=instance.outcome_note)
    return current


class ReferralViewSet(ScopedFormViewSet):
    model = Referral
    url_prefix = "jobs/referral"
    url_namespace = "jobs_referral"
    icon = "link"
    menu_label = _("岗位推荐")
    form_base = ReferralForm
    save_service = staticmethod(_save_referral)
    list_display = ["__str__", "seeker", "vacancy", "status", "referred_on", "refusal_valid"]
    list_filter = ["status"]
    inspect_view_fields = ["seeker", "vacancy", "status", "referred_on", "match_reasons", "outcome_on",
                           "outcome_note", "refusal_reason", "refusal_valid"]
    copy_view_enabled = False
    delete_view_enabled = False

    def get_form_fields(self):
        return ["seeker", "vacancy", "status", "outcome_on", "refusal_reason", "refusal_valid", "outcome_note"]


class HireViewSet(ScopedModelViewSet):
    model = Hire
    url_prefix = "jobs/hire"
    url_namespace = "jobs_hire"
    icon = "tick"
    menu_label = _("就业登记")
    list_display = ["member", "vacancy", "start_date", "monthly_earnings"]
    form_fields = ["start_date"]  # required by ModelViewSet; add/edit are disabled
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False


# ---------------------------------------------------------------------- sanction proposals


class SanctionNoteForm(ActionForm):
    note = forms.CharField(label=_("处理说明"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


def _can_decide(status):
    """County staff's buttons while the proposal may still move to ``status`` (SANCTION_TRANSITIONS)."""
    return lambda user, proposal: status in SANCTION_TRANSITIONS[proposal.status]


SANCTION_ACTIONS = {
    "confirm": Action(
        label=_("确认"), form_class=SanctionNoteForm, permission="jobs.change_sanctionproposal",
        available=_can_decide(SanctionStatus.CONFIRMED),
        run=lambda user, proposal, form: services.sanction_confirm(actor=user, proposal=proposal,
                                                                   note=form.cleaned_data["note"]),
        help_text=_("确认后暂停该户低保待遇，或对待审批的申请不予批准。"),
    ),
    "dismiss": Action(
        label=_("驳回"), form_class=SanctionNoteForm, permission="jobs.change_sanctionproposal",
        available=_can_decide(SanctionStatus.DISMISSED),
        run=lambda user, proposal, form: services.sanction_dismiss(actor=user, proposal=proposal,
                                                                   note=form.cleaned_data["note"]),
        help_text=_("驳回后不改变该户的待遇。"),
    ),
}


class SanctionProposalViewSet(ActionsMixin, ScopedModelViewSet):
    """Confirm or dismiss: one action (form and service) each; no generic edit form."""

    model = SanctionProposal
    url_prefix = "jobs/sanctionproposal"
    url_namespace = "jobs_sanctionproposal"
    icon = "warning"
    menu_label = _("拒绝就业处理建议")
    object_actions = SANCTION_ACTIONS
    disabled_views = ACTIONS_ONLY
    list_display = ["__str__", "household", "kind", "status", "proposed_at"]
    list_filter = ["status", "kind"]
    form_fields = ["decision_note"]  # required by ModelViewSet; decisions go through the actions
    inspect_view_fields = ["seeker", "household", "kind", "status", "explanation", "proposed_at", "decided_by",
                           "decided_at", "decision_note"]


class JobsGroup(ViewSetGroup):
    menu_label = _("就业服务")
    menu_icon = "site"
    menu_order = 300
    items = (EmployerViewSet, VacancyViewSet, JobSeekerViewSet, ReferralViewSet, HireViewSet, SanctionProposalViewSet)


@hooks.register("register_admin_viewset")
def register_jobs_viewsets():
    return JobsGroup()


@hooks.register("register_admin_urls")
def register_jobs_admin_urls():
    from jobs.admin_views import obliged_unregistered, seeker_matches

    return [
        path("jobs/jobseeker/<int:pk>/matches/", seeker_matches, name="jobs_admin_seeker_matches"),
        path("jobs/obliged/", obliged_unregistered, name="jobs_admin_obliged"),
    ]


@hooks.register("register_admin_menu_item")
def register_obliged_menu_item():
    return PermissionMenuItem(_("应登记未登记"), reverse("jobs_admin_obliged"), icon_name="warning", order=301,
                              permission="jobs.view_jobseeker")


def matches_link(seeker):
    """List column: the seeker's match list, where staff refer (推荐岗位)."""
    return format_html('<a href="{}">{}</a>', reverse("jobs_admin_seeker_matches", args=[seeker.pk]),
                       _("匹配岗位 / 推荐"))



