"""Editors work in the Wagtail admin: they may edit and preview pages, but publishing goes through
the moderation workflow ("发布审核"), approved by a moderator or the admin."""

import pytest

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
