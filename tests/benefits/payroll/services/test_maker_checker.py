"""Maker–checker (制单与审核分离) of the payroll, issue 15 finding 7: one county user computes, a second
one reviews and locks; bank files only from a locked run; both steps audited — in the services, the
admin buttons and the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from benefits.payroll.models import PayrollRun, RunStatus
from benefits.payroll.services import (
    bank_file_download,
    payroll_run_compute,
    payroll_run_lock,
    payroll_run_reopen,
    payroll_run_review,
)
from reemployment.core.errors import Conflict, PermissionDenied
from reemployment.core.models import AuditEvent
from tests.benefits.payroll.conftest import MAY

pytestmark = pytest.mark.django_db


def _compute(regions, actor):
    return payroll_run_compute(actor=actor, county=regions["county"], month=MAY).run


def test_the_maker_may_neither_review_nor_lock_a_second_county_user_does_both(regions, users, county2,
                                                                              county_households):
    county = users["county"]
    run = _compute(regions, county)
    assert run.computed_by == county
    with pytest.raises(PermissionDenied) as refused:
        payroll_run_review(actor=county, run=run)
    assert refused.value.code == "maker_checker"
    run = payroll_run_review(actor=county2, run=run)
    with pytest.raises(PermissionDenied):
        payroll_run_lock(actor=county, run=run)
    run = payroll_run_lock(actor=county2, run=run)
    assert (run.status, run.computed_by, run.reviewed_by, run.locked_by) == (RunStatus.LOCKED, county, county2, county2)
    # Both steps audited, with who computed what was approved.
    steps = {e.action: e for e in AuditEvent.objects.filter(object_type="payroll.payrollrun", object_id=str(run.pk))}
    assert steps["payroll.compute"].actor == county and steps["payroll.compute"].after["computed_by"] == county.pk
    assert steps["payroll.review"].actor == county2 and steps["payroll.review"].after["computed_by"] == county.pk
    assert steps["payroll.lock"].actor == county2 and steps["payroll.lock"].after["reviewed_by"] == county2.pk


def test_a_run_the_system_computed_still_needs_two_people(regions, users, county2, county_households):
    run = _compute(regions, "system:payroll")  # the beat's draft on the 25th
    assert run.computed_by is None
    run = payroll_run_review(actor=users["county"], run=run)
    with pytest.raises(PermissionDenied):
        payroll_run_lock(actor=users["county"], run=run)
    assert payroll_run_lock(actor=county2, run=run).locked_by == county2


def test_recomputing_makes_the_recomputer_the_maker_and_voids_the_review(regions, users, county2,
                                                                         county_households):
    county = users["county"]
    run = payroll_run_review(actor=county2, run=_compute(regions, county))
    run = payroll_run_reopen(actor=county2, run=run)
    assert run.reviewed_by is None and run.reviewed_at is None
    run = _compute(regions, county2)
    assert run.computed_by == county2
    with pytest.raises(PermissionDenied):
        payroll_run_review(actor=county2, run=run)
    assert payroll_run_review(actor=county, run=run).reviewed_by == county


def test_bank_files_only_from_a_locked_run(regions, users, county2, county_households):
    county = users["county"]
    run = _compute(regions, county)
    for step in (None, "review"):
        if step:
            run = payroll_run_review(actor=county2, run=run)
        with pytest.raises(Conflict) as refused:
            bank_file_download(actor=county2, run=run, fmt="csv")
        assert refused.value.code == "not_locked"
    run = payroll_run_lock(actor=county2, run=run)
    assert bank_file_download(actor=county, run=run, fmt="csv") == run
    assert AuditEvent.objects.filter(action="payroll.bank_file_download").count() == 1


def test_admin_buttons_follow_maker_checker_and_bank_files_wait_for_the_lock(client, regions, users, county2,
                                                                             county_households):
    county = users["county"]
    run = _compute(regions, county)
    inspect = reverse("payroll_runs:inspect", args=(run.pk,))
    review = reverse("payroll_runs:action", args=(run.pk, "review"))
    bank = reverse("payroll_runs:bank_file", args=(run.pk, "csv"))
    client.force_login(county)
    page = client.get(inspect).content.decode()
    assert review not in page and "须由另一名县民政局工作人员审核和锁定" in page and bank not in page
    client.post(review)  # a crafted POST: refused, nothing changes
    assert PayrollRun.objects.get(pk=run.pk).status == RunStatus.COMPUTED
    response = client.get(bank)
    assert response.status_code == 409 and "锁定" in response.content.decode()
    client.force_login(county2)
    assert review in client.get(inspect).content.decode()
    assert client.post(review).status_code == 302
    assert client.post(reverse("payroll_runs:action", args=(run.pk, "lock"))).status_code == 302
    assert PayrollRun.objects.get(pk=run.pk).locked_by == county2
    assert bank in client.get(inspect).content.decode()
    client.force_login(county)
    response = client.get(bank)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_api_steps_follow_maker_checker(regions, users, county2, county_households,
                                        django_capture_on_commit_callbacks, eager_celery):
    county = users["county"]
    maker, checker = APIClient(), APIClient()
    maker.force_authenticate(county)
    checker.force_authenticate(county2)
    with django_capture_on_commit_callbacks(execute=True):
        response = maker.post("/api/v1/payroll/runs/compute/", {"county": regions["county"].code, "month": "2026-05"})
    assert response.status_code == 202, response.content
    run = PayrollRun.objects.get(county=regions["county"], month=MAY)
    assert (run.status, run.computed_by) == (RunStatus.COMPUTED, county)
    url = f"/api/v1/payroll/runs/{run.pk}/"
    refused = maker.post(url + "review/")
    assert refused.status_code == 403 and refused.json()["code"] == "maker_checker"
    assert checker.post(url + "review/").json()["reviewed_by"] == county2.username
    assert maker.post(url + "lock/").status_code == 403
    body = checker.post(url + "lock/").json()
    assert (body["status"], body["computed_by"], body["locked_by"]) == ("locked", county.username, county2.username)


@pytest.mark.parametrize(("user_key", "status"), [
    ("county", 200), ("admin", 200), ("labour", 403), ("township_a", 403), ("community_a1", 403), ("editor", 403),
])
def test_api_runs_are_for_county_staff(regions, users, county_households, user_key, status):
    run = _compute(regions, "system:payroll")
    client = APIClient()
    client.force_authenticate(users[user_key])
    response = client.get("/api/v1/payroll/runs/")
    assert response.status_code == status
    if status == 200:
        assert [r["id"] for r in response.json()["results"]] == [run.pk]
    # Changing steps need the change permission: the system administrator reads, never approves.
    if user_key != "county":
        assert client.post(f"/api/v1/payroll/runs/{run.pk}/review/").status_code in (403, 404)
    other = APIClient()
    other.force_authenticate(users["other_county"])
    assert other.get(f"/api/v1/payroll/runs/{run.pk}/").status_code == 404
