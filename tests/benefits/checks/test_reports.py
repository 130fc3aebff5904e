"""Report figures on a small hand-made county, checked to the cent; exports; dashboard series."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from benefits.checks import reports
from benefits.checks.dashboard import dashboard_data
from benefits.models import Enrolment, EnrolmentEvent, EnrolmentEventKind, EnrolmentStatus
from reemployment.core.errors import DomainError
from tests.benefits.checks.factories import make_household
from tests.factories import RegionFactory

D = Decimal
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def event(household, kind, day, before=None, after=None):
    EnrolmentEvent.objects.create(enrolment=household.enrolments.get(), kind=kind, effective_on=day, reason="测试",
                                  amount_before=before, amount_after=after)


@pytest.fixture
def county_data(regions):
    h1 = make_household(regions["comm_a1"], persons=3, category="A", amount="900.00")          # entry 01-01
    h2 = make_household(regions["comm_a2"], persons=2, category="C", amount="300.00", start=dt.date(2026, 2, 1))
    h3 = make_household(regions["comm_b1"], persons=2, category="C", amount="140.00")
    Enrolment.objects.filter(household=h3).update(status=EnrolmentStatus.ENDED, end_date=dt.date(2026, 3, 1))
    event(h3, EnrolmentEventKind.EXIT, dt.date(2026, 3, 1), D("140.00"), D("0.00"))
    h4 = make_household(regions["comm_b2"], persons=1, category="B", amount="100.00")
    Enrolment.objects.filter(household=h4).update(status=EnrolmentStatus.TRANSITIONAL, transition_amount=D("50.00"),
                                                  transition_until=dt.date(2026, 8, 1))
    event(h4, EnrolmentEventKind.TRANSITION_START, dt.date(2026, 2, 15), D("100.00"), D("100.00"))
    event(h1, EnrolmentEventKind.AMOUNT_CHANGE, dt.date(2026, 4, 1), D("900.00"), D("950.00"))  # after the period
    make_household(regions["comm_b2"], persons=4, enrolled=False)  # registered, not covered
    neighbour = RegionFactory(code="341126100001", name="邻县社区", level="community", area="urban",
                              parent=regions["other_county"])
    make_household(neighbour, persons=1, amount="999.00")  # outside the county
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4}


def table(tables, key):
    return next(t for t in tables if t.key == key)


def test_report_figures(users, county_data, regions):
    tables = reports.build_report(users["county"], region=regions["county"], start=START, end=END)
    # On 03-31: h1 (A 900.00, 3 persons), h2 (C 300.00, 2), h4 (B, transitional: pays 50.00, 1); h3 ended 03-01.
    assert table(tables, "by_area_category").rows == [
        ["定城镇", "城市", "A类", 1, 3, D("900.00"), D("300.00")],   # 900 / 3
        ["定城镇", "城市", "C类", 1, 2, D("300.00"), D("150.00")],   # 300 / 2
        ["炉桥镇", "农村", "B类", 1, 1, D("50.00"), D("50.00")],
        ["合计", "", "", 3, 6, D("1250.00"), D("208.33")],           # 1250 / 6 = 208.333…
    ]
    # Population: 定城镇 3 + 2 = 5, all covered; 炉桥镇 2 + 1 + 4 = 7, 1 covered (1/7 = 14.3 %).
    assert table(tables, "coverage").rows == [
        ["定城镇", 5, 5, D("100.0")], ["炉桥镇", 7, 1, D("14.3")], ["合计", 12, 6, D("50.0")]]
    # Payable on the 1st: Jan h1 900 + h3 140 + h4 50 = 1090; Feb + h2 300 = 1390; Mar h3 gone = 1250.
    money = table(tables, "money")
    assert "应发" in money.title
    assert money.rows == [
        ["2026-01", 3, 6, D("1090.00"), D("1090.00")],
        ["2026-02", 4, 8, D("1390.00"), D("2480.00")],
        ["2026-03", 3, 6, D("1250.00"), D("3730.00")],
    ]
    movements = {row[0]: row[1:] for row in table(tables, "movements").rows}
    # Entries: h1, h3, h4 on 01-01 and h2 on 02-01 (900 + 140 + 100 + 300 = 1440); the April change is outside.
    assert movements["纳入"] == [4, 4, D("0.00"), D("1440.00"), D("1440.00")]
    assert movements["退出"] == [1, 1, D("140.00"), D("0.00"), D("-140.00")]
    assert movements["金额/类别调整"] == [0, 0, D("0.00"), D("0.00"), D("0.00")]
    assert movements["进入就业过渡期"][0] == 1
    jobs = dict(table(tables, "jobs_training").rows)
    assert jobs["进入就业过渡期户数"] == 1
    assert jobs["岗位推荐次数"] == 0 and jobs["就业登记(录用)人数"] == 0  # jobs is installed: real zeros
    assert jobs["培训结业人数"] == 0 and jobs["培训输出率(%)"] == D("0.0")


def test_jobs_and_training_figures_come_through_the_benefits_hook(users, county_data, regions, monkeypatch):
    """benefits never imports jobs or training: they register their models in ready(); without them
    the report shows "—" (the app is not installed), not 0."""
    from benefits import hooks
    from jobs.models import Hire, Referral, Vacancy
    from training.models import Placement, TrainingEnrolment

    assert [hooks.report_model(role) for role in hooks.REPORT_MODEL_ROLES] == [
        Referral, Hire, Vacancy, TrainingEnrolment, Placement]
    monkeypatch.setattr(hooks, "_report_models", {})
    rows = dict(table(reports.build_report(users["county"], region=regions["county"], start=START, end=END),
                      "jobs_training").rows)
    assert rows["岗位推荐次数"] == rows["就业登记(录用)人数"] == rows["培训结业人数"] == rows["培训输出率(%)"] == "—"
    assert rows["进入就业过渡期户数"] == 1  # benefits' own enrolment history
    with pytest.raises(ValueError):
        hooks.register_report_model("payments", Hire)


def test_township_report_rolls_up_to_communities(users, county_data, regions):
    tables = reports.build_report(users["township_b"], region=regions["town_b"], start=START, end=END)
    assert table(tables, "by_area_category").rows == [
        ["南塘村", "农村", "B类", 1, 1, D("50.00"), D("50.00")], ["合计", "", "", 1, 1, D("50.00"), D("50.00")]]
    assert table(tables, "money").rows[0] == ["2026-01", 2, 3, D("190.00"), D("190.00")]  # h3 140 + h4 50


@pytest.mark.parametrize("user_key", ["township_b", "community_a1", "other_county"])
def test_region_outside_the_jurisdiction_is_refused(users, county_data, regions, user_key):
    with pytest.raises(DomainError) as caught:
        reports.build_report(users[user_key], region=regions["town_a"] if user_key != "community_a1"
                             else regions["county"], start=START, end=END)
    assert caught.value.status == 404


def test_exports_carry_the_same_figures(users, county_data, regions):
    tables = reports.build_report(users["county"], region=regions["county"], start=START, end=END)
    text = reports.export_csv(tables, title="定远县").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["定远县"]
    assert ["合计", "", "", "3", "6", "1250.00", "208.33"] in rows
    assert ["2026-03", "3", "6", "1250.00", "3730.00"] in rows
    workbook = load_workbook(io.BytesIO(reports.export_xlsx(tables, title="定远县")))
    assert workbook.sheetnames == ["by_area_category", "coverage", "money", "movements", "jobs_training",
                                   "occupations"]
    sheet = workbook["money"]
    assert [c.value for c in sheet[2]] == ["月份", "户数", "人数", "金额(元)", "累计(元)"]
    assert [c.value for c in sheet[5]] == ["2026-03", 3, 6, 1250, 3730]
    assert sheet["D5"].number_format == "0.00"


def test_dashboard_series(users, county_data, regions):
    data = dashboard_data(users["county"], regions["county"], as_of=dt.date(2026, 3, 15), months=3)
    assert data["labels"] == ["2026-01", "2026-02", "2026-03"]
    assert data["households"] == [3, 4, 3]
    assert data["money"] == ["1090.00", "1390.00", "1250.00"] and data["money_label"] == "应发金额(元)"
    assert data["entries"] == [3, 1, 0] and data["exits"] == [0, 0, 1]
    assert data["category_mix"] == {"A类": 3, "B类": 1, "C类": 2}
    assert set(data["placements"]) == {"就业登记(录用)", "培训输出"}
    township = dashboard_data(users["township_a"], regions["town_a"], as_of=dt.date(2026, 3, 15), months=3)
    assert township["households"] == [1, 2, 2]


def _lock(county, month):
    from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review

    run = payroll_run_compute(actor="system:test", county=county, month=month).run
    return payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))


def test_dashboard_money_is_what_the_locked_payroll_paid(users, county_data, regions, django_assert_num_queries):
    from django.db.models import Sum

    from benefits.payroll.models import PaymentLine
    from benefits.payroll.services import payroll_run_compute

    # Cents that floating point would not add exactly (0.10 + 0.20).
    make_household(regions["comm_b1"], persons=1, category="C", amount="0.10")
    make_household(regions["comm_b2"], persons=1, category="C", amount="0.20")
    _lock(regions["county"], dt.date(2026, 1, 1))
    _lock(regions["county"], dt.date(2026, 2, 1))
    payroll_run_compute(actor="system:test", county=regions["county"], month=dt.date(2026, 3, 1))  # not locked

    def paid(month, path):
        total = PaymentLine.objects.filter(month=month, region__path__startswith=path).aggregate(s=Sum("amount"))["s"]
        return str(total.quantize(D("0.01")))

    # Six queries whatever the number of households or lines: payable, mix, paid, events, hires, placements.
    with django_assert_num_queries(6):
        data = dashboard_data(users["county"], regions["county"], as_of=dt.date(2026, 3, 15), months=3)
    assert data["money_label"] == "实发金额(元)"
    assert data["money"] == [paid(dt.date(2026, 1, 1), regions["county"].path),
                             paid(dt.date(2026, 2, 1), regions["county"].path), "0.00"]  # March is not locked
    assert data["money"][0].endswith(".30")  # … + 0.10 + 0.20, exactly
    assert reports.paid_amount_by_month(users["county"], regions["county"], START, END) == {
        dt.date(2026, 1, 1): D(data["money"][0]), dt.date(2026, 2, 1): D(data["money"][1])}
    # A township sums its communities' lines (the runs are the county's).
    township = dashboard_data(users["township_b"], regions["town_b"], as_of=dt.date(2026, 3, 15), months=3)
    assert township["money"] == [paid(dt.date(2026, 1, 1), regions["town_b"].path),
                                 paid(dt.date(2026, 2, 1), regions["town_b"].path), "0.00"]
    assert township["money"][0] != data["money"][0]
    # Outside the jurisdiction nothing is counted.
    assert reports.paid_amount_by_month(users["township_a"], regions["town_b"], START, END) == {}


def test_payable_series_counts_each_month_from_grouped_rows(users, county_data, regions):
    # Two enrolments with the same dates fall into one group: still counted twice.
    make_household(regions["comm_a1"], persons=2, category="B", amount="0.10", start=dt.date(2026, 2, 1))
    make_household(regions["comm_a1"], persons=1, category="B", amount="0.20", start=dt.date(2026, 2, 1))
    rows, basis = reports.payable_by_month(users["county"], regions["county"],
                                           [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)])
    assert basis == "payable"
    # Feb: 1390.00 as in test_report_figures + 0.10 + 0.20; households 4 + 2, persons 8 + 3.
    assert [(r["households"], r["persons"], r["amount"]) for r in rows] == [
        (3, 6, D("1090.00")), (6, 11, D("1390.30")), (5, 9, D("1250.30"))]
