"""Reviews (复核): opening one, periodic opening by beat, and the decision (with death settlement)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.integrity.models import DeathReport
from benefits.models import (
    Category,
    Enrolment,
    EnrolmentStatus,
    Household,
    Review,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
)
from benefits.payroll.models import Overpayment, OverpaymentReason, OverpaymentStatus, PayrollRun, RunStatus
from benefits.payroll.services import (
    overpayment_create,
    overpayment_decide,
    payment_lines_cancel,
    payroll_run_reopen,
)
from benefits.selectors import assess, assessment_json, enrolments_due_for_review
from benefits.services._common import HOUSEHOLD
from benefits.services.enrolments import enrolment_change, enrolment_end, next_review_date
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import Role, today
from reemployment.core.notify import notify, quiet
from reemployment.core.permissions import actor_user, require
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import next_month_start
from reemployment.money import round_yuan


@transaction.atomic
def review_open(*, actor, household: Household, kind: str, reason: str, due_on: dt.date | None = None,
                enrolment: Enrolment | None = None, source_type: str = "", source_id: str = "") -> Review:
    """Open a review (复核) — idempotent per household, kind and source: an open one is returned as is."""
    if kind not in ReviewKind.values:
        raise DomainError(_("未知复核类型 %(kind)s") % {"kind": kind})
    existing = Review.objects.filter(household=household, kind=kind, source_type=source_type,
                                     source_id=str(source_id), status=ReviewStatus.OPEN).first()
    if existing:
        return existing
    if enrolment is None:
        enrolment = household.enrolments.exclude(status=EnrolmentStatus.ENDED).first()
    review = Review.objects.create(
        household=household, enrolment=enrolment, kind=kind, reason=reason, due_on=due_on or today(),
        source_type=source_type, source_id=str(source_id),
    )
    audit.record(actor=actor, action="review.open", obj=review, region=household.region,
                 after=audit.snapshot(review), note=reason)
    notify("review.due", key=f"review:{review.pk}", review=review)  # announced kinds only (notifications.events)
    return review



@transaction.atomic
def reviews_open_periodic(*, as_of: dt.date, actor="system:beat") -> int:
    """Open a PERIODIC review for every current enrolment whose ``next_review_on`` has come
    (urban every 6 months, rural every 12 [R1]). Set-based and idempotent: an enrolment with an
    open periodic review gets no second one.

    No periodic review is scheduled inside a transition period (就业过渡期 [R4]): a transitional
    enrolment is skipped, and so is one whose transition-end review is still open. The transition
    keeps its amount for the whole period, and the review opened when it ends (``TRANSITION_END``,
    ``incentives.services.transitions_end_due``) re-assesses the household then and sets the next
    review date. See docs/work-incentives.md."""
    open_transition_end = Review.objects.filter(enrolment=OuterRef("pk"), kind=ReviewKind.TRANSITION_END,
                                                status=ReviewStatus.OPEN)
    due = list(enrolments_due_for_review(as_of).exclude(status=EnrolmentStatus.TRANSITIONAL)
               .exclude(Exists(open_transition_end)).values_list("pk", "household_id", "next_review_on"))
    reviews = [
        Review(household_id=household_id, enrolment_id=pk, kind=ReviewKind.PERIODIC,
               reason=f"定期复核（应复核日期 {next_on}）", due_on=next_on + dt.timedelta(days=30),
               source_type="enrolment", source_id=f"{pk}:{next_on}")
        for pk, household_id, next_on in due
    ]
    Review.objects.bulk_create(reviews, batch_size=2000, ignore_conflicts=True)
    notify("review.due", key=f"periodic:{as_of}", as_of=as_of)  # set-based, after commit
    if reviews:
        audit.record(actor=actor, action="review.open_periodic", object_type="benefits.review",
                     object_id="", object_label=f"{len(reviews)} 户定期复核", after={"count": len(reviews),
                                                                                  "as_of": as_of})
    return len(reviews)


def _death_stop_from(review: Review) -> dt.date | None:
    """The first month a recorded death behind this review stops the deceased's share: the death report's
    ``stop_from`` (the month after the death), or None when the review has no recorded death. A report
    received from a department file and not yet confirmed has no ``stop_from``, so it does not count."""
    months = DeathReport.objects.filter(review=review, stop_from__isnull=False).values_list("stop_from", flat=True)
    return min(months, default=None)


DEATH_REVIEW_SOURCE = "benefits.review"  # the source of what a death review claims back (one claim per line)


def _settle_death_months(*, actor, review: Review, enrolment: Enrolment, stop_from: dt.date, ended: bool) -> dict:
    """A review prompted by a death changed (or ended) the benefit from ``stop_from``, not from the decision
    day: the months in between were paid for a person who had died.

    * unpaid lines (unlocked months) from ``stop_from`` are withdrawn — the next computation of the month
      pays the new amount — and a run already reviewed goes back to computed (its totals changed);
    * for every paid line (locked month) from ``stop_from``: due = amount paid − the new amount (0 when
      ended). What the death report already claimed for that line is counted: more is claimed when due
      exceeds it; when the report's provisional claim (the deceased's per-person share) exceeds due and is
      still open, it is waived and replaced by the exact amount; anything already recovered above what
      was due is reported as ``to_refund``.

    Idempotent per line and review (``one_overpayment_per_line_source``)."""
    reviewed = list(PayrollRun.objects.filter(status=RunStatus.REVIEWED, payment_lines__enrolment=enrolment,
                                              payment_lines__month__gte=stop_from).distinct())
    paid = payment_lines_cancel(actor=actor, enrolment=enrolment, from_month=stop_from,
                                reason=f"复核 #{review.pk}：自 {stop_from:%Y-%m} 起按死亡后的家庭调整")
    for run in reviewed:
        payroll_run_reopen(actor=actor, run=run)
    source_id = str(review.pk)
    claimed_now, to_refund, claims = Decimal("0.00"), Decimal("0.00"), 0
    for line in sorted(paid, key=lambda line: line.month):
        new_amount = Decimal("0.00") if ended else enrolment.amount_for_month(line.month)
        due = max(line.amount - new_amount, Decimal("0.00"))
        earlier = list(Overpayment.objects.filter(payment_line=line, reason=OverpaymentReason.DEATH)
                       .exclude(status=OverpaymentStatus.WAIVED).order_by("id"))
        claimed = sum((o.amount for o in earlier), Decimal("0.00"))
        for provisional in earlier:
            if claimed <= due:
                break
            if provisional.status == OverpaymentStatus.OPEN and provisional.source_type != DEATH_REVIEW_SOURCE:
                overpayment_decide(
                    actor=actor, overpayment=provisional, status=OverpaymentStatus.WAIVED,
                    decision=f"复核 #{review.pk} 核定 {line.month:%Y-%m} 多发 {due} 元（已发 {line.amount}，"
                             f"应发 {new_amount}），以复核结果为准，本笔预登记的 {provisional.amount} 元不再追回")
                claimed -= provisional.amount
        if due > claimed:
            overpayment_create(
                actor=actor, household=enrolment.household, amount=due - claimed, reason=OverpaymentReason.DEATH,
                payment_line=line, source_type=DEATH_REVIEW_SOURCE, source_id=source_id,
                note=f"复核 #{review.pk}：{line.month:%Y-%m} 已发 {line.amount} 元，家庭成员死亡后应发 {new_amount} 元，"
                     f"多发 {due} 元，已登记追回 {claimed} 元")
            claimed_now += due - claimed
            claims += 1
        else:
            to_refund += claimed - due
    return {"effective_from": stop_from, "claims": claims, "claimed": claimed_now, "to_refund": to_refund,
            "withdrawn_from": stop_from, "runs_reopened": [run.pk for run in reviewed]}


@transaction.atomic
def review_decide(*, actor, review: Review, outcome: str, findings: str, new_category: str | None = None,
                  new_amount: Decimal | None = None, on: dt.date | None = None) -> Review:
    """Decide a review: keep, change or end the benefit. The household is re-assessed with the rules on
    ``on``: if its income is at or above the standard (or assets over the limits) the benefit ends
    whatever was proposed (应退尽退). CHANGE uses the given category/amount, else the assessment's.
    Township staff may decide KEEP; changes and exits are the county's (enrolment services check).

    A review behind a recorded death (死亡报告) takes effect from the death report's ``stop_from`` — the
    month after the death — not from the decision: see :func:`_settle_death_months`. It cannot keep a
    benefit whose number of persons the death changed."""
    on = on or today()
    review = Review.objects.select_for_update(of=("self",)).select_related("household__region", "enrolment").get(pk=review.pk)
    require(actor, review.household.region, {Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}, what=HOUSEHOLD)
    if review.status != ReviewStatus.OPEN:
        raise Conflict(_("该复核已处理"), code="already_decided")
    if outcome not in ReviewOutcome.values:
        raise DomainError(_("请选择复核结论"), field_errors={"outcome": [_("无效")]})
    if not findings.strip():
        raise DomainError(_("请填写核查情况"), field_errors={"findings": [_("必填")]})
    if new_category and new_category not in Category.values:
        raise DomainError(_("类别无效"), field_errors={"new_category": [_("无效")]})
    assessment = assess(review.household, on)
    enrolment = review.enrolment
    if enrolment is not None:
        enrolment.refresh_from_db()
    current = enrolment is not None and enrolment.status != EnrolmentStatus.ENDED
    stop_from = _death_stop_from(review) if current else None
    note = findings
    if not assessment.eligible and current:
        outcome = ReviewOutcome.END
        note = findings + "；按规则核算不再符合条件：" + "；".join(assessment.reasons)
    if (stop_from is not None and outcome == ReviewOutcome.KEEP
            and assessment.household_size != enrolment.persons):
        raise DomainError(
            _("家庭成员已死亡，保障人数由 %(persons)s 人变为 %(household_size)s 人，须调整保障金或停保") % {
                "persons": enrolment.persons, "household_size": assessment.household_size},
            field_errors={"outcome": [_("须调整或停保")]})
    settled = None
    # The review's message tells of the change or end it makes: those send nothing of their own.
    with quiet():
        if current:
            if outcome == ReviewOutcome.END:
                ended = enrolment_end(actor=actor, enrolment=enrolment, reason=f"复核停保：{note}"[:300],
                                      effective_on=stop_from or next_month_start(on))
                if stop_from is not None:
                    settled = _settle_death_months(actor=actor, review=review, enrolment=ended, stop_from=stop_from,
                                                   ended=True)
            elif outcome == ReviewOutcome.CHANGE:
                category = new_category or assessment.category
                amount = new_amount if new_amount is not None else assessment.monthly_amount
                changed = enrolment_change(actor=actor, enrolment=enrolment, category=category, monthly_amount=amount,
                                           reason=f"复核调整：{findings}"[:300], effective_on=stop_from or on,
                                           persons=assessment.household_size)
                review.new_category, review.new_amount = category, round_yuan(amount)
                if stop_from is not None:
                    settled = _settle_death_months(actor=actor, review=review, enrolment=changed, stop_from=stop_from,
                                                   ended=False)
            if outcome != ReviewOutcome.END:
                params = parameters_in_force(review.household.region, on)
                Enrolment.objects.filter(pk=enrolment.pk).update(
                    next_review_on=next_review_date(enrolment.area, on, params))
    if settled is not None:
        note += (f"；死亡成员份额自 {stop_from:%Y-%m} 起调整，追回 {settled['claims']} 笔共 {settled['claimed']} 元"
                 + (f"，多追回 {settled['to_refund']} 元应予退还" if settled["to_refund"] else ""))
    before = {"status": review.status}
    review.status = ReviewStatus.DECIDED
    review.outcome = outcome
    review.findings = note
    review.decided_by = actor_user(actor)
    review.decided_at = timezone.now()
    review.assessment = assessment_json(assessment)
    review.save()
    audit.record(actor=actor, action="review.decide", obj=review, region=review.household.region, before=before,
                 after={"status": review.status, "outcome": outcome, "new_category": review.new_category,
                        "new_amount": review.new_amount, "death_settlement": settled}, note=note)
    notify("review.decided", key=f"review:{review.pk}", review=review)
    return review


