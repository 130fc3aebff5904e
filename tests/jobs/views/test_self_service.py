"""Recipient self-service pages at /me/jobs/: own household only."""

import pytest

from jobs import services
from jobs.models import JobSeeker, ReferralStatus
from reemployment.core.models import Role
from tests.factories import UserFactory
from tests.jobs.factories import add_vacancy, make_employer, make_household, make_member, oblige_rural

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(regions):
    user = UserFactory(username="t-recipient", role=Role.RECIPIENT)
    household = make_household(regions["comm_b1"], account=user)
    return user, household


def test_recipient_registers_sees_matches_and_referrals(client, users, regions, recipient, encoder,
                                                         django_capture_on_commit_callbacks):
    user, household = recipient
    oblige_rural(regions["county"])  # the household is rural (炉桥): obliged only where the county lists rural [R4]
    member = make_member(household, sex="M", age=35, name="李建国")
    employer = make_employer(regions["town_b"])
    with django_capture_on_commit_callbacks(execute=True):
        welding = services.vacancy_create(actor=users["labour"], employer=employer, title="电焊工", description="钢结构焊接",
                                          occupation="电焊工", region=regions["town_b"], pay_min=4000, pay_max=6000,
                                          closes_on=add_vacancy(employer, regions["town_b"]).closes_on,
                                          certificates=["焊工证"])
    client.force_login(user)
    page = client.get("/me/jobs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "李*国" in text and "应进行求职登记" in text and "李建国" not in text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/me/jobs/members/{member.pk}/profile/", {
            "skills": "会电焊，有焊工证", "experience": "钢结构厂五年", "education": "junior", "certificates": "焊工证",
            "desired_occupations": "电焊工", "hours": ["day"], "preferred_townships": [regions["town_b"].pk],
            "physical_limits": "",
        })
    seeker = JobSeeker.objects.get(member=member)
    assert response.status_code == 302 and response.url == f"/me/jobs/seekers/{seeker.pk}/matches/"
    assert seeker.certificates == ["焊工证"] and list(seeker.preferred_townships.all()) == [regions["town_b"]]
    page = client.get(response.url).content.decode()
    assert "电焊工" in page and "职业对口" in page
    # If you take this job: pay 4000 ≥ 800 → half of the household's 300.00 for 6 months.
    assert "如果您接受这个岗位" in page and "150.00 元" in page and "共 6 个月" in page

    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=welding)
    services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.REFUSED,
                                     refusal_reason="太远")
    page = client.get("/me/jobs/").content.decode()
    assert "求职者拒绝" in page and "太远" in page


def test_recipient_cannot_reach_another_household(client, regions, recipient, users):
    user, _ = recipient
    other = make_household(regions["comm_b1"])
    stranger = make_member(other, name="赵丽", sex="F")
    seeker = services.seeker_register(actor=users["community_b1"], member=stranger, skills="保洁")
    client.force_login(user)
    assert client.get(f"/me/jobs/members/{stranger.pk}/profile/").status_code == 404
    assert client.post(f"/me/jobs/members/{stranger.pk}/profile/", {"education": "junior"}).status_code == 404
    assert client.get(f"/me/jobs/seekers/{seeker.pk}/matches/").status_code == 404


def test_staff_and_anonymous_get_no_self_service(client, users):
    assert client.get("/me/jobs/").status_code == 302  # to the login page
    client.force_login(users["community_b1"])
    assert client.get("/me/jobs/").status_code == 404
