"""End-to-end tests in headless Chromium (Debian's ``chromium``), driven by Playwright for Python.

The browser talks to pytest-django's ``live_server`` (a real HTTP server in a thread) over the test
database. Tests are transactional and use ``serialized_rollback`` so that the data the migrations
created (Wagtail's root page, the default site, role groups) is restored for the tests that follow.
On failure a full-page screenshot of the current page is saved to ``test-artifacts/``; set
``BROWSER_SCREENSHOTS=1`` to save one for every visited page.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous calls, not inside a coroutine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
PASSWORD = "demo-2026"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="package", autouse=True)
def restore_migrated_data(django_db_blocker):
    """After the last browser test, put back what the migrations created.

    A serialized-rollback test reloads that data at its *start* and flushes the database at its
    end without re-running post_migrate; so after the last one the database would be left empty
    (no content types, permissions, role groups, Wagtail root page) for the tests that follow."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


class Shots:
    """Screenshot helper: ``shots.take(page, 'name')`` saves test-artifacts/<test>__<name>.png."""

    def __init__(self, test_name: str, always: bool):
        self.test_name = _slug(test_name)
        self.always = always

    def take(self, page, name: str, force: bool = False) -> Path | None:
        if not (self.always or force):
            return None
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.test_name}__{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request):
    return Shots(request.node.name, always=os.environ.get("BROWSER_SCREENSHOTS") == "1")


@pytest.fixture
def context(browser, request, shots):
    """A fresh browser context (cookies, storage) per test, phone-sized when the test asks for it."""
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    yield context
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        for number, page in enumerate(context.pages):
            try:
                shots.take(page, f"failure-{number}", force=True)
            except Exception as exc:  # noqa: BLE001 - a screenshot must never hide the real failure
                print(f"screenshot failed: {exc}")
    context.close()


@pytest.fixture
def page(context, live_server):
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base = live_server.url
    return page


@pytest.fixture
def demo_site(settings, tmp_path):
    """The demo county (regions, standards, parameters), one login per role and the portal pages."""
    from cms import demo
    from reemployment.core.demo import seed_policy, seed_users

    settings.MATCH_INDEX_DIR = tmp_path / "match-index"
    seed_policy(io.StringIO())
    seed_users(io.StringIO())
    demo.seed(io.StringIO())


def login(page, username: str, password: str = PASSWORD, next_path: str = "") -> None:
    page.goto(f"{page.base}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label(re.compile("身份证号码 / 用户名")).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
