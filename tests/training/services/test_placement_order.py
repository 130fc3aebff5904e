"""Placement (输出) from a hire does not depend on which was recorded first: the hire (jobs) or
the completion (training). Course fixture: 2026-03-02 … 2026-03-31, completion on 2026-03-31,
placement window (6 months, both days included) 2026-03-31 … 2026-09-30."""

import datetime as dt
from decimal import Decimal

import pytest

from jobs import services as job_services
from jobs.models import Hire, ReferralStatus
from reemployment.core.models import AuditEvent
from tests.jobs.factories import add_vacancy, make_employer
from tests.training.helpers import AFTER_WINDOW
from training import services
from training.models import CourseStatus, EnrolmentStatus, Placement, PlacementSource

COMPLETED_ON = dt.date(2026, 3, 31)


@pytest.fixture
def seeker(users, member_a):
    return job_services.seeker_register(actor=users["community_a1"], member=member_a, skills="电子厂插件",
                                        desired_occupations=["电子装配工"], hours=["day"])


@pytest.fixture
def vacancy(regions):
    return add_vacancy(make_employer(regions["county"], name="定远华强电子有限公司"), regions["town_a"],
                       title="电子插件工", occupation="电子装配工", certificates=[], openings=5)


@pytest.fixture
def trainee(users, course, member_a):
    enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    return enrolment


def record_hire(users, seeker, vacancy, start_date) -> Hire:
    """The real jobs path: referral → outcome "hired" → Hire, which calls training's hire join."""
    referral = job_services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
    job_services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.HIRED,
                                         start_date=start_date, monthly_earnings="2100.00")
    return Hire.objects.get(referral=referral)


def complete(users, enrolment):
    return services.enrolment_complete(actor=users["labour"], enrolment=enrolment, completed_on=COMPLETED_ON)


def assessed(users, course):
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.ENDED)
    return services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)


@pytest.mark.parametrize("order", ["completion_first", "hire_first"])
def test_output_rate_does_not_depend_on_the_order_of_entry(users, course, trainee, seeker, vacancy, order):
    start = dt.date(2026, 4, 15)
    if order == "completion_first":
        complete(users, trainee)
        hire = record_hire(users, seeker, vacancy, start)
    else:
        hire = record_hire(users, seeker, vacancy, start)
        assert not Placement.objects.exists()  # not completed yet: nothing to place
        complete(users, trainee)
    placement = Placement.objects.get(enrolment=trainee)
    assert (placement.source, placement.source_id) == (PlacementSource.HIRE, f"jobs.hire:{hire.pk}")
    assert (placement.start_date, placement.employer_name, placement.monthly_earnings) == (
        start, "定远华强电子有限公司", Decimal("2100.00"))
    assert AuditEvent.objects.filter(action="training.placement.from_hire", object_id=str(placement.pk)).count() == 1
    course = assessed(users, course)
    # 1 placed of 1 completer = 100 % either way
    assert (course.completed_count, course.placed_count, course.output_rate) == (1, 1, Decimal("1.0000"))
    # the hire's own join, called again, finds the enrolment placed: nothing twice
    assert services.placement_record_from_hire(
        actor="system:jobs", member=trainee.member, start_date=start, employer_name="x",
        monthly_earnings=None, source_id=f"jobs.hire:{hire.pk}") == []
    assert Placement.objects.count() == 1


@pytest.mark.parametrize(
    ("start_date", "placed"),
    [
        (COMPLETED_ON, True),  # the completion day itself
        (dt.date(2026, 9, 30), True),  # 2026-03-31 + 6 months, inclusive
        (dt.date(2026, 10, 1), False),  # one day after the window
        (dt.date(2026, 3, 30), False),  # a job that started before the completion is no output
    ],
)
def test_hire_recorded_before_completion_counts_only_inside_the_window(users, trainee, seeker, vacancy, start_date,
                                                                        placed):
    record_hire(users, seeker, vacancy, start_date)
    complete(users, trainee)
    assert Placement.objects.filter(enrolment=trainee).exists() == placed


def test_earliest_hire_in_the_window_places_the_completer(users, regions, trainee, seeker, vacancy):
    later_vacancy = add_vacancy(make_employer(regions["county"], name="定远服装厂"), regions["town_a"],
                                title="平车工", occupation="缝纫工", certificates=[])
    record_hire(users, seeker, later_vacancy, dt.date(2026, 6, 1))
    job_services.seeker_set_status(actor=users["labour"], seeker=seeker, status="active", note="换工作")
    first = record_hire(users, seeker, vacancy, dt.date(2026, 4, 20))  # recorded second, started first
    complete(users, trainee)
    assert Placement.objects.get(enrolment=trainee).source_id == f"jobs.hire:{first.pk}"


def test_drop_corrected_back_to_completed_picks_up_the_earlier_hire(users, trainee, seeker, vacancy):
    services.enrolment_complete(actor=users["labour"], enrolment=trainee, completed=False)  # 未结业
    hire = record_hire(users, seeker, vacancy, dt.date(2026, 5, 4))
    assert not Placement.objects.exists()
    enrolment = complete(users, trainee)  # correction: dropped → completed
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert Placement.objects.get(enrolment=trainee).source_id == f"jobs.hire:{hire.pk}"


def test_hire_of_another_member_does_not_place(users, regions, trainee, vacancy):
    from tests.training.factories import HouseholdFactory, MemberFactory

    other = MemberFactory(household=HouseholdFactory(region=regions["comm_a1"]))
    other_seeker = job_services.seeker_register(actor=users["community_a1"], member=other, skills="插件")
    record_hire(users, other_seeker, vacancy, dt.date(2026, 4, 15))
    complete(users, trainee)
    assert not Placement.objects.exists()


def test_assessment_catches_up_a_hire_the_completion_did_not_see(users, course, trainee, seeker, vacancy):
    """A hire committed concurrently with the completion (or entered before this rule existed) is
    found when the course is assessed, once."""
    complete(users, trainee)
    hire = Hire.objects.create(seeker=seeker, member=seeker.member, household=seeker.member.household,
                               vacancy=vacancy, start_date=dt.date(2026, 7, 1), monthly_earnings=Decimal("1900.00"))
    course = assessed(users, course)
    placement = Placement.objects.get(enrolment=trainee)
    assert placement.source_id == f"jobs.hire:{hire.pk}" and placement.start_date == dt.date(2026, 7, 1)
    assert course.placed_count == 1
    events = AuditEvent.objects.count()
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert (Placement.objects.count(), AuditEvent.objects.count()) == (1, events)  # idempotent


def test_assessment_does_not_place_from_a_hire_outside_the_window(users, course, trainee, seeker, vacancy):
    complete(users, trainee)
    Hire.objects.create(seeker=seeker, member=seeker.member, household=seeker.member.household, vacancy=vacancy,
                        start_date=dt.date(2026, 10, 1), monthly_earnings=Decimal("1900.00"))
    course = assessed(users, course)
    assert course.placed_count == 0 and not Placement.objects.exists()
