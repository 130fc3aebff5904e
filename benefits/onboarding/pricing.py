"""Discrepancies (金额不一致): the imported amount against what this service's rules give.

Each household of the file is assessed as it will stand after the import — its members as the file
gives them (with what the service records where a column is left empty), their income items, the
assets the service records (none for a new household) — by the same pure rule function as a
caseworker's assessment and the policy simulation (``benefits.rules.assess_household``), with the
standard and parameters in force for its community on the import's date (looked up once per
community, like ``benefits.simulation``). The recorded amount is never changed: a difference is listed
and opens a review (``services``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pandas as pd

from benefits import rules
from benefits.models import Asset, AssetKind, StudentStatus, WorkAbility
from benefits.onboarding.matching import Plan, cents_to_yuan, lookup, tuples
from reemployment.money import round_yuan

ZERO = Decimal("0.00")
MEMBER_COLUMNS = ("head_id", "is_head", "name", "new_birth_date", "new_sex", "new_three_no", "new_serious_illness",
                  "new_disability_grade", "new_student_status", "new_work_ability", "new_relation", "income_rewritten",
                  "income_cents", "income_kind_final", "kept_items")
HOUSEHOLD_COLUMNS = ("row", "household_id", "region_id", "area", "new_single_parent", "disaster", "amount_cents",
                     "new_number", "persons", "category")


def _assets(household_ids: list[int]) -> dict[int, rules.Assets]:
    totals: dict[int, list] = defaultdict(lambda: [Decimal(0), 0, 0])
    for household_id, kind, value in lookup(Asset.objects.all(), "household_id", household_ids,
                                            ("household_id", "kind", "value")):
        entry = totals[household_id]
        if kind == AssetKind.DEPOSIT:
            entry[0] += value
        elif kind == AssetKind.VEHICLE:
            entry[1] += 1
        elif kind == AssetKind.PROPERTY:
            entry[2] += 1
    return {pk: rules.Assets(deposits=d, vehicles=v, properties=p) for pk, (d, v, p) in totals.items()}


def _incomes(member, index: int) -> list[rules.Income]:
    """The member's income items after the import: the file's one item when it writes the income,
    else the items the service records (as ``selectors.rule_inputs`` reads them)."""
    if member.income_rewritten:
        if member.income_cents <= 0:
            return []
        return [rules.Income(member_index=index, kind=member.income_kind_final,
                             monthly_amount=cents_to_yuan(member.income_cents))]
    out = []
    for item in member.kept_items or ():
        if item.quantity is not None and not (isinstance(item.quantity, float) and np.isnan(item.quantity)):
            out.append(rules.Income(member_index=index, kind=item.kind, monthly_amount=Decimal(0),
                                    quantity=item.quantity, unit=item.unit))
        else:
            out.append(rules.Income(member_index=index, kind=item.kind, monthly_amount=item.monthly_amount,
                                    work_costs=item.work_costs if item.kind == "wages" else Decimal(0)))
    return out


def discrepancies(plan: Plan, as_of: dt.date) -> list[dict]:
    """Every household whose recorded amount differs from the rules' amount, in file order."""
    h = plan.households
    known = [int(i) for i in h["household_id"].dropna()]
    assets = _assets(known)
    members_of: dict[str, list] = defaultdict(list)
    for position, member in enumerate(tuples(plan.members, MEMBER_COLUMNS)):
        members_of[member.head_id].append((position, member))
    found = []
    for household in tuples(h, HOUSEHOLD_COLUMNS, index=True):
        head_id = household.Index
        standard, params = plan.policy[(household.region_id, household.area)]
        rule_members, incomes = [], []
        for index, (position, member) in enumerate(members_of[head_id]):
            rule_members.append(rules.Member(
                birth_date=member.new_birth_date, sex=member.new_sex, three_no=bool(member.new_three_no),
                serious_illness=bool(member.new_serious_illness),
                severe_disability=int(member.new_disability_grade) in (1, 2),
                single_parent=bool(household.new_single_parent),
                university_student=member.new_student_status == StudentStatus.UNIVERSITY,
                work_ability=member.new_work_ability != WorkAbility.NONE, disaster=bool(household.disaster),
                relation=member.new_relation))
            incomes.extend(_incomes(member, index))
        known_household = not pd.isna(household.household_id)
        household_assets = assets.get(int(household.household_id), rules.Assets()) if known_household else rules.Assets()
        recorded = cents_to_yuan(household.amount_cents)
        try:
            assessment = rules.assess_household(rule_members, incomes, household_assets, household.area, standard,
                                                params, as_of)
        except rules.RuleInputError as exc:
            computed, category, explanation = ZERO, "", str(exc)
        else:
            computed = round_yuan(assessment.monthly_amount) if assessment.eligible else ZERO
            category = assessment.category or ""
            explanation = "；".join([*assessment.explanation, *assessment.reasons])
        if computed == recorded:
            continue
        head = members_of[head_id][0][1] if members_of[head_id] else None
        for _position, member in members_of[head_id]:
            if member.is_head:
                head = member
        found.append({
            "row": int(household.row), "head_id": head_id,
            "household_id": int(household.household_id) if known_household else None,
            "household_number": household.new_number, "region_id": int(household.region_id),
            "head_name": head.name if head is not None else "", "persons": int(household.persons),
            "category": household.category, "recorded_amount": recorded, "computed_category": category,
            "computed_amount": computed, "difference": recorded - computed, "explanation": explanation,
        })
    return found
