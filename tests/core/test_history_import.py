"""Removing django-simple-history keeps its rows: migrations core.0003 and benefits.0004 copy every
historical row that no audit event covers into AuditEvent (``history.imported``)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("core", "0002_auditevent_append_only_guard"), ("benefits", "0003_transition_period_start")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_historical_rows_become_audit_events_unless_an_audit_event_covers_them():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
        Region, User = apps.get_model("core", "Region"), apps.get_model("core", "User")
        Household = apps.get_model("benefits", "Household")
        HistoricalHousehold = apps.get_model("benefits", "HistoricalHousehold")
        HistoricalStandard = apps.get_model("core", "HistoricalStandard")
        AuditEvent = apps.get_model("core", "AuditEvent")
        region = Region.objects.create(code="349901", name="测试县", level="county", path="349901/", area="rural")
        clerk = User.objects.create(username="clerk", role="county", region=region)
        household = Household.objects.create(number="H1", area="rural", region=region)
        t0 = timezone.now() - dt.timedelta(days=3)
        row = {"id": household.id, "number": "H1", "area": "rural", "address": "", "phone": "",
               "single_parent": False, "disaster": False, "bank_account": "", "bank_name": "", "flags": [],
               "created_at": t0, "region_id": region.id}
        HistoricalHousehold.objects.create(history_date=t0, history_type="+", history_user_id=clerk.id, **row)
        HistoricalHousehold.objects.create(history_date=t0 + dt.timedelta(hours=1), history_type="~",
                                           history_user_id=clerk.id, **{**row, "address": "东街1号"})
        # Saved by a service, which audited it in the same transaction: not copied again.
        HistoricalHousehold.objects.create(history_date=t0 + dt.timedelta(hours=2), history_type="~",
                                           history_user_id=clerk.id, **{**row, "address": "西街2号"})
        at = AuditEvent._meta.get_field("at")
        at.auto_now_add = False
        AuditEvent.objects.create(at=t0 + dt.timedelta(hours=2, seconds=1), action="household.save",
                                  object_type="benefits.household", object_id=str(household.id))
        HistoricalStandard.objects.create(id=5, history_date=t0, history_type="+", region_id=region.id,
                                          area="rural", monthly_amount="700.00", valid_from=dt.date(2026, 1, 1))
    finally:
        _migrate(leaves)

    from reemployment.core.models import AuditEvent as Event

    imported = list(Event.objects.filter(action="history.imported").order_by("at", "object_type"))
    assert [(e.object_type, e.actor_label, e.before, e.after and e.after.get("address")) for e in imported] == [
        ("benefits.household", "clerk", None, ""),
        ("core.standard", "system", None, None),
        ("benefits.household", "clerk", {"address": ""}, "东街1号"),
    ]
    assert imported[0].at == t0 and imported[0].region_id == region.id
    assert imported[1].after["monthly_amount"] == "700.00"
    assert Event.objects.filter(object_type="benefits.household").count() == 3
    assert "benefits_historicalhousehold" not in connection.introspection.table_names()
