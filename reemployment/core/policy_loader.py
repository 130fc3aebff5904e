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
from django.utils.translation import gettext as _

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


def _at(line: int | str, problem: str) -> str:
    """One problem of the file with its line: "第 3 行：…" ("line 3: …" in English)."""
    return _("第 %(line)s 行：%(problem)s") % {"line": line, "problem": problem}


def _key_line(mapping: dict, key: str) -> int | str:
    return mapping.get("__key_lines__", {}).get(key, mapping.get("__line__", "?"))


def _section(data: dict, key: str, errors: list[str]) -> list:
    """A top-level section: a list of entries (absent or empty = none)."""
    value = data.get(key)
    if value is None:
        return _LineList()
    if not isinstance(value, list):
        errors.append(_at(_key_line(data, key), _("%(key)s 必须是条目列表（每条以“- ”开头），而不是 %(type)s")
                          % {"key": key, "type": type(value).__name__}))
        return _LineList()
    return value


def _entries(items: list, what: str, errors: list[str]):
    """(line, entry) for each mapping in a section; anything else is a line-level error."""
    for index, item in enumerate(items):
        line = items.line(index) if isinstance(items, _LineList) else "?"
        if not isinstance(item, dict):
            errors.append(_at(line, _("%(what)s条目必须是映射：%(item)r") % {"what": what, "item": item}))
            continue
        yield item.get("__line__", line), item


def parse_policy(text: str) -> tuple[list[_RegionSpec], list[dict], list[dict]]:
    """Parse and validate; raise PolicyFileError with every problem found."""
    errors: list[str] = []
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = _("不是有效的YAML：%(problem)s") % {"problem": getattr(exc, "problem", exc)}
        raise PolicyFileError([_at(mark.line + 1, problem) if mark else problem]) from exc
    if data is None:
        raise PolicyFileError([_at(1, _("文件为空"))])
    if not isinstance(data, dict):
        raise PolicyFileError([_at(1, _("顶层必须是映射"))])
    unknown = _keys(data) - {"regions", "standards", "parameters"}
    for key in sorted(unknown, key=str):
        errors.append(_at(_key_line(data, key), _("未知的顶层键 %(key)r") % {"key": key}))

    regions: list[_RegionSpec] = []
    known_codes: set[str] = set(Region.objects.values_list("code", flat=True))
    seen: dict[str, int | str] = {}

    def walk(items, parent: _RegionSpec | None):
        for line, item in _entries(items, _("区划"), errors):
            extra = _keys(item) - {"code", "name", "level", "area", "children"}
            if extra:
                errors.append(_at(line, _("区划含未知键 %(keys)s") % {"keys": sorted(extra)}))
            code = str(item.get("code", "")).strip()
            name = str(item.get("name", "")).strip()
            level = str(item.get("level", "")).strip()
            area = str(item.get("area", "") or "").strip()
            if not code.isdigit():
                errors.append(_at(line, _("区划代码必须是数字：%(code)r") % {"code": code}))
            if not name:
                errors.append(_at(line, _("区划 %(code)s 缺少名称") % {"code": code}))
            if level not in RegionLevel.values:
                errors.append(_at(line, _("未知级别 %(level)r（可选 %(levels)s）") % {"level": level, "levels": RegionLevel.values}))
            elif len(code) != CODE_LENGTH[level]:
                errors.append(_at(line, _("%(level)s 级代码应为%(digits)s位：%(code)s")
                                  % {"level": level, "digits": CODE_LENGTH[level], "code": code}))
            if area and area not in Area.values:
                errors.append(_at(line, _("城乡应为 urban 或 rural：%(area)r") % {"area": area}))
            if parent is not None and level in RegionLevel.values and parent.level in RegionLevel.values:
                if LEVEL_ORDER.index(parent.level) >= LEVEL_ORDER.index(level):
                    errors.append(_at(line, _("%(code)s 的级别不低于上级") % {"code": code}))
                prefix = code_prefix(parent.code, parent.level)
                if not code.startswith(prefix):
                    errors.append(_at(line, _("%(code)s 不以上级代码 %(prefix)s 开头") % {"code": code, "prefix": prefix}))
            if code in seen:
                errors.append(_at(line, _("区划代码重复 %(code)s（第 %(other)s 行已有）") % {"code": code, "other": seen[code]}))
            else:
                seen[code] = line
            spec = _RegionSpec(code, name, level, area, parent.code if parent else None, line)
            regions.append(spec)
            children = item.get("children")
            if children is not None and not isinstance(children, list):
                errors.append(_at(_key_line(item, "children"), _("children 必须是列表")))
            elif children:
                walk(children, spec)

    walk(_section(data, "regions", errors), None)
    all_codes = known_codes | set(seen)

    standards: list[dict] = []
    for line, item in _entries(_section(data, "standards", errors), _("标准"), errors):
        extra = _keys(item) - {"region", "area", "monthly_amount", "valid_from", "note"}
        if extra:
            errors.append(_at(line, _("标准含未知键 %(keys)s") % {"keys": sorted(extra)}))
        region = str(item.get("region", ""))
        if region not in all_codes:
            errors.append(_at(line, _("未知区划 %(region)s") % {"region": region}))
        if item.get("area") not in Area.values:
            errors.append(_at(line, _("城乡应为 urban 或 rural")))
        amount = _amount(item.get("monthly_amount"), line, "monthly_amount", errors)
        if amount is not None and amount <= 0:
            errors.append(_at(line, _("标准必须大于0")))
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
    _duplicates(standards, ("region", "area", "valid_from"), _("标准重复，与第 %(other)s 行相同 %(key)s"), errors)

    parameter_sets: list[dict] = []
    for line, item in _entries(_section(data, "parameters", errors), _("参数"), errors):
        extra = _keys(item) - {"region", "valid_from", "values", "note"}
        if extra:
            errors.append(_at(line, _("参数含未知键 %(keys)s") % {"keys": sorted(extra)}))
        region = str(item.get("region", ""))
        if region not in all_codes:
            errors.append(_at(line, _("未知区划 %(region)s") % {"region": region}))
        valid_from = _date(item.get("valid_from"), line, errors)
        values = item.get("values")
        if not isinstance(values, dict):
            errors.append(_at(line, _("values 必须是映射")))
            continue
        values_line = values.get("__line__", line)
        stored = {}
        for name, raw in _strip_line(values).items():
            if isinstance(raw, float):
                errors.append(_at(values_line, _("%(name)s：金额和比例请写成带引号的字符串（\"0.30\"），不要写成小数")
                                  % {"name": name}))
                continue
            try:
                stored[name] = to_jsonable(name, coerce_value(name, raw))
            except ParameterError as exc:
                # A list value (application_stages) names the item at fault: report that item's line.
                items = values.get(name)
                line = items.line(exc.index) if exc.index is not None and isinstance(items, _LineList) else values_line
                errors.append(_at(line, _(exc.message) % exc.values))
        parameter_sets.append(
            {"region": region, "valid_from": valid_from, "values": stored, "note": str(item.get("note", "")), "line": line}
        )
    _duplicates(parameter_sets, ("region", "valid_from"), _("参数重复，与第 %(other)s 行相同 %(key)s"), errors)
    if errors:
        raise PolicyFileError(errors)
    return regions, standards, parameter_sets


def _duplicates(entries: list[dict], key_fields: tuple[str, ...], message: str, errors: list[str]) -> None:
    """Two entries for the same key (region, area, date): the file is ambiguous, refuse it."""
    first_line: dict[tuple, int | str] = {}
    for entry in entries:
        key = tuple(entry[name] for name in key_fields)
        if not all(isinstance(part, (str, dt.date)) for part in key):
            continue  # a bad date or area: already reported
        if key in first_line:
            label = " ".join(str(part) for part in key)
            errors.append(_at(entry["line"], message % {"other": first_line[key], "key": label}))
        else:
            first_line[key] = entry["line"]


def _amount(raw, line, name, errors) -> Decimal | None:
    if isinstance(raw, float):
        errors.append(_at(line, _("%(name)s 请写成带引号的字符串，例如 \"150.00\"") % {"name": name}))
        return None
    try:
        return to_decimal(str(raw) if isinstance(raw, int) else raw)
    except (TypeError, ValueError):
        errors.append(_at(line, _("%(name)s 不是金额：%(raw)r") % {"name": name, "raw": raw}))
        return None


def _date(raw, line, errors) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        errors.append(_at(line, _("valid_from 日期应为 YYYY-MM-DD：%(raw)r") % {"raw": raw}))
        return None


def _save_region(actor, region: Region, spec: _RegionSpec) -> Region:
    try:
        return region_save(actor=actor, region=region)
    except DomainError as exc:  # rolls the whole load back
        raise PolicyFileError([_at(spec.line, exc.message)]) from exc


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
