"""No public page ever shows a full name or an ID number (DESIGN.md §6)."""

import datetime as dt
import re

import pytest

from benefits.models import Application, ApplicationStep, Member
from tests.benefits.factories import make_household
from tests.cms.conftest import page_urls

ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
TODAY = dt.date.today()


@pytest.fixture
def households_on_notice(site, regions):
    """Two households on notice today (one appraisal notice, one approved list) and one whose
    notice ended yesterday."""
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


def test_public_notice_masks_names_and_withdraws_expired_entries(client, households_on_notice):
    body = client.get("/notices/public-notice/").content.decode()
    assert "张*山" in body and "欧**明" in body
    assert "李*海" not in body  # its notice period ended yesterday: withdrawn automatically
    assert "城南社区" in body and "C类" in body


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


def test_public_notice_shows_no_income_detail(client, households_on_notice):
    body = client.get("/notices/public-notice/").content.decode()
    assert "收入" not in body.split("<tbody>")[1].split("</tbody>")[0]
