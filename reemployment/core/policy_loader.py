"""``load_policy``: regions, standards and rule parameters from a YAML file.

The whole file is validated first (every problem reported with its line), then
written in one transaction; loading the same file again changes nothing. Each
change that is written is audited. Format: docs/policy-file.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django.db import transaction

from reemployment.core import audit
from reemployment.core.errors import DomainError
from reemployment.core.models import (
    CODE_LENGTH,
    LEVEL_ORDER,
    Area,
    ParameterSet,
    Region,
    RegionLevel,
    Standard,
    code_prefix,
)
from reemployment.core.services import region_save
from reemployment.money import to_decimal
from reemployment.policy.parameters import ParameterError, coerce_value, to_jsonable


class PolicyFileError(Exception):
    """The file was rejected whole; ``errors`` lists "line N: problem" strings."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers lines: of every mapping (key ``__line__``), of each of its
    values (``__key_lines__``), and of every item of a list (``_LineList.lines``)."""


class _LineList(list):
    lines: list[int]

    def line(self, index: int) -> int | str:
        return self.lines[index] if index < len(self.lines) else "?"


LINE_KEYS = {"__line__", "__key_lines__"}


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    key_lines = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (str, int)):
            key_lines[key] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__key_lines__"] = key_lines
    return mapping


def _construct_sequence(loader, node, deep=False):
    items = _LineList(yaml.SafeLoader.construct_sequence(loader, node, deep=True))
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text until we parse them ourselves, so a bad date is a line-level error, not a crash.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LoadReport:
    regions_created: int = 0
    regions_updated: int = 0
    standards_created: int = 0
    standards_updated: int = 0
    parameter_sets_created: int = 0
    parameter_sets_updated: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return (
            self.regions_created
            + self.regions_updated
            + self.standards_created
            + self.standards_updated
            + self.parameter_sets_created
            + self.parameter_sets_updated
        )


@dataclass
class _RegionSpec:
    code: str
    name: str
    level: str
    area: str
    parent_code: str | None
    line: int


def _strip_line(value):
    if isinstance(value, dict):
        return {k: _strip_line(v) for k, v in value.items() if k not in LINE_KEYS}
    if isinstance(value, list):
        return [_strip_line(v) for v in value]
    return value


def _keys(mapping: dict) -> set:
    return set(mapping) - LINE_KEYS


def _key_line(mapping: dict, key: str) -> int | str:
    return mapping.get("__key_lines__", {}).get(key, mapping.get("__line__", "?"))


def _section(data: dict, key: str, errors: list[str]) -> list:
    """A top-level section: a list of entries (absent or empty = none)."""
    value = data.get(key)
    if value is None:
        return _LineList()
    if not isinstance(value, list):
        errors.append(f"line {_key_line(data, key)}: {key} 必须是条目列表 / {key} must be a list of entries "
                      f"(each starting with \"- \"), not {type(value).__name__}")
        return _LineList()
    return value


def _entries(items: list, what: str, errors: list[str]):
    """(line, entry) for each mapping in a section; anything else is a line-level error."""
    for index, item in enumerate(items):
        line = items.line(index) if isinstance(items, _LineList) else "?"
        if not isinstance(item, dict):
            errors.append(f"line {line}: {what}条目必须是映射 / a {_ENGLISH.get(what, what)} entry must be a mapping: {item!r}")
            continue
        yield item.get("__line__", line), item


_ENGLISH = {"区划": "region", "标准": "standard", "参数": "parameter"}


def parse_policy(text: str) -> tuple[list[_RegionSpec], list[dict], list[dict]]:
    """Parse and validate; raise PolicyFileError with every problem found."""
    errors: list[str] = []
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise PolicyFileError([f"{line}不是有效的YAML / not valid YAML: {getattr(exc, 'problem', exc)}"]) from exc
    if data is None:
        raise PolicyFileError(["line 1: 文件为空 / the file is empty"])
    if not isinstance(data, dict):
        raise PolicyFileError(["line 1: 顶层必须是映射 / the top level must be a mapping"])
    unknown = _keys(data) - {"regions", "standards", "parameters"}
    for key in sorted(unknown, key=str):
        errors.append(f"line {_key_line(data, key)}: 未知的顶层键 {key!r} / unknown top-level key {key!r}")

    regions: list[_RegionSpec] = []
    known_codes: set[str] = set(Region.objects.values_list("code", flat=True))
    seen: dict[str, int | str] = {}

    def walk(items, parent: _RegionSpec | None):
        for line, item in _entries(items, "区划", errors):
            extra = _keys(item) - {"code", "name", "level", "area", "children"}
            if extra:
                errors.append(f"line {line}: 区划含未知键 {sorted(extra)} / unknown region keys {sorted(extra)}")
            code = str(item.get("code", "")).strip()
            name = str(item.get("name", "")).strip()
            level = str(item.get("level", "")).strip()
            area = str(item.get("area", "") or "").strip()
            if not code.isdigit():
                errors.append(f"line {line}: 区划代码必须是数字 / region code must be digits: {code!r}")
            if not name:
                errors.append(f"line {line}: 区划缺少名称 / region {code} has no name")
            if level not in RegionLevel.values:
                errors.append(f"line {line}: 未知级别 {level!r} / unknown level {level!r} (one of {RegionLevel.values})")
            elif len(code) != CODE_LENGTH[level]:
                errors.append(
                    f"line {line}: {level} 级代码应为{CODE_LENGTH[level]}位 / {level} code must have "
                    f"{CODE_LENGTH[level]} digits: {code}"
                )
            if area and area not in Area.values:
                errors.append(f"line {line}: 城乡应为 urban 或 rural / area must be urban or rural: {area!r}")
            if parent is not None and level in RegionLevel.values and parent.level in RegionLevel.values:
                if LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(level):
                    errors.append(f"line {line}: {code} 的级别不低于上级 / level must be below its parent's")
                prefix = code_prefix(parent.code, parent.level)
                if not code.startswith(prefix):
                    errors.append(f"line {line}: {code} 不以上级代码 {prefix} 开头 / must start with its parent's "
                                  f"code {prefix}")
            if code in seen:
                errors.append(f"line {line}: 区划代码重复 {code}（第 {seen[code]} 行已有）/ duplicate region code "
                              f"{code} (also line {seen[code]})")
            else:
                seen[code] = line
            spec = _RegionSpec(code, name, level, area, parent.code if parent else None, line)
            regions.append(spec)
            children = item.get("children")
            if children is not None and not isinstance(children, list):
                errors.append(f"line {_key_line(item, 'children')}: children 必须是列表 / children must be a list")
            elif children:
                walk(children, spec)

    walk(_section(data, "regions", errors), None)
    all_codes = known_codes | set(seen)

    standards: list[dict] = []
    for line, item in _entries(_section(data, "standards", errors), "标准", errors):
        extra = _keys(item) - {"region", "area", "monthly_amount", "valid_from", "note"}
        if extra:
            errors.append(f"line {line}: 标准含未知键 {sorted(extra)} / unknown standard keys {sorted(extra)}")
        region = str(item.get("region", ""))
        if region not in all_codes:
            errors.append(f"line {line}: 未知区划 {region} / unknown region {region}")
        if item.get("area") not in Area.values:
            errors.append(f"line {line}: 城乡应为 urban 或 rural / area must be urban or rural")
        amount = _amount(item.get("monthly_amount"), line, "monthly_amount", errors)
        if amount is not None and amount <= 0:
            errors.append(f"line {line}: 标准必须大于0 / monthly_amount must be positive")
        valid_from = _date(item.get("valid_from"), line, errors)
        standards.append(
            {
                "region": region,
                "area": item.get("area"),
                "monthly_amount": amount,
                "valid_from": valid_from,
                "note": str(item.get("note", "")),
                "line": line,
            }
        )
    _duplicates(standards, ("region", "area", "valid_from"), "标准", "standard", errors)

    parameter_sets: list[dict] = []
    for line, item in _entries(_section(data, "parameters", errors), "参数", errors):
        extra = _keys(item) - {"region", "valid_from", "values", "note"}
        if extra:
            errors.append(f"line {line}: 参数含未知键 {sorted(extra)} / unknown keys {sorted(extra)}")
        region = str(item.get("region", ""))
        if region not in all_codes:
            errors.append(f"line {line}: 未知区划 {region} / unknown region {region}")
        valid_from = _date(item.get("valid_from"), line, errors)
        values = item.get("values")
        if not isinstance(values, dict):
            errors.append(f"line {line}: values 必须是映射 / values must be a mapping")
            continue
        values_line = values.get("__line__", line)
        stored = {}
        for name, raw in _strip_line(values).items():
            if isinstance(raw, float):
                errors.append(
                    f"line {values_line}: {name}: 金额和比例请写成带引号的字符串 / write amounts and shares "
                    f"as quoted strings (\"0.30\"), not floats"
                )
                continue
            try:
                stored[name] = to_jsonable(name, coerce_value(name, raw))
            except ParameterError as exc:
                errors.append(f"line {values_line}: {exc}")
        parameter_sets.append(
            {"region": region, "valid_from": valid_from, "values": stored, "note": str(item.get("note", "")), "line": line}
        )
    _duplicates(parameter_sets, ("region", "valid_from"), "参数", "parameter set", errors)
    if errors:
        raise PolicyFileError(errors)
    return regions, standards, parameter_sets


def _duplicates(entries: list[dict], key_fields: tuple[str, ...], what: str, what_en: str, errors: list[str]) -> None:
    """Two entries for the same key (region, area, date): the file is ambiguous, refuse it."""
    first_line: dict[tuple, int | str] = {}
    for entry in entries:
        key = tuple(entry[name] for name in key_fields)
        if not all(isinstance(part, (str, dt.date)) for part in key):
            continue  # a bad date or area: already reported
        if key in first_line:
            label = " ".join(str(part) for part in key)
            errors.append(f"line {entry['line']}: {what}重复，与第 {first_line[key]} 行相同 {label} / duplicate "
                          f"{what_en} for {label} (also line {first_line[key]})")
        else:
            first_line[key] = entry["line"]


def _amount(raw, line, name, errors) -> Decimal | None:
    if isinstance(raw, float):
        errors.append(f"line {line}: {name} 请写成带引号的字符串 / write {name} as a quoted string, e.g. \"150.00\"")
        return None
    try:
        return to_decimal(str(raw) if isinstance(raw, int) else raw)
    except (TypeError, ValueError):
        errors.append(f"line {line}: {name} 不是金额 / {name} is not an amount: {raw!r}")
        return None


def _date(raw, line, errors) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        errors.append(f"line {line}: 日期应为 YYYY-MM-DD / valid_from must be a date YYYY-MM-DD: {raw!r}")
        return None


def _save_region(actor, region: Region, spec: _RegionSpec) -> Region:
    try:
        return region_save(actor=actor, region=region)
    except DomainError as exc:  # rolls the whole load back
        raise PolicyFileError([f"line {spec.line}: {exc.message}"]) from exc


def load_policy_text(text: str, *, actor=None) -> LoadReport:
    """Validate then write everything in one transaction. Idempotent."""
    regions, standards, parameter_sets = parse_policy(text)
    report = LoadReport()
    actor = actor or "system:load_policy"
    with transaction.atomic():
        by_code = {r.code: r for r in Region.objects.filter(code__in=[s.code for s in regions])}
        for spec in regions:  # parents come before children in the walk
            parent = by_code.get(spec.parent_code) if spec.parent_code else None
            existing = by_code.get(spec.code)
            wanted = {"name": spec.name, "level": spec.level, "area": spec.area, "parent_id": parent.pk if parent else None}
            if spec.parent_code is None and existing is not None:
                # A region at the top of the file keeps its place in the tree: a county's file does not
                # detach the county from the city a province's file put it under.
                wanted["parent_id"] = existing.parent_id
            if existing is None:
                region = Region(code=spec.code, parent=parent, name=spec.name, level=spec.level, area=spec.area)
                by_code[spec.code] = _save_region(actor, region, spec)
                report.regions_created += 1
            elif any(getattr(existing, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(existing, k, v)
                # Through the service: moving a region rewrites its subtree's paths (scoping) and is audited.
                _save_region(actor, existing, spec)
                report.regions_updated += 1
            else:
                report.unchanged += 1

        def region_of(code: str) -> Region:
            if code not in by_code:
                by_code[code] = Region.objects.get(code=code)
            return by_code[code]

        for item in standards:
            region = region_of(item["region"])
            existing = Standard.objects.filter(region=region, area=item["area"], valid_from=item["valid_from"]).first()
            if existing is None:
                standard = Standard.objects.create(
                    region=region, area=item["area"], monthly_amount=item["monthly_amount"],
                    valid_from=item["valid_from"], note=item["note"],
                )
                audit.record(actor=actor, action="standard.create", obj=standard, region=region,
                             after=audit.snapshot(standard))
                report.standards_created += 1
            elif existing.monthly_amount != item["monthly_amount"] or existing.note != item["note"]:
                before = audit.snapshot(existing)
                existing.monthly_amount = item["monthly_amount"]
                existing.note = item["note"]
                existing.save()
                audit.record(actor=actor, action="standard.update", obj=existing, region=region, before=before,
                             after=audit.snapshot(existing))
                report.standards_updated += 1
            else:
                report.unchanged += 1

        for item in parameter_sets:
            region = region_of(item["region"])
            existing = ParameterSet.objects.filter(region=region, valid_from=item["valid_from"]).first()
            if existing is None:
                parameter_set = ParameterSet.objects.create(
                    region=region, valid_from=item["valid_from"], values=item["values"], note=item["note"]
                )
                audit.record(actor=actor, action="parameters.create", obj=parameter_set, region=region,
                             after=audit.snapshot(parameter_set))
                report.parameter_sets_created += 1
            elif existing.values != item["values"] or existing.note != item["note"]:
                before = audit.snapshot(existing)
                existing.values = item["values"]
                existing.note = item["note"]
                existing.save()
                audit.record(actor=actor, action="parameters.update", obj=existing, region=region, before=before,
                             after=audit.snapshot(existing))
                report.parameter_sets_updated += 1
            else:
                report.unchanged += 1
    return report
