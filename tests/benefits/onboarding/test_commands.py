"""python manage.py import_caseload: text and JSON reports, dry run, exit status."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from benefits.models import Household
from benefits.onboarding.models import CaseloadImport
from reemployment.core.models import AuditEvent
from tests.benefits.onboarding.conftest import SPOUSE, base_rows, table_bytes


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(table_bytes(base_rows(), encoding="gbk"))
    rows = base_rows()
    rows[1]["身份证号"] = SPOUSE[:-1] + ("0" if SPOUSE[-1] != "0" else "1")
    rows[3]["保障类别"] = "Z"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(table_bytes(rows))
    return {"good": good, "bad": bad}


def test_dry_run_json_has_exactly_the_keys_and_writes_nothing(county, files, capsys):
    call_command("import_caseload", "--county", "341125", str(files["good"]), "--dry-run", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report == {"households": 2, "persons": 4, "created": 2, "updated": 0, "unchanged": 0, "discrepancies": 0,
                      "errors": []}
    assert not Household.objects.exists() and not CaseloadImport.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_refused_file_exits_non_zero_with_every_error(county, files, capsys):
    with pytest.raises(CommandError):
        call_command("import_caseload", "--county", "341125", str(files["bad"]), "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == [{"row": 3, "column": "身份证号", "message": "校验位不符"},
                                {"row": 5, "column": "保障类别", "message": "应为 A、B 或 C"}]
    assert isinstance(report["households"], int)
    assert not Household.objects.exists()
    assert CaseloadImport.objects.get().status == "rejected"


def test_the_text_report_in_english_and_the_error_file(county, files, tmp_path, capsys):
    errors_csv = tmp_path / "errors.csv"
    with pytest.raises(CommandError):
        call_command("import_caseload", "--county", "341125", str(files["bad"]), "--dry-run", "--language", "en",
                     "--errors-csv", str(errors_csv))
    out = capsys.readouterr().out
    assert "row 3, 身份证号: checksum does not hold" in out.splitlines()
    assert errors_csv.read_text("utf-8-sig").splitlines()[:2] == ["行号,列,问题", "3,身份证号,checksum does not hold"]


def test_an_import_from_the_command_names_the_user(county, county_user, files, capsys):
    call_command("import_caseload", "--county", "341125", str(files["good"]), "--user", county_user.username)
    out = capsys.readouterr().out
    assert "2 户 4 人：新建 2，更新 0，未变 0；金额不一致 0 户" in out
    record = CaseloadImport.objects.get()
    assert record.status == "done" and record.uploaded_by == county_user and record.encoding == "gbk"
    assert AuditEvent.objects.filter(action="onboarding.create", actor=county_user).count() == 9
