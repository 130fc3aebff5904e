"""Benefits admin shows values for people (issue 16): 是/否 for booleans, — for nothing, and every
record a title, never Python's True/False/None or "IncomeItem object (1)"."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits import services
from benefits.models import Asset, Household
from tests.benefits.factories import make_member

D = dt.date(2026, 3, 2)


def _cells(page: str) -> list[str]:
    found = re.findall(r"<(td|dd)\b[^>]*>(.*?)</\1>", page, flags=re.DOTALL)
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for _, text in found]


@pytest.fixture
def records(users, urban_household):
    application = services.application_submit(actor=users["community_a1"], household=urban_household,
                                              submitted_on=D)
    other = services.household_save(actor=users["community_a1"], instance=Household(region=urban_household.region))
    make_member(other)
    enrolment = services.enrolment_start(actor="system:test", household=other, category="C",
                                         monthly_amount=Decimal("50.00"), persons=1, start_date=D,
                                         certificate_number="城保-T1")
    review = services.review_open(actor="system:test", household=other, kind="periodic", reason="定期复核")
    asset = services.asset_save(actor=users["community_a1"], instance=Asset(
        household=urban_household, kind="deposit", value=Decimal("1000.00")))
    return {"household": urban_household, "application": application, "enrolment": enrolment,
            "review": review, "asset": asset}


def test_application_list_shows_no_for_fast_track(client, users, records):
    # list_display has fast_track (a BooleanField, False for an ordinary application): 否, not "False".
    client.force_login(users["community_a1"])
    cells = _cells(client.get(reverse("benefit_applications:index")).content.decode())
    assert "否" in cells, cells
    assert not {"False", "True", "None"} & set(cells), cells


def test_undecided_review_shows_dashes_not_none(client, users, records):
    client.force_login(users["community_a1"])
    page = client.get(reverse("benefit_reviews:inspect", args=(records["review"].pk,))).content.decode()
    cells = _cells(page)
    assert "None" not in cells and "False" not in cells, cells
    assert re.search(r"<dt>\s*处理人\s*</dt>\s*<dd>\s*—\s*</dd>", page), page[:3000]


def test_records_have_human_titles(records):
    household = records["household"]
    income = household.incomes.select_related("member").first()
    assert str(income) == f"{income.member} · {income.get_kind_display()}"
    assert str(records["asset"]) == f"{household.number} · 存款/有价证券"  # AssetKind.DEPOSIT's label
    event = records["enrolment"].events.first()
    assert str(event).startswith("城保-T1 · ") and "object (" not in str(event)
    member = household.members.first()
    assert member.human_label() == f"{member!s} ({member.id_number[:6]}…)"
