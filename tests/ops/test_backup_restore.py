"""Backup and restore (docs/operations.md): pg_dump, pg_restore into a new database, same payroll totals.

Runs in CI's PostgreSQL pass (marked `postgres`; deselected on SQLite).
"""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import psycopg
import pytest
from django.db import connection

from benefits.models import Enrolment, Household, Member
from benefits.payroll.models import PaymentLine
from benefits.payroll.services import payroll_run_compute
from reemployment.core.models import AuditEvent
from reemployment.idcard import make_id_number


def _pg_args(db: dict) -> list[str]:
    return ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_keep_payroll_totals(regions, tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "PostgreSQL client tools are needed"
    for n, amount in enumerate(["300.00", "455.50", "120.00"], start=1):
        household = Household.objects.create(number=f"B{n:04d}", region=regions["comm_a1"], area="urban")
        Member.objects.create(household=household, id_number=make_id_number("341125", dt.date(1970, 1, n), 2 * n + 1),
                              name=f"备份{n}", sex="M", birth_date=dt.date(1970, 1, n), relation="head",
                              hukou_area="urban")
        Enrolment.objects.create(household=household, area="urban", category="C", monthly_amount=Decimal(amount),
                                 persons=1, start_date=dt.date(2026, 1, 1), certificate_number=f"BK{n:04d}")
    payroll_run_compute(actor="system:test", county=regions["county"], month="2026-10")
    lines = PaymentLine.objects.count()
    total = sum(PaymentLine.objects.values_list("amount", flat=True))
    events = AuditEvent.objects.count()
    assert (lines, total) == (3, Decimal("875.50"))  # 300.00 + 455.50 + 120.00

    db = connection.settings_dict
    dump = tmp_path / "backup.dump"
    restored = f"{db['NAME']}_restored"
    subprocess.run(["pg_dump", *_pg_args(db), "-Fc", "-f", str(dump), db["NAME"]], check=True)
    subprocess.run(["dropdb", *_pg_args(db), "--if-exists", restored], check=True)
    subprocess.run(["createdb", *_pg_args(db), restored], check=True)
    try:
        subprocess.run(["pg_restore", *_pg_args(db), "--no-owner", "-d", restored, str(dump)], check=True)
        with psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                             user=db.get("USER") or "postgres", dbname=restored) as restored_db:
            line_table = PaymentLine._meta.db_table
            count, amount = restored_db.execute(f"SELECT count(*), sum(amount) FROM {line_table}").fetchone()
            audit_count = restored_db.execute(f"SELECT count(*) FROM {AuditEvent._meta.db_table}").fetchone()[0]
        assert (count, amount) == (lines, total)
        assert audit_count == events
    finally:
        subprocess.run(["dropdb", *_pg_args(db), "--if-exists", restored], check=True)
