"""Eligibility, category and monthly amount of a household (分类施保).

DESIGN.md §2 "Eligibility" and "Classification and amount", from report [R1]; the earnings
disregard of §4 [R4] enters through the counted income (``benefits.rules.income``).
Pure Python: no Django, no database, no clock (the date is the ``as_of`` argument).

Eligibility: per-capita counted income strictly below the standard (income exactly at the
standard is *not* eligible: 人均月收入达到150元的家庭不能享受低保 [R4]), and within the asset
limits (deposits per capita ≤ ``deposit_limit_per_capita``, vehicles ≤ ``max_vehicles``,
properties ≤ ``max_properties``; a limit of ``None`` means no limit — the default, as the
reports state no asset limit and [R2] brought 三小车 owners and their families into dibao).

Category, tested in the order A > B > C (the first that applies wins):

- A: every member is a 三无 person (for rural households: 三无 / 五保 not yet covered);
- B: any member meeting one of the area's class-B conditions (``class_b_conditions_urban`` /
  ``class_b_conditions_rural``). By default urban B is serious illness (重病), severe
  disability (重残), a single-parent household (单亲家庭) or a child at university (子女上大学);
  rural B is 大病、重残、单亲困难家庭 only [R1], so a rural household whose only ground is a
  university student is C;
- C: any other eligible household (rural C names disaster and no work ability, and is the
  fallback for every other eligible rural household).

Monthly household amount, n = household size, gap = standard − per-capita income:

- urban A: standard × n
- urban B: gap × (1 + urban_b_uplift) × n
- urban C: gap × n
- rural, ``rural_amount_method`` "flat" (the default, [R1] 月人均补助): rural_amounts[category] × n
- rural, "gap" ([R3] 人均补差, a county parameter): A standard × n; B and C gap × n (no uplift)

Everything is ``Decimal`` with no intermediate rounding. Because per-capita income is a
quotient that may not terminate (400 / 3), the gap is multiplied out exactly as
``gap × n = standard × n − counted income`` and eligibility is tested as
``counted income < standard × n``; both are the same numbers as the formulas above, without
the error of a 28-digit quotient. Only the household's monthly amount is rounded, half-up to
0.01 yuan (``round_yuan``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from benefits.rules.household import AREAS, Assets, Income, Member, RuleInputError
from benefits.rules.income import HouseholdIncome, count_household_income, yuan_text
from reemployment.money import round_yuan, to_decimal
from reemployment.policy.parameters import DEFAULTS, PolicyParameters

__all__ = (
    "CATEGORIES",
    "REASON_DEPOSITS",
    "REASON_INCOME",
    "REASON_PROPERTIES",
    "REASON_VEHICLES",
    "Assessment",
    "assess_household",
    "household_category",
)

CATEGORIES = ("A", "B", "C")
REASON_INCOME = "income_not_below_standard"
REASON_DEPOSITS = "deposits_over_limit"
REASON_VEHICLES = "vehicles_over_limit"
REASON_PROPERTIES = "properties_over_limit"
AREA_NAMES = {"urban": "城市", "rural": "农村"}
ZERO_AMOUNT = Decimal("0.00")

# The parameters this rule reads; recorded with every assessment (DESIGN.md §4, last paragraph).
PARAMETERS_USED = (
    "income_kinds_not_counted",
    "agricultural_prices",
    "earnings_disregard_fixed",
    "earnings_disregard_rate",
    "work_costs_deductible",
    "deposit_limit_per_capita",
    "max_vehicles",
    "max_properties",
    "urban_b_uplift",
    "rural_amount_method",
    "rural_amounts",
    "class_b_conditions_urban",
    "class_b_conditions_rural",
)
CONDITION_NAMES = {
    "serious_illness": "重病",
    "severe_disability": "重残",
    "single_parent": "单亲家庭",
    "university_student": "子女上大学",
}


@dataclass(frozen=True)
class Assessment:
    """The result of assessing one household on one date.

    ``category`` is ``None`` and ``monthly_amount`` 0.00 when not eligible; ``reasons`` (Chinese,
    for the applicant) and ``reason_codes`` (stable, for code) then say why. ``explanation``
    shows the arithmetic line by line, in Chinese, for the case file and the public self-check.
    """

    eligible: bool
    area: str
    as_of: dt.date
    standard: Decimal
    household_size: int
    counted_monthly_income: Decimal
    per_capita_income: Decimal
    category: str | None
    monthly_amount: Decimal
    reasons: tuple[str, ...]
    reason_codes: tuple[str, ...]
    explanation: tuple[str, ...]
    income: HouseholdIncome
    parameters_used: Mapping[str, object]


def household_category(
    members: Sequence[Member], area: str, params: PolicyParameters = DEFAULTS
) -> tuple[str, tuple[str, ...]]:
    """Category A/B/C of a household by the tests of [R1] (A > B > C), with the grounds found.

    Class B uses the area's condition list (``params.class_b_conditions_urban`` or
    ``class_b_conditions_rural``). The grounds are Chinese phrases such as ``"成员2 重病"``;
    they do not depend on income, so the caller decides eligibility separately.
    """
    if area not in AREAS:
        raise RuleInputError(f"area must be 'urban' or 'rural', got {area!r}")
    if not members:
        raise RuleInputError("a household needs at least one member")
    if all(member.three_no for member in members):
        return "A", ("全部成员为“三无”人员",)
    conditions = params.class_b_conditions_urban if area == "urban" else params.class_b_conditions_rural
    grounds = []
    for number, member in enumerate(members, start=1):
        for flag in conditions:
            if getattr(member, flag):
                grounds.append(f"成员{number} {CONDITION_NAMES[flag]}")
    if grounds:
        return "B", tuple(grounds)
    if area == "rural":
        for number, member in enumerate(members, start=1):
            if member.disaster:
                grounds.append(f"成员{number} 因灾致困")
            if not member.work_ability:
                grounds.append(f"成员{number} 无劳动能力")
    return "C", tuple(grounds) or ("一般困难",)


def _check_assets(
    assets: Assets, household_size: int, params: PolicyParameters
) -> tuple[list[str], list[str], list[str]]:
    """Reason codes, reasons and explanation lines of the asset limits."""
    codes: list[str] = []
    reasons: list[str] = []
    lines: list[str] = []
    limit = params.deposit_limit_per_capita
    if limit is None and params.max_vehicles is None and params.max_properties is None:
        # The default: the reports state no asset limit, and [R2] brought 三小车 owners into dibao.
        lines.append("本县未设存款、机动车、住房限额：资产不影响资格")
    if limit is not None:
        per_capita = assets.deposits / household_size
        within = assets.deposits <= limit * household_size
        lines.append(
            f"存款 {yuan_text(assets.deposits)} 元 ÷ {household_size} 人 = 人均 {yuan_text(per_capita)} 元，"
            f"限额 {yuan_text(limit)} 元/人：{'未超过' if within else '超过'}"
        )
        if not within:
            codes.append(REASON_DEPOSITS)
            reasons.append(f"人均存款 {yuan_text(per_capita)} 元超过限额 {yuan_text(limit)} 元")
    for count, maximum, code, noun, unit in (
        (assets.vehicles, params.max_vehicles, REASON_VEHICLES, "机动车", "辆"),
        (assets.properties, params.max_properties, REASON_PROPERTIES, "住房", "套"),
    ):
        if maximum is None:
            continue
        within = count <= maximum
        lines.append(f"{noun} {count} {unit}，上限 {maximum} {unit}：{'未超过' if within else '超过'}")
        if not within:
            codes.append(code)
            reasons.append(f"{noun} {count} {unit}，超过上限 {maximum} {unit}")
    return codes, reasons, lines


def assess_household(
    members: Sequence[Member],
    incomes: Sequence[Income],
    assets: Assets,
    area: str,
    standard: Decimal,
    params: PolicyParameters,
    as_of: dt.date,
) -> Assessment:
    """Assess a household for the benefit (DESIGN.md §2, [R1]; disregard §4 [R4]).

    ``standard`` is the monthly standard per person (低保标准) in force on ``as_of`` for the
    household's county and area; ``params`` the policy parameters in force on that date.
    Raises ``RuleInputError`` for inputs that cannot be assessed.
    """
    if area not in AREAS:
        raise RuleInputError(f"area must be 'urban' or 'rural', got {area!r}")
    if not members:
        raise RuleInputError("a household needs at least one member")
    if not isinstance(as_of, dt.date):
        raise RuleInputError(f"as_of must be a date, got {as_of!r}")
    for number, member in enumerate(members, start=1):
        if member.birth_date > as_of:
            raise RuleInputError(f"member {number} is born on {member.birth_date}, after {as_of}")
    try:
        standard = to_decimal(standard)
    except (TypeError, ValueError) as exc:
        raise RuleInputError(f"standard: {exc}") from exc
    if standard <= 0:
        raise RuleInputError(f"the standard must be positive, got {standard}")

    size = len(members)
    income = count_household_income(incomes, size, params)
    counted = income.counted_total
    per_capita = income.per_capita_income
    lines = list(income.explanation)

    codes: list[str] = []
    reasons: list[str] = []
    below = counted < standard * size
    lines.append(
        f"人均 {yuan_text(per_capita)} 元{'低于' if below else '不低于'}"
        f"{AREA_NAMES[area]}低保标准 {yuan_text(standard)} 元"
    )
    if not below:
        codes.append(REASON_INCOME)
        reasons.append(f"人均月收入 {yuan_text(per_capita)} 元，未低于低保标准 {yuan_text(standard)} 元")
    asset_codes, asset_reasons, asset_lines = _check_assets(assets, size, params)
    codes += asset_codes
    reasons += asset_reasons
    lines += asset_lines

    used = MappingProxyType({name: getattr(params, name) for name in PARAMETERS_USED})

    if codes:
        lines.append("不符合低保条件，月保障金 0.00 元")
        return Assessment(
            eligible=False,
            area=area,
            as_of=as_of,
            standard=standard,
            household_size=size,
            counted_monthly_income=counted,
            per_capita_income=per_capita,
            category=None,
            monthly_amount=ZERO_AMOUNT,
            reasons=tuple(reasons),
            reason_codes=tuple(codes),
            explanation=tuple(lines),
            income=income,
            parameters_used=used,
        )

    category, grounds = household_category(members, area, params)
    label = f"{AREA_NAMES[area]}{category}类（{'、'.join(grounds)}）"
    gap = f"(标准 {yuan_text(standard)} − 人均 {yuan_text(per_capita)})"
    if area == "rural" and params.rural_amount_method == "flat":
        per_person = params.rural_amounts[category]
        exact = per_person * size
        formula = f"{yuan_text(per_person)} 元/人 × {size} 人"
    elif area == "rural" and category != "A":
        # [R3] 人均补差: the gap, no uplift for B
        exact = standard * size - counted
        formula = f"{gap} × {size} 人（人均补差）"
    elif category == "A":
        exact = standard * size
        formula = f"标准 {yuan_text(standard)} 元 × {size} 人"
    elif category == "B":
        exact = (standard * size - counted) * (1 + params.urban_b_uplift)
        formula = f"{gap} × (1 + {params.urban_b_uplift}) × {size} 人"
    else:
        exact = standard * size - counted
        formula = f"{gap} × {size} 人"
    amount = round_yuan(exact)
    if amount == exact:
        lines.append(f"{label}：{formula} = {yuan_text(amount)} 元")
    else:
        lines.append(f"{label}：{formula} = {exact} 元，四舍五入到分为 {yuan_text(amount)} 元")
    return Assessment(
        eligible=True,
        area=area,
        as_of=as_of,
        standard=standard,
        household_size=size,
        counted_monthly_income=counted,
        per_capita_income=per_capita,
        category=category,
        monthly_amount=amount,
        reasons=(),
        reason_codes=(),
        explanation=tuple(lines),
        income=income,
        parameters_used=used,
    )
