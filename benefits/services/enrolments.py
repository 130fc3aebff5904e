"""Enrolment (待遇) state changes. Status changes follow ``ENROLMENT_TRANSITIONS`` (benefits/models.py)
and each writes an append-only ``EnrolmentEvent`` besides the audit event.

Every change after the entry goes through :func:`_transition`: lock → guard → validate → save →
event → audit, so the seven services below only say what differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from benefits.models import (
    ENROLMENT_TRANSITIONS,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
)
from benefits.services._common import HOUSEHOLD
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import Role, today
from reemployment.core.notify import notify
from reemployment.core.permissions import actor_user, require
from reemployment.dates import add_months, month_start
from reemployment.money import round_yuan

ENROLMENT_ROLES = frozenset({Role.COUNTY, Role.ADMIN})  # entering, changing and ending a benefit is county business


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=enrolment.pk)


def _change_status(enrolment: Enrolment, new_status: str) -> None:
    if new_status not in ENROLMENT_TRANSITIONS[enrolment.status]:
        raise Conflict(
            _("待遇状态不能从“%(before)s”变为“%(after)s”") % {
                "before": EnrolmentStatus(enrolment.status).label, "after": EnrolmentStatus(new_status).label},
            code="invalid_transition",
        )
    enrolment.status = new_status


def _event(enrolment, *, kind, actor, reason, effective_on, before: dict) -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=kind, effective_on=effective_on, reason=reason, actor=actor_user(actor),
        status_before=before["status"], status_after=enrolment.status,
        category_before=before["category"], category_after=enrolment.category,
        amount_before=before["monthly_amount"], amount_after=enrolment.monthly_amount,
        transition_amount_after=enrolment.transition_amount if enrolment.status == EnrolmentStatus.TRANSITIONAL else None,
        transition_until_after=enrolment.transition_until if enrolment.status == EnrolmentStatus.TRANSITIONAL else None,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因"), field_errors={"reason": [_("必填")]})
    return reason


def _require_amount(amount: Decimal) -> None:
    if amount < 0:
        raise DomainError(_("保障金不能为负"))


def _state(enrolment: Enrolment) -> dict:
    return {"status": enrolment.status, "category": enrolment.category, "monthly_amount": enrolment.monthly_amount,
            "transition_amount": enrolment.transition_amount, "transition_from": enrolment.transition_from,
            "transition_until": enrolment.transition_until,
            "end_date": enrolment.end_date, "next_review_on": enrolment.next_review_on}


def _clear_transition(enrolment: Enrolment) -> None:
    enrolment.transition_amount = None
    enrolment.transition_from = None
    enrolment.transition_until = None


def _transition(*, actor, enrolment: Enrolment, action: str, kind: str, reason: str, effective_on: dt.date,
                status: str | None = None, roles=ENROLMENT_ROLES, reason_required: bool = False,
                check: Callable[[Enrolment], None] | None = None,
                apply: Callable[[Enrolment], None] | None = None) -> Enrolment:
    """The one way an enrolment changes: lock the row, check the actor (``roles``; None = the caller
    already decided, e.g. the end of a transition period by rule), require a reason when asked, run
    ``check`` on the locked row, move to ``status`` along ``ENROLMENT_TRANSITIONS``, ``apply`` the field
    changes, save, and write the enrolment event and the audit event (``enrolment.<action>``)."""
    enrolment = _lock_enrolment(enrolment)
    if roles is not None:
        require(actor, enrolment.household.region, roles, what=HOUSEHOLD)
    if reason_required:
        reason = _require_reason(reason)
    if check is not None:
        check(enrolment)
    before = _state(enrolment)
    if status is not None:
        _change_status(enrolment, status)
    if apply is not None:
        apply(enrolment)
    enrolment.save()
    event = _event(enrolment, kind=kind, actor=actor, reason=reason, effective_on=effective_on, before=before)
    audit.record(actor=actor, action=f"enrolment.{action}", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    notify("enrolment.changed", key=f"enrolment-event:{event.pk}", enrolment=enrolment, event=event, action=action)
    return enrolment


def next_review_date(area: str, from_date: dt.date, params) -> dt.date:
    months = params.review_interval_months_urban if area == "urban" else params.review_interval_months_rural
    return add_months(from_date, months)


@transaction.atomic
def enrolment_start(*, actor, household: Household, category: str, monthly_amount: Decimal, persons: int,
                    start_date: dt.date, certificate_number: str, next_review_on: dt.date | None = None,
                    reason: str = "审批纳入低保") -> Enrolment:
    """Enter a household into the benefit (纳入) with its first history entry."""
    require(actor, household.region, ENROLMENT_ROLES, what=HOUSEHOLD)
    _require_amount(monthly_amount)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                household=household, area=household.area, category=category, monthly_amount=round_yuan(monthly_amount),
                persons=persons, start_date=start_date, certificate_number=certificate_number,
                next_review_on=next_review_on, status=EnrolmentStatus.ACTIVE,
            )
    except IntegrityError as exc:
        raise Conflict(_("该家庭已有在保待遇或证号重复")) from exc
    EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=EnrolmentEventKind.ENTRY, effective_on=start_date, reason=reason,
        actor=actor_user(actor), status_after=enrolment.status, category_after=category,
        amount_after=enrolment.monthly_amount,
    )
    audit.record(actor=actor, action="enrolment.start", obj=enrolment, region=household.region,
                 after=audit.snapshot(enrolment))
    return enrolment


@transaction.atomic
def enrolment_suspend(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date | None = None) -> Enrolment:
    """Suspend payment (暂停), e.g. after a confirmed sanction or a pending review."""
    return _transition(actor=actor, enrolment=enrolment, action="suspend", kind=EnrolmentEventKind.SUSPENSION,
                       reason=reason, reason_required=True, effective_on=effective_on or today(),
                       status=EnrolmentStatus.SUSPENDED)


def _must_be_suspended(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.SUSPENDED:
        # A transition period ends through enrolment_end_transition, which also clears its amount.
        raise Conflict(_("只有暂停的待遇可以恢复"), code="invalid_transition")


@transaction.atomic
def enrolment_resume(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date | None = None) -> Enrolment:
    """Resume a suspended benefit (恢复发放): payable again from the next computation."""
    return _transition(actor=actor, enrolment=enrolment, action="resume", kind=EnrolmentEventKind.RESUMPTION,
                       reason=reason, reason_required=True, effective_on=effective_on or today(),
                       check=_must_be_suspended, status=EnrolmentStatus.ACTIVE)


@transaction.atomic
def enrolment_end(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """End the benefit (退出, 应退尽退). No payment is due for months starting on or after ``effective_on``."""
    def apply(row: Enrolment) -> None:
        row.end_date = effective_on
        _clear_transition(row)

    return _transition(actor=actor, enrolment=enrolment, action="end", kind=EnrolmentEventKind.EXIT,
                       reason=reason, reason_required=True, effective_on=effective_on,
                       status=EnrolmentStatus.ENDED, apply=apply)


@transaction.atomic
def enrolment_change(*, actor, enrolment: Enrolment, category: str, monthly_amount: Decimal, reason: str,
                     effective_on: dt.date, persons: int | None = None) -> Enrolment:
    """Change category and/or amount (调整), e.g. after a review."""
    def check(row: Enrolment) -> None:
        if row.status == EnrolmentStatus.ENDED:
            raise Conflict(_("已退出的待遇不能调整"))
        _require_amount(monthly_amount)

    def apply(row: Enrolment) -> None:
        row.category = category
        row.monthly_amount = round_yuan(monthly_amount)
        if persons is not None:
            row.persons = persons

    return _transition(actor=actor, enrolment=enrolment, action="change", kind=EnrolmentEventKind.AMOUNT_CHANGE,
                       reason=reason, effective_on=effective_on, check=check, apply=apply)


@transaction.atomic
def enrolment_start_transition(*, actor, enrolment: Enrolment, transition_amount: Decimal, until: dt.date,
                               reason: str, effective_on: dt.date) -> Enrolment:
    """Enter the transition benefit (就业过渡期, §4 [R4]): ``transition_amount`` is paid for the months
    from ``effective_on`` (the first of a month) to ``until``; months outside it pay the normal amount."""
    if until < effective_on:
        raise DomainError(_("过渡期截止日期早于起始日期"))

    def apply(row: Enrolment) -> None:
        row.transition_amount = round_yuan(transition_amount)
        row.transition_from = month_start(effective_on)
        row.transition_until = until

    return _transition(actor=actor, enrolment=enrolment, action="transition_start",
                       kind=EnrolmentEventKind.TRANSITION_START, reason=reason, effective_on=effective_on,
                       status=EnrolmentStatus.TRANSITIONAL, apply=apply)


@transaction.atomic
def enrolment_change_transition_amount(*, actor, enrolment: Enrolment, transition_amount: Decimal, reason: str,
                                       effective_on: dt.date) -> Enrolment:
    """Change what a running transition pays (a further hire in the household); the period stays."""
    def check(row: Enrolment) -> None:
        if row.status != EnrolmentStatus.TRANSITIONAL:
            raise Conflict(_("该待遇不在就业过渡期"), code="invalid_transition")
        _require_amount(transition_amount)

    def apply(row: Enrolment) -> None:
        row.transition_amount = round_yuan(transition_amount)

    return _transition(actor=actor, enrolment=enrolment, action="transition_amount_change",
                       kind=EnrolmentEventKind.AMOUNT_CHANGE, reason=reason, effective_on=effective_on,
                       check=check, apply=apply)


@transaction.atomic
def enrolment_end_transition(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """The transition period is over: back to the normal amount, pending the review it opens. Not
    guarded: the period ends by rule (beat) or when the proposal that started it is withdrawn, and the
    caller has already checked who may do that."""
    return _transition(actor=actor, enrolment=enrolment, action="transition_end",
                       kind=EnrolmentEventKind.TRANSITION_END, reason=reason, effective_on=effective_on,
                       status=EnrolmentStatus.ACTIVE, roles=None, apply=_clear_transition)
