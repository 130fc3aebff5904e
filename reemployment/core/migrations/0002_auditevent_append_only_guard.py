"""Database guard: audit events are append-only.

The model and its queryset refuse ``save()`` of an existing event, ``delete()``, and bulk
``update()``/``delete()``; these triggers refuse UPDATE and DELETE of audit rows from any other
path (raw SQL, a shell, another program). PostgreSQL: a row trigger (a statement trigger would
also fire for an UPDATE that matches no row, which Django issues when it saves a deserialised
object). SQLite: row triggers with the same effect.

Emptying the whole database stays possible, as it must for ``manage.py flush`` (and so for the
test suite's transactional tests): PostgreSQL's flush is ``TRUNCATE``, which fires no row trigger;
SQLite's flush is ``DELETE FROM``, allowed only while ``flush`` runs (the SQLite function
``core_audit_flush_in_progress()``, see ``reemployment.core.append_only``). A connection without
that function (the ``sqlite3`` shell) cannot delete audit rows at all.

On SQLite, a later migration that rebuilds this table (Django copies it into a new one) drops
these triggers: re-create them in that migration (``tests/core/test_audit.py`` checks they exist).
"""

from django.db import migrations

MESSAGE = "audit events are append-only (审计记录只能追加，不能修改或删除)"

PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql;
    """,
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse_change();",
]

_ABORT = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
SQLITE_FORWARD = [
    f"CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent {_ABORT}",
    (f"CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
     f"WHEN NOT core_audit_flush_in_progress() {_ABORT}"),
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)
    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
