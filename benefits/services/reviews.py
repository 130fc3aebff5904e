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
from benefits.services.cadre import case_flag_cadre_relative, reviews_flag_cadre_relatives
from benefits.services.enrolments import ENROLMENT_ROLES, enrolment_change, enrolment_end, next_review_date
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
    case_flag_cadre_relative(actor=actor, case=review)  # 干部近亲属备案 [R3]: flagged to the county at intake
    notify("review.due", key=f"review:{review.pk}", review=review)  # announced kinds only (notifications.events)
    return review



REVIEW_ROW_FIELDS = ("household_id", "enrolment_id", "kind", "reason", "due_on", "source_type", "source_id",
                     "region_id")


@transaction.atomic
def reviews_open_many(*, actor, rows: list[dict]) -> dict[tuple, int]:
    """Open many reviews at once (an import's findings): set-based ``review_open``.

    Each row gives the ``REVIEW_ROW_FIELDS`` (``region_id``: the household's community, for the audit).
    Like ``review_open`` it is idempotent per household, kind and source: a row whose review is already
    open opens nothing. Every review opened is audited (``review.open``). Returns ``(household_id, kind,
    source_type, source_id)`` → the id of the open review, for every row."""
    from reemployment.core.bulk import insert_rows

    for row in rows:
        if row["kind"] not in ReviewKind.values:
            raise DomainError(_("未知复核类型 %(kind)s") % {"kind": row["kind"]})

    def key(row: dict) -> tuple:
        return row["household_id"], row["kind"], row["source_type"], str(row["source_id"])

    found: dict[tuple, int] = {}
    household_ids = sorted({row["household_id"] for row in rows})
    for start in range(0, len(household_ids), 5000):
        for review in (Review.objects.filter(household_id__in=household_ids[start:start + 5000], status=ReviewStatus.OPEN,
                                             source_type__in={row["source_type"] for row in rows})
                       .values_list("household_id", "kind", "source_type", "source_id", "id")):
            found[review[:4]] = review[4]
    new = []
    for row in rows:
        if key(row) not in found:
            found[key(row)] = 0  # a second identical row opens nothing either
            new.append(row)
    opened_at = timezone.now()
    ids = insert_rows(Review, ["household_id", "enrolment_id", "kind", "status", "reason", "due_on", "source_type",
                               "source_id", "outcome", "findings", "opened_at"],
                      ((r["household_id"], r["enrolment_id"], r["kind"], ReviewStatus.OPEN, r["reason"][:300], r["due_on"],
                        r["source_type"], str(r["source_id"]), "", "", opened_at) for r in new), len(new))
    for row, pk in zip(new, ids, strict=True):
        found[key(row)] = pk
    audit.record_many(actor=actor, count=len(new), entries=(
        {"action": "review.open", "object_type": "benefits.review", "object_id": pk,
         "object_label": f"复核 {ReviewKind(row['kind']).label} 户 {row['household_id']}", "region_id": row["region_id"],
         "after": {"household_id": row["household_id"], "enrolment_id": row["enrolment_id"], "kind": row["kind"],
                   "status": ReviewStatus.OPEN, "reason": row["reason"][:300], "due_on": row["due_on"],
                   "source_type": row["source_type"], "source_id": str(row["source_id"])},
         "note": row["reason"][:300]}
        for row, pk in zip(new, ids, strict=True)))
    return {key(row): found[key(row)] for row in rows}


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
        reviews_flag_cadre_relatives(actor=actor, kind=ReviewKind.PERIODIC)  # 干部近亲属备案 [R3]
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

    Inside a transition period (就业过渡期 [R4], :func:`_transition_defers`) the decision is recorded
    with its findings but changes nothing yet: it takes effect from the first day after the period
    (``takes_effect_on``), when :func:`reviews_apply_deferred` applies it.

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
        deferred_to = _transition_defers(review, enrolment, on) if current and stop_from is None else None
        if deferred_to is not None:
            # Inside a transition period the household keeps the transition amount to the period's last
            # day [R4]: the findings and the decision are recorded now and take effect when it ends.
            if outcome != ReviewOutcome.KEEP:  # changes and exits are the county's, deferred or not
                require(actor, review.household.region, ENROLMENT_ROLES, what=HOUSEHOLD)
            if outcome == ReviewOutcome.CHANGE:
                review.new_category = new_category or assessment.category
                review.new_amount = round_yuan(new_amount if new_amount is not None else assessment.monthly_amount)
            review.takes_effect_on = deferred_to
            review.effect_pending = True
            note += (f"；就业过渡期内复核（过渡期至 {enrolment.transition_until}）：过渡期内照发过渡期待遇，"
                     f"本结论自 {deferred_to} 起生效")
        elif current:
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
                        "new_amount": review.new_amount, "death_settlement": settled,
                        "takes_effect_on": review.takes_effect_on}, note=note)
    notify("review.decided", key=f"review:{review.pk}", review=review)
    return review


def _transition_defers(review: Review, enrolment: Enrolment, on: dt.date) -> dt.date | None:
    """The day a decision made on ``on`` takes effect when the enrolment is in a transition period
    (就业过渡期 [R4]): the first day after the period — or None when it takes effect as usual.

    Deferred: every review decided while the enrolment is transitional, on or before the period's
    last day — a periodic review already open when the transition started, a change the household
    reported (对象报告变化), a data flag, a tip-off. Not deferred: a death review, or any review behind
    a recorded death (the caller does not ask for those): a death stops the deceased's share from the
    month after the death, transition or not."""
    if (enrolment.status != EnrolmentStatus.TRANSITIONAL or enrolment.transition_until is None
            or on > enrolment.transition_until or review.kind == ReviewKind.DEATH):
        return None
    return next_month_start(enrolment.transition_until)


@transaction.atomic
def reviews_apply_deferred(*, actor, enrolment: Enrolment) -> list[Review]:
    """Apply the decisions made inside the transition period that just ended (``effect_pending``),
    oldest decision first, each from its ``takes_effect_on``: END ends the benefit from that day,
    CHANGE sets the category and amount decided then, KEEP changes nothing. Called when the period
    ends (``incentives.services.transitions_end_due``, after ``enrolment_end_transition``).
    Idempotent: an applied decision is no longer pending. Returns the reviews applied."""
    pending = list(Review.objects.select_for_update(of=("self",)).filter(enrolment=enrolment, effect_pending=True)
                   .order_by("decided_at", "id"))
    for review in pending:
        enrolment.refresh_from_db()
        reason = (f"过渡期内复核 #{review.pk}（{timezone.localtime(review.decided_at):%Y-%m-%d} 作出）过渡期满生效："
                  f"{review.findings}")[:300]
        done = "该待遇已终止，未作变更"
        if enrolment.status == EnrolmentStatus.TRANSITIONAL:
            raise Conflict(_("就业过渡期尚未结束，复核结论不能生效"), code="invalid_transition")
        if enrolment.status != EnrolmentStatus.ENDED:
            if review.outcome == ReviewOutcome.END:
                enrolment_end(actor=actor, enrolment=enrolment, reason=reason, effective_on=review.takes_effect_on)
                done = f"自 {review.takes_effect_on} 起停保"
            elif review.outcome == ReviewOutcome.CHANGE:
                persons = (review.assessment or {}).get("household_size")
                enrolment_change(actor=actor, enrolment=enrolment, category=review.new_category,
                                 monthly_amount=review.new_amount, reason=reason,
                                 effective_on=review.takes_effect_on, persons=persons)
                done = f"自 {review.takes_effect_on} 起调整为 {review.new_category} 类 {review.new_amount} 元"
            else:
                done = "维持原待遇"
        Review.objects.filter(pk=review.pk).update(effect_pending=False)
        review.effect_pending = False
        audit.record(actor=actor, action="review.apply_deferred", obj=review, region=enrolment.household.region,
                     before={"effect_pending": True}, after={"effect_pending": False, "outcome": review.outcome,
                                                             "takes_effect_on": review.takes_effect_on},
                     note=done)
    return pending


