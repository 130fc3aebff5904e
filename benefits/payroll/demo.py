"""Demo payroll: the last three months of the demo county paid (locked) and this month computed.

Maker–checker as in real use: the demo login ``county`` computes each month and ``county2`` reviews and
locks the past ones (this month waits for ``county2``'s review). Without those logins the system acts.
Set-based and idempotent: a locked month is left as it is; computing again adds nothing.
Robust to a county without enrolments (then it only says so).
"""

from __future__ import annotations

from benefits.models import Enrolment
from benefits.payroll.models import PayrollRun, RunStatus
from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review
from reemployment.core.models import Region, User, today
from reemployment.dates import add_months, month_start

COUNTY = "341125"
ACTOR = "system:seed_demo"


def seed(stdout=None) -> dict:
    county = Region.objects.filter(code=COUNTY).first()
    if county is None or not Enrolment.objects.filter(household__region__path__startswith=county.path).exists():
        if stdout:
            stdout.write("payroll: no enrolments in the demo county, nothing to pay")
        return {}
    this_month = month_start(today())
    maker = User.objects.filter(username="county", is_active=True).first() or ACTOR
    checker = User.objects.filter(username="county2", is_active=True).first() or ACTOR
    done = {}
    for offset in (-3, -2, -1, 0):
        month = add_months(this_month, offset)
        run = PayrollRun.objects.filter(county=county, month=month).first()
        if run is None or run.status != RunStatus.LOCKED:
            run = payroll_run_compute(actor=maker, county=county, month=month).run
            if offset < 0:  # past months were paid
                if run.status == RunStatus.COMPUTED:
                    run = payroll_run_review(actor=checker, run=run)
                run = payroll_run_lock(actor=checker, run=run)
        done[f"{month:%Y-%m}"] = (run.status, run.lines, run.total_amount)
    if stdout:
        stdout.write("payroll: " + "; ".join(f"{m} {s} {n} lines {a} yuan" for m, (s, n, a) in done.items()))
    return done
