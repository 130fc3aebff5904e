"""Column mappings per source as configuration: DEPARTMENT_COLUMNS_FILE merged over the built-in names."""

import datetime as dt
import json
import os

import pytest

from benefits.checks import parsing
from benefits.checks.sources import (
    DEFAULT_SOURCES,
    SOURCES,
    ColumnsFileError,
    check_columns_file,
    load_columns_file,
    merge_columns,
)
from reemployment.idcard import make_id_number

GOOD_ID = make_id_number("341125", dt.date(1950, 6, 1), 11)


def _frame(header, row):
    text = ",".join(header) + "\n" + ",".join(row) + "\n"
    return parsing.read_table(text.encode("utf-8"))[0]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_added_names_are_accepted_next_to_the_built_in_ones():
    merged = merge_columns(DEFAULT_SOURCES, {"death": {"died_on": ["死亡时间", "注销日期"]}})
    died_on = {c.field: c for c in merged["death"].columns}["died_on"]
    assert died_on.headers == ("死亡日期", "died_on", "死亡时间", "注销日期")
    assert died_on.label == "死亡日期" and died_on.required  # only the names change
    for header in ("死亡时间", "死亡日期", "注销日期"):
        assert parsing.validate(_frame(["身份证号码", header], [GOOD_ID, "2026-03-05"]), merged["death"]).error_count == 0
    # The other sources and the defaults themselves are untouched.
    assert merged["employment"] is DEFAULT_SOURCES["employment"]
    assert "死亡时间" not in DEFAULT_SOURCES["death"].header_map()


def test_replaced_names_are_the_only_ones_accepted():
    merged = merge_columns(DEFAULT_SOURCES, {"employment": {"monthly_wage": {"replace": ["应缴工资"], "add": ["工资"]}}})
    wage = {c.field: c for c in merged["employment"].columns}["monthly_wage"]
    assert wage.headers == ("应缴工资", "工资") and wage.label == "应缴工资"
    result = parsing.validate(_frame(["身份证号码", "月缴费工资"], [GOOD_ID, "100"]), merged["employment"])
    assert any("未知的列“月缴费工资”" in e["message"] for e in result.errors)
    assert parsing.validate(_frame(["身份证号码", "工资"], [GOOD_ID, "100"]), merged["employment"]).error_count == 0


def test_every_problem_of_the_file_is_reported_at_once():
    config = {
        "deaths": {"died_on": ["x"]},                       # unknown source
        "death": {
            "died_at": ["x"],                               # unknown field
            "note": ["死亡日期"],                           # already the name of died_on
            "name": [],                                     # empty list
        },
        "vehicle": {"plate": {"replace": ["车牌"], "rename": ["y"]}},  # unknown key
        "pension": {"monthly_pension": ["", 12.5]},          # empty name, not text
        "business": "企业名称",                              # not a mapping
    }
    with pytest.raises(ColumnsFileError) as caught:
        merge_columns(DEFAULT_SOURCES, config, path="columns.yaml")
    errors = caught.value.errors
    assert len(errors) == 8, errors
    assert any(e.startswith("deaths: 未知的数据来源") for e in errors)
    assert any(e.startswith("death.died_at: 该来源没有此字段") for e in errors)
    assert any("列名“死亡日期”同时对应 died_on 和 note" in e for e in errors)
    assert any(e.startswith("death.name: 应为非空的列名列表") for e in errors)
    assert any(e.startswith("vehicle.plate: 只能有 add / replace") for e in errors)
    assert sum(e.startswith("pension.monthly_pension[") for e in errors) == 2
    assert any(e.startswith("business: 应为") for e in errors)
    assert "columns.yaml" in str(caught.value)


def test_unreadable_or_malformed_files_say_why(tmp_path):
    with pytest.raises(ColumnsFileError, match="无法读取"):
        load_columns_file(str(tmp_path / "missing.yaml"))
    bad = _write(tmp_path / "bad.yaml", "death:\n  died_on: [死亡时间\n  note: x\n")
    with pytest.raises(ColumnsFileError, match="YAML/JSON 格式错误"):
        load_columns_file(bad)
    with pytest.raises(ColumnsFileError, match="映射"):
        load_columns_file(_write(tmp_path / "list.yaml", "- death\n"))


def test_the_setting_names_the_file_and_changes_take_effect(settings, tmp_path):
    header = ["身份证号码", "死亡时间"]
    assert parsing.validate(_frame(header, [GOOD_ID, "2026-03-05"]), SOURCES["death"]).error_count  # unknown
    path = tmp_path / "columns.yaml"
    settings.DEPARTMENT_COLUMNS_FILE = _write(path, "# 本县公安导出格式\ndeath:\n  died_on: [死亡时间]\n")
    assert parsing.validate(_frame(header, [GOOD_ID, "2026-03-05"]), SOURCES["death"]).error_count == 0
    # Edited: read again (no restart).
    _write(path, "death:\n  died_on: {replace: [死亡时间点]}\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert "死亡时间点" in SOURCES["death"].header_map() and "死亡日期" not in SOURCES["death"].header_map()
    # JSON is YAML: a JSON file works the same way.
    settings.DEPARTMENT_COLUMNS_FILE = _write(tmp_path / "columns.json", json.dumps(
        {"vehicle": {"plate": ["机动车号牌"]}}, ensure_ascii=False))
    assert "机动车号牌" in SOURCES["vehicle"].header_map() and "死亡时间" not in SOURCES["death"].header_map()
    settings.DEPARTMENT_COLUMNS_FILE = ""
    assert SOURCES["vehicle"] is DEFAULT_SOURCES["vehicle"]


def test_system_check_reports_a_bad_file(settings, tmp_path):
    assert check_columns_file() == []
    settings.DEPARTMENT_COLUMNS_FILE = _write(tmp_path / "columns.yaml", "death:\n  died_at: [死亡时间]\n")
    errors = check_columns_file()
    assert [e.id for e in errors] == ["benefits_checks.E001"] and "death.died_at" in errors[0].msg
    with pytest.raises(ColumnsFileError):
        SOURCES.get("death")  # using the sources with a bad file fails loudly, never silently


def test_a_file_with_a_configured_header_is_imported(settings, tmp_path, users, households):
    from benefits.checks import services
    from benefits.checks.models import Flag, FlagKind
    from tests.benefits.checks.conftest import csv_bytes

    settings.DEPARTMENT_COLUMNS_FILE = _write(tmp_path / "columns.yaml", "business:\n  business_name: [市场主体名称]\n")
    member = households["h_b1"].members.first()
    county = users["county"]
    department_file = services.department_file_upload(
        actor=county, source="business", region=county.region, name="市场主体.csv", process=False,
        content=csv_bytes(["公民身份号码", "市场主体名称"], [[member.id_number, "炉桥镇某小卖部"]]))
    result = services.department_file_process(file_id=department_file.pk)
    assert result.status == "done", result.errors
    assert Flag.objects.get().kind == FlagKind.BUSINESS
