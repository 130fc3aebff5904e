"""Work-incentive services: propose/confirm transitions, end them when due, fast-track checks,
public-interest labour hours. Every rule application is recorded with its parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits import services as benefit_services
from benefits.models import Enrolment, EnrolmentStatus, Household, Member, ReviewKind
from benefits.rules import fast_track_eligible, fast_track_window_end, transition_benefit
from incentives.models import (
    PROPOSAL_TRANSITIONS,
    ProposalStatus,
    PublicLabourRecord,
    RuleApplication,
    RuleName,
    TransitionProposal,
)
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, today
from reemployment.core.scoping import in_jurisdiction
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import month_start, next_month_start
from reemployment.money import to_decimal
from reemployment.policy.parameters import to_jsonable

SYSTEM = "system:incentives"


def _actor_label(actor) -> str:
    return actor if isinstance(actor, str) else getattr(actor, "username", "system")


def _jsonable_map(mapping) -> dict:
    return {k: to_jsonable(k, v) for k, v in dict(mapping).items()}


def record_rule_application(*, actor, household: Household, rule: str, as_of: dt.date, parameters, inputs: dict,
                            result: dict, explanation=()) -> RuleApplication:
    """Append the record of one rule application (called inside the service's transaction)."""
    return RuleApplication.objects.create(
        household=household, rule=rule, as_of=as_of, parameters=_jsonable_map(parameters),
        inputs=audit.jsonable(inputs), result=audit.jsonable(result), explanation=list(explanation),
        actor_label=_actor_label(actor),
    )


def _current_enrolment(household: Household) -> Enrolment | None:
    return household.enrolments.exclude(status=EnrolmentStatus.ENDED).first()


def _tested_earnings(hires) -> Decimal:
    """The earnings the 800-yuan test compares [R4 "月收入在800元以下的"]: the hired person's own
    monthly earnings, not the household's. ``hires`` are (member id, monthly earnings) pairs; a
    person with two jobs counts both, and with several hired persons the highest one person's
    earnings decide (the benefit is halved as soon as one hired person earns 800 or more)."""
    per_person: dict[int, Decimal] = {}
    for member_id, earnings in hires:
        per_person[member_id] = per_person.get(member_id, Decimal(0)) + earnings
    return max(per_person.values(), default=Decimal(0))


@transaction.atomic
def transition_propose(*, actor, member: Member, job_start: dt.date, monthly_earnings: Decimal,
                       source_type: str, source_id: str, employer_name: str = "") -> TransitionProposal | None:
    """Propose the transition benefit when a member of a recipient household starts work [R4].

    Idempotent per (source_type, source_id). Returns None when the household has no payable
    enrolment (nothing to continue), or when the household's area is not in the county's
    ``transition_areas`` (urban only by default, [R4] speaks of 城市低保). The transition starts on the first day of the month after
    the job starts (benefit months are whole months) and uses the parameters in force on the
    job's start date. The threshold test uses the hired person's own monthly earnings [R4
    "月收入在800元以下的"], not the household's (``_tested_earnings``); ``household_earnings`` is
    still recorded for the case file. A second hire in a household that already has a proposal or
    a running transition keeps the first end date: it can lower the amount (a hired person whose
    own earnings reach the threshold), never extend the period.
    """
    existing = TransitionProposal.objects.filter(source_type=source_type, source_id=str(source_id)).first()
    if existing:
        return existing
    earnings = to_decimal(monthly_earnings)
    if earnings < 0:
        raise DomainError(_("月工资不能为负"))
    household = Household.objects.select_for_update().get(pk=member.household_id)
    enrolment = _current_enrolment(household)
    if enrolment is None or enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.TRANSITIONAL):
        return None
    earlier = TransitionProposal.objects.filter(
        household=household, enrolment=enrolment, status__in=[ProposalStatus.PROPOSED, ProposalStatus.CONFIRMED]
    ).order_by("created_at", "id")
    first = earlier.first()
    household_earnings = earnings + sum((p.monthly_earnings for p in earlier), Decimal(0))
    tested = _tested_earnings([(member.pk, earnings), *((p.member_id, p.monthly_earnings) for p in earlier)])
    if household.area not in parameters_in_force(household.region, job_start).transition_areas:
        return None  # the transition is an urban rule by default [R4 城市低保]: a county parameter
    if first is not None:
        # Same period as the first hire, under the parameters in force when it started; previous
        # amount = the amount before any transition.
        params = parameters_in_force(household.region, first.job_start)
        previous = first.previous_amount
        start = first.start
        result = transition_benefit(previous, tested, start, params)
        until = first.until
    else:
        params = parameters_in_force(household.region, job_start)
        previous = enrolment.monthly_amount
        start = month_start(job_start) if job_start.day == 1 else _next_month(job_start)
        result = transition_benefit(previous, tested, start, params)
        until = result.end_date
    proposal = TransitionProposal.objects.create(
        household=household, enrolment=enrolment, member=member, source_type=source_type, source_id=str(source_id),
        job_start=job_start, employer_name=employer_name, monthly_earnings=earnings,
        household_earnings=household_earnings, previous_amount=previous, transition_amount=result.monthly_amount,
        months=first.months if first is not None else result.months, start=start, until=until,
        explanation=list(result.explanation),
    )
    record_rule_application(
        actor=actor, household=household, rule=RuleName.TRANSITION, as_of=job_start,
        parameters=result.parameters_used,
        inputs={"previous_monthly_amount": previous, "new_monthly_earnings": tested,
                "household_earnings": household_earnings, "job_start": job_start, "proposal": proposal.pk},
        result={"monthly_amount": result.monthly_amount, "months": result.months, "start": start, "until": until,
                "share_applied": result.share_applied},
        explanation=result.explanation,
    )
    audit.record(actor=actor, action="transition.propose", obj=proposal, region=household.region,
                 after=audit.snapshot(proposal))
    return proposal


def transition_propose_after_hire(*, actor, hire) -> TransitionProposal | None:
    """jobs' after-hire receiver (registered in :mod:`jobs.hooks` by ``IncentivesConfig.ready``):
    :func:`transition_propose` for a recorded ``jobs.Hire``."""
    employer_name = hire.vacancy.employer.name if hire.vacancy_id else ""
    return transition_propose(actor=actor, member=hire.member, job_start=hire.start_date,
                              monthly_earnings=hire.monthly_earnings, source_type="jobs.hire",
                              source_id=str(hire.pk), employer_name=employer_name)


def _next_month(day: dt.date) -> dt.date:
    return next_month_start(day)


def _decide(actor, proposal: TransitionProposal, new_status: str, note: str) -> TransitionProposal:
    if isinstance(actor, str) or actor is None:
        raise PermissionDenied(_("须由民政工作人员确认"))
    if not (actor.is_superuser or actor.role in (Role.COUNTY, Role.ADMIN)) or not in_jurisdiction(
        actor, proposal.household.region
    ):
        raise PermissionDenied(_("只有本县民政局工作人员可以确认过渡期"))
    if new_status not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise Conflict(_("该申请已%(status)s") % {"status": proposal.get_status_display()})
    proposal.status = new_status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.note = note
    proposal.save()
    return proposal


@transaction.atomic
def transition_confirm(*, actor, proposal: TransitionProposal, note: str = "") -> TransitionProposal:
    """A county user confirms: the enrolment becomes transitional, paying what the confirmed hires
    of this transition together call for.

    The amount is recomputed from every confirmed proposal of the enrolment (the highest one
    hired person's own earnings, the first one's previous amount, period and parameters), so confirming two hires in
    either order ends at the same amount, and a hire that is dismissed never counts.
    """
    proposal = TransitionProposal.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=proposal.pk)
    before = audit.snapshot(proposal)
    _decide(actor, proposal, ProposalStatus.CONFIRMED, note)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=proposal.enrolment_id)
    confirmed = list(TransitionProposal.objects.filter(enrolment=enrolment, status=ProposalStatus.CONFIRMED)
                     .order_by("start", "created_at", "id"))
    anchor = confirmed[0]
    combined = sum((p.monthly_earnings for p in confirmed), Decimal(0))
    tested = _tested_earnings((p.member_id, p.monthly_earnings) for p in confirmed)
    params = parameters_in_force(proposal.household.region, min(p.job_start for p in confirmed))
    result = transition_benefit(anchor.previous_amount, tested, anchor.start, params)
    employers = "、".join(p.employer_name or "就业" for p in confirmed)
    reason = f"就业过渡期：{employers}，月工资合计 {combined} 元"
    record_rule_application(
        actor=actor, household=proposal.household, rule=RuleName.TRANSITION, as_of=anchor.job_start,
        parameters=result.parameters_used,
        inputs={"previous_monthly_amount": anchor.previous_amount, "new_monthly_earnings": tested,
                "household_earnings": combined, "confirmed_proposals": [p.pk for p in confirmed]},
        result={"monthly_amount": result.monthly_amount, "months": anchor.months, "start": anchor.start,
                "until": anchor.until, "share_applied": result.share_applied},
        explanation=result.explanation,
    )
    if enrolment.status == EnrolmentStatus.TRANSITIONAL:
        # A further hire: the amount may drop (a hired person at or over the threshold), the period stays.
        if result.monthly_amount != enrolment.transition_amount:
            benefit_services.enrolment_change_transition_amount(
                actor=actor, enrolment=enrolment, transition_amount=result.monthly_amount, reason=reason,
                effective_on=max(anchor.start, month_start(today())),
            )
    else:
        benefit_services.enrolment_start_transition(
            actor=actor, enrolment=enrolment, transition_amount=result.monthly_amount, until=anchor.until,
            reason=reason, effective_on=anchor.start,
        )
    audit.record(actor=actor, action="transition.confirm", obj=proposal, region=proposal.household.region,
                 before=before, after=audit.snapshot(proposal), note=note)
    return proposal


@transaction.atomic
def transition_dismiss(*, actor, proposal: TransitionProposal, note: str) -> TransitionProposal:
    proposal = TransitionProposal.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=proposal.pk)
    if not note.strip():
        raise DomainError(_("请填写不予适用的理由"), field_errors={"note": ["required"]})
    before = audit.snapshot(proposal)
    _decide(actor, proposal, ProposalStatus.DISMISSED, note)
    audit.record(actor=actor, action="transition.dismiss", obj=proposal, region=proposal.household.region,
                 before=before, after=audit.snapshot(proposal), note=note)
    return proposal


def transitions_end_due(*, as_of: dt.date | None = None) -> int:
    """End every transition whose last covered day is before ``as_of``, apply the review decisions
    made inside the period (they take effect from the first day after it, [R4]), and open the
    transition-end review — unless such a decision ended the benefit.

    Run daily by beat. Idempotent: an ended transition is no longer transitional.
    """
    as_of = as_of or today()
    ended = 0
    due = Enrolment.objects.filter(status=EnrolmentStatus.TRANSITIONAL, transition_until__lt=as_of).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("household").get(pk=pk)
            if enrolment.status != EnrolmentStatus.TRANSITIONAL or enrolment.transition_until >= as_of:
                continue
            until = enrolment.transition_until
            benefit_services.enrolment_end_transition(
                actor=SYSTEM, enrolment=enrolment, reason=f"就业过渡期于 {until} 届满", effective_on=as_of
            )
            # Reviews decided inside the period take effect now, from the first day after it [R4].
            benefit_services.reviews_apply_deferred(actor=SYSTEM, enrolment=enrolment)
            enrolment.refresh_from_db()
            if enrolment.status == EnrolmentStatus.ENDED:
                ended += 1  # a review in the period ended the benefit from today: nothing left to review
                continue
            benefit_services.review_open(
                actor=SYSTEM, household=enrolment.household, kind=ReviewKind.TRANSITION_END,
                reason=f"就业过渡期于 {until} 届满，按规定复核家庭收入", due_on=as_of, enrolment=enrolment,
                source_type="transition", source_id=f"{enrolment.pk}:{until.isoformat()}",
            )
            ended += 1
    return ended


@transaction.atomic
def fast_track_assess(*, actor, household: Household, job_start: dt.date, job_end: dt.date,
                      as_of: dt.date | None = None) -> dict:
    """Whether the household may re-apply by the fast track (快速再纳入, §4 [R4]); recorded.

    Parameters are those in force on ``as_of`` (the application date; default the job's end).
    The job is matched to the household's recorded transition (a confirmed proposal with the same
    start date) when there is one, so the record says which job the re-entry follows.
    Raises ``DomainError`` when the job ends before it starts.
    """
    as_of = as_of or job_end
    params = parameters_in_force(household.region, as_of)
    try:
        eligible = fast_track_eligible(job_start, job_end, params)
    except ValueError as exc:
        raise DomainError(f"就业结束日期早于开始日期 / {exc}", field_errors={"job_end": [str(exc)]}) from exc
    window_end = fast_track_window_end(job_start, params)
    job = (TransitionProposal.objects.filter(household=household, job_start=job_start,
                                             status=ProposalStatus.CONFIRMED).order_by("created_at").first())
    shortened = {"skip_appraisal": params.fast_track_skip_appraisal, "notice_days": params.fast_track_notice_days}
    explanation = [
        f"就业开始 {job_start}，结束 {job_end}；快速通道期限至 {window_end}（{params.fast_track_window_months} 个月）",
        (f"对应已登记的就业过渡期（{job.employer_name or '就业'}，{job.start} 至 {job.until}）" if job
         else "未找到本户已登记的就业过渡期记录，就业起止日期以申请材料为准"),
        "可走快速再纳入程序" if eligible else "已超过快速通道期限，按一般程序申请",
    ]
    record = record_rule_application(
        actor=actor, household=household, rule=RuleName.FAST_TRACK, as_of=as_of,
        parameters={"fast_track_window_months": params.fast_track_window_months,
                    "fast_track_skip_appraisal": params.fast_track_skip_appraisal,
                    "fast_track_notice_days": params.fast_track_notice_days},
        inputs={"job_start": job_start, "job_end": job_end, "transition_proposal": job.pk if job else None},
        result={"eligible": eligible, "window_end": window_end, **(shortened if eligible else {})},
        explanation=explanation,
    )
    return {"eligible": eligible, "window_end": window_end, "explanation": explanation,
            "window_months": params.fast_track_window_months, "rule_application": record.pk,
            "transition_proposal": job.pk if job else None, **(shortened if eligible else {})}


@transaction.atomic
def public_labour_record(*, actor, member: Member, month: dt.date, kind: str, hours: Decimal,
                         note: str = "") -> PublicLabourRecord:
    """Record hours of public-interest labour for a member in a month (community staff)."""
    if isinstance(actor, str) or not (
        actor.is_superuser
        or (actor.role in (Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY) and in_jurisdiction(actor, member.household.region))
    ):
        raise PermissionDenied(_("该成员不在您的辖区"))
    if month.day != 1:
        raise DomainError(_("月份须为当月第一天"), field_errors={"month": ["first day"]})
    if month > month_start(today()):
        raise DomainError(_("不能登记未来月份"), field_errors={"month": ["future"]})
    hours = to_decimal(hours)
    if hours <= 0 or hours > 200:
        raise DomainError(_("小时数须在 0 到 200 之间"), field_errors={"hours": ["range"]})
    record = PublicLabourRecord.objects.create(member=member, month=month, kind=kind, hours=hours, note=note,
                                               recorded_by=actor)
    audit.record(actor=actor, action="public_labour.record", obj=record, region=member.household.region,
                 after=audit.snapshot(record))
    return record


def hours_by_member(month: dt.date, member_ids) -> dict[int, Decimal]:
    rows = (PublicLabourRecord.objects.filter(month=month, member_id__in=member_ids)
            .values("member_id").annotate(total=Sum("hours")))
    return {row["member_id"]: row["total"] for row in rows}
