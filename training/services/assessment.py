"""Course assessment (output rate), accountability reviews and training subsidies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import today
from reemployment.core.permissions import actor_user
from reemployment.core.scoping import in_jurisdiction
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import add_months
from reemployment.policy.parameters import to_jsonable
from training.models import (
    HOLDS_PLACE,
    AccountabilityReview,
    Course,
    CourseStatus,
    EnrolmentStatus,
    ReviewStatus,
    SubsidyPayment,
    SubsidyStatus,
    TrainingEnrolment,
)
from training.rules import OUTCOME_REVIEW, OUTCOME_REWARD, assess_course
from training.services._common import ASSESSMENT_PARAMETERS, SYSTEM, _require_labour
from training.services.placements import _catch_up_hire_placements

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
                         note=("列入奖励" if marked else
                               "撤销奖励：当前考核结果不再是最终的“奖励”") + "\n" + "\n".join(result.explanation))
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
                 note="承办人：开班人" if owner else "未指定承办人，请分派")
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
        raise Conflict(_("该培训补贴已支付"))
    if not payment.course.outcome_final:
        raise Conflict(_("输出期未满，考核结果未定，不能支付"))
    if not (voucher or "").strip():
        raise DomainError(_("请填写支付凭证号"), field_errors={"voucher": [_("必填")]})
    before = audit.snapshot(payment, ["status", "paid_on", "voucher"])
    payment.status = SubsidyStatus.PAID
    payment.paid_on = paid_on
    payment.voucher = voucher.strip()[:60]
    payment.paid_by = actor_user(actor)
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
        raise Conflict(_("已办结的倒查不能修改"))
    if review.owner_id and not (review.owner.is_staff_role and in_jurisdiction(review.owner, current.course.region)):
        raise DomainError(_("承办人须为本辖区工作人员"),
                          field_errors={"owner": [_("不在本辖区")]})
    before = audit.snapshot(current, ["owner", "findings", "outcome", "status"])
    current.owner_id = review.owner_id
    current.findings = review.findings
    current.outcome = review.outcome
    if review.outcome:
        if not review.owner_id:
            raise DomainError(_("办结前须指定承办人"),
                              field_errors={"owner": [_("办结时必填")]})
        if not (review.findings or "").strip():
            raise DomainError(_("办结前须填写倒查情况"),
                              field_errors={"findings": [_("办结时必填")]})
        current.status = ReviewStatus.CLOSED
        current.closed_at = timezone.now()
        current.closed_by = actor_user(actor)
    current.save()
    audit.record(actor=actor, action="training.review.close" if current.status == ReviewStatus.CLOSED
                 else "training.review.update", obj=current, region=current.course.region,
                 object_label=f"责任倒查 {current.course.title}", before=before,
                 after=audit.snapshot(current, ["owner", "findings", "outcome", "status"]))
    return current
