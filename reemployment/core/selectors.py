"""Reads of shared records: standards and parameters in force on a date, regions, audit."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from reemployment.core.errors import DomainError
from reemployment.core.models import AuditEvent, ParameterSet, Region, Standard
from reemployment.core.scoping import scope
from reemployment.policy.parameters import PolicyParameters, build_parameters


def region_by_code(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise DomainError(_("未知的行政区划代码 %(code)s") % {"code": code}, code="unknown_region") from None


def ancestor_codes(region: Region) -> list[str]:
    return [c for c in region.path.split("/") if c]


def standard_in_force(region: Region, area: str, as_of: dt.date) -> Standard:
    """The guarantee standard for ``area`` in force on ``as_of`` for the region's county
    (or the nearest ancestor that sets one)."""
    codes = ancestor_codes(region)
    candidates = list(
        Standard.objects.filter(region__code__in=codes, area=area, valid_from__lte=as_of)
        .select_related("region")
        .order_by("-valid_from")
    )
    if not candidates:
        raise DomainError(
            f"{region.name}在{as_of}没有生效的{'城市' if area == 'urban' else '农村'}低保标准 / "
            f"no {area} standard in force for {region.code} on {as_of}",
            code="no_standard",
        )
    # The most specific region wins; within it the latest valid_from.
    depth = {code: i for i, code in enumerate(codes)}
    candidates.sort(key=lambda s: (depth[s.region.code], s.valid_from), reverse=True)
    return candidates[0]


def parameter_overrides_in_force(region: Region, as_of: dt.date) -> dict:
    """The raw override values in force: for each key, the most specific region's latest set."""
    codes = ancestor_codes(region)
    depth = {code: i for i, code in enumerate(codes)}
    sets = list(
        ParameterSet.objects.filter(region__code__in=codes, valid_from__lte=as_of).select_related("region")
    )
    sets.sort(key=lambda s: (depth[s.region.code], s.valid_from))
    merged: dict = {}
    for parameter_set in sets:  # least specific and oldest first; later ones override
        merged.update(parameter_set.values)
    return merged


def parameters_in_force(region: Region, as_of: dt.date) -> PolicyParameters:
    """Typed rule parameters in force for the region on ``as_of`` (defaults where unset)."""
    return build_parameters(parameter_overrides_in_force(region, as_of))


def audit_events_for(user) -> QuerySet:
    return scope(AuditEvent.objects.select_related("actor", "region"), user)
