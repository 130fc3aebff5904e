"""A payment line's run, household and region are checked once per statement, not by a foreign key.

PostgreSQL checks a foreign key with one lookup (and a row lock) per inserted row: for the 200,000 lines
of a county the run, household and region keys cost more than the insert itself (docs/performance.md
"Payroll"). The enrolment stays a foreign key (the line's identity). The other three, which the payroll
copies from the locked run and the enrolment's household in the same INSERT … SELECT:

* PostgreSQL: the statement-level trigger function of 0002 also refuses lines whose run, household or
  region does not exist (one anti-join per statement), and statement-level triggers on the run, household
  and region tables refuse deleting a row that lines still refer to — what the foreign keys did;
* SQLite (the embedded database): the table is rebuilt by Django for this change, which drops the row
  triggers of 0002; they are created again, with the run's existence checked as well. Household and
  region are not checked by SQLite (a trigger naming their tables would break SQLite's rebuild of those
  tables in later migrations); Django's PROTECT still refuses deleting them.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

GUARD = importlib.import_module("benefits.payroll.migrations.0002_locked_month_guard")

_REFUSE_MISSING = """IF EXISTS (SELECT 1 FROM new_rows n LEFT JOIN {table} t ON t.id = n.{column} WHERE t.id IS NULL) THEN
                RAISE EXCEPTION 'payment line refers to a missing {what} (发放明细所指{label}不存在)'
                    USING ERRCODE = 'foreign_key_violation';
            END IF;"""

PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION payroll_refuse_locked_lines() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            IF EXISTS (SELECT 1 FROM new_rows n JOIN payroll_payrollrun r ON r.id = n.run_id
                       WHERE r.status = 'locked') THEN
                RAISE EXCEPTION 'payroll month is locked (发放月份已锁定)' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            {_REFUSE_MISSING.format(table="payroll_payrollrun", column="run_id", what="payroll run", label="发放批次")}
            {_REFUSE_MISSING.format(table="benefits_household", column="household_id", what="household", label="家庭")}
            {_REFUSE_MISSING.format(table="core_region", column="region_id", what="region", label="社区/村")}
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
    """
    CREATE OR REPLACE FUNCTION payroll_refuse_deleting_referenced() RETURNS trigger AS $$
    BEGIN
        IF (TG_TABLE_NAME = 'payroll_payrollrun'
                AND EXISTS (SELECT 1 FROM old_rows o JOIN payroll_paymentline l ON l.run_id = o.id))
            OR (TG_TABLE_NAME = 'benefits_household'
                AND EXISTS (SELECT 1 FROM old_rows o JOIN payroll_paymentline l ON l.household_id = o.id))
            OR (TG_TABLE_NAME = 'core_region'
                AND EXISTS (SELECT 1 FROM old_rows o JOIN payroll_paymentline l ON l.region_id = o.id)) THEN
            RAISE EXCEPTION 'payment lines still refer to this % row (仍有发放明细)', TG_TABLE_NAME
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    *[f"""CREATE TRIGGER payroll_line_reference_delete AFTER DELETE ON {table}
          REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_refuse_deleting_referenced();"""
      for table in ("payroll_payrollrun", "benefits_household", "core_region")],
]
PG_REVERSE = [
    *[f"DROP TRIGGER IF EXISTS payroll_line_reference_delete ON {table};"
      for table in ("payroll_payrollrun", "benefits_household", "core_region")],
    "DROP FUNCTION IF EXISTS payroll_refuse_deleting_referenced();",
    GUARD.PG_FORWARD[0],  # 0002's function again
]

_MISSING_RUN = "NOT EXISTS (SELECT 1 FROM payroll_payrollrun WHERE id = NEW.run_id)"
_ABORT_MISSING_RUN = "BEGIN SELECT RAISE(ABORT, 'payment line refers to a missing payroll run (发放批次不存在)'); END;"
SQLITE_FORWARD = [
    *GUARD.SQLITE_REVERSE[:3],  # (gone already when SQLite rebuilt the table)
    *GUARD.SQLITE_FORWARD[:3],  # 0002's line triggers, dropped with the rebuilt table
    f"CREATE TRIGGER payroll_line_run_insert BEFORE INSERT ON payroll_paymentline WHEN {_MISSING_RUN} "
    f"{_ABORT_MISSING_RUN}",
    f"CREATE TRIGGER payroll_line_run_update BEFORE UPDATE ON payroll_paymentline WHEN {_MISSING_RUN} "
    f"{_ABORT_MISSING_RUN}",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS payroll_line_run_insert;",
    "DROP TRIGGER IF EXISTS payroll_line_run_update;",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)
    return apply


class Migration(migrations.Migration):
    dependencies = [("payroll", "0002_locked_month_guard")]

    operations = [
        # Backwards, this runs last: the table rebuilt by SQLite gets 0002's triggers back.
        migrations.RunPython(migrations.RunPython.noop,
                             _run({"sqlite": [*GUARD.SQLITE_REVERSE[:3], *GUARD.SQLITE_FORWARD[:3]]})),
        migrations.AlterField(
            model_name="paymentline",
            name="household",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="payment_lines", to="benefits.household", verbose_name="家庭"),
        ),
        migrations.AlterField(
            model_name="paymentline",
            name="region",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="core.region", verbose_name="社区/村"),
        ),
        migrations.AlterField(
            model_name="paymentline",
            name="run",
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="payment_lines", to="payroll.payrollrun", verbose_name="发放批次"),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
