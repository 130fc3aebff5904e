"""What the training services share: permission checks, the system actor, validation, the
assessment enqueued after commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reemployment.core.errors import DomainError, PermissionDenied
from reemployment.core.models import Role
from reemployment.core.permissions import is_system, may_act
from reemployment.core.scoping import in_jurisdiction
from training.models import TrainingEnrolment
from training.tasks import course_assess_task

SYSTEM = "system:training"
# Placements from jobs' hires carry the hire as their source (the same id whichever side is
# recorded first: placements.placement_record_after_hire passes f"jobs.hire:{pk}").
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


def _require_labour(actor, region) -> None:
    """Labour-bureau staff of the region's jurisdiction (or an administrator, or the system)."""
    if not may_act(actor, region, {Role.LABOUR, Role.ADMIN}):
        raise PermissionDenied(_("只有本辖区劳动就业局工作人员可以办理"))


def _member_region(member):
    return member.household.region


def _require_may_enrol(actor, member, course) -> None:
    """Who may sign a member up for a course (see module docstring)."""
    if is_system(actor) or _is_admin(actor):
        return
    role = getattr(actor, "role", None)
    if role == Role.RECIPIENT:
        if member.household.account_id != actor.pk:
            raise PermissionDenied(_("只能为本户成员报名"))
        return
    if role == Role.LABOUR:
        if in_jurisdiction(actor, course.region) and in_jurisdiction(actor, _member_region(member)):
            return
    elif role in (Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY) and in_jurisdiction(actor, _member_region(member)):
        return
    raise PermissionDenied(_("该人员不在您的辖区"))


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


def _locked_enrolment(enrolment: TrainingEnrolment) -> TrainingEnrolment:
    return (TrainingEnrolment.objects.select_for_update()
            .select_related("course__region", "member__household__region").get(pk=enrolment.pk))
