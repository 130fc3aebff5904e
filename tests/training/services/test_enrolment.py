"""Sign-up rules: who may enrol whom, capacity and double enrolment (code and database)."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent
from tests.training.factories import CourseFactory, HouseholdFactory, MemberFactory
from training import services
from training.models import Course, CourseStatus, EnrolmentStatus, TrainingEnrolment


def test_labour_enrols_and_place_is_counted(users, course, member_a):
    enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    course.refresh_from_db()
    assert course.enrolled_count == 1
    assert enrolment.status == EnrolmentStatus.ENROLLED and enrolment.enrolled_by == users["labour"]
    assert AuditEvent.objects.filter(action="training.enrolment.create", object_id=str(enrolment.pk)).count() == 1


def test_double_enrolment_is_refused(users, course, member_a):
    services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    with pytest.raises(Conflict):
        services.enrolment_create(actor=users["community_a1"], course=course, member=member_a)
    course.refresh_from_db()
    assert course.enrolled_count == 1


def test_capacity_is_enforced(users, regions):
    course = CourseFactory(region=regions["county"], capacity=2)
    members = [MemberFactory(household=HouseholdFactory(region=regions["comm_a1"])) for _ in range(3)]
    services.enrolment_create(actor=users["labour"], course=course, member=members[0])
    services.enrolment_create(actor=users["labour"], course=course, member=members[1])
    with pytest.raises(Conflict, match="名额已满"):
        services.enrolment_create(actor=users["labour"], course=course, member=members[2])
    assert TrainingEnrolment.objects.filter(course=course).count() == 2


def test_withdrawal_frees_the_place_and_allows_re_enrolment(users, regions, member_a):
    course = CourseFactory(region=regions["county"], capacity=1)
    enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.enrolment_withdraw(actor=users["labour"], enrolment=enrolment, reason="外出务工")
    course.refresh_from_db()
    assert course.enrolled_count == 0
    again = services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    assert again.pk != enrolment.pk
    course.refresh_from_db()
    assert course.enrolled_count == 1


def test_database_refuses_more_trainees_than_places(course):
    Course.objects.filter(pk=course.pk).update(enrolled_count=F("capacity"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(enrolled_count=F("enrolled_count") + 1)


def test_database_refuses_a_second_place_for_the_same_member(course, member_a):
    TrainingEnrolment.objects.create(course=course, member=member_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingEnrolment.objects.create(course=course, member=member_a)
    # …but a withdrawn sign-up does not block a new one.
    TrainingEnrolment.objects.filter(course=course).update(status=EnrolmentStatus.WITHDRAWN)
    TrainingEnrolment.objects.create(course=course, member=member_a)


def test_recipient_signs_up_own_household_member(recipient_a, upcoming_course, member_a):
    enrolment = services.enrolment_create(actor=recipient_a, course=upcoming_course, member=member_a)
    assert enrolment.self_enrolled is True
    services.enrolment_withdraw(actor=recipient_a, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_recipient_cannot_sign_up_after_the_start(recipient_a, course, member_a):
    with pytest.raises(Conflict, match="已开班"):
        services.enrolment_create(actor=recipient_a, course=course, member=member_a)


def test_recipient_cannot_sign_up_another_household(recipient_a, upcoming_course, member_b):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=recipient_a, course=upcoming_course, member=member_b)


def test_community_staff_enrol_only_their_members(users, course, member_a, member_b):
    services.enrolment_create(actor=users["community_a1"], course=course, member=member_a)
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=users["community_a1"], course=course, member=member_b)
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=users["editor"], course=course, member=member_b)


def test_staff_of_another_county_cannot_enrol(users, course, member_a):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(actor=users["other_county"], course=course, member=member_a)


def test_course_of_another_county_is_refused(users, other_course, member_a):
    with pytest.raises(DomainError, match="本县区"):
        services.enrolment_create(actor=users["admin"], course=other_course, member=member_a)


def test_closed_course_refuses_sign_up(users, course, member_a, recipient_a):
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    with pytest.raises(Conflict):
        services.enrolment_create(actor=recipient_a, course=course, member=member_a)
    # staff may still add a late joiner while the course runs
    services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.ENDED)
    with pytest.raises(Conflict):
        services.enrolment_create(actor=users["labour"], course=course, member=MemberFactory(
            household=member_a.household))


def test_cancelling_withdraws_everybody(users, course, member_a, member_b):
    services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.enrolment_create(actor=users["labour"], course=course, member=member_b)
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.CANCELLED)
    course.refresh_from_db()
    assert course.enrolled_count == 0
    assert set(course.enrolments.values_list("status", flat=True)) == {EnrolmentStatus.WITHDRAWN}
    with pytest.raises(Conflict):
        services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)


def test_capacity_cannot_drop_below_enrolled(users, regions, member_a, member_b):
    course = CourseFactory(region=regions["county"], capacity=5)
    services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.enrolment_create(actor=users["labour"], course=course, member=member_b)
    course.capacity = 1
    with pytest.raises(Conflict):
        services.course_save(actor=users["labour"], course=course)
