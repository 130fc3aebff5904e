"""A certificate earned in training is part of the seeker's profile and a real matching signal
(DESIGN.md §5): it is in the encoded text, it re-encodes the stored vector, and a vacancy that
requires it ranks higher with the certificate reason — through the real services, index and model."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from jobs import selectors, services
from jobs.matching.pipeline import seeker_certificates, seeker_matching_text
from jobs.models import JobSeeker
from reemployment.core.models import Role, today
from tests.factories import UserFactory
from tests.jobs.factories import make_employer, make_household, make_member, vacancy_fields
from tests.training.factories import CourseFactory
from training import services as training_services
from training.models import CourseStatus

pytestmark = pytest.mark.django_db

WELDING_CERTIFICATE = "焊工（初级）职业技能等级证书"


@pytest.fixture
def vacancies(users, regions, django_capture_on_commit_callbacks):
    """Open, indexed: a welding post that requires 焊工证, a welding helper post that requires
    nothing, and an electronics post."""
    employer = make_employer(regions["town_b"])
    rows = [
        {"title": "电焊工（钢结构）", "description": "钢结构厂房构件焊接，二保焊", "occupation": "电焊工",
         "requirements": "持焊工证", "certificates": ["焊工证"]},
        {"title": "焊接辅助工", "description": "钢结构焊接打磨、搬运，可学焊接", "occupation": "电焊工",
         "requirements": "能吃苦", "certificates": []},
        {"title": "电子厂插件工", "description": "电子元件插件，流水线", "occupation": "电子装配工",
         "requirements": "", "certificates": []},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        return {row["title"]: services.vacancy_create(actor=users["labour"],
                                                      **vacancy_fields(employer, regions["town_b"], **row))
                for row in rows}


@pytest.fixture
def seeker(users, regions, django_capture_on_commit_callbacks):
    member = make_member(make_household(regions["comm_b1"]), name="王焊工")
    with django_capture_on_commit_callbacks(execute=True):
        return services.seeker_register(actor=users["community_b1"], member=member, skills="学过电焊，会二保焊",
                                        experience="在工地干过杂工", desired_occupations=["电焊工"], hours=["day"])


def certify(users, regions, member, *, standard_certificate, number="HG-2026-0001"):
    start = today() - dt.timedelta(days=60)
    course = CourseFactory(region=regions["county"], title="焊工培训班", occupation="电焊工", course_type="machining",
                           starts_on=start, ends_on=start + dt.timedelta(days=29), certificate_name=WELDING_CERTIFICATE,
                           standard_certificate=standard_certificate)
    enrolment = training_services.enrolment_create(actor=users["labour"], course=course, member=member)
    training_services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    training_services.enrolment_complete(actor=users["labour"], enrolment=enrolment)
    return training_services.enrolment_certify(actor=users["labour"], enrolment=enrolment, certificate_number=number)


def ranked(seeker):
    seeker = JobSeeker.objects.get(pk=seeker.pk)
    return {r["title"]: (position, r) for position, r in enumerate(selectors.matches_for_seeker(seeker, 3))}


def test_earned_certificate_ranks_the_vacancy_requiring_it_higher(users, regions, vacancies, seeker, encoder,
                                                                   eager_celery, django_capture_on_commit_callbacks):
    before = ranked(seeker)
    position_before, welding_before = before["电焊工（钢结构）"]
    assert "岗位要求证书（未登记持有）：焊工证" in welding_before["reasons"]
    hash_before = JobSeeker.objects.get(pk=seeker.pk).vector_text_hash

    with django_capture_on_commit_callbacks(execute=True):
        certify(users, regions, seeker.member, standard_certificate="焊工证")

    stored = JobSeeker.objects.get(pk=seeker.pk)
    # part of the profile text, and the stored vector was recomputed when the certificate was recorded
    assert "持有证书：焊工证" in seeker_matching_text(stored)
    assert stored.vector_text_hash != hash_before and stored.vector is not None
    after = ranked(seeker)
    position_after, welding_after = after["电焊工（钢结构）"]
    assert "持有岗位要求的证书：焊工证" in welding_after["reasons"]
    assert not any("未登记持有" in reason for reason in welding_after["reasons"])
    assert welding_after["score"] > welding_before["score"]
    assert position_after == 0 and position_after <= position_before
    # the post that requires no certificate is unaffected by the penalty either way
    assert after["焊接辅助工"][0] > position_after


def test_course_certificate_counts_only_under_the_name_vacancies_use(users, regions, vacancies, seeker, encoder):
    """Without the mapping the printed name 焊工（初级）职业技能等级证书 never equals 焊工证."""
    certify(users, regions, seeker.member, standard_certificate="")
    assert seeker_certificates(JobSeeker.objects.get(pk=seeker.pk)) == [WELDING_CERTIFICATE]
    reasons = ranked(seeker)["电焊工（钢结构）"][1]["reasons"]
    assert "岗位要求证书（未登记持有）：焊工证" in reasons


def test_profile_api_admin_and_self_service_show_the_certificate(client, users, regions, seeker,
                                                                 django_assert_max_num_queries):
    certify(users, regions, seeker.member, standard_certificate="焊工证")
    api = APIClient()
    api.force_authenticate(users["labour"])
    body = api.get(f"/api/v1/job-seekers/{seeker.pk}/").json()
    assert body["certificates"] == []  # the profile's own list is the seeker's to edit
    [earned] = body["training_certificates"]
    assert earned == {"name": WELDING_CERTIFICATE, "matching_name": "焊工证", "course": earned["course"],
                      "course_title": "焊工培训班", "provider": earned["provider"], "number": "HG-2026-0001",
                      "issued_on": earned["issued_on"]}
    assert earned["issued_on"] == (today() - dt.timedelta(days=31)).isoformat()  # the completion day
    # read-only: a client cannot write it
    response = api.patch(f"/api/v1/job-seekers/{seeker.pk}/", {"training_certificates": []}, format="json")
    assert response.status_code == 200 and response.json()["training_certificates"] == [earned]
    # one query more for the whole list, not one per seeker
    for n in range(5):
        other = services.seeker_register(actor=users["community_b1"],
                                         member=make_member(make_household(regions["comm_b1"])), skills="电焊")
        certify(users, regions, other.member, standard_certificate="焊工证", number=f"HG-2026-01{n:02d}")
    with django_assert_max_num_queries(8):
        rows = api.get("/api/v1/job-seekers/").json()["results"]
    assert len(rows) == 6 and all(len(row["training_certificates"]) == 1 for row in rows)

    client.force_login(users["community_b1"])
    page = client.get(f"/admin/jobs/jobseeker/inspect/{seeker.pk}/").content.decode()
    assert "培训所获证书" in page and WELDING_CERTIFICATE in page and "HG-2026-0001" in page and "焊工培训班" in page

    recipient = UserFactory(username="t-recipient-hg", role=Role.RECIPIENT)
    household = seeker.member.household
    household.account = recipient
    household.save(update_fields=["account"])
    client.force_login(recipient)
    page = client.get(f"/me/jobs/members/{seeker.member.pk}/profile/").content.decode()
    assert "培训所获证书" in page and WELDING_CERTIFICATE in page and "HG-2026-0001" in page
    assert "岗位匹配按：焊工证" in page
