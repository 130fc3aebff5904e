"""Payroll admin: every view and endpoint scoped (in-jurisdiction 200, outside 404), the run button,
progress JSON, bank files (content, totals, who may download, audit)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from benefits.integrity.services import death_report_record
from benefits.payroll.models import Overpayment, OverpaymentStatus, PaymentLine, PayrollRun, RunStatus
from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review
from reemployment.core.models import AuditEvent
from tests.benefits.payroll.conftest import MAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(regions, county_households):
    return payroll_run_compute(actor="system:test", county=regions["county"], month=MAY).run


@pytest.fixture
def locked_run(run):
    """The run reviewed and locked: bank files come from locked runs only (maker–checker)."""
    return payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))


@pytest.fixture
def other_run(regions, county_households):
    return payroll_run_compute(actor="system:test", county=regions["other_county"], month=MAY).run


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_run_list_shows_only_the_users_county(client, users, run, other_run):
    response = get(client, users["county"], reverse("payroll_runs:index"))
    assert response.status_code == 200
    runs = list(response.context["object_list"])
    assert runs == [run]
    response = get(client, users["other_county"], reverse("payroll_runs:index"))
    assert list(response.context["object_list"]) == [other_run]


@pytest.mark.parametrize("view", ["payroll_runs:inspect", "payroll_runs:progress"])
def test_run_pages_are_scoped(client, users, run, view):
    url = reverse(view, args=(run.pk,))
    assert get(client, users["county"], url).status_code == 200
    assert get(client, users["other_county"], url).status_code == 404


def test_run_button_computes_and_progress_reports_done(client, users, regions, county_households,
                                                      django_capture_on_commit_callbacks, eager_celery):
    client.force_login(users["county"])
    url = reverse("payroll_runs:create", args=("compute",))
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"county": regions["county"].pk, "month": "2026-05"})
    assert len(callbacks) == 1  # the task is enqueued once the request's transaction commits
    assert response.status_code == 302
    run = PayrollRun.objects.get(county=regions["county"], month=MAY)
    assert response.url == reverse("payroll_runs:inspect", args=(run.pk,))
    # tasks run in-process without a broker: the run is computed by now
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED and run.lines == 3
    data = client.get(reverse("payroll_runs:progress", args=(run.pk,))).json()
    assert data["complete"] is True and data["success"] is True and data["percent"] == 100
    assert data["lines"] == 3 and data["total_amount"] == "870.50"
    # pressing it again pays nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"county": regions["county"].pk, "month": "2026-05"})
    assert PaymentLine.objects.filter(run=run).count() == 3


def test_progress_shows_a_queued_run_until_the_worker_is_done(client, users, regions, county_households):
    client.force_login(users["county"])
    # no on-commit execution: as with a real broker before a worker picks the task up
    client.post(reverse("payroll_runs:create", args=("compute",)), {"county": regions["county"].pk, "month": "2026-05"})
    run = PayrollRun.objects.get()
    data = client.get(reverse("payroll_runs:progress", args=(run.pk,))).json()
    assert (data["state"], data["complete"], data["percent"], data["status"]) == ("PROGRESS", False, 0, "draft")
    page = client.get(reverse("payroll_runs:inspect", args=(run.pk,)))
    assert b"data-payroll-progress" in page.content and b"fetch(" in page.content  # the bar polls
    payroll_run_compute(actor="system:test", county=regions["county"], month=MAY)  # the worker's part
    data = client.get(reverse("payroll_runs:progress", args=(run.pk,))).json()
    assert (data["state"], data["complete"], data["percent"], data["lines"]) == ("SUCCESS", True, 100, 3)


def test_run_button_offers_only_the_users_county(client, users, regions):
    client.force_login(users["county"])
    url = reverse("payroll_runs:create", args=("compute",))
    response = client.post(url, {"county": regions["other_county"].pk, "month": "2026-05"})
    assert response.status_code == 200 and "county" in response.context["form"].errors
    assert not PayrollRun.objects.exists()


def test_township_staff_cannot_run_payroll(client, users):
    response = get(client, users["township_a"], reverse("payroll_runs:create", args=("compute",)))
    assert response.status_code in (302, 403)
    assert not PayrollRun.objects.exists()


def test_review_and_lock_through_the_admin(client, users, run, county2):
    client.force_login(users["county"])
    assert client.post(reverse("payroll_runs:action", args=(run.pk, "review"))).status_code == 302
    # The system computed the run and county reviewed it: a second person locks it.
    client.force_login(county2)
    assert client.post(reverse("payroll_runs:action", args=(run.pk, "lock"))).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.LOCKED and (run.reviewed_by, run.locked_by) == (users["county"], county2)
    # locked: recompute is not offered and is refused
    response = client.post(reverse("payroll_runs:action", args=(run.pk, "recompute")))
    assert response.status_code == 403
    client.force_login(users["other_county"])
    assert client.post(reverse("payroll_runs:action", args=(run.pk, "review"))).status_code == 404


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel reads Chinese
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_bank_file_csv_content_and_totals(client, users, run, locked_run, county_households):
    response = get(client, users["county"], reverse("payroll_runs:bank_file", args=(run.pk, "csv")))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _csv_rows(response)
    assert rows[0] == ["户编号", "户主姓名", "身份证号码", "银行账号", "开户银行", "金额(元)"]
    body = rows[1:-1]
    households = {county_households[k].household for k in ("a1", "b1", "a2")}
    assert {r[0] for r in body} == {h.number for h in households}
    heads = {h.number: h.members.order_by("id").first() for h in households}
    for number, name, id_number, account, _bank, amount in body:
        assert (name, id_number) == (heads[number].name, heads[number].id_number)
        assert account == "6228480000000000000"
    # 300.00 + 120.00 + 450.50 = 870.50
    assert sorted(Decimal(r[5]) for r in body) == [Decimal("120.00"), Decimal("300.00"), Decimal("450.50")]
    assert rows[-1] == ["合计", "3 户", "", "", "", "870.50"]


def test_bank_file_xlsx_content_and_totals(client, users, run, locked_run):
    response = get(client, users["county"], reverse("payroll_runs:bank_file", args=(run.pk, "xlsx")))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("户编号", "户主姓名", "身份证号码", "银行账号", "开户银行", "金额(元)")
    assert len(rows[2:-1]) == 3
    assert sum(Decimal(str(r[5])) for r in rows[2:-1]) == Decimal("870.50")
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][5])) == Decimal("870.50")


def test_every_bank_file_download_is_audited(client, users, run, locked_run):
    client.force_login(users["county"])
    for fmt in ("csv", "xlsx", "csv"):
        response = client.get(reverse("payroll_runs:bank_file", args=(run.pk, fmt)))
        if fmt == "csv":
            b"".join(response.streaming_content)
    events = AuditEvent.objects.filter(action="payroll.bank_file_download", object_id=str(run.pk))
    assert events.count() == 3 and {e.actor for e in events} == {users["county"]}


@pytest.mark.parametrize("user_key, status", [
    ("other_county", 404),  # outside the jurisdiction
    ("township_a", 404),  # a township does not see the county's run
    ("community_a1", 404),
    ("labour", 403),  # labour bureau in the county: no personal data for them
    ("admin", 403),  # system administrator: reads records, not bank files
])
def test_only_county_staff_download_bank_files(client, users, run, locked_run, user_key, status):
    response = get(client, users[user_key], reverse("payroll_runs:bank_file", args=(run.pk, "csv")))
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action="payroll.bank_file_download").exists()


def test_payment_lines_are_scoped_and_read_only(client, users, run, other_run):
    line = PaymentLine.objects.filter(run=run).first()
    other = PaymentLine.objects.filter(run=other_run).first()
    response = get(client, users["county"], reverse("payroll_lines:index"))
    assert response.status_code == 200
    assert set(response.context["object_list"]) == set(PaymentLine.objects.filter(run=run))
    assert get(client, users["county"], reverse("payroll_lines:inspect", args=(line.pk,))).status_code == 200
    assert get(client, users["county"], reverse("payroll_lines:inspect", args=(other.pk,))).status_code == 404
    assert get(client, users["other_county"], reverse("payroll_lines:inspect", args=(line.pk,))).status_code == 404


def test_overpayments_are_scoped_and_decided_by_county_staff(client, users, regions, run, county_households):
    payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))
    household = county_households["b1"].household
    death_report_record(actor=users["county"], member=household.members.get(), died_on=MAY.replace(month=4))
    overpayment = Overpayment.objects.get(household=household)
    url = reverse("payroll_overpayments:inspect", args=(overpayment.pk,))
    assert get(client, users["township_b"], url).status_code == 200
    assert get(client, users["township_a"], url).status_code == 404
    assert get(client, users["other_county"], url).status_code == 404
    index = get(client, users["township_a"], reverse("payroll_overpayments:index"))
    assert list(index.context["object_list"]) == []
    decide = reverse("payroll_overpayments:action", args=(overpayment.pk, "decide"))
    assert get(client, users["township_b"], decide).status_code == 403
    assert get(client, users["other_county"], decide).status_code == 404
    client.force_login(users["county"])
    response = client.post(decide, {"status": "recovered", "recovered_amount": "120.00", "decision": "家属已退回"})
    assert response.status_code == 302
    overpayment.refresh_from_db()
    assert overpayment.status == OverpaymentStatus.RECOVERED and overpayment.recovered_amount == Decimal("120.00")
    assert AuditEvent.objects.filter(action="overpayment.decide", object_id=str(overpayment.pk)).exists()


@pytest.mark.parametrize("url", ["/admin/payroll_runs/new/", "/admin/payroll_lines/new/",
                                 "/admin/payroll_overpayments/new/", "/admin/integrity_cadres/new/",
                                 "/admin/integrity_tip_offs/new/", "/admin/integrity_fraud_cases/new/",
                                 "/admin/integrity_deaths/new/"])
def test_generic_add_views_are_off_changes_go_through_the_action_forms(client, users, url):
    client.force_login(users["county"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"county": "1"}).status_code == 404


@pytest.mark.parametrize("view", ["edit", "delete", "copy"])
def test_generic_edit_and_delete_views_are_off(client, users, run, view):
    line = PaymentLine.objects.filter(run=run).first()
    client.force_login(users["county"])
    for name, pk in (("payroll_runs", run.pk), ("payroll_lines", line.pk)):
        assert client.get(f"/admin/{name}/{view}/{pk}/").status_code == 404
        assert client.post(f"/admin/{name}/{view}/{pk}/", {}).status_code == 404
    page = client.get(reverse("payroll_runs:inspect", args=(run.pk,)))
    assert page.status_code == 200 and f"/admin/payroll_runs/edit/{run.pk}/".encode() not in page.content
    index = client.get(reverse("payroll_runs:index"))
    assert b"/admin/payroll_runs/new/" not in index.content and b"/admin/payroll_runs/create/compute/" in index.content
