"""Demo site for ``make run``: the page tree in Chinese with an English translation of every page.

``seed(stdout)`` is idempotent: pages that exist (matched by slug under their parent, per
locale) are left as they are, so editors' changes survive a second run. It also points the
default Site at the HomePage, sets the demo county in the portal settings, removes Wagtail's placeholder welcome page, gives the editor role
its page permissions and puts the site under a moderation workflow, on the home of every language.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

# The demo content: YAML files, one per page (cms/demo_pages/site.yaml names the home page's file).
DEMO_PAGES = Path(__file__).resolve().parent / "demo_pages"

# Editors draft, preview and submit; publishing goes through the moderation workflow below.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
MODERATORS_GROUP = "Moderators"  # Wagtail's own moderators group (created by its migrations)


def _read(path: Path):
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _load_page(path: Path) -> dict:
    """A page spec from its YAML file, with its children's files read in (paths relative to DEMO_PAGES)."""
    spec = _read(path)
    spec["children"] = [_load_page(DEMO_PAGES / child) for child in spec.get("children", [])]
    return spec


def load_site(folder: Path | None = None) -> tuple[dict, dict]:
    """(portal settings, home page spec with its whole tree) from ``cms/demo_pages``.

    A page spec: ``cls`` (model name), ``slug``, ``zh`` and ``en`` field values, ``children``.
    StreamField values are lists of {"type", "value"} (Wagtail's raw form). Amounts that change
    (the standards) are not written in the pages: guides embed the ``current_standards`` block."""
    site = _read((folder or DEMO_PAGES) / "site.yaml")
    return site["portal_settings"], _load_page((folder or DEMO_PAGES) / site["home"])


def _locales() -> tuple[Locale, Locale]:
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return zh, en


def _apply(page: Page, fields: dict) -> None:
    for name, value in fields.items():
        setattr(page, name, value)


def _ensure(parent: Page, spec: dict, zh: Locale, en: Locale, created: list[str]) -> Page:
    """The page of ``spec`` under ``parent`` (created live when missing) and its English translation.

    Chinese demo pages are created live directly (no draft revision to publish): an editor's first
    edit in the admin creates the first revision and goes through the moderation workflow like any
    other. English pages are copies (``copy_for_translation`` saves a revision of the Chinese
    content), so the English content is saved as a revision of its own and published."""
    model = apps.get_model("cms", spec["cls"])
    page = model.objects.child_of(parent).filter(slug=spec["slug"], locale=zh).first()
    now = timezone.now()
    if page is None:
        page = model(slug=spec["slug"], locale=zh, live=True, first_published_at=now, last_published_at=now)
        _apply(page, spec["zh"])
        parent.add_child(instance=page)
        created.append(f"{spec['slug']} (zh)")
    translation = page.get_translation_or_none(en)
    if translation is None:
        # Wagtail core i18n: a copy in the English locale, linked by translation_key. The copy's
        # revision holds the Chinese content; the English one is saved as a new revision and
        # published, so the admin's edit view opens (and the history shows) the English text.
        translation = page.copy_for_translation(en).specific
        _apply(translation, spec["en"])
        translation.save_revision(log_action=False).publish(log_action=False)
        created.append(f"{spec['slug']} (en)")
    else:
        _repair_latest_revision(translation.specific)
    for child in spec.get("children", []):
        _ensure(page, child, zh, en, created)
    return page


def _repair_latest_revision(page: Page) -> None:
    """Databases seeded before the English revision was saved: the English page is live with English
    content but its latest revision is the Chinese copy, which the edit view would open. Save the live
    content as a revision and publish it. A page with a draft (unpublished changes) is an editor's:
    left alone."""
    revision = page.latest_revision
    if page.has_unpublished_changes or revision is None or revision.content.get("title") == page.title:
        return
    page.save_revision(log_action=False).publish(log_action=False)


def _point_site_at(home: Page) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="再就业与低保服务")
        return
    if site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "再就业与低保服务"
        site.save()
    # Wagtail's placeholder "Welcome to your new Wagtail site!" page, if still there.
    for page in Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore"):
        if not page.get_children().exists():
            page.delete()


def _portal_settings(settings: dict) -> None:
    """The demo county on every site's PortalSettings (only where none is set yet)."""
    from cms.models import PortalSettings

    for site in Site.objects.all():
        portal_settings = PortalSettings.for_site(site)
        if not portal_settings.county_code:
            portal_settings.county_code = settings["county_code"]
            portal_settings.save()


def _editor_permissions(home: Page) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

    from reemployment.core.models import Role

    group = Group.objects.filter(name=str(Role.EDITOR.label)).first()
    if group is None:
        return
    # Each language's tree is a separate root (/portal/, /portal-en/): permissions and the workflow
    # go on every locale's home, otherwise the English tree is not editable by editors and falls
    # under Wagtail's default "Moderators approval" workflow (on the root page).
    homes = list(home.get_translations(inclusive=True))
    permissions = Permission.objects.filter(content_type__app_label="wagtailcore",
                                            codename__in=EDITOR_PAGE_PERMISSIONS)
    for locale_home in homes:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=locale_home, permission=permission)
    # Moderation: an editor submits a page to "发布审核"; a moderator (Wagtail's Moderators group,
    # or the admin) approves it, which publishes it.
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    task, _ = GroupApprovalTask.objects.get_or_create(name="审核发布")
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name="发布审核")
    # WorkflowTask is a ParentalKey child: create it through its own manager so it is saved now.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for locale_home in homes:
        WorkflowPage.objects.update_or_create(page=locale_home, defaults={"workflow": workflow})


@transaction.atomic
def seed(stdout=None) -> None:
    zh, en = _locales()
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (e.g. after a transactional test): Wagtail's root page
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=zh))
    portal_settings, home_spec = load_site()
    created: list[str] = []
    home = _ensure(root, home_spec, zh, en, created)
    _point_site_at(home)
    _portal_settings(portal_settings)
    _editor_permissions(home)
    if stdout:
        stdout.write(f"cms: {len(created)} pages created" + (f" ({', '.join(created)})" if created else ""))
