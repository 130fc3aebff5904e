"""Policy what-if simulation (政策测算): what a draft policy file would do to a county's households.

``policy_simulate`` loads a draft policy file (the ``load_policy`` format, docs/policy-file.md) with the
existing loader inside a savepoint that is always rolled back, and assesses every household of the
county under the current and the draft policy for one month, with the same pure rule function as a
caseworker's assessment (``benefits.rules.assess_household``). Nothing is written; the run is audited
as a read (``policy.simulate``) after the rollback.

Set-based: households, members, income items and assets are read in four queries for the whole county;
standards and parameters are resolved once per community (not per household); the rules run in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from benefits import rules
from benefits.models import Asset, AssetKind, Household, IncomeItem, Member, StudentStatus, WorkAbility
from reemployment.core import audit
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, Role
from reemployment.core.permissions import require
from reemployment.core.policy_loader import PolicyFileError, load_policy_text
from reemployment.core.selectors import parameters_in_force, standard_in_force
from reemployment.money import format_yuan

SIMULATE_ROLES = frozenset({Role.COUNTY, Role.ADMIN})
NOT_ELIGIBLE = "-"  # the "category" of a household that would receive nothing
ZERO = Decimal("0.00")


class _Rollback(Exception):
    """Raised inside the draft's savepoint so that it is always rolled back."""


@dataclass(frozen=True)
class _Inputs:
    """One household as the rules see it (current members only)."""

    household_id: int
    number: str
    region_id: int
    area: str
    members: tuple
    incomes: tuple
    assets: rules.Assets


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


def _inputs_for_county(county: Region, as_of: dt.date) -> tuple[list[_Inputs], dict[int, Region], int]:
    """Every household of the county as rule inputs, in four queries. Mirrors ``selectors.rule_inputs``
    (severe disability = grade 1 or 2, as ``Member.severe_disability``)."""
    households = list(
        Household.objects.filter(region__path__startswith=county.path)
        .select_related("region").order_by("id")
        .only("id", "number", "area", "single_parent", "disaster", "region")
    )
    regions = {h.region_id: h.region for h in households}
    members_of: dict[int, list] = defaultdict(list)
    member_qs = (Member.objects.filter(household__region__path__startswith=county.path, birth_date__lte=as_of)
                 .exclude(died_on__lte=as_of).exclude(left_on__lte=as_of).order_by("id")
                 .values_list("id", "household_id", "birth_date", "sex", "three_no", "serious_illness",
                              "disability_grade", "student_status", "work_ability", "relation"))
    for row in member_qs.iterator(chunk_size=5000):
        members_of[row[1]].append(row)
    incomes_of: dict[int, list] = defaultdict(list)
    for row in (IncomeItem.objects.filter(household__region__path__startswith=county.path).order_by("id")
                .values_list("household_id", "member_id", "kind", "monthly_amount", "quantity", "unit", "work_costs")
                .iterator(chunk_size=5000)):
        incomes_of[row[0]].append(row)
    assets_of: dict[int, list[int | Decimal]] = defaultdict(lambda: [Decimal(0), 0, 0])
    for household_id, kind, value in (Asset.objects.filter(household__region__path__startswith=county.path)
                                      .values_list("household_id", "kind", "value").iterator(chunk_size=5000)):
        totals = assets_of[household_id]
        if kind == AssetKind.DEPOSIT:
            totals[0] += value
        elif kind == AssetKind.VEHICLE:
            totals[1] += 1
        elif kind == AssetKind.PROPERTY:
            totals[2] += 1

    result = []
    without_members = 0
    for household in households:
        members = members_of.get(household.pk, [])
        if not members:
            without_members += 1
            continue
        index = {row[0]: i for i, row in enumerate(members)}
        rule_members = tuple(
            rules.Member(
                birth_date=birth_date, sex=sex, three_no=three_no, serious_illness=serious_illness,
                severe_disability=disability_grade in (1, 2), single_parent=household.single_parent,
                university_student=student_status == StudentStatus.UNIVERSITY,
                work_ability=work_ability != WorkAbility.NONE, disaster=household.disaster, relation=relation,
            )
            for (_id, _h, birth_date, sex, three_no, serious_illness, disability_grade, student_status,
                 work_ability, relation) in members
        )
        incomes = []
        for _h, member_id, kind, monthly_amount, quantity, unit, work_costs in incomes_of.get(household.pk, ()):
            if member_id not in index:
                continue  # a member who has left or died: not counted (as in selectors.rule_inputs)
            if quantity is not None:
                incomes.append(rules.Income(member_index=index[member_id], kind=kind, monthly_amount=Decimal(0),
                                            quantity=quantity, unit=unit))
            else:
                incomes.append(rules.Income(member_index=index[member_id], kind=kind, monthly_amount=monthly_amount,
                                            work_costs=work_costs if kind == "wages" else Decimal(0)))
        deposits, vehicles, properties = assets_of[household.pk] if household.pk in assets_of else (Decimal(0), 0, 0)
        result.append(_Inputs(household.pk, household.number, household.region_id, household.area, rule_members,
                               tuple(incomes), rules.Assets(deposits=deposits, vehicles=vehicles,
                                                            properties=properties)))
    return result, regions, without_members


def _policy_by_region(regions: dict[int, Region], as_of: dt.date) -> dict[tuple[int, str], tuple]:
    """(region id, area) → (standard or None, parameters) in force: a few queries per community."""
    policy = {}
    for region_id, region in regions.items():
        params = parameters_in_force(region, as_of)
        for area in rules.AREAS:
            try:
                standard = standard_in_force(region, area, as_of).monthly_amount
            except DomainError:
                standard = None
            policy[(region_id, area)] = (standard, params)
    return policy


def _assess_all(inputs: list[_Inputs], policy: dict, as_of: dt.date) -> dict[int, _Outcome | None]:
    outcomes: dict[int, _Outcome | None] = {}
    for household in inputs:
        standard, params = policy[(household.region_id, household.area)]
        if standard is None:
            outcomes[household.household_id] = None
            continue
        try:
            assessment = rules.assess_household(household.members, household.incomes, household.assets,
                                                household.area, standard, params, as_of)
        except rules.RuleInputError:
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
    inputs, regions, without_members = _inputs_for_county(county, as_of)
    current_policy = _policy_by_region(regions, as_of)
    draft_policy: dict = {}
    try:
        with transaction.atomic():
            load = load_policy_text(text, actor="system:policy_simulate")
            report.draft_summary = (
                _("标准：新建 %(standards_created)s，更新 %(standards_updated)s；参数：新建 %(parameter_sets_created)s，"
                  "更新 %(parameter_sets_updated)s") % vars(load))
            # The draft may have moved a region: re-read the paths inside the savepoint.
            draft_regions = Region.objects.in_bulk(list(regions))
            draft_policy = _policy_by_region(draft_regions, as_of)
            raise _Rollback
    except _Rollback:
        pass
    current = _assess_all(inputs, current_policy, as_of)
    draft = _assess_all(inputs, draft_policy, as_of)

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
