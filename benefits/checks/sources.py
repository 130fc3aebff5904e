"""Department file sources and their column mappings (configuration).

Each source names the columns a department's export carries: the canonical field, the header
names accepted for it (Chinese first, as the departments write them; English aliases for
hand-made files), its type and whether it is required. A header that no column of the source
accepts is an error ("unknown column"), so a wrongly chosen source is caught at once.

The built-in mappings are :data:`DEFAULT_SOURCES`. A deployment adds or replaces header names
without a code change in a YAML/JSON file named by ``settings.DEPARTMENT_COLUMNS_FILE`` (env
``DEPARTMENT_COLUMNS_FILE``), validated whole with clear errors and merged over the defaults;
:data:`SOURCES` is always the merged view (the file is read again when it changes). To add a
department, add a source here and a checker in ``benefits/checks/matching.py``.
docs/department-checks.md lists the formats and the file's layout.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import yaml
from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext
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

DEFAULT_SOURCES: dict[str, Source] = {
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

SOURCE_CHOICES = [(key, source.label) for key, source in DEFAULT_SOURCES.items()]
ROSTER_SOURCE = "poverty_roster"


# Header names configured per deployment (DEPARTMENT_COLUMNS_FILE) -----------------------------------

MAX_HEADER_LENGTH = 100


class ColumnsFileError(ImproperlyConfigured):
    """The column-mapping file cannot be used; ``errors`` lists each problem ("death.died_on: …")."""

    def __init__(self, path: str, errors: list[str]):
        self.path = path
        self.errors = errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(gettext("列名配置文件 %(path)s 有误，未启用：\n%(lines)s") % {"path": path, "lines": lines})


def _header_list(value, where: str, errors: list[str]) -> list[str]:
    if not isinstance(value, list) or not value:
        errors.append(gettext("%(where)s: 应为非空的列名列表") % {"where": where})
        return []
    headers = []
    for index, header in enumerate(value):
        if not isinstance(header, str | int) or isinstance(header, bool) or not str(header).strip():
            errors.append(gettext("%(where)s[%(index)s]: 列名应为非空文字") % {"where": where, "index": index})
        elif len(str(header).strip()) > MAX_HEADER_LENGTH:
            errors.append(gettext("%(where)s[%(index)s]: 列名过长（最多 %(MAX_HEADER_LENGTH)s 字）") % {
                "where": where, "index": index, "MAX_HEADER_LENGTH": MAX_HEADER_LENGTH})
        else:
            headers.append(str(header).strip())
    return headers


def merge_columns(defaults: Mapping[str, Source], config, *, path: str = "") -> dict[str, Source]:
    """``defaults`` with the header names of ``config`` (the parsed file) merged in, after checking it whole.

    ``config`` maps a source key to ``{field: [names…]}`` (names added to the built-in ones) or
    ``{field: {"add": [names…], "replace": [names…]}}`` (``replace`` instead of the built-in names, then
    ``add``). Raises :class:`ColumnsFileError` listing every problem: unknown sources or fields, empty or
    malformed names, a name that would belong to two columns of the same source.
    """
    errors: list[str] = []
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ColumnsFileError(path, [gettext("文件内容应为“来源 → 字段 → 列名”的映射")])
    merged = dict(defaults)
    for key, fields in config.items():
        source = defaults.get(str(key))
        if source is None:
            errors.append(gettext("%(key)s: 未知的数据来源，可用：%(defaults)s") % {
                "key": key, "defaults": '、'.join(defaults)})
            continue
        if not isinstance(fields, dict) or not fields:
            errors.append(gettext("%(key)s: 应为“字段 → 列名”的映射") % {"key": key})
            continue
        by_field = {column.field: column for column in source.columns}
        columns = dict(by_field)
        for field_name, spec in fields.items():
            where = f"{key}.{field_name}"
            column = by_field.get(str(field_name))
            if column is None:
                errors.append(gettext("%(where)s: 该来源没有此字段，可用：%(by_field)s") % {
                    "where": where, "by_field": '、'.join(by_field)})
                continue
            if isinstance(spec, dict):
                unknown = set(spec) - {"add", "replace"}
                if unknown or not spec:
                    errors.append(gettext("%(where)s: 只能有 add / replace") % {"where": where})
                    continue
                base = _header_list(spec["replace"], f"{where}.replace", errors) if "replace" in spec \
                    else list(column.headers)
                added = _header_list(spec["add"], f"{where}.add", errors) if "add" in spec else []
            else:
                base, added = list(column.headers), _header_list(spec, where, errors)
            headers = tuple(dict.fromkeys([*base, *added]))  # in order, without repeats
            if headers:
                columns[column.field] = replace(column, headers=headers)
        owners: dict[str, str] = {}
        for column in columns.values():
            for header in column.headers:
                normalised = normalise_header(header)
                other = owners.setdefault(normalised, column.field)
                if other != column.field:
                    errors.append(gettext("%(key)s: 列名“%(header)s”同时对应 %(other)s 和 %(field)s") % {
                        "key": key, "header": header, "other": other, "field": column.field})
        merged[source.key] = replace(source, columns=tuple(columns[c.field] for c in source.columns))
    if errors:
        raise ColumnsFileError(path, errors)
    return merged


def load_columns_file(path: str, defaults: Mapping[str, Source] | None = None) -> dict[str, Source]:
    """Read and check the YAML (or JSON) column-mapping file and merge it over ``defaults``."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            config = yaml.safe_load(handle)
    except OSError as exc:
        raise ColumnsFileError(path, [gettext("无法读取：%(error)s") % {"error": exc.strerror or exc}]) from exc
    except UnicodeDecodeError as exc:
        raise ColumnsFileError(path, [gettext("应为 UTF-8 编码")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = gettext("第 %(line)s 行：") % {"line": mark.line + 1} if mark is not None else ""
        problem = gettext("%(where)sYAML/JSON 格式错误（%(error)s）") % {
            "where": where, "error": getattr(exc, "problem", None) or exc}
        raise ColumnsFileError(path, [problem]) from exc
    return merge_columns(DEFAULT_SOURCES if defaults is None else defaults, config, path=path)


class ConfiguredSources(Mapping):
    """The sources in force: :data:`DEFAULT_SOURCES` merged with ``settings.DEPARTMENT_COLUMNS_FILE``.

    Read lazily and again whenever the file (or the setting) changes, so an edited file takes effect
    without a restart; a file that is wrong raises :class:`ColumnsFileError` (``manage.py check``
    reports it at deploy time).
    """

    def __init__(self, defaults: Mapping[str, Source]):
        self._defaults = defaults
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._sources: Mapping[str, Source] = defaults

    def current(self) -> Mapping[str, Source]:
        path = str(getattr(settings, "DEPARTMENT_COLUMNS_FILE", "") or "")
        if not path:
            return self._defaults
        try:
            stat = os.stat(path)
            key = (path, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (path, None, None)  # load_columns_file reports it
        with self._lock:
            if key != self._key:
                self._sources = load_columns_file(path, self._defaults)
                self._key = key
            return self._sources

    def __getitem__(self, key: str) -> Source:
        return self.current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.current())

    def __len__(self) -> int:
        return len(self.current())


SOURCES: Mapping[str, Source] = ConfiguredSources(DEFAULT_SOURCES)


def check_columns_file(app_configs=None, **kwargs):
    """System check (``manage.py check``, run at deploy): the configured column-mapping file is usable."""
    path = getattr(settings, "DEPARTMENT_COLUMNS_FILE", "")
    if not path:
        return []
    try:
        load_columns_file(path)
    except ColumnsFileError as exc:
        return [Error(str(exc), id="benefits_checks.E001",
                      hint=gettext("见 docs/department-checks.md “列名配置”"))]
    return []
