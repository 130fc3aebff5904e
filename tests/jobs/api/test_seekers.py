"""Job seekers through the API: register, matches with reasons, obliged-not-registered, scoping."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from benefits.models import WorkAbility
from jobs import services
from jobs.models import JobSeeker, Referral, SanctionProposal
from reemployment.core.models import Role, today
from tests.factories import UserFactory
from tests.jobs.factories import make_employer, make_household, make_member, oblige_rural, vacancy_fields

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def household(regions):
    return make_household(regions["comm_b1"])


@pytest.fixture
def posted(users, regions, django_capture_on_commit_callbacks):
    """Three open vacancies, indexed."""
    employer = make_employer(regions["town_b"])
    rows = [
        {"title": "电焊工", "description": "钢结构焊接", "occupation": "电焊工", "certificates": ["焊工证"]},
        {"title": "维修电工", "description": "厂区配电设备维修", "occupation": "电工", "certificates": ["电工证"]},
        {"title": "电子厂插件工", "description": "电子元件插件，流水线", "occupation": "电子装配工", "certificates": []},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        return [services.vacancy_create(actor=users["labour"], **vacancy_fields(employer, regions["town_b"], **row))
                for row in rows]


def test_community_registers_a_seeker_and_gets_ranked_matches(users, household, posted, encoder,
                                                                django_capture_on_commit_callbacks):
    member = make_member(household, sex="M", age=35, name="李建国")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(users["community_b1"]).post("/api/v1/job-seekers/", {
            "member": member.pk, "skills": "在钢结构厂干过五年电焊，会二保焊", "certificates": ["电焊证"],
            "desired_occupations": ["焊工"], "hours": ["day"], "preferred_townships": ["341125101"],
        }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["certificates"] == ["焊工证"] and body["desired_occupations"] == ["电焊工"]
    assert body["preferred_townships"] == ["341125101"] and body["member_name"] == "李*国"
    seeker = JobSeeker.objects.get(pk=body["id"])
    assert seeker.vector is not None  # encoded by the task on commit

    response = api(users["labour"]).get(f"/api/v1/job-seekers/{seeker.pk}/matches/?k=3")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results[0]["vacancy"] == posted[0].pk
    reasons = " ".join(results[0]["reasons"])
    assert "职业对口：电焊工" in reasons and "焊工证" in reasons and "炉桥镇" in reasons
    assert results[0]["label"] == "很合适"
    # Look-alikes are kept apart: a welder is not offered the electrician's or the electronics post.
    assert {r["vacancy"] for r in results} == {posted[0].pk}

    # A referral keeps the reasons, and the referred vacancy leaves the seeker's match list.
    response = api(users["labour"]).post("/api/v1/referrals/", {"seeker": seeker.pk, "vacancy": posted[0].pk},
                                         format="json")
    assert response.status_code == 201, response.content
    assert Referral.objects.get().match_reasons
    ids = [r["vacancy"] for r in api(users["labour"]).get(f"/api/v1/job-seekers/{seeker.pk}/matches/").json()["results"]]
    assert posted[0].pk not in ids


def test_recipient_registers_own_household_member_only(users, regions, household):
    recipient = UserFactory(username="t-recipient", role=Role.RECIPIENT)
    household.account = recipient
    household.save()
    own = make_member(household, sex="F", age=30, name="王芳")
    other = make_member(make_household(regions["comm_b1"]), sex="F", age=30, name="赵丽")
    client = api(recipient)
    # Another household's member is not one the recipient can name: 400 on the field.
    refused = client.post("/api/v1/job-seekers/", {"member": other.pk, "skills": "保洁"}, format="json")
    assert refused.status_code == 400 and "member" in refused.json()
    response = client.post("/api/v1/job-seekers/", {"member": own.pk, "skills": "保洁"}, format="json")
    assert response.status_code == 201, response.content
    assert client.get("/api/v1/job-seekers/").json()["count"] == 1
    assert client.post("/api/v1/job-seekers/", {"member": own.pk}, format="json").status_code == 409
    # Recipients cannot use staff endpoints (no model permission: refused, not an empty list).
    assert client.get("/api/v1/vacancies/").status_code == 403
    assert client.get("/api/v1/job-seekers/obliged-unregistered/").status_code == 403


def test_seekers_are_scoped(users, regions, household):
    seeker = services.seeker_register(actor=users["community_b1"], member=make_member(household), skills="电焊")
    for key in ("community_a1", "township_a", "other_county"):
        client = api(users[key])
        assert client.get(f"/api/v1/job-seekers/{seeker.pk}/").status_code == 404
        assert client.get(f"/api/v1/job-seekers/{seeker.pk}/matches/").status_code == 404
        assert client.get("/api/v1/job-seekers/").json()["count"] == 0
        assert client.patch(f"/api/v1/job-seekers/{seeker.pk}/", {"skills": "x"}, format="json").status_code == 404
    for key in ("community_b1", "township_b", "county", "labour"):
        assert api(users[key]).get(f"/api/v1/job-seekers/{seeker.pk}/").status_code == 200
    outside = api(users["community_a1"]).post("/api/v1/job-seekers/", {"member": make_member(household).pk},
                                              format="json")
    assert outside.status_code == 400 and "member" in outside.json()


def test_obliged_unregistered_lists_working_age_members_by_parameters(users, regions, household):
    as_of = today()
    oblige_rural(regions["county"])  # 炉桥村 is rural: the county extends the obligation to rural households
    man_48 = make_member(household, sex="M", age=48, name="男四八")   # 48 ≤ 48 (以下 includes 48): obliged
    make_member(household, sex="M", age=49, name="男四九")          # 49 > 48: not obliged
    woman_38 = make_member(household, sex="F", age=38, name="女三八")  # 38 ≤ 38: obliged
    make_member(household, sex="F", age=39, name="女三九")          # 39 > 38: not obliged
    make_member(household, sex="M", age=15, name="男十五")          # under 16
    make_member(household, sex="M", age=30, name="无能力", work_ability=WorkAbility.NONE)
    registered = make_member(household, sex="M", age=30, name="已登记")
    services.seeker_register(actor=users["community_b1"], member=registered)
    other_town = make_member(make_household(regions["comm_a1"]), sex="M", age=30, name="定城人")
    ended = make_household(regions["comm_b1"])
    ended.enrolments.update(status="ended", end_date=as_of - dt.timedelta(days=1))
    make_member(ended, sex="M", age=30, name="已退保")

    response = api(users["township_b"]).get("/api/v1/job-seekers/obliged-unregistered/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted(r["member_id"] for r in rows) == sorted([man_48.pk, woman_38.pk])
    assert all("*" in r["name_masked"] and "*" in r["id_number_masked"] for r in rows)
    assert "应进行求职登记" in rows[0]["explanation"]
    county_rows = api(users["county"]).get("/api/v1/job-seekers/obliged-unregistered/").json()["results"]
    assert sorted(r["member_id"] for r in county_rows) == sorted([man_48.pk, woman_38.pk, other_town.pk])
    assert api(users["other_county"]).get("/api/v1/job-seekers/obliged-unregistered/").json()["count"] == 0


def test_rural_members_are_obliged_only_when_the_county_lists_rural(users, regions, household):
    # [R4] speaks of 城市低保: by default a 30-year-old man with work ability (16 ≤ 30 ≤ 48) in a rural
    # household (炉桥村) is not on the list; the same man in an urban household (城南社区) is.
    rural = make_member(household, sex="M", age=30, name="村里人")
    urban = make_member(make_household(regions["comm_a1"]), sex="M", age=30, name="城里人")
    listed = api(users["county"]).get("/api/v1/job-seekers/obliged-unregistered/").json()["results"]
    assert [r["member_id"] for r in listed] == [urban.pk]
    # The county lists rural (jobseeker_obligation_areas: [urban, rural]): both are obliged.
    oblige_rural(regions["county"])
    listed = api(users["county"]).get("/api/v1/job-seekers/obliged-unregistered/").json()["results"]
    assert sorted(r["member_id"] for r in listed) == sorted([urban.pk, rural.pk])


def test_labour_reads_the_obliged_with_a_phone_and_nothing_of_the_benefit(users, regions):
    """What job-seeker work needs — who must register, how to reach them, the seeker profile — and
    no income, category, amount or case note (the benefit endpoints answer 403)."""
    household = make_household(regions["comm_a1"])  # urban: the obligation is urban by default
    household.phone = "13905501234"
    household.save()
    member = make_member(household, sex="M", age=30, name="待登记")
    labour = api(users["labour"])
    rows = labour.get("/api/v1/job-seekers/obliged-unregistered/").json()["results"]
    assert [(r["member_id"], r["phone"]) for r in rows] == [(member.pk, "13905501234")]
    assert not {"monthly_amount", "category", "income", "per_capita_income"} & set(rows[0])
    seeker = services.seeker_register(actor=users["labour"], member=member, skills="电焊")
    profile = labour.get(f"/api/v1/job-seekers/{seeker.pk}/").json()
    assert profile["phone"] == "13905501234" and profile["skills"] == "电焊"
    for url in ("/api/v1/benefits/applications/", "/api/v1/benefits/enrolments/", "/api/v1/benefits/reviews/",
                "/api/v1/checks/flags/", "/api/v1/checks/files/"):
        assert labour.get(url).status_code == 403, url


def test_sanction_endpoints(users, regions, household, posted):
    oblige_rural(regions["county"])  # 炉桥村 is rural: the county extends the obligation and the sanction to it
    seeker = services.seeker_register(actor=users["community_b1"], member=make_member(household), skills="电焊")
    labour = api(users["labour"])
    for vacancy in posted[:2]:
        referral_id = labour.post("/api/v1/referrals/", {"seeker": seeker.pk, "vacancy": vacancy.pk},
                                  format="json").json()["id"]
        response = labour.post(f"/api/v1/referrals/{referral_id}/outcome/",
                               {"outcome": "refused", "refusal_reason": "不想干"}, format="json")
        assert response.status_code == 200, response.content
        assert labour.post(f"/api/v1/referrals/{referral_id}/judge-refusal/", {"valid": False},
                           format="json").status_code == 200
    proposal = SanctionProposal.objects.get()
    assert api(users["other_county"]).post(f"/api/v1/sanction-proposals/{proposal.pk}/confirm/").status_code == 404
    assert labour.post(f"/api/v1/sanction-proposals/{proposal.pk}/confirm/").status_code == 403
    response = api(users["county"]).post(f"/api/v1/sanction-proposals/{proposal.pk}/confirm/", {"note": "确认"},
                                         format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    assert api(users["county"]).post(f"/api/v1/sanction-proposals/{proposal.pk}/dismiss/").status_code == 409


def test_list_endpoints_use_a_fixed_number_of_queries(users, regions, django_assert_max_num_queries):
    from tests.jobs.factories import add_vacancy

    employer = make_employer(regions["town_b"])
    for n in range(15):
        add_vacancy(employer, regions["town_b"], title=f"岗位{n}")
        household = make_household(regions["comm_b1"])
        seeker = services.seeker_register(actor=users["community_b1"], member=make_member(household), skills="电焊")
        seeker.preferred_townships.set([regions["town_b"]])
    client = api(users["labour"])
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/vacancies/").json()["results"]) == 15
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/job-seekers/").json()["results"]) == 15
