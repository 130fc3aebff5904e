"""The reward mark follows the current final outcome (and its revocation is audited); an
accountability review opens with an owner (the course's creator) or is listed as unassigned."""

import datetime as dt
from decimal import Decimal

import pytest

from reemployment.core.models import AuditEvent, Role
from tests.factories import UserFactory
from tests.training.factories import ProviderFactory
from tests.training.helpers import AFTER_WINDOW, run_course
from training import services
from training.models import AccountabilityReview, Course, CourseOutcome, EnrolmentStatus


def test_a_correction_below_the_line_revokes_the_reward_mark(users, course):
    enrolments = run_course(course, users["labour"], enrolled=4, completed=3, placed=3)
    course = services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    # 3 placed of 3 completers = 100 % > 95 % → reward
    assert course.outcome == CourseOutcome.REWARD and course.marked_for_reward
    mark = AuditEvent.objects.get(action="training.course.reward_mark", object_id=str(course.pk))
    assert (mark.before, mark.after["marked_for_reward"]) == ({"marked_for_reward": False}, True)

    # Staff correct the fourth trainee from 未结业 to completed: 3 of 4 = 75 % → normal
    dropped = enrolments[3]
    dropped.refresh_from_db()
    assert dropped.status == EnrolmentStatus.DROPPED
    services.enrolment_complete(actor=users["labour"], enrolment=dropped)
    course = services.course_assess(actor=users["labour"], course=course, as_of=AFTER_WINDOW)
    assert course.outcome == CourseOutcome.NORMAL and course.outcome_final
    assert course.output_rate == Decimal("0.7500")
    assert course.marked_for_reward is False
    revoke = AuditEvent.objects.get(action="training.course.reward_revoke", object_id=str(course.pk))
    assert revoke.before == {"marked_for_reward": True}
    assert revoke.after == {"marked_for_reward": False, "outcome": "normal", "outcome_final": True,
                            "output_rate": "0.7500"}
    assert revoke.actor == users["labour"] and "撤销奖励" in revoke.note
    assess = AuditEvent.objects.filter(action="training.course.assess", object_id=str(course.pk)).latest("id")
    assert (assess.before["marked_for_reward"], assess.after["marked_for_reward"]) == (True, False)
    # nothing changes on a re-run: no second revocation
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert AuditEvent.objects.filter(action="training.course.reward_revoke").count() == 1


def test_no_reward_mark_while_the_outcome_is_provisional(users, course):
    run_course(course, users["labour"], enrolled=2, completed=2, placed=2)
    course = services.course_assess(actor=None, course=course, as_of=dt.date(2026, 9, 30))
    assert course.outcome == CourseOutcome.REWARD and not course.outcome_final
    assert course.marked_for_reward is False
    assert not AuditEvent.objects.filter(action__startswith="training.course.reward").exists()


def _course_created_by(actor, regions):
    provider = ProviderFactory(region=regions["county"])
    return services.course_save(actor=actor, course=Course(
        provider=provider, title="焊工培训班", course_type="machining", occupation="电焊工", region=regions["county"],
        place="县职教中心", starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 31), capacity=20,
        subsidy_per_trainee=Decimal("1200.00"), certificate_name="焊工（初级）职业技能等级证书",
        standard_certificate="焊工证"))


def test_review_opens_with_the_course_creator_as_owner(users, regions):
    course = _course_created_by(users["labour"], regions)
    assert course.created_by == users["labour"]
    run_course(course, users["labour"], enrolled=2, completed=2, placed=0, region=regions["comm_a1"])
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    review = AccountabilityReview.objects.get(course=course)
    assert review.owner == users["labour"] and review.status == "open"
    event = AuditEvent.objects.get(action="training.review.open", object_id=str(review.pk))
    assert event.after["owner_id"] == users["labour"].pk


@pytest.mark.parametrize("creator", ["system", "inactive", "other_county"])
def test_review_without_a_suitable_creator_opens_unassigned(users, regions, creator):
    if creator == "system":
        course = _course_created_by("system:import", regions)
    else:
        labour = UserFactory(username=f"t-labour-{creator}", role=Role.LABOUR, region=regions["county"])
        course = _course_created_by(labour, regions)
        if creator == "inactive":
            labour.is_active = False
        else:  # moved to another county since
            labour.region = regions["other_county"]
        labour.save()
    run_course(course, users["labour"], enrolled=1, completed=1, placed=0, region=regions["comm_a1"])
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    review = AccountabilityReview.objects.get(course=course)
    assert review.owner is None
    assert "未指定承办人" in AuditEvent.objects.get(action="training.review.open", object_id=str(review.pk)).note


def test_course_creator_is_kept_on_edit(users, regions):
    course = _course_created_by(users["labour"], regions)
    admin = users["admin"]
    course.place = "新地点"
    course.created_by = admin  # not a form field: a service-only field keeps its stored value
    course = services.course_save(actor=admin, course=course)
    course.refresh_from_db()
    assert course.created_by == users["labour"] and course.place == "新地点"
