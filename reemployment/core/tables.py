"""The one reader of uploaded tables (CSV or XLSX) into pandas, for every import.

:func:`read_table` turns the uploaded bytes — CSV in UTF-8, UTF-8 with BOM, GBK or GB18030 (as
Chinese office software and department systems export them), or XLSX — into a DataFrame of
stripped strings (empty cells ""). The format is recognised from the content, not the name.
Row labels follow the spreadsheet: ``index + 2`` is the row a person sees (the header is row 1;
blank lines before the header are skipped and counted). Anything unreadable raises
:class:`TableRejected` with a message a person can act on and a ``code``; no row was looked at.

Uploads are untrusted, so the limits come first (docs/security.md, "Uploads"):

* the raw size (``max_bytes``, ``settings.MAX_IMPORT_BYTES`` for the callers);
* for XLSX (a zip of XML files), before anything is decompressed: the members' declared sizes in
  total (``settings.IMPORT_MAX_UNPACKED_BYTES``) and each large member's compression ratio
  (``settings.IMPORT_MAX_COMPRESSION_RATIO``) — a zip bomb is refused from its directory. Python's
  ``zipfile`` never inflates a member beyond its declared size (a member that holds more fails its
  CRC check), so the declared sizes bound the work. The XML is then read by openpyxl in read-only
  (streaming) mode, which parses through defusedxml (no entity expansion, no external entities);
* rows (``max_rows``, at most ``settings.IMPORT_MAX_ROWS``) and columns (``settings.IMPORT_MAX_COLUMNS``)
  are counted while streaming: reading stops at the first row over the limit, so no more than the
  limit is ever held in memory.

Every failure of the parsers (a truncated zip, broken XML, an unterminated quote…) becomes a
``TableRejected``: an import never answers 500 because of its file. A row with more values than
the header has columns is not a reason to refuse the file: it is kept (its extra values dropped)
and listed in ``frame.attrs["row_errors"]`` (row label → the extra values), so each importer reports
it as an error of that row.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile

import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from reemployment.core.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"
# Legacy .xls (OLE2) files: refused with a message asking for XLSX or CSV.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"

# Defaults of the limits (settings override them; docs/security.md "Uploads").
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 200
DEFAULT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
# Department exports compress 5–20 times (measured: 7.8 for distinct ID numbers, 19 for a sheet of
# identical rows); a zip bomb hundreds or thousands of times.
DEFAULT_MAX_COMPRESSION_RATIO = 100
# Small members may compress as they like (a 30 KB styles.xml of repeated entries): they cost nothing.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
CSV_CHUNK_ROWS = 200_000


class TableRejected(DomainError):
    """The file cannot be read at all (encoding, format, size); no row was looked at."""


def limit(name: str) -> int:
    """The limit ``name`` ("max_rows", "max_columns", "max_unpacked_bytes", "max_compression_ratio")
    from settings (``IMPORT_MAX_ROWS``…), or its default."""
    return int(getattr(settings, f"IMPORT_{name.upper()}", None) or globals()[f"DEFAULT_{name.upper()}"])


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

    ``max_bytes`` refuses a larger file before anything is read; ``max_rows`` (capped by
    ``settings.IMPORT_MAX_ROWS``) refuses more data rows, counted while reading (``code="too_large"``).
    ``name`` is the uploaded file's name, for messages only.
    """
    if max_bytes is not None and len(raw) > max_bytes:
        raise TableRejected(_("文件过大：%(size)s 字节，上限 %(limit)s 字节") % {"size": len(raw), "limit": max_bytes},
                            code="too_large")
    if not raw.strip():
        raise TableRejected(_("文件为空"), code="empty")
    if raw.startswith(OLE2_MAGIC):
        raise TableRejected(_("不支持旧版 .xls 文件，请另存为 XLSX 或 CSV"), code="bad_format")
    max_rows = min(max_rows or limit("max_rows"), limit("max_rows"))
    if raw.startswith(XLSX_MAGIC):
        check_xlsx_archive(raw)
        frame = _read_xlsx(raw, max_rows=max_rows)
        encoding = "xlsx"
    else:
        encoding = detect_encoding(raw)
        if b"\x00" in raw[:4096]:
            raise TableRejected(_("文件不是文本表格（含二进制内容）"), code="malformed")
        frame = _read_csv(raw, encoding, max_rows=max_rows)
    if frame.shape[1] == 0:
        raise TableRejected(_("文件没有表头"), code="malformed")
    row_errors = frame.attrs.get("row_errors", {})
    frame = frame.fillna("")
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.strip()
    # Fully empty lines (common at the end of spreadsheet exports) are not rows; a row with values only
    # beyond the header's columns stays, to be reported.
    keep = (frame != "").any(axis=1)
    if row_errors:
        keep |= frame.index.isin(list(row_errors))
    frame = frame[keep]
    frame.attrs["row_errors"] = row_errors
    if len(frame) > max_rows:
        raise _too_many_rows(max_rows)
    return frame, encoding


def _too_many_rows(max_rows: int) -> TableRejected:
    return TableRejected(_("一次最多导入 %(rows)s 行") % {"rows": max_rows}, code="too_large")


def _too_many_columns(columns: int) -> TableRejected:
    return TableRejected(_("表头有 %(columns)s 列，最多 %(limit)s 列") % {
        "columns": columns, "limit": limit("max_columns")}, code="too_large")


def _header_names(cells: list[str]) -> list[str]:
    """Column names as pandas gives them: an empty header is "Unnamed: <position>", a repeated one
    gets ".1", ".2"… (so the importers' unknown/duplicate-column messages name them)."""
    names, seen = [], {}
    for position, cell in enumerate(cells):
        name = cell if cell != "" else f"Unnamed: {position}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def _extra_values(cells, width: int) -> str:
    """The non-empty values of a row beyond the header's ``width`` columns ("" when there are none)."""
    return "、".join(str(v).strip() for v in cells[width:] if v is not None and str(v).strip())[:60]


# ---------------------------------------------------------------------- XLSX


def check_xlsx_archive(raw: bytes) -> None:
    """Refuse an XLSX whose zip directory declares more than ``IMPORT_MAX_UNPACKED_BYTES`` in total, or a
    large member compressed more than ``IMPORT_MAX_COMPRESSION_RATIO`` times — before inflating anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TableRejected(_("XLSX 文件已损坏或不完整（%(error)s）") % {"error": exc}, code="malformed") from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > limit("max_unpacked_bytes"):
        raise TableRejected(_("XLSX 解压后 %(size)s 字节，超过上限 %(limit)s 字节") % {
            "size": unpacked, "limit": limit("max_unpacked_bytes")}, code="too_large")
    ratio_limit = limit("max_compression_ratio")
    for member in members:
        if member.file_size >= RATIO_CHECKED_FROM_BYTES and member.file_size > ratio_limit * max(member.compress_size, 1):
            raise TableRejected(
                _("XLSX 中的 %(member)s 压缩比异常（%(ratio)s 倍，上限 %(limit)s 倍），疑为“压缩炸弹”，未读取") % {
                    "member": member.filename[:80], "ratio": member.file_size // max(member.compress_size, 1),
                    "limit": ratio_limit},
                code="too_large")


def _cell_text(value) -> str:
    """A cell as pandas' ``read_excel(dtype=str)`` gives it: integral numbers without ".0", dates as
    "2026-04-01 00:00:00"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)  # a datetime: "2026-04-01 00:00:00", as pandas' str of a Timestamp


def _read_xlsx(raw: bytes, *, max_rows: int) -> pd.DataFrame:
    from openpyxl import load_workbook  # parses through defusedxml when it is installed (it is: pyproject)

    max_columns = limit("max_columns")
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # any parser failure is a broken file, never a 500
        raise TableRejected(_("XLSX 文件已损坏或格式不正确（%(error)s）") % {"error": _short(exc)},
                            code="malformed") from exc
    try:
        if not workbook.worksheets:
            raise TableRejected(_("XLSX 文件中没有工作表"), code="malformed")
        sheet = workbook.worksheets[0]
        # The declared dimension can lie (openpyxl would stop at it, or pad to it): read what is there.
        sheet.reset_dimensions()
        header, width, header_row = None, 0, 1
        labels, rows, row_errors = [], [], {}
        for number, values in enumerate(sheet.iter_rows(max_col=max_columns + 1, values_only=True), start=1):
            if header is None:
                cells = [_cell_text(v).strip() for v in values]
                while cells and cells[-1] == "":
                    cells.pop()
                if not cells:
                    continue  # blank rows before the header: skipped and counted
                if len(cells) > max_columns:
                    raise _too_many_columns(len(cells))
                header, width, header_row = _header_names(cells), len(cells), number
                continue
            if not any(v is not None and v != "" for v in values):
                continue  # a blank row: not a row (its number is kept by the labels of the next ones)
            label = number - 2
            extra = _extra_values(values, width)
            if extra:
                row_errors[label] = extra
            cells = [_cell_text(v) for v in values[:width]]
            cells += [""] * (width - len(cells))
            rows.append(cells)
            labels.append(label)
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
    except TableRejected:
        raise
    except Exception as exc:  # truncated or corrupt XML, a bad CRC, defusedxml's refusal…
        raise TableRejected(_("XLSX 文件已损坏或格式不正确（%(error)s）") % {"error": _short(exc)},
                            code="malformed") from exc
    finally:
        workbook.close()
    if header is None:
        return pd.DataFrame()
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(labels, dtype="int64"), dtype=object)
    frame.attrs["header_row"] = header_row
    frame.attrs["row_errors"] = row_errors
    return frame


def _short(exc: BaseException) -> str:
    """The first cause of a parser's error (openpyxl wraps the XML parser's in a ValueError), shortly."""
    while (exc.__cause__ or exc.__context__) is not None:
        exc = exc.__cause__ or exc.__context__
    return f"{type(exc).__name__}: {exc}"[:200]


# ---------------------------------------------------------------------- CSV


def _read_csv(raw: bytes, encoding: str, *, max_rows: int) -> pd.DataFrame:
    """pandas' C parser in chunks (the row limit is checked after each); a file it cannot take as it
    is — a row with more values than the header, an unterminated quote — is read again by the
    ``csv`` module, which says which row."""
    # Blank lines are read as (empty) rows, not skipped, so that the index follows the physical lines
    # and error reports' row numbers are the line numbers a person sees (as for XLSX). Blank lines
    # before the header are skipped and counted.
    leading = _leading_blank_lines(raw)
    chunks, rows = [], 0
    try:
        with warnings.catch_warnings():
            # "Length of header … does not match length of data": rows longer than the header.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding=encoding,
                                 skipinitialspace=True, skip_blank_lines=False, skiprows=leading,
                                 index_col=False, chunksize=CSV_CHUNK_ROWS)
            with reader:
                for chunk in reader:
                    if not chunks and len(chunk.columns) > limit("max_columns"):
                        raise _too_many_columns(len(chunk.columns))
                    rows += int((chunk.fillna("") != "").any(axis=1).sum())
                    if rows > max_rows:
                        raise _too_many_rows(max_rows)
                    chunks.append(chunk)
    except TableRejected:
        raise
    except pd.errors.EmptyDataError as exc:
        raise TableRejected(_("文件没有表头"), code="malformed") from exc
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, UnicodeDecodeError, csv.Error):
        return _read_csv_slowly(raw, encoding, max_rows=max_rows)
    frame = pd.concat(chunks) if len(chunks) > 1 else chunks[0]
    frame.index = frame.index + leading
    frame.attrs["header_row"] = leading + 1
    frame.attrs["row_errors"] = {}
    return frame


def _read_csv_slowly(raw: bytes, encoding: str, *, max_rows: int) -> pd.DataFrame:
    """The ``csv`` module, record by record: a row longer than the header is kept and reported; an
    unterminated quote or a stray character after a closing quote rejects the file naming the line."""
    text = raw.decode(encoding)
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    header, width, header_row = None, 0, 1
    labels, rows, row_errors = [], [], {}
    start = 1  # the line the record being read starts on
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > limit("max_columns"):
                    raise _too_many_columns(len(record))
                header = _header_names([cell.strip() for cell in record])
                width, header_row = len(header), line
                continue
            if not any(cell.strip() for cell in record):
                continue
            label = line - 2
            extra = _extra_values(record, width)
            if extra:
                row_errors[label] = extra
            cells = record[:width] + [""] * (width - len(record))
            rows.append(cells)
            labels.append(label)
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
    except csv.Error as exc:
        if "end of data" in str(exc):
            message = _("CSV 第 %(line)s 行的引号没有闭合，从该行到文件末尾无法读取") % {"line": start}
        else:
            message = _("CSV 第 %(line)s 行格式错误：%(error)s") % {"line": start, "error": exc}
        raise TableRejected(message, code="malformed") from exc
    if header is None:
        raise TableRejected(_("文件没有表头"), code="malformed")
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(labels, dtype="int64"), dtype=object)
    frame.attrs["header_row"] = header_row
    frame.attrs["row_errors"] = row_errors
    return frame


def _leading_blank_lines(raw: bytes) -> int:
    """How many lines before the header hold nothing but spaces (the encodings we accept are ASCII-compatible
    for line ends and spaces, so the bytes can be looked at directly)."""
    count, position = 0, 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    while (end := raw.find(b"\n", position)) != -1 and not raw[position:end].strip():
        count += 1
        position = end + 1
    return count
