"""Audit events (issue 15, finding 8): the client's IP address and a session reference on every event;
and the personal data in the events written before masking — ID numbers, names, bank accounts, phones
in the before/after snapshots, ID numbers in notes and labels — masked with the one masking function
(``reemployment.core.masking``), as ``audit.record`` now writes them.

The audit table is append-only (migration 0002's triggers refuse every UPDATE). This migration is the
one sanctioned rewrite: inside its transaction it lifts the update guard, masks, puts the guard back,
and records what it did as an audit event of its own (``audit.masked``, with the number of rows). A
failure rolls all of it back, guard included. Masking is idempotent, so the migration may meet rows
that are already masked.

Both new columns are nullable, so SQLite adds them with ALTER TABLE (no table rebuild that would drop
the triggers: tests/core/test_audit.py checks they exist).
"""

import importlib

from django.db import migrations, models

BATCH = 1000
FIELDS = ("before", "after", "note", "object_label", "actor_label")


def _guard():
    return importlib.import_module("reemployment.core.migrations.0002_auditevent_append_only_guard")


def _lift_update_guard(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")


def _restore_update_guard(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
    elif vendor == "sqlite":
        schema_editor.execute(_guard().SQLITE_FORWARD[0], params=None)  # core_auditevent_no_update


def mask_existing_events(apps, schema_editor):
    from reemployment.core.masking import mask_event_fields

    AuditEvent = apps.get_model("core", "AuditEvent")
    rows = AuditEvent.objects.using(schema_editor.connection.alias).only("id", "object_type", *FIELDS).order_by("id")
    changed, masked = [], 0
    _lift_update_guard(schema_editor)
    for event in rows.iterator(chunk_size=BATCH):
        new = mask_event_fields(object_type=event.object_type, before=event.before, after=event.after,
                                note=event.note, object_label=event.object_label, actor_label=event.actor_label)
        if any(new[name] != getattr(event, name) for name in FIELDS):
            for name in FIELDS:
                setattr(event, name, new[name])
            changed.append(event)
        if len(changed) >= BATCH:
            AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(changed, FIELDS)
            masked += len(changed)
            changed = []
    if changed:
        AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(changed, FIELDS)
        masked += len(changed)
    _restore_update_guard(schema_editor)
    if masked:
        AuditEvent.objects.using(schema_editor.connection.alias).create(
            actor=None, actor_label="system:migrate", action="audit.masked", object_type="core.auditevent",
            object_id="", object_label=f"审计记录中的个人信息已遮蔽 {masked} 条", after={"rows": masked},
            note="migration core.0005: ID numbers, names, bank accounts and phone numbers in earlier events masked",
        )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_delete_simple_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="ip_address",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="IP 地址"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="session",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="会话"),
        ),
        # Irreversible on purpose: the clear values are not kept anywhere to restore.
        migrations.RunPython(mask_existing_events, migrations.RunPython.noop),
    ]
