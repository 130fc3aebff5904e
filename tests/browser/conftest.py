"""End-to-end tests in headless Chromium (Debian's ``chromium``), driven by Playwright for Python.

The browser talks to pytest-django's ``live_server`` (a real HTTP server in a thread) over the test
database. Tests are transactional and use ``serialized_rollback`` so that the data the migrations
created (Wagtail's root page, the default site, role groups) is restored for the tests that follow.

Screenshots: every page the browser loads is captured (full page) in memory; when a test fails they
are written to ``test-artifacts/`` (``TEST_ARTIFACTS`` to change it), one per page visited in order
(``<test>__step-NN_<path>.png``), plus the state of each open page at the failure
(``<test>__failure-N.png``). Passing tests write nothing. ``BROWSER_SCREENSHOTS=1`` also saves the
named ``shots.take`` steps of passing tests.
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


class PageRecorder:
    """A full-page screenshot of every page the test's browser showed, kept in memory until the
    test's outcome is known: written to the artefacts folder only if it failed.

    A page is captured after each browser action that may load one (``goto``, ``click``, ``press``;
    ``record_navigations`` wraps them) whenever a new document is showing. The check runs in the
    test's own flow, not in a ``page.on("load")`` handler: Playwright's sync API runs handlers late,
    while the test waits on a later call, and the screenshot would show whatever page is open then.
    A new document is told by ``performance.timeOrigin``, which each document gets afresh."""

    LIMIT = 80  # per test; the oldest are dropped beyond that

    def __init__(self) -> None:
        self.captures: list[tuple[str, bytes]] = []
        self._documents: dict[int, float] = {}  # id(page) -> timeOrigin of the document captured last

    def after_action(self, page) -> None:
        try:
            page.wait_for_load_state("load", timeout=10_000)
            document = page.evaluate("performance.timeOrigin")
            if page.url == "about:blank" or self._documents.get(id(page)) == document:
                return
            image = page.screenshot(full_page=True)
        except Exception:  # noqa: BLE001 - closed or navigating again: the test's next step reports it
            return
        self._documents[id(page)] = document
        self.captures.append((page.url, image))
        del self.captures[:-self.LIMIT]

    def write(self, test_name: str) -> list[Path]:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        paths = []
        for number, (url, image) in enumerate(self.captures, start=1):
            where = _slug(re.sub(r"^[a-z]+://[^/]+", "", url))[:60] or "root"
            path = ARTIFACTS / f"{_slug(test_name)}__step-{number:02d}_{where}.png"
            path.write_bytes(image)
            paths.append(path)
        return paths


def _failed(node) -> bool:
    return any(getattr(getattr(node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))


@pytest.fixture
def shots(request):
    return Shots(request.node.name, always=os.environ.get("BROWSER_SCREENSHOTS") == "1")


def record_navigations(monkeypatch) -> None:
    """Wrap the browser actions that may load a page so that the page's context's recorder (if any)
    captures the page that results. Undone after the test (``monkeypatch``)."""
    from playwright.sync_api import Locator, Page

    def wrap(cls, name, page_of):
        original = getattr(cls, name)

        def action(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            page = page_of(self)
            recorder = getattr(page.context, "recorder", None)
            if recorder is not None:
                recorder.after_action(page)
            return result

        monkeypatch.setattr(cls, name, action)

    for name in ("goto", "click", "press", "go_back", "reload"):
        wrap(Page, name, lambda page: page)
    for name in ("click", "press"):
        wrap(Locator, name, lambda locator: locator.page)


@pytest.fixture
def context(browser, request, monkeypatch):
    """A fresh browser context (cookies, storage) per test, phone-sized when the test asks for it.
    The pages it shows are recorded (``PageRecorder``) and written out if the test fails."""
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.recorder = PageRecorder()
    record_navigations(monkeypatch)
    yield context
    if _failed(request.node):
        save_failure_screenshots(context, request.node.name)
    context.close()


def save_failure_screenshots(context, test_name: str) -> list[Path]:
    """The state of each open page now, then every page recorded during the test."""
    shots = Shots(test_name, always=True)
    written = []
    for number, page in enumerate(context.pages):
        try:
            written.append(shots.take(page, f"failure-{number}"))
        except Exception as exc:  # noqa: BLE001 - a screenshot must never hide the real failure
            print(f"screenshot failed: {exc}")
    written += context.recorder.write(test_name)
    print(f"{len(written)} screenshots of the failed test in {ARTIFACTS}")
    return written


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
