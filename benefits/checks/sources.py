"""Department file sources and their column mappings (configuration, kept in code review).

Each source names the columns a department's export carries: the canonical field, the header
names accepted for it (Chinese first, as the departments write them; English aliases for
hand-made files), its type and whether it is required. A header that no column of the source
accepts is an error ("unknown column"), so a wrongly chosen source is caught at once.

To support a new export layout, add header aliases here; to add a department, add a source and
a checker in ``benefits/checks/matching.py``. docs/department-checks.md lists the formats.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Column types understood by benefits.checks.parsing
ID = "id_number"
TEXT = "text"
DATE = "date"
AMOUNT = "amount"  # yuan, at most 2 decimals, not negative
INT = "int"
REGION = "region"  # a region code of the uploader's jurisdiction
ROSTER_STATUS = "roster_status"  # 未脱贫/已脱贫


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]
    type: str = TEXT
    required: bool = True

    @property
    def label(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    department: str
    columns: tuple[Column, ...]

    def header_map(self) -> dict[str, Column]:
        mapping = {}
        for column in self.columns:
            for header in column.headers:
                mapping[normalise_header(header)] = column
        return mapping


def normalise_header(header: object) -> str:
    """Headers compare without surrounding spaces, full-width brackets or case."""
    text = str(header or "").strip().replace("\ufeff", "")
    text = text.replace("（", "(").replace("）", ")").replace(" ", "")
    return text.lower()


_ID = Column("id_number", ("身份证号码", "公民身份号码", "身份证号", "证件号码", "id_number"), ID)
_NAME = Column("name", ("姓名", "name"), TEXT, required=False)

SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source("death", _("公安：死亡人员"), _("公安局"), (
            _ID, _NAME,
            Column("died_on", ("死亡日期", "died_on"), DATE),
            Column("note", ("注销原因", "备注", "note"), TEXT, required=False),
        )),
        Source("hukou_move", _("公安：户籍迁出"), _("公安局"), (
            _ID, _NAME,
            Column("moved_on", ("迁出日期", "moved_on"), DATE),
            Column("destination", ("迁往地址", "迁往地", "destination"), TEXT, required=False),
        )),
        Source("employment", _("人社：就业参保"), _("人力资源和社会保障局"), (
            _ID, _NAME,
            Column("employer", ("单位名称", "参保单位", "employer"), TEXT, required=False),
            Column("monthly_wage", ("月缴费工资", "缴费基数", "月工资", "monthly_wage"), AMOUNT),
            Column("since", ("参保日期", "参保时间", "since"), DATE, required=False),
        )),
        Source("pension", _("人社：养老金领取"), _("人力资源和社会保障局"), (
            _ID, _NAME,
            Column("monthly_pension", ("月养老金", "月领取金额", "monthly_pension"), AMOUNT),
            Column("since", ("领取起始日期", "since"), DATE, required=False),
        )),
        Source("property", _("住建：房产登记"), _("住房和城乡建设局/不动产登记中心"), (
            _ID, _NAME,
            Column("certificate", ("不动产权证号", "房产证号", "certificate"), TEXT),
            Column("address", ("房屋坐落", "坐落", "address"), TEXT, required=False),
            Column("floor_area", ("建筑面积", "floor_area"), AMOUNT, required=False),
        )),
        Source("vehicle", _("公安交管：机动车登记"), _("公安局交通管理大队"), (
            _ID, _NAME,
            Column("plate", ("号牌号码", "车牌号", "plate"), TEXT),
            Column("vehicle_type", ("车辆类型", "vehicle_type"), TEXT, required=False),
            Column("registered_on", ("初次登记日期", "登记日期", "registered_on"), DATE, required=False),
        )),
        Source("deposit", _("银行：存款余额"), _("商业银行/农村信用社"), (
            _ID, _NAME,
            Column("bank", ("开户银行", "银行", "bank"), TEXT, required=False),
            Column("balance", ("存款余额", "余额", "balance"), AMOUNT),
            Column("as_of", ("余额日期", "截止日期", "as_of"), DATE, required=False),
        )),
        Source("business", _("市场监管：工商登记"), _("市场监督管理局"), (
            _ID, _NAME,
            Column("business_name", ("企业名称", "字号名称", "business_name"), TEXT),
            Column("credit_code", ("统一社会信用代码", "注册号", "credit_code"), TEXT, required=False),
            Column("capital", ("注册资本", "capital"), AMOUNT, required=False),
            Column("founded_on", ("成立日期", "founded_on"), DATE, required=False),
        )),
        Source("poverty_roster", _("乡村振兴：建档立卡人员"), _("乡村振兴局"), (
            Column("region_code", ("行政区划代码", "村(社区)代码", "region_code"), REGION),
            Column("poor_household_number", ("贫困户编号", "户编号", "poor_household_number"), TEXT),
            _ID,
            Column("name", ("姓名", "name"), TEXT),
            Column("relation", ("与户主关系", "relation"), TEXT, required=False),
            Column("status", ("脱贫状态", "status"), ROSTER_STATUS),
            Column("left_year", ("脱贫年度", "left_year"), INT, required=False),
        )),
    )
}

SOURCE_CHOICES = [(key, source.label) for key, source in SOURCES.items()]
ROSTER_SOURCE = "poverty_roster"
