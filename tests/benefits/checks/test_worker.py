"""A department file processed by a real Celery worker over a real broker (PostgreSQL + Redis CI pass)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from benefits.checks import services
from benefits.checks.models import DepartmentFile, FileStatus, Flag
from tests.benefits.checks.conftest import csv_bytes
from tests.core.test_worker import _database_url_for
from tests.uploads import truncated_xlsx
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_upload_is_processed_by_a_worker_with_progress(users, households):
    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url_for(connection.settings_dict)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reemployment", "worker", "--pool=solo", "--concurrency=1",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-n", f"checks-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        dead = households["h_b1"].members.order_by("id").last()
        county = users["county"]
        department_file = services.department_file_upload(
            actor=county, source="death", region=county.region, name="d.csv",
            content=csv_bytes(["身份证号码", "死亡日期"], [[dead.id_number, "2026-06-01"]], "gbk"))
        pk = department_file.pk

        def finished():
            current = DepartmentFile.objects.get(pk=pk)
            return current if current.status in (FileStatus.DONE, FileStatus.REJECTED) else None

        # A cold worker imports torch/faiss: slow on a busy box.
        department_file = wait_until(finished, timeout=240, interval=0.2,
                                     message="the worker never finished the department file")
        assert department_file.status == FileStatus.DONE, department_file.message
        assert department_file.progress == 100
        assert Flag.objects.get().member == dead

        # A truncated XLSX: the worker reads it, and the file ends rejected with the reason (never left
        # "processing"); the web request that uploaded it had nothing to do with reading it.
        broken = truncated_xlsx([["身份证号码", "死亡日期"]] + [[dead.id_number, "2026-06-01"]] * 200)["sheet_xml_cut"]
        pk = services.department_file_upload(actor=county, source="death", region=county.region, name="d.xlsx",
                                             content=broken).pk
        department_file = wait_until(finished, timeout=120, interval=0.2,
                                     message="the worker never finished the broken XLSX")
        assert department_file.status == FileStatus.REJECTED and "XLSX 文件已损坏" in department_file.message
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
