"""The one reader of uploaded tables (CSV or XLSX) into pandas, for every import.

:func:`read_table` turns the uploaded bytes — CSV in UTF-8, UTF-8 with BOM, GBK or GB18030 (as
Chinese office software and department systems export them), or XLSX — into a DataFrame of
stripped strings (empty cells ""). The format is recognised from the content, not the name.
Row labels follow the spreadsheet: ``index + 2`` is the row a person sees (the header is row 1;
blank lines before the header are skipped and counted). Anything unreadable raises
:class:`TableRejected` with a message a person can act on and a ``code``; no row was looked at.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
from django.utils.translation import gettext as _

from reemployment.core.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"
# Legacy .xls (OLE2) files: refused with a message asking for XLSX or CSV.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"


class TableRejected(DomainError):
    """The file cannot be read at all (encoding, format, size); no row was looked at."""


def detect_encoding(raw: bytes) -> str:
    """The text encoding of a CSV: UTF-8 with BOM, UTF-8, GBK or GB18030 (strict decoding)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableRejected(
        _("文件编码无法识别：请保存为 UTF-8 或 GBK/GB18030 编码的 CSV，或 XLSX"),
        code="bad_encoding",
    )


def read_table(raw: bytes, name: str = "", *, max_bytes: int | None = None,
               max_rows: int | None = None) -> tuple[pd.DataFrame, str]:
    """Bytes → DataFrame of stripped strings (empty cells ""), and the encoding or "xlsx".

    ``max_bytes`` and ``max_rows`` refuse larger files (``code="too_large"``) before and after reading.
    ``name`` is the uploaded file's name, for messages only.
    """
    if max_bytes is not None and len(raw) > max_bytes:
        raise TableRejected(_("文件过大：%(size)s 字节，上限 %(limit)s 字节") % {"size": len(raw), "limit": max_bytes},
                            code="too_large")
    if not raw.strip():
        raise TableRejected(_("文件为空"), code="empty")
    if raw.startswith(OLE2_MAGIC):
        raise TableRejected(_("不支持旧版 .xls 文件，请另存为 XLSX 或 CSV"), code="bad_format")
    if raw.startswith(XLSX_MAGIC):
        try:
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, keep_default_na=False, engine="openpyxl")
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
            raise TableRejected(_("XLSX 文件已损坏或格式不正确（%(error)s）") % {"error": exc},
                                code="malformed") from exc
        encoding = "xlsx"
    else:
        encoding = detect_encoding(raw)
        if b"\x00" in raw[:4096]:
            raise TableRejected(_("文件不是文本表格（含二进制内容）"), code="malformed")
        # Blank lines are read as (empty) rows, not skipped, so that the index follows the physical lines
        # and error reports' row numbers are the line numbers a person sees (as for XLSX). Blank lines
        # before the header are skipped and counted.
        leading = _leading_blank_lines(raw)
        try:
            frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding=encoding,
                                skipinitialspace=True, skip_blank_lines=False, skiprows=leading)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise TableRejected(_("CSV 格式错误，无法解析：%(error)s") % {"error": exc}, code="malformed") from exc
        frame.index = frame.index + leading
        frame.attrs["header_row"] = leading + 1
    if frame.shape[1] == 0:
        raise TableRejected(_("文件没有表头"), code="malformed")
    frame = frame.fillna("")
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.strip()
    # Fully empty lines (common at the end of spreadsheet exports) are not rows.
    frame = frame[(frame != "").any(axis=1)]
    if max_rows is not None and len(frame) > max_rows:
        raise TableRejected(_("一次最多导入 %(rows)s 行") % {"rows": max_rows}, code="too_large")
    return frame, encoding


def _leading_blank_lines(raw: bytes) -> int:
    """How many lines before the header hold nothing but spaces (the encodings we accept are ASCII-compatible
    for line ends and spaces, so the bytes can be looked at directly)."""
    count, position = 0, 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    while (end := raw.find(b"\n", position)) != -1 and not raw[position:end].strip():
        count += 1
        position = end + 1
    return count
