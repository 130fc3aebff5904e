"""Enrolment (待遇) state changes. Status changes follow ``ENROLMENT_TRANSITIONS`` (benefits/models.py)
and each writes an append-only ``EnrolmentEvent`` besides the audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from benefits.models import (
    ENROLMENT_TRANSITIONS,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
)
from benefits.services._common import _actor_user, require_in_jurisdiction
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import Role, today
from reemployment.dates import add_months, month_start
from reemployment.money import round_yuan


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=enrolment.pk)


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
        transition_amount_after=enrolment.transition_amount if enrolment.status == EnrolmentStatus.TRANSITIONAL else None,
        transition_until_after=enrolment.transition_until if enrolment.status == EnrolmentStatus.TRANSITIONAL else None,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写原因 / give the reason", field_errors={"reason": ["必填"]})
    return reason


def _state(enrolment: Enrolment) -> dict:
    return {"status": enrolment.status, "category": enrolment.category, "monthly_amount": enrolment.monthly_amount,
            "transition_amount": enrolment.transition_amount, "transition_from": enrolment.transition_from,
            "transition_until": enrolment.transition_until,
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
    reason = _require_reason(reason)
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
    """Resume a suspended benefit (恢复发放): payable again from the next computation."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    reason = _require_reason(reason)
    if enrolment.status != EnrolmentStatus.SUSPENDED:
        # A transition period ends through enrolment_end_transition, which also clears its amount.
        raise Conflict("只有暂停的待遇可以恢复 / only a suspended enrolment can be resumed", code="invalid_transition")
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
    reason = _require_reason(reason)
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ENDED)
    enrolment.end_date = effective_on
    enrolment.transition_amount = None
    enrolment.transition_from = None
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
    """Enter the transition benefit (就业过渡期, §4 [R4]): ``transition_amount`` is paid for the months
    from ``effective_on`` (the first of a month) to ``until``; months outside it pay the normal amount."""
    if until < effective_on:
        raise DomainError("过渡期截止日期早于起始日期 / the transition ends before it starts")
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.TRANSITIONAL)
    enrolment.transition_amount = round_yuan(transition_amount)
    enrolment.transition_from = month_start(effective_on)
    enrolment.transition_until = until
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.TRANSITION_START, actor=actor, reason=reason,
           effective_on=effective_on, before=before)
    audit.record(actor=actor, action="enrolment.transition_start", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_change_transition_amount(*, actor, enrolment: Enrolment, transition_amount: Decimal, reason: str,
                                       effective_on: dt.date) -> Enrolment:
    """Change what a running transition pays (a further hire in the household); the period stays."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    if enrolment.status != EnrolmentStatus.TRANSITIONAL:
        raise Conflict("该待遇不在就业过渡期 / the enrolment is not transitional", code="invalid_transition")
    if transition_amount < 0:
        raise DomainError("保障金不能为负 / the amount cannot be negative")
    before = _state(enrolment)
    enrolment.transition_amount = round_yuan(transition_amount)
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.AMOUNT_CHANGE, actor=actor, reason=reason,
           effective_on=effective_on, before=before)
    audit.record(actor=actor, action="enrolment.transition_amount_change", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_end_transition(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """The transition period is over: back to the normal amount, pending the review it opens."""
    enrolment = _lock_enrolment(enrolment)
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ACTIVE)
    enrolment.transition_amount = None
    enrolment.transition_from = None
    enrolment.transition_until = None
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.TRANSITION_END, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.transition_end", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment



