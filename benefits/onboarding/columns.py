"""The caseload file's template (存量对象导入模板): its columns, exactly named, and the values each accepts.

One row per member, a header row (row 1), columns in any order. Household columns (保障类别 …) are read
from the head's row; on a member's row they are left empty or repeat the head's value. An optional
column left empty keeps what the service already records (a new record gets the default). The same
columns, in :data:`TEMPLATE_ORDER`, are what ``export_caseload`` writes, so an export imports back.
docs/onboarding.md documents every column with an example.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from benefits.models import IncomeKind, Relation, WorkAbility

# Where a column's value lives: a member's own row, or the household (read from the head's row).
MEMBER = "member"
HOUSEHOLD = "household"


@dataclass(frozen=True)
class Column:
    header: str  # exactly as in the file
    field: str  # the name the code uses
    required: bool
    level: str
    meaning: object  # lazy text, for the template page and docs
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("户主身份证号", "head_id", True, MEMBER, _("户主的身份证号：同一户的各行相同，据此分户"), "341125198001010016"),
    Column("身份证号", "id_number", True, MEMBER, _("本人身份证号（18位，校验位正确）"), "341125198001010016"),
    Column("姓名", "name", True, MEMBER, _("本人姓名"), "张建国"),
    Column("与户主关系", "relation", True, MEMBER, _("户主、配偶、子女、父母、兄弟姐妹、孙子女、祖父母、其他"), "户主"),
    Column("社区村代码", "region_code", True, MEMBER, _("所在社区或村的12位代码，须在本县（区）内；同一户相同"),
           "341125100001"),
    Column("保障类别", "category", True, HOUSEHOLD, _("A、B 或 C（户主行）"), "B"),
    Column("月保障金额", "amount", True, HOUSEHOLD, _("原系统记录的全户月保障金（元，户主行）"), "1040.00"),
    Column("享受起始月", "start_month", True, HOUSEHOLD, _("开始享受的月份 YYYY-MM（户主行）"), "2019-03"),
    Column("月收入", "income", True, MEMBER, _("本人计入的月收入（元），没有填 0"), "0"),
    Column("收入类型", "income_kind", False, MEMBER,
           _("工资性收入、经营性收入、养老金/退休金、农业收入、赡养/抚养/扶养费、转移性收入、其他收入；空：其他收入"),
           ""),
    Column("劳动能力", "work_ability", False, MEMBER, _("有劳动能力、部分丧失劳动能力、无劳动能力"), "有劳动能力"),
    Column("重病", "serious_illness", False, MEMBER, _("是 / 否"), "否"),
    Column("重残", "severe_disability", False, MEMBER, _("是 / 否（一、二级残疾）"), "否"),
    Column("残疾等级", "disability_grade", False, MEMBER, _("0–4（0 无；1、2 级为重残），与“重残”一致"), ""),
    Column("单亲", "single_parent", False, HOUSEHOLD, _("是 / 否：单亲家庭（户主行）"), "否"),
    Column("在校大学生", "university", False, MEMBER, _("是 / 否"), "否"),
    Column("三无", "three_no", False, MEMBER, _("是 / 否：三无人员"), "否"),
    Column("开户银行", "bank_name", False, HOUSEHOLD, _("低保金账户的开户银行（户主行）"), "定远农商银行"),
    Column("银行账号", "bank_account", False, HOUSEHOLD, _("低保金账户（一卡通）账号（户主行）"), "6230000000000000001"),
    Column("联系电话", "phone", False, HOUSEHOLD, _("家庭联系电话（户主行）"), "13800000000"),
    Column("户编号", "household_number", False, HOUSEHOLD,
           _("原系统的户编号（最长20位，户主行）；有则与户主身份证号一起用来找到已导入的家庭"), ""),
    Column("低保证号", "certificate_number", False, HOUSEHOLD, _("原系统的低保证号（户主行）；空则自动编号"), ""),
    Column("住址", "address", False, HOUSEHOLD, _("家庭住址（户主行）"), ""),
    Column("性别", "sex", False, MEMBER, _("男 / 女：须与身份证号一致；空则按身份证号"), ""),
    Column("出生日期", "birth_date", False, MEMBER, _("YYYY-MM-DD：须与身份证号一致；空则按身份证号"), ""),
    Column("人户分离", "moved_in", False, MEMBER,
           _("是：此人已登记在本系统另一户，确属分户迁入本户（记录原户并标记“人户分离”）"), ""),
)
BY_HEADER = {column.header: column for column in COLUMNS}
BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED = tuple(column for column in COLUMNS if column.required)
HOUSEHOLD_FIELDS = tuple(column.field for column in COLUMNS if column.level == HOUSEHOLD)
# The order of the template and of an export.
TEMPLATE_ORDER = tuple(column.header for column in COLUMNS if column.field not in {"moved_in"})


def header(field: str) -> str:
    return BY_FIELD[field].header


# Values accepted in the cells, by column. Every label the service shows is accepted, plus the
# words the national dibao system and common spreadsheets use.
RELATIONS = {
    **{str(label): value for value, label in Relation.choices},
    "本人": Relation.HEAD, "户主本人": Relation.HEAD,
    "妻": Relation.SPOUSE, "妻子": Relation.SPOUSE, "夫": Relation.SPOUSE, "丈夫": Relation.SPOUSE,
    "子": Relation.CHILD, "女": Relation.CHILD, "儿子": Relation.CHILD, "女儿": Relation.CHILD,
    "养子": Relation.CHILD, "养女": Relation.CHILD, "继子": Relation.CHILD, "继女": Relation.CHILD,
    "父亲": Relation.PARENT, "母亲": Relation.PARENT, "父": Relation.PARENT, "母": Relation.PARENT,
    "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD, "外孙子": Relation.GRANDCHILD,
    "外孙女": Relation.GRANDCHILD,
    "祖父": Relation.GRANDPARENT, "祖母": Relation.GRANDPARENT, "外祖父": Relation.GRANDPARENT,
    "外祖母": Relation.GRANDPARENT,
    "兄": Relation.SIBLING, "弟": Relation.SIBLING, "姐": Relation.SIBLING, "妹": Relation.SIBLING,
    "兄弟": Relation.SIBLING, "姐妹": Relation.SIBLING,
}
RELATION_LABELS = {value: str(label) for value, label in Relation.choices}

WORK_ABILITIES = {
    **{str(label): value for value, label in WorkAbility.choices},
    "有": WorkAbility.FULL, "完全劳动能力": WorkAbility.FULL, "健全": WorkAbility.FULL,
    "部分": WorkAbility.PARTIAL, "部分丧失": WorkAbility.PARTIAL, "部分劳动能力": WorkAbility.PARTIAL,
    "无": WorkAbility.NONE, "丧失劳动能力": WorkAbility.NONE, "完全丧失劳动能力": WorkAbility.NONE,
}
WORK_ABILITY_LABELS = {value: str(label) for value, label in WorkAbility.choices}

INCOME_KINDS = {
    **{str(label): value for value, label in IncomeKind.choices},
    "工资": IncomeKind.WAGES, "工资收入": IncomeKind.WAGES, "务工收入": IncomeKind.WAGES,
    "经营": IncomeKind.BUSINESS, "经营收入": IncomeKind.BUSINESS,
    "养老金": IncomeKind.PENSION, "退休金": IncomeKind.PENSION,
    "农业": IncomeKind.AGRICULTURAL, "农业收入": IncomeKind.AGRICULTURAL, "种植养殖收入": IncomeKind.AGRICULTURAL,
    "赡养费": IncomeKind.SUPPORT, "抚养费": IncomeKind.SUPPORT, "扶养费": IncomeKind.SUPPORT,
    "转移性收入": IncomeKind.TRANSFER, "转移收入": IncomeKind.TRANSFER,
    "其他": IncomeKind.OTHER, "其他收入": IncomeKind.OTHER,
}
INCOME_KIND_LABELS = {value: str(label) for value, label in IncomeKind.choices}
# Income with no stated kind: the old system's counted income, counted in full as "other income".
DEFAULT_INCOME_KIND = IncomeKind.OTHER

YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "n", "no", "false", "0", "×", "✗"}
SEXES = {"男": "M", "女": "F", "m": "M", "f": "F"}
SEX_LABELS = {"M": "男", "F": "女"}
CATEGORIES = {"A": "A", "B": "B", "C": "C", "A类": "A", "B类": "B", "C类": "C"}

# Plausibility (validation): a household's recorded monthly amount above this per person is refused as a
# typing error (the highest urban standards in China are about 1,500 yuan per person and month).
MAX_AMOUNT_PER_PERSON_CENTS = 5000_00
# Generations: a child is at least this many years younger than the head, a grandchild twice as many;
# a spouse is at least this old (years) today. Anything else cannot be true of the relation.
GENERATION_GAP_YEARS = 12
MIN_SPOUSE_AGE = 16
# A severe disability (重残) without a stated grade is recorded as grade 2 (the lesser of the two severe grades).
DEFAULT_SEVERE_GRADE = 2
