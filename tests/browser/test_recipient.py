"""A recipient logs in with the ID number, registers as a job seeker and sees matched vacancies."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from reemployment.core.models import Region, Role, User
from tests.browser.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def recipient(demo_site):
    """A recipient household in 城南社区 (head 35, able to work) whose login is the head's ID number,
    created by the community office the way staff do it (``recipient_account_create``)."""
    from benefits.services import recipient_account_create
    from tests.jobs.factories import make_household, make_member

    household = make_household(Region.objects.get(code="341125100001"), enrolled=True)
    head = make_member(household, age=35, name="王建国")
    user = recipient_account_create(actor=User.objects.get(username="chengnan"), household=household,
                                    password=PASSWORD)
    assert user.username == head.id_number and user.role == Role.RECIPIENT
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
    page.get_by_role("textbox", name="证书").fill("焊工证")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("推荐的岗位")
    expect(page.get_by_text("钢结构电焊工")).to_be_visible()
    # the page names the member masked, never in full
    assert "王建国" not in page.content()
    shots.take(page, "matches")


@pytest.fixture
def welding_course(demo_site):
    """An open welding course of the county, set up by the labour bureau through the training services."""
    from decimal import Decimal

    from training.models import Course, CourseType, Provider
    from training.services import course_save, provider_save

    labour = User.objects.get(username="labour")
    county = Region.objects.get(code="341125")
    provider = provider_save(actor=labour, provider=Provider(name="定远县职业技术学校", region=county))
    starts_on = dt.date.today() + dt.timedelta(days=14)
    return course_save(actor=labour, course=Course(
        provider=provider, title="电焊工（初级）培训班", course_type=CourseType.MACHINING, occupation="电焊工",
        region=county, place="县职教中心实训楼", starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=30),
        capacity=30, subsidy_per_trainee=Decimal("800.00"), certificate_name="焊工证（初级）",
    ))


@pytest.fixture
def certified_training(recipient, welding_course):
    """The head of the recipient's household completed an earlier welding course and holds its
    certificate (a vocational certificate number: 22 characters that do not wrap). Recorded by the
    labour bureau through the training services."""
    from decimal import Decimal

    from training.models import Course
    from training.services import (
        course_save,
        course_transition,
        enrolment_assess,
        enrolment_certify,
        enrolment_complete,
        enrolment_create,
    )

    labour = User.objects.get(username="labour")
    starts_on = dt.date.today() - dt.timedelta(days=60)
    course = course_save(actor=labour, course=Course(
        provider=welding_course.provider, title="电焊工（初级）培训班（第一期）", course_type=welding_course.course_type,
        occupation="电焊工", region=welding_course.region, place="县职教中心实训楼", starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=30), capacity=30, subsidy_per_trainee=Decimal("800.00"),
        certificate_name="焊工证（初级）",
    ))
    head = recipient.household.members.get(relation="head")
    enrolment = enrolment_create(actor=labour, course=course, member=head)
    course_transition(actor=labour, course=course, to_status="running")
    enrolment = enrolment_complete(actor=labour, enrolment=enrolment)
    enrolment = enrolment_assess(actor=labour, enrolment=enrolment, passed=True)
    enrolment = enrolment_certify(actor=labour, enrolment=enrolment, certificate_number="S000034112500001230042")
    course_transition(actor=labour, course=course, to_status="ended")
    return enrolment


def _fits(page, path: str, width: int = 360) -> None:
    page.goto(page.base + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        path, page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("context", [{"width": 360, "height": 740}], indirect=True)
def test_self_service_pages_fit_a_phone_screen(page, recipient, welding_vacancy, welding_course, certified_training):
    """Every page of the recipient's menu, in both languages, without horizontal scrolling at 360 px,
    with data that makes tables wide (a certificate number does not wrap)."""
    login(page, recipient.username, next_path="/me/")
    expect(page.get_by_role("link", name="我的低保")).to_be_visible()
    head = recipient.household.members.get(relation="head")
    for prefix in ("", "/en"):
        for path in ("/me/", "/me/benefit/", "/me/benefit/report/", "/me/jobs/", "/me/training/"):
            _fits(page, prefix + path)

    # signed up for a course (besides the certified one), my training lists both in the member's table
    page.goto(page.base + "/me/training/")
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_role("cell", name=re.compile("S000034112500001230042"))).to_be_visible()
    expect(page.get_by_role("button", name="退出报名")).to_be_visible()
    for prefix in ("", "/en"):
        _fits(page, prefix + "/me/training/")

    # the matches page, after registering as a job seeker on the phone
    page.goto(page.base + f"/me/jobs/members/{head.pk}/profile/")
    page.get_by_label("技能").fill("会电焊，做过三年钢结构焊接")
    page.get_by_label("意向职业").fill("电焊工")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("推荐的岗位")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


@pytest.mark.parametrize("context", [{"width": 360, "height": 740}], indirect=True)
def test_job_seeker_profile_with_a_certificate_fits_a_phone_screen(page, recipient, certified_training):
    login(page, recipient.username, next_path="/me/")
    head = recipient.household.members.get(relation="head")
    for prefix in ("", "/en"):
        _fits(page, f"{prefix}/me/jobs/members/{head.pk}/profile/")
