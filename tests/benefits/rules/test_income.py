"""Counted income and per-capita income (DESIGN.md §2 [R1], earnings disregard §4 [R4])."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benefits.rules import Income, RuleInputError, count_household_income, count_income_item
from reemployment.policy.parameters import DEFAULTS, build_parameters


def params(**overrides):
    return build_parameters(overrides)


@pytest.mark.parametrize(
    ("income", "overrides", "counted"),
    [
        # no disregard: wages count in full: 600
        pytest.param(Income(0, "wages", Decimal(600)), {}, "600", id="gross"),
        # fixed 200: max(0, 600 − 200) × (1 − 0) = 400
        pytest.param(
            Income(0, "wages", Decimal(600)), {"earnings_disregard_fixed": "200"}, "400", id="fixed"
        ),
        # rate 0.25: 600 × (1 − 0.25) = 450
        pytest.param(Income(0, "wages", Decimal(600)), {"earnings_disregard_rate": "0.25"}, "450", id="rate"),
        # fixed 200 and rate 0.25: (600 − 200) × 0.75 = 300
        pytest.param(
            Income(0, "wages", Decimal(600)),
            {"earnings_disregard_fixed": "200", "earnings_disregard_rate": "0.25"},
            "300",
            id="fixed-and-rate",
        ),
        # wage below the fixed disregard: max(0, 150 − 200) = 0
        pytest.param(
            Income(0, "wages", Decimal(150)), {"earnings_disregard_fixed": "200"}, "0", id="below-fixed"
        ),
        # work costs 100 deductible: (600 − 200) × 1 − 100 = 300
        pytest.param(
            Income(0, "wages", Decimal(600), work_costs=Decimal(100)),
            {"earnings_disregard_fixed": "200", "work_costs_deductible": True},
            "300",
            id="work-costs",
        ),
        # work costs after the rate: (600 − 200) × 0.5 − 100 = 100
        pytest.param(
            Income(0, "wages", Decimal(600), work_costs=Decimal(100)),
            {"earnings_disregard_fixed": "200", "earnings_disregard_rate": "0.5", "work_costs_deductible": True},
            "100",
            id="work-costs-after-rate",
        ),
        # work costs not deductible in this county: 600 − 0 = 600
        pytest.param(
            Income(0, "wages", Decimal(600), work_costs=Decimal(100)),
            {"work_costs_deductible": False},
            "600",
            id="work-costs-not-deductible",
        ),
        # the default (0, 0, not deductible) is gross counting even with work costs recorded: 600
        pytest.param(
            Income(0, "wages", Decimal(600), work_costs=Decimal(100)),
            {},
            "600",
            id="default-is-gross",
        ),
        # work costs larger than what is left: (300 − 200) − 150 = −50 → floored at 0
        pytest.param(
            Income(0, "wages", Decimal(300), work_costs=Decimal(150)),
            {"earnings_disregard_fixed": "200", "work_costs_deductible": True},
            "0",
            id="floored-at-zero",
        ),
        # odd cents stay unrounded: (333.33 − 0) × (1 − 0.1) = 299.997
        pytest.param(
            Income(0, "wages", Decimal("333.33")),
            {"earnings_disregard_rate": "0.1"},
            "299.997",
            id="unrounded",
        ),
        # the disregard is for wages only: business 600 counts 600
        pytest.param(
            Income(0, "business", Decimal(600)), {"earnings_disregard_fixed": "200"}, "600", id="business"
        ),
        # pension counts in full: 420.50
        pytest.param(Income(0, "pension", Decimal("420.50")), {}, "420.50", id="pension"),
        # support from children (赡养费) counts in full: 100
        pytest.param(Income(0, "support", Decimal(100)), {}, "100", id="support"),
        # a kind the county does not count: transfer 300 → 0
        pytest.param(
            Income(0, "transfer", Decimal(300)),
            {"income_kinds_not_counted": ["transfer"]},
            "0",
            id="not-counted",
        ),
        # even wages, if listed as not counted: 0
        pytest.param(
            Income(0, "wages", Decimal(600)),
            {"income_kinds_not_counted": ["wages"]},
            "0",
            id="wages-not-counted",
        ),
        # cash from selling produce: 80
        pytest.param(Income(0, "agricultural", Decimal(80)), {}, "80", id="agricultural-cash"),
        # in kind: 30 kg 稻谷 × 2.60 = 78.00
        pytest.param(
            Income(0, "agricultural", Decimal(0), quantity=Decimal(30), unit="稻谷(公斤)"),
            {},
            "78.00",
            id="in-kind-rice",
        ),
        # in kind: 12.5 kg 小麦 × 2.40 = 30.000
        pytest.param(
            Income(0, "agricultural", Decimal(0), quantity=Decimal("12.5"), unit="小麦(公斤)"),
            {},
            "30.000",
            id="in-kind-wheat",
        ),
        # county's own price table: 10 kg 土豆 × 1.15 = 11.50
        pytest.param(
            Income(0, "agricultural", Decimal(0), quantity=Decimal(10), unit="土豆(公斤)"),
            {"agricultural_prices": {"土豆(公斤)": "1.15"}},
            "11.50",
            id="in-kind-county-price",
        ),
        # in kind, agricultural not counted: 78.00 → 0
        pytest.param(
            Income(0, "agricultural", Decimal(0), quantity=Decimal(30), unit="稻谷(公斤)"),
            {"income_kinds_not_counted": ["agricultural"]},
            "0",
            id="in-kind-not-counted",
        ),
    ],
)
def test_counted_item(income, overrides, counted):
    item = count_income_item(income, params(**overrides))
    assert item.counted == Decimal(counted)
    assert item.counted >= 0
    assert item.income is income


def test_gross_of_in_kind_item_is_its_cash_value():
    # 30 × 2.60 = 78.00
    item = count_income_item(
        Income(0, "agricultural", Decimal(0), quantity=Decimal(30), unit="稻谷(公斤)"), DEFAULTS
    )
    assert item.gross == Decimal("78.00")
    assert item.explanation == "成员1 农业收入 30 × 2.60 元/稻谷(公斤) = 78.00 元：全额计入"


def test_wage_explanation_shows_each_step():
    # (600 − 200) × (1 − 0.25) − 50 = 250
    item = count_income_item(
        Income(1, "wages", Decimal(600), work_costs=Decimal(50)),
        params(earnings_disregard_fixed="200", earnings_disregard_rate="0.25", work_costs_deductible=True),
    )
    assert item.counted == Decimal(250)
    assert item.explanation == (
        "成员2 工资收入 600.00 元，减固定扣除 200.00 元，再按 (1 − 0.25) 计，减务工必要支出 50.00 元（不低于 0）"
        "：计入 250.00 元"
    )


def test_not_counted_explanation():
    item = count_income_item(
        Income(0, "transfer", Decimal(300)), params(income_kinds_not_counted=["transfer"])
    )
    assert item.explanation == "成员1 转移性收入 300.00 元：按政策不计入，计 0.00 元"


@pytest.mark.parametrize(
    ("incomes", "size", "counted_total", "per_capita"),
    [
        # no income, 2 members: 0 / 2 = 0
        pytest.param([], 2, "0", "0", id="none"),
        # 600 / 4 = 150
        pytest.param([Income(0, "wages", Decimal(600))], 4, "600", "150", id="report-4"),
        # 300 + 78.00 + 22 = 400.00; / 4 = 100
        pytest.param(
            [
                Income(0, "wages", Decimal(300)),
                Income(1, "agricultural", Decimal(0), quantity=Decimal(30), unit="稻谷(公斤)"),
                Income(2, "support", Decimal(22)),
            ],
            4,
            "400.00",
            "100",
            id="mixed",
        ),
    ],
)
def test_household_totals(incomes, size, counted_total, per_capita):
    result = count_household_income(incomes, size, DEFAULTS)
    assert result.counted_total == Decimal(counted_total)
    assert result.per_capita_income == Decimal(per_capita)
    assert result.household_size == size
    assert len(result.items) == len(incomes)


def test_per_capita_is_not_rounded():
    # 100 / 3 = 33.333… (not 33.33)
    result = count_household_income([Income(0, "other", Decimal(100))], 3, DEFAULTS)
    assert result.per_capita_income == Decimal(100) / Decimal(3)
    assert result.per_capita_income != Decimal("33.33")
    assert result.explanation[-1] == "家庭月计算收入 100.00 元 ÷ 3 人 = 人均 ≈33.33 元"


def test_gross_and_counted_totals_differ_by_the_disregard():
    # gross 600 + 100 = 700; counted (600 − 200) + 100 = 500
    result = count_household_income(
        [Income(0, "wages", Decimal(600)), Income(1, "pension", Decimal(100))],
        2,
        params(earnings_disregard_fixed="200"),
    )
    assert (result.gross_total, result.counted_total) == (Decimal(700), Decimal(500))


def test_empty_household_income_explanation():
    result = count_household_income([], 1, DEFAULTS)
    assert result.explanation == ("家庭无收入", "家庭月计算收入 0.00 元 ÷ 1 人 = 人均 0.00 元")


def test_strings_and_ints_are_converted():
    assert Income(0, "wages", "600.50").monthly_amount == Decimal("600.50")
    assert Income(0, "wages", 600, work_costs=20).work_costs == Decimal(20)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"member_index": 0, "kind": "wages", "monthly_amount": 600.0}, "float"),
        ({"member_index": 0, "kind": "wages", "monthly_amount": Decimal(-1)}, "negative"),
        ({"member_index": 0, "kind": "wages", "monthly_amount": "abc"}, "not an amount"),
        ({"member_index": -1, "kind": "wages", "monthly_amount": Decimal(1)}, "member_index"),
        ({"member_index": 0, "kind": "salary", "monthly_amount": Decimal(1)}, "income kind"),
        (
            {"member_index": 0, "kind": "pension", "monthly_amount": Decimal(1), "work_costs": Decimal(5)},
            "wages only",
        ),
        (
            {
                "member_index": 0,
                "kind": "wages",
                "monthly_amount": Decimal(0),
                "quantity": Decimal(5),
                "unit": "x",
            },
            "in kind only",
        ),
        (
            {"member_index": 0, "kind": "agricultural", "monthly_amount": Decimal(0), "quantity": Decimal(5)},
            "both",
        ),
        (
            {"member_index": 0, "kind": "agricultural", "monthly_amount": Decimal(0), "unit": "稻谷(公斤)"},
            "both",
        ),
        (
            {
                "member_index": 0,
                "kind": "agricultural",
                "monthly_amount": Decimal(10),
                "quantity": Decimal(5),
                "unit": "稻谷(公斤)",
            },
            "monthly_amount 0",
        ),
        (
            {
                "member_index": 0,
                "kind": "agricultural",
                "monthly_amount": Decimal(0),
                "quantity": Decimal(-5),
                "unit": "稻谷(公斤)",
            },
            "negative",
        ),
    ],
)
def test_invalid_income(kwargs, message):
    with pytest.raises(RuleInputError, match=message):
        Income(**kwargs)


def test_unknown_unit_has_no_price():
    income = Income(0, "agricultural", Decimal(0), quantity=Decimal(5), unit="花生(公斤)")
    with pytest.raises(RuleInputError, match="no published price"):
        count_income_item(income, DEFAULTS)


@pytest.mark.parametrize("size", [0, -1, True, "2"])
def test_invalid_household_size(size):
    with pytest.raises(RuleInputError, match="household_size"):
        count_household_income([], size, DEFAULTS)


def test_income_of_a_member_outside_the_household():
    with pytest.raises(RuleInputError, match="member 3"):
        count_household_income([Income(2, "wages", Decimal(1))], 2, DEFAULTS)
