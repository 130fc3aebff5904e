"""Employers and vacancies through the API: create, search at once, close, scoping."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from jobs.models import Vacancy, VacancyStatus
from reemployment.core.models import AuditEvent as CoreAuditEvent
from reemployment.core.models import Role, today
from tests.factories import UserFactory
from tests.jobs.factories import add_vacancy, make_employer

pytestmark = pytest.mark.django_db(transaction=True)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def post_vacancy(client, employer, region_code, **overrides):
    body = {"employer": employer, "title": "电焊工", "description": "钢结构厂房电焊，二保焊，需持焊工证",
            "region": region_code, "pay_min": "4500.00", "pay_max": "6500.00", "openings": 3,
            "closes_on": str(today() + dt.timedelta(days=20)), "certificates": ["电焊证"], "occupation": "焊工"}
    body.update(overrides)
    return client.post("/api/v1/vacancies/", body, format="json")


def test_labour_creates_employer_and_vacancy_then_it_is_searchable_at_once(users, regions, encoder):
    labour = api(users["labour"])
    response = labour.post("/api/v1/employers/", {"name": "安徽炉桥钢构有限公司", "region": "341125101"}, format="json")
    assert response.status_code == 201, response.content
    employer_id = response.json()["id"]
    response = post_vacancy(labour, employer_id, "341125101")
    assert response.status_code == 201, response.content
    vacancy_id = response.json()["id"]
    assert response.json()["status"] == "open"
    vacancy = Vacancy.objects.get(pk=vacancy_id)
    assert vacancy.certificates == ["焊工证"] and vacancy.occupation == "电焊工"  # normalised
    assert vacancy.vector is not None and len(bytes(vacancy.vector)) == 384 * 4
    assert CoreAuditEvent.objects.filter(action="vacancy.create", object_id=str(vacancy_id)).exists()

    response = api().post("/api/v1/vacancies/search", {"query": "会电焊 有焊工证", "k": 5}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["vacancy"] for r in results] == [vacancy_id]
    top = results[0]
    assert top["title"] == "电焊工" and top["employer"] == "安徽炉桥钢构有限公司" and top["township"] == "炉桥镇"
    assert any("焊工证" in reason for reason in top["reasons"])
    assert set(top) >= {"vacancy", "title", "score", "reasons"}


def test_closing_removes_the_vacancy_from_search(users, regions, encoder):
    labour = api(users["labour"])
    employer = make_employer(regions["town_b"])
    keep = post_vacancy(labour, employer.pk, "341125101").json()["id"]
    close = post_vacancy(labour, employer.pk, "341125101", title="氩弧焊工").json()["id"]
    assert labour.post(f"/api/v1/vacancies/{close}/close/", {"note": "已招到"}, format="json").status_code == 200
    ids = [r["vacancy"] for r in api().post("/api/v1/vacancies/search", {"query": "焊工"}, format="json").json()["results"]]
    assert ids == [keep]
    # Closing twice is a conflict, reopening brings it back.
    assert labour.post(f"/api/v1/vacancies/{close}/close/", {}, format="json").status_code == 409
    assert labour.post(f"/api/v1/vacancies/{close}/reopen/", {}, format="json").status_code == 200
    ids = [r["vacancy"] for r in api().post("/api/v1/vacancies/search", {"query": "焊工"}, format="json").json()["results"]]
    assert sorted(ids) == sorted([keep, close])


def test_editing_text_re_encodes_and_editing_pay_does_not(users, regions, encoder):
    labour = api(users["labour"])
    employer = make_employer(regions["town_b"])
    vacancy_id = post_vacancy(labour, employer.pk, "341125101").json()["id"]
    first = Vacancy.objects.get(pk=vacancy_id)
    assert labour.patch(f"/api/v1/vacancies/{vacancy_id}/", {"pay_max": "7000.00"}, format="json").status_code == 200
    same = Vacancy.objects.get(pk=vacancy_id)
    assert bytes(same.vector) == bytes(first.vector) and same.vector_text_hash == first.vector_text_hash
    response = labour.patch(f"/api/v1/vacancies/{vacancy_id}/", {"title": "超市收银员", "description": "超市收银，白班",
                                                               "occupation": "收银员", "certificates": []},
                            format="json")
    assert response.status_code == 200, response.content
    changed = Vacancy.objects.get(pk=vacancy_id)
    assert changed.vector_text_hash != first.vector_text_hash
    top = api().post("/api/v1/vacancies/search", {"query": "收银员"}, format="json").json()["results"][0]
    assert top["vacancy"] == vacancy_id and top["title"] == "超市收银员"


def test_search_region_filter_and_validation(users, regions, encoder):
    labour = api(users["labour"])
    employer_a = make_employer(regions["town_a"], name="定城物业")
    employer_b = make_employer(regions["town_b"])
    in_a = post_vacancy(labour, employer_a.pk, "341125100", title="小区保安").json()["id"]
    in_b = post_vacancy(labour, employer_b.pk, "341125101", title="工厂门卫保安").json()["id"]
    found = api().post("/api/v1/vacancies/search", {"query": "保安", "region": "341125101"}, format="json").json()
    assert [r["vacancy"] for r in found["results"]] == [in_b]
    found = api().post("/api/v1/vacancies/search", {"query": "保安", "region": "341125"}, format="json").json()
    assert sorted(r["vacancy"] for r in found["results"]) == sorted([in_a, in_b])
    assert api().post("/api/v1/vacancies/search", {"query": ""}, format="json").status_code == 400
    assert api().post("/api/v1/vacancies/search", {"query": "保安", "k": 0}, format="json").status_code == 400
    assert api().post("/api/v1/vacancies/search", {"query": "保安", "region": "999999"}, format="json").status_code == 400


def test_validation_errors_are_json(users, regions):
    labour = api(users["labour"])
    employer = make_employer(regions["town_b"])
    response = post_vacancy(labour, employer.pk, "341125101", pay_min="5000", pay_max="4000")
    assert response.status_code == 400 and "月薪上限" in response.json()["detail"]
    response = post_vacancy(labour, employer.pk, "341125101", closes_on=str(today() - dt.timedelta(days=1)))
    assert response.status_code == 400
    response = labour.post("/api/v1/employers/", {"name": "炉桥盐化有限公司", "region": "341125101"}, format="json")
    assert response.status_code == 409  # same name in the same place (make_employer made it)


def test_only_labour_staff_in_jurisdiction_post(users, regions):
    employer = make_employer(regions["town_b"])
    # An employer outside the user's jurisdiction is as unknown as a wrong id (400 on the field),
    # and the browsable API never offers it.
    other_labour = UserFactory(username="t-other-labour", role=Role.LABOUR, region=regions["other_county"])
    response = post_vacancy(api(other_labour), employer.pk, "341125101")
    assert response.status_code == 400 and "employer" in response.json(), response.content
    # Not labour staff: no jobs.add_vacancy, refused before anything is read (RolePermission).
    for key in ("community_b1", "township_b", "county", "other_county", "editor"):
        assert post_vacancy(api(users[key]), employer.pk, "341125101").status_code == 403, key
    assert post_vacancy(api(), employer.pk, "341125101").status_code in (401, 403)


def test_lists_and_details_are_scoped(users, regions):
    employer = make_employer(regions["town_b"])
    vacancy = add_vacancy(employer, regions["town_b"])
    outsider = api(UserFactory(username="t-other-labour", role=Role.LABOUR, region=regions["other_county"]))
    assert outsider.get(f"/api/v1/vacancies/{vacancy.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/employers/{employer.pk}/").status_code == 404
    assert outsider.get("/api/v1/vacancies/").json()["count"] == 0
    assert outsider.get("/api/v1/employers/").json()["count"] == 0
    assert outsider.post(f"/api/v1/vacancies/{vacancy.pk}/close/", {}, format="json").status_code == 404
    assert outsider.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"title": "x"}, format="json").status_code == 404
    township_a = api(users["township_a"])
    assert township_a.get(f"/api/v1/vacancies/{vacancy.pk}/").status_code == 404
    labour = api(users["labour"])
    assert labour.get("/api/v1/vacancies/").json()["count"] == 1
    assert labour.get(f"/api/v1/vacancies/{vacancy.pk}/").json()["status"] == VacancyStatus.OPEN
