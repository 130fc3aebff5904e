"""The payroll task and command (idempotent, quiet when locked) and the selectors other areas call."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from benefits.payroll.models import PaymentLine, PayrollRun, RunStatus
from benefits.payroll.selectors import paid_totals, payments_for_household
from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review
from benefits.payroll.tasks import compute_payroll
from tests.benefits.payroll.conftest import MAY

pytestmark = pytest.mark.django_db


def test_task_is_idempotent_and_quiet_when_locked(regions, county_households):
    first = compute_payroll.apply(args=[regions["county"].pk, "2026-05"]).get()
    assert first["status"] == "computed" and first["added"] == 3
    again = compute_payroll.apply(args=[regions["county"].pk, "2026-05"]).get()
    assert again["added"] == 0 and PaymentLine.objects.count() == 3
    run = PayrollRun.objects.get()
    payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))
    assert compute_payroll.apply(args=[regions["county"].pk, "2026-05"]).get() == {"status": "locked", "run": run.pk}
    assert compute_payroll.apply(args=[999999, "2026-05"]).get() == {"status": "gone"}


def test_command_runs_and_reruns(regions, county_households, capsys):
    call_command("run_payroll", county="341125", month="2026-05")
    assert "added 3" in capsys.readouterr().out
    call_command("run_payroll", county="341125", month="2026-05")
    out = capsys.readouterr().out
    assert "added 0" in out and "3 lines" in out and "870.50 yuan" in out
    with pytest.raises(CommandError):
        call_command("run_payroll", county="999999", month="2026-05")
    with pytest.raises(CommandError):
        call_command("run_payroll", county="341125", month="May")


def test_payments_for_household(regions, county_households):
    april = payroll_run_compute(actor="system:test", county=regions["county"], month=dt.date(2026, 4, 1)).run
    payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=april))
    payroll_run_compute(actor="system:test", county=regions["county"], month=MAY)
    household = county_households["a1"].household
    rows = payments_for_household(household)
    assert [(r["month"], r["amount"], r["status"], r["status_label"]) for r in rows] == [
        (MAY, Decimal("300.00"), "pending", "待发放"),
        (dt.date(2026, 4, 1), Decimal("300.00"), "paid", "已发放"),
    ]


def test_paid_totals_count_locked_months_only(regions, county_households):
    for month in (dt.date(2026, 3, 1), dt.date(2026, 4, 1)):
        run = payroll_run_compute(actor="system:test", county=regions["county"], month=month).run
        payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))
    payroll_run_compute(actor="system:test", county=regions["county"], month=MAY)  # not locked: not paid
    totals = paid_totals(regions["county"], "2026-01", "2026-12")
    # each month: 300.00 + 120.00 + 450.50 = 870.50 for 3 households, 6 persons
    assert totals == [
        {"month": dt.date(2026, 3, 1), "lines": 3, "households": 3, "persons": 6, "amount": Decimal("870.50")},
        {"month": dt.date(2026, 4, 1), "lines": 3, "households": 3, "persons": 6, "amount": Decimal("870.50")},
    ]
    # a township's share: only 定城镇's two households (300.00 + 450.50 = 750.50)
    assert paid_totals(regions["town_a"], "2026-04", "2026-04")[0]["amount"] == Decimal("750.50")
    assert PayrollRun.objects.filter(status=RunStatus.LOCKED).count() == 2


def test_monthly_draft_schedule_computes_next_month_for_counties_with_enrolments(regions, county_households,
                                                                                eager_celery):
    from reemployment.core.models import today
    from reemployment.dates import add_months, month_start
    from reemployment.schedules import all_schedules

    assert all_schedules()["reemployment:payroll-drafts"][0] == "payroll.compute_drafts"
    from benefits.payroll.tasks import compute_next_month_drafts

    result = compute_next_month_drafts.apply().get()
    next_month = add_months(month_start(today()), 1)
    assert result == {"month": f"{next_month:%Y-%m}", "counties": 2}  # 定远县 and 凤阳县 have enrolments
    assert set(PayrollRun.objects.values_list("county__code", "month")) == {("341125", next_month),
                                                                           ("341126", next_month)}
