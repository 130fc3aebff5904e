"""Writing audit events (审计). Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from reemployment.core import request_context
from reemployment.core.masking import mask_event_fields
from reemployment.core.models import AuditEvent, Region


def jsonable(value: Any) -> Any:
    """Make before/after snapshots JSON-safe: Decimal → str, dates → ISO, models → pk."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # numpy scalars (set-based services)
        return jsonable(value.item())
    if hasattr(value, "items"):  # MappingProxyType etc.
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of a model instance (foreign keys by id)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = jsonable(getattr(instance, field.attname))
    return data


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_label: str = "",
    region: Region | None = None,
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> AuditEvent:
    """Append one audit event. Must run inside the service's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic (the service's transaction)")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_label = object_label or _safe_label(obj)
        if region is None:
            region = getattr(obj, "region", None) if isinstance(getattr(obj, "region", None), Region) else None
    actor_obj = actor if getattr(actor, "pk", None) else None
    # Snapshots keep that a personal value changed, masked (issue 15 finding 8): core/masking.py.
    masked = mask_event_fields(object_type=object_type or "", before=jsonable(before), after=jsonable(after),
                               note=note, object_label=object_label, actor_label=_actor_label(actor))
    context = request_context.current()
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=masked["actor_label"][:150],
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=masked["object_label"][:200],
        region=region,
        before=masked["before"],
        after=masked["after"],
        note=masked["note"],
        ip_address=context.ip_address if context else None,
        session=(context.session_ref() or None) if context else None,
    )


def record_denials(request, response) -> list[AuditEvent]:
    """Write the permission refusals noted during ``request`` as ``access.denied`` events — or, for a
    403 answer no refusal was noted for, one event with the status. Called by the middleware after the
    view returned (the refused service's transaction is over). Anonymous requests are not recorded
    (the login page and django-axes deal with them)."""
    context = request_context.current()
    user = getattr(request, "user", None)
    if context is None or user is None or not user.is_authenticated:
        return []
    denials = list(context.denials)
    if not denials and getattr(response, "status_code", 0) == 403:
        denials = [{"message": "HTTP 403", "code": "forbidden"}]
    events = []
    path = f"{request.method} {request.path}"
    for denial in denials:
        with transaction.atomic():
            events.append(record(
                actor=user, action="access.denied", object_type="", object_id="", object_label=path[:200],
                region=getattr(user, "region", None),
                after={"method": request.method, "path": request.path[:300], "status": response.status_code,
                       "code": denial["code"]},
                note=denial["message"],
            ))
    return events


AUDIT_FIELDS = ["at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_label", "region_id",
                "before", "after", "note", "ip_address", "session"]


def record_many(*, actor, entries: Iterable[dict], count: int) -> int:
    """Append ``count`` audit events at once (set-based imports): each entry is a dict with ``action``,
    ``object_type``, ``object_id``, and optionally ``object_label``, ``region_id``, ``before``, ``after``,
    ``note``. One actor and one time for all. Must run inside the service's transaction, like
    :func:`record`; written with ``core.bulk.insert_rows`` (COPY on PostgreSQL)."""
    from reemployment.core.bulk import insert_rows

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic (the service's transaction)")
    at = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    label = _actor_label(actor)
    context = request_context.current()
    ip_address = context.ip_address if context else None
    session = (context.session_ref() or None) if context else None

    def row(entry):
        # Masked like every event of ``record`` (issue 15 finding 8: core/masking.py).
        masked = mask_event_fields(object_type=entry["object_type"], before=jsonable(entry.get("before")),
                                   after=jsonable(entry.get("after")), note=entry.get("note", ""),
                                   object_label=entry.get("object_label") or "", actor_label=label)
        return (at, actor_id, masked["actor_label"][:150], entry["action"], entry["object_type"],
                str(entry["object_id"]), masked["object_label"][:200], _plain_id(entry.get("region_id")),
                masked["before"], masked["after"], masked["note"], ip_address, session)

    return len(insert_rows(AuditEvent, AUDIT_FIELDS, (row(entry) for entry in entries), count, plain=True))


def _plain_id(value):
    return None if value is None else int(value)


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "username", str(actor))


def _safe_label(obj: models.Model) -> str:
    # Labels are shown in the audit list; models with personal data define audit_label().
    label = getattr(obj, "audit_label", None)
    if callable(label):
        return label()
    return f"{obj._meta.verbose_name} #{obj.pk}"
