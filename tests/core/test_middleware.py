"""A NUL character in the URL is refused with 400 before any view (PostgreSQL text cannot hold it)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/v1/training/open-courses/?region=%00",
    "/api/v1/training/open-courses/?region=3411%0025",
    "/api/v1/benefits/notices?%00=1",
    "/api/v1/vacancies/?search=a&search=b%00",
])
def test_api_answers_400_in_json(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/?q=%00", "/search/?q=%E7%94%B5%00", "/admin/?x=%00", "/%00/"])
def test_pages_answer_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_requests_pass(client, regions):
    response = client.get("/api/v1/training/open-courses/", {"region": regions["county"].code})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_refusal_is_in_the_request_language(client):
    assert client.get("/?q=%00").content.decode() == "请求中含有不允许的控制字符（NUL）"
    english = client.get("/en/?q=%00")
    assert english.status_code == 400 and english.content.decode() == "the request contains a NUL character"
    api = client.get("/api/v1/vacancies/?search=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert api.json()["detail"] == "the request contains a NUL character"
