"""Attendance, completion, assessment, certificates and placement (输出) from hires or staff."""

import datetime as dt
from decimal import Decimal

import pytest

from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from tests.training.factories import CourseFactory, HouseholdFactory, MemberFactory
from training import selectors, services
from training.models import Attendance, CourseStatus, EnrolmentStatus, Placement, PlacementSource

COMPLETED_ON = dt.date(2026, 3, 31)  # the course fixture's end; window of 6 months ends 2026-09-30


@pytest.fixture
def completer(users, course, member_a):
    enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    return services.enrolment_complete(actor=users["labour"], enrolment=enrolment)


def test_attendance_is_recorded_set_based_and_overwritten(users, course, member_a, member_b):
    first = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    second = services.enrolment_create(actor=users["labour"], course=course, member=member_b)
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    day = dt.date(2026, 3, 2)
    assert services.attendance_record(actor=users["labour"], course=course, day=day, present_ids={first.pk}) == 2
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {first.pk: True, second.pk: False}
    services.attendance_record(actor=users["labour"], course=course, day=day, present_ids={first.pk, second.pk})
    assert Attendance.objects.count() == 2 and Attendance.objects.filter(present=True).count() == 2
    with pytest.raises(DomainError):
        services.attendance_record(actor=users["labour"], course=course, day=dt.date(2026, 4, 1), present_ids=set())
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=users["community_a1"], course=course, day=day, present_ids=set())


def test_completion_defaults_to_course_end(completer):
    assert completer.status == EnrolmentStatus.COMPLETED and completer.completed_on == COMPLETED_ON


def test_certificate_joins_the_profile(users, completer, member_a):
    services.enrolment_assess(actor=users["labour"], enrolment=completer, passed=True)
    services.enrolment_certify(actor=users["labour"], enrolment=completer, certificate_number="DZ-2026-0001")
    assert selectors.certificates_for_member(member_a) == ["电子装配工（初级）"]


def test_failed_assessment_gets_no_certificate(users, completer, member_a):
    services.enrolment_assess(actor=users["labour"], enrolment=completer, passed=False)
    with pytest.raises(Conflict):
        services.enrolment_certify(actor=users["labour"], enrolment=completer, certificate_number="DZ-2026-0002")
    assert selectors.certificates_for_member(member_a) == []


def test_certificate_numbers_are_unique(users, course, completer, member_b):
    services.enrolment_certify(actor=users["labour"], enrolment=completer, certificate_number="DZ-1")
    other = services.enrolment_create(actor=users["labour"], course=course, member=member_b)
    other = services.enrolment_complete(actor=users["labour"], enrolment=other)
    with pytest.raises(Conflict):
        services.enrolment_certify(actor=users["labour"], enrolment=other, certificate_number="DZ-1")


@pytest.mark.parametrize(
    ("start_date", "counts"),
    [
        (COMPLETED_ON, True),  # the completion day itself
        (dt.date(2026, 9, 30), True),  # 2026-03-31 + 6 months = 2026-09-30, inclusive
        (dt.date(2026, 10, 1), False),  # one day late
        (dt.date(2026, 3, 30), False),  # before completion
    ],
)
def test_placement_window_from_a_hire(completer, member_a, start_date, counts):
    created = services.placement_record_from_hire(actor="system:jobs", member=member_a, start_date=start_date,
                                                  employer_name="定远电子厂", monthly_earnings=Decimal("1800.00"),
                                                  source_id=41)
    assert (len(created) == 1) == counts
    assert Placement.objects.filter(enrolment=completer).exists() == counts


def test_placement_from_hire_is_idempotent(completer, member_a):
    args = {"actor": "system:jobs", "member": member_a, "start_date": dt.date(2026, 5, 1),
            "employer_name": "定远电子厂", "monthly_earnings": Decimal("1800.00"), "source_id": "hire-7"}
    assert len(services.placement_record_from_hire(**args)) == 1
    assert services.placement_record_from_hire(**args) == []
    placement = Placement.objects.get()
    assert (placement.source, placement.source_id) == (PlacementSource.HIRE, "hire-7")
    # another hire later does not place the same enrolment twice
    assert services.placement_record_from_hire(**{**args, "source_id": "hire-8"}) == []


def test_hire_places_only_completers(users, course, member_a):
    services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    created = services.placement_record_from_hire(actor="system:jobs", member=member_a, start_date=COMPLETED_ON,
                                                  employer_name="厂", monthly_earnings=None, source_id=1)
    assert created == []


def test_hire_places_every_open_window(users, regions, member_a):
    first = CourseFactory(region=regions["county"], starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 30))
    second = CourseFactory(region=regions["county"], starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 31))
    for course in (first, second):
        enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
        services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
        services.enrolment_complete(actor=users["labour"], enrolment=enrolment)
    created = services.placement_record_from_hire(actor="system:jobs", member=member_a,
                                                  start_date=dt.date(2026, 7, 30), employer_name="厂",
                                                  monthly_earnings=None, source_id=2)
    # 2026-01-30 + 6 = 2026-07-30 (inclusive) and 2026-03-31 + 6 = 2026-09-30: both windows hold
    assert len(created) == 2


def test_staff_placement_needs_evidence_and_the_window(users, completer):
    with pytest.raises(DomainError, match="证明材料"):
        services.placement_record(actor=users["labour"], enrolment=completer, start_date=COMPLETED_ON,
                                  employer_name="厂", evidence=" ")
    with pytest.raises(DomainError, match="上岗日期"):
        services.placement_record(actor=users["labour"], enrolment=completer, start_date=dt.date(2026, 10, 1),
                                  employer_name="厂", evidence="合同")
    services.placement_record(actor=users["labour"], enrolment=completer, start_date=dt.date(2026, 4, 15),
                              employer_name="厂", evidence="合同")
    with pytest.raises(Conflict):
        services.placement_record(actor=users["labour"], enrolment=completer, start_date=dt.date(2026, 4, 16),
                                  employer_name="厂", evidence="合同")


def test_parameter_override_changes_the_window(users, regions, completer, member_a):
    from reemployment.core.models import ParameterSet

    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2026, 1, 1),
                                values={"placement_window_months": 3})
    # 2026-03-31 + 3 months = 2026-06-30
    assert services.placement_window_end(completer) == dt.date(2026, 6, 30)
    assert services.placement_record_from_hire(actor="system:jobs", member=member_a,
                                               start_date=dt.date(2026, 7, 1), employer_name="厂",
                                               monthly_earnings=None, source_id=3) == []


def test_placed_trainee_stays_completed(users, completer):
    services.placement_record(actor=users["labour"], enrolment=completer, start_date=COMPLETED_ON,
                              employer_name="厂", evidence="合同")
    with pytest.raises(Conflict):
        services.enrolment_complete(actor=users["labour"], enrolment=completer, completed=False)


def test_members_of_other_households_in_other_townships_are_separate(users, regions, course):
    member = MemberFactory(household=HouseholdFactory(region=regions["comm_b2"]))
    enrolment = services.enrolment_create(actor=users["township_b"], course=course, member=member)
    assert enrolment.enrolled_by == users["township_b"]
