"""State changes of training (DESIGN.md §5, [R4]). Each service is atomic and audited.

Who may do what:
- labour-bureau staff (``Role.LABOUR``) of the course's jurisdiction manage providers, courses,
  rosters (attendance, completion, assessment, certificates), placements, reviews and subsidies;
- community / township staff enrol members of their jurisdiction and record survey wishes;
- a recipient (``Role.RECIPIENT``) signs up and withdraws members of their own household;
- system administrators may do everything.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from jobs.matching.text import CERTIFICATES
from jobs.selectors import hires_started_between, registered_seeker_member_ids, seeker_id_for_member
from jobs.tasks import encode_seeker
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, today
from reemployment.core.scoping import in_jurisdiction
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import add_months
from reemployment.money import to_decimal
from reemployment.policy.parameters import to_jsonable
from training.models import (
    COURSE_TRANSITIONS,
    ENROLMENT_TRANSITIONS,
    HOLDS_PLACE,
    AccountabilityReview,
    Attendance,
    Course,
    CourseStatus,
    EnrolmentStatus,
    Placement,
    PlacementSource,
    Provider,
    ReviewStatus,
    SubsidyPayment,
    SubsidyStatus,
    TrainingEnrolment,
    TrainingWish,
)
from training.rules import OUTCOME_REVIEW, OUTCOME_REWARD, assess_course
from training.tasks import course_assess_task

SYSTEM = "system:training"
# Placements from jobs' hires carry the hire as their source (the same id whichever side is
# recorded first: jobs.services._after_hire passes f"jobs.hire:{pk}").
HIRE_SOURCE = "jobs.hire:{pk}"
# Parameters that the assessment depends on (stored with each assessment and subsidy).
ASSESSMENT_PARAMETERS = (
    "placement_window_months",
    "output_rate_review_below",
    "output_rate_reward_above",
    "basic_operations_fail_share_review",
    "training_subsidy_completion_share",
    "training_subsidy_output_share",
)


# --- permissions ---------------------------------------------------------------------------------

def _is_admin(actor) -> bool:
    return bool(getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.ADMIN)


def _is_system(actor) -> bool:
    return actor is None or isinstance(actor, str)


def _require_labour(actor, region) -> None:
    """Labour-bureau staff of the region's jurisdiction (or an administrator, or the system)."""
    if _is_system(actor) or _is_admin(actor):
        return
    if getattr(actor, "role", None) != Role.LABOUR or not in_jurisdiction(actor, region):
        raise PermissionDenied("只有本辖区劳动就业局工作人员可以办理 / only labour-bureau staff of this jurisdiction")


def _member_region(member):
    return member.household.region


def _require_may_enrol(actor, member, course) -> None:
    """Who may sign a member up for a course (see module docstring)."""
    if _is_system(actor) or _is_admin(actor):
        return
    role = getattr(actor, "role", None)
    if role == Role.RECIPIENT:
        if member.household.account_id != actor.pk:
            raise PermissionDenied("只能为本户成员报名 / only members of your own household")
        return
    if role == Role.LABOUR:
        if in_jurisdiction(actor, course.region) and in_jurisdiction(actor, _member_region(member)):
            return
    elif role in (Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY) and in_jurisdiction(actor, _member_region(member)):
        return
    raise PermissionDenied("该人员不在您的辖区 / this person is not in your jurisdiction")


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        raise DomainError("; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.message_dict.items()),
                          field_errors=exc.message_dict) from exc


def _enqueue_assessment(course_id: int) -> None:
    """Re-assess the course after commit: once per course and transaction, however many
    trainees changed in it (a roster of 30 completions enqueues one task, not 30)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        course_assess_task.delay(course_id)
        return
    flush = getattr(connection, "_training_assessment_flush", None)
    # A rolled-back savepoint drops its callbacks: register again if ours is gone.
    if flush is None or not any(entry[1] is flush for entry in connection.run_on_commit):
        def flush():
            connection._training_assessment_flush = None
            for pending in sorted(flush.course_ids):
                course_assess_task.delay(pending)

        flush.course_ids = set()
        connection._training_assessment_flush = flush
        transaction.on_commit(flush)
    flush.course_ids.add(course_id)


# --- providers and courses -----------------------------------------------------------------------

@transaction.atomic
def provider_save(*, actor, provider: Provider) -> Provider:
    """Create or edit a training provider (培训机构)."""
    _require_labour(actor, provider.region)
    _full_clean(provider)
    before = audit.snapshot(Provider.objects.select_for_update().get(pk=provider.pk)) if provider.pk else None
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError as exc:
        raise Conflict("同一县区已有同名培训机构 / a provider with this name exists in the county") from exc
    audit.record(actor=actor, action="training.provider.update" if before else "training.provider.create",
                 obj=provider, region=provider.region, before=before, after=audit.snapshot(provider))
    return provider


@transaction.atomic
def course_save(*, actor, course: Course) -> Course:
    """Create or edit a course. Status changes go through :func:`course_transition`."""
    _require_labour(actor, course.region)
    _full_clean(course)
    course.standard_certificate = (course.standard_certificate or "").strip()
    if course.standard_certificate and course.standard_certificate not in standard_certificates():
        raise DomainError("对应岗位证书须从岗位证书目录中选择（如 焊工证、电工证） / "
                          "choose the vacancy certificate from the list (e.g. 焊工证)",
                          field_errors={"standard_certificate": ["not in the vacancy certificate list"]})
    if course.ends_on < course.starts_on:
        raise DomainError("结业日期不能早于开班日期 / the course cannot end before it starts",
                          field_errors={"ends_on": ["before starts_on"]})
    if not course.provider.region.contains(course.region) and not course.region.contains(course.provider.region):
        raise DomainError("培训机构不属于举办地所在县区 / the provider is not registered in this county",
                          field_errors={"provider": ["other county"]})
    before = None
    if course.pk:
        current = Course.objects.select_for_update().get(pk=course.pk)
        before = audit.snapshot(current)
        if course.capacity < current.enrolled_count:
            raise Conflict(f"名额不能少于已报名人数 {current.enrolled_count} / capacity below the enrolled count")
        if current.status in (CourseStatus.ENDED, CourseStatus.CANCELLED):
            # Only the vacancy certificate may still be set: it changes matching, not the assessment.
            changed = {name for name in COURSE_EDITABLE_FIELDS
                       if getattr(course, name) != getattr(current, name)} - {"standard_certificate"}
            if changed:
                raise Conflict("已结业或已取消的培训班只能修改“对应岗位证书” / an ended or cancelled course cannot "
                               "be edited, except its vacancy certificate")
        # Fields only services write are kept as stored.
        for name in ("status", "enrolled_count", "created_by_id"):
            setattr(course, name, getattr(current, name))
    else:
        course.status = CourseStatus.OPEN
        course.enrolled_count = 0
        course.created_by = None if _is_system(actor) else actor
    course.save()
    audit.record(actor=actor, action="training.course.update" if before else "training.course.create",
                 obj=course, region=course.region, before=before, after=audit.snapshot(course))
    return course


# Fields staff edit on a course (the admin form); the others are written by services only.
COURSE_EDITABLE_FIELDS = ("provider_id", "title", "course_type", "occupation", "region_id", "place", "starts_on",
                          "ends_on", "capacity", "subsidy_per_trainee", "certificate_name", "standard_certificate",
                          "description")


def standard_certificates() -> list[str]:
    """The certificate names vacancies require (焊工证, 电工证 …): the matching vocabulary of jobs
    (``jobs.matching.text.CERTIFICATES``), so a course certificate can be mapped onto it."""
    return list(CERTIFICATES)


@transaction.atomic
def course_transition(*, actor, course: Course, to_status: str, note: str = "") -> Course:
    """Start, end or cancel a course (transition table ``COURSE_TRANSITIONS``).

    Ending marks trainees still "in training" as not completed (未结业) and assesses the course;
    cancelling withdraws every trainee and frees the places.
    """
    course = Course.objects.select_for_update(of=("self",)).select_related("region").get(pk=course.pk)
    _require_labour(actor, course.region)
    if to_status not in COURSE_TRANSITIONS.get(course.status, set()):
        raise Conflict(f"培训班不能从“{course.get_status_display()}”变为“{CourseStatus(to_status).label}” / "
                       f"course cannot go from {course.status} to {to_status}")
    before = {"status": course.status}
    affected = 0
    if to_status == CourseStatus.ENDED:
        affected = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).update(status=EnrolmentStatus.DROPPED)
    elif to_status == CourseStatus.CANCELLED:
        affected = course.enrolments.filter(status__in=HOLDS_PLACE).update(
            status=EnrolmentStatus.WITHDRAWN, withdrawn_reason="培训班取消 / course cancelled")
        course.enrolled_count = 0
    course.status = to_status
    course.save(update_fields=["status", "enrolled_count"])
    audit.record(actor=actor, action=f"training.course.{to_status}", obj=course, region=course.region,
                 before=before, after={"status": to_status, "enrolments_changed": affected}, note=note)
    if to_status == CourseStatus.ENDED:
        _enqueue_assessment(course.pk)
    return course


# --- enrolment -----------------------------------------------------------------------------------

@transaction.atomic
def enrolment_create(*, actor, course: Course, member) -> TrainingEnrolment:
    """Sign a member up for a course (报名).

    The course row is locked (``SELECT … FOR UPDATE``) while places are counted, and the
    database refuses a second place for the same member (``one_enrolment_per_member_course``)
    and more trainees than places (``course_within_capacity``) even if this code were bypassed.
    """
    course = Course.objects.select_for_update(of=("self",)).select_related("region").get(pk=course.pk)
    _require_may_enrol(actor, member, course)
    recipient = getattr(actor, "role", None) == Role.RECIPIENT
    if course.status != CourseStatus.OPEN and not (course.status == CourseStatus.RUNNING and not recipient):
        raise Conflict("该培训班不在报名期 / the course is not open for sign-up")
    if recipient and course.starts_on < today():
        raise Conflict("培训班已开班，请联系社区或劳动就业局 / the course has started; ask your community office")
    if not member.is_current:
        raise DomainError("该成员已死亡或离户，不能报名 / this member has died or left the household")
    county = course.region.county() or course.region
    if not county.contains(_member_region(member)):
        raise DomainError("只能报名本县区举办的培训班 / courses are for residents of the county")
    if TrainingEnrolment.objects.filter(course=course, member=member).exclude(
            status=EnrolmentStatus.WITHDRAWN).exists():
        raise Conflict("该成员已报名此培训班 / already enrolled on this course")
    if course.enrolled_count >= course.capacity:
        raise Conflict("名额已满 / the course is full")
    try:
        with transaction.atomic():
            enrolment = TrainingEnrolment.objects.create(
                course=course, member=member, enrolled_by=None if _is_system(actor) else actor,
                self_enrolled=recipient)
            Course.objects.filter(pk=course.pk).update(enrolled_count=F("enrolled_count") + 1)
    except IntegrityError as exc:  # the database's word is final (concurrent sign-ups)
        raise Conflict("名额已满或已报名 / the course is full or the member is already enrolled") from exc
    audit.record(actor=actor, action="training.enrolment.create", obj=enrolment, region=course.region,
                 after=audit.snapshot(enrolment))
    return enrolment


def _transition(enrolment: TrainingEnrolment, to_status: str) -> None:
    if to_status not in ENROLMENT_TRANSITIONS.get(enrolment.status, set()):
        raise Conflict(f"学员状态不能从“{enrolment.get_status_display()}”变为“{EnrolmentStatus(to_status).label}” / "
                       f"enrolment cannot go from {enrolment.status} to {to_status}")


def _locked_enrolment(enrolment: TrainingEnrolment) -> TrainingEnrolment:
    return (TrainingEnrolment.objects.select_for_update()
            .select_related("course__region", "member__household__region").get(pk=enrolment.pk))


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: TrainingEnrolment, reason: str = "") -> TrainingEnrolment:
    """Withdraw a sign-up (退出报名) and free the place. Recipients only before the course starts."""
    Course.objects.select_for_update().filter(pk=enrolment.course_id).first()  # lock order: course, then enrolment
    enrolment = _locked_enrolment(enrolment)
    _require_may_enrol(actor, enrolment.member, enrolment.course)
    if getattr(actor, "role", None) == Role.RECIPIENT and enrolment.course.starts_on <= today():
        raise Conflict("培训班已开班，不能在网上退出 / the course has started")
    _transition(enrolment, EnrolmentStatus.WITHDRAWN)
    if Placement.objects.filter(enrolment=enrolment).exists():
        raise Conflict("已记录输出的学员不能退出 / a placed trainee cannot withdraw")
    before = audit.snapshot(enrolment, ["status"])
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_reason = reason[:200]
    enrolment.save(update_fields=["status", "withdrawn_reason"])
    Course.objects.filter(pk=enrolment.course_id).update(enrolled_count=F("enrolled_count") - 1)
    audit.record(actor=actor, action="training.enrolment.withdraw", obj=enrolment, region=enrolment.course.region,
                 before=before, after={"status": enrolment.status}, note=reason)
    return enrolment


@transaction.atomic
def attendance_record(*, actor, course: Course, day: dt.date, present_ids: set[int]) -> int:
    """Record one day's attendance (考勤) for the whole roster, set-based; returns rows written.

    Trainees in ``present_ids`` are present, the other trainees in training are absent. Running
    it again for the same day overwrites that day (one row per trainee and day).
    """
    course = Course.objects.select_related("region").get(pk=course.pk)
    _require_labour(actor, course.region)
    if not (course.starts_on <= day <= course.ends_on):
        raise DomainError(f"考勤日期须在培训期内（{course.starts_on}～{course.ends_on}） / day outside the course dates")
    if course.status not in (CourseStatus.RUNNING, CourseStatus.ENDED):
        raise Conflict("培训班开班后才能记录考勤 / attendance is recorded once the course runs")
    roster = list(course.enrolments.filter(status__in=HOLDS_PLACE).values_list("pk", flat=True))
    unknown = set(present_ids) - set(roster)
    if unknown:
        raise DomainError("出勤名单中有不属于本班的学员 / some present trainees are not on this course")
    recorder = None if _is_system(actor) else actor
    rows = [Attendance(enrolment_id=pk, day=day, present=pk in present_ids, recorded_by=recorder) for pk in roster]
    Attendance.objects.bulk_create(rows, update_conflicts=True, unique_fields=["enrolment", "day"],
                                   update_fields=["present", "recorded_by"])
    audit.record(actor=actor, action="training.attendance.record", obj=course, region=course.region,
                 after={"day": day, "present": len(set(present_ids)), "roster": len(roster)})
    return len(rows)


@transaction.atomic
def enrolment_complete(*, actor, enrolment: TrainingEnrolment, completed_on: dt.date | None = None,
                       completed: bool = True) -> TrainingEnrolment:
    """Record completion (结业) — or, with ``completed=False``, that the trainee did not complete."""
    enrolment = _locked_enrolment(enrolment)
    course = enrolment.course
    _require_labour(actor, course.region)
    if course.status not in (CourseStatus.RUNNING, CourseStatus.ENDED):
        raise Conflict("培训班开班后才能记录结业 / completion is recorded once the course runs")
    to_status = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.DROPPED
    _transition(enrolment, to_status)
    before = audit.snapshot(enrolment, ["status", "completed_on"])
    if completed:
        completed_on = completed_on or course.ends_on
        if completed_on < course.starts_on:
            raise DomainError("结业日期不能早于开班日期 / completion before the course started")
        enrolment.completed_on = completed_on
    else:
        if enrolment.certificate_number or hasattr(enrolment, "placement"):
            raise Conflict("已发证或已输出的学员不能改为未结业 / a certified or placed trainee must stay completed")
        enrolment.completed_on = None
    enrolment.status = to_status
    enrolment.save(update_fields=["status", "completed_on"])
    audit.record(actor=actor, action="training.enrolment.complete" if completed else "training.enrolment.drop",
                 obj=enrolment, region=course.region, before=before,
                 after=audit.snapshot(enrolment, ["status", "completed_on"]))
    if completed:
        # Also when a drop is corrected back to completed: a job that started before the
        # completion was recorded counts as much as one recorded afterwards.
        _place_from_earlier_hire(actor=actor, enrolment=enrolment)
    _enqueue_assessment(course.pk)
    return enrolment


@transaction.atomic
def enrolment_assess(*, actor, enrolment: TrainingEnrolment, passed: bool, note: str = "") -> TrainingEnrolment:
    """Record the end-of-course assessment: can the trainee do the basic operations (基本操作)?"""
    enrolment = _locked_enrolment(enrolment)
    _require_labour(actor, enrolment.course.region)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Conflict("只能考核已结业的学员 / only completers are assessed")
    before = audit.snapshot(enrolment, ["basic_operations_passed", "assessment_note"])
    enrolment.basic_operations_passed = bool(passed)
    enrolment.assessment_note = note[:200]
    enrolment.save(update_fields=["basic_operations_passed", "assessment_note"])
    audit.record(actor=actor, action="training.enrolment.assess", obj=enrolment, region=enrolment.course.region,
                 before=before, after=audit.snapshot(enrolment, ["basic_operations_passed", "assessment_note"]))
    _enqueue_assessment(enrolment.course_id)
    return enrolment


@transaction.atomic
def enrolment_certify(*, actor, enrolment: TrainingEnrolment, certificate_number: str,
                      issued_on: dt.date | None = None) -> TrainingEnrolment:
    """Record the certificate (证书) a completer earned; it becomes part of their profile."""
    enrolment = _locked_enrolment(enrolment)
    _require_labour(actor, enrolment.course.region)
    certificate_number = (certificate_number or "").strip()
    if not certificate_number:
        raise DomainError("请填写证书编号 / enter the certificate number", field_errors={"certificate_number": ["required"]})
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Conflict("只有结业学员才能发证 / only completers receive a certificate")
    if enrolment.basic_operations_passed is False:
        raise Conflict("考核未通过（不能从事基本操作），不能发证 / the trainee failed the basic-operations assessment")
    if TrainingEnrolment.objects.filter(certificate_number=certificate_number).exclude(pk=enrolment.pk).exists():
        raise Conflict("证书编号已被使用 / certificate number already used")
    before = audit.snapshot(enrolment, ["certificate_number", "certificate_issued_on"])
    enrolment.certificate_number = certificate_number[:50]
    enrolment.certificate_issued_on = issued_on or enrolment.completed_on
    enrolment.save(update_fields=["certificate_number", "certificate_issued_on"])
    audit.record(actor=actor, action="training.enrolment.certify", obj=enrolment, region=enrolment.course.region,
                 before=before, after=audit.snapshot(enrolment, ["certificate_number", "certificate_issued_on"]))
    _enqueue_profile_encode(enrolment.member_id)
    return enrolment


def _enqueue_profile_encode(member_id: int) -> None:
    """A certificate earned joins the member's job-seeker profile text (``jobs.matching.pipeline.
    seeker_matching_text``): store the new vector after commit. Matching re-encodes a stale profile
    on demand anyway (the vector carries the hash of its text), so this only saves that wait."""
    seeker_id = seeker_id_for_member(member_id)
    if seeker_id is not None:
        transaction.on_commit(lambda: encode_seeker.delay(seeker_id))


# --- placement (输出) -----------------------------------------------------------------------------

def placement_window_end(enrolment: TrainingEnrolment) -> dt.date:
    """The last day a job may start and still count as this completer's placement (inclusive)."""
    params = parameters_in_force(enrolment.course.region, enrolment.completed_on)
    return add_months(enrolment.completed_on, params.placement_window_months)


def _check_window(enrolment: TrainingEnrolment, start_date: dt.date) -> None:
    end = placement_window_end(enrolment)
    if not (enrolment.completed_on <= start_date <= end):
        raise DomainError(
            f"上岗日期须在结业日 {enrolment.completed_on} 至 {end} 之间才计入输出 / "
            f"a placement counts only if work starts between {enrolment.completed_on} and {end}",
            field_errors={"start_date": ["outside the placement window"]})


@transaction.atomic
def placement_record(*, actor, enrolment: TrainingEnrolment, start_date: dt.date, employer_name: str,
                     evidence: str, monthly_earnings: Decimal | None = None) -> Placement:
    """Staff record a completer's placement with evidence (劳动合同、社保记录…)."""
    enrolment = _locked_enrolment(enrolment)
    _require_labour(actor, enrolment.course.region)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Conflict("只有结业学员才能记录输出 / only completers can be placed")
    if not (evidence or "").strip():
        raise DomainError("请填写证明材料 / evidence is required", field_errors={"evidence": ["required"]})
    if not (employer_name or "").strip():
        raise DomainError("请填写用人单位 / employer is required", field_errors={"employer_name": ["required"]})
    if Placement.objects.filter(enrolment=enrolment).exists():
        raise Conflict("该学员已记录输出 / this trainee is already placed")
    _check_window(enrolment, start_date)
    placement = Placement.objects.create(
        enrolment=enrolment, start_date=start_date, employer_name=employer_name.strip()[:120],
        monthly_earnings=None if monthly_earnings in (None, "") else to_decimal(monthly_earnings),
        source=PlacementSource.STAFF, evidence=evidence.strip()[:300],
        recorded_by=None if _is_system(actor) else actor)
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
                recorded_by=None if _is_system(actor) else actor)
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
                                note="结业前已登记就业 / hire recorded before the completion")


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
                                note="考核时补记：结业前或同时登记的就业 / hire found when assessing the course"):
            created += 1
    return created


# --- assessment, accountability, subsidy ---------------------------------------------------------

def course_counts(course_id: int) -> dict:
    """Enrolled, completed, placed and failed counts of one course, in one aggregate query."""
    completed = Q(status=EnrolmentStatus.COMPLETED)
    return TrainingEnrolment.objects.filter(course_id=course_id).aggregate(
        enrolled=Count("id", filter=Q(status__in=HOLDS_PLACE)),
        completed=Count("id", filter=completed),
        placed=Count("id", filter=completed & Q(placement__isnull=False)),
        basic_failed=Count("id", filter=completed & Q(basic_operations_passed=False)),
        last_completion=Max("completed_on", filter=completed),
    )


def _rate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


@transaction.atomic
def course_assess(*, actor, course: Course, as_of: dt.date | None = None) -> Course:
    """Assess an ended course: rates, outcome, review, reward mark and subsidy (DESIGN.md §5 [R4]).

    The outcome is provisional until the placement window of the last completer has closed
    (``outcome_final``); then a course under review gets its accountability review (责任倒查),
    a course above the reward line is marked for reward, and the provider's subsidy is proposed
    for payment. A review on the ground that most completers cannot do the basic operations
    opens as soon as the course has ended, since later placements cannot change that ground.
    The reward mark follows the current final outcome (a correction below the line revokes it,
    audited). Before counting, completers a hire in their window was missed for are placed
    (:func:`_catch_up_hire_placements`). Idempotent: re-running with nothing changed writes nothing.
    """
    as_of = as_of or today()
    course = (Course.objects.select_for_update(of=("self",)).select_related("region", "provider", "created_by")
              .get(pk=course.pk))
    if course.status != CourseStatus.ENDED:
        return course
    _catch_up_hire_placements(actor=actor, course=course)
    counts = course_counts(course.pk)
    params = parameters_in_force(course.region, course.ends_on)
    result = assess_course(enrolled=counts["enrolled"], completed=counts["completed"], placed=counts["placed"],
                           subsidy_per_trainee=course.subsidy_per_trainee, params=params,
                           basic_operations_failed=counts["basic_failed"])
    window_closes_on = add_months(counts["last_completion"] or course.ends_on, params.placement_window_months)
    final = as_of > window_closes_on
    quality_ground = result.completed > 0 and (
        result.basic_operations_failed > params.basic_operations_fail_share_review * result.completed)
    used = {name: to_jsonable(name, getattr(params, name)) for name in ASSESSMENT_PARAMETERS}
    new = {
        "completed_count": result.completed,
        "placed_count": result.placed,
        "basic_fail_count": result.basic_operations_failed,
        "completion_rate": _rate(result.completion_rate),
        "output_rate": _rate(result.output_rate),
        "outcome": result.outcome,
        "outcome_final": final,
        # From the current final outcome: a correction that takes the course below the line
        # revokes the mark (audited below); it does not stay from an earlier assessment.
        "marked_for_reward": final and result.outcome == OUTCOME_REWARD,
        "subsidy_amount": result.subsidy,
        "assessment": {"explanation": list(result.explanation), "parameters": used,
                       "window_closes_on": window_closes_on.isoformat(), "enrolled": result.enrolled},
    }
    changed = {k: v for k, v in new.items() if getattr(course, k) != v}
    if changed:
        before = {k: audit.jsonable(getattr(course, k)) for k in changed if k != "assessment"}
        for key, value in new.items():
            setattr(course, key, value)
        course.assessed_at = timezone.now()
        course.save(update_fields=[*new.keys(), "assessed_at"])
        audit.record(actor=actor or SYSTEM, action="training.course.assess", obj=course, region=course.region,
                     before=before, after={k: audit.jsonable(v) for k, v in changed.items() if k != "assessment"},
                     note="\n".join(result.explanation))
        if "marked_for_reward" in changed:
            marked = course.marked_for_reward
            audit.record(actor=actor or SYSTEM, action="training.course.reward_mark" if marked
                         else "training.course.reward_revoke", obj=course, region=course.region,
                         before={"marked_for_reward": not marked},
                         after={"marked_for_reward": marked, "outcome": result.outcome, "outcome_final": final,
                                "output_rate": audit.jsonable(_rate(result.output_rate))},
                         note=("列入奖励 / marked for reward" if marked else
                               "撤销奖励：当前考核结果不再是最终的“奖励” / reward revoked: the current outcome is "
                               "no longer a final reward") + "\n" + "\n".join(result.explanation))
    if result.outcome == OUTCOME_REVIEW and (final or quality_ground):
        _review_open(actor=actor, course=course, grounds="\n".join(result.explanation))
    if final:
        _subsidy_propose(actor=actor, course=course, result=result, parameters=used)
    return course


def review_default_owner(course: Course):
    """Who a new accountability review is assigned to: the staff user who created the course, if
    still active and staff of the course's jurisdiction (the rule ``accountability_review_save``
    applies to owners); otherwise nobody, and the review is listed as unassigned (未指定承办人)."""
    user = course.created_by
    if user is not None and user.is_active and user.is_staff_role and in_jurisdiction(user, course.region):
        return user
    return None


def _review_open(*, actor, course: Course, grounds: str) -> AccountabilityReview | None:
    if AccountabilityReview.objects.filter(course=course).exists():
        return None
    owner = review_default_owner(course)
    review = AccountabilityReview.objects.create(course=course, grounds=grounds, owner=owner)
    audit.record(actor=actor or SYSTEM, action="training.review.open", obj=review, region=course.region,
                 object_label=f"责任倒查 {course.title}", after=audit.snapshot(review),
                 note="承办人：开班人 / owner: the course's creator" if owner else
                 "未指定承办人，请分派 / no owner yet: assign one")
    return review


def _subsidy_propose(*, actor, course: Course, result, parameters: dict) -> SubsidyPayment | None:
    payment = SubsidyPayment.objects.select_for_update().filter(course=course).first()
    values = {"provider": course.provider, "amount": result.subsidy, "completed_count": result.completed,
              "placed_count": result.placed, "explanation": list(result.explanation), "parameters": parameters}
    if payment is None:
        payment = SubsidyPayment.objects.create(course=course, **values)
        audit.record(actor=actor or SYSTEM, action="training.subsidy.propose", obj=payment, region=course.region,
                     object_label=f"培训补贴 {course.title}", after=audit.snapshot(payment))
        return payment
    if payment.status == SubsidyStatus.PAID:
        return payment  # paid money is history; a later correction is a new decision, not a recomputation
    if (payment.amount, payment.completed_count, payment.placed_count) == (
            result.subsidy, result.completed, result.placed):
        return payment
    before = audit.snapshot(payment, ["amount", "completed_count", "placed_count"])
    for key, value in values.items():
        setattr(payment, key, value)
    payment.save()
    audit.record(actor=actor or SYSTEM, action="training.subsidy.recompute", obj=payment, region=course.region,
                 object_label=f"培训补贴 {course.title}", before=before,
                 after=audit.snapshot(payment, ["amount", "completed_count", "placed_count"]))
    return payment


@transaction.atomic
def subsidy_pay(*, actor, payment: SubsidyPayment, paid_on: dt.date, voucher: str) -> SubsidyPayment:
    """Confirm payment of the provider's subsidy as computed and shown (支付培训补贴)."""
    payment = SubsidyPayment.objects.select_for_update(of=("self",)).select_related("course__region").get(pk=payment.pk)
    _require_labour(actor, payment.course.region)
    if payment.status == SubsidyStatus.PAID:
        raise Conflict("该培训补贴已支付 / already paid")
    if not payment.course.outcome_final:
        raise Conflict("输出期未满，考核结果未定，不能支付 / the assessment is not final yet")
    if not (voucher or "").strip():
        raise DomainError("请填写支付凭证号 / enter the payment voucher", field_errors={"voucher": ["required"]})
    before = audit.snapshot(payment, ["status", "paid_on", "voucher"])
    payment.status = SubsidyStatus.PAID
    payment.paid_on = paid_on
    payment.voucher = voucher.strip()[:60]
    payment.paid_by = None if _is_system(actor) else actor
    payment.save(update_fields=["status", "paid_on", "voucher", "paid_by"])
    audit.record(actor=actor, action="training.subsidy.pay", obj=payment, region=payment.course.region,
                 object_label=f"培训补贴 {payment.course.title}", before=before,
                 after={**audit.snapshot(payment, ["status", "paid_on", "voucher"]), "amount": payment.amount},
                 note="\n".join(payment.explanation))
    return payment


@transaction.atomic
def accountability_review_save(*, actor, review: AccountabilityReview) -> AccountabilityReview:
    """Assign, record findings and close (with an outcome) an accountability review (责任倒查)."""
    current = AccountabilityReview.objects.select_for_update(of=("self",)).select_related("course__region").get(pk=review.pk)
    _require_labour(actor, current.course.region)
    if current.status == ReviewStatus.CLOSED:
        raise Conflict("已办结的倒查不能修改 / a closed review cannot be changed")
    if review.owner_id and not (review.owner.is_staff_role and in_jurisdiction(review.owner, current.course.region)):
        raise DomainError("承办人须为本辖区工作人员 / the owner must be staff of this jurisdiction",
                          field_errors={"owner": ["outside jurisdiction"]})
    before = audit.snapshot(current, ["owner", "findings", "outcome", "status"])
    current.owner_id = review.owner_id
    current.findings = review.findings
    current.outcome = review.outcome
    if review.outcome:
        if not review.owner_id:
            raise DomainError("办结前须指定承办人 / assign an owner before closing",
                              field_errors={"owner": ["required to close"]})
        if not (review.findings or "").strip():
            raise DomainError("办结前须填写倒查情况 / record the findings before closing",
                              field_errors={"findings": ["required to close"]})
        current.status = ReviewStatus.CLOSED
        current.closed_at = timezone.now()
        current.closed_by = None if _is_system(actor) else actor
    current.save()
    audit.record(actor=actor, action="training.review.close" if current.status == ReviewStatus.CLOSED
                 else "training.review.update", obj=current, region=current.course.region,
                 object_label=f"责任倒查 {current.course.title}", before=before,
                 after=audit.snapshot(current, ["owner", "findings", "outcome", "status"]))
    return current


# --- survey --------------------------------------------------------------------------------------

@transaction.atomic
def training_wish_save(*, actor, wish: TrainingWish) -> TrainingWish:
    """Record (or edit) a survey answer of a registered job seeker (求职登记, not cancelled); the
    region is the member's community at recording time."""
    member = wish.member
    if getattr(actor, "role", None) == Role.RECIPIENT:
        if member.household.account_id != actor.pk:
            raise PermissionDenied("只能填写本户成员的培训意愿 / only members of your own household")
    elif not (_is_system(actor) or _is_admin(actor)) and not in_jurisdiction(actor, _member_region(member)):
        raise PermissionDenied("该人员不在您的辖区 / this person is not in your jurisdiction")
    # The survey is of registered job seekers ([R4]); a cancelled registration (已注销) does not count.
    if member.pk not in registered_seeker_member_ids([member.pk]):
        raise DomainError("只有已办理求职登记的人员才能登记培训意愿，请先办理求职登记 / "
                          "only registered job seekers take part in the training-wish survey: register first",
                          field_errors={"member": ["not a registered job seeker"]})
    wish.region = _member_region(member)
    if not wish.surveyed_on:
        wish.surveyed_on = today()
    if not wish.survey_round:
        wish.survey_round = str(wish.surveyed_on.year)
    if wish.recorded_by_id is None and not _is_system(actor):
        wish.recorded_by = actor
    _full_clean(wish)
    before = audit.snapshot(TrainingWish.objects.get(pk=wish.pk)) if wish.pk else None
    try:
        with transaction.atomic():
            wish.save()
    except IntegrityError as exc:
        raise Conflict("该成员本批次已登记此培训意愿 / this wish is already recorded for the round") from exc
    audit.record(actor=actor, action="training.wish.update" if before else "training.wish.create", obj=wish,
                 region=wish.region, before=before, after=audit.snapshot(wish))
    return wish
