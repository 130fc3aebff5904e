"""Editors work in the Wagtail admin: they may edit and preview pages, but publishing goes through
the moderation workflow ("发布审核"), approved by a moderator or the admin."""

import io

import pytest
from wagtail.models import Locale, Page

from cms import demo
from cms.models import PolicyGuidePage
from reemployment.core.models import Role
from tests.factories import UserFactory


@pytest.fixture
def guide(site):
    return PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="zh-hans")


def test_editor_may_edit_but_not_publish_directly(site, users, guide):
    permissions = guide.permissions_for_user(users["editor"])
    assert permissions.can_edit()
    assert not permissions.can_publish()
    assert site.get_workflow().name == "发布审核"


def test_editor_opens_the_edit_view_and_previews(client, site, users, guide):
    client.force_login(users["editor"])
    assert client.get(f"/admin/pages/{guide.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{guide.pk}/edit/preview/").status_code in (200, 405)


def test_community_staff_cannot_edit_pages(client, site, users, guide):
    client.force_login(users["community_a1"])
    assert client.get(f"/admin/pages/{guide.pk}/edit/").status_code in (302, 403)


def test_submitted_change_is_published_when_approved(site, users, guide):
    admin = UserFactory(username="t-superuser", role=Role.ADMIN, is_superuser=True)
    guide.title = "就业激励（修订）"
    revision = guide.save_revision(user=users["editor"])
    state = site.get_workflow().start(guide, users["editor"])
    assert state.status == "in_progress"
    guide.refresh_from_db()
    assert guide.title != "就业激励（修订）"  # not live before approval
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, admin, "approve")
    guide.refresh_from_db()
    assert guide.title == "就业激励（修订）" and guide.live_revision_id == revision.pk


# --- the English tree: a separate root with its own permissions and workflow ---------------------


@pytest.fixture
def english_search_page(site):
    from cms.models import SearchPage

    return SearchPage.objects.get(locale__language_code="en")


def test_editor_may_edit_the_english_pages_under_the_same_workflow(site, users):
    english_home = site.get_translation(Locale.objects.get(language_code="en"))
    english_guide = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="en")
    permissions = english_guide.permissions_for_user(users["editor"])
    assert permissions.can_edit() and not permissions.can_publish()
    # not Wagtail's default "Moderators approval" (on the root page)
    assert english_home.get_workflow().name == "发布审核"
    assert english_guide.get_workflow().name == "发布审核"


def test_editor_submits_an_english_page_to_the_publishing_workflow(client, site, users, english_search_page):
    client.force_login(users["editor"])
    edit_url = f"/admin/pages/{english_search_page.pk}/edit/"
    response = client.get(edit_url)
    assert response.status_code == 200
    assert 'value="Search"' in response.content.decode()  # the English content, not the Chinese copy
    response = client.post(edit_url, {
        "title": "Search the site", "slug": english_search_page.slug, "summary": "",
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000", "action-submit": "Submit for moderation",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    english_search_page.refresh_from_db()
    state = english_search_page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow.name == "发布审核"
    assert english_search_page.title == "Search"  # not live before a moderator approves


def test_seed_gives_permissions_and_workflow_to_every_home_once(site):
    from wagtail.models import GroupPagePermission, WorkflowPage

    homes = list(site.get_translations(inclusive=True))
    assert len(homes) == 2
    before = (GroupPagePermission.objects.count(), WorkflowPage.objects.count())
    demo.seed(io.StringIO())  # seed_demo runs on every `make run`
    assert (GroupPagePermission.objects.count(), WorkflowPage.objects.count()) == before
    for home in homes:
        assert WorkflowPage.objects.get(page=home).workflow.name == "发布审核"
        assert GroupPagePermission.objects.filter(page=home, group__name="网站编辑").count() == 4


# --- revisions of the English pages ---------------------------------------------------------------


def test_the_latest_revision_of_every_english_page_holds_the_english_content(site):
    english = Page.objects.filter(locale__language_code="en", depth__gte=2).specific()
    assert english
    for page in english:
        revision = page.latest_revision
        assert revision is not None, page
        assert revision.content["title"] == page.title, page  # not the Chinese copy's title
        assert page.live_revision_id == revision.pk and not page.has_unpublished_changes, page
        chinese = page.get_translation(Locale.objects.get(language_code="zh-hans"))
        assert revision.as_object().title != chinese.title


def test_seed_repairs_an_english_page_whose_latest_revision_is_the_chinese_copy(site):
    """A database seeded before the fix: live English content, latest revision Chinese."""
    english = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="en")
    chinese_title = english.get_translation(Locale.objects.get(language_code="zh-hans")).title
    stale = PolicyGuidePage.objects.get(pk=english.pk)
    stale.title = chinese_title
    stale.save_revision(log_action=False)  # only the revision and its pointers are saved
    Page.objects.filter(pk=english.pk).update(has_unpublished_changes=False)
    english.refresh_from_db()
    assert english.latest_revision.content["title"] == chinese_title

    demo.seed(io.StringIO())
    english.refresh_from_db()
    assert english.latest_revision.content["title"] == english.title
    assert english.title.startswith("Work incentives")
    revisions = english.revisions.count()
    demo.seed(io.StringIO())  # idempotent: nothing more to repair
    assert english.revisions.count() == revisions


def test_seed_leaves_an_editors_draft_alone(site, users):
    english = PolicyGuidePage.objects.get(slug="work-incentives", locale__language_code="en")
    english.title = "Work incentives (draft)"
    draft = english.save_revision(user=users["editor"])
    demo.seed(io.StringIO())
    english.refresh_from_db()
    assert english.latest_revision_id == draft.pk and english.has_unpublished_changes
