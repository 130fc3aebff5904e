"""Caseload files for the onboarding tests: rows by column header, written as CSV (UTF-8 or GBK) or XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from benefits.onboarding import columns as cols
from reemployment.idcard import make_id_number

HEADER = [c.header for c in cols.COLUMNS if c.required]


def person(birth: dt.date, sequence: int) -> str:
    """A valid ID number of 定远县 (odd sequence: a man)."""
    return make_id_number("341125", birth, sequence)


def table_bytes(rows: list[dict], *, encoding: str = "utf-8", header: list[str] | None = None) -> bytes:
    """Rows (dicts by header) as a CSV in ``encoding``, or an XLSX file when ``encoding == "xlsx"``."""
    header = header or list(dict.fromkeys([*HEADER, *(k for row in rows for k in row)]))
    if encoding == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(name, "") for name in header])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    lines = [",".join(header)] + [",".join(str(row.get(name, "")) for name in header) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def household(head: str, name: str, *, region="341125100001", category="C", amount="220.00", start="2024-03",
              income="0", members=(), **head_values) -> list[dict]:
    """A household's rows: the head's row (with ``head_values``) and one row per member dict."""
    rows = [{"户主身份证号": head, "身份证号": head, "姓名": name, "与户主关系": "户主", "社区村代码": region,
             "保障类别": category, "月保障金额": amount, "享受起始月": start, "月收入": income, **head_values}]
    for member in members:
        rows.append({"户主身份证号": head, "社区村代码": region, "月收入": "0", **member})
    return rows


@pytest.fixture
def county(policy):
    return policy["county"]


@pytest.fixture
def county_user(users):
    return users["county"]


HEAD = person(dt.date(1980, 1, 1), 1)
SPOUSE = person(dt.date(1982, 5, 20), 2)
CHILD = person(dt.date(2008, 9, 1), 3)
ELDER = person(dt.date(1950, 3, 15), 4)


def base_rows() -> list[dict]:
    """Two households, rows 2–4 and 5 of the file: an urban household of three in 城南社区 (urban C, wages
    300: (260 − 100) × 3 = 480.00 under the 2026 standard of 260) and a rural one-person 三无 household in
    炉桥村 (rural A: rural_amounts A 120.00 × 1 = 120.00)."""
    return [
        *household(HEAD, "张建国", category="C", amount="480.00", start="2019-03", income="300", 户编号="CN0001",
                   members=[{"身份证号": SPOUSE, "姓名": "李秀英", "与户主关系": "配偶"},
                            {"身份证号": CHILD, "姓名": "张小明", "与户主关系": "子女"}]),
        *household(ELDER, "王桂兰", region="341125101001", category="A", amount="120.00", start="2015-07",
                   三无="是", 劳动能力="无劳动能力"),
    ]
