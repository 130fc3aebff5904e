"""Wagtail admin screens of jobs: lists and details scoped to the user's jurisdiction."""

import pytest

from jobs import services
from jobs.models import ReferralStatus, SanctionProposal
from reemployment.core.models import Role
from tests.factories import UserFactory
from tests.jobs.factories import add_vacancy, make_employer, make_household, make_member, oblige_rural

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(users, regions):
    employer = make_employer(regions["town_b"])
    vacancies = [add_vacancy(employer, regions["town_b"], title=f"炉桥岗位{n}") for n in range(2)]
    oblige_rural(regions["county"])  # 炉桥村 is rural: the county extends the obligation and the sanction to it
    member = make_member(make_household(regions["comm_b1"]), name="李建国")
    seeker = services.seeker_register(actor=users["community_b1"], member=member, skills="电焊")
    for vacancy in vacancies:
        referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
        services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.REFUSED,
                                         refusal_reason="不去", refusal_valid=False)
    return {"employer": employer, "vacancy": vacancies[0], "seeker": seeker,
            "referral": seeker.referrals.first(), "sanctionproposal": SanctionProposal.objects.get()}


# model → (user inside the jurisdiction, user with the same role outside it)
VIEWS = {
    "employer": ("employer", "labour", "other_labour"),
    "vacancy": ("vacancy", "labour", "other_labour"),
    "seeker": ("jobseeker", "community_b1", "community_a1"),
    "referral": ("referral", "labour", "other_labour"),
    "sanctionproposal": ("sanctionproposal", "county", "other_county"),
}


@pytest.mark.parametrize("key", list(VIEWS))
def test_outsider_gets_404_and_an_empty_list(client, users, regions, records, key):
    model, insider, outsider = VIEWS[key]
    users = {**users, "other_labour": UserFactory(username="t-labour-2", role=Role.LABOUR,
                                                  region=regions["other_county"])}
    obj = records[key]
    client.force_login(users[outsider])
    for view in ("edit", "inspect", "history"):
        assert client.get(f"/admin/jobs/{model}/{view}/{obj.pk}/").status_code == 404, view
    listing = client.get(f"/admin/jobs/{model}/")
    assert listing.status_code == 200
    assert f"/{obj.pk}/" not in listing.content.decode()
    client.force_login(users[insider])
    assert client.get(f"/admin/jobs/{model}/inspect/{obj.pk}/").status_code == 200
    assert f"/{obj.pk}/" in client.get(f"/admin/jobs/{model}/").content.decode()


def test_county_confirms_a_proposal_in_the_admin(client, users, records):
    proposal = records["sanctionproposal"]
    client.force_login(users["county"])
    response = client.post(f"/admin/jobs/sanctionproposal/{proposal.pk}/do/dismiss/", {"note": "理由属实"})
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and proposal.decision_note == "理由属实"
    # Decided: neither action is offered or accepted any more (one action per service, no edit form).
    page = client.get(f"/admin/jobs/sanctionproposal/inspect/{proposal.pk}/").content.decode()
    assert "/do/confirm/" not in page and "/do/dismiss/" not in page
    assert client.post(f"/admin/jobs/sanctionproposal/{proposal.pk}/do/confirm/", {"note": ""}).status_code == 403


def test_labour_closes_a_vacancy_in_the_admin(client, users, records, django_capture_on_commit_callbacks):
    vacancy = records["vacancy"]
    client.force_login(users["labour"])
    data = {"employer": vacancy.employer_id, "title": vacancy.title, "description": vacancy.description,
            "occupation": vacancy.occupation, "region": vacancy.region_id, "pay_min": "4000", "pay_max": "6000",
            "hours": "day", "openings": 2, "requirements": "", "certificates": '["焊工证"]',
            "closes_on": str(vacancy.closes_on), "status": "closed"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/jobs/vacancy/edit/{vacancy.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    vacancy.refresh_from_db()
    assert vacancy.status == "closed"


def test_labour_refers_from_the_match_list(client, users, regions, records, encoder, django_capture_on_commit_callbacks):
    from tests.jobs.factories import add_vacancy

    seeker = records["seeker"]
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = services.vacancy_create(actor=users["labour"], employer=records["employer"], title="电焊工（钢结构）",
                                          description="钢结构焊接", occupation="电焊工", region=regions["town_b"],
                                          pay_min=5000, pay_max=7000, closes_on=add_vacancy(
                                              records["employer"], regions["town_b"]).closes_on)
    client.force_login(users["labour"])
    assert "匹配岗位" in client.get("/admin/jobs/jobseeker/").content.decode()
    page = client.get(f"/admin/jobs/jobseeker/{seeker.pk}/matches/")
    assert page.status_code == 200 and "电焊工（钢结构）" in page.content.decode()
    response = client.post(f"/admin/jobs/jobseeker/{seeker.pk}/matches/", {"vacancy": vacancy.pk})
    assert response.status_code == 302
    referral = seeker.referrals.get(vacancy=vacancy)
    assert referral.match_reasons
    client.force_login(users["community_a1"])
    assert client.get(f"/admin/jobs/jobseeker/{seeker.pk}/matches/").status_code == 404


def test_obliged_list_in_the_admin_is_scoped(client, users, regions):
    oblige_rural(regions["county"])  # 炉桥村 is rural: the county extends the obligation to it
    member = make_member(make_household(regions["comm_b1"]), sex="F", age=30, name="王小芳")
    client.force_login(users["township_b"])
    page = client.get("/admin/jobs/obliged/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王*芳" in text and "王小芳" not in text and member.id_number not in text
    client.force_login(users["township_a"])
    assert "王*芳" not in client.get("/admin/jobs/obliged/").content.decode()
    client.force_login(users["editor"])
    assert client.get("/admin/jobs/obliged/").status_code == 404
