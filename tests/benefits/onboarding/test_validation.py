"""Every check of a caseload file, with its exact message, row (the header is row 1) and column.

The base file (conftest.base_rows) is valid; each case changes one thing. ``caseload_check`` is the dry
run: it writes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from benefits.models import Household, Member
from benefits.onboarding import services
from reemployment.core.models import today
from reemployment.idcard import mask_id_number
from tests.benefits.factories import make_household
from tests.benefits.onboarding.conftest import HEAD, SPOUSE, base_rows, household, person, table_bytes


def check(county, user, rows, **kwargs):
    return services.caseload_check(actor=user, county=county, content=table_bytes(rows, **kwargs), name="t.csv")


def test_the_base_file_is_valid(county, county_user):
    outcome = check(county, county_user, base_rows())
    assert outcome.errors == []
    assert outcome.report() == {"households": 2, "persons": 4, "created": 2, "updated": 0, "unchanged": 0,
                                "discrepancies": 0, "errors": []}
    assert Household.objects.count() == 0  # a dry run writes nothing


def numbered(household, number: str):
    Household.objects.filter(pk=household.pk).update(number=number)
    return household


def bad_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def future_month() -> str:
    month = today().replace(day=1) + dt.timedelta(days=40)
    return f"{month:%Y-%m}"


# (what to change: row index in base_rows → {column: value}), expected (row, column, message).
CASES = {
    "checksum": ({1: {"身份证号": bad_checksum(SPOUSE)}}, (3, "身份证号", "校验位不符")),
    "id length": ({1: {"身份证号": "34112519820520"}}, (3, "身份证号", "身份证号码应为18位，实际14位")),
    "id characters": ({1: {"身份证号": "34112519820520A02X"}}, (3, "身份证号", "身份证号码含有非法字符")),
    "id birth date": ({1: {"身份证号": "341125198213200029"}}, (3, "身份证号", "出生日期19821320无效")),
    "empty name": ({2: {"姓名": ""}}, (4, "姓名", "不能为空")),
    "unknown relation": ({2: {"与户主关系": "邻居"}},
                         (4, "与户主关系", "应为 户主、配偶、子女、父母、兄弟姐妹、孙子女、祖父母 或 其他")),
    "region outside the county": ({3: {"社区村代码": "341126100001"}}, (5, "社区村代码", "不是本县（区）的社区或村代码")),
    "region not a community": ({3: {"社区村代码": "341125101"}}, (5, "社区村代码", "不是本县（区）的社区或村代码")),
    "household in two communities": ({1: {"社区村代码": "341125100002"}},
                                     (3, "社区村代码", "与户主行（第 2 行）不同：同一户登记在同一个社区或村")),
    "unknown category": ({0: {"保障类别": "D"}}, (2, "保障类别", "应为 A、B 或 C")),
    "category missing on the head's row": ({0: {"保障类别": ""}}, (2, "保障类别", "户主行不能为空")),
    "household value differs on a member's row": (
        {1: {"保障类别": "A"}}, (3, "保障类别", "家庭的信息填在户主行：与户主行（第 2 行）不一致")),
    "negative amount": ({0: {"月保障金额": "-480.00"}}, (2, "月保障金额", "不能为负数")),
    "not an amount": ({0: {"月保障金额": "480.001"}}, (2, "月保障金额", "不是金额（元，最多两位小数）")),
    # 3 persons × 5,000 = 15,000.00 is the most a household of three may record.
    "absurd amount": ({0: {"月保障金额": "15000.01"}},
                      (2, "月保障金额", "金额不合理：3 人每月 15000.01 元，超过每人每月 5000 元")),
    "start month unreadable": ({3: {"享受起始月": "去年"}}, (5, "享受起始月", "应为年月，如 2019-03")),
    "start month before 1990": ({3: {"享受起始月": "1989-12"}}, (5, "享受起始月", "不合理：早于 1990 年")),
    "negative income": ({1: {"月收入": "-1"}}, (3, "月收入", "不能为负数")),
    "income missing": ({1: {"月收入": ""}}, (3, "月收入", "不能为空（没有收入填 0）")),
    "absurd income": ({1: {"月收入": "1000000.01"}}, (3, "月收入", "金额不合理：超过每月 1000000.00 元")),
    "unknown income kind": ({0: {"收入类型": "彩票"}},
                            (2, "收入类型", "应为 工资性收入、经营性收入、养老金/退休金、农业收入、赡养/抚养/扶养费、转移性收入 或 其他收入")),
    "unknown work ability": ({1: {"劳动能力": "很强"}}, (3, "劳动能力", "应为 有劳动能力、部分丧失劳动能力 或 无劳动能力")),
    "yes or no": ({1: {"重病": "也许"}}, (3, "重病", "应为“是”或“否”")),
    "grade against 重残": ({1: {"重残": "是", "残疾等级": "3"}}, (3, "残疾等级", "与“重残”不一致：重残为一、二级残疾")),
    "grade not 0-4": ({1: {"残疾等级": "5"}}, (3, "残疾等级", "应为 0 到 4 的整数")),
    "sex against the ID": ({1: {"性别": "男"}}, (3, "性别", "与身份证号不一致（身份证号为女性）")),
    "birth date against the ID": ({1: {"出生日期": "1982-05-21"}}, (3, "出生日期", "与身份证号不一致（身份证号为 1982-05-20）")),
    "text too long": ({0: {"联系电话": "1" * 21}}, (2, "联系电话", "超过 20 个字符")),
    "head row with another ID": ({1: {"与户主关系": "户主"}}, (3, "与户主关系", "户主行的身份证号应与户主身份证号相同")),
    "the head's own row is not 户主": ({0: {"与户主关系": "配偶"}},
                                       (2, "与户主关系", "本人即户主（身份证号与户主身份证号相同），与户主关系应为“户主”")),
    # Generations: the child (2008) is 28 years younger than the head (1980); a 1975 "child" is older.
    "child older than the head": ({2: {"身份证号": person(dt.date(1975, 1, 1), 5)}},
                                  (4, "与户主关系", "子女应比户主至少小 12 岁：请核对身份证号或与户主关系（可填“其他”）")),
    "parent younger than the head": ({2: {"与户主关系": "父母"}},
                                     (4, "与户主关系", "父母应比户主至少大 12 岁：请核对身份证号或与户主关系（可填“其他”）")),
    "grandchild too old": ({1: {"与户主关系": "孙子女"}},
                           (3, "与户主关系", "孙子女应比户主至少小 24 岁：请核对身份证号或与户主关系（可填“其他”）")),
    "spouse a child": ({2: {"与户主关系": "配偶", "身份证号": person(dt.date(2015, 1, 1), 5)}},
                       (4, "与户主关系", "配偶未满 16 岁：请核对身份证号或与户主关系")),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_check_names_row_column_and_message(county, county_user, case):
    changes, (row, column, message) = CASES[case]
    rows = base_rows()
    for index, values in changes.items():
        rows[index].update(values)
    outcome = check(county, county_user, rows)
    assert {"row": row, "column": column, "message": message} in outcome.errors, outcome.errors
    assert outcome.refused
    assert Household.objects.count() == 0


def test_a_duplicate_id_number_names_the_first_row(county, county_user):
    rows = base_rows()
    rows.insert(2, dict(rows[1]))  # the spouse twice: rows 3 and 4
    assert check(county, county_user, rows).errors == [{"row": 4, "column": "身份证号", "message": "与第 3 行重复"}]


def test_a_household_without_its_head_row(county, county_user):
    rows = base_rows()[1:]  # the head's row (row 2) is gone: the spouse is now row 2
    outcome = check(county, county_user, rows)
    assert outcome.errors == [{"row": 2, "column": "户主身份证号",
                               "message": f"没有户主本人的行（身份证号为 {mask_id_number(HEAD)}、与户主关系为“户主”的行）"}]


def test_a_start_month_in_the_future(county, county_user):
    rows = base_rows()
    rows[0]["享受起始月"] = future_month()
    this_month = f"{today():%Y-%m}"
    assert check(county, county_user, rows).errors == [
        {"row": 2, "column": "享受起始月", "message": f"在未来：晚于本月（{this_month}）"}]


def test_a_person_born_in_the_future(county, county_user):
    rows = base_rows()
    rows[2]["身份证号"] = person(today() + dt.timedelta(days=1), 5)
    assert {"row": 4, "column": "身份证号", "message": "出生日期在今天之后"} in check(county, county_user, rows).errors


def test_the_header_is_checked_first(county, county_user):
    rows = base_rows()
    for row in rows:
        row.pop("月收入")
        row["序号"] = "1"
    header = list(dict.fromkeys(k for row in rows for k in row))
    assert check(county, county_user, rows, header=header).errors == [
        {"row": 1, "column": "月收入", "message": "缺少必填列"},
        {"row": 1, "column": "序号", "message": "不是模板中的列（列名须与模板一致）"},
    ]


def test_one_household_number_per_household(county, county_user):
    rows = base_rows()
    rows[3]["户编号"] = "CN0001"
    assert check(county, county_user, rows).errors == [
        {"row": 5, "column": "户编号", "message": "与第 2 行户主的相同：每户一个"}]


def test_a_person_already_in_another_household_of_the_service(county, county_user, policy):
    other = numbered(make_household(policy["comm_a2"]), "OLD0001")
    member = other.members.get()
    rows = base_rows()
    rows[2]["身份证号"] = member.id_number
    rows[2]["与户主关系"] = "其他"
    assert check(county, county_user, rows).errors == [{
        "row": 4, "column": "身份证号",
        "message": "此人已是本系统另一户（户编号 OLD0001）的成员；确属分户迁入本户的，“人户分离”填“是”"}]
    # Declared as 人户分离 (moving into this household): accepted.
    rows[2]["人户分离"] = "是"
    assert check(county, county_user, rows).errors == []


def test_a_person_of_another_county_cannot_move_in(county, county_user, policy, regions):
    from tests.factories import RegionFactory

    village = RegionFactory(code="341126100001", name="凤阳某村", level="community", area="rural",
                            parent=RegionFactory(code="341126100", name="凤阳某镇", level="township",
                                                 parent=regions["other_county"]))
    other = numbered(make_household(village), "FY0001")
    rows = base_rows()
    rows[2].update({"身份证号": other.members.get().id_number, "与户主关系": "其他", "人户分离": "是"})
    assert check(county, county_user, rows).errors == [{
        "row": 4, "column": "身份证号", "message": "此人属于其他县（区）的家庭（户编号 FY0001），本县不能迁入"}]


def test_a_person_the_service_records_as_dead(county, county_user, policy):
    other = make_household(policy["comm_a1"])
    member = other.members.get()
    Member.objects.filter(pk=member.pk).update(died_on=dt.date(2025, 6, 1))
    rows = base_rows()
    rows[0].update({"户主身份证号": member.id_number, "身份证号": member.id_number})
    for row in rows[1:3]:
        row["户主身份证号"] = member.id_number
    rows[1]["与户主关系"] = rows[2]["与户主关系"] = "其他"
    assert {"row": 2, "column": "身份证号", "message": "本系统记录此人已于 2025-06-01 死亡"} in check(
        county, county_user, rows).errors


def test_no_standard_in_force(regions, users):
    rows = base_rows()
    outcome = services.caseload_check(actor=users["county"], county=regions["county"], content=table_bytes(rows),
                                      name="t.csv")
    assert outcome.errors == [
        {"row": 2, "column": "社区村代码", "message": f"城南社区 在 {today()} 没有生效的城市低保标准：请先导入政策文件（load_policy）"},
        {"row": 5, "column": "社区村代码", "message": f"炉桥村 在 {today()} 没有生效的农村低保标准：请先导入政策文件（load_policy）"},
    ]


def test_every_error_is_reported_not_only_the_first(county, county_user):
    rows = base_rows()
    rows[1]["身份证号"] = bad_checksum(SPOUSE)
    rows[3]["保障类别"] = "X"
    rows[3]["月收入"] = "-3"
    outcome = check(county, county_user, rows)
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(3, "身份证号"), (5, "保障类别"), (5, "月收入")]


def test_the_example_of_the_issue_in_english(county, county_user):
    """``row 77, 身份证号: checksum does not hold`` — 75 valid one-person households, then a bad one."""
    rows = []
    for n in range(75):
        number = person(dt.date(1960, 1, 1) + dt.timedelta(days=n), 2 * n + 1)
        rows += household(number, f"户主{n}", region="341125101001", category="C", amount="70.00")
    bad = bad_checksum(person(dt.date(1961, 1, 1), 7))
    rows += household(bad, "错号", region="341125101001", category="C", amount="70.00")
    with translation.override("en"):
        outcome = check(county, county_user, rows)
    assert outcome.errors == [{"row": 77, "column": "身份证号", "message": "checksum does not hold"}]

