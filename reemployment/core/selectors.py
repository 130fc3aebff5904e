"""Reads of shared records: standards and parameters in force on a date, regions, audit."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from reemployment.core.errors import DomainError
from reemployment.core.models import Area, AuditEvent, ParameterSet, Region, Standard
from reemployment.core.scoping import scope
from reemployment.policy.parameters import PolicyParameters, build_parameters


def region_by_code(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise DomainError(_("未知的行政区划代码 %(code)s") % {"code": code}, code="unknown_region") from None


def ancestor_codes(region: Region) -> list[str]:
    return [c for c in region.path.split("/") if c]


def _no_standard(region: Region, area: str, as_of: dt.date) -> DomainError:
    return DomainError(
        f"{region.name}在{as_of}没有生效的{'城市' if area == 'urban' else '农村'}低保标准 / "
        f"no {area} standard in force for {region.code} on {as_of}",
        code="no_standard",
    )


def _pick_standard(codes: list[str], candidates: list[Standard]) -> Standard | None:
    """The most specific region wins; within it the latest valid_from (``candidates``: standards of the
    area in force on the date, of any of ``codes``)."""
    depth = {code: i for i, code in enumerate(codes)}
    mine = [s for s in candidates if s.region.code in depth]
    mine.sort(key=lambda s: (depth[s.region.code], s.valid_from), reverse=True)
    return mine[0] if mine else None


def _merge_overrides(codes: list[str], sets: list[ParameterSet]) -> dict:
    """For each key, the most specific region's latest set (``sets``: in force on the date, of any region)."""
    depth = {code: i for i, code in enumerate(codes)}
    mine = [s for s in sets if s.region.code in depth]
    mine.sort(key=lambda s: (depth[s.region.code], s.valid_from))
    merged: dict = {}
    for parameter_set in mine:  # least specific and oldest first; later ones override
        merged.update(parameter_set.values)
    return merged


def standard_in_force(region: Region, area: str, as_of: dt.date) -> Standard:
    """The guarantee standard for ``area`` in force on ``as_of`` for the region's county
    (or the nearest ancestor that sets one)."""
    codes = ancestor_codes(region)
    candidates = list(
        Standard.objects.filter(region__code__in=codes, area=area, valid_from__lte=as_of).select_related("region")
    )
    standard = _pick_standard(codes, candidates)
    if standard is None:
        raise _no_standard(region, area, as_of)
    return standard


def parameter_overrides_in_force(region: Region, as_of: dt.date) -> dict:
    """The raw override values in force: for each key, the most specific region's latest set."""
    codes = ancestor_codes(region)
    sets = list(
        ParameterSet.objects.filter(region__code__in=codes, valid_from__lte=as_of).select_related("region")
    )
    return _merge_overrides(codes, sets)


def policy_in_force(regions, as_of: dt.date) -> dict[tuple[int, str], tuple[Standard | DomainError, PolicyParameters]]:
    """``standard_in_force`` and ``parameters_in_force`` for many regions and both areas in two queries:
    (region id, area) → (the standard, or the ``DomainError`` ``standard_in_force`` would raise; the
    parameters). The same choice as one region at a time."""
    regions = list(regions)
    codes_of = {region.pk: ancestor_codes(region) for region in regions}
    every_code = {code for codes in codes_of.values() for code in codes}
    standards = list(Standard.objects.filter(region__code__in=every_code, valid_from__lte=as_of)
                     .select_related("region"))
    sets = list(ParameterSet.objects.filter(region__code__in=every_code, valid_from__lte=as_of)
                .select_related("region"))
    by_area = {area: [s for s in standards if s.area == area] for area in Area.values}
    result = {}
    for region in regions:
        codes = codes_of[region.pk]
        params = build_parameters(_merge_overrides(codes, sets))
        for area, candidates in by_area.items():
            standard = _pick_standard(codes, candidates)
            result[(region.pk, area)] = (standard if standard is not None else _no_standard(region, area, as_of),
                                         params)
    return result


def parameters_in_force(region: Region, as_of: dt.date) -> PolicyParameters:
    """Typed rule parameters in force for the region on ``as_of`` (defaults where unset)."""
    return build_parameters(parameter_overrides_in_force(region, as_of))


def audit_events_for(user) -> QuerySet:
    return scope(AuditEvent.objects.select_related("actor", "region"), user)
