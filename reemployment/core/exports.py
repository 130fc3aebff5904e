"""The one writer of every CSV and XLSX export: formula-safe cells (CSV/formula injection).

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
a leading tab or carriage return can hide one; community staff control names and bank names that
reach county exports, so every text cell of every export goes through :func:`safe_cell`, which
prefixes such a value with an apostrophe (OWASP's advice): the cell then shows as text, never runs.
Plain numbers written as text (``-12.50``) are left as they are, and numbers (Decimal, int, float)
and dates stay typed. Use :class:`CsvWriter` (or :class:`CsvDictWriter`) and :func:`append_row` instead of ``csv.writer``
(``csv.DictWriter``) and ``sheet.append``; ``tests/core/test_exports.py`` checks the rule and each
export, and fails when ``csv.writer``/``csv.DictWriter`` or ``sheet.append`` is used anywhere else.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet could read as a formula; then ``'`` + value."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class CsvWriter:
    """``csv.writer`` whose rows are made formula-safe; ``bom=True`` first writes the UTF-8 BOM (so
    Excel reads Chinese)."""

    def __init__(self, stream, *, bom: bool = False, **kwargs):
        if bom:
            stream.write(BOM)
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter:
    """``csv.DictWriter`` whose values are made formula-safe (``bom`` as for :class:`CsvWriter`)."""

    def __init__(self, stream, fieldnames, *, bom: bool = False, **kwargs):
        if bom:
            stream.write(BOM)
        self._writer = csv.DictWriter(stream, fieldnames=fieldnames, **kwargs)

    def writeheader(self) -> None:
        self._writer.writerow({name: safe_cell(name) for name in self._writer.fieldnames})

    def writerow(self, row: dict) -> None:
        self._writer.writerow({key: safe_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.writerow(row)


def append_row(sheet, row: Iterable[Any]) -> None:
    """``sheet.append(row)`` for an openpyxl worksheet (normal or write-only), formula-safe."""
    sheet.append(safe_row(row))
