"""Counted household income (家庭收入计算) and per-capita income.

DESIGN.md §2 (income itemised per member and type; income in kind priced at a published
price [R1]) and §4 (earnings disregard [R4]). Pure Python: no Django, no database, no clock.

Rules, per monthly item:

- a kind listed in ``params.income_kinds_not_counted`` counts 0;
- wages count net of the earnings disregard (就业收入扣减)::

      max(0, wages − earnings_disregard_fixed) × (1 − earnings_disregard_rate)
          − work_costs (only when params.work_costs_deductible), floored at 0

  This is the answer to [R4]: counting a 600-yuan wage earned away from home in full took a
  4-person household's whole benefit although the wage barely kept the worker;
- agricultural income in kind counts quantity × published price (``params.agricultural_prices``);
- everything else counts as given.

Per-capita income = counted total / household size, not rounded. Nothing here is rounded:
only the final household amount is (``reemployment.money.round_yuan``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from benefits.rules.household import Income, RuleInputError
from reemployment.money import format_yuan
from reemployment.policy.parameters import PolicyParameters

__all__ = ("CountedIncome", "HouseholdIncome", "count_household_income", "count_income_item")

KIND_NAMES = {
    "wages": "工资收入",
    "business": "经营收入",
    "pension": "养老金",
    "agricultural": "农业收入",
    "support": "赡养费",
    "transfer": "转移性收入",
    "other": "其他收入",
}
ZERO = Decimal(0)


def yuan_text(value: Decimal) -> str:
    """Money for an explanation line; ``≈`` marks a value that is shown rounded."""
    shown = format_yuan(value)
    return shown if Decimal(shown) == value else f"≈{shown}"


@dataclass(frozen=True)
class CountedIncome:
    """One income item with its cash value (``gross``) and the amount that counts."""

    income: Income
    gross: Decimal
    counted: Decimal
    explanation: str


@dataclass(frozen=True)
class HouseholdIncome:
    """The household's counted monthly income, item by item, and per capita (not rounded)."""

    items: tuple[CountedIncome, ...]
    gross_total: Decimal
    counted_total: Decimal
    household_size: int
    per_capita_income: Decimal
    explanation: tuple[str, ...]


def count_income_item(income: Income, params: PolicyParameters) -> CountedIncome:
    """The counted monthly amount of one income item (DESIGN.md §2, §4 [R1][R4])."""
    label = f"成员{income.member_index + 1} {KIND_NAMES[income.kind]}"
    if income.in_kind:
        try:
            price = params.agricultural_prices[income.unit]
        except KeyError:
            known = "、".join(params.agricultural_prices) or "无"
            raise RuleInputError(
                f"no published price for {income.unit!r} (实物收入折算价格); known units: {known}"
            ) from None
        gross = income.quantity * price
        priced = f"{income.quantity} × {yuan_text(price)} 元/{income.unit} = {yuan_text(gross)} 元"
    else:
        gross = income.monthly_amount
        priced = f"{yuan_text(gross)} 元"

    if income.kind in params.income_kinds_not_counted:
        return CountedIncome(income, gross, ZERO, f"{label} {priced}：按政策不计入，计 0.00 元")

    if income.kind != "wages":
        return CountedIncome(income, gross, gross, f"{label} {priced}：全额计入")

    counted = max(ZERO, gross - params.earnings_disregard_fixed) * (1 - params.earnings_disregard_rate)
    steps = []
    if params.earnings_disregard_fixed:
        steps.append(f"减固定扣除 {yuan_text(params.earnings_disregard_fixed)} 元")
    if params.earnings_disregard_rate:
        steps.append(f"再按 (1 − {params.earnings_disregard_rate}) 计")
    if income.work_costs:
        if params.work_costs_deductible:
            counted -= income.work_costs
            steps.append(f"减务工必要支出 {yuan_text(income.work_costs)} 元")
        else:
            steps.append(f"务工必要支出 {yuan_text(income.work_costs)} 元按政策不扣除")
    counted = max(ZERO, counted)
    if not steps:
        return CountedIncome(income, gross, counted, f"{label} {priced}：全额计入")
    return CountedIncome(
        income,
        gross,
        counted,
        f"{label} {priced}，{'，'.join(steps)}（不低于 0）：计入 {yuan_text(counted)} 元",
    )


def count_household_income(
    incomes: Sequence[Income], household_size: int, params: PolicyParameters
) -> HouseholdIncome:
    """Counted monthly income of the household and per-capita income (DESIGN.md §2 [R1])."""
    if isinstance(household_size, bool) or not isinstance(household_size, int) or household_size < 1:
        raise RuleInputError(f"household_size must be at least 1, got {household_size!r}")
    for income in incomes:
        if income.member_index >= household_size:
            raise RuleInputError(
                f"income item refers to member {income.member_index + 1}, "
                f"but the household has {household_size} member(s)"
            )
    items = tuple(count_income_item(income, params) for income in incomes)
    gross_total = sum((item.gross for item in items), ZERO)
    counted_total = sum((item.counted for item in items), ZERO)
    per_capita = counted_total / household_size
    lines = [item.explanation for item in items] or ["家庭无收入"]
    lines.append(
        f"家庭月计算收入 {yuan_text(counted_total)} 元 ÷ {household_size} 人 = 人均 {yuan_text(per_capita)} 元"
    )
    return HouseholdIncome(items, gross_total, counted_total, household_size, per_capita, tuple(lines))
