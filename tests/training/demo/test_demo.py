"""The demo seed: outcomes on both sides of the thresholds, idempotent, robust to no members."""

import datetime as dt
import io
from decimal import Decimal

from reemployment.core.models import AuditEvent
from tests.training.factories import HouseholdFactory, MemberFactory, register_seeker
from training import demo
from training.models import (
    AccountabilityReview,
    Course,
    CourseOutcome,
    CourseStatus,
    SubsidyPayment,
    TrainingWish,
)

AS_OF = dt.date(2026, 11, 29)


def test_seed_produces_review_reward_and_normal_and_is_idempotent(regions):
    for i in range(110):
        member = MemberFactory(household=HouseholdFactory(region=regions["comm_a1" if i % 2 else "comm_b1"]))
        if i % 3 == 0:  # the survey is of registered job seekers (the jobs demo registers them first)
            register_seeker(member)
    out = io.StringIO()
    demo.seed(out, as_of=AS_OF)
    courses = {c.course_type: c for c in Course.objects.all()}
    assert len(courses) == 8
    assert courses["sewing"].outcome == CourseOutcome.REWARD and courses["sewing"].marked_for_reward
    assert courses["electronics"].outcome == CourseOutcome.REVIEW and courses["electronics"].output_rate < Decimal("0.6")
    assert courses["machining"].outcome == CourseOutcome.NORMAL
    assert all(courses[k].outcome_final for k in ("sewing", "electronics", "machining"))
    assert not courses["computer"].outcome_final
    assert courses["property"].status == CourseStatus.RUNNING
    assert {courses[k].status for k in ("catering", "security", "startup")} == {CourseStatus.OPEN}
    assert AccountabilityReview.objects.get().course == courses["electronics"]
    assert SubsidyPayment.objects.filter(status="paid").get().course == courses["sewing"]
    assert TrainingWish.objects.count() > 0
    # only registered job seekers answer the survey
    assert not TrainingWish.objects.filter(member__job_seeker__isnull=True).exists()
    # course certificates vacancies also ask for carry the vacancy's name for them
    assert (courses["machining"].standard_certificate, courses["security"].standard_certificate) == ("焊工证", "保安员证")
    before = (AuditEvent.objects.count(), Course.objects.count(), TrainingWish.objects.count())
    demo.seed(out, as_of=AS_OF)
    assert (AuditEvent.objects.count(), Course.objects.count(), TrainingWish.objects.count()) == before
    assert "already seeded" in out.getvalue()


def test_seed_without_members(regions):
    demo.seed(None, as_of=AS_OF)
    assert Course.objects.count() == 8
    # ended courses with nobody trained have no completers → review
    assert AccountabilityReview.objects.count() == 3


def test_seed_without_the_county(db):
    out = io.StringIO()
    assert demo.seed(out, as_of=AS_OF) == {}
    assert "missing" in out.getvalue()
