"""The formula-safe export writer (reemployment.core.exports): the rule itself."""

import csv
import io
from decimal import Decimal

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
