"""Policy what-if simulation (政策测算): what a draft policy file would do to a county's households.

``policy_simulate`` loads a draft policy file (the ``load_policy`` format, docs/policy-file.md) with the
existing loader inside a savepoint that is always rolled back, and assesses every household of the
county under the current and the draft policy for one month, with the same pure rule function as a
caseworker's assessment (``benefits.rules.assess_household``). Nothing is written; the run is audited
as a read (``policy.simulate``) after the rollback.

Set-based: households, members, income items and assets are read in a constant number of queries for the
whole county (``benefits.selectors.rule_inputs_bulk``, shared with the standard-raise re-pricing); standards
and parameters are resolved once per community (not per household); the rules run in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from benefits.models import Household
from benefits.selectors import BulkAssessor, HouseholdInputs, rule_inputs_bulk
from reemployment.core import audit
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, Role
from reemployment.core.permissions import require
from reemployment.core.policy_loader import PolicyFileError, load_policy_text
from reemployment.money import format_yuan

SIMULATE_ROLES = frozenset({Role.COUNTY, Role.ADMIN})
NOT_ELIGIBLE = "-"  # the "category" of a household that would receive nothing
ZERO = Decimal("0.00")


class _Rollback(Exception):
    """Raised inside the draft's savepoint so that it is always rolled back."""


@dataclass(frozen=True)
class _Outcome:
    category: str  # "A"/"B"/"C" or NOT_ELIGIBLE
    amount: Decimal
    persons: int


@dataclass
class SimulationReport:
    county_code: str
    county_name: str
    month: dt.date
    households_assessed: int = 0
    not_assessable: int = 0  # no current member, no standard in force, or inputs the rules refuse
    # (area, category) -> {"current"|"draft": [households, persons, monthly amount]}
    cells: dict = field(default_factory=dict)
    changes: list[dict] = field(default_factory=list)
    draft_sha256: str = ""
    draft_summary: str = ""

    def total(self, scenario: str) -> Decimal:
        return sum((cell[scenario][2] for cell in self.cells.values()), ZERO)

    @property
    def monthly_difference(self) -> Decimal:
        return self.total("draft") - self.total("current")

    @property
    def yearly_difference(self) -> Decimal:
        return self.monthly_difference * 12

    def counts(self) -> dict:
        gains = sum(1 for row in self.changes if row["draft_amount"] > row["current_amount"])
        losses = sum(1 for row in self.changes if row["draft_amount"] < row["current_amount"])
        moved = sum(1 for row in self.changes if row["draft_category"] != row["current_category"])
        return {"gains": gains, "losses": losses, "category_changes": moved, "changed": len(self.changes)}

    def as_json(self) -> dict:
        """Money as strings (yuan, two decimals); the change list in full."""
        areas: dict = {}
        for (area, category), cell in sorted(self.cells.items()):
            areas.setdefault(area, {})[category] = {
                scenario: {"households": values[0], "persons": values[1], "monthly_amount": format_yuan(values[2])}
                for scenario, values in cell.items()
            }
        return {
            "county": self.county_code,
            "county_name": self.county_name,
            "month": self.month.strftime("%Y-%m"),
            "draft_sha256": self.draft_sha256,
            "draft_summary": self.draft_summary,
            "households_assessed": self.households_assessed,
            "not_assessable": self.not_assessable,
            "areas": areas,
            "monthly_total": {"current": format_yuan(self.total("current")), "draft": format_yuan(self.total("draft"))},
            "monthly_difference": format_yuan(self.monthly_difference),
            "yearly_difference": format_yuan(self.yearly_difference),
            **self.counts(),
            "changes": [
                {**row, "current_amount": format_yuan(row["current_amount"]),
                 "draft_amount": format_yuan(row["draft_amount"]),
                 "difference": format_yuan(row["draft_amount"] - row["current_amount"])}
                for row in self.changes
            ],
        }


def _assess_all(inputs: list[HouseholdInputs], assess: BulkAssessor) -> dict[int, _Outcome | None]:
    """Each household's outcome, ``None`` when it cannot be assessed (no standard in force, inputs the
    rules refuse)."""
    outcomes: dict[int, _Outcome | None] = {}
    for household in inputs:
        try:
            assessment = assess(household)
        except DomainError:
            outcomes[household.household_id] = None
            continue
        category = assessment.category if assessment.eligible else NOT_ELIGIBLE
        outcomes[household.household_id] = _Outcome(category or NOT_ELIGIBLE, assessment.monthly_amount,
                                                     len(household.members))
    return outcomes


def _draft_text(draft_text: str | None, path) -> str:
    if (draft_text is None) == (path is None):
        raise DomainError(_("请给出政策草案：文本或文件路径，二者之一"))
    if draft_text is not None:
        return draft_text
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        raise DomainError(_("没有这个文件：%(file)s") % {"file": path}) from None
    except UnicodeDecodeError as exc:
        raise DomainError(_("%(file)s：文件须为UTF-8编码（%(error)s）") % {"file": path, "error": exc}) from None


def policy_simulate(*, actor, county: Region, month: dt.date, draft_text: str | None = None,
                    path=None) -> SimulationReport:
    """Assess every household of ``county`` for ``month`` under the current and the draft policy.

    Read-only: the draft is loaded by ``load_policy_text`` inside a savepoint that is always rolled
    back. A malformed draft raises ``PolicyFileError`` (every problem with its line) and changes
    nothing. Households are assessed from their recorded members, income items and assets (a
    household without income items has no income). The run is audited as a read.
    """
    require(actor, county, SIMULATE_ROLES, what=county.name)
    text = _draft_text(draft_text, path)
    as_of = month.replace(day=1)
    report = SimulationReport(county_code=county.code, county_name=county.name, month=as_of,
                              draft_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    everyone, regions = rule_inputs_bulk(Household.objects.filter(region__path__startswith=county.path), as_of)
    inputs = [household for household in everyone if household.members]
    without_members = len(everyone) - len(inputs)
    current_policy = BulkAssessor(regions, as_of)
    current_policy.preload()
    draft_policy = BulkAssessor({}, as_of)
    try:
        with transaction.atomic():
            load = load_policy_text(text, actor="system:policy_simulate")
            report.draft_summary = (
                _("标准：新建 %(standards_created)s，更新 %(standards_updated)s；参数：新建 %(parameter_sets_created)s，"
                  "更新 %(parameter_sets_updated)s") % vars(load))
            # The draft may have moved a region: re-read the paths inside the savepoint.
            draft_policy = BulkAssessor(Region.objects.in_bulk(list(regions)), as_of)
            draft_policy.preload()
            raise _Rollback
    except _Rollback:
        pass
    current = _assess_all(inputs, current_policy)
    draft = _assess_all(inputs, draft_policy)

    report.not_assessable = without_members
    for household in inputs:
        before, after = current[household.household_id], draft[household.household_id]
        if before is None or after is None:
            report.not_assessable += 1
            continue
        report.households_assessed += 1
        for scenario, outcome in (("current", before), ("draft", after)):
            cell = report.cells.setdefault((household.area, outcome.category),
                                           {"current": [0, 0, ZERO], "draft": [0, 0, ZERO]})[scenario]
            cell[0] += 1
            cell[1] += outcome.persons
            cell[2] += outcome.amount
        if before.amount != after.amount or before.category != after.category:
            report.changes.append({
                "household_id": household.household_id, "number": household.number,
                "community": regions[household.region_id].name, "area": household.area, "persons": after.persons,
                "current_category": before.category, "draft_category": after.category,
                "current_amount": before.amount, "draft_amount": after.amount,
            })

    with transaction.atomic():
        audit.record(actor=actor, action="policy.simulate", obj=county, region=county,
                     after={"month": as_of, "draft_sha256": report.draft_sha256,
                            "households_assessed": report.households_assessed, **report.counts(),
                            "monthly_difference": report.monthly_difference},
                     note=_("政策测算（只读，草案未写入）"))
    return report


__all__ = ("NOT_ELIGIBLE", "PolicyFileError", "SimulationReport", "policy_simulate")
