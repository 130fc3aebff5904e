"""Recipient self-service at /me/training/: own household only."""

import pytest

from training.models import EnrolmentStatus, TrainingEnrolment, TrainingWish


def test_anonymous_is_sent_to_login(client):
    response = client.get("/me/training/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_without_household_get_403(client, users):
    client.force_login(users["community_a1"])
    assert client.get("/me/training/").status_code == 403


def test_recipient_sees_open_courses_and_signs_up(client, recipient_a, member_a, upcoming_course, course):
    client.force_login(recipient_a)
    page = client.get("/me/training/").content.decode()
    assert upcoming_course.title in page
    assert course.title not in page  # started in the past: not open for sign-up
    response = client.post("/me/training/enrol/", {"member": member_a.pk, "course": upcoming_course.pk})
    assert response.status_code == 302
    enrolment = TrainingEnrolment.objects.get(member=member_a)
    assert enrolment.self_enrolled and enrolment.enrolled_by == recipient_a
    page = client.get("/me/training/").content.decode()
    assert "退出报名" in page
    client.post(f"/me/training/enrolments/{enrolment.pk}/withdraw/")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_recipient_cannot_act_for_another_household(client, recipient_a, member_b, upcoming_course, users):
    from training import services

    client.force_login(recipient_a)
    assert client.post("/me/training/enrol/", {"member": member_b.pk, "course": upcoming_course.pk}).status_code == 404
    other = services.enrolment_create(actor=users["labour"], course=upcoming_course, member=member_b)
    assert client.post(f"/me/training/enrolments/{other.pk}/withdraw/").status_code == 404
    other.refresh_from_db()
    assert other.status == EnrolmentStatus.ENROLLED
    assert member_b.name not in client.get("/me/training/").content.decode()


def test_full_course_message(client, recipient_a, member_a, regions):
    from tests.training.factories import CourseFactory
    from training.models import Course

    full = CourseFactory(region=regions["county"], capacity=1, starts_on=__import__("datetime").date(2099, 1, 1),
                         ends_on=__import__("datetime").date(2099, 1, 31))
    Course.objects.filter(pk=full.pk).update(enrolled_count=1)
    client.force_login(recipient_a)
    response = client.post("/me/training/enrol/", {"member": member_a.pk, "course": full.pk}, follow=True)
    assert "名额已满" in response.content.decode()


@pytest.mark.parametrize("course_type", ["sewing", "mining"])
def test_recipient_records_a_wish(client, recipient_a, member_a, course_type):
    from tests.training.factories import register_seeker

    register_seeker(member_a)
    client.force_login(recipient_a)
    client.post("/me/training/wishes/", {"member": member_a.pk, "course_type": course_type})
    wish = TrainingWish.objects.get()
    assert (wish.member, wish.course_type, wish.region) == (member_a, course_type, member_a.household.region)


def test_wish_form_offers_only_registered_job_seekers(client, recipient_a, member_a, household_a):
    from tests.training.factories import MemberFactory, register_seeker

    spouse = MemberFactory(household=household_a, name="未登记成员")
    client.force_login(recipient_a)
    page = client.get("/me/training/").content.decode()
    assert "培训意愿调查面向已办理求职登记的人员" in page and "/me/jobs/" in page
    register_seeker(member_a)
    page = client.get("/me/training/").content.decode()
    wish_form = page[page.index('action="/me/training/wishes/"'):]
    assert str(member_a) in wish_form and "未登记成员" not in wish_form
    response = client.post("/me/training/wishes/", {"member": spouse.pk, "course_type": "sewing"}, follow=True)
    assert "请先办理求职登记" in response.content.decode()
    assert not TrainingWish.objects.exists()
