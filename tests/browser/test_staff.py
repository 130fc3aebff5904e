"""Staff in the Wagtail admin: a labour-bureau user posts a vacancy that then appears in the public
search; a community user takes an application and moves it through its first steps."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reemployment.core.models import Region, User
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_labour_user_posts_a_vacancy_that_the_public_finds(page, demo_site, shots):
    from jobs.services import employer_create

    labour = User.objects.get(username="labour")
    employer_create(actor=labour, name="定远县宏达物业管理有限公司", region=Region.objects.get(code="341125100"))

    login(page, "labour", next_path="/admin/jobs/vacancy/new/")
    expect(page.locator("#id_title")).to_be_visible()
    page.locator("#id_employer").select_option(label="定远县宏达物业管理有限公司")
    page.locator("#id_title").fill("小区保洁员")
    page.locator("#id_description").fill("负责小区楼道、电梯和公共区域的日常清洁")
    page.locator("#id_occupation").fill("保洁员")
    region = page.locator("#id_region")
    region.select_option(label=region.locator("option", has_text="定城镇").first.inner_text())
    page.locator("#id_pay_min").fill("2000")
    page.locator("#id_pay_max").fill("2400")
    page.locator("#id_openings").fill("3")
    page.locator("#id_closes_on").fill((dt.date.today() + dt.timedelta(days=20)).isoformat())
    shots.take(page, "vacancy-form")
    page.keyboard.press("Escape")  # close the date picker
    page.get_by_role("button", name="创建", exact=True).click()
    page.wait_for_load_state("networkidle")
    shots.take(page, "after-save")
    expect(page.locator(".messages")).to_contain_text("小区保洁员")

    page.goto(page.base + "/jobs/?q=" + "打扫卫生")
    expect(page.locator(".vacancy-list")).to_contain_text("小区保洁员")
    shots.take(page, "public-search")


def test_community_user_moves_an_application_through_its_first_steps(page, demo_site, shots):
    from benefits.models import Application, ApplicationStep
    from tests.benefits.factories import make_household

    household = make_household(Region.objects.get(code="341125100001"), members=2,
                               incomes=[(0, "wages", "300.00")])

    login(page, "chengnan", next_path=f"/admin/benefit_households/{household.pk}/do/submit/")
    page.get_by_label("申请理由").fill("户主下岗，配偶患病，家庭收入低")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    application = Application.objects.get(household=household)
    assert application.step == ApplicationStep.SUBMITTED
    shots.take(page, "submitted")

    page.goto(f"{page.base}/admin/benefit_applications/{application.pk}/do/survey/")
    page.get_by_label("入户调查情况").fill("已入户。住房为单位旧宿舍，家电陈旧；邻居反映情况属实。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    application.refresh_from_db()
    assert application.step == ApplicationStep.SURVEYED

    page.goto(f"{page.base}/admin/benefit_applications/{application.pk}/do/appraise/")
    page.get_by_label("评议小组成员（每行一人）").fill("居民代表 李明\n居民代表 赵红\n居民代表 孙强")
    page.get_by_label("同意票").fill("3")
    page.get_by_label("反对票").fill("0")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    application.refresh_from_db()
    assert application.step == ApplicationStep.APPRAISED
    expect(page.locator("main")).to_contain_text("已民主评议")
    shots.take(page, "appraised")
