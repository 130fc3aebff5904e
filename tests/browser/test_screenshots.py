"""The browser tests' screenshots: every page visited is kept in memory, and written to the
artefacts folder only when a test fails (tests/browser/conftest.py)."""

import pytest

import tests.browser.conftest as browser_conftest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def artefacts(tmp_path, monkeypatch):
    folder = tmp_path / "artefacts"
    monkeypatch.setattr(browser_conftest, "ARTIFACTS", folder)
    return folder


def test_each_page_visited_is_recorded_and_written_only_for_a_failure(page, context, demo_site, artefacts):
    page.goto(page.base + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政策指南").click()  # a click, not a goto
    page.wait_for_url(page.base + "/policies/")
    page.goto(page.base + "/self-check/")
    page.get_by_label("家中有重病患者").click()  # an action that loads no page: nothing new to keep
    paths = [url.removeprefix(page.base) for url, _ in context.recorder.captures]
    assert paths == ["/", "/policies/", "/self-check/"]
    assert all(image.startswith(PNG) for _, image in context.recorder.captures)
    assert not artefacts.exists()  # nothing written while the test has not failed

    # what the fixture does when a test fails
    written = browser_conftest.save_failure_screenshots(context, "test_x[360]")
    names = sorted(path.name for path in written)
    assert names == ["test_x_360__failure-0.png", "test_x_360__step-01_root.png",
                     "test_x_360__step-02_policies.png", "test_x_360__step-03_self-check.png"]
    assert all(path.read_bytes().startswith(PNG) for path in written)
