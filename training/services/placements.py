"""Placement (输出) of trainees: recorded by staff, or from a hire recorded by jobs (its
after-hire hook), including hires recorded before the completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobs.selectors import hires_started_between
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.permissions import actor_user
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import add_months
from reemployment.money import to_decimal
from training.models import (
    Course,
    EnrolmentStatus,
    Placement,
    PlacementSource,
    TrainingEnrolment,
)
from training.services._common import (
    HIRE_SOURCE,
    SYSTEM,
    _enqueue_assessment,
    _locked_enrolment,
    _require_labour,
)

# --- placement (输出) -----------------------------------------------------------------------------

def placement_window_end(enrolment: TrainingEnrolment) -> dt.date:
    """The last day a job may start and still count as this completer's placement (inclusive)."""
    params = parameters_in_force(enrolment.course.region, enrolment.completed_on)
    return add_months(enrolment.completed_on, params.placement_window_months)


def _check_window(enrolment: TrainingEnrolment, start_date: dt.date) -> None:
    end = placement_window_end(enrolment)
    if not (enrolment.completed_on <= start_date <= end):
        raise DomainError(
            _("上岗日期须在结业日 %(start)s 至 %(end)s 之间才计入输出") % {"start": enrolment.completed_on, "end": end},
            field_errors={"start_date": [_("不在输出期内")]})


@transaction.atomic
def placement_record(*, actor, enrolment: TrainingEnrolment, start_date: dt.date, employer_name: str,
                     evidence: str, monthly_earnings: Decimal | None = None) -> Placement:
    """Staff record a completer's placement with evidence (劳动合同、社保记录…)."""
    enrolment = _locked_enrolment(enrolment)
    _require_labour(actor, enrolment.course.region)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Conflict(_("只有结业学员才能记录输出"))
    if not (evidence or "").strip():
        raise DomainError(_("请填写证明材料"), field_errors={"evidence": [_("必填")]})
    if not (employer_name or "").strip():
        raise DomainError(_("请填写用人单位"), field_errors={"employer_name": [_("必填")]})
    if Placement.objects.filter(enrolment=enrolment).exists():
        raise Conflict(_("该学员已记录输出"))
    _check_window(enrolment, start_date)
    placement = Placement.objects.create(
        enrolment=enrolment, start_date=start_date, employer_name=employer_name.strip()[:120],
        monthly_earnings=None if monthly_earnings in (None, "") else to_decimal(monthly_earnings),
        source=PlacementSource.STAFF, evidence=evidence.strip()[:300],
        recorded_by=actor_user(actor))
    audit.record(actor=actor, action="training.placement.record", obj=placement, region=enrolment.course.region,
                 object_label=f"输出 {enrolment.member.audit_label()}", after=audit.snapshot(placement))
    _enqueue_assessment(enrolment.course_id)
    return placement


@transaction.atomic
def placement_record_from_hire(*, actor, member, start_date: dt.date, employer_name: str,
                               monthly_earnings: Decimal | None, source_id) -> list[Placement]:
    """A hire recorded by jobs places the member's completed courses (输出), idempotently.

    Every completed, not yet placed enrolment of the member whose placement window
    (completion day … completion + ``placement_window_months``, both inclusive) contains
    ``start_date`` is marked placed with source "hire" and ``source_id``. Calling again with the
    same ``source_id`` changes nothing. Returns the placements created by this call. The caller
    (jobs' hire service) has checked the actor's rights over the hire.
    """
    source_id = str(source_id)
    if Placement.objects.filter(source=PlacementSource.HIRE, source_id=source_id,
                                enrolment__member=member).exists():
        return []
    # Lock only the enrolment rows (PostgreSQL cannot lock the outer-joined placement side).
    candidates = (TrainingEnrolment.objects.select_for_update(of=("self",))
                  .filter(member=member, status=EnrolmentStatus.COMPLETED, placement__isnull=True,
                          completed_on__lte=start_date)
                  .select_related("course__region", "member"))
    created = []
    for enrolment in candidates:
        if start_date > placement_window_end(enrolment):
            continue
        placement = _hire_placement_create(actor=actor, enrolment=enrolment, start_date=start_date,
                                           employer_name=employer_name, monthly_earnings=monthly_earnings,
                                           source_id=source_id)
        if placement is not None:
            created.append(placement)
    return created


def placement_record_after_hire(*, actor, hire) -> list[Placement]:
    """jobs' after-hire receiver (registered in :mod:`jobs.hooks` by ``TrainingConfig.ready``):
    :func:`placement_record_from_hire` for a recorded ``jobs.Hire``."""
    employer_name = hire.vacancy.employer.name if hire.vacancy_id else ""
    return placement_record_from_hire(actor=actor, member=hire.member, start_date=hire.start_date,
                                      employer_name=employer_name, monthly_earnings=hire.monthly_earnings,
                                      source_id=f"jobs.hire:{hire.pk}")


def _hire_placement_create(*, actor, enrolment: TrainingEnrolment, start_date: dt.date, employer_name: str,
                           monthly_earnings, source_id: str, note: str = "") -> Placement | None:
    """Create one hire-sourced placement, audited; None if the enrolment was placed meanwhile
    (the one-to-one placement is the database's guard against a concurrent hire or catch-up)."""
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                enrolment=enrolment, start_date=start_date, employer_name=(employer_name or "")[:120],
                monthly_earnings=None if monthly_earnings is None else to_decimal(monthly_earnings),
                source=PlacementSource.HIRE, source_id=str(source_id),
                recorded_by=actor_user(actor))
    except IntegrityError:
        return None
    audit.record(actor=actor or SYSTEM, action="training.placement.from_hire", obj=placement,
                 region=enrolment.course.region, object_label=f"输出 {enrolment.member.audit_label()}",
                 after=audit.snapshot(placement), note=note)
    _enqueue_assessment(enrolment.course_id)
    return placement


def _placement_from_hire(*, actor, enrolment: TrainingEnrolment, hire, note: str) -> Placement | None:
    return _hire_placement_create(
        actor=actor, enrolment=enrolment, start_date=hire.start_date,
        employer_name=hire.vacancy.employer.name if hire.vacancy_id else "", monthly_earnings=hire.monthly_earnings,
        source_id=HIRE_SOURCE.format(pk=hire.pk), note=note)


def _place_from_earlier_hire(*, actor, enrolment: TrainingEnrolment) -> Placement | None:
    """Place a completer whose job was recorded by jobs before the completion was (输出).

    The earliest hire of the member starting between the completion day and the end of the
    placement window (both included) places the enrolment, with the same source as
    :func:`placement_record_from_hire`, so the output rate does not depend on which was entered
    first. Nothing happens when the enrolment is already placed. The caller holds the row lock.
    """
    if Placement.objects.filter(enrolment=enrolment).exists():
        return None
    hire = hires_started_between([enrolment.member_id], enrolment.completed_on,
                                 placement_window_end(enrolment)).first()
    if hire is None:
        return None
    return _placement_from_hire(actor=actor, enrolment=enrolment, hire=hire,
                                note="结业前已登记就业")


def _catch_up_hire_placements(*, actor, course: Course) -> int:
    """Place the course's unplaced completers from hires in their windows. Catches hires and
    completions committed at the same moment, and data entered before hires were looked up at
    completion. One query when there is nothing to do; returns the placements created."""
    unplaced = TrainingEnrolment.objects.filter(course=course, status=EnrolmentStatus.COMPLETED,
                                                placement__isnull=True)
    # Each completer's own window is checked below; members have few hires, so no bound here.
    found = list(hires_started_between(unplaced.values("member_id"), dt.date.min, dt.date.max)
                 .values_list("member_id", "start_date", "pk"))
    if not found:
        return 0
    hires_by_member: dict[int, list[tuple[dt.date, int]]] = {}
    for member_id, start_date, hire_id in found:  # earliest start first
        hires_by_member.setdefault(member_id, []).append((start_date, hire_id))
    created = 0
    for enrolment in (unplaced.select_for_update(of=("self",)).filter(member_id__in=list(hires_by_member))
                      .select_related("member").order_by("id")):
        enrolment.course = course
        window_end = placement_window_end(enrolment)
        hire_id = next((pk for start, pk in hires_by_member[enrolment.member_id]
                        if enrolment.completed_on <= start <= window_end), None)
        if hire_id is None:
            continue
        hire = hires_started_between([enrolment.member_id], enrolment.completed_on, window_end).get(pk=hire_id)
        if _placement_from_hire(actor=actor, enrolment=enrolment, hire=hire,
                                note="考核时补记：结业前或同时登记的就业"):
            created += 1
    return created
