"""The public reads a policy guide and runs the self-check; the layout holds on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_public_reads_a_guide_and_runs_the_self_check(page, demo_site, shots):
    page.goto(page.base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("再就业与低保服务")
    shots.take(page, "home")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政策指南").click()
    page.get_by_role("link", name="低保的条件、分类和保障金").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("低保的条件、分类和保障金")
    # the standard in force comes from the database (2026: urban 260.00)
    expect(page.locator("table").first).to_contain_text("260.00")
    page.get_by_text("享受低保是终身的吗？").click()  # FAQ opens
    expect(page.get_by_text("低保随家庭经济状况变化而调整")).to_be_visible()
    shots.take(page, "guide")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="自助查询").click()
    page.get_by_label("城市", exact=True).check()
    page.get_by_label(re.compile("共同生活的家庭人口")).fill("2")
    page.get_by_label("家中有重病患者").check()
    page.get_by_label(re.compile(r"工资收入")).fill("300")
    page.get_by_role("button", name="开始测算").click()
    result = page.locator("#result")
    # demo policy 2026: wages count after a 200-yuan disregard: 300 − 200 = 100, per capita 50;
    # urban B: (260 − 50) × 1.3 × 2 = 546.00
    expect(result).to_contain_text("可能符合")
    expect(result).to_contain_text("B类")
    expect(result).to_contain_text("546.00 元")
    shots.take(page, "self-check-result")


@pytest.mark.parametrize("context", [{"width": 360, "height": 740}], indirect=True)
def test_pages_fit_a_phone_screen(page, demo_site, shots):
    for path in ("/", "/policies/eligibility-and-amounts/", "/services/apply-for-dibao/", "/self-check/",
                 "/report/", "/accounts/login/"):
        page.goto(page.base + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 360, (path, scroll_width)
        shots.take(page, f"phone{path.replace('/', '_')}")


def test_keyboard_user_can_skip_to_content(page, demo_site):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_english_version_and_language_switch(page, demo_site):
    page.goto(page.base + "/policies/work-incentives/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(page.base + "/en/policies/work-incentives/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Work incentives")
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(page.base + "/policies/work-incentives/")
