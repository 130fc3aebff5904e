"""Keep the rows of django-simple-history (Standard, ParameterSet) as audit events before 0004 drops
their tables: see ``reemployment.core.legacy_history``. Reversing leaves the audit events (append-only)."""

from django.db import migrations

from reemployment.core.legacy_history import import_history


def forward(apps, schema_editor):
    for model_name in ("Standard", "ParameterSet"):
        import_history(apps, "core", model_name)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditevent_append_only_guard")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
