"""Bank files (银行代发文件) of a payroll run: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX.

Both end with a totals row (lines and amount). Every cell goes through the formula-safe writer
(``reemployment.core.exports``): names and bank names are typed by community staff. Callers must have passed
``services.bank_file_download`` (permission check + audit) first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook

from benefits.payroll.models import PayrollRun
from benefits.payroll.selectors import BANK_FILE_HEADER, bank_file_rows
from reemployment.core.exports import CsvWriter, append_row


def filename(run: PayrollRun, fmt: str) -> str:
    return f"bank-{run.county.code}-{run.month:%Y-%m}.{fmt}"


def _totals_row(count: int, total: Decimal) -> list:
    return ["合计", f"{count} 户", "", "", "", f"{total:.2f}"]


def csv_chunks(run: PayrollRun) -> Iterator[str]:
    """The CSV file as text chunks (for a streaming response)."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer, bom=True)
    writer.writerow(BANK_FILE_HEADER)
    count, total = 0, Decimal("0.00")
    for number, head_name, id_number, account, bank, amount in bank_file_rows(run):
        writer.writerow([number, head_name or "", id_number or "", account, bank, f"{amount:.2f}"])
        count += 1
        total += amount
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerow(_totals_row(count, total))
    yield buffer.getvalue()


def csv_bytes(run: PayrollRun) -> bytes:
    return "".join(csv_chunks(run)).encode("utf-8")


def xlsx_bytes(run: PayrollRun) -> bytes:
    """The XLSX file (write-only workbook: memory stays flat for large counties)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"{run.month:%Y-%m}")
    append_row(sheet, [f"{run.county.name} {run.month:%Y年%m月} 低保金发放"])
    append_row(sheet, BANK_FILE_HEADER)
    count, total = 0, Decimal("0.00")
    for number, head_name, id_number, account, bank, amount in bank_file_rows(run):
        # Text cells for ID and account numbers; the amount as a number with two decimals.
        append_row(sheet, [number, head_name or "", id_number or "", account, bank, amount])
        count += 1
        total += amount
    append_row(sheet, ["合计", f"{count} 户", "", "", "", total])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
