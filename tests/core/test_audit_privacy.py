"""Audit log gaps of issue 15, finding 8: snapshots masked (one masking function, older rows masked by
migration core.0005), local time on inspect pages, and the IP address, the session and denied attempts
recorded."""

import datetime as dt
import hashlib
import importlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from benefits.models import Household, Member
from benefits.services import household_save, member_save
from reemployment.core import audit
from reemployment.core.masking import mask_id_numbers, mask_snapshot
from reemployment.core.models import AuditEvent
from tests.benefits.factories import make_household

ID = "341125195006010117"
MASKED_ID = "341***********0117"


# ---------------------------------------------------------------------- the masking function


@pytest.mark.parametrize(("snapshot", "person", "expected"), [
    ({"id_number": ID, "name": "张小三"}, False, {"id_number": MASKED_ID, "name": "张*三"}),  # a person's record
    ({"bank_account": "6228480000000001234", "bank_name": "农业银行"}, False,
     {"bank_account": "***************1234", "bank_name": "农业银行"}),
    ({"phone": "13812345678", "contact_phone": "0550-1234567"}, False,
     {"phone": "138****5678", "contact_phone": "********4567"}),
    ({"name": "欧阳小明", "address": "定远县定城镇城南社区5号"}, True, {"name": "欧**明", "address": "定远县定城镇***"}),
    # Not a person's record: a region's, a file's, an employer's names and addresses stay readable.
    ({"name": "定城镇", "original_name": "死亡.csv", "address": "工业园 8 号"}, False,
     {"name": "定城镇", "original_name": "死亡.csv", "address": "工业园 8 号"}),
    ({"display_name": "县民政局 王科长", "cadre_name": "赵村长"}, False, {"display_name": "县******长", "cadre_name": "赵*长"}),
    ({"members": [{"id_number": ID, "name": "李四"}], "note": f"身份证 {ID}"}, False,
     {"members": [{"id_number": MASKED_ID, "name": "李*"}], "note": f"身份证 {MASKED_ID}"}),
    ({"rows": 3, "amount": "300.00", "ok": True, "id_number": ""}, False, {"rows": 3, "amount": "300.00", "ok": True,
                                                                        "id_number": ""}),
])
def test_the_masking_function(snapshot, person, expected):
    assert mask_snapshot(snapshot, person=person) == expected
    assert mask_snapshot(expected, person=person) == expected  # idempotent: masked values stay as they are


def test_household_numbers_in_text_are_not_taken_for_id_numbers():
    # A demo household number is a 12-digit community code and a 6-digit serial: 18 digits, no birth date.
    assert mask_id_numbers("户 341125100001000123") == "户 341125100001000123"
    assert mask_id_numbers(f"登录名 {ID}") == f"登录名 {MASKED_ID}"


@pytest.mark.django_db
def test_service_snapshots_store_masked_personal_data(users, regions):
    household = make_household(regions["comm_a1"], members=1)
    household.bank_account, household.phone = "6228480000000009876", "13912345678"
    household_save(actor=users["community_a1"], instance=household)
    member = household.members.get()
    member.name = "王小二"
    member_save(actor=users["community_a1"], instance=member)
    stored = Member.objects.get(pk=member.pk)
    assert stored.name == "王小二" and len(stored.id_number) == 18  # the record itself keeps the full values
    update = AuditEvent.objects.get(action="household.update")
    assert update.after["bank_account"] == "***************9876" and update.after["phone"] == "139****5678"
    event = AuditEvent.objects.get(action="member.update")
    assert event.after["name"] == "王*二" and event.after["id_number"] == stored.id_number[:3] + "*" * 11 + stored.id_number[-4:]
    assert stored.id_number not in str(event.before) + str(event.after)
    assert Household.objects.get(pk=household.pk).bank_account == "6228480000000009876"


# ---------------------------------------------------------------------- older rows: migration core.0005


class _MigrationEditor:
    """What the migration uses of a schema editor (``connection``, ``execute``), on the test's connection:
    Django's SQLite schema editor cannot be opened inside the test's transaction."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_data_migration_masks_older_events_and_puts_the_guard_back(users, regions):
    from django.db.migrations.executor import MigrationExecutor

    # Events as they were written before masking (a recipient's login name is their ID number).
    old = AuditEvent.objects.create(
        actor_label=ID, action="member.update", object_type="benefits.member", object_id="7",
        object_label=f"成员 {ID}", before={"id_number": ID, "name": "张小三", "birth_date": "1950-06-01"},
        after={"id_number": ID, "name": "张大三"}, note=f"改名 {ID}")
    bank = AuditEvent.objects.create(action="household.update", object_type="benefits.household", object_id="3",
                                     after={"bank_account": "6228480000000001234", "address": "定远县定城镇城南社区5号"})
    region = AuditEvent.objects.create(action="region.update", object_type="core.region", object_id="1",
                                       after={"name": "定城镇"})
    migration = importlib.import_module("reemployment.core.migrations.0005_auditevent_ip_session_masked")
    state_apps = MigrationExecutor(connection).loader.project_state(
        ("core", "0005_auditevent_ip_session_masked")).apps
    if connection.vendor == "postgresql":
        # The fixtures' deferred foreign-key checks must fire before the migration alters the table
        # (PostgreSQL refuses ALTER TABLE with pending trigger events; a real migrate has none).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with transaction.atomic():
        migration.mask_existing_events(state_apps, _MigrationEditor())
    old.refresh_from_db()
    assert (old.actor_label, old.object_label, old.note) == (MASKED_ID, f"成员 {MASKED_ID}", f"改名 {MASKED_ID}")
    assert old.before == {"id_number": MASKED_ID, "name": "张*三", "birth_date": "1950-06-01"}
    assert old.after == {"id_number": MASKED_ID, "name": "张*三"}
    bank.refresh_from_db()
    assert bank.after == {"bank_account": "***************1234", "address": "定远县定城镇***"}
    region.refresh_from_db()
    assert region.after == {"name": "定城镇"}
    marker = AuditEvent.objects.get(action="audit.masked")
    assert marker.after == {"rows": 2}
    # The append-only guard is back.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = 'x'")


# ---------------------------------------------------------------------- local time everywhere


@pytest.mark.django_db
def test_inspect_pages_show_local_time_as_the_lists_do(client, users, regions):
    with transaction.atomic():
        event = audit.record(actor=users["county"], action="x.y", obj=regions["county"], region=regions["county"])
    local = timezone.localtime(event.at)
    assert local.utcoffset() == dt.timedelta(hours=8)  # Asia/Shanghai
    shown, utc = f"{local:%H:%M}", f"{event.at.astimezone(dt.UTC):%H:%M}"
    client.force_login(users["county"])
    listing = client.get(reverse("auditevent:index")).content.decode()
    page = client.get(reverse("auditevent:inspect", args=[event.pk])).content.decode()
    assert shown in listing and shown in page
    assert utc not in page  # neither the title nor the 时间 field shows UTC any more
    assert str(event).startswith(f"{local:%Y-%m-%d %H:%M}")


# ---------------------------------------------------------------------- IP address, session, denied attempts


def _session_ref(client) -> str:
    return "s:" + hashlib.sha256(client.session.session_key.encode()).hexdigest()[:24]


@pytest.mark.django_db
def test_events_record_the_ip_address_and_the_session(client, users, regions):
    from benefits.payroll.models import PayrollRun

    client.force_login(users["county"])
    client.post(reverse("payroll_runs:create", args=("compute",)), {"county": regions["county"].pk,
                                                                  "month": "2026-05"}, REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(action="payroll.request")
    assert PayrollRun.objects.exists()
    assert (event.ip_address, event.session) == ("203.0.113.7", _session_ref(client))
    assert client.session.session_key not in str(event.session)  # a reference, never the key itself
    # Outside a request (a task, a command) there is neither.
    with transaction.atomic():
        plain = audit.record(actor="system:test", action="x", obj=regions["county"])
    assert (plain.ip_address, plain.session) == (None, None)


@pytest.mark.django_db
def test_a_service_refusal_in_the_admin_is_recorded(client, users, regions):
    from benefits.payroll.services import payroll_run_compute

    run = payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-05").run
    client.force_login(users["county"])  # the maker tries to approve their own run
    client.post(reverse("payroll_runs:action", args=(run.pk, "review")), REMOTE_ADDR="198.51.100.2")
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor == users["county"] and denied.ip_address == "198.51.100.2"
    assert denied.session == _session_ref(client)
    assert denied.object_label == f"POST {reverse('payroll_runs:action', args=(run.pk, 'review'))}"
    assert not AuditEvent.objects.filter(action="payroll.review").exists()


@pytest.mark.django_db
def test_a_wagtail_admin_refusal_is_recorded(client, users):
    client.force_login(users["labour"])  # no permission on payroll runs
    response = client.get(reverse("payroll_runs:index"))
    assert response.status_code in (302, 403)
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor == users["labour"] and denied.after["code"] == "admin_permission"


@pytest.mark.django_db
def test_api_refusals_are_recorded_with_their_reason(users, regions):
    from reemployment.core.models import Role
    from tests.factories import UserFactory

    labour = APIClient()
    labour.force_authenticate(users["labour"])
    assert labour.get("/api/v1/payroll/runs/", REMOTE_ADDR="192.0.2.9").status_code == 403
    recipient = UserFactory(username=ID, role=Role.RECIPIENT)  # recipients log in with their ID number
    client = APIClient()
    client.force_authenticate(recipient)
    upload = client.post("/api/v1/vacancies/import/", {"file": _named_file(b"a,b\n1,2\n", "v.csv")}, format="multipart")
    assert upload.status_code == 403
    events = {e.actor: e for e in AuditEvent.objects.filter(action="access.denied")}
    assert events[users["labour"]].after["code"] == "api_permission"
    assert events[users["labour"]].ip_address == "192.0.2.9"
    assert events[recipient].note == "您没有执行该操作的权限。"  # refused by the API permission (RolePermission)
    assert events[recipient].actor_label == MASKED_ID  # the login name is an ID number: masked


@pytest.mark.django_db
def test_anonymous_and_allowed_requests_record_no_refusal(client, users):
    assert APIClient().get("/api/v1/payroll/runs/").status_code in (401, 403)
    client.force_login(users["county"])
    assert client.get(reverse("payroll_runs:index")).status_code == 200
    assert not AuditEvent.objects.filter(action="access.denied").exists()


def _named_file(content: bytes, name: str):
    import io

    handle = io.BytesIO(content)
    handle.name = name
    return handle
