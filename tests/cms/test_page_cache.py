"""The cache of rendered portal pages (cms/cache.py): what it keeps, for whom, and when it lets go."""

import datetime as dt

import pytest
from django.test import Client

from cms.models import PolicyGuidePage
from reemployment.core.models import today

GUIDE = "/policies/work-incentives/"


def _get(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(client, site):
    first = _get(client, GUIDE)
    second = _get(client, GUIDE)
    assert first["X-Portal-Cache"] == "miss"
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_still_carries_the_security_headers(client, site):
    _get(client, GUIDE)
    hit = _get(client, GUIDE)
    assert hit["X-Portal-Cache"] == "hit"
    assert "default-src 'self'" in (hit.get("Content-Security-Policy") or hit.get("Content-Security-Policy-Report-Only"))
    assert hit["X-Frame-Options"] == "SAMEORIGIN"
    assert hit["X-Content-Type-Options"] == "nosniff"


def test_head_is_answered_from_the_cache_without_a_body(client, site):
    _get(client, GUIDE)
    head = client.head(GUIDE)
    assert head.status_code == 200 and head["X-Portal-Cache"] == "hit" and head.content == b""


def test_each_language_has_its_own_entry(client, site):
    _get(client, "/")
    english = _get(client, "/en/")
    assert english["X-Portal-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()
    assert 'lang="zh-Hans"' in _get(client, "/").content.decode()


def test_a_logged_in_user_is_never_served_nor_stored(client, site, users):
    _get(client, GUIDE)  # cached for anonymous visitors
    client.force_login(users["editor"])
    for _ in range(2):
        response = _get(client, GUIDE)
        assert "X-Portal-Cache" not in response
        assert "退出登录" in response.content.decode()  # their own header, not the anonymous one
    client.logout()
    anonymous = Client()
    assert "退出登录" not in _get(anonymous, GUIDE).content.decode()


def test_a_visitor_with_a_session_cookie_is_rendered_fresh(client, site):
    _get(client, GUIDE)
    client.cookies["sessionid"] = "not-a-real-session"
    assert "X-Portal-Cache" not in _get(client, GUIDE)


@pytest.mark.parametrize("path", ["/report/", "/self-check/"])
def test_pages_with_a_form_are_never_cached(client, site, path):
    """The tip-off and self-check forms carry a CSRF token: a cached copy would hand one
    visitor's token to everyone."""
    for _ in range(2):
        response = _get(client, path)
        assert "X-Portal-Cache" not in response
        assert "csrfmiddlewaretoken" in response.content.decode()


def test_query_strings_are_rendered_fresh(client, site):
    for _ in range(2):
        assert "X-Portal-Cache" not in _get(client, "/jobs/", data={"q": "保洁"})


def test_publishing_a_page_shows_at_once(client, site):
    assert "X-Portal-Cache" in _get(client, GUIDE)
    guide = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="zh-hans")
    guide.title = "就业激励政策（2026年修订）"
    guide.save_revision().publish()
    fresh = _get(client, GUIDE)
    assert fresh["X-Portal-Cache"] == "miss"
    assert "就业激励政策（2026年修订）" in fresh.content.decode()


def test_unpublishing_a_page_takes_it_off_at_once(client, site):
    _get(client, GUIDE)
    PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="zh-hans").unpublish()
    assert client.get(GUIDE).status_code == 404


def test_restricting_a_page_takes_effect_at_once(client, site):
    """An editor makes a cached page private: the next anonymous visitor is sent to the login page,
    not handed the cached copy."""
    from wagtail.models import PageViewRestriction

    assert "就业" in _get(client, GUIDE).content.decode()
    assert _get(client, GUIDE)["X-Portal-Cache"] == "hit"
    guide = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="zh-hans")
    restriction = PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(GUIDE)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert _get(client, GUIDE)["X-Portal-Cache"] == "miss"


def test_a_new_vacancy_is_listed_at_once(client, site, regions):
    from tests.jobs.factories import add_vacancy, make_employer

    assert "电焊工" not in _get(client, "/jobs/").content.decode()
    assert _get(client, "/jobs/")["X-Portal-Cache"] == "hit"
    add_vacancy(make_employer(regions["town_b"]), regions["town_b"], title="电焊工")
    fresh = _get(client, "/jobs/")
    assert fresh["X-Portal-Cache"] == "miss" and "电焊工" in fresh.content.decode()


def test_a_new_course_is_listed_at_once(client, site, regions):
    from tests.training.factories import CourseFactory

    _get(client, "/training/")
    start = today() + dt.timedelta(days=10)
    CourseFactory(region=regions["county"], title="电动缝纫培训班", starts_on=start, ends_on=start + dt.timedelta(days=20))
    assert "电动缝纫培训班" in _get(client, "/training/").content.decode()


def test_zero_seconds_turns_the_cache_off(client, site, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Portal-Cache" not in _get(client, GUIDE)


def test_a_cache_outage_degrades_to_rendering(client, site, settings):
    """The page cache's Redis down: pages still render (uncached), and a publish still succeeds."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "outage-test"},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.PORTAL_PAGE_CACHE_ALIAS = "pages"
    for _ in range(2):
        response = _get(client, GUIDE)
        assert "X-Portal-Cache" not in response and "就业" in response.content.decode()
    guide = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="zh-hans")
    guide.title = "就业激励（缓存故障时发布）"
    guide.save_revision().publish()
    assert "就业激励（缓存故障时发布）" in _get(client, GUIDE).content.decode()


def test_every_public_page_is_cacheable_or_deliberately_not(client, site):
    """A guard for new page types: every live page is either served from the cache on a second
    anonymous visit, or is one of the pages that carry a form."""
    from tests.cms.conftest import page_urls

    uncached = set()
    for url in page_urls(site):
        _get(client, url)
        if _get(client, url).get("X-Portal-Cache") != "hit":
            uncached.add(url.replace("/en/", "/"))
    assert uncached == {"/report/", "/self-check/"}
