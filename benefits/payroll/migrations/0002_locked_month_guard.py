"""Database guard: a locked payroll month is immutable.

PostgreSQL: statement-level triggers (one check per statement, not per row, so the set-based
insert of 200,000 lines pays one lookup) refuse inserting, changing or deleting lines of a locked
run, and a row trigger refuses changing or deleting a locked run. SQLite: row triggers with the
same effect. The services refuse first with a readable message; this is the backstop.
"""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION payroll_refuse_locked_lines() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            IF EXISTS (SELECT 1 FROM new_rows n JOIN payroll_payrollrun r ON r.id = n.run_id
                       WHERE r.status = 'locked') THEN
                RAISE EXCEPTION 'payroll month is locked (发放月份已锁定)' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            IF EXISTS (SELECT 1 FROM old_rows o JOIN payroll_payrollrun r ON r.id = o.run_id
                       WHERE r.status = 'locked') THEN
                RAISE EXCEPTION 'payroll month is locked (发放月份已锁定)' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """CREATE TRIGGER payroll_line_locked_insert AFTER INSERT ON payroll_paymentline
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_refuse_locked_lines();""",
    """CREATE TRIGGER payroll_line_locked_update AFTER UPDATE ON payroll_paymentline
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION payroll_refuse_locked_lines();""",
    """CREATE TRIGGER payroll_line_locked_delete AFTER DELETE ON payroll_paymentline
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_refuse_locked_lines();""",
    """
    CREATE OR REPLACE FUNCTION payroll_refuse_locked_run() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'locked' THEN
            RAISE EXCEPTION 'payroll month is locked (发放月份已锁定)' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """CREATE TRIGGER payroll_run_locked BEFORE UPDATE OR DELETE ON payroll_payrollrun
       FOR EACH ROW EXECUTE FUNCTION payroll_refuse_locked_run();""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS payroll_run_locked ON payroll_payrollrun;",
    "DROP FUNCTION IF EXISTS payroll_refuse_locked_run();",
    "DROP TRIGGER IF EXISTS payroll_line_locked_insert ON payroll_paymentline;",
    "DROP TRIGGER IF EXISTS payroll_line_locked_update ON payroll_paymentline;",
    "DROP TRIGGER IF EXISTS payroll_line_locked_delete ON payroll_paymentline;",
    "DROP FUNCTION IF EXISTS payroll_refuse_locked_lines();",
]

_LOCKED_LINE = "(SELECT status FROM payroll_payrollrun WHERE id = {row}.run_id) = 'locked'"
_ABORT = "BEGIN SELECT RAISE(ABORT, 'payroll month is locked (发放月份已锁定)'); END;"
SQLITE_FORWARD = [
    f"CREATE TRIGGER payroll_line_locked_insert BEFORE INSERT ON payroll_paymentline "
    f"WHEN {_LOCKED_LINE.format(row='NEW')} {_ABORT}",
    f"CREATE TRIGGER payroll_line_locked_update BEFORE UPDATE ON payroll_paymentline "
    f"WHEN {_LOCKED_LINE.format(row='OLD')} OR {_LOCKED_LINE.format(row='NEW')} {_ABORT}",
    f"CREATE TRIGGER payroll_line_locked_delete BEFORE DELETE ON payroll_paymentline "
    f"WHEN {_LOCKED_LINE.format(row='OLD')} {_ABORT}",
    f"CREATE TRIGGER payroll_run_locked_update BEFORE UPDATE ON payroll_payrollrun "
    f"WHEN OLD.status = 'locked' {_ABORT}",
    f"CREATE TRIGGER payroll_run_locked_delete BEFORE DELETE ON payroll_payrollrun "
    f"WHEN OLD.status = 'locked' {_ABORT}",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS payroll_line_locked_insert;",
    "DROP TRIGGER IF EXISTS payroll_line_locked_update;",
    "DROP TRIGGER IF EXISTS payroll_line_locked_delete;",
    "DROP TRIGGER IF EXISTS payroll_run_locked_update;",
    "DROP TRIGGER IF EXISTS payroll_run_locked_delete;",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement, params=None)
    return apply


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
