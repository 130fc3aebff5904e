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


_PLAIN = frozenset({str, bool, int, Decimal, dt.date, dt.datetime, type(None), dict, list})


def _value(value):
    """Python values for the driver: numpy scalars and pandas' missing values become plain ones."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (str, int, Decimal, dt.date)):  # subclasses (TextChoices members, …)
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _json_default(value):
    """What ``audit.jsonable`` does, for the C encoder: Decimal → text, dates → ISO, numpy → Python, model → pk."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


to_json = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode


def _columns(model, fields: list[str]) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    by_name = {f.name: f for f in model._meta.concrete_fields}
    return [by_attname.get(name) or by_name[name] for name in fields]


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple], count: int, *,
                plain: bool = False) -> list[int]:
    """Insert ``count`` rows (values in the order of ``fields``, attnames such as ``household_id``) into
    ``model``'s table and return their new ids in order. Fields not named take their default, as with
    ``Model()`` (``auto_now``/``auto_now_add``: now). ``plain=True``: the caller gives plain Python values
    only (no numpy scalars or pandas NA), so they are not looked at one by one."""
    if count == 0:
        return []
    columns = _columns(model, fields)
    if connection.vendor == "postgresql":
        return _copy(model, columns, rows, count, plain=plain)
    ids = []
    batch = []
    json_fields = {field.attname for field in columns if isinstance(field, models.JSONField)}
    for row in rows:
        values = {field.attname: _value(value) for field, value in zip(columns, row, strict=True)}
        for name in json_fields:  # as the COPY path stores them: Decimal as text, dates as ISO text
            if values[name] is not None:
                values[name] = json.loads(to_json(values[name]))
        batch.append(model(**values))
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


def _copy(model, columns: list[models.Field], rows: Iterable[tuple], count: int, *, plain: bool) -> list[int]:
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
        json_positions = [position + 1 for position, is_json in enumerate(json_fields) if is_json]
        width = len(json_fields)
        extra_values = tuple(extra_values)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=False):
                values = [pk_value, *(row if plain else map(_value, row)), *extra_values]
                if len(values) != width + 1:
                    raise ValueError(f"insert_rows: a row of {len(values) - 1 - len(extra_values)} values for "
                                     f"{width - len(extra_values)} fields")
                for position in json_positions:
                    if values[position] is not None:
                        values[position] = to_json(values[position])
                copy.write_row(values)
                written += 1
    if written != count:
        raise ValueError(f"insert_rows: {count} rows announced, {written} given")
    return ids
