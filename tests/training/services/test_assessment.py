"""Course assessment: set-based counts, the 60 % and 95 % boundaries, no completers, reviews,
rewards and the provider subsidy (DESIGN.md §5 [R4]). Default parameters: review below 0.60,
reward above 0.95, review if more than 0.50 of completers fail, subsidy shares 0.60 / 0.40."""

from decimal import Decimal

import pytest

from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import AuditEvent
from tests.training.helpers import AFTER_WINDOW, IN_WINDOW, run_course
from training import services
from training.models import AccountabilityReview, CourseOutcome, ReviewStatus, SubsidyPayment, SubsidyStatus


@pytest.mark.parametrize(
    ("enrolled", "completed", "placed", "failed", "outcome", "output_rate", "subsidy"),
    [
        # 3 / 5 = 0.60 exactly: not below 0.60 → normal; 800 × (0.6×5 + 0.4×3) = 800 × 4.2 = 3360
        (6, 5, 3, 0, CourseOutcome.NORMAL, Decimal("0.6000"), Decimal("3360.00")),
        # 2 / 5 = 0.40 < 0.60 → review; 800 × (3 + 0.8) = 3040
        (5, 5, 2, 0, CourseOutcome.REVIEW, Decimal("0.4000"), Decimal("3040.00")),
        # 19 / 20 = 0.95 exactly: not above 0.95 → normal; 800 × (12 + 7.6) = 15680
        (20, 20, 19, 0, CourseOutcome.NORMAL, Decimal("0.9500"), Decimal("15680.00")),
        # 20 / 20 = 1.00 > 0.95 → reward; 800 × (12 + 8) = 16000
        (20, 20, 20, 0, CourseOutcome.REWARD, Decimal("1.0000"), Decimal("16000.00")),
        # nobody completed: no output rate, review, no subsidy (800 × 0 = 0)
        (4, 0, 0, 0, CourseOutcome.REVIEW, None, Decimal("0.00")),
        # 4 / 4 placed but 3 of 4 cannot do the basic operations (0.75 > 0.50) → review;
        # 800 × (2.4 + 1.6) = 3200
        (4, 4, 4, 3, CourseOutcome.REVIEW, Decimal("1.0000"), Decimal("3200.00")),
        # 2 of 4 fail = 0.50, not a majority → reward stands
        (4, 4, 4, 2, CourseOutcome.REWARD, Decimal("1.0000"), Decimal("3200.00")),
    ],
)
def test_outcome_boundaries(users, course, enrolled, completed, placed, failed, outcome, output_rate, subsidy):
    run_course(course, users["labour"], enrolled=enrolled, completed=completed, placed=placed, failed=failed)
    course = services.course_assess(actor=users["labour"], course=course, as_of=AFTER_WINDOW)
    assert (course.completed_count, course.placed_count, course.basic_fail_count) == (completed, placed, failed)
    assert course.outcome == outcome
    assert course.output_rate == output_rate
    assert course.outcome_final is True
    assert course.subsidy_amount == subsidy
    assert SubsidyPayment.objects.get(course=course).amount == subsidy
    assert AccountabilityReview.objects.filter(course=course).exists() == (outcome == CourseOutcome.REVIEW)
    assert course.marked_for_reward == (outcome == CourseOutcome.REWARD)


def test_no_completers_has_no_rate_and_opens_a_review(users, course):
    run_course(course, users["labour"], enrolled=3, completed=0, placed=0)
    course = services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert course.completion_rate == Decimal("0.0000") and course.output_rate is None
    review = AccountabilityReview.objects.get(course=course)
    assert "无人结业" in review.grounds


def test_outcome_is_provisional_inside_the_placement_window(users, course):
    run_course(course, users["labour"], enrolled=5, completed=5, placed=1)
    course = services.course_assess(actor=None, course=course, as_of=IN_WINDOW)
    # 1 / 5 = 0.20 for now, but placements may still come in until 2026-09-30
    assert course.outcome == CourseOutcome.REVIEW and course.outcome_final is False
    assert not AccountabilityReview.objects.filter(course=course).exists()
    assert not SubsidyPayment.objects.filter(course=course).exists()
    course = services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert course.outcome_final is True
    assert AccountabilityReview.objects.filter(course=course, status=ReviewStatus.OPEN).count() == 1


def test_quality_review_opens_without_waiting_for_the_window(users, course):
    run_course(course, users["labour"], enrolled=3, completed=3, placed=0, failed=2)
    # 2 of 3 cannot do the basic operations: a majority, known at the end of the course
    services.course_assess(actor=None, course=course, as_of=IN_WINDOW)
    assert AccountabilityReview.objects.filter(course=course).count() == 1


def test_assessment_is_idempotent(users, course):
    run_course(course, users["labour"], enrolled=5, completed=5, placed=2)
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    counts = (AuditEvent.objects.count(), AccountabilityReview.objects.count(), SubsidyPayment.objects.count())
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert (AuditEvent.objects.count(), AccountabilityReview.objects.count(),
            SubsidyPayment.objects.count()) == counts


def test_late_placement_recomputes_proposed_subsidy_but_not_paid_one(users, course):
    enrolments = run_course(course, users["labour"], enrolled=5, completed=5, placed=3)
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    payment = SubsidyPayment.objects.get(course=course)
    assert payment.amount == Decimal("3360.00")  # 800 × (3 + 1.2)
    late = enrolments[3]
    late.refresh_from_db()
    services.placement_record(actor=users["labour"], enrolment=late, start_date=IN_WINDOW,
                              employer_name="定远服装厂", evidence="社保缴费记录 2026-09")
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    payment.refresh_from_db()
    assert payment.amount == Decimal("3680.00")  # 800 × (3 + 1.6)
    services.subsidy_pay(actor=users["labour"], payment=payment, paid_on=AFTER_WINDOW, voucher="PZ-2026-10-01")
    payment.refresh_from_db()
    assert payment.status == SubsidyStatus.PAID and payment.paid_by == users["labour"]
    assert AuditEvent.objects.filter(action="training.subsidy.pay", object_id=str(payment.pk)).count() == 1
    with pytest.raises(Conflict):
        services.subsidy_pay(actor=users["labour"], payment=payment, paid_on=AFTER_WINDOW, voucher="again")


def test_subsidy_cannot_be_paid_before_the_outcome_is_final(users, course):
    run_course(course, users["labour"], enrolled=2, completed=2, placed=2)
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    payment = SubsidyPayment.objects.get(course=course)
    course.outcome_final = False
    course.save(update_fields=["outcome_final"])
    with pytest.raises(Conflict, match="未定"):
        services.subsidy_pay(actor=users["labour"], payment=payment, paid_on=AFTER_WINDOW, voucher="PZ-1")


def test_review_closes_only_with_owner_findings_and_outcome(users, course):
    run_course(course, users["labour"], enrolled=2, completed=2, placed=0)
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    review = AccountabilityReview.objects.get(course=course)
    review.outcome = "rectify"
    with pytest.raises(DomainError, match="承办人"):
        services.accountability_review_save(actor=users["labour"], review=review)
    review.owner = users["labour"]
    review.findings = "培训机构未安排实操课时"
    review = services.accountability_review_save(actor=users["labour"], review=review)
    assert review.status == ReviewStatus.CLOSED and review.closed_by == users["labour"]
    review.findings = "改写"
    with pytest.raises(Conflict):
        services.accountability_review_save(actor=users["labour"], review=review)
    # a closed review is never re-opened by re-assessing
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert AccountabilityReview.objects.filter(course=course).count() == 1


def test_review_owner_must_be_staff_of_the_jurisdiction(users, course):
    run_course(course, users["labour"], enrolled=1, completed=1, placed=0)
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    review = AccountabilityReview.objects.get(course=course)
    review.owner = users["other_county"]
    with pytest.raises(DomainError):
        services.accountability_review_save(actor=users["labour"], review=review)


def test_ending_a_course_assesses_it_through_the_task(users, course, member_a, django_capture_on_commit_callbacks,
                                                      eager_celery):
    # the test runs inside one transaction: callbacks run when the block below ends ("commit")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
        services.course_transition(actor=users["labour"], course=course, to_status="running")
        services.enrolment_complete(actor=users["labour"], enrolment=enrolment)
        services.course_transition(actor=users["labour"], course=course, to_status="ended")
    course.refresh_from_db()
    assert course.completed_count == 1 and course.assessed_at is not None


def test_one_assessment_task_per_course_and_transaction(users, course, regions, django_capture_on_commit_callbacks):
    from django.db import transaction

    from tests.training.factories import HouseholdFactory, MemberFactory

    members = [MemberFactory(household=HouseholdFactory(region=regions["comm_a1"])) for _ in range(3)]
    enrolments = [services.enrolment_create(actor=users["labour"], course=course, member=m) for m in members]
    services.course_transition(actor=users["labour"], course=course, to_status="running")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for enrolment in enrolments:
            services.enrolment_complete(actor=users["labour"], enrolment=enrolment)
    assert len(callbacks) == 1
