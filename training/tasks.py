"""Celery tasks of training: thin, idempotent wrappers around services (take ids)."""

from __future__ import annotations

from celery import shared_task

from training.models import Course, CourseStatus


@shared_task(name="training.course_assess")
def course_assess_task(course_id: int) -> str:
    """Recompute one course's outcome after completion / assessment / placement changes."""
    from training.services import course_assess

    course = Course.objects.filter(pk=course_id, status=CourseStatus.ENDED).first()
    if course is None:
        return "skipped"
    course = course_assess(actor="system:celery", course=course)
    return course.outcome


@shared_task(name="training.assess_due_courses")
def assess_due_courses() -> int:
    """Daily: re-assess every ended course whose outcome is not final yet (finalises those whose
    placement window has closed: opens reviews, marks rewards, proposes subsidies)."""
    from training.services import course_assess

    ids = list(Course.objects.filter(status=CourseStatus.ENDED, outcome_final=False).values_list("pk", flat=True))
    for course in Course.objects.filter(pk__in=ids):
        course_assess(actor="system:celery", course=course)
    return len(ids)
