"""Set-based inserts of many rows (CONVENTIONS.md rule 9), for imports that write hundreds of thousands.

:func:`insert_rows` writes plain tuples, not model instances: on PostgreSQL the ids are drawn from the
table's sequence in one statement and the rows streamed with ``COPY … FROM STDIN`` (about ten times
``bulk_create``'s speed, and no model instance per row); on other databases (SQLite, the embedded
default) it is ``bulk_create`` in batches. Either way it runs in the caller's transaction and returns
the new ids in the order of the rows. Nothing here calls ``save()`` or sends signals, exactly like
``bulk_create``: callers audit what they write (``audit.record_many``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal

import numpy as np
from django.db import connection, models

BATCH = 2000


def _value(value):
    """Python values for the driver: numpy scalars and pandas' missing values become plain ones."""
    if value is None or isinstance(value, (str, bool, int, Decimal, dt.date)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (dict, list)):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _columns(model, fields: list[str]) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    by_name = {f.name: f for f in model._meta.concrete_fields}
    return [by_attname.get(name) or by_name[name] for name in fields]


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple], count: int) -> list[int]:
    """Insert ``count`` rows (values in the order of ``fields``, attnames such as ``household_id``) into
    ``model``'s table and return their new ids in order. Fields not named take their default, as with
    ``Model()`` (``auto_now``/``auto_now_add``: now)."""
    if count == 0:
        return []
    columns = _columns(model, fields)
    if connection.vendor == "postgresql":
        return _copy(model, columns, rows, count)
    ids = []
    batch = []
    for row in rows:
        batch.append(model(**{field.attname: _value(value) for field, value in zip(columns, row, strict=True)}))
        if len(batch) >= BATCH:
            ids.extend(obj.pk for obj in model.objects.bulk_create(batch))
            batch = []
    if batch:
        ids.extend(obj.pk for obj in model.objects.bulk_create(batch))
    if len(ids) != count:
        raise ValueError(f"insert_rows: {count} rows announced, {len(ids)} given")
    return ids


def _defaults(model, columns: list[models.Field]) -> tuple[list[models.Field], list]:
    """The fields a caller left out and the value each takes, as ``Model()`` would give it (its default;
    now for ``auto_now``/``auto_now_add``): COPY, unlike the ORM, knows only the database's defaults."""
    from django.utils import timezone

    given = {field.attname for field in columns}
    now = timezone.now()
    extra, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        extra.append(field)
        values.append(now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                      else field.get_default())
    return extra, values


def _copy(model, columns: list[models.Field], rows: Iterable[tuple], count: int) -> list[int]:
    table = model._meta.db_table
    pk = model._meta.pk.column
    extra, extra_values = _defaults(model, columns)
    json_fields = [isinstance(field, models.JSONField) for field in [*columns, *extra]]
    names = ", ".join(connection.ops.quote_name(c) for c in [pk, *(field.column for field in [*columns, *extra])])
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [connection.ops.quote_name(table), pk, count])
        ids = [row[0] for row in cursor.fetchall()]
        written = 0
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=False):
                values = [pk_value]
                for is_json, value in zip(json_fields, (*row, *extra_values), strict=True):
                    value = _value(value)
                    values.append(json.dumps(value, ensure_ascii=False) if is_json and value is not None else value)
                copy.write_row(values)
                written += 1
    if written != count:
        raise ValueError(f"insert_rows: {count} rows announced, {written} given")
    return ids
