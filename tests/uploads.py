"""Crafted upload files for the tests of the table reader and the imports: real bytes, built the way a
broken export or an attacker would build them (no parser is mocked)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def xlsx_bytes(rows: list[list]) -> bytes:
    """A real workbook with ``rows`` on its first sheet (the first row is the header)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_members(raw: bytes, change) -> bytes:
    """The same zip with each member's bytes passed through ``change(name, data)`` (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
    return out.getvalue()


def truncated_xlsx(rows: list[list]) -> dict[str, bytes]:
    """The ways an XLSX arrives broken: cut short in transit, cut inside the sheet's XML, bytes damaged."""
    raw = xlsx_bytes(rows)
    damaged = bytearray(raw)
    middle = len(damaged) // 2
    for position in range(middle, middle + 64):
        damaged[position] ^= 0xFF
    return {
        "cut_in_transit": raw[: len(raw) * 2 // 3],
        "sheet_xml_cut": rewrite_members(raw, lambda name, data: data[: len(data) // 2] if name == SHEET else data),
        "bytes_damaged": bytes(damaged),
        "no_workbook_part": rewrite_members(raw, lambda name, data: None if name == "xl/workbook.xml" else data),
    }


def zip_bomb_xlsx(unpacked_bytes: int = 14 * 1024 * 1024) -> bytes:
    """A small XLSX whose sheet inflates to ``unpacked_bytes`` of XML (the finding: 58 KB → 13.8 MB): a
    valid sheet padded with whitespace, which deflate compresses about a thousand times."""
    raw = xlsx_bytes([["身份证号码", "死亡日期"], ["11010519491231002X", "2026-01-01"]])

    def pad(name, data):
        if name != SHEET:
            return data
        head, tail = data.rsplit(b"</sheetData>", 1)
        return head + b" " * unpacked_bytes + b"</sheetData>" + tail

    return rewrite_members(raw, pad)


def entity_bomb_xlsx() -> bytes:
    """An XLSX whose sheet declares nested entities ("billion laughs"): refused by defusedxml."""
    raw = xlsx_bytes([["身份证号码", "死亡日期"]])
    declarations = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                               for i in range(1, 10))
                    + b"]>")

    def bomb(name, data):
        if name != SHEET:
            return data
        body = data.split(b"?>", 1)[-1]  # after the XML declaration, if there is one
        body = body.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                            b"</sheetData>")
        return b'<?xml version="1.0" encoding="UTF-8"?>' + declarations + body

    return rewrite_members(raw, bomb)
