"""core.bulk.insert_rows (COPY on PostgreSQL, bulk_create elsewhere) and audit.record_many."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from benefits.models import Household, Review
from benefits.services import reviews_open_many
from reemployment.core import audit
from reemployment.core.bulk import insert_rows
from reemployment.core.models import AuditEvent
from tests.benefits.factories import make_household


def test_insert_rows_returns_the_ids_in_order_and_fills_the_defaults(regions):
    region = regions["comm_a1"]
    ids = insert_rows(Household, ["number", "region_id", "area"], ((f"B{n}", region.pk, "urban") for n in range(3)), 3)
    households = Household.objects.in_bulk(ids)
    assert [households[pk].number for pk in ids] == ["B0", "B1", "B2"]
    assert all(h.flags == [] and h.phone == "" and not h.single_parent and h.created_at for h in households.values())


def test_insert_rows_refuses_a_wrong_count(regions):
    with pytest.raises(ValueError, match="3 rows announced, 2 given"):
        insert_rows(Household, ["number", "region_id", "area"],
                    [(f"C{n}", regions["comm_a1"].pk, "urban") for n in range(2)], 3)


def test_record_many_writes_one_event_per_entry(users):
    entries = [{"action": "test.bulk", "object_type": "benefits.household", "object_id": n, "after": {"n": Decimal("1.50")},
                "note": "批量"} for n in range(4)]
    with transaction.atomic():
        assert audit.record_many(actor=users["county"], entries=entries, count=4) == 4
    events = AuditEvent.objects.filter(action="test.bulk").order_by("object_id")
    assert [(e.object_id, e.after, e.actor, e.note) for e in events] == [
        (str(n), {"n": "1.50"}, users["county"], "批量") for n in range(4)]


def test_reviews_open_many_is_idempotent_per_household_kind_and_source(regions, users):
    household = make_household(regions["comm_a1"])
    row = {"household_id": household.pk, "enrolment_id": None, "kind": "data_flag", "reason": "导入金额不一致",
           "due_on": dt.date(2027, 1, 1), "source_type": "test", "source_id": "1", "region_id": household.region_id}
    first = reviews_open_many(actor=users["county"], rows=[row, dict(row)])
    second = reviews_open_many(actor=users["county"], rows=[row])
    assert first == second and Review.objects.count() == 1
    assert AuditEvent.objects.filter(action="review.open").count() == 1
