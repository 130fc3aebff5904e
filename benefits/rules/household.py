"""Inputs of the benefit rules: a household's members, income items and assets.

The household (户) is the unit of the benefit (保户不保人, DESIGN.md §2, [R1]). These frozen
dataclasses are what the rule functions take; services build them from the database, the
public self-check builds them from a form. Pure Python: no Django, no database, no clock.

Money is ``Decimal`` in yuan; strings and ints are accepted and converted, floats refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reemployment.money import to_decimal

__all__ = (
    "AREAS",
    "INCOME_KINDS",
    "SEXES",
    "Assets",
    "Income",
    "Member",
    "RuleInputError",
)

AREAS = ("urban", "rural")
SEXES = ("M", "F")
# Income types (家庭收入 by item, DESIGN.md §2): wages (工资), business (经营), pension (养老金),
# agricultural (农业, cash or in kind), support from legal supporters (赡养费 [R2]),
# transfers (转移性收入), other.
INCOME_KINDS = ("wages", "business", "pension", "agricultural", "support", "transfer", "other")


class RuleInputError(ValueError):
    """An input to a rule is not acceptable; the message says which and why."""


def _money(value: object, name: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError) as exc:
        raise RuleInputError(f"{name}: {exc}") from exc
    if amount < 0:
        raise RuleInputError(f"{name} must not be negative, got {amount}")
    return amount


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise RuleInputError(f"{name} must be True or False, got {value!r}")
    return value


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleInputError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return value


@dataclass(frozen=True)
class Member:
    """One person of the household (家庭成员), with the facts the rules look at.

    - ``three_no``: a 三无 person (no work ability, no income source, no legal supporter).
    - ``serious_illness`` (重病), ``severe_disability`` (重残), ``single_parent`` (单亲家庭),
      ``university_student`` (子女上大学): any of them makes the household category B [R1].
    - ``work_ability`` (劳动能力): decides the job-seeker obligation (§3) and, when absent,
      is one of the rural C grounds.
    - ``disaster`` (因天灾人祸): rural C ground.
    - ``relation`` to the head (户主, 配偶, 子女 …): informational, not used by the rules.
    """

    birth_date: dt.date
    sex: str
    three_no: bool
    serious_illness: bool
    severe_disability: bool
    single_parent: bool
    university_student: bool
    work_ability: bool
    disaster: bool = False
    relation: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.birth_date, dt.date) or isinstance(self.birth_date, dt.datetime):
            raise RuleInputError(f"birth_date must be a date, got {self.birth_date!r}")
        if self.sex not in SEXES:
            raise RuleInputError(f"sex must be 'M' or 'F', got {self.sex!r}")
        for name in (
            "three_no",
            "serious_illness",
            "severe_disability",
            "single_parent",
            "university_student",
            "work_ability",
            "disaster",
        ):
            _flag(getattr(self, name), name)


@dataclass(frozen=True)
class Income:
    """One monthly income item of one member (收入项), in yuan per month.

    ``member_index`` is the member's position in the list of members given to the rule.
    ``work_costs`` are documented costs of earning a wage (e.g. travel and lodging for a job
    away from home, §4 [R4]); they apply to ``wages`` only.

    Agricultural income in kind (实物收入) is given as ``quantity`` per month of ``unit``
    (a key of ``PolicyParameters.agricultural_prices``, e.g. ``"稻谷(公斤)"``) and is priced
    at the published price [R1]; its ``monthly_amount`` must then be 0 (the cash value is
    computed, not entered). Cash from selling produce is an ordinary ``agricultural`` item.
    """

    member_index: int
    kind: str
    monthly_amount: Decimal
    work_costs: Decimal = Decimal(0)
    quantity: Decimal | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        _count(self.member_index, "member_index")
        if self.kind not in INCOME_KINDS:
            raise RuleInputError(f"income kind must be one of {', '.join(INCOME_KINDS)}; got {self.kind!r}")
        object.__setattr__(self, "monthly_amount", _money(self.monthly_amount, "monthly_amount"))
        object.__setattr__(self, "work_costs", _money(self.work_costs, "work_costs"))
        if self.work_costs and self.kind != "wages":
            raise RuleInputError(f"work_costs apply to wages only, not to {self.kind!r} income")
        if self.quantity is None and self.unit is None:
            return
        if self.kind != "agricultural":
            raise RuleInputError("quantity and unit are for agricultural income in kind only")
        if self.quantity is None or not self.unit:
            raise RuleInputError("income in kind needs both a quantity and a unit")
        object.__setattr__(self, "quantity", _money(self.quantity, "quantity"))
        if self.monthly_amount:
            raise RuleInputError(
                "income in kind is priced from the published price: give quantity and unit, "
                "with monthly_amount 0 (record cash sales as a separate item)"
            )

    @property
    def in_kind(self) -> bool:
        return self.quantity is not None


@dataclass(frozen=True)
class Assets:
    """The household's assets checked against the limits (家庭财产): total deposits in yuan,
    number of motor vehicles, number of residential properties."""

    deposits: Decimal = Decimal(0)
    vehicles: int = 0
    properties: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "deposits", _money(self.deposits, "deposits"))
        _count(self.vehicles, "vehicles")
        _count(self.properties, "properties")
