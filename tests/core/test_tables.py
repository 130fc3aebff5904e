"""The one table reader (reemployment.core.tables) on crafted files: every broken or hostile upload is a
``TableRejected`` with a message — never an exception that would answer 500 — and the limits are
checked before the work they bound (docs/security.md, "Uploads")."""

import time

import openpyxl.xml
import pytest

from reemployment.core import tables
from tests.uploads import entity_bomb_xlsx, truncated_xlsx, xlsx_bytes, zip_bomb_xlsx

ROWS = [["身份证号码", "死亡日期"]] + [["11010519491231002X", "2026-01-01"]] * 300


@pytest.mark.parametrize("shape", ["cut_in_transit", "sheet_xml_cut", "bytes_damaged", "no_workbook_part"])
def test_a_truncated_or_damaged_xlsx_is_rejected_as_malformed(shape):
    raw = truncated_xlsx(ROWS)[shape]
    with pytest.raises(tables.TableRejected) as caught:
        tables.read_table(raw, "死亡.xlsx")
    assert caught.value.code == "malformed"
    assert "XLSX" in caught.value.message


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_anything_is_inflated():
    raw = zip_bomb_xlsx(14 * 1024 * 1024)
    assert len(raw) < 64 * 1024  # as in the finding: tens of KB that inflate to ~14 MB
    started = time.perf_counter()
    with pytest.raises(tables.TableRejected) as caught:
        tables.read_table(raw, "bomb.xlsx")
    # Reading 14 MB of XML takes seconds (12 s in the finding); the zip directory is read in milliseconds.
    assert time.perf_counter() - started < 1.0
    assert caught.value.code == "too_large" and "压缩比" in caught.value.message


def test_the_total_unpacked_size_is_limited_too(settings):
    raw = xlsx_bytes(ROWS)
    settings.IMPORT_MAX_UNPACKED_BYTES = 20_000  # the workbook's parts add up to more than this
    with pytest.raises(tables.TableRejected) as caught:
        tables.read_table(raw)
    assert caught.value.code == "too_large" and "解压后" in caught.value.message


def test_xml_entities_are_refused_by_defusedxml():
    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses through defusedxml (pinned in pyproject.toml)
    with pytest.raises(tables.TableRejected) as caught:
        tables.read_table(entity_bomb_xlsx())
    assert caught.value.code == "malformed" and "Entities" in caught.value.message


def test_rows_are_counted_while_streaming(settings):
    settings.IMPORT_MAX_ROWS = 100
    for raw in (xlsx_bytes(ROWS), ("身份证号码,死亡日期\n" + "11010519491231002X,2026-01-01\n" * 300).encode()):
        with pytest.raises(tables.TableRejected) as caught:
            tables.read_table(raw)
        assert caught.value.code == "too_large" and "100" in caught.value.message
    # The caller's own limit applies when it is lower; blank lines are not rows.
    frame, _ = tables.read_table(("a,b\n" + "1,2\n\n" * 100).encode(), max_rows=100)
    assert len(frame) == 100


def test_csv_rows_over_the_limit_are_found_across_chunks(settings, monkeypatch):
    monkeypatch.setattr(tables, "CSV_CHUNK_ROWS", 7)
    settings.IMPORT_MAX_ROWS = 20
    frame, _ = tables.read_table(("a,b\n" + "1,2\n" * 20).encode())
    assert len(frame) == 20 and frame.index.tolist() == list(range(20))  # labels continue across chunks
    with pytest.raises(tables.TableRejected):
        tables.read_table(("a,b\n" + "1,2\n" * 21).encode())


def test_columns_are_limited(settings):
    settings.IMPORT_MAX_COLUMNS = 5
    header = ",".join(f"c{i}" for i in range(6))
    for raw in ((header + "\n1,2,3,4,5,6\n").encode(), xlsx_bytes([header.split(","), list("123456")])):
        with pytest.raises(tables.TableRejected) as caught:
            tables.read_table(raw)
        assert caught.value.code == "too_large"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_ragged_csv_keeps_its_rows_and_names_the_long_ones(encoding):
    # line 1 header, 2 ok, 3 one value too many, 4 ok, 5 short (padded), 6 two too many
    text = "姓名,金额\n张三,10\n李四,20,多余\n王五,30\n赵六\n钱七,50,x,y\n"
    frame, detected = tables.read_table(text.encode(encoding))
    assert detected == encoding
    assert frame.index.tolist() == [0, 1, 2, 3, 4]  # + 2 = the lines 2–6
    assert frame.loc[3].tolist() == ["赵六", ""]
    assert frame.attrs["row_errors"] == {1: "多余", 4: "x、y"}


def test_every_row_longer_than_the_header_is_reported_not_read_as_an_index():
    # pandas would take the first column as the index here (a MultiIndex: the 500 of the finding).
    frame, _ = tables.read_table(b"a,b\n1,2,3\n4,5,6\n")
    assert list(frame.columns) == ["a", "b"] and frame.values.tolist() == [["1", "2"], ["4", "5"]]
    assert frame.attrs["row_errors"] == {0: "3", 1: "6"}


def test_trailing_empty_values_are_not_errors():
    frame, _ = tables.read_table(b"a,b\n1,2,\n3,4,,\n")
    assert frame.attrs["row_errors"] == {} and frame.values.tolist() == [["1", "2"], ["3", "4"]]


def test_a_ragged_xlsx_row_is_reported_too():
    frame, _ = tables.read_table(xlsx_bytes([["a", "b"], [1, 2], [3, 4, "多余"]]))
    assert frame.values.tolist() == [["1", "2"], ["3", "4"]]
    assert frame.attrs["row_errors"] == {1: "多余"}


@pytest.mark.parametrize(("raw", "line"), [
    (b'a,b\n"1,2\n3,4\n', 2),
    ('姓名,金额\n张三,10\n李四,"20\n王五,30\n'.encode("gbk"), 3),
    (b"\n\na,b\n1,2\n3,\"4", 5),  # blank lines before the header are counted
])
def test_an_unterminated_quote_rejects_the_file_naming_the_line(raw, line):
    with pytest.raises(tables.TableRejected) as caught:
        tables.read_table(raw)
    assert caught.value.code == "malformed"
    assert f"第 {line} 行的引号没有闭合" in caught.value.message


def test_gbk_and_gb18030_and_utf8_bom_read_alike():
    text = "姓名,金额\n张三,10\n"
    for encoding, data in (("gbk", text.encode("gbk")), ("gb18030", (text + "王𠮷,1\n").encode("gb18030")),
                           ("utf-8-sig", b"\xef\xbb\xbf" + text.encode())):
        frame, detected = tables.read_table(data)
        assert detected == encoding and list(frame.columns) == ["姓名", "金额"]
        assert frame.iloc[0].tolist() == ["张三", "10"]


def test_blank_rows_keep_xlsx_numbers_and_dates_read_as_pandas_did():
    import datetime as dt

    frame, _ = tables.read_table(xlsx_bytes([[], ["a", "b"], [dt.datetime(2026, 4, 1), 4000.0], [], [None, 2.5]]))
    assert frame.attrs["header_row"] == 2
    assert frame.index.tolist() == [1, 3]  # sheet rows 3 and 5
    assert frame.values.tolist() == [["2026-04-01 00:00:00", "4000"], ["", "2.5"]]
