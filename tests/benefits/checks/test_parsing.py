"""Reading and validating department files: encodings, XLSX, row-by-row errors (no database)."""

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import Workbook

from benefits.checks import parsing
from benefits.checks.sources import SOURCES
from reemployment.idcard import InvalidIdNumber, make_id_number, parse_id_number

GOOD_ID = make_id_number("341125", dt.date(1950, 6, 1), 11)
HEADER = ["身份证号码", "姓名", "死亡日期"]


def _csv(rows, encoding, header=HEADER, bom=False):
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    raw = text.encode(encoding)
    return (b"\xef\xbb\xbf" + raw) if bom else raw


@pytest.mark.parametrize(("encoding", "bom", "name", "expected"), [
    ("utf-8", False, "张三", "utf-8"),
    ("utf-8", True, "张三", "utf-8-sig"),
    ("gbk", False, "张三", "gbk"),
    # 𠮷 (U+20BB7) is not in GBK: only GB18030's four-byte form can carry it.
    ("gb18030", False, "王𠮷", "gb18030"),
])
def test_each_encoding_is_read_with_chinese_text_intact(encoding, bom, name, expected):
    frame, detected = parsing.read_table(_csv([[GOOD_ID, name, "2026-03-05"]], encoding, bom=bom))
    assert detected == expected
    assert list(frame.columns) == HEADER  # the BOM is not part of the first header
    assert frame.iloc[0].tolist() == [GOOD_ID, name, "2026-03-05"]


def test_xlsx_is_read_and_dates_cells_parse():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([GOOD_ID, "李四", dt.datetime(2026, 4, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    frame, detected = parsing.read_table(buffer.getvalue(), "f.xlsx")
    assert detected == "xlsx"
    result = parsing.validate(frame, SOURCES["death"])
    assert result.error_count == 0
    assert result.frame["died_on"].iloc[0] == pd.Timestamp(2026, 4, 1)


@pytest.mark.parametrize(("raw", "code"), [
    (b"", "empty"),
    (b"\xd0\xcf\x11\xe0legacy-xls", "bad_format"),
    (b"PK\x03\x04not-really-a-zip", "malformed"),
    # Latin-1 bytes that are valid in no CJK encoding we accept: 0xFF is never a lead byte.
    (b"\xff\xfe\xff\xfe,\xff\n", "bad_encoding"),
    (b'"a,"b\n"1,2\n', "malformed"),
])
def test_unreadable_files_are_rejected_cleanly(raw, code):
    with pytest.raises(parsing.FileRejected) as caught:
        parsing.read_table(raw)
    assert caught.value.code == code


def test_three_bad_rows_are_each_reported_with_their_row_number():
    bad_check = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
    rows = [
        [GOOD_ID, "甲", "2026-01-02"],                      # row 2 ok
        [bad_check, "乙", "2026-01-02"],                    # row 3: check character
        [make_id_number("341125", dt.date(1960, 1, 1), 3), "丙", "2026-13-40"],  # row 4: date
        [make_id_number("341125", dt.date(1961, 1, 1), 5), "丁", "2026-02-03"],  # row 5 ok
        ["12345", "戊", "2026-02-03"],                      # row 6: length
    ]
    frame, _ = parsing.read_table(_csv(rows, "utf-8"))
    result = parsing.validate(frame, SOURCES["death"])
    assert result.error_count == 3
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "身份证号码"), (4, "死亡日期"), (6, "身份证号码")]
    # ID numbers in the report are masked.
    assert result.errors[0]["value"] == bad_check[:3] + "*" * 11 + bad_check[-4:]


def test_blank_lines_keep_csv_row_numbers_those_of_the_file():
    # line 1 header, 2 ok, 3 blank, 4 spaces only, 5 bad date, 6 blank (end of the export)
    text = "\n".join([",".join(HEADER), f"{GOOD_ID},甲,2026-01-02", "", "  ", f"{GOOD_ID},乙,2026-13-40", ""]) + "\n"
    frame, _ = parsing.read_table(text.encode("gbk"))
    result = parsing.validate(frame, SOURCES["death"])
    assert len(result.frame) == 2  # blank lines are not rows
    assert [(e["row"], e["column"]) for e in result.errors] == [(5, "死亡日期")]
    assert result.frame["row"].tolist() == [2, 5]


def test_blank_lines_before_the_header_are_counted_too():
    text = f"\r\n\r\n身份证号码,工资\r\n\r\n{GOOD_ID},x\r\n"  # header on line 3
    frame, _ = parsing.read_table(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = parsing.validate(frame, SOURCES["death"])
    assert {e["row"] for e in result.errors} == {3}  # the header is on line 3
    frame, _ = parsing.read_table(("\n\n" + ",".join(HEADER) + "\n\n" + "123,x,2026-01-01\n").encode())
    assert [e["row"] for e in parsing.validate(frame, SOURCES["death"]).errors] == [5]


def test_blank_rows_keep_xlsx_row_numbers_those_of_the_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)                                   # row 1
    sheet.append([GOOD_ID, "甲", dt.datetime(2026, 4, 1)])  # row 2
    sheet.append([])                                       # row 3: blank
    sheet.append([GOOD_ID, "乙", "2026-13-40"])              # row 4: bad date
    buffer = io.BytesIO()
    workbook.save(buffer)
    frame, _ = parsing.read_table(buffer.getvalue(), "f.xlsx")
    result = parsing.validate(frame, SOURCES["death"])
    assert [(e["row"], e["column"]) for e in result.errors] == [(4, "死亡日期")]


def test_unknown_and_missing_columns_are_header_errors():
    frame, _ = parsing.read_table(_csv([[GOOD_ID, "x"]], "utf-8", header=["身份证号码", "工资"]))
    result = parsing.validate(frame, SOURCES["death"])
    messages = [e["message"] for e in result.errors]
    assert result.error_count == 2
    assert all(e["row"] == 1 for e in result.errors)
    assert any("未知的列“工资”" in m for m in messages)
    assert any("缺少必填列“死亡日期”" in m for m in messages)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-05", dt.date(2026, 3, 5)), ("2026/3/5", dt.date(2026, 3, 5)), ("20260305", dt.date(2026, 3, 5)),
    ("2026年3月5日", dt.date(2026, 3, 5)), ("2026.03.05", dt.date(2026, 3, 5)),
    ("2026-02-30", None), ("05/03/2026", None), ("昨天", None),
])
def test_dates(text, expected):
    parsed = parsing.parse_dates(pd.Series([text], dtype=object))
    assert (None if pd.isna(parsed.iloc[0]) else parsed.iloc[0].date()) == expected


@pytest.mark.parametrize(("text", "cents"), [
    ("1234.5", 123450),  # 1234 yuan 5 jiao = 123450 fen
    ("1,234.56", 123456), ("800元", 80000), ("0", 0), ("0.05", 5),
    ("-5", None), ("12.345", None), ("abc", None), ("1e3", None),
])
def test_amounts_are_exact_fen(text, cents):
    parsed = parsing.parse_amount_cents(pd.Series([text], dtype=object)).iloc[0]
    assert (None if pd.isna(parsed) else int(parsed)) == cents


@pytest.mark.parametrize("number", [
    make_id_number("341125", dt.date(1990, 2, 28), 1), make_id_number("110101", dt.date(1905, 12, 31), 998),
    "11010119900307003X", "110101199003070030", "34112519900230001X", "3411251990010100", "1101011899010100X1",
    "11010119900307003x",
])
def test_vectorised_id_check_agrees_with_the_reference_parser(number):
    try:
        parse_id_number(number)
        expected = True
    except InvalidIdNumber:
        expected = False
    assert bool(parsing.valid_id_numbers(pd.Series([number.upper()], dtype=object))[0]) is expected
