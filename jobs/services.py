"""State changes of jobs records. Each is atomic, validated first, and audited.

Index upkeep: every service that publishes, edits, closes or reopens a vacancy enqueues
``jobs.sync_vacancy_index`` with ``transaction.on_commit``; with eager Celery (embedded setup,
tests) the index is updated before the request returns.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits import services as benefits_services
from benefits.models import Enrolment, EnrolmentStatus, Household, Member
from jobs import hooks
from jobs.matching.pipeline import vacancy_tokens
from jobs.matching.text import normalise_certificates, normalise_occupation
from jobs.models import (
    REFERRAL_TRANSITIONS,
    SANCTION_TRANSITIONS,
    VACANCY_TRANSITIONS,
    Employer,
    Hire,
    Hours,
    JobSeeker,
    Referral,
    ReferralStatus,
    SanctionKind,
    SanctionProposal,
    SanctionStatus,
    SeekerStatus,
    Vacancy,
    VacancyStatus,
)
from jobs.rules import Refusal, jobseeker_obligation, sanction_due
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Region, Role, today
from reemployment.core.notify import notify, quiet
from reemployment.core.permissions import actor_user, is_system, require
from reemployment.core.scoping import in_jurisdiction
from reemployment.core.selectors import parameters_in_force
from reemployment.money import round_yuan

logger = logging.getLogger(__name__)
VACANCY_ROLES = {Role.LABOUR, Role.ADMIN}
SEEKER_STAFF_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.LABOUR, Role.ADMIN}
REFERRAL_ROLES = {Role.LABOUR, Role.ADMIN}
SANCTION_ROLES = {Role.COUNTY, Role.ADMIN}


# ---------------------------------------------------------------------- permission helpers


def can_act_for_member(actor, member: Member) -> bool:
    """Staff in the household's jurisdiction, or the recipient whose household this is."""
    if is_system(actor) or actor.is_superuser:
        return True
    if actor.role == Role.RECIPIENT:
        return member.household.account_id == actor.pk
    return actor.role in SEEKER_STAFF_ROLES and in_jurisdiction(actor, member.household.region)


def _clean(instance, exclude=None, constraints: bool = True) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=constraints, validate_constraints=constraints)
    except ValidationError as exc:
        raise DomainError("；".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
                          field_errors=exc.message_dict) from exc


def _enqueue_index_sync(vacancy_ids) -> None:
    """After commit, run the index task: inline (``apply``, in this process) for a few vacancies so
    the change is searchable when the request returns even with remote workers; queued for bulk."""
    from jobs.tasks import sync_vacancy_index

    ids = sorted({int(i) for i in vacancy_ids})
    if not ids:
        return
    if len(ids) <= getattr(settings, "JOBS_INLINE_INDEX_SYNC_MAX", 50):
        def run_inline():
            result = sync_vacancy_index.apply(args=[ids])
            if result.failed():  # the vacancy is saved; the nightly rebuild will catch up
                logger.error("match index sync failed for %s: %s", ids, result.result)

        transaction.on_commit(run_inline)
    else:
        transaction.on_commit(lambda: sync_vacancy_index.delay(ids))


def _enqueue_seeker_encode(seeker_id: int) -> None:
    """After commit, store the profile's vector (one sentence: inline, like a vacancy edit)."""
    from jobs.tasks import encode_seeker

    def run_inline():
        result = encode_seeker.apply(args=[seeker_id])
        if result.failed():  # matching encodes on demand anyway
            logger.error("encoding job seeker %s failed: %s", seeker_id, result.result)

    transaction.on_commit(run_inline)


# ---------------------------------------------------------------------- employers


@transaction.atomic
def employer_save(*, actor, instance: Employer) -> Employer:
    """Register (登记) or edit an employer. Labour-bureau staff of the employer's region."""
    if instance.region_id is None:
        raise DomainError(_("请选择用人单位所在地"), field_errors={"region": [_("必填")]})
    require(actor, instance.region, VACANCY_ROLES, what=_("登记用人单位"))
    instance.name = (instance.name or "").strip()
    _clean(instance, constraints=False)  # the unique name answers 409 below
    before = None
    if instance.pk:
        before = audit.snapshot(Employer.objects.select_for_update().get(pk=instance.pk))
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise Conflict(_("该地已登记同名用人单位“%(name)s”") % {"name": instance.name}) from exc
    audit.record(actor=actor, action="employer.update" if before else "employer.create", obj=instance,
                 region=instance.region, before=before, after=audit.snapshot(instance))
    return instance


def employer_create(*, actor, name: str, region: Region, **fields) -> Employer:
    return employer_save(actor=actor, instance=Employer(name=name, region=region, **fields))


# ---------------------------------------------------------------------- vacancies


def _validate_vacancy(vacancy: Vacancy, *, creating: bool) -> None:
    errors: dict[str, list[str]] = {}
    if vacancy.pay_min is not None and vacancy.pay_max is not None and vacancy.pay_max < vacancy.pay_min:
        errors["pay_max"] = [_("月薪上限不能低于下限")]
    if creating and vacancy.closes_on and vacancy.closes_on < today():
        errors["closes_on"] = [_("截止日期已过")]
    if vacancy.employer_id and vacancy.region_id:
        county = vacancy.region.county() if vacancy.region.level != "county" else vacancy.region
        employer_county = vacancy.employer.region.county() if vacancy.employer.region.level != "county" \
            else vacancy.employer.region
        if county and employer_county and county.pk != employer_county.pk:
            errors["region"] = [_("岗位所在地须与用人单位在同一县")]
    if errors:
        raise DomainError("；".join(m for ms in errors.values() for m in ms), field_errors=errors)


@transaction.atomic
def vacancy_save(*, actor, instance: Vacancy) -> Vacancy:
    """Post (发布) or edit a vacancy. A new vacancy is open; the index follows on commit."""
    if instance.region_id is None or instance.employer_id is None:
        raise DomainError(_("岗位须有用人单位和工作地点"),
                          field_errors={k: [_("必填")] for k in ("employer", "region")
                                        if getattr(instance, f"{k}_id") is None})
    require(actor, instance.region, VACANCY_ROLES, what=_("发布岗位"))
    require(actor, instance.employer.region, VACANCY_ROLES, what=_("发布岗位"))
    creating = instance.pk is None
    instance.occupation = normalise_occupation(instance.occupation)
    instance.certificates = normalise_certificates(instance.certificates or [])
    if not instance.hours:
        instance.hours = Hours.DAY
    _validate_vacancy(instance, creating=creating)
    _clean(instance, exclude=["vector", "search_tokens"])
    before = None
    if not creating:
        current = Vacancy.objects.select_for_update().get(pk=instance.pk)
        before = audit.snapshot(current, _AUDITED_VACANCY_FIELDS)
        if current.status != instance.status:
            raise Conflict(_("请通过关闭/重新开放操作改变岗位状态"))
    else:
        instance.status = VacancyStatus.OPEN
        instance.created_by = actor_user(actor)
    instance.search_tokens = vacancy_tokens(instance)
    instance.save()
    audit.record(actor=actor, action="vacancy.update" if before else "vacancy.create", obj=instance,
                 region=instance.region, before=before, after=audit.snapshot(instance, _AUDITED_VACANCY_FIELDS))
    _enqueue_index_sync([instance.pk])
    return instance


_AUDITED_VACANCY_FIELDS = ["employer", "title", "description", "occupation", "region", "pay_min", "pay_max", "hours",
                           "openings", "requirements", "certificates", "closes_on", "status"]


def vacancy_create(*, actor, **fields) -> Vacancy:
    return vacancy_save(actor=actor, instance=Vacancy(**fields))


@transaction.atomic
def vacancy_set_status(*, actor, vacancy: Vacancy, status: str, note: str = "") -> Vacancy:
    """Close (关闭), mark filled (招满), expire or reopen a vacancy; closed ones leave the index."""
    vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("region").get(pk=vacancy.pk)
    require(actor, vacancy.region, VACANCY_ROLES, what=_("变更岗位状态"))
    if status not in VACANCY_TRANSITIONS.get(vacancy.status, set()):
        raise Conflict(_("岗位状态不能从“%(before)s”变为“%(after)s”") % {
            "before": VacancyStatus(vacancy.status).label, "after": VacancyStatus(status).label}, code="invalid_transition")
    if status == VacancyStatus.OPEN and vacancy.closes_on < today():
        raise DomainError(_("截止日期已过，请先修改截止日期"))
    before = vacancy.status
    vacancy.status = status
    vacancy.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=f"vacancy.{status}", obj=vacancy, region=vacancy.region,
                 before={"status": before}, after={"status": status}, note=note)
    _enqueue_index_sync([vacancy.pk])
    return vacancy


@transaction.atomic
def vacancies_expire(*, actor="system:expire_vacancies", as_of: dt.date | None = None) -> int:
    """Expire (过期) every open vacancy whose closing date has passed. Set-based; idempotent."""
    as_of = as_of or today()
    ids = list(Vacancy.objects.select_for_update().filter(status=VacancyStatus.OPEN, closes_on__lt=as_of)
               .values_list("pk", flat=True))
    if not ids:
        return 0
    Vacancy.objects.filter(pk__in=ids).update(status=VacancyStatus.EXPIRED, updated_at=timezone.now())
    audit.record(actor=actor, action="vacancy.expire", object_type="jobs.vacancy", object_id=",".join(map(str, ids[:50])),
                 object_label=f"{len(ids)} 个岗位过期", after={"status": "expired", "count": len(ids)},
                 note=f"截止日期早于 {as_of}")
    _enqueue_index_sync(ids)
    return len(ids)


# ---------------------------------------------------------------------- job seekers


_PROFILE_FIELDS = ("skills", "experience", "education", "certificates", "desired_occupations", "hours",
                   "physical_limits")


@transaction.atomic
def seeker_save(*, actor, instance: JobSeeker, preferred_townships=None) -> JobSeeker:
    """Register (求职登记) or update a seeker profile: staff in the household's jurisdiction, or the
    recipient for a member of their own household."""
    member = instance.member
    if not can_act_for_member(actor, member):
        raise PermissionDenied(_("只能为本辖区或本户成员进行求职登记"))
    if not member.is_current:
        raise DomainError(_("该成员已死亡或已离户，不能登记"))
    instance.certificates = normalise_certificates(instance.certificates or [])
    instance.desired_occupations = [normalise_occupation(o) for o in (instance.desired_occupations or []) if o]
    instance.hours = [h for h in (instance.hours or []) if h in Hours.values]
    creating = instance.pk is None
    if creating:
        if JobSeeker.objects.filter(member=member).exists():
            raise Conflict(_("该成员已有求职登记，请修改原登记"))
        instance.registered_on = instance.registered_on or today()
        instance.registered_by = actor_user(actor)
    _clean(instance, exclude=["vector", "member", "registered_by"])
    before = None
    if not creating:
        before = audit.snapshot(JobSeeker.objects.select_for_update().get(pk=instance.pk), list(_PROFILE_FIELDS))
    instance.save()
    if preferred_townships is not None:
        instance.preferred_townships.set(preferred_townships)
    audit.record(actor=actor, action="seeker.update" if before else "seeker.register", obj=instance,
                 region=member.household.region, before=before,
                 after=audit.snapshot(instance, list(_PROFILE_FIELDS)))
    _enqueue_seeker_encode(instance.pk)
    return instance


def seeker_register(*, actor, member: Member, preferred_townships=None, **profile) -> JobSeeker:
    return seeker_save(actor=actor, instance=JobSeeker(member=member, **profile),
                       preferred_townships=preferred_townships)


@transaction.atomic
def seeker_set_status(*, actor, seeker: JobSeeker, status: str, note: str = "") -> JobSeeker:
    seeker = JobSeeker.objects.select_for_update(of=("self",)).select_related("member__household__region").get(pk=seeker.pk)
    if not can_act_for_member(actor, seeker.member) or getattr(actor, "role", None) == Role.RECIPIENT:
        raise PermissionDenied()
    before = seeker.status
    seeker.status = status
    seeker.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="seeker.status", obj=seeker, region=seeker.member.household.region,
                 before={"status": before}, after={"status": status}, note=note)
    return seeker


# ---------------------------------------------------------------------- referrals and outcomes


@transaction.atomic
def referral_create(*, actor, seeker: JobSeeker, vacancy: Vacancy, reasons: list[str] | None = None) -> Referral:
    """Refer (推荐岗位) a seeker to an open vacancy. Labour-bureau staff."""
    seeker = JobSeeker.objects.select_related("member__household__region").get(pk=seeker.pk)
    vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("region").get(pk=vacancy.pk)
    require(actor, seeker.member.household.region, REFERRAL_ROLES, what=_("推荐岗位"))
    require(actor, vacancy.region, REFERRAL_ROLES, what=_("推荐岗位"))
    if seeker.status != SeekerStatus.ACTIVE:
        raise Conflict(_("该求职者不在求职状态"))
    if vacancy.status != VacancyStatus.OPEN or vacancy.closes_on < today():
        raise Conflict(_("岗位已关闭或已过截止日期"))
    try:
        with transaction.atomic():
            referral = Referral.objects.create(seeker=seeker, vacancy=vacancy, referred_on=today(),
                                               referred_by=actor_user(actor), match_reasons=list(reasons or []))
    except IntegrityError as exc:
        raise Conflict(_("已向该求职者推荐过此岗位")) from exc
    audit.record(actor=actor, action="referral.create", obj=referral, region=seeker.member.household.region,
                 after=audit.snapshot(referral))
    notify("referral.created", key=f"referral:{referral.pk}", referral=referral)
    return referral


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("月收入格式不正确"),
                          field_errors={"monthly_earnings": [_("格式不正确")]}) from None
    if amount < 0:
        raise DomainError(_("月收入不能为负"))
    return round_yuan(amount)


@transaction.atomic
def referral_record_outcome(*, actor, referral: Referral, outcome: str, outcome_on: dt.date | None = None,
                            start_date: dt.date | None = None, monthly_earnings=None, refusal_reason: str = "",
                            refusal_valid: bool | None = None, note: str = "") -> Referral:
    """Record how a referral ended: hired (start date, monthly earnings → a Hire), refused by the
    seeker (reason; staff may judge it at once or later), rejected by the employer, or no-show."""
    referral = (Referral.objects.select_for_update()
                .select_related("seeker__member__household__region", "vacancy__region").get(pk=referral.pk))
    household = referral.seeker.member.household
    require(actor, household.region, REFERRAL_ROLES, what=_("登记推荐结果"))
    if outcome not in REFERRAL_TRANSITIONS.get(referral.status, set()):
        raise Conflict(_("推荐结果已登记为“%(status)s”") % {"status": ReferralStatus(referral.status).label},
                       code="invalid_transition")
    outcome_on = outcome_on or today()
    if outcome == ReferralStatus.HIRED:
        if start_date is None or monthly_earnings is None:
            raise DomainError(_("录用须填写上岗日期和月收入"),
                              field_errors={k: [_("必填")] for k, v in (("start_date", start_date),
                                                                   ("monthly_earnings", monthly_earnings)) if v is None})
        earnings = _money(monthly_earnings)
    if outcome == ReferralStatus.REFUSED and not (refusal_reason or "").strip():
        raise DomainError(_("请填写拒绝理由"),
                          field_errors={"refusal_reason": [_("必填")]})
    referral.status = outcome
    referral.outcome_on = outcome_on
    referral.outcome_note = note
    if outcome == ReferralStatus.REFUSED:
        referral.refusal_reason = refusal_reason.strip()
        if refusal_valid is not None:
            referral.refusal_valid = refusal_valid
            referral.refusal_judged_by = actor_user(actor)
    referral.save()
    audit.record(actor=actor, action=f"referral.{outcome}", obj=referral, region=household.region,
                 after=audit.snapshot(referral, ["status", "outcome_on", "refusal_reason", "refusal_valid"]), note=note)
    if outcome == ReferralStatus.HIRED:
        hire = Hire.objects.create(
            referral=referral, seeker=referral.seeker, member=referral.seeker.member, household=household,
            vacancy=referral.vacancy, start_date=start_date, monthly_earnings=earnings, recorded_by=actor_user(actor),
        )
        audit.record(actor=actor, action="hire.create", obj=hire, region=household.region, after=audit.snapshot(hire))
        _after_hire(actor=actor, hire=hire)
        JobSeeker.objects.filter(pk=referral.seeker_id).update(status=SeekerStatus.PLACED)
        vacancy = referral.vacancy
        if vacancy.status == VacancyStatus.OPEN and vacancy.hires.count() >= vacancy.openings:
            vacancy_set_status(actor=actor, vacancy=vacancy, status=VacancyStatus.FILLED, note="招聘人数已满")
    if outcome == ReferralStatus.REFUSED and refusal_valid is not None:
        _propose_sanction_if_due(actor=actor, seeker=referral.seeker)
    return referral


def _after_hire(*, actor, hire: Hire) -> None:
    """A hire feeds the joins (DESIGN.md §4, §5), in the same transaction, through the receivers
    registered in :mod:`jobs.hooks`: training placement (输出) for the member's completed courses,
    then a transition-benefit proposal for a recipient household that a county civil-affairs user
    then confirms."""
    hooks.run_after_hire(actor=actor, hire=hire)


@transaction.atomic
def referral_judge_refusal(*, actor, referral: Referral, valid: bool, note: str = "") -> Referral:
    """Staff decide whether a refusal had a valid reason (正当理由); may raise a sanction proposal."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related("seeker__member__household__region").get(
        pk=referral.pk)
    household = referral.seeker.member.household
    require(actor, household.region, REFERRAL_ROLES, what=_("认定拒绝理由"))
    if referral.status != ReferralStatus.REFUSED:
        raise Conflict(_("只有“求职者拒绝”的推荐需要认定理由"))
    before = referral.refusal_valid
    referral.refusal_valid = bool(valid)
    referral.refusal_judged_by = actor_user(actor)
    referral.save(update_fields=["refusal_valid", "refusal_judged_by"])
    audit.record(actor=actor, action="referral.judge_refusal", obj=referral, region=household.region,
                 before={"refusal_valid": before}, after={"refusal_valid": referral.refusal_valid}, note=note)
    _propose_sanction_if_due(actor=actor, seeker=referral.seeker)
    return referral


def _current_enrolment(household: Household) -> Enrolment | None:
    return household.enrolments.exclude(status=EnrolmentStatus.ENDED).first()


def _propose_sanction_if_due(*, actor, seeker: JobSeeker) -> SanctionProposal | None:
    """Raise a proposal when the refusals without valid reason (not used by an earlier proposal,
    and since the current enrolment started) reach ``refusals_before_sanction``."""
    household = seeker.member.household
    if SanctionProposal.objects.filter(seeker=seeker, status=SanctionStatus.PROPOSED).exists():
        return None
    enrolment = _current_enrolment(household)
    refusals = Referral.objects.filter(seeker=seeker, status=ReferralStatus.REFUSED, refusal_valid__isnull=False)
    used = SanctionProposal.refusals.through.objects.filter(sanctionproposal__seeker=seeker).values("referral_id")
    refusals = refusals.exclude(pk__in=used)
    if enrolment is not None:
        refusals = refusals.filter(outcome_on__gte=enrolment.start_date)
    refusals = list(refusals.order_by("outcome_on", "pk"))
    params = parameters_in_force(household.region, today())
    member = seeker.member

    def obliged_on(day) -> bool:
        # Only a refusal made on a day the seeker was obliged (age and sex that day, the county's
        # jobseeker_obligation_areas then) counts [R4].
        if day is None:
            return True
        day_params = parameters_in_force(household.region, day)
        return jobseeker_obligation(member.birth_date, member.sex, True, day, day_params,
                                    area=household.area).obliged

    check = sanction_due([Refusal(valid_reason=bool(r.refusal_valid), refused_on=r.outcome_on,
                                  reason=r.refusal_reason, obliged=obliged_on(r.outcome_on))
                          for r in refusals], params)
    if not check.due:
        counted = [r for r in refusals if not r.refusal_valid and obliged_on(r.outcome_on)]
        if counted and check.refusals_without_valid_reason == check.threshold - 1:  # one more: a warning first
            notify("referral.refusal_warning", key=f"referral:{counted[-1].pk}", referral=counted[-1],
                   count=check.refusals_without_valid_reason, threshold=check.threshold,
                   enrolled=enrolment is not None)
        return None
    if enrolment is not None and enrolment.status == EnrolmentStatus.SUSPENDED:
        return None  # already suspended: nothing more to propose
    kind = SanctionKind.SUSPEND_BENEFIT if enrolment is not None else SanctionKind.DECLINE_APPLICATION
    proposal = SanctionProposal.objects.create(seeker=seeker, household=household, kind=kind,
                                               explanation=check.explanation[:300])
    counted = [r for r in refusals if not r.refusal_valid and obliged_on(r.outcome_on)]
    proposal.refusals.set(counted)
    audit.record(actor=actor, action="sanction.propose", obj=proposal, region=household.region,
                 after={"kind": kind, "refusals": [r.pk for r in counted]},
                 note=check.explanation)
    notify("sanction.proposed", key=f"sanction:{proposal.pk}", proposal=proposal)
    return proposal


@transaction.atomic
def sanction_confirm(*, actor, proposal: SanctionProposal, note: str = "") -> SanctionProposal:
    """A county civil-affairs user confirms (确认) the proposal: the benefit is suspended, or the
    pending application declined."""
    proposal = SanctionProposal.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=proposal.pk)
    require(actor, proposal.household.region, SANCTION_ROLES, what=_("确认处理建议"))
    if SanctionStatus.CONFIRMED not in SANCTION_TRANSITIONS[proposal.status]:
        raise Conflict(_("该建议已处理"), code="invalid_transition")
    reason = f"无正当理由拒绝推荐岗位（处理建议 #{proposal.pk}）：{proposal.explanation}"[:300]
    decision_note = note
    with quiet():  # the decision's own message (below) tells of the suspension or refusal
        if proposal.kind == SanctionKind.SUSPEND_BENEFIT:
            enrolment = _current_enrolment(proposal.household)
            if enrolment is None or enrolment.status in (EnrolmentStatus.SUSPENDED, EnrolmentStatus.ENDED):
                decision_note = (note + "；" if note else "") + "该户当前无可暂停的低保待遇，未作变更"
            else:
                benefits_services.enrolment_suspend(actor=actor, enrolment=enrolment, reason=reason)
        elif benefits_services.application_decline_for_sanction(
                actor=actor, household=proposal.household, reason=reason) is None:
            decision_note = (note + "；" if note else "") + "该户当前没有在办的低保申请，未作变更"
    proposal.status = SanctionStatus.CONFIRMED
    proposal.decided_by = actor_user(actor)
    proposal.decided_at = timezone.now()
    proposal.decision_note = decision_note[:300]
    proposal.save()
    audit.record(actor=actor, action="sanction.confirm", obj=proposal, region=proposal.household.region,
                 before={"status": SanctionStatus.PROPOSED}, after={"status": proposal.status, "kind": proposal.kind},
                 note=decision_note)
    notify("sanction.decided", key=f"sanction:{proposal.pk}", proposal=proposal, changed=decision_note == note)
    return proposal


@transaction.atomic
def sanction_dismiss(*, actor, proposal: SanctionProposal, note: str = "") -> SanctionProposal:
    """A county civil-affairs user dismisses (驳回) the proposal; the benefit is untouched."""
    proposal = SanctionProposal.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=proposal.pk)
    require(actor, proposal.household.region, SANCTION_ROLES, what=_("驳回处理建议"))
    if SanctionStatus.DISMISSED not in SANCTION_TRANSITIONS[proposal.status]:
        raise Conflict(_("该建议已处理"), code="invalid_transition")
    proposal.status = SanctionStatus.DISMISSED
    proposal.decided_by = actor_user(actor)
    proposal.decided_at = timezone.now()
    proposal.decision_note = note[:300]
    proposal.save()
    audit.record(actor=actor, action="sanction.dismiss", obj=proposal, region=proposal.household.region,
                 before={"status": SanctionStatus.PROPOSED}, after={"status": proposal.status}, note=note)
    notify("sanction.decided", key=f"sanction:{proposal.pk}", proposal=proposal)
    return proposal
