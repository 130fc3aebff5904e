"""Audit events: written by services in the same transaction, append-only, visible to county staff."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from reemployment.core import audit, services
from reemployment.core.errors import DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, ParameterSet, Standard


@pytest.fixture
def standard(regions):
    return Standard.objects.create(region=regions["county"], area="urban", monthly_amount=Decimal("150.00"),
                                   valid_from="2026-01-01")


@pytest.mark.django_db
def test_standard_edit_is_audited_with_before_and_after(users, standard):
    standard.monthly_amount = Decimal("160.00")
    services.standard_save(actor=users["county"], standard=standard)
    event = AuditEvent.objects.get(action="standard.update")
    assert event.actor == users["county"]
    assert event.before["monthly_amount"] == "150.00"
    assert event.after["monthly_amount"] == "160.00"
    assert event.region == standard.region


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", ["township_a", "community_a1", "labour", "other_county", "editor"])
def test_only_county_staff_of_that_county_edit_standards(users, standard, user_key):
    standard.monthly_amount = Decimal("999.00")
    with pytest.raises(PermissionDenied):
        services.standard_save(actor=users[user_key], standard=standard)
    standard.refresh_from_db()
    assert standard.monthly_amount == Decimal("150.00")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_parameter_values_are_checked(users, regions):
    bad = ParameterSet(region=regions["county"], valid_from="2026-01-01", values={"urban_b_uplift": "1.5"})
    with pytest.raises(DomainError, match="应为 0 到 1 之间的比例"):
        services.parameter_set_save(actor=users["county"], parameter_set=bad)
    good = ParameterSet(region=regions["county"], valid_from="2026-01-01", values={"urban_b_uplift": "0.25"})
    services.parameter_set_save(actor=users["county"], parameter_set=good)
    assert AuditEvent.objects.filter(action="parameters.create", object_id=str(good.pk)).exists()


@pytest.mark.django_db
def test_audit_events_are_append_only(users, regions):
    with transaction.atomic():
        event = audit.record(actor=users["county"], action="x", obj=regions["county"])
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_audit_outside_transaction_is_refused(users, regions):
    with pytest.raises(RuntimeError):
        audit.record(actor=users["county"], action="x", obj=regions["county"])


@pytest.mark.django_db
def test_admin_edit_goes_through_the_service(client, users, standard):
    client.force_login(users["county"])
    url = f"/admin/standard/edit/{standard.pk}/"
    response = client.post(url, {"region": standard.region.pk, "area": "urban", "monthly_amount": "170.00",
                                 "valid_from": "2026-01-01", "note": "提标"})
    assert response.status_code == 302, response.content.decode()[:2000]
    standard.refresh_from_db()
    assert standard.monthly_amount == Decimal("170.00")
    assert AuditEvent.objects.filter(action="standard.update", actor=users["county"]).count() == 1


@pytest.mark.django_db
def test_township_cannot_open_standard_edit(client, users, standard):
    client.force_login(users["township_a"])
    response = client.get(f"/admin/standard/edit/{standard.pk}/")
    assert response.status_code in (302, 403, 404)
    assert response.status_code != 200


@pytest.mark.django_db
def test_audit_log_visible_to_county_not_to_community(client, users, regions):
    with transaction.atomic():
        audit.record(actor=users["county"], action="standard.update", obj=regions["county"], region=regions["county"])
    client.force_login(users["county"])
    assert "standard.update" in client.get("/admin/auditevent/").content.decode()
    client.force_login(users["community_a1"])
    assert client.get("/admin/auditevent/").status_code in (302, 403)


@pytest.mark.django_db
def test_admin_edit_refused_by_service_shows_the_message(client, users, regions):
    # The county user may edit standards, but not give a parameter share above 1: the service refuses
    # and the form shows the message instead of crashing.
    client.force_login(users["county"])
    response = client.post("/admin/parameterset/new/", {"region": regions["county"].pk, "valid_from": "2026-01-01",
                                                         "values": '{"urban_b_uplift": "1.5"}', "note": ""})
    assert response.status_code == 200
    assert "应为 0 到 1 之间的比例" in response.content.decode()
    assert not ParameterSet.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["add", "edit", "delete"])
def test_switched_off_admin_views_answer_404(client, users, regions, name):
    from django.urls import reverse

    with transaction.atomic():
        event = audit.record(actor=users["county"], action="x", obj=regions["county"], region=regions["county"])
    url = reverse(f"auditevent:{name}", args=[] if name == "add" else [event.pk])  # the URL exists...
    client.force_login(users["county"])
    assert client.get(url).status_code == 404  # ...but answers 404
    assert client.post(url, {"note": "tampered"}).status_code == 404
    event.refresh_from_db()
    assert event.note == ""


@pytest.fixture
def two_events(users, regions):
    with transaction.atomic():
        return [audit.record(actor=users["county"], action=f"x.{n}", obj=regions["county"]) for n in range(2)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda: AuditEvent.objects.filter(action="x.0").update(note="rewritten"),
        lambda: AuditEvent.objects.update(note="rewritten"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: AuditEvent.objects.filter(action="x.1").delete(),
        lambda: AuditEvent.objects.bulk_update([_with_note(e) for e in AuditEvent.objects.all()], ["note"]),
        lambda: AuditEvent.objects.get(action="x.0").actor.auditevent_set.update(note="rewritten"),
    ],
)
def test_bulk_changes_of_audit_events_are_refused(two_events, change):
    with pytest.raises(ValidationError, match="只能追加|不能删除"), transaction.atomic():
        change()
    assert sorted(AuditEvent.objects.values_list("action", "note")) == [("x.0", ""), ("x.1", "")]


def _with_note(event):
    event.note = "rewritten"
    return event


@pytest.mark.django_db
@pytest.mark.parametrize("sql", ["UPDATE core_auditevent SET note = 'rewritten'", "DELETE FROM core_auditevent",
                                 "DELETE FROM core_auditevent WHERE action = 'x.0'"])
def test_the_database_refuses_changing_or_deleting_audit_rows(two_events, sql):
    from django.db import IntegrityError, connection

    # Raw SQL (a shell, another program) gets past the model: the triggers of migration core.0002 refuse it.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert not AuditEvent.objects.exclude(note="").exists()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database(users, regions):
    from django.core.management import call_command
    from django.db import IntegrityError, connection

    with transaction.atomic():
        audit.record(actor=users["county"], action="x", obj=regions["county"])
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    # `flush` (what the test suite runs after each transactional test) empties every table, the audit
    # table included: TRUNCATE on PostgreSQL; on SQLite a DELETE that the trigger lets through only for flush.
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
