"""Carry django-simple-history rows into the audit log (used once, by migrations core.0003 and benefits.0004).

The project keeps one history: :class:`~reemployment.core.models.AuditEvent` plus the domain event
tables (docs/architecture.md, "History"). Before the ``Historical*`` tables are dropped, every
historical row that no audit event already covers is written as an audit event with the action
``history.imported``:

- who: ``history_user`` (the login of the request that saved the row), else "system";
- when: ``history_date``;
- before/after: for a change ("~"), the fields that differ from the object's previous historical row
  (all fields if that row is missing); a creation ("+") has only ``after``; a deletion ("-") only
  ``before``. Foreign keys by id, as :func:`reemployment.core.audit.snapshot` writes them.

A historical row counts as covered when an audit event names the same object (``object_type`` =
the model's ``app_label.model_name``, ``object_id``) within :data:`MATCH_WINDOW` of its time: the
services wrote both in one transaction.

Works on the migration state's models (``apps.get_model``), never on today's model classes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

ACTION = "history.imported"
MATCH_WINDOW = dt.timedelta(seconds=5)
BATCH = 1000
TYPES = {"+": "创建 / created", "~": "修改 / changed", "-": "删除 / deleted"}
HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def _snapshot(row, fields) -> dict:
    return {field.attname: _jsonable(getattr(row, field.attname)) for field in fields}


def import_history(apps, app_label: str, model_name: str, region_of=None) -> int:
    """Write audit events for the uncovered historical rows of ``app_label.model_name``; how many.

    ``region_of(row) -> region id or None`` names the jurisdiction of a row (default: its ``region_id``).
    """
    historical = apps.get_model(app_label, f"Historical{model_name}")
    AuditEvent = apps.get_model("core", "AuditEvent")
    Region = apps.get_model("core", "Region")
    User = apps.get_model("core", "User")
    object_type = f"{app_label}.{model_name.lower()}"
    fields = [f for f in historical._meta.concrete_fields if f.name not in HISTORY_FIELDS]

    covered: dict[str, list[dt.datetime]] = {}
    for object_id, at in AuditEvent.objects.filter(object_type=object_type).values_list("object_id", "at"):
        covered.setdefault(object_id, []).append(at)
    for times in covered.values():
        times.sort()
    regions = set(Region.objects.values_list("pk", flat=True))
    usernames = dict(User.objects.values_list("pk", "username"))
    if region_of is None:
        def region_of(row):
            return getattr(row, "region_id", None)

    # The audit row's time is the history row's, not now (the model state has auto_now_add).
    at_field = AuditEvent._meta.get_field("at")
    at_field.auto_now_add = False
    try:
        return _write(historical, AuditEvent, fields, object_type, covered, regions, usernames, region_of)
    finally:
        at_field.auto_now_add = True


def _write(historical, AuditEvent, fields, object_type, covered, regions, usernames, region_of) -> int:
    previous: dict[int, dict] = {}
    pending, written = [], 0
    for row in historical.objects.order_by("id", "history_date", "history_id").iterator(chunk_size=BATCH):
        state = _snapshot(row, fields)
        before_state = previous.get(row.id)
        previous[row.id] = state
        object_id = str(row.id)
        times = covered.get(object_id, [])
        start = bisect.bisect_left(times, row.history_date - MATCH_WINDOW)
        if start < len(times) and times[start] <= row.history_date + MATCH_WINDOW:
            continue
        if row.history_type == "+":
            before, after = None, state
        elif row.history_type == "-":
            before, after = state, None
        elif before_state is None:
            before, after = None, state
        else:
            changed = [name for name, value in state.items() if before_state.get(name) != value]
            before = {name: before_state.get(name) for name in changed}
            after = {name: state[name] for name in changed}
        region_id = region_of(row)
        pending.append(AuditEvent(
            at=row.history_date, actor_id=row.history_user_id,
            actor_label=usernames.get(row.history_user_id, "system"), action=ACTION,
            object_type=object_type, object_id=object_id,
            object_label=f"{historical._meta.object_name.removeprefix('Historical')} #{row.id}",
            region_id=region_id if region_id in regions else None, before=before, after=after,
            note=(f"django-simple-history：{TYPES.get(row.history_type, row.history_type)}"
                  + (f"；{row.history_change_reason}" if row.history_change_reason else "")),
        ))
        if len(pending) >= BATCH:
            AuditEvent.objects.bulk_create(pending)
            written += len(pending)
            pending = []
    if pending:
        AuditEvent.objects.bulk_create(pending)
        written += len(pending)
    return written


def household_regions(apps):
    """``region_of`` for records of a household: the household's region (today's, or None if it is gone)."""
    Household = apps.get_model("benefits", "Household")
    by_household = dict(Household.objects.values_list("pk", "region_id"))

    def region_of(row):
        return by_household.get(row.household_id)

    return region_of
