"""Rate limits cannot be escaped with a forged X-Forwarded-For, and logged-in API use is throttled.

Every public endpoint (the estimate, notices, open courses, vacancy search) and the portal's tip-off
form (tests/cms/test_tip_off.py) count per client address as ``reemployment.core.network.client_ip`` sees it: a client that sends
a new X-Forwarded-For with each request is still one client. Behind a configured trusted proxy, the
address the proxy appended is the client's (two real clients are two). The login lockout uses the
same address. Every other endpoint is throttled per login (``API_USER_THROTTLE``,
``API_USER_DAILY_THROTTLE``).
"""

import pytest
from django.test import Client

from reemployment.core.api_access import PublicThrottle, SearchThrottle, UserBurstThrottle

pytestmark = pytest.mark.django_db

PUBLIC = [
    ("post", "/api/v1/eligibility/estimate", PublicThrottle, "public"),
    ("get", "/api/v1/benefits/notices", PublicThrottle, "public"),
    ("get", "/api/v1/training/open-courses/", PublicThrottle, "public"),
    ("post", "/api/v1/vacancies/search/", SearchThrottle, "search"),
]


def _send(client, method, url, forwarded):
    kwargs = {"HTTP_X_FORWARDED_FOR": forwarded}
    if method == "post":
        return client.post(url, data="{}", content_type="application/json", **kwargs)  # invalid: 400, still counted
    return client.get(url, **kwargs)


@pytest.mark.parametrize(("method", "url", "throttle", "scope"), PUBLIC, ids=[url for _, url, _, _ in PUBLIC])
def test_a_forged_forwarded_for_does_not_escape_the_public_limit(monkeypatch, settings, method, url, throttle,
                                                                  scope):
    settings.TRUSTED_PROXIES = []
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {scope: "2/minute"})
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [_send(client, method, url, f"203.0.113.{i}").status_code for i in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429, codes
    # Another address is another client.
    assert _send(Client(REMOTE_ADDR="198.51.100.8"), method, url, "203.0.113.1").status_code != 429


@pytest.mark.parametrize(("method", "url", "throttle", "scope"), PUBLIC, ids=[url for _, url, _, _ in PUBLIC])
def test_behind_a_trusted_proxy_each_forwarded_client_counts_apart(monkeypatch, settings, method, url, throttle,
                                                                    scope):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {scope: "2/minute"})
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    # nginx appends the peer it saw; what the client wrote stands to its left and is ignored.
    codes = [_send(proxy, method, url, f"1.1.1.{i}, 198.51.100.7").status_code for i in range(3)]
    assert codes[2] == 429, codes
    assert _send(proxy, method, url, "1.1.1.1, 198.51.100.8").status_code != 429


def test_login_lockout_cannot_be_escaped_with_a_forged_header(settings, regions):
    from tests.factories import UserFactory

    settings.TRUSTED_PROXIES = []
    UserFactory(username="victim", role="county", region=regions["county"])
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [client.post("/accounts/login/", {"username": "victim", "password": "wrong"},
                         HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(6)]
    assert codes[-1] == 429, codes  # locked on the fifth failure, whatever the header said


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/job-seekers/", "/api/v1/regions/"])
def test_logged_in_api_use_is_throttled_per_login(monkeypatch, users, url):
    monkeypatch.setattr(UserBurstThrottle, "THROTTLE_RATES", {"user_burst": "3/minute", "user_sustained": "1000/day"})
    client = Client()
    client.force_login(users["labour"])
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Retry-After" in client.get(url).headers
    # Per login: another account from the same address is not affected.
    other = Client()
    other.force_login(users["county"])
    assert other.get(url).status_code == 200


def test_the_daily_limit_applies_too(monkeypatch, users):
    monkeypatch.setattr(UserBurstThrottle, "THROTTLE_RATES", {"user_burst": "100/minute", "user_sustained": "2/day"})
    client = Client()
    client.force_login(users["county"])
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]


def test_user_throttles_are_the_default_of_every_endpoint():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "reemployment.core.api_access.UserBurstThrottle", "reemployment.core.api_access.UserSustainedThrottle"]
