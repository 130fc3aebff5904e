"""Eligibility, category and amount (DESIGN.md §2 [R1], disregard §4 [R4]).

Each case writes its arithmetic out. Default parameters unless a case says otherwise:
urban B uplift 0.30; rural A/B/C 120/100/70 per person; no asset limit (the reports state
none; [R2] brought 三小车 owners into dibao); no earnings disregard. The asset-limit cases set
``LIMITS`` (a county's deposits ≤ 20000 per capita, no vehicle, at most one property).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from benefits.rules import (
    REASON_DEPOSITS,
    REASON_INCOME,
    REASON_PROPERTIES,
    REASON_VEHICLES,
    Assets,
    Income,
    Member,
    RuleInputError,
    assess_household,
    household_category,
)
from reemployment.policy.parameters import DEFAULTS, ParameterError, build_parameters

AS_OF = dt.date(2026, 1, 15)
STANDARD = Decimal("150.00")
NO_ASSETS = Assets(deposits=Decimal(0), vehicles=0, properties=0)
# Asset limits a county might set in its policy file (none is set by default).
LIMITS = {"deposit_limit_per_capita": "20000.00", "max_vehicles": 0, "max_properties": 1}

PLAIN = Member(
    birth_date=dt.date(1980, 6, 1),
    sex="M",
    three_no=False,
    serious_illness=False,
    severe_disability=False,
    single_parent=False,
    university_student=False,
    work_ability=True,
)


def member(**flags: bool) -> Member:
    return dataclasses.replace(PLAIN, **flags)


THREE_NO = member(three_no=True, work_ability=False)
ILL = member(serious_illness=True)
DISABLED = member(severe_disability=True, work_ability=False)
SINGLE_PARENT = member(single_parent=True, sex="F")
STUDENT = member(university_student=True, birth_date=dt.date(2006, 9, 1), relation="子女")
DISASTER = member(disaster=True)
UNABLE = member(work_ability=False)


def wages(amount: str, member_index: int = 0, work_costs: str = "0") -> Income:
    return Income(member_index, "wages", Decimal(amount), work_costs=Decimal(work_costs))


def other(amount: str, member_index: int = 0) -> Income:
    return Income(member_index, "other", Decimal(amount))


def assess(members, incomes=(), assets=NO_ASSETS, area="urban", standard=STANDARD, params=DEFAULTS):
    return assess_household(list(members), list(incomes), assets, area, standard, params, AS_OF)


@pytest.mark.parametrize(
    ("members", "incomes", "category", "amount"),
    [
        # urban A: 1 三无 person, no income → standard × 1 = 150.00
        pytest.param([THREE_NO], [], "A", "150.00", id="A-one-person"),
        # urban A: 2 三无 persons, income 50 → per-capita 25 < 150; A is the full standard: 150 × 2 = 300.00
        pytest.param([THREE_NO, THREE_NO], [other("50")], "A", "300.00", id="A-full-standard-despite-income"),
        # not every member is 三无 → C: income 60, 2 members → per-capita 30; (150 − 30) × 2 = 240.00
        pytest.param([THREE_NO, PLAIN], [other("60", 1)], "C", "240.00", id="A-needs-every-member"),
        # urban B, serious illness: income 300, 3 members → per-capita 100; (150 − 100) × 1.30 × 3 = 195.00
        pytest.param([ILL, PLAIN, PLAIN], [wages("300", 1)], "B", "195.00", id="B-serious-illness"),
        # urban B, severe disability: income 100, 2 members → per-capita 50; (150 − 50) × 1.30 × 2 = 260.00
        pytest.param([DISABLED, PLAIN], [wages("100", 1)], "B", "260.00", id="B-severe-disability"),
        # urban B, single parent: income 200, 2 members → per-capita 100; (150 − 100) × 1.30 × 2 = 130.00
        pytest.param([SINGLE_PARENT, PLAIN], [wages("200")], "B", "130.00", id="B-single-parent"),
        # urban B, child at university: income 400, 4 members → per-capita 100; 50 × 1.30 × 4 = 260.00
        pytest.param([PLAIN, PLAIN, PLAIN, STUDENT], [wages("400")], "B", "260.00", id="B-university"),
        # urban B although one member is 三无 (not all are): income 0, 2 members; 150 × 1.30 × 2 = 390.00
        pytest.param([THREE_NO, ILL], [], "B", "390.00", id="B-some-three-no"),
        # urban C: standard 150, 3 members, income 300 → per-capita 100; (150 − 100) × 3 = 150.00
        pytest.param([PLAIN, PLAIN, PLAIN], [wages("300")], "C", "150.00", id="C-other"),
        # urban C: no income, 1 member → (150 − 0) × 1 = 150.00
        pytest.param([PLAIN], [], "C", "150.00", id="C-no-income"),
        # disaster and no work ability are rural C grounds; in town they are plain C:
        # income 100, 2 members → per-capita 50; (150 − 50) × 2 = 200.00
        pytest.param([DISASTER, UNABLE], [other("100")], "C", "200.00", id="C-urban-disaster"),
        # precedence A > B: every member 三无, one also seriously ill → A: 150 × 2 = 300.00
        pytest.param(
            [dataclasses.replace(THREE_NO, serious_illness=True), THREE_NO], [], "A", "300.00", id="A-beats-B"
        ),
    ],
)
def test_urban_categories_and_amounts(members, incomes, category, amount):
    result = assess(members, incomes)
    assert result.eligible
    assert result.category == category
    assert result.monthly_amount == Decimal(amount)
    assert result.reasons == ()


@pytest.mark.parametrize(
    ("members", "incomes", "category", "amount"),
    [
        # rural A: 2 三无 persons → 120 × 2 = 240.00
        pytest.param([THREE_NO, THREE_NO], [], "A", "240.00", id="A"),
        # rural B, serious illness: income 200, 3 members → per-capita 66.67 < 150; 100 × 3 = 300.00
        pytest.param([ILL, PLAIN, PLAIN], [other("200", 1)], "B", "300.00", id="B-illness"),
        # rural B, severe disability: 100 × 2 = 200.00
        pytest.param([DISABLED, PLAIN], [], "B", "200.00", id="B-disability"),
        # rural B, single parent: 100 × 2 = 200.00
        pytest.param([SINGLE_PARENT, PLAIN], [], "B", "200.00", id="B-single-parent"),
        # rural, child at university and nothing else: not a rural B ground (大病、重残、单亲困难家庭
        # only [R1]) → C: 70 × 3 = 210.00
        pytest.param([PLAIN, PLAIN, STUDENT], [], "C", "210.00", id="C-university-only"),
        # rural, university student and a seriously ill member → B by the illness: 100 × 3 = 300.00
        pytest.param([ILL, PLAIN, STUDENT], [], "B", "300.00", id="B-illness-and-university"),
        # rural C, disaster: income 280, 4 members → per-capita 70 < 150; 70 × 4 = 280.00
        pytest.param([DISASTER, PLAIN, PLAIN, PLAIN], [other("280", 1)], "C", "280.00", id="C-disaster"),
        # rural C, no work ability: 70 × 1 = 70.00
        pytest.param([UNABLE], [], "C", "70.00", id="C-no-work-ability"),
        # rural C, fallback for any other eligible household: 70 × 3 = 210.00
        pytest.param([PLAIN, PLAIN, PLAIN], [other("149.99")], "C", "210.00", id="C-other"),
        # precedence B > C: a disaster household with a seriously ill member → 100 × 2 = 200.00
        pytest.param([DISASTER, ILL], [], "B", "200.00", id="B-beats-C"),
        # precedence A > B: 100 per person would be B, all 三无 → 120 × 1 = 120.00
        pytest.param(
            [dataclasses.replace(THREE_NO, severe_disability=True)], [], "A", "120.00", id="A-beats-B"
        ),
    ],
)
def test_rural_categories_and_amounts(members, incomes, category, amount):
    result = assess(members, incomes, area="rural")
    assert result.eligible
    assert result.category == category
    assert result.monthly_amount == Decimal(amount)


class TestReport1Classification:
    """[R1]: the county's three urban and three rural classes, with the report's figures."""

    def test_urban_a_gets_the_standard(self):
        # 城市“三无”人员，低保金按低保标准金额补助: 150 × 1 = 150.00
        assert assess([THREE_NO]).monthly_amount == Decimal("150.00")

    def test_urban_b_gap_raised_30_percent(self):
        # 在人均补差标准上上浮30%: income 50 → gap 100; 100 × 1.30 × 1 = 130.00
        assert assess([ILL], [other("50")]).monthly_amount == Decimal("130.00")

    def test_urban_c_gets_the_gap(self):
        # 人均补差标准: income 50 → gap 100; 100 × 1 = 100.00
        assert assess([PLAIN], [other("50")]).monthly_amount == Decimal("100.00")

    @pytest.mark.parametrize(
        ("members", "category", "per_person"),
        [
            ([THREE_NO], "A", "120.00"),  # 农村“三无”(应保未保的五保户)，月人均补助120元
            ([ILL], "B", "100.00"),  # 大病、重残、单亲困难家庭，月人均补助100元
            ([DISASTER], "C", "70.00"),  # 因天灾人祸、无劳动能力等，月人均补助70元
        ],
    )
    def test_rural_flat_amounts(self, members, category, per_person):
        result = assess(members, area="rural")
        assert (result.category, result.monthly_amount) == (category, Decimal(per_person))

    def test_county_totals_a_class_household_of_one(self):
        # 城市A类 186户186人: one person each; 186 households × 150.00 = 27900.00 a month
        total = sum(assess([THREE_NO]).monthly_amount for _ in range(186))
        assert total == Decimal("27900.00")


class TestReport4AwayFromHomeWage:
    """[R4]: 四口之家有一人外出务工，月薪600元 — standard 150, gross counting drops the household."""

    household = (PLAIN, PLAIN, PLAIN, PLAIN)

    def test_gross_counting_loses_the_whole_benefit(self):
        # gross: per-capita = 600 / 4 = 150, not below the standard 150 → not eligible, 0.00
        result = assess(self.household, [wages("600")])
        assert not result.eligible
        assert result.per_capita_income == Decimal(150)
        assert result.monthly_amount == Decimal("0.00")
        assert result.category is None
        assert result.reason_codes == (REASON_INCOME,)
        assert "家庭月计算收入 600.00 元 ÷ 4 人 = 人均 150.00 元" in result.explanation

    def test_fixed_disregard_keeps_part_of_the_benefit(self):
        # disregard 200: counted 600 − 200 = 400; per-capita 100; urban C (150 − 100) × 4 = 200.00
        params = build_parameters({"earnings_disregard_fixed": "200"})
        result = assess(self.household, [wages("600")], params=params)
        assert result.eligible
        assert result.counted_monthly_income == Decimal(400)
        assert result.per_capita_income == Decimal(100)
        assert (result.category, result.monthly_amount) == ("C", Decimal("200.00"))
        assert "城市C类（一般困难）：(标准 150.00 − 人均 100.00) × 4 人 = 200.00 元" in result.explanation

    def test_documented_work_costs_keep_part_of_the_benefit(self):
        # A county that deducts work costs: travel/lodging 200 documented: counted 600 − 200 = 400;
        # per-capita 100; (150 − 100) × 4 = 200.00
        params = build_parameters({"work_costs_deductible": True})
        result = assess(self.household, [wages("600", work_costs="200")], params=params)
        assert result.monthly_amount == Decimal("200.00")
        # By default they are not deducted (gross counting): 600 / 4 = 150, not below 150 → not eligible.
        assert not assess(self.household, [wages("600", work_costs="200")]).eligible

    def test_rate_disregard(self):
        # rate 0.25: counted 600 × 0.75 = 450; per-capita 112.5; (150 − 112.5) × 4 = 150.00
        params = build_parameters({"earnings_disregard_rate": "0.25"})
        assert assess(self.household, [wages("600")], params=params).monthly_amount == Decimal("150.00")


@pytest.mark.parametrize(
    ("members", "income", "eligible", "amount"),
    [
        # exactly at the standard: 4 × 150 = 600 → per-capita 150, not below → not eligible
        pytest.param(4, "600.00", False, "0.00", id="at-standard"),
        # one cent below: 599.99 / 4 = 149.9975 < 150 → eligible; (150 × 4 − 599.99) = 0.01
        pytest.param(4, "599.99", True, "0.01", id="one-cent-below"),
        # one cent above: 600.01 / 4 > 150 → not eligible
        pytest.param(4, "600.01", False, "0.00", id="one-cent-above"),
        # 3 members at 450: per-capita 150 exactly → not eligible
        pytest.param(3, "450", False, "0.00", id="at-standard-3"),
        # 3 members at 449.99: per-capita 149.996… → eligible; 450 − 449.99 = 0.01
        pytest.param(3, "449.99", True, "0.01", id="below-standard-3"),
    ],
)
def test_per_capita_boundary(members, income, eligible, amount):
    result = assess([PLAIN] * members, [other(income)])
    assert result.eligible is eligible
    assert result.monthly_amount == Decimal(amount)


def test_per_capita_boundary_rural():
    # rural, standard 100, 2 members at 200 → per-capita 100, not below → not eligible
    result = assess([UNABLE, UNABLE], [other("200")], area="rural", standard=Decimal(100))
    assert not result.eligible
    assert result.category is None


@pytest.mark.parametrize(
    ("members", "income", "amount"),
    [
        # urban B, 1 member, income 133.35: gap 16.65 × 1.30 = 21.645 → half-up 21.65 (half-even: 21.64)
        pytest.param([ILL], "133.35", "21.65", id="uplift-21.645"),
        # urban B, 1 member, income 149.95: gap 0.05 × 1.30 = 0.065 → half-up 0.07 (half-even: 0.06)
        pytest.param([ILL], "149.95", "0.07", id="uplift-0.065"),
        # urban C, 3 members, income 100: per-capita 33.333…; exact (150 − 33.333…) × 3 = 350.00
        # (rounding per-capita first to 33.33 would give 350.01)
        pytest.param([PLAIN] * 3, "100", "350.00", id="no-intermediate-rounding-C"),
        # urban B, 3 members, income 100: (450 − 100) × 1.30 = 455.00 ((150 − 33.33) × 1.30 × 3 would be 455.01)
        pytest.param([ILL, PLAIN, PLAIN], "100", "455.00", id="no-intermediate-rounding-B"),
        # urban B, 3 members, income 100.01: (450 − 100.01) × 1.30 = 454.987 → 454.99
        pytest.param([ILL, PLAIN, PLAIN], "100.01", "454.99", id="rounded-once"),
    ],
)
def test_rounding_half_up_once(members, income, amount):
    result = assess(members, [other(income)])
    assert result.monthly_amount == Decimal(amount)
    assert result.monthly_amount.as_tuple().exponent == -2


def test_rounding_is_shown_in_explanation():
    # urban B: 16.65 × 1.30 = 21.645 → 21.65
    result = assess([ILL], [other("133.35")])
    assert result.explanation[-1].endswith("= 21.6450 元，四舍五入到分为 21.65 元")


RURAL_STANDARD = Decimal("180.00")
GAP = build_parameters({"rural_amount_method": "gap"})


@pytest.mark.parametrize(
    ("members", "income", "method", "category", "amount"),
    [
        # Rural standard 180.00 a person. "flat" [R1 月人均补助]: the amount per person by category,
        # whatever the income below the standard; "gap" [R3 人均补差]: (standard − per-capita) × n.
        # C, 2 persons, income 200 → per-capita 100 < 180:
        #   flat: 70 × 2 = 140.00;  gap: (180 − 100) × 2 = 160.00
        pytest.param([PLAIN, PLAIN], "200", "flat", "C", "140.00", id="C-flat"),
        pytest.param([PLAIN, PLAIN], "200", "gap", "C", "160.00", id="C-gap"),
        # B (serious illness), 2 persons, income 200:
        #   flat: 100 × 2 = 200.00;  gap: (180 − 100) × 2 = 160.00 — no uplift ([R3] states only 人均补差)
        pytest.param([ILL, PLAIN], "200", "flat", "B", "200.00", id="B-flat"),
        pytest.param([ILL, PLAIN], "200", "gap", "B", "160.00", id="B-gap-no-uplift"),
        # A, 2 三无 persons, no income: flat 120 × 2 = 240.00;  gap: the full standard 180 × 2 = 360.00
        pytest.param([THREE_NO, THREE_NO], "0", "flat", "A", "240.00", id="A-flat"),
        pytest.param([THREE_NO, THREE_NO], "0", "gap", "A", "360.00", id="A-gap"),
        # just below the standard: income 359.99 for 2 → per-capita 179.995 < 180:
        #   flat: 70 × 2 = 140.00 (the flat amount does not shrink with the gap);
        #   gap: 180 × 2 − 359.99 = 0.01
        pytest.param([PLAIN, PLAIN], "359.99", "flat", "C", "140.00", id="just-below-flat"),
        pytest.param([PLAIN, PLAIN], "359.99", "gap", "C", "0.01", id="just-below-gap"),
        # exactly at the standard: income 360 for 2 → per-capita 180 = 180, not below → not eligible,
        # 0.00 under either method
        pytest.param([PLAIN, PLAIN], "360.00", "flat", None, "0.00", id="at-standard-flat"),
        pytest.param([PLAIN, PLAIN], "360.00", "gap", None, "0.00", id="at-standard-gap"),
        # gap, 3 persons, income 100: exact 180 × 3 − 100 = 440.00 (no rounding of 33.33… on the way)
        pytest.param([PLAIN] * 3, "100", "gap", "C", "440.00", id="gap-no-intermediate-rounding"),
    ],
)
def test_rural_amount_method(members, income, method, category, amount):
    params = build_parameters({"rural_amount_method": method})
    result = assess(members, [other(income)], area="rural", standard=RURAL_STANDARD, params=params)
    assert result.category == category
    assert result.eligible is (category is not None)
    assert result.monthly_amount == Decimal(amount)
    assert result.parameters_used["rural_amount_method"] == method


def test_rural_amount_method_defaults_to_flat_and_is_explained():
    assert DEFAULTS.rural_amount_method == "flat"
    # gap, C, 2 persons, income 200: (180 − 100) × 2 = 160.00
    result = assess([PLAIN, PLAIN], [other("200")], area="rural", standard=RURAL_STANDARD, params=GAP)
    assert result.explanation[-1] == "农村C类（一般困难）：(标准 180.00 − 人均 100.00) × 2 人（人均补差） = 160.00 元"
    # urban households are not affected: urban C the same gap 160.00 under either method
    assert assess([PLAIN, PLAIN], [other("200")], standard=RURAL_STANDARD, params=GAP).monthly_amount == Decimal(
        "160.00")
    with pytest.raises(ParameterError, match="rural_amount_method"):
        build_parameters({"rural_amount_method": "per-capita"})


def test_custom_uplift_and_rural_amounts():
    params = build_parameters(
        {"urban_b_uplift": "0.50", "rural_amounts": {"A": "200", "B": "150", "C": "90"}}
    )
    # urban B: income 100 → gap 50; 50 × 1.50 × 1 = 75.00
    assert assess([ILL], [other("100")], params=params).monthly_amount == Decimal("75.00")
    # rural C: 90 × 2 = 180.00
    assert assess([PLAIN, PLAIN], area="rural", params=params).monthly_amount == Decimal("180.00")


@pytest.mark.parametrize(
    ("assets", "overrides", "codes"),
    [
        # a county with LIMITS: deposits 40000 / 2 = 20000 per capita = limit → within
        pytest.param(Assets(Decimal("40000.00"), 0, 0), LIMITS, (), id="deposits-at-limit"),
        # deposits 40000.01 / 2 = 20000.005 > 20000 → over
        pytest.param(Assets(Decimal("40000.01"), 0, 0), LIMITS, (REASON_DEPOSITS,), id="deposits-over"),
        # no deposit limit → any deposits
        pytest.param(Assets(Decimal(9999999), 0, 0), {**LIMITS, "deposit_limit_per_capita": None}, (),
                     id="no-limit"),
        # one vehicle, none allowed → over
        pytest.param(Assets(Decimal(0), 1, 0), LIMITS, (REASON_VEHICLES,), id="vehicle"),
        # one vehicle, one allowed → within
        pytest.param(Assets(Decimal(0), 1, 0), {**LIMITS, "max_vehicles": 1}, (), id="vehicle-allowed"),
        # vehicles unlimited
        pytest.param(Assets(Decimal(0), 3, 0), {**LIMITS, "max_vehicles": None}, (), id="vehicles-unlimited"),
        # one property allowed → within; two → over
        pytest.param(Assets(Decimal(0), 0, 1), LIMITS, (), id="one-property"),
        pytest.param(Assets(Decimal(0), 0, 2), LIMITS, (REASON_PROPERTIES,), id="two-properties"),
        pytest.param(Assets(Decimal(0), 0, 5), {**LIMITS, "max_properties": None}, (), id="properties-unlimited"),
        # everything over → every reason, in order
        pytest.param(
            Assets(Decimal(50000), 2, 3), LIMITS, (REASON_DEPOSITS, REASON_VEHICLES, REASON_PROPERTIES), id="all"
        ),
        # the defaults: no limit at all — a 三小车 owner [R2] with 2 vehicles, 3 properties and
        # 50000 in deposits is decided by income alone
        pytest.param(Assets(Decimal(50000), 2, 3), {}, (), id="defaults-no-limits"),
    ],
)
def test_asset_limits(assets, overrides, codes):
    # income 100, 2 members → per-capita 50 < 150; only the assets decide
    result = assess([PLAIN, PLAIN], [other("100")], assets=assets, params=build_parameters(overrides))
    assert result.reason_codes == codes
    assert result.eligible is (codes == ())
    assert len(result.reasons) == len(codes)
    # eligible: (150 − 50) × 2 = 200.00
    assert result.monthly_amount == (Decimal("200.00") if not codes else Decimal("0.00"))


def test_asset_limits_default_to_none():
    # [R2] 将部分“三小车”车主及其家庭纳入低保行列; no report states a deposit, vehicle or housing limit.
    assert (DEFAULTS.deposit_limit_per_capita, DEFAULTS.max_vehicles, DEFAULTS.max_properties) == (None, None, None)
    result = assess([PLAIN], [other("100")], assets=Assets(Decimal(0), 1, 0))
    assert result.eligible and "本县未设存款、机动车、住房限额：资产不影响资格" in result.explanation


def test_income_and_asset_reasons_together():
    result = assess([PLAIN], [other("200")], assets=Assets(Decimal(0), 1, 0), params=build_parameters(LIMITS))
    assert result.reason_codes == (REASON_INCOME, REASON_VEHICLES)
    assert result.reasons[0] == "人均月收入 200.00 元，未低于低保标准 150.00 元"
    assert result.reasons[1] == "机动车 1 辆，超过上限 0 辆"


def test_result_fields():
    # urban B: income 300 → per-capita 100; (150 − 100) × 1.30 × 3 = 195.00
    result = assess([ILL, PLAIN, PLAIN], [wages("300", 1)])
    assert result.area == "urban"
    assert result.as_of == AS_OF
    assert result.standard == STANDARD
    assert result.household_size == 3
    assert result.counted_monthly_income == Decimal(300)
    assert result.per_capita_income == Decimal(100)
    assert result.parameters_used["urban_b_uplift"] == Decimal("0.30")
    assert result.income.counted_total == Decimal(300)
    assert result.explanation == (
        "成员2 工资收入 300.00 元：全额计入",
        "家庭月计算收入 300.00 元 ÷ 3 人 = 人均 100.00 元",
        "人均 100.00 元低于城市低保标准 150.00 元",
        "本县未设存款、机动车、住房限额：资产不影响资格",
        "城市B类（成员1 重病）：(标准 150.00 − 人均 100.00) × (1 + 0.30) × 3 人 = 195.00 元",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.monthly_amount = Decimal(1)  # type: ignore[misc]


def test_inexact_per_capita_is_marked_in_explanation():
    # 100 / 3 = 33.333… shown as ≈33.33; amount exact: 450 − 100 = 350.00
    result = assess([PLAIN] * 3, [other("100")])
    assert "家庭月计算收入 100.00 元 ÷ 3 人 = 人均 ≈33.33 元" in result.explanation
    assert result.per_capita_income == Decimal(100) / Decimal(3)


def test_household_category_grounds():
    assert household_category([THREE_NO, THREE_NO], "urban") == ("A", ("全部成员为“三无”人员",))
    assert household_category([PLAIN, ILL, STUDENT], "urban") == ("B", ("成员2 重病", "成员3 子女上大学"))
    # rural: 子女上大学 is not a B ground, so only the illness is listed
    assert household_category([PLAIN, ILL, STUDENT], "rural") == ("B", ("成员2 重病",))
    assert household_category([DISASTER, UNABLE], "rural") == ("C", ("成员1 因灾致困", "成员2 无劳动能力"))
    assert household_category([PLAIN], "rural") == ("C", ("一般困难",))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: assess([]), "at least one member"),
        (lambda: assess([PLAIN], area="town"), "area"),
        (lambda: assess([PLAIN], standard=Decimal(0)), "positive"),
        (lambda: assess([PLAIN], standard=150.0), "float"),
        (lambda: assess([PLAIN], [other("10", 1)]), "member 2"),
        (lambda: assess([dataclasses.replace(PLAIN, birth_date=dt.date(2026, 2, 1))]), "after"),
    ],
)
def test_invalid_inputs(call, message):
    with pytest.raises(RuleInputError, match=message):
        call()


def test_standard_as_string_is_accepted():
    # "150" → 150; income 0, 1 member → 150.00
    assert assess([PLAIN], standard="150").monthly_amount == Decimal("150.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sex": "X"},
        {"three_no": 1},
        {"work_ability": None},
        {"birth_date": "1980-01-01"},
        {"birth_date": dt.datetime(1980, 1, 1)},
    ],
)
def test_member_validation(kwargs):
    with pytest.raises(RuleInputError):
        dataclasses.replace(PLAIN, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{"deposits": Decimal(-1)}, {"deposits": 1.5}, {"vehicles": -1}, {"properties": True}, {"vehicles": 1.0}],
)
def test_assets_validation(kwargs):
    with pytest.raises(RuleInputError):
        Assets(**kwargs)


@pytest.mark.parametrize(
    ("area", "members", "category", "amount"),
    [
        # urban keeps 子女上大学 as a B ground [R1]: no income, 3 members, standard 150
        # → gap 150; 150 × 1.30 × 3 = 585.00
        pytest.param("urban", [PLAIN, PLAIN, STUDENT], "B", "585.00", id="urban-student-B"),
        # rural B is 大病、重残、单亲困难家庭 only [R1]: a student alone → C, 70 × 3 = 210.00
        pytest.param("rural", [PLAIN, PLAIN, STUDENT], "C", "210.00", id="rural-student-C"),
        # rural single parent → B, 100 × 2 = 200.00
        pytest.param("rural", [SINGLE_PARENT, PLAIN], "B", "200.00", id="rural-single-parent-B"),
    ],
)
def test_class_b_conditions_by_area_defaults(area, members, category, amount):
    result = assess(members, area=area)
    assert (result.category, result.monthly_amount) == (category, Decimal(amount))
    assert result.parameters_used["class_b_conditions_rural"] == (
        "serious_illness",
        "severe_disability",
        "single_parent",
    )


def test_class_b_conditions_are_county_parameters():
    # a county that counts 子女上大学 for rural B too: 100 × 3 = 300.00
    rural_with_students = build_parameters(
        {"class_b_conditions_rural": ["serious_illness", "severe_disability", "single_parent", "university_student"]}
    )
    result = assess([PLAIN, PLAIN, STUDENT], area="rural", params=rural_with_students)
    assert (result.category, result.monthly_amount) == ("B", Decimal("300.00"))
    # a county that drops 子女上大学 in town: urban C, gap 150 × 3 = 450.00
    urban_without = build_parameters({"class_b_conditions_urban": ["serious_illness", "severe_disability"]})
    result = assess([PLAIN, PLAIN, STUDENT], params=urban_without)
    assert (result.category, result.monthly_amount) == ("C", Decimal("450.00"))
    with pytest.raises(ParameterError):
        build_parameters({"class_b_conditions_rural": ["poor"]})
    with pytest.raises(ParameterError):
        build_parameters({"class_b_conditions_urban": "serious_illness"})
