"""State changes of benefit records. Each is atomic, validated first, and audited.

Enrolment status changes follow ``ENROLMENT_TRANSITIONS`` (benefits/models.py) and each
writes an append-only ``EnrolmentEvent`` besides the audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, today
from reemployment.core.scoping import in_jurisdiction
from reemployment.dates import add_months
from reemployment.money import round_yuan

from benefits.models import (
    ENROLMENT_TRANSITIONS,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
    Review,
    ReviewKind,
    ReviewStatus,
)

CASEWORK_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}


def require_in_jurisdiction(actor, household: Household, roles=CASEWORK_ROLES) -> None:
    """Staff may act only on households inside their jurisdiction and only in a casework role.
    A string actor ("system:...") is the service itself (beat, imports) and is allowed."""
    if isinstance(actor, str) or actor is None:
        return
    if actor.is_superuser:
        return
    if actor.role not in roles or not in_jurisdiction(actor, household.region):
        raise PermissionDenied("该家庭不在您的辖区或您无此权限 / this household is outside your jurisdiction or role")


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("household__region").get(pk=enrolment.pk)


def _change_status(enrolment: Enrolment, new_status: str) -> None:
    if new_status not in ENROLMENT_TRANSITIONS[enrolment.status]:
        raise Conflict(
            f"待遇状态不能从“{EnrolmentStatus(enrolment.status).label}”变为“{EnrolmentStatus(new_status).label}” / "
            f"cannot change an enrolment from {enrolment.status} to {new_status}",
            code="invalid_transition",
        )
    enrolment.status = new_status


def _event(enrolment, *, kind, actor, reason, effective_on, before: dict) -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=kind, effective_on=effective_on, reason=reason, actor=_actor_user(actor),
        status_before=before["status"], status_after=enrolment.status,
        category_before=before["category"], category_after=enrolment.category,
        amount_before=before["monthly_amount"], amount_after=enrolment.monthly_amount,
    )


def _state(enrolment: Enrolment) -> dict:
    return {"status": enrolment.status, "category": enrolment.category, "monthly_amount": enrolment.monthly_amount,
            "transition_amount": enrolment.transition_amount, "transition_until": enrolment.transition_until,
            "end_date": enrolment.end_date, "next_review_on": enrolment.next_review_on}


def next_review_date(area: str, from_date: dt.date, params) -> dt.date:
    months = params.review_interval_months_urban if area == "urban" else params.review_interval_months_rural
    return add_months(from_date, months)


@transaction.atomic
def enrolment_start(*, actor, household: Household, category: str, monthly_amount: Decimal, persons: int,
                    start_date: dt.date, certificate_number: str, next_review_on: dt.date | None = None,
                    reason: str = "审批纳入低保") -> Enrolment:
    """Enter a household into the benefit (纳入) with its first history entry."""
    require_in_jurisdiction(actor, household, roles={Role.COUNTY, Role.ADMIN})
    if monthly_amount < 0:
        raise DomainError("保障金不能为负 / the amount cannot be negative")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                household=household, area=household.area, category=category, monthly_amount=round_yuan(monthly_amount),
                persons=persons, start_date=start_date, certificate_number=certificate_number,
                next_review_on=next_review_on, status=EnrolmentStatus.ACTIVE,
            )
    except IntegrityError as exc:
        raise Conflict("该家庭已有在保待遇或证号重复 / the household already has a current enrolment, "
                       "or the certificate number is taken") from exc
    EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=EnrolmentEventKind.ENTRY, effective_on=start_date, reason=reason,
        actor=_actor_user(actor), status_after=enrolment.status, category_after=category,
        amount_after=enrolment.monthly_amount,
    )
    audit.record(actor=actor, action="enrolment.start", obj=enrolment, region=household.region,
                 after=audit.snapshot(enrolment))
    return enrolment


@transaction.atomic
def enrolment_suspend(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date | None = None) -> Enrolment:
    """Suspend payment (暂停), e.g. after a confirmed sanction or a pending review."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.SUSPENDED)
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.SUSPENSION, actor=actor, reason=reason,
           effective_on=effective_on or today(), before=before)
    audit.record(actor=actor, action="enrolment.suspend", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_resume(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date | None = None) -> Enrolment:
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ACTIVE)
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.RESUMPTION, actor=actor, reason=reason,
           effective_on=effective_on or today(), before=before)
    audit.record(actor=actor, action="enrolment.resume", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_end(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """End the benefit (退出, 应退尽退). No payment is due for months starting on or after ``effective_on``."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ENDED)
    enrolment.end_date = effective_on
    enrolment.transition_amount = None
    enrolment.transition_until = None
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.EXIT, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.end", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_change(*, actor, enrolment: Enrolment, category: str, monthly_amount: Decimal, reason: str,
                     effective_on: dt.date, persons: int | None = None) -> Enrolment:
    """Change category and/or amount (调整), e.g. after a review."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    if enrolment.status == EnrolmentStatus.ENDED:
        raise Conflict("已退出的待遇不能调整 / an ended enrolment cannot be changed")
    if monthly_amount < 0:
        raise DomainError("保障金不能为负 / the amount cannot be negative")
    before = _state(enrolment)
    enrolment.category = category
    enrolment.monthly_amount = round_yuan(monthly_amount)
    if persons is not None:
        enrolment.persons = persons
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.AMOUNT_CHANGE, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.change", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_start_transition(*, actor, enrolment: Enrolment, transition_amount: Decimal, until: dt.date,
                               reason: str, effective_on: dt.date) -> Enrolment:
    """Enter the transition benefit (就业过渡期, §4 [R4]): ``transition_amount`` is paid until ``until``."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.TRANSITIONAL)
    enrolment.transition_amount = round_yuan(transition_amount)
    enrolment.transition_until = until
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.TRANSITION_START, actor=actor, reason=reason,
           effective_on=effective_on, before=before)
    audit.record(actor=actor, action="enrolment.transition_start", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_end_transition(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """The transition period is over: back to the normal amount, pending the review it opens."""
    enrolment = _lock_enrolment(enrolment)
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ACTIVE)
    enrolment.transition_amount = None
    enrolment.transition_until = None
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.TRANSITION_END, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.transition_end", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def review_open(*, actor, household: Household, kind: str, reason: str, due_on: dt.date | None = None,
                enrolment: Enrolment | None = None, source_type: str = "", source_id: str = "") -> Review:
    """Open a review (复核) — idempotent per household, kind and source: an open one is returned as is."""
    if kind not in ReviewKind.values:
        raise DomainError(f"未知复核类型 {kind} / unknown review kind {kind}")
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
    return review


def now():
    return timezone.now()
