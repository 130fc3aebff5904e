"""A bulk change queued to a real Celery worker keeps the index in step (PostgreSQL + Redis CI pass)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from jobs.matching.index import get_store
from jobs.models import Vacancy
from jobs.services import _enqueue_index_sync
from tests.core.test_worker import _database_url_for
from tests.jobs.factories import make_employer, vacancy_fields
from tests.waiting import WaitTimeout, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_queued_index_sync_runs_on_a_real_worker(regions, settings, match_index_dir):
    employer = make_employer(regions["town_b"])
    rows = [Vacancy.objects.create(**vacancy_fields(employer, regions["town_b"], title=f"叉车司机{n}"))
            for n in range(3)]
    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url_for(connection.settings_dict)
    env["MATCH_INDEX_DIR"] = str(match_index_dir)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reemployment", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-n", f"ci-jobs-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        settings.JOBS_INLINE_INDEX_SYNC_MAX = 0  # force the queue, as for a bulk import
        from django.db import transaction

        with transaction.atomic():
            _enqueue_index_sync([v.pk for v in rows])
        expected = [v.pk for v in rows]
        try:  # the worker imports torch and loads the model first
            wait_until(lambda: sorted(get_store().snapshot().ids.tolist()) == expected, timeout=300,
                       interval=0.2)
        except WaitTimeout:
            ids = sorted(get_store().snapshot().ids.tolist())
            worker.send_signal(signal.SIGTERM)
            output = worker.communicate(timeout=30)[0]
            pytest.fail(f"index not in step after 300 s: {ids}; worker output:\n{output[-3000:]}")
        assert all(v.vector is not None for v in Vacancy.objects.filter(pk__in=[r.pk for r in rows]))
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
