"""The recipient's job-seeker pages at /en/me/jobs/ are in English, and the jobs catalogue is compiled."""

import pytest

import jobs
from jobs import services
from jobs.models import JobSeeker, ReferralStatus
from reemployment.core.models import Region, Role
from tests.factories import UserFactory
from tests.jobs.factories import add_vacancy, make_employer, make_household, make_member
from tests.jobs.views.catalogue import assert_catalogue_complete_and_compiled, chinese_left

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker_setup(client, users, regions, django_capture_on_commit_callbacks):
    user = UserFactory(username="t-recipient-en", role=Role.RECIPIENT)
    household = make_household(regions["comm_b1"], account=user)
    member = make_member(household, sex="M", age=35, name="李建国")
    employer = make_employer(regions["town_b"])
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = services.vacancy_create(actor=users["labour"], employer=employer, title="电焊工", description="钢结构焊接",
                                          occupation="电焊工", region=regions["town_b"], pay_min=4000, pay_max=6000,
                                          closes_on=add_vacancy(employer, regions["town_b"]).closes_on,
                                          certificates=["焊工证"])
    client.force_login(user)
    return {"member": member, "vacancy": vacancy}


def _region_names():
    # the township choices are labelled with str(region), "定城镇（341125100）": data, not interface
    return [str(region) for region in Region.objects.all()] + [region.name for region in Region.objects.all()]


def test_job_pages_in_english(client, users, regions, seeker_setup, django_capture_on_commit_callbacks):
    member = seeker_setup["member"]
    response = client.get("/en/me/jobs/")
    body = response.content.decode()
    assert '<html lang="en"' in body
    for english in ("My employment services", "Job-seeker registration of household members", "Duty to register",
                    "Not registered", "Referrals", "No referrals yet."):
        assert english in body, english
    data = [row["name"] for row in response.context["members"]] + \
           [row["obligation"].explanation for row in response.context["members"]]
    assert not chinese_left(body, data), chinese_left(body, data)

    response = client.get(f"/en/me/jobs/members/{member.pk}/profile/")
    body = response.content.decode()
    for english in ("Job-seeker registration: ", "Skills", "Education", "Junior secondary school", "Day shift",
                    "Townships where you would like to work", "Save", "Certificates from training", "None yet."):
        assert english in body, english
    assert not chinese_left(body, ["李*国", *_region_names()]), chinese_left(body, ["李*国", *_region_names()])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/me/jobs/members/{member.pk}/profile/", {
            "skills": "welding", "experience": "", "education": "junior", "certificates": "焊工证",
            "desired_occupations": "电焊工", "hours": ["day"], "preferred_townships": [regions["town_b"].pk],
            "physical_limits": "",
        }, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/en/me/jobs/seekers/")
    for english in ("The job-seeker registration has been saved.", "Jobs recommended for ", "yuan a month",
                    "closes ", "If you take this job: ", "150.00 yuan", "for 6 months (until ",
                    "Change the job-seeker registration", "Back"):
        assert english in body, english
    results = response.context["results"]
    assert results
    data = ["李*国"] + [value for r in results for value in (r["title"], r["employer"], r["township"], *r["reasons"])]
    assert not chinese_left(body, data), chinese_left(body, data)  # the match reasons stay in Chinese (data)

    seeker = JobSeeker.objects.get(member=member)
    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=seeker_setup["vacancy"])
    services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.REFUSED,
                                     refusal_reason="太远")
    response = client.get("/en/me/jobs/")
    body = response.content.decode()
    for english in ("Registered (Looking for work, ", "Change the registration", "Recommended jobs", "Outcome",
                    "Refused by the job seeker", "Reason for refusing: 太远"):
        assert english in body, english
    data = [row["name"] for row in response.context["members"]] + \
           [row["obligation"].explanation for row in response.context["members"]] + \
           ["太远", seeker_setup["vacancy"].title, seeker_setup["vacancy"].employer.name]
    assert not chinese_left(body, data), chinese_left(body, data)


def test_job_pages_stay_in_chinese(client, seeker_setup):
    body = client.get("/me/jobs/").content.decode()
    assert '<html lang="zh-Hans"' in body
    for chinese in ("我的就业服务", "家庭成员求职登记", "未登记", "推荐记录", "暂无推荐记录。"):
        assert chinese in body, chinese
    body = client.get(f"/me/jobs/members/{seeker_setup['member'].pk}/profile/").content.decode()
    for chinese in ("求职登记：李*国", "技能", "初中", "白班", "保存", "培训所获证书"):
        assert chinese in body, chinese


def test_the_jobs_catalogue_is_complete_and_compiled():
    entries = assert_catalogue_complete_and_compiled(jobs)
    assert (None, "求职登记已保存。") in entries and (None, "我的就业服务") in entries


def test_jobs_translations_agree_with_the_other_catalogues():
    """Django merges the catalogues (benefits before jobs before training before cms): a msgid used by
    more than one app must have the same English in each, or one page would show the other's."""
    from pathlib import Path

    import benefits
    import cms
    import training
    from tests.jobs.views.catalogue import po_entries

    catalogues = {app.__name__: po_entries(Path(app.__file__).parent / "locale/en/LC_MESSAGES/django.po")
                  for app in (benefits, jobs, training, cms)}
    for name in ("jobs", "training"):
        for key, value in catalogues[name].items():
            for other, entries in catalogues.items():
                if other != name and key in entries:
                    assert entries[key] == value, (name, other, key)


def test_every_choice_shown_on_the_job_pages_has_english():
    from jobs.models import Education, Hours, SeekerStatus

    entries = assert_catalogue_complete_and_compiled(jobs)
    for choices in (Education, Hours, SeekerStatus, ReferralStatus):
        for label in choices.labels:
            assert (None, str(label)) in entries, label
