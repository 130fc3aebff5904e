"""A random reference number (受理编号) on every tip-off, shown to the sender instead of the sequential id.

Three steps because a unique field with a random default cannot be added in one: Django would give
every existing row the same value. Existing tip-offs get a reference of their own in between.
"""

from django.db import migrations, models

import benefits.integrity.models


def give_existing_tip_offs_a_reference(apps, schema_editor):
    TipOff = apps.get_model("integrity", "TipOff")
    taken = set()
    for tip_off in TipOff.objects.filter(reference__isnull=True).only("pk"):
        reference = benefits.integrity.models.new_tip_off_reference()
        while reference in taken:
            reference = benefits.integrity.models.new_tip_off_reference()
        taken.add(reference)
        TipOff.objects.filter(pk=tip_off.pk).update(reference=reference)


class Migration(migrations.Migration):

    dependencies = [
        ("integrity", "0002_death_report_pending_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="tipoff",
            name="reference",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="受理编号"),
        ),
        migrations.RunPython(give_existing_tip_offs_a_reference, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tipoff",
            name="reference",
            field=models.CharField(default=benefits.integrity.models.new_tip_off_reference, editable=False,
                                   max_length=16, unique=True, verbose_name="受理编号"),
        ),
    ]
