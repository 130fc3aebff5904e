"""Two runs of the same month at once (PostgreSQL): exactly one line per enrolment."""

import threading

import pytest
from django.db import connection, connections

from benefits.payroll.models import PaymentLine, PayrollRun
from benefits.payroll.services import payroll_run_compute
from tests.benefits.payroll.conftest import MAY
from tests.benefits.payroll.factories import make_enrolment, make_household


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_runs_write_one_line_per_enrolment(regions):
    enrolments = [make_enrolment(make_household(regions["comm_a1" if i % 2 else "comm_b1"])) for i in range(60)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            # Small batches interleave the two runs' inserts.
            results.append(payroll_run_compute(actor="system:test", county=regions["county"], month=MAY,
                                               batch_size=7))
        except Exception as exc:  # noqa: BLE001 — reported below: the test fails on any error
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert connection.vendor == "postgresql"
    assert errors == []
    assert len(results) == 2
    assert sum(r.added for r in results) == len(enrolments)  # together they wrote each line once
    assert PaymentLine.objects.count() == len(enrolments)
    assert PaymentLine.objects.values("enrolment_id", "month").distinct().count() == len(enrolments)
    assert PayrollRun.objects.count() == 1
    assert PayrollRun.objects.get().lines == len(enrolments)
