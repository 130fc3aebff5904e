"""Reading and validating department files with pandas: all rows, all errors, nothing written.

:func:`read_table` (the shared reader, ``reemployment.core.tables``) turns the uploaded bytes (CSV
in UTF-8, UTF-8 with BOM, GBK or GB18030; or XLSX) into a DataFrame of strings. :func:`validate` checks every row against the source's
columns, vectorised (1,000,000 rows in a few seconds), and returns normalised columns plus a
row-by-row error report. Row numbers are those a person sees in a spreadsheet: the header is
row 1, the first data row is row 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from benefits.checks.sources import AMOUNT, DATE, ID, INT, REGION, ROSTER_STATUS, Source, normalise_header
from reemployment.core.tables import OLE2_MAGIC, XLSX_MAGIC, TableRejected, detect_encoding, read_table
from reemployment.idcard import WEIGHTS, mask_id_number

MAX_REPORTED_ERRORS = 1000

# Department files are read by the shared table reader; these names stay this module's API.
FileRejected = TableRejected
__all__ = ["MAX_REPORTED_ERRORS", "OLE2_MAGIC", "XLSX_MAGIC", "FileRejected", "Validated", "detect_encoding",
           "read_table", "valid_id_numbers", "validate"]


@dataclass
class Validated:
    """The outcome of :func:`validate`: normalised columns and the error report."""

    frame: pd.DataFrame
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    encoding: str = ""


def valid_id_numbers(series: pd.Series) -> np.ndarray:
    """Vectorised GB 11643 check: 18 characters, a real birth date, the right check character.

    Works on the bytes as a (n, 18) numpy matrix: no per-row Python.
    """
    values = series.astype(str)
    length_ok = (values.str.len() == 18).to_numpy(dtype=bool)
    result = np.zeros(len(values), dtype=bool)
    if not length_ok.any():
        return result
    good = values[length_ok]  # callers pass upper-case text (validate() does)
    # Non-ASCII characters become "?" (one byte each), so every string is exactly 18 bytes.
    codes = np.frombuffer("".join(good.tolist()).encode("ascii", errors="replace"), dtype=np.uint8).reshape(-1, 18)
    digits = codes.astype(np.int64) - 48
    shape_ok = ((digits[:, :17] >= 0) & (digits[:, :17] <= 9)).all(axis=1)
    shape_ok &= ((digits[:, 17] >= 0) & (digits[:, 17] <= 9)) | (codes[:, 17] == ord("X"))
    weights = np.array(WEIGHTS, dtype=np.int64)
    remainder = (np.where(shape_ok[:, None], digits[:, :17], 0) @ weights) % 11
    expected = np.frombuffer(b"10X98765432", dtype=np.uint8)[remainder]
    check_ok = codes[:, 17] == expected
    year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    month_days = month_days + ((month == 2) & leap)
    birth_ok = (year >= 1900) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    result[np.flatnonzero(length_ok)] = shape_ok & check_ok & birth_ok
    return result


def _by_unique(series: pd.Series, parse) -> pd.Series:
    """Apply ``parse`` to each distinct value once (files repeat dates and amounts a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    parsed = pd.Series(parse(pd.Series(uniques, dtype=object))).reset_index(drop=True)
    out = parsed.take(codes)  # keeps the dtype (datetime64, Int64)
    out.index = series.index
    return out


def _parse_dates_unique(series: pd.Series) -> pd.Series:
    text = series.str.replace(r"\s00:00:00$", "", regex=True)
    text = text.str.replace(r"[年/.]", "-", regex=True).str.replace("月", "-").str.replace("日", "")
    text = text.str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    parts = text.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
    iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    return pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")


def parse_dates(series: pd.Series) -> pd.Series:
    """2024-03-05, 2024/3/5, 2024.03.05, 20240305, 2024年3月5日, or an XLSX date → datetime64 (NaT if not)."""
    return _by_unique(series, _parse_dates_unique)


_AMOUNT = re.compile(r"(\d{1,10})(?:\.(\d{1,2}))?")


def _amount_cents(text: str) -> int | None:
    match = _AMOUNT.fullmatch(str(text).replace(",", "").replace("，", "").removesuffix("元").strip())
    if match is None:
        return None
    return int(match[1]) * 100 + int((match[2] or "").ljust(2, "0"))


def parse_amount_cents(series: pd.Series) -> pd.Series:
    """Yuan text ("1,234.5", "800元") → integer fen (Int64; <NA> if not an amount). Exact: integers, no floats."""
    return _by_unique(series, lambda uniques: pd.array([_amount_cents(v) for v in uniques], dtype="Int64"))


ROSTER_STATUS_VALUES = {"未脱贫": "poor", "贫困": "poor", "poor": "poor",
                        "已脱贫": "left", "脱贫": "left", "left": "left"}


def validate(frame: pd.DataFrame, source: Source, *, region_codes: set[str] | None = None) -> Validated:
    """Check every row; return the normalised columns (named by field) and the error report."""
    errors: list[dict] = []
    error_rows = np.zeros(len(frame), dtype=bool)
    header_map = source.header_map()
    header_row = int(frame.attrs.get("header_row", 1))
    rename: dict[str, str] = {}
    for header in frame.columns:
        column = header_map.get(normalise_header(header))
        if column is None:
            errors.append({"row": header_row, "column": str(header), "value": "",
                           "message": _("未知的列“%(header)s”") % {"header": header}})
        elif column.field in rename.values():
            errors.append({"row": header_row, "column": str(header), "value": "",
                           "message": _("列“%(label)s”重复") % {"label": column.label}})
        else:
            rename[header] = column.field
    present = set(rename.values())
    for column in source.columns:
        if column.required and column.field not in present:
            errors.append({"row": header_row, "column": column.label, "value": "",
                           "message": _("缺少必填列“%(label)s”") % {"label": column.label}})
    if errors:  # the header is wrong: rows cannot be read meaningfully
        return Validated(frame=pd.DataFrame(), errors=errors, error_count=len(errors))

    data = frame[list(rename)].rename(columns=rename).reset_index(drop=True)
    # The frame's index follows the file's lines from the first after the header (read_table): row numbers
    # are those of the spreadsheet or text editor, blank lines included.
    row_numbers = frame.index.to_numpy() + 2
    out = pd.DataFrame(index=data.index)
    problems: list[tuple[np.ndarray, str, pd.Series, str]] = []

    for column in source.columns:
        if column.field not in data:
            continue
        values = data[column.field]
        blank = (values == "").to_numpy(dtype=bool)
        if column.required:
            problems.append((blank, column.label, values, _("“%(label)s”不能为空") % {"label": column.label}))
        if column.type == ID:
            normalised = values.str.upper()
            bad = ~valid_id_numbers(normalised) & ~blank
            problems.append((bad, column.label, values.map(mask_id_number) if bad.any() else values,
                             (_("身份证号码无效（位数、出生日期或校验位错误）"))))
            out[column.field] = normalised
        elif column.type == DATE:
            parsed = parse_dates(values)
            bad = parsed.isna().to_numpy(dtype=bool) & ~blank
            problems.append((bad, column.label, values,
                             _("日期无法识别，应为 2024-03-05 等格式")))
            out[column.field] = parsed
        elif column.type == AMOUNT:
            cents = parse_amount_cents(values)
            bad = cents.isna().to_numpy(dtype=bool) & ~blank
            problems.append((bad, column.label, values,
                             (_("金额无法识别，应为不超过两位小数的非负数"))))
            out[column.field + "_cents"] = cents
        elif column.type == INT:
            numbers = pd.to_numeric(values.where(values.str.fullmatch(r"\d{1,6}").fillna(False)), errors="coerce")
            bad = numbers.isna().to_numpy(dtype=bool) & ~blank
            problems.append((bad, column.label, values, _("应为整数")))
            out[column.field] = numbers.astype("Int64")
        elif column.type == REGION:
            known = values.isin(region_codes or set()).to_numpy(dtype=bool)
            problems.append((~known & ~blank, column.label, values,
                             _("行政区划代码不在本辖区内")))
            out[column.field] = values
        elif column.type == ROSTER_STATUS:
            mapped = values.map(ROSTER_STATUS_VALUES)
            bad = mapped.isna().to_numpy(dtype=bool) & ~blank
            problems.append((bad, column.label, values, _("脱贫状态应为“未脱贫”或“已脱贫”")))
            out[column.field] = mapped
        else:
            out[column.field] = values

    # Rows with more values than the header has columns (the table reader kept them and noted their extra values).
    row_errors = frame.attrs.get("row_errors") or {}
    if row_errors:
        extra = pd.Series(frame.index.map(lambda label: row_errors.get(label, "")), index=data.index)
        problems.append(((extra != "").to_numpy(dtype=bool), _("（多余的值）"), extra,
                         _("本行的值比表头的列多，多出的值无列可归（是否有未加引号的逗号？）")))

    error_count = 0
    for bad, label, shown, message in problems:
        error_rows |= bad
    error_count = int(error_rows.sum())
    if error_count:
        # Report in row order, at most MAX_REPORTED_ERRORS entries (the count says how many rows).
        for bad, label, shown, message in problems:
            for index in np.flatnonzero(bad)[:MAX_REPORTED_ERRORS]:
                errors.append({"row": int(row_numbers[index]), "column": label,
                               "value": str(shown.iloc[index])[:60], "message": message})
        errors.sort(key=lambda e: (e["row"], e["column"]))
        errors = errors[:MAX_REPORTED_ERRORS]
    out["row"] = row_numbers
    return Validated(frame=out, errors=errors, error_count=error_count)
