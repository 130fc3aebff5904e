"""Shared set-up of the checks benchmarks: a dedicated database and set-based data loading.

Not part of the test suite. Data is written with PostgreSQL COPY (one stream per table) — or, on
SQLite (``--database-url sqlite:////tmp/bench.sqlite3``), with batched ``executemany`` inserts —
never a loop of save().
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reemployment_checks_bench"


def setup_django(database_url: str | None = None) -> None:
    """Point Django at the benchmark database (created if missing), migrate, and set up."""
    url = database_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("MAX_IMPORT_BYTES", str(2 * 1024**3))
    sys.path.insert(0, str(ROOT))
    if url.startswith(("postgres://", "postgresql://")):
        _create_database(url)
    import django

    django.setup()


def _create_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    admin = psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432,
                            user=config["USER"] or "postgres", password=config["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def copy_rows(model, rows, fields: list[str]) -> int:
    """COPY ``rows`` (tuples in the order of ``fields``) into ``model``'s table; other concrete
    fields get their Python default (auto_now_add → now). Returns the row count."""
    from django.db import connection
    from django.utils import timezone

    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_name = {f.name: f for f in concrete}
    extra = [f for f in concrete if f.name not in fields and f.attname not in fields]
    now = timezone.now()

    def default(field):
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            return now
        value = field.get_default()
        return _adapt(value)

    extra_values = [default(f) for f in extra]
    columns = [by_name[n].column if n in by_name else n for n in fields] + [f.column for f in extra]
    count = 0
    if connection.vendor != "postgresql":
        raw_defaults = [now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) else f.get_default()
                        for f in extra]
        return _insert_rows(model, rows, columns, raw_defaults, [by_name.get(n) for n in fields] + extra)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor
        with raw.copy(f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_adapt(v) for v in row] + extra_values)
                count += 1
    return count


def _insert_rows(model, rows, columns: list[str], extra_values: list, fields: list, batch: int = 5000) -> int:
    """The non-PostgreSQL path of :func:`copy_rows`: one ``executemany`` per ``batch`` rows, values
    converted by the fields as the ORM would (dates, decimals, JSON)."""
    from django.db import connection, transaction

    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) VALUES ({placeholders})"

    def db_value(field, value):
        return field.get_db_prep_save(value, connection) if field is not None and value is not None else value

    count, chunk = 0, []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            values = list(row) + extra_values
            chunk.append([db_value(field, value) for field, value in zip(fields, values, strict=True)])
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _adapt(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return value
    return value


def rss_mb() -> float:
    """Peak resident memory of this process, MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
