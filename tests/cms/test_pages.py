"""The demo tree: every page type renders in both languages, the tree obeys its parent/child rules,
the seed is idempotent and points the default site at the HomePage."""

import io

import pytest
from wagtail.models import Locale, Page, Site

from cms import demo
from cms.models import (
    CourseListingPage,
    HomePage,
    NoticeIndexPage,
    NoticePage,
    PolicyGuidePage,
    PolicyIndexPage,
    PublicNoticePage,
    SearchPage,
    SelfCheckPage,
    ServiceGuidePage,
    ServiceIndexPage,
    TipOffPage,
    VacancyListingPage,
)
from tests.cms.conftest import page_urls

ALL_TYPES = [
    HomePage, PolicyIndexPage, PolicyGuidePage, ServiceIndexPage, ServiceGuidePage, NoticeIndexPage, NoticePage,
    PublicNoticePage, SelfCheckPage, VacancyListingPage, CourseListingPage, TipOffPage, SearchPage,
]


def test_seed_creates_every_page_type_in_both_languages(site):
    for model in ALL_TYPES:
        for language in ("zh-hans", "en"):
            assert model.objects.live().filter(locale__language_code=language).exists(), (model, language)
    # at least three policy guides, per language
    assert PolicyGuidePage.objects.filter(locale__language_code="zh-hans").count() >= 3
    assert PolicyGuidePage.objects.filter(locale__language_code="en").count() >= 3


def test_seed_is_idempotent_and_sets_the_site_root(site):
    before = Page.objects.count()
    out = io.StringIO()
    demo.seed(out)
    assert Page.objects.count() == before
    assert "0 pages created" in out.getvalue()
    default = Site.objects.get(is_default_site=True)
    assert default.root_page.specific == site
    # Wagtail's placeholder welcome page is gone
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()


def test_every_english_page_is_a_translation_of_a_chinese_page(site):
    en = Locale.objects.get(language_code="en")
    zh = Locale.objects.get(language_code="zh-hans")
    english = Page.objects.filter(locale=en, depth__gte=2)
    assert english.count() == Page.objects.filter(locale=zh, depth__gte=2).count()
    for page in english:
        original = page.get_translation(zh)
        assert original.title != page.title  # really translated, not a copy


@pytest.mark.parametrize("model,parents", [
    (HomePage, {"wagtailcore.page"}),
    (PolicyGuidePage, {"cms.policyindexpage"}),
    (ServiceGuidePage, {"cms.serviceindexpage"}),
    (NoticePage, {"cms.noticeindexpage"}),
    (PublicNoticePage, {"cms.noticeindexpage"}),
    (SelfCheckPage, {"cms.homepage"}),
    (TipOffPage, {"cms.homepage"}),
])
def test_page_types_declare_their_parents(model, parents):
    allowed = {m._meta.label_lower for m in model.allowed_parent_page_models()}
    assert allowed == parents


def test_leaf_pages_take_no_children():
    for model in (PolicyGuidePage, ServiceGuidePage, NoticePage, PublicNoticePage, SelfCheckPage,
                  VacancyListingPage, CourseListingPage, TipOffPage, SearchPage):
        assert model.allowed_subpage_models() == [], model


def test_every_page_renders_in_both_languages(client, site):
    urls = page_urls(site)
    assert len(urls) >= 2 * len(ALL_TYPES)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "再就业与低保服务" in body or "Reemployment" in body
        # blocks render through their templates, never as raw Python values
        assert "first_row_is_table_header" not in body and "{&#x27;" not in body, url


def test_english_pages_use_english_interface(client, site):
    body = client.get("/en/").content.decode()
    assert 'lang="en"' in body
    assert "Policy guides" in body and "Skip to main content" in body
    body = client.get("/").content.decode()
    assert 'lang="zh-Hans"' in body and "跳到主要内容" in body


def _switch(client, url, language):
    """Follow the language switch link of ``url`` to ``language``: a plain link, so the page
    carries no CSRF token and stays cacheable."""
    import re

    body = client.get(url).content.decode()
    hreflang = "zh-Hans" if language == "zh-hans" else language
    target = re.search(rf'<a class="login-link lang-switch" href="([^"]*)"[^>]* hreflang="{hreflang}"', body)
    href = target.group(1)
    assert client.get(href).status_code == 200
    return href


def test_language_switch_lands_on_the_translation(client, site):
    assert _switch(client, "/policies/work-incentives/", "en") == "/en/policies/work-incentives/"
    assert _switch(client, "/en/policies/work-incentives/", "zh-hans") == "/policies/work-incentives/"
    assert _switch(client, "/", "en") == "/en/"


def test_language_switch_follows_a_translated_slug(client, site):
    english = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="en")
    english.slug = "work-incentives-en"
    english.save_revision().publish()
    assert _switch(client, "/policies/work-incentives/", "en") == "/en/policies/work-incentives-en/"
    assert _switch(client, "/en/policies/work-incentives-en/", "zh-hans") == "/policies/work-incentives/"


def test_language_switch_outside_the_page_tree(client, site, users):
    client.force_login(users["community_a1"])
    assert _switch(client, "/me/", "en") == "/en/me/"


def test_pages_link_their_translations_for_search_engines(client, site):
    body = client.get("/policies/work-incentives/").content.decode()
    assert 'hreflang="en" href="http://testserver/en/policies/work-incentives/"' in body
    assert 'hreflang="zh-Hans" href="http://testserver/policies/work-incentives/"' in body


def test_policy_guide_shows_the_standard_in_force_from_the_database(client, site):
    body = client.get("/policies/eligibility-and-amounts/").content.decode()
    assert "260.00" in body and "180.00" in body  # 2026 standards, not written in the page text


def test_service_guide_shows_steps_documents_and_opening_hours(client, site):
    body = client.get("/services/apply-for-dibao/").content.decode()
    assert '<ol class="steps">' in body
    assert "户口簿" in body and "周一至周五" in body and "一门受理" in body


def test_notice_shows_its_date(client, site):
    body = client.get("/notices/standards-2026/").content.decode()
    assert 'datetime="2025-12-20"' in body


def test_nav_marks_the_current_section(client, site):
    body = client.get("/policies/work-incentives/").content.decode()
    assert '<a href="/policies/" aria-current="page">政策指南</a>' in body


def test_unknown_page_is_404_with_the_site_layout(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() and "跳到主要内容" in response.content.decode()
