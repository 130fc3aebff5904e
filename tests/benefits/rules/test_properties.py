"""Properties of the benefit rules and ID numbers that hold for every input (hypothesis).

DESIGN.md §2 [R1]: amounts are never negative; for urban B and C the amount does not rise
when income rises; categories follow A > B > C; eligible iff per-capita income < standard.
GB 11643: make/parse round-trips and a single changed character is always detected.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from benefits.rules import Assets, Income, Member, assess_household, count_household_income
from reemployment.idcard import InvalidIdNumber, make_id_number, parse_id_number
from reemployment.policy.parameters import build_parameters

AS_OF = dt.date(2026, 6, 30)
NO_ASSETS = Assets(Decimal(0), 0, 0)


def money(max_value: str = "5000") -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal(0), max_value=Decimal(max_value), places=2)


members_strategy = st.builds(
    Member,
    birth_date=st.dates(min_value=dt.date(1930, 1, 1), max_value=AS_OF),
    sex=st.sampled_from(["M", "F"]),
    three_no=st.booleans(),
    serious_illness=st.booleans(),
    severe_disability=st.booleans(),
    single_parent=st.booleans(),
    university_student=st.booleans(),
    work_ability=st.booleans(),
    disaster=st.booleans(),
)

households = st.lists(members_strategy, min_size=1, max_size=6)
standards = st.decimals(min_value=Decimal(50), max_value=Decimal(1200), places=2)
areas = st.sampled_from(["urban", "rural"])
params_strategy = st.builds(
    lambda fixed, rate, uplift: build_parameters(
        {"earnings_disregard_fixed": fixed, "earnings_disregard_rate": rate, "urban_b_uplift": uplift}
    ),
    money("500"),
    st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=2),
    st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=2),
)


@st.composite
def incomes_for(draw, size: int) -> list[Income]:
    items = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        kind = draw(st.sampled_from(["wages", "business", "pension", "support", "transfer", "other"]))
        work_costs = draw(money("300")) if kind == "wages" else Decimal(0)
        items.append(Income(draw(st.integers(0, size - 1)), kind, draw(money("3000")), work_costs=work_costs))
    return items


@st.composite
def cases(draw):
    members = draw(households)
    return members, draw(incomes_for(len(members))), draw(areas), draw(standards), draw(params_strategy)


def expected_category(members: list[Member], area: str) -> str:
    if all(m.three_no for m in members):
        return "A"
    # urban B: 重病、重残、单亲家庭、子女上大学; rural B: 大病、重残、单亲困难家庭 only [R1]
    if any(
        m.serious_illness or m.severe_disability or m.single_parent or (area == "urban" and m.university_student)
        for m in members
    ):
        return "B"
    return "C"


@given(cases())
def test_amount_never_negative_and_in_cents(case):
    members, incomes, area, standard, params = case
    result = assess_household(members, incomes, NO_ASSETS, area, standard, params, AS_OF)
    assert result.monthly_amount >= 0
    assert result.monthly_amount.as_tuple().exponent == -2
    assert result.counted_monthly_income >= 0


@given(cases())
def test_eligible_iff_per_capita_below_standard(case):
    members, incomes, area, standard, params = case
    result = assess_household(members, incomes, NO_ASSETS, area, standard, params, AS_OF)
    # exact rational arithmetic, independent of Decimal precision
    per_capita = Fraction(result.counted_monthly_income) / len(members)
    assert result.eligible is (per_capita < Fraction(standard))
    assert (result.category is None) is (not result.eligible)
    if not result.eligible:
        assert result.monthly_amount == Decimal("0.00")


@given(cases())
def test_category_precedence(case):
    members, incomes, area, standard, params = case
    result = assess_household(members, incomes, NO_ASSETS, area, standard, params, AS_OF)
    if result.eligible:
        assert result.category == expected_category(members, area)


@given(
    members=households.filter(lambda ms: not all(m.three_no for m in ms)),
    standard=standards,
    params=params_strategy,
    low=money("6000"),
    extra=money("3000"),
    kind=st.sampled_from(["wages", "other"]),
)
def test_urban_b_and_c_amount_does_not_rise_with_income(members, standard, params, low, extra, kind):
    def amount(income: Decimal) -> Decimal:
        return assess_household(
            members, [Income(0, kind, income)], NO_ASSETS, "urban", standard, params, AS_OF
        ).monthly_amount

    assert amount(low) >= amount(low + extra)


@given(members=households, standard=standards, params=params_strategy, income=money("6000"))
def test_urban_amount_matches_the_formula_without_intermediate_rounding(members, standard, params, income):
    result = assess_household(
        members, [Income(0, "other", income)], NO_ASSETS, "urban", standard, params, AS_OF
    )
    if not result.eligible:
        return
    size = len(members)
    gap = Fraction(standard) - Fraction(income) / size  # (standard − per-capita), exact
    factor = {"A": None, "B": 1 + Fraction(params.urban_b_uplift), "C": Fraction(1)}[result.category]
    exact = Fraction(standard) * size if factor is None else gap * factor * size
    # result is the exact value rounded once, half-up, to 0.01
    assert abs(Fraction(result.monthly_amount) - exact) <= Fraction(1, 200)
    assert Fraction(result.monthly_amount) - exact != Fraction(-1, 200)


@given(
    incomes=st.lists(money("3000"), min_size=0, max_size=5),
    size=st.integers(1, 8),
    params=params_strategy,
)
def test_counted_wages_between_zero_and_gross(incomes, size, params):
    result = count_household_income([Income(0, "wages", amount) for amount in incomes], size, params)
    for item in result.items:
        assert 0 <= item.counted <= item.gross
    assert result.counted_total <= result.gross_total


@given(
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    sequence=st.integers(0, 999),
)
def test_id_number_round_trip(region, birth, sequence):
    number = make_id_number(region, birth, sequence)
    parsed = parse_id_number(number)
    assert parsed.number == number
    assert parsed.region_code == region
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if sequence % 2 else "F")


@given(
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    sequence=st.integers(0, 999),
    position=st.integers(0, 17),
    data=st.data(),
)
def test_any_single_character_change_is_detected(region, birth, sequence, position, data):
    number = make_id_number(region, birth, sequence)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    try:
        parse_id_number(changed)
    except InvalidIdNumber:
        return
    raise AssertionError(f"{changed} (from {number}) was accepted")


def test_rule_modules_are_pure():
    """Rule of thumb 1: rule code imports no Django and never reads the clock."""
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3]
    files = [
        *root.glob("benefits/rules/*.py"),
        *root.glob("jobs/rules/*.py"),
        *root.glob("training/rules/*.py"),
        root / "reemployment" / "dates.py",
    ]
    assert len(files) >= 9
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            assert not any(name.split(".")[0] in {"django", "rest_framework", "wagtail"} for name in names), (
                path
            )
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"today", "now", "utcnow"}, f"{path}: reads the clock"
