"""The recipient hub /me/, the login page and where users land after logging in."""

import pytest
from django.test import RequestFactory

from cms.views import PortalLoginView, landing_url_for
from reemployment.core.models import Role
from tests.factories import UserFactory


@pytest.fixture
def recipient(regions):
    return UserFactory(username="341125198001010011", role=Role.RECIPIENT, display_name="张大山")


def test_me_requires_login(client, site):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/me/")


def test_me_shows_one_menu_with_the_four_services(client, site, recipient):
    client.force_login(recipient)
    body = client.get("/me/").content.decode()
    for label in ("我的低保", "我的求职", "我的培训", "报告变化"):
        assert label in body
    # each entry links to the view its app provides (none is "暂未开通" once all apps are installed)
    for href in ("/me/benefit/", "/me/jobs/", "/me/training/", "/me/benefit/report/"):
        assert f'href="{href}"' in body
    assert "暂未开通" not in body
    assert 'name="viewport"' in body  # phone-width layout


def test_me_in_english(client, site, recipient):
    client.force_login(recipient)
    body = client.get("/en/me/").content.decode()
    assert "My benefit" in body and "Report a change" in body


def test_me_tells_staff_to_use_the_admin(client, site, users):
    client.force_login(users["community_a1"])
    assert 'href="/admin/"' in client.get("/me/").content.decode()


def test_login_page_explains_id_number_login(client, site):
    body = client.get("/accounts/login/").content.decode()
    assert "用身份证号码登录" in body
    assert 'autocomplete="username"' in body and 'for="id_password"' in body


@pytest.mark.parametrize("role,expected", [
    (Role.RECIPIENT, "/me/"),
    (Role.COMMUNITY, "/admin/"),
    (Role.LABOUR, "/admin/"),
    (Role.EDITOR, "/admin/"),
])
def test_landing_page_by_role(regions, role, expected):
    user = UserFactory(username=f"landing-{role}", role=role,
                       region=regions["comm_a1"] if role == Role.COMMUNITY else regions["county"])
    assert landing_url_for(user) == expected


def test_login_view_sends_recipients_to_me_and_respects_next(recipient):
    view = PortalLoginView()
    request = RequestFactory().post("/accounts/login/")
    request.user = recipient
    view.setup(request)
    assert view.get_success_url() == "/me/"
    request = RequestFactory().post("/accounts/login/", {"next": "/me/jobs/"})
    request.user = recipient
    view.setup(request)
    assert view.get_success_url() == "/me/jobs/"
