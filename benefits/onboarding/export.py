"""The caseload in the import template: the county's export (导出在保对象) and the empty template.

Every household with a current (not ended) enrolment, one row per current member, head first, in the
columns of ``columns.TEMPLATE_ORDER``; household values on the head's row. Read in five set-based
queries for the whole county; written with the one formula-safe writer (``reemployment.core.exports``):
CSV in UTF-8 with BOM, or XLSX with every cell as text (ID numbers and bank accounts stay exact).
What the template cannot hold: several income items of one member become their sum (with their kind
when they share one), income in kind is not written (its cash value is computed from a quantity),
the enrolment's status (suspended, transition period) and history stay in this service.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from benefits.models import Enrolment, EnrolmentStatus, Household, IncomeItem, Member, StudentStatus
from benefits.onboarding import columns as cols
from reemployment.core.exports import CsvWriter, append_row
from reemployment.core.models import Region
from reemployment.idcard import make_id_number
from reemployment.money import format_yuan

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ZERO = Decimal("0.00")


def _yes(value: bool) -> str:
    return "是" if value else "否"


def caseload_rows(county: Region):
    """(households, persons, rows): the county's caseload as template rows (dicts by header)."""
    in_county = {"household__region__path__startswith": county.path}
    current = Enrolment.objects.filter(**in_county).exclude(status=EnrolmentStatus.ENDED)
    enrolments = {row[0]: row for row in current.values_list("household_id", "category", "monthly_amount",
                                                             "start_date", "certificate_number")}
    households = {row[0]: row for row in Household.objects.filter(pk__in=current.values("household_id"))
                  .order_by("number").values_list("id", "number", "region__code", "phone", "bank_name",
                                                  "bank_account", "single_parent", "address")}
    members = defaultdict(list)
    for row in (Member.objects.filter(household_id__in=current.values("household_id"), died_on__isnull=True,
                                      left_on__isnull=True)
                .order_by("household_id", "id")
                .values_list("id", "household_id", "id_number", "name", "relation", "sex", "birth_date",
                             "serious_illness", "disability_grade", "work_ability", "student_status", "three_no")
                .iterator(chunk_size=20000)):
        members[row[1]].append(row)
    cash: dict[int, Decimal] = defaultdict(Decimal)
    kinds: dict[int, set] = defaultdict(set)
    for member_id, amount, kind, quantity in (IncomeItem.objects.filter(**in_county)
                                              .values_list("member_id", "monthly_amount", "kind", "quantity")
                                              .iterator(chunk_size=20000)):
        if quantity is None:
            cash[member_id] += amount
            kinds[member_id].add(kind)

    def rows():
        for household_id, household in households.items():
            _id, number, region_code, phone, bank_name, bank_account, single_parent, address = household
            _h, category, amount, start, certificate = enrolments[household_id]
            people = members.get(household_id, [])
            people.sort(key=lambda m: (m[4] != "head", m[0]))
            head_id = people[0][2] if people else ""
            for position, member in enumerate(people):
                (member_id, _hh, id_number, name, relation, sex, birth, illness, grade, ability, student,
                 three_no) = member
                income = cash.get(member_id, ZERO)
                member_kinds = kinds.get(member_id, set())
                row = {
                    "户主身份证号": head_id, "身份证号": id_number, "姓名": name,
                    "与户主关系": cols.RELATION_LABELS.get(relation, relation), "社区村代码": region_code,
                    "月收入": format_yuan(income),
                    "收入类型": cols.INCOME_KIND_LABELS[next(iter(member_kinds))]
                    if income > 0 and len(member_kinds) == 1 else "",
                    "劳动能力": cols.WORK_ABILITY_LABELS.get(ability, ""), "重病": _yes(illness),
                    "重残": _yes(grade in (1, 2)), "残疾等级": str(grade),
                    "在校大学生": _yes(student == StudentStatus.UNIVERSITY), "三无": _yes(three_no),
                    "性别": cols.SEX_LABELS.get(sex, ""), "出生日期": birth.isoformat(),
                }
                if position == 0:
                    row.update({"保障类别": category, "月保障金额": format_yuan(amount),
                                "享受起始月": f"{start:%Y-%m}", "单亲": _yes(single_parent), "开户银行": bank_name,
                                "银行账号": bank_account, "联系电话": phone, "户编号": number, "低保证号": certificate,
                                "住址": address})
                yield row

    persons = sum(len(members.get(pk, [])) for pk in households)
    return len(households), persons, rows()


def write_table(rows, fmt: str) -> bytes:
    """Rows (dicts by header) in the template's columns, formula-safe."""
    header = list(cols.TEMPLATE_ORDER)
    if fmt == "csv":
        stream = io.StringIO()
        writer = CsvWriter(stream, bom=True)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
        return stream.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("caseload")
    append_row(sheet, header)
    for row in rows:
        append_row(sheet, [row.get(name, "") for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def caseload_file(county: Region, fmt: str) -> tuple[bytes, int, int]:
    households, persons, rows = caseload_rows(county)
    return write_table(rows, fmt), households, persons


def example_rows() -> list[dict]:
    """Two example households of 定远县 (the demo county): the template's example, also in docs/onboarding.md."""
    head = make_id_number("341125", dt.date(1980, 1, 1), 1)
    spouse = make_id_number("341125", dt.date(1982, 5, 20), 2)
    child = make_id_number("341125", dt.date(2008, 9, 1), 3)
    elder = make_id_number("341125", dt.date(1950, 3, 15), 2)
    return [
        {"户主身份证号": head, "身份证号": head, "姓名": "张建国", "与户主关系": "户主", "社区村代码": "341125100001",
         "保障类别": "B", "月保障金额": "1040.00", "享受起始月": "2019-03", "月收入": "600.00", "收入类型": "工资性收入",
         "劳动能力": "有劳动能力", "重病": "否", "重残": "否", "单亲": "否", "开户银行": "定远农商银行",
         "银行账号": "6230000000000000001", "联系电话": "13800000000", "户编号": "CN2019000123"},
        {"户主身份证号": head, "身份证号": spouse, "姓名": "李秀英", "与户主关系": "配偶", "社区村代码": "341125100001",
         "月收入": "0", "劳动能力": "无劳动能力", "重病": "是", "重残": "否"},
        {"户主身份证号": head, "身份证号": child, "姓名": "张小明", "与户主关系": "子女", "社区村代码": "341125100001",
         "月收入": "0", "在校大学生": "是"},
        {"户主身份证号": elder, "身份证号": elder, "姓名": "王桂兰", "与户主关系": "户主", "社区村代码": "341125101001",
         "保障类别": "A", "月保障金额": "560.00", "享受起始月": "2015-07", "月收入": "0", "劳动能力": "无劳动能力",
         "三无": "是", "开户银行": "定远农商银行", "银行账号": "6230000000000000002"},
    ]


def template_file(fmt: str) -> bytes:
    return write_table(example_rows(), fmt)


def error_report(errors: list[dict]) -> bytes:
    """The error report as a spreadsheet (CSV, UTF-8 with BOM): row, column, problem."""
    stream = io.StringIO()
    writer = CsvWriter(stream, bom=True)
    writer.writerow(["行号", "列", "问题"])
    for error in errors:
        writer.writerow([error["row"], error["column"], error["message"]])
    return stream.getvalue().encode("utf-8")


DISCREPANCY_HEADER = ["户主所在行", "户编号", "社区/村", "户主", "人数", "在保类别", "原系统月保障金", "核算类别",
                      "按本系统规则核算", "差额", "复核", "核算说明"]


def discrepancy_report(rows) -> bytes:
    """The discrepancy list (CSV, UTF-8 with BOM); ``rows`` are ImportDiscrepancy records."""
    stream = io.StringIO()
    writer = CsvWriter(stream, bom=True)
    writer.writerow(DISCREPANCY_HEADER)
    for d in rows:
        writer.writerow([d.row, d.household_number, d.region.name, d.head_name, d.persons, d.category,
                         format_yuan(d.recorded_amount), d.computed_category or "-", format_yuan(d.computed_amount),
                         format_yuan(d.difference), d.review_id or "", d.explanation])
    return stream.getvalue().encode("utf-8")
