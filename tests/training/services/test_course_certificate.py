"""The course certificate maps onto the certificate names vacancies use, and an earned certificate
is listed (course, number, date) for the seeker's profile and matching."""

import datetime as dt

import pytest

from reemployment.core.errors import Conflict, DomainError
from tests.training.factories import CourseFactory
from tests.training.helpers import run_course
from training import selectors, services
from training.models import CourseStatus


def _certified(users, course, member, number):
    enrolment = services.enrolment_create(actor=users["labour"], course=course, member=member)
    services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    services.enrolment_complete(actor=users["labour"], enrolment=enrolment)
    return services.enrolment_certify(actor=users["labour"], enrolment=enrolment, certificate_number=number,
                                      issued_on=dt.date(2026, 4, 8))


def test_the_vacancy_certificate_must_come_from_the_vacancy_vocabulary(users, course):
    assert "焊工证" in services.standard_certificates() and "电工证" in services.standard_certificates()
    course.standard_certificate = "焊工（初级）"
    with pytest.raises(DomainError, match="对应岗位证书"):
        services.course_save(actor=users["labour"], course=course)
    course.standard_certificate = " 焊工证 "
    assert services.course_save(actor=users["labour"], course=course).standard_certificate == "焊工证"


def test_an_ended_course_may_still_get_its_vacancy_certificate_but_nothing_else(users, course):
    run_course(course, users["labour"], enrolled=1, completed=1, placed=0)
    course.standard_certificate = "焊工证"
    assert services.course_save(actor=users["labour"], course=course).standard_certificate == "焊工证"
    course.capacity = 40
    with pytest.raises(Conflict, match="对应岗位证书"):
        services.course_save(actor=users["labour"], course=course)


def test_earned_certificates_carry_course_number_date_and_the_vacancy_name(users, regions, member_a):
    welding = CourseFactory(region=regions["county"], title="焊工培训班", occupation="电焊工",
                            certificate_name="焊工（初级）职业技能等级证书", standard_certificate="焊工证")
    _certified(users, welding, member_a, "HG-2026-0001")
    [earned] = selectors.earned_certificates(member_a)
    assert (earned.name, earned.matching_name, earned.course_title, earned.number, earned.issued_on) == (
        "焊工（初级）职业技能等级证书", "焊工证", "焊工培训班", "HG-2026-0001", dt.date(2026, 4, 8))
    # for matching: the name vacancies use, not the printed one
    assert selectors.certificates_for_member(member_a) == ["焊工证"]


def test_a_course_without_a_vacancy_certificate_keeps_its_own_name(users, course, member_a):
    _certified(users, course, member_a, "DZ-1")
    assert selectors.certificates_for_member(member_a) == ["电子装配工（初级）"]

