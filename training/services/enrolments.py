"""Enrolment of members in courses: sign-up, withdrawal, attendance, completion, assessment,
certificates."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jobs.selectors import seeker_id_for_member
from jobs.tasks import encode_seeker
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import Role, today
from reemployment.core.notify import notify
from reemployment.core.permissions import actor_user
from training.models import (
    ENROLMENT_TRANSITIONS,
    HOLDS_PLACE,
    Attendance,
    Course,
    CourseStatus,
    EnrolmentStatus,
    Placement,
    TrainingEnrolment,
)
from training.services._common import (
    _enqueue_assessment,
    _locked_enrolment,
    _member_region,
    _require_labour,
    _require_may_enrol,
)
from training.services.placements import _place_from_earlier_hire

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
        raise Conflict(_("该培训班不在报名期"))
    if recipient and course.starts_on < today():
        raise Conflict(_("培训班已开班，请联系社区或劳动就业局"))
    if not member.is_current:
        raise DomainError(_("该成员已死亡或离户，不能报名"))
    county = course.region.county() or course.region
    if not county.contains(_member_region(member)):
        raise DomainError(_("只能报名本县区举办的培训班"))
    if TrainingEnrolment.objects.filter(course=course, member=member).exclude(
            status=EnrolmentStatus.WITHDRAWN).exists():
        raise Conflict(_("该成员已报名此培训班"))
    if course.enrolled_count >= course.capacity:
        raise Conflict(_("名额已满"))
    try:
        with transaction.atomic():
            enrolment = TrainingEnrolment.objects.create(
                course=course, member=member, enrolled_by=actor_user(actor),
                self_enrolled=recipient)
            Course.objects.filter(pk=course.pk).update(enrolled_count=F("enrolled_count") + 1)
    except IntegrityError as exc:  # the database's word is final (concurrent sign-ups)
        raise Conflict(_("名额已满或已报名")) from exc
    audit.record(actor=actor, action="training.enrolment.create", obj=enrolment, region=course.region,
                 after=audit.snapshot(enrolment))
    notify("training.enrolled", key=f"training-enrolment:{enrolment.pk}", enrolment=enrolment)
    return enrolment


def _transition(enrolment: TrainingEnrolment, to_status: str) -> None:
    if to_status not in ENROLMENT_TRANSITIONS.get(enrolment.status, set()):
        raise Conflict(_("学员状态不能从“%(before)s”变为“%(after)s”") % {
            "before": enrolment.get_status_display(), "after": EnrolmentStatus(to_status).label})


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: TrainingEnrolment, reason: str = "") -> TrainingEnrolment:
    """Withdraw a sign-up (退出报名) and free the place. Recipients only before the course starts."""
    Course.objects.select_for_update().filter(pk=enrolment.course_id).first()  # lock order: course, then enrolment
    enrolment = _locked_enrolment(enrolment)
    _require_may_enrol(actor, enrolment.member, enrolment.course)
    if getattr(actor, "role", None) == Role.RECIPIENT and enrolment.course.starts_on <= today():
        raise Conflict(_("培训班已开班，不能在网上退出"))
    _transition(enrolment, EnrolmentStatus.WITHDRAWN)
    if Placement.objects.filter(enrolment=enrolment).exists():
        raise Conflict(_("已记录输出的学员不能退出"))
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
        raise DomainError(_("考勤日期须在培训期内（%(start)s～%(end)s）") % {"start": course.starts_on, "end": course.ends_on})
    if course.status not in (CourseStatus.RUNNING, CourseStatus.ENDED):
        raise Conflict(_("培训班开班后才能记录考勤"))
    roster = list(course.enrolments.filter(status__in=HOLDS_PLACE).values_list("pk", flat=True))
    unknown = set(present_ids) - set(roster)
    if unknown:
        raise DomainError(_("出勤名单中有不属于本班的学员"))
    recorder = actor_user(actor)
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
        raise Conflict(_("培训班开班后才能记录结业"))
    to_status = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.DROPPED
    _transition(enrolment, to_status)
    before = audit.snapshot(enrolment, ["status", "completed_on"])
    if completed:
        completed_on = completed_on or course.ends_on
        if completed_on < course.starts_on:
            raise DomainError(_("结业日期不能早于开班日期"))
        enrolment.completed_on = completed_on
    else:
        if enrolment.certificate_number or hasattr(enrolment, "placement"):
            raise Conflict(_("已发证或已输出的学员不能改为未结业"))
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
        raise Conflict(_("只能考核已结业的学员"))
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
        raise DomainError(_("请填写证书编号"), field_errors={"certificate_number": [_("必填")]})
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise Conflict(_("只有结业学员才能发证"))
    if enrolment.basic_operations_passed is False:
        raise Conflict(_("考核未通过（不能从事基本操作），不能发证"))
    if TrainingEnrolment.objects.filter(certificate_number=certificate_number).exclude(pk=enrolment.pk).exists():
        raise Conflict(_("证书编号已被使用"))
    before = audit.snapshot(enrolment, ["certificate_number", "certificate_issued_on"])
    enrolment.certificate_number = certificate_number[:50]
    enrolment.certificate_issued_on = issued_on or enrolment.completed_on
    enrolment.save(update_fields=["certificate_number", "certificate_issued_on"])
    audit.record(actor=actor, action="training.enrolment.certify", obj=enrolment, region=enrolment.course.region,
                 before=before, after=audit.snapshot(enrolment, ["certificate_number", "certificate_issued_on"]))
    notify("training.certified", key=f"certificate:{enrolment.pk}:{enrolment.certificate_number}", enrolment=enrolment)
    _enqueue_profile_encode(enrolment.member_id)
    return enrolment


def _enqueue_profile_encode(member_id: int) -> None:
    """A certificate earned joins the member's job-seeker profile text (``jobs.matching.pipeline.
    seeker_matching_text``): store the new vector after commit. Matching re-encodes a stale profile
    on demand anyway (the vector carries the hash of its text), so this only saves that wait."""
    seeker_id = seeker_id_for_member(member_id)
    if seeker_id is not None:
        transaction.on_commit(lambda: encode_seeker.delay(seeker_id))
