"""Policy what-if simulation (政策测算): benefits/simulation.py and ``simulate_policy``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from benefits.models import Enrolment, Relation
from benefits.simulation import NOT_ELIGIBLE, PolicyFileError, policy_simulate
from reemployment.core.errors import PermissionDenied
from reemployment.core.models import AuditEvent, ParameterSet, Region, Standard
from tests.benefits.factories import make_household, make_member
from tests.factories import EnrolmentFactory

MARCH = dt.date(2026, 3, 1)
# The current urban standard (policy fixture) is 260.00 from 2026-01-01; the draft raises it by 50.
RAISE_URBAN = """\
standards:
  - {region: "341125", area: urban, monthly_amount: "310.00", valid_from: 2026-03-01, note: 草案}
"""
MALFORMED = """\
standards:
  - {region: "341125", area: urban, monthly_amount: 310.5, valid_from: 2026-03-01}
"""


@pytest.fixture
def county_households(policy):
    """Four households of 定远县 (urban standard 260, rural 180, default parameters)."""
    # A: three persons, all 三无, no income.
    a_household = make_household(policy["comm_a1"], members=1)
    a_household.members.update(three_no=True)
    for _ in range(2):
        make_member(a_household, relation=Relation.CHILD, three_no=True)
    # B: two persons, one seriously ill, wages 300.
    b_household = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "300.00")])
    b_household.members.filter(relation=Relation.CHILD).update(serious_illness=True)
    # C: two persons, wages 300.
    c_household = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "300.00")])
    # Rural C, one person, no income: 70.00 flat (rural_amounts), the urban draft does not touch it.
    rural = make_household(policy["comm_b1"], members=1)
    EnrolmentFactory(household=c_household)
    return {"A": a_household, "B": b_household, "C": c_household, "rural": rural}


def _row(report, household):
    return next(row for row in report.changes if row["household_id"] == household.pk)


def test_raise_reaches_a_b_and_c_households_by_their_rule(county_households, users):
    report = policy_simulate(actor=users["county"], county=Region.objects.get(code="341125"), month=MARCH,
                             draft_text=RAISE_URBAN)
    assert report.households_assessed == 4
    assert report.not_assessable == 0

    # A: standard × persons: 260 × 3 = 780.00 → 310 × 3 = 930.00, a gain of exactly 50 × 3 = 150.00.
    a_row = _row(report, county_households["A"])
    assert (a_row["current_category"], a_row["draft_category"]) == ("A", "A")
    assert (a_row["current_amount"], a_row["draft_amount"]) == (Decimal("780.00"), Decimal("930.00"))
    assert a_row["draft_amount"] - a_row["current_amount"] == 50 * 3

    # B: (standard × 2 − 300) × 1.30: (520 − 300) × 1.3 = 286.00 → (620 − 300) × 1.3 = 416.00.
    b_row = _row(report, county_households["B"])
    assert (b_row["current_category"], b_row["draft_category"]) == ("B", "B")
    assert (b_row["current_amount"], b_row["draft_amount"]) == (Decimal("286.00"), Decimal("416.00"))

    # C: standard × 2 − 300: 520 − 300 = 220.00 → 620 − 300 = 320.00.
    c_row = _row(report, county_households["C"])
    assert (c_row["current_amount"], c_row["draft_amount"]) == (Decimal("220.00"), Decimal("320.00"))

    # The rural household does not change and is not listed.
    assert county_households["rural"].pk not in {row["household_id"] for row in report.changes}

    # Monthly difference 150 + 130 + 100 = 380.00; yearly 380 × 12 = 4,560.00.
    assert report.monthly_difference == Decimal("380.00")
    assert report.yearly_difference == Decimal("4560.00")
    # Totals: current 780 + 286 + 220 + 70 = 1,356.00; draft 930 + 416 + 320 + 70 = 1,736.00.
    assert report.total("current") == Decimal("1356.00")
    assert report.total("draft") == Decimal("1736.00")
    assert report.counts() == {"gains": 3, "losses": 0, "category_changes": 0, "changed": 3}
    assert report.cells[("urban", "A")]["draft"] == [1, 3, Decimal("930.00")]
    assert report.cells[("rural", "C")]["current"] == report.cells[("rural", "C")]["draft"]


def test_household_crossing_the_standard_changes_category(policy, users):
    # Wages 540 for two persons: per capita 270 ≥ 260, not eligible now; 270 < 310 under the draft:
    # urban C, 310 × 2 − 540 = 80.00.
    household = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "540.00")])
    report = policy_simulate(actor=users["county"], county=policy["county"], month=MARCH, draft_text=RAISE_URBAN)
    row = _row(report, household)
    assert (row["current_category"], row["draft_category"]) == (NOT_ELIGIBLE, "C")
    assert (row["current_amount"], row["draft_amount"]) == (Decimal("0.00"), Decimal("80.00"))
    assert report.counts()["category_changes"] == 1


def test_nothing_is_written_and_the_run_is_audited_as_a_read(county_households, users):
    counts = (Standard.objects.count(), ParameterSet.objects.count(), Enrolment.objects.count())
    events = AuditEvent.objects.count()
    policy_simulate(actor=users["county"], county=Region.objects.get(code="341125"), month=MARCH,
                    draft_text=RAISE_URBAN + 'parameters:\n  - {region: "341125", valid_from: 2026-03-01, '
                    'values: {urban_b_uplift: "0.50"}}\n')
    assert (Standard.objects.count(), ParameterSet.objects.count(), Enrolment.objects.count()) == counts
    assert not Standard.objects.filter(monthly_amount=Decimal("310.00")).exists()
    # One event: the read; none of the loader's standard.create/parameters.create survive the rollback.
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "policy.simulate"
    assert event.after["monthly_difference"] != "0.00"


def test_parameter_draft_changes_b_amount(county_households, users):
    # B uplift 0.30 → 0.50: (520 − 300) × 1.5 = 330.00 instead of 286.00.
    draft = 'parameters:\n  - {region: "341125", valid_from: 2026-03-01, values: {urban_b_uplift: "0.50"}}\n'
    report = policy_simulate(actor=users["county"], county=county_households["B"].region.parent.parent, month=MARCH,
                             draft_text=draft)
    assert [row["household_id"] for row in report.changes] == [county_households["B"].pk]
    assert _row(report, county_households["B"])["draft_amount"] == Decimal("330.00")


def test_malformed_draft_is_refused_with_its_line_and_changes_nothing(county_households, users):
    counts = (Standard.objects.count(), ParameterSet.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PolicyFileError) as refused:
        policy_simulate(actor=users["county"], county=Region.objects.get(code="341125"), month=MARCH,
                        draft_text=MALFORMED)
    assert any(error.startswith("第 2 行") for error in refused.value.errors)
    assert (Standard.objects.count(), ParameterSet.objects.count(), AuditEvent.objects.count()) == counts


def test_only_county_staff_of_the_county_may_simulate(county_households, users):
    county = Region.objects.get(code="341125")
    for name in ("other_county", "township_a"):
        with pytest.raises(PermissionDenied):
            policy_simulate(actor=users[name], county=county, month=MARCH, draft_text=RAISE_URBAN)


def test_command_json_and_csv(county_households, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(RAISE_URBAN, encoding="utf-8")
    changes = tmp_path / "changes.csv"
    out = StringIO()
    call_command("simulate_policy", str(draft), "--county", "341125", "--month", "2026-03", "--format", "json",
                 "--changes-csv", str(changes), stdout=out)
    data = json.loads(out.getvalue())
    assert data["month"] == "2026-03"
    assert data["monthly_total"] == {"current": "1356.00", "draft": "1736.00"}
    assert data["monthly_difference"] == "380.00"
    assert data["yearly_difference"] == "4560.00"
    assert data["areas"]["urban"]["A"]["draft"] == {"households": 1, "persons": 3, "monthly_amount": "930.00"}
    assert {row["number"] for row in data["changes"]} == {
        county_households[key].number for key in ("A", "B", "C")}
    lines = changes.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("household_id,number,community")
    assert len(lines) == 1 + 3


def test_command_text_and_malformed_draft(county_households, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(RAISE_URBAN, encoding="utf-8")
    out = StringIO()
    call_command("simulate_policy", str(draft), "--county", "341125", "--month", "2026-03", stdout=out)
    text = out.getvalue()
    assert "月差额 380.00 元，年差额 4560.00 元" in text
    assert "增加 3 户" in text

    draft.write_text(MALFORMED, encoding="utf-8")
    standards = Standard.objects.count()
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("simulate_policy", str(draft), "--county", "341125", "--month", "2026-03", stdout=StringIO())
    assert Standard.objects.count() == standards


def test_admin_page_for_county_staff(county_households, users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/admin/benefit_policy_simulation/"
    client.force_login(users["community_a1"])
    assert client.get(url).status_code == 403
    client.force_login(users["county"])
    assert client.get(url).status_code == 200
    standards = Standard.objects.count()
    response = client.post(url, {"county": "341125", "month": "2026-03",
                                 "draft": SimpleUploadedFile("draft.yaml", RAISE_URBAN.encode())})
    assert response.status_code == 200
    assert response.context["report"]["monthly_difference"] == "380.00"
    assert county_households["A"].number in response.content.decode()
    response = client.post(url, {"county": "341125", "month": "2026-03", "csv": "1",
                                 "draft": SimpleUploadedFile("draft.yaml", RAISE_URBAN.encode())})
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode("utf-8-sig").splitlines()) == 1 + 3
    response = client.post(url, {"county": "341125", "month": "2026-03",
                                 "draft": SimpleUploadedFile("draft.yaml", MALFORMED.encode())})
    assert any(error.startswith("第 2 行") for error in response.context["errors"])
    assert Standard.objects.count() == standards


def test_queries_do_not_grow_with_households(county_households, users):
    """Set-based: the number of queries depends on the communities, not on the households."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    county = Region.objects.get(code="341125")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            policy_simulate(actor=users["county"], county=county, month=MARCH, draft_text=RAISE_URBAN)
        return len(captured)

    before = queries()
    for _ in range(6):
        make_household(county_households["C"].region, members=2, incomes=[(1, "pension", "100.00")])
        make_household(county_households["rural"].region, members=3)
    assert queries() == before
