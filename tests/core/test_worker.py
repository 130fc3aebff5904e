"""A task sent to a real Celery worker over a real broker (runs in the PostgreSQL + Redis CI pass).

With no broker configured (the embedded default) tasks run eagerly in-process,
which the first test checks; the worker test is collected only when
CELERY_BROKER_URL names a real broker (see tests/conftest.py).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reemployment.core.tasks import health_check
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_tasks_run_in_process_without_a_broker(regions):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("this test belongs to the embedded pass")  # never reached: deselected in conftest
    result = health_check.delay("341125")
    assert result.get()["regions"] == 7


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker(regions):
    env = dict(os.environ)
    # The worker must read the test database the test process writes to.
    env["DATABASE_URL"] = _database_url_for(connection.settings_dict)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reemployment", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-n", f"ci-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        result = health_check.apply_async(args=["341125"])
        payload = result.get(timeout=90)
        assert payload["vendor"] == connection.vendor
        assert payload["database"] == connection.settings_dict["NAME"]
        assert payload["regions"] == 7
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    # The worker's database session ends a moment after the process: wait for it, so that the
    # flush after this test finds no other client on the test database.
    wait_until(lambda: _other_sessions() == 0, timeout=30, message="the worker's database session never ended")


def _other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def _database_url_for(db: dict) -> str:
    if db["ENGINE"].endswith("postgresql"):
        user = db.get("USER") or "postgres"
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{user}@{host}:{port}/{db['NAME']}"
    raise RuntimeError("the worker test needs PostgreSQL")
