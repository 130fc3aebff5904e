"""Pure benefit rules (DESIGN.md §2, §4): no Django, no database, no clock.

Frozen dataclasses in, frozen dataclasses out; the date and the policy parameters are
arguments. The same functions serve case work, payroll, the API and the public self-check.
"""

from benefits.rules.classification import (
    CATEGORIES,
    REASON_DEPOSITS,
    REASON_INCOME,
    REASON_PROPERTIES,
    REASON_VEHICLES,
    Assessment,
    assess_household,
    household_category,
)
from benefits.rules.household import AREAS, INCOME_KINDS, SEXES, Assets, Income, Member, RuleInputError
from benefits.rules.incentives import (
    PublicLabour,
    Transition,
    fast_track_eligible,
    fast_track_window_end,
    public_labour_shortfall,
    transition_benefit,
    transition_end_date,
)
from benefits.rules.income import CountedIncome, HouseholdIncome, count_household_income, count_income_item

__all__ = (
    "AREAS",
    "CATEGORIES",
    "INCOME_KINDS",
    "REASON_DEPOSITS",
    "REASON_INCOME",
    "REASON_PROPERTIES",
    "REASON_VEHICLES",
    "SEXES",
    "Assessment",
    "Assets",
    "CountedIncome",
    "HouseholdIncome",
    "Income",
    "Member",
    "PublicLabour",
    "RuleInputError",
    "Transition",
    "assess_household",
    "count_household_income",
    "count_income_item",
    "fast_track_eligible",
    "fast_track_window_end",
    "household_category",
    "public_labour_shortfall",
    "transition_benefit",
    "transition_end_date",
)
