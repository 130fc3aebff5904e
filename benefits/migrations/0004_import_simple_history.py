"""Keep the rows of django-simple-history (Household, Member, IncomeItem, Asset, Review) as audit
events before 0005 drops their tables: see ``reemployment.core.legacy_history``. Reversing leaves the
audit events (append-only)."""

from django.db import migrations

from reemployment.core.legacy_history import household_regions, import_history


def forward(apps, schema_editor):
    import_history(apps, "benefits", "Household")
    region_of = household_regions(apps)
    for model_name in ("Member", "IncomeItem", "Asset", "Review"):
        import_history(apps, "benefits", model_name, region_of=region_of)


class Migration(migrations.Migration):
    dependencies = [
        ("benefits", "0003_transition_period_start"),
        ("core", "0003_import_simple_history"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
