"""The recipient's training page at /en/me/training/ is in English, and the training catalogue is compiled."""

import training
from tests.jobs.views.catalogue import assert_catalogue_complete_and_compiled, chinese_left
from training.models import TrainingEnrolment


def _data(member, *courses):
    """Names and course details entered in Chinese: data, not interface."""
    values = [str(member), member.name]
    for course in courses:
        values += [course.title, course.occupation, course.place, course.certificate_name, course.provider.name,
                   course.region.name]
    return values


def test_my_training_in_english(client, recipient_a, member_a, upcoming_course):
    client.force_login(recipient_a)
    body = client.get("/en/me/training/").content.decode()
    for english in ("My training", "Household number ", "Training of your household members", "No training yet.",
                    "Courses open for sign-up", "Electronics assembly", "Dates: ", "Places left: ",
                    "the training is free", "Member to sign up", "Sign up", "Training wishes",
                    "The training-wish survey is for people registered as job seekers", 'href="/en/me/jobs/"'):
        assert english in body, english
    assert not chinese_left(body, _data(member_a, upcoming_course)), chinese_left(body, _data(member_a, upcoming_course))

    response = client.post("/en/me/training/enrol/", {"member": member_a.pk, "course": upcoming_course.pk}, follow=True)
    body = response.content.decode()
    assert f"{member_a} is signed up for “{upcoming_course.title}”." in body
    for english in ("Course", "Dates", "Status", "In training", "Certificate", "Job", "Withdraw"):
        assert english in body, english
    assert not chinese_left(body, _data(member_a, upcoming_course)), chinese_left(body, _data(member_a, upcoming_course))

    enrolment = TrainingEnrolment.objects.get(member=member_a)
    body = client.post(f"/en/me/training/enrolments/{enrolment.pk}/withdraw/", follow=True).content.decode()
    assert "The sign-up has been withdrawn." in body and "Withdrawn" in body


def test_training_wish_form_in_english(client, recipient_a, member_a):
    from tests.training.factories import register_seeker

    register_seeker(member_a)
    client.force_login(recipient_a)
    body = client.get("/en/me/training/").content.decode()
    for english in ("Type of training wanted", "Sewing", "Starting a business", "Submit",
                    "There are no courses open for sign-up at the moment."):
        assert english in body, english
    assert not chinese_left(body, _data(member_a)), chinese_left(body, _data(member_a))
    body = client.post("/en/me/training/wishes/", {"member": member_a.pk, "course_type": "nonsense"},
                       follow=True).content.decode()
    assert "Please choose a type of training." in body
    body = client.post("/en/me/training/wishes/", {"member": member_a.pk, "course_type": "sewing"},
                       follow=True).content.decode()
    assert "Your training wish has been recorded." in body


def test_my_training_stays_in_chinese(client, recipient_a, member_a, upcoming_course):
    client.force_login(recipient_a)
    body = client.post("/me/training/enrol/", {"member": member_a.pk, "course": upcoming_course.pk},
                       follow=True).content.decode()
    assert f"已为 {member_a} 报名“{upcoming_course.title}”。" in body
    for chinese in ("我的培训", "本户成员的培训", "可报名的培训班", "剩余名额：", "培训意愿登记", "退出报名", "在训"):
        assert chinese in body, chinese


def test_no_household_page_in_english(client, users):
    client.force_login(users["community_a1"])
    response = client.get("/en/me/training/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "This page is for benefit recipients and applicants" in body
    assert not chinese_left(body), chinese_left(body)
    body = client.get("/me/training/").content.decode()
    assert "您的账号尚未关联家庭" in body and 'lang="en"' not in body.split('id="main"', 1)[1]


def test_the_training_catalogue_is_complete_and_compiled():
    entries = assert_catalogue_complete_and_compiled(training)
    assert (None, "我的培训") in entries and (None, "已退出报名。") in entries


def test_every_course_type_and_status_shown_has_english():
    from pathlib import Path

    from tests.jobs.views.catalogue import po_entries
    from training.models import CourseType, EnrolmentStatus

    entries = po_entries(Path(training.__file__).parent / "locale/en/LC_MESSAGES/django.po")
    for choices in (CourseType, EnrolmentStatus):
        for label in choices.labels:
            assert (None, str(label)) in entries, label
