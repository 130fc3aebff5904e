"""Is an enrolment's amount priced with the policy in force? (提标, issue 14 §1)

An enrolment is priced on ``priced_on`` (its start date when empty). A standard of its area, or a
parameter set changing an amount parameter (``PARAMETERS_USED`` of the assessment), that comes into
force after that date and on or before the month makes its amount stale until
``apply_standard_change`` re-prices it. Plain queries on models only: the payroll imports this.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from benefits.models import PAYABLE_STATUSES, Enrolment, EnrolmentStatus
from benefits.rules.classification import PARAMETERS_USED
from reemployment.core.models import ParameterSet, Region, Standard


def _ancestor_codes(region: Region) -> list[str]:
    return [c for c in region.path.split("/") if c]


def policy_rows(county: Region, month: dt.date) -> dict:
    """The policy rows that price a county's amounts for ``month``: the latest standard per area and
    the latest parameter set touching amounts (``None`` when there is none)."""
    codes = _ancestor_codes(county)
    in_scope = Q(region__code__in=codes) | Q(region__path__startswith=county.path)
    rows: dict = {}
    for area in ("urban", "rural"):
        rows[area] = (Standard.objects.filter(in_scope, area=area, valid_from__lte=month)
                      .select_related("region").order_by("-valid_from", "-id").first())
    amount_sets = [p for p in ParameterSet.objects.filter(in_scope, valid_from__lte=month)
                   .select_related("region").order_by("-valid_from", "-id")
                   if set(p.values or {}) & set(PARAMETERS_USED)]
    rows["parameters"] = amount_sets[0] if amount_sets else None
    return rows


def policy_changed_on(county: Region, month: dt.date, area: str) -> dt.date | None:
    """The latest date on or before ``month`` from which an area's amounts changed in the county."""
    rows = policy_rows(county, month)
    dates = [row.valid_from for row in (rows[area], rows["parameters"]) if row is not None]
    return max(dates, default=None)


def county_enrolments(county: Region) -> QuerySet:
    return Enrolment.objects.filter(household__region__path__startswith=county.path)


def stale_enrolments(county: Region, month: dt.date) -> QuerySet:
    """Payable or suspended enrolments of the county whose amount predates the policy of ``month``."""
    priced = Coalesce(F("priced_on"), F("start_date"))
    qs = county_enrolments(county).filter(
        status__in=(*PAYABLE_STATUSES, EnrolmentStatus.SUSPENDED)).annotate(priced=priced)
    condition = Q(pk__in=[])
    for area in ("urban", "rural"):
        changed = policy_changed_on(county, month, area)
        if changed is not None:
            condition |= Q(area=area, priced__lt=changed)
    return qs.filter(condition)
