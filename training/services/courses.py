"""Providers and courses: save, and move a course through its statuses."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobs.matching.text import CERTIFICATES
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.permissions import actor_user
from training.models import (
    COURSE_TRANSITIONS,
    HOLDS_PLACE,
    Course,
    CourseStatus,
    EnrolmentStatus,
    Provider,
)
from training.services._common import _enqueue_assessment, _full_clean, _require_labour

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
        raise Conflict(_("同一县区已有同名培训机构")) from exc
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
        raise DomainError(_("对应岗位证书须从岗位证书目录中选择（如 焊工证、电工证）"),
                          field_errors={"standard_certificate": [_("不在岗位证书目录中")]})
    if course.ends_on < course.starts_on:
        raise DomainError(_("结业日期不能早于开班日期"),
                          field_errors={"ends_on": [_("早于开班日期")]})
    if not course.provider.region.contains(course.region) and not course.region.contains(course.provider.region):
        raise DomainError(_("培训机构不属于举办地所在县区"),
                          field_errors={"provider": [_("其他县区的培训机构")]})
    before = None
    if course.pk:
        current = Course.objects.select_for_update().get(pk=course.pk)
        before = audit.snapshot(current)
        if course.capacity < current.enrolled_count:
            raise Conflict(_("名额不能少于已报名人数 %(count)s") % {"count": current.enrolled_count})
        if current.status in (CourseStatus.ENDED, CourseStatus.CANCELLED):
            # Only the vacancy certificate may still be set: it changes matching, not the assessment.
            changed = {name for name in COURSE_EDITABLE_FIELDS
                       if getattr(course, name) != getattr(current, name)} - {"standard_certificate"}
            if changed:
                raise Conflict(_("已结业或已取消的培训班只能修改“对应岗位证书”"))
        # Fields only services write are kept as stored.
        for name in ("status", "enrolled_count", "created_by_id"):
            setattr(course, name, getattr(current, name))
    else:
        course.status = CourseStatus.OPEN
        course.enrolled_count = 0
        course.created_by = actor_user(actor)
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
        raise Conflict(_("培训班不能从“%(before)s”变为“%(after)s”") % {
            "before": course.get_status_display(), "after": CourseStatus(to_status).label})
    before = {"status": course.status}
    affected = 0
    if to_status == CourseStatus.ENDED:
        affected = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).update(status=EnrolmentStatus.DROPPED)
    elif to_status == CourseStatus.CANCELLED:
        affected = course.enrolments.filter(status__in=HOLDS_PLACE).update(
            status=EnrolmentStatus.WITHDRAWN, withdrawn_reason="培训班取消")
        course.enrolled_count = 0
    course.status = to_status
    course.save(update_fields=["status", "enrolled_count"])
    audit.record(actor=actor, action=f"training.course.{to_status}", obj=course, region=course.region,
                 before=before, after={"status": to_status, "enrolments_changed": affected}, note=note)
    if to_status == CourseStatus.ENDED:
        _enqueue_assessment(course.pk)
    return course
