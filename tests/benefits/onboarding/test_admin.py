"""The admin: upload → preview (task) → confirm → import (task), downloads, export; county staff only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benefits.models import Household
from benefits.onboarding import services
from benefits.onboarding.models import CaseloadImport, ImportStatus
from tests.benefits.onboarding.conftest import base_rows, table_bytes


def upload(client, county, rows, django_capture_on_commit_callbacks, name="caseload.csv"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("onboarding_upload"), {
            "county": county.pk, "file": SimpleUploadedFile(name, table_bytes(rows), content_type="text/csv")})


def test_upload_preview_confirm_import(client, county, county_user, django_capture_on_commit_callbacks, eager_celery):
    client.force_login(county_user)
    page = client.get(reverse("onboarding_upload"))
    assert page.status_code == 200 and "户主身份证号" in page.text and "下载模板（CSV）" in page.text
    response = upload(client, county, base_rows(), django_capture_on_commit_callbacks)
    record = CaseloadImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("onboarding_import_status", args=[record.pk])
    assert record.status == ImportStatus.READY, record.message
    assert not Household.objects.exists()  # the preview writes nothing
    status = client.get(response["Location"])
    assert "确认导入" in status.text and "校验通过：2 户 4 人（新建 2、更新 0、未变 0），金额不一致 0 户。确认后导入。" in status.text
    progress = client.get(reverse("onboarding_import_progress", args=[record.pk])).json()
    assert progress == {"status": "ready", "status_label": "校验通过，待确认导入", "progress": 100,
                        "message": record.message, "final": True}
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.confirmed_by == county_user
    assert Household.objects.count() == 2
    listing = client.get(reverse("onboarding_imports:index"))
    assert reverse("onboarding_import_status", args=[record.pk]) in listing.text


def test_a_refused_upload_shows_and_downloads_its_errors(client, county, county_user, django_capture_on_commit_callbacks,
                                                         eager_celery):
    client.force_login(county_user)
    rows = base_rows()
    rows[3]["保障类别"] = "Q"
    upload(client, county, rows, django_capture_on_commit_callbacks)
    record = CaseloadImport.objects.get()
    assert record.status == ImportStatus.REJECTED
    status = client.get(reverse("onboarding_import_status", args=[record.pk]))
    assert "错误报告（1 处错误，整个文件未导入）" in status.text and "确认导入" not in status.text
    download = client.get(reverse("onboarding_import_errors", args=[record.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="import-{record.pk}-errors.csv"'
    assert download.content.decode("utf-8-sig").splitlines() == ["行号,列,问题", "5,保障类别,应为 A、B 或 C"]
    # A refused import cannot be confirmed.
    client.post(reverse("onboarding_import_status", args=[record.pk]))
    assert not Household.objects.exists()


def test_the_discrepancy_list_downloads(client, county, county_user):
    rows = base_rows()
    rows[3]["月保障金额"] = "150.00"
    record = services.import_caseload(actor=county_user, county=county, name="c.csv", content=table_bytes(rows))
    client.force_login(county_user)
    lines = client.get(reverse("onboarding_import_discrepancies", args=[record.pk])).content.decode(
        "utf-8-sig").splitlines()
    assert lines[0].startswith("户主所在行,户编号,社区/村,户主,人数,在保类别,原系统月保障金,核算类别,按本系统规则核算,差额,复核")
    assert lines[1].startswith(f"5,{Household.objects.get(members__name='王桂兰').number},炉桥村,王桂兰,1,A,150.00,A,120.00,30.00,")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_and_export_downloads(client, county, county_user, fmt):
    services.import_caseload(actor=county_user, county=county, name="c.csv", content=table_bytes(base_rows()))
    client.force_login(county_user)
    template = client.get(reverse("onboarding_template"), {"format": fmt})
    assert template.status_code == 200 and template["Content-Disposition"].endswith(f'caseload-template.{fmt}"')
    exported = client.get(reverse("onboarding_export"), {"county": county.pk, "format": fmt})
    assert exported["Content-Disposition"] == f'attachment; filename="caseload-341125.{fmt}"'
    outcome = services.caseload_check(actor=county_user, county=county, content=exported.content, name=f"e.{fmt}")
    assert (outcome.households, outcome.persons, outcome.unchanged) == (2, 4, 2)


@pytest.mark.parametrize("user_key", ["township_a", "community_a1", "labour"])
def test_other_roles_cannot_upload_or_export(client, county, users, user_key):
    client.force_login(users[user_key])
    # Wagtail answers a refused admin page with a redirect to the dashboard (and a message).
    refused = {302, 403}
    assert client.get(reverse("onboarding_upload")).status_code in refused
    assert client.get(reverse("onboarding_export"), {"county": county.pk, "format": "csv"}).status_code in refused
    assert client.get(reverse("onboarding_template")).status_code in refused


def test_another_countys_staff_find_nothing(client, county, county_user, users):
    record = services.import_caseload(actor=county_user, county=county, name="c.csv", content=table_bytes(base_rows()))
    client.force_login(users["other_county"])
    for name in ("onboarding_import_status", "onboarding_import_progress", "onboarding_import_errors",
                 "onboarding_import_discrepancies"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 404, name
    assert client.get(reverse("onboarding_export"), {"county": county.pk, "format": "csv"}).status_code == 404
    form = client.get(reverse("onboarding_upload"))
    assert f'value="{county.pk}"' not in form.text
