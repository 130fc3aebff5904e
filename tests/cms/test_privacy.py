"""No public page ever shows a full name or an ID number (DESIGN.md §6)."""

import datetime as dt
import re

import pytest

from benefits.models import Application, ApplicationStep, Member
from reemployment.core.models import today
from tests.benefits.factories import make_household
from tests.cms.conftest import page_urls

ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
TODAY = today()


@pytest.fixture
def households_on_notice(site, regions):
    """Two households on notice today (张大山 at the appraisal notice, 欧阳小明 on the approved list)
    and one whose notice ended yesterday."""
    rows = []
    for number, (step, start, end, name) in enumerate([
        (ApplicationStep.NOTICE, TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=5), "张大山"),
        (ApplicationStep.APPROVED, TODAY, TODAY + dt.timedelta(days=2), "欧阳小明"),
        (ApplicationStep.APPROVED, TODAY - dt.timedelta(days=4), TODAY - dt.timedelta(days=1), "李四海"),
    ]):
        household = make_household(regions["comm_a1"], members=2)
        household.members.filter(relation="head").update(name=name)
        Application.objects.create(
            number=f"SQ-T-{number}", household=household, area="urban", step=step, submitted_on=TODAY,
            category="C", monthly_amount="220.00", persons=2, notice_start=start, notice_end=end,
        )
        rows.append(household)
    return rows


def _table(body: str) -> str:
    return body.split("<tbody>")[1].split("</tbody>")[0]


def test_public_notice_masks_names_and_withdraws_expired_entries(client, households_on_notice):
    body = client.get("/notices/public-notice/").content.decode()
    assert "欧**明" in body
    assert "李*海" not in body  # its notice period ended yesterday: withdrawn automatically
    assert "城南社区" in body and "C类" in body


def test_approval_notice_lists_only_approved_households(client, households_on_notice):
    """低保审批结果公示 says the households were approved: an application still at the appraisal
    notice (张大山) must not be on it."""
    body = client.get("/notices/public-notice/").content.decode()
    assert "低保审批结果公示" in body
    rows = _table(body)
    assert "欧**明" in rows and "审批结果公示" in rows
    assert "张*山" not in rows and "评议结果公示" not in rows


def test_appraisal_notice_lists_only_appraised_applications(client, households_on_notice):
    body = client.get("/notices/appraisal-notice/").content.decode()
    assert "低保民主评议结果公示" in body and "尚未获得批准" in body
    rows = _table(body)
    assert "张*山" in rows and "评议结果公示" in rows
    assert "欧**明" not in rows and "审批结果公示" not in rows
    assert "拟保障金" in body  # an appraised amount is only proposed


def test_a_page_may_list_both_stages_each_labelled(client, households_on_notice):
    from cms.models import PublicNoticePage, PublicNoticeStages

    page = PublicNoticePage.objects.get(slug="public-notice", locale__language_code="zh-hans")
    page.stages = PublicNoticeStages.ALL
    page.save_revision().publish()
    rows = _table(client.get("/notices/public-notice/").content.decode())
    assert "张*山" in rows and "评议结果公示" in rows
    assert "欧**明" in rows and "审批结果公示" in rows


def test_stage_labels_are_translated_on_the_english_pages(client, households_on_notice):
    rows = _table(client.get("/en/notices/public-notice/").content.decode())
    assert "欧**明" in rows and "Approval result" in rows
    assert "审批结果公示" not in rows and "张*山" not in rows
    rows = _table(client.get("/en/notices/appraisal-notice/").content.decode())
    assert "张*山" in rows and "Appraisal result" in rows and "评议结果公示" not in rows


def test_new_public_notice_pages_list_approved_households_by_default(db):
    from cms.models import PublicNoticePage

    page = PublicNoticePage(title="公示", slug="x")
    assert page.stages == "approved" and page.selected_stages == {"approved"}


def test_no_public_page_shows_a_full_name_or_an_id_number(client, site, households_on_notice):
    names = set(Member.objects.values_list("name", flat=True))
    ids = set(Member.objects.values_list("id_number", flat=True))
    assert names and ids
    for language_prefix in ("", "/en"):
        for url in page_urls(site) + [f"{language_prefix}/search/?q=低保", f"{language_prefix}/jobs/?q=保洁"]:
            body = client.get(url).content.decode()
            assert not ID_PATTERN.search(body), url
            for name in names:
                assert name not in body, (url, name)
            for number in ids:
                assert number not in body, url


@pytest.mark.parametrize("url", ["/notices/public-notice/", "/notices/appraisal-notice/"])
def test_public_notice_shows_no_income_detail(client, households_on_notice, url):
    rows = _table(client.get(url).content.decode())
    assert "<td>" in rows  # someone is listed
    assert "收入" not in rows
