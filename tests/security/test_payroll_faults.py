"""Payroll under faults, with a real Celery worker on PostgreSQL (CI's second pass).

* a worker killed with SIGKILL in the middle of a month's payroll, and the task sent again;
* the worker's database connection terminated in the middle of a run, and the task sent again;
each ends with exactly one payment line per payable enrolment and the right total. (Two runs of
the same month at once: tests/benefits/payroll/services/test_concurrency.py.)

The payroll commits batch by batch (PAYROLL_BATCH_SIZE, small here) so a crash keeps the finished
batches and the rerun adds only the missing lines; the unique constraint (enrolment, month)
makes a second line impossible whatever the timing.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from benefits.models import Enrolment, Household, Member
from benefits.payroll.models import PaymentLine, PayrollRun
from benefits.payroll.services import SYSTEM_ACTOR, payroll_run_open
from benefits.payroll.tasks import compute_payroll
from reemployment.idcard import make_id_number
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 6000
MONTH = "2026-10"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    return (f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}/{db['NAME']}")


def _start_worker(tag: str, queue: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=_database_url(), PAYROLL_BATCH_SIZE="20")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reemployment", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-Q", queue,
         "-n", f"{tag}-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def queue():
    """A queue of this test's own: no message left by another test or run can reach its workers."""
    return f"faults-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def county_with_enrolments(regions):
    households = Household.objects.bulk_create(
        [Household(number=f"F{n:06d}", region=regions["comm_a1"], area="urban") for n in range(HOUSEHOLDS)])
    members, enrolments = [], []
    for n, household in enumerate(households):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=n)
        members.append(Member(household=household, id_number=make_id_number("341125", birth, 2 * (n % 400) + 1),
                              name="测试", sex="M", birth_date=birth, relation="head", hukou_area="urban"))
        # Amounts 100.00 … 199.99 spread over the households: a wrong line would show in the total.
        enrolments.append(Enrolment(household=household, area="urban", category="C", persons=1,
                                    monthly_amount=Decimal(100) + Decimal(n % 10000) / 100,
                                    start_date=dt.date(2026, 1, 1), certificate_number=f"FC{n:06d}"))
    Member.objects.bulk_create(members)
    Enrolment.objects.bulk_create(enrolments)
    expected = sum((e.monthly_amount for e in enrolments), Decimal(0))
    return regions["county"], expected


@contextmanager
def _blocked_mid_run(county):
    """Hold the payroll in the middle of the month, deterministically, whatever the machine's speed.

    A second connection inserts, without committing, the line of the enrolment halfway through the
    county: the worker commits every batch before it, then its INSERT … ON CONFLICT for that batch
    waits on the uncommitted row. Yields a function that returns the waiting backend's pid once the
    worker is there; the blocking transaction is rolled back on exit.
    """
    db = connection.settings_dict
    run = payroll_run_open(actor=SYSTEM_ACTOR, county=county, month=MONTH)
    middle = Enrolment.objects.select_related("household").order_by("id")[HOUSEHOLDS // 2]
    blocker = psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                              user=db.get("USER") or "postgres", dbname=db["NAME"])
    try:
        blocker.execute(
            f"INSERT INTO {PaymentLine._meta.db_table} (run_id, enrolment_id, household_id, region_id, month, amount,"
            " persons, category, area, bank_account, bank_name) VALUES (%s, %s, %s, %s, %s, 1, 1, 'C', 'urban', '', '')",
            [run.pk, middle.pk, middle.household_id, middle.household.region_id, run.month])
        blocker_pid = blocker.info.backend_pid

        def waiting_pid(timeout: float = 120) -> int:
            def blocked_backend():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                   " AND wait_event_type = 'Lock' AND pid NOT IN (pg_backend_pid(), %s)",
                                   [blocker_pid])
                    row = cursor.fetchone()
                return row[0] if row else None

            return wait_until(blocked_backend, timeout=timeout, max_interval=0.2,
                              message="the payroll never reached the blocked batch")

        yield waiting_pid
    finally:
        blocker.rollback()
        blocker.close()


def _terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0]


def _assert_complete(county, expected_total):
    lines = PaymentLine.objects.filter(run__county=county)
    assert lines.count() == HOUSEHOLDS
    assert lines.values("enrolment").distinct().count() == HOUSEHOLDS
    assert sum(lines.values_list("amount", flat=True)) == expected_total
    run = PayrollRun.objects.get(county=county)
    assert run.lines == HOUSEHOLDS and run.total_amount == expected_total


def test_worker_killed_mid_run_then_retried(county_with_enrolments, queue):
    county, expected = county_with_enrolments
    worker = _start_worker("killed", queue)
    try:
        with _blocked_mid_run(county) as waiting_pid:
            compute_payroll.apply_async(args=[county.pk, MONTH], queue=queue)
            pid = waiting_pid()
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
            _terminate(pid)  # the killed worker's backend would otherwise live on until it next writes
    finally:
        _stop(worker)
    partial = PaymentLine.objects.filter(run__county=county).count()
    assert HOUSEHOLDS // 2 - 20 <= partial <= HOUSEHOLDS // 2, "the batches before the blocked one are kept"
    retry = _start_worker("retry", queue)
    try:
        result = compute_payroll.apply_async(args=[county.pk, MONTH], queue=queue).get(timeout=300)
    finally:
        _stop(retry)
    assert result["lines"] == HOUSEHOLDS
    assert result["added"] == HOUSEHOLDS - partial  # the rerun added only what was missing
    _assert_complete(county, expected)


def test_database_connection_dropped_mid_run_then_retried(county_with_enrolments, queue):
    county, expected = county_with_enrolments
    worker = _start_worker("dropped", queue)
    try:
        with _blocked_mid_run(county) as waiting_pid:
            async_result = compute_payroll.apply_async(args=[county.pk, MONTH], queue=queue)
            _terminate(waiting_pid())
        with pytest.raises(Exception):  # noqa: B017 - the task fails with the database error it met
            async_result.get(timeout=120)
        partial = PaymentLine.objects.filter(run__county=county).count()
        assert HOUSEHOLDS // 2 - 20 <= partial <= HOUSEHOLDS // 2
        # The same worker process retries with a fresh connection.
        result = compute_payroll.apply_async(args=[county.pk, MONTH], queue=queue).get(timeout=300)
    finally:
        _stop(worker)
    assert result["lines"] == HOUSEHOLDS
    assert result["added"] == HOUSEHOLDS - partial
    _assert_complete(county, expected)
