"""A recipient logs in with the ID number, registers as a job seeker and sees matched vacancies."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reemployment.core.models import Region, Role, User
from tests.browser.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def recipient(demo_site):
    """A recipient household in 城南社区 (head 35, able to work) whose login is the head's ID number."""
    from tests.jobs.factories import make_household, make_member

    household = make_household(Region.objects.get(code="341125100001"), enrolled=True)
    head = make_member(household, age=35, name="王建国")
    user = User.objects.create_user(username=head.id_number, password=PASSWORD, role=Role.RECIPIENT,
                                    display_name="王建国")
    household.account = user
    household.save(update_fields=["account"])
    return user


@pytest.fixture
def welding_vacancy(demo_site):
    """An open welding vacancy, published through the jobs service (which indexes it for matching)."""
    from jobs.services import employer_create, vacancy_create

    labour = User.objects.get(username="labour")
    town = Region.objects.get(code="341125100")
    employer = employer_create(actor=labour, name="定远县华兴钢结构有限公司", region=town)
    return vacancy_create(
        actor=labour, employer=employer, title="钢结构电焊工", description="厂房钢结构焊接，白班，包午餐",
        occupation="电焊工", region=town, pay_min="4200", pay_max="5500", hours="day", openings=2,
        closes_on=dt.date.today() + dt.timedelta(days=30),
    )


def test_recipient_registers_as_job_seeker_and_sees_matches(page, recipient, welding_vacancy, shots):
    page.goto(page.base + "/me/")
    expect(page).to_have_url(f"{page.base}/accounts/login/?next=/me/")
    expect(page.get_by_role("heading", name="用身份证号码登录")).to_be_visible()
    login(page, recipient.username, next_path="/me/")
    expect(page).to_have_url(page.base + "/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")
    shots.take(page, "me")

    page.get_by_role("link", name="我的求职").click()
    page.get_by_role("link", name="求职登记").first.click()
    page.get_by_label("技能").fill("会电焊，做过三年钢结构焊接")
    page.get_by_label("意向职业").fill("电焊工")
    page.get_by_label("证书").fill("焊工证")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("推荐的岗位")
    expect(page.get_by_text("钢结构电焊工")).to_be_visible()
    # the page names the member masked, never in full
    assert "王建国" not in page.content()
    shots.take(page, "matches")


@pytest.mark.parametrize("context", [{"width": 360, "height": 740}], indirect=True)
def test_me_hub_works_on_a_phone(page, recipient):
    login(page, recipient.username, next_path="/me/")
    expect(page.get_by_role("link", name="我的低保")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
