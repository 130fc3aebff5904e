"""Training completion and output rates, accountability, provider subsidy (DESIGN.md §5 [R4])."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reemployment.policy.parameters import DEFAULTS, build_parameters
from training.rules import (
    OUTCOME_NORMAL,
    OUTCOME_REVIEW,
    OUTCOME_REWARD,
    accountability_outcome,
    assess_course,
    completion_rate,
    output_rate,
    provider_subsidy,
)


@pytest.mark.parametrize(
    ("enrolled", "completed", "rate"),
    [
        (20, 15, Decimal("0.75")),  # 15 / 20
        (20, 20, Decimal(1)),  # 20 / 20
        (20, 0, Decimal(0)),  # 0 / 20
        (3, 2, Decimal(2) / Decimal(3)),  # 0.666…, not rounded
        (0, 0, None),  # nobody enrolled: no rate
    ],
)
def test_completion_rate(enrolled, completed, rate):
    assert completion_rate(enrolled, completed) == rate


@pytest.mark.parametrize(
    ("completed", "placed", "rate"),
    [
        (5, 3, Decimal("0.6")),  # 3 / 5 = 0.60 exactly
        (20, 19, Decimal("0.95")),  # 19 / 20 = 0.95 exactly
        (3, 2, Decimal(2) / Decimal(3)),  # 0.666…
        (0, 0, None),  # no completers: no output rate
    ],
)
def test_output_rate(completed, placed, rate):
    assert output_rate(completed, placed) == rate


@pytest.mark.parametrize(
    ("completed", "placed", "failed", "outcome"),
    [
        # 3 / 5 = 0.60, not below 0.60 → normal
        pytest.param(5, 3, 0, OUTCOME_NORMAL, id="exactly-0.60"),
        # 9 / 15 = 0.60 → normal
        pytest.param(15, 9, 0, OUTCOME_NORMAL, id="exactly-0.60-of-15"),
        # 59 / 100 = 0.59 < 0.60 → review
        pytest.param(100, 59, 0, OUTCOME_REVIEW, id="0.59"),
        # 2 / 5 = 0.40 → review
        pytest.param(5, 2, 0, OUTCOME_REVIEW, id="0.40"),
        # 599 / 1000 = 0.599 → review
        pytest.param(1000, 599, 0, OUTCOME_REVIEW, id="0.599"),
        # 19 / 20 = 0.95, not above 0.95 → normal
        pytest.param(20, 19, 0, OUTCOME_NORMAL, id="exactly-0.95"),
        # 57 / 60 = 0.95 → normal
        pytest.param(60, 57, 0, OUTCOME_NORMAL, id="exactly-0.95-of-60"),
        # 24 / 25 = 0.96 > 0.95 → reward
        pytest.param(25, 24, 0, OUTCOME_REWARD, id="0.96"),
        # 20 / 20 = 1 → reward
        pytest.param(20, 20, 0, OUTCOME_REWARD, id="all-placed"),
        # 2 / 3 = 0.666… → normal
        pytest.param(3, 2, 0, OUTCOME_NORMAL, id="two-thirds"),
        # output 1 > 0.95, but 3 / 5 = 0.60 > 0.50 cannot do the basic operations → review wins
        pytest.param(5, 5, 3, OUTCOME_REVIEW, id="majority-fail-basic"),
        # 2 / 4 = 0.50 is not more than 0.50 → not review; output 4 / 4 → reward
        pytest.param(4, 4, 2, OUTCOME_REWARD, id="exactly-half-fail-basic"),
        # no completers → review (nothing to place; the course produced nobody)
        pytest.param(0, 0, 0, OUTCOME_REVIEW, id="no-completers"),
    ],
)
def test_accountability_outcome(completed, placed, failed, outcome):
    assert accountability_outcome(completed, placed, failed, DEFAULTS) == outcome


def test_county_thresholds():
    params = build_parameters({"output_rate_review_below": "0.50", "output_rate_reward_above": "0.80"})
    # 1 / 2 = 0.50, not below 0.50 → normal
    assert accountability_outcome(2, 1, 0, params) == OUTCOME_NORMAL
    # 9 / 10 = 0.90 > 0.80 → reward
    assert accountability_outcome(10, 9, 0, params) == OUTCOME_REWARD


@pytest.mark.parametrize(
    ("per_trainee", "completed", "placed", "overrides", "subsidy"),
    [
        # 1000 × 15 × (0.60 + 0.40 × 9/15) = 1000 × (9 + 3.6) = 12600.00
        pytest.param("1000", 15, 9, {}, "12600.00", id="typical"),
        # 1000 × 20 × (0.60 + 0.40 × 1) = 20000.00
        pytest.param("1000", 20, 20, {}, "20000.00", id="all-placed"),
        # 1000 × 10 × (0.60 + 0) = 6000.00
        pytest.param("1000", 10, 0, {}, "6000.00", id="none-placed"),
        # no completers → 0.00
        pytest.param("1000", 0, 0, {}, "0.00", id="no-completers"),
        # 333.33 × 3 × (0.60 + 0.40 × 1/3) = 333.33 × (1.8 + 0.4) = 733.326 → 733.33
        pytest.param("333.33", 3, 1, {}, "733.33", id="rounded"),
        # shares 0.5 / 0.5: 100.01 × 1 × (0.5 + 0) = 50.005 → half-up 50.01 (half-even: 50.00)
        pytest.param(
            "100.01",
            1,
            0,
            {"training_subsidy_completion_share": "0.5", "training_subsidy_output_share": "0.5"},
            "50.01",
            id="half-up",
        ),
        # 1/3 output rate without intermediate rounding: 900 × 3 × (0.6 + 0.4 × 1/3) = 1620 + 360 = 1980.00
        pytest.param("900", 3, 1, {}, "1980.00", id="exact-third"),
    ],
)
def test_provider_subsidy(per_trainee, completed, placed, overrides, subsidy):
    assert provider_subsidy(Decimal(per_trainee), completed, placed, build_parameters(overrides)) == Decimal(
        subsidy
    )


def test_course_assessment_typical():
    # 15/20 completed = 0.75; 9/15 placed = 0.60 → normal; 3/15 = 0.20 fail basic operations
    # subsidy 1000 × (0.60 × 15 + 0.40 × 9) = 12600.00
    result = assess_course(
        enrolled=20,
        completed=15,
        placed=9,
        basic_operations_failed=3,
        subsidy_per_trainee=Decimal(1000),
        params=DEFAULTS,
    )
    assert result.completion_rate == Decimal("0.75")
    assert result.output_rate == Decimal("0.6")
    assert result.basic_operations_fail_share == Decimal("0.2")
    assert result.outcome == OUTCOME_NORMAL
    assert result.subsidy == Decimal("12600.00")
    assert result.explanation == (
        "结业率 = 结业 15 人 ÷ 报名 20 人 = 75.00%",
        "输出率 = 输出 9 人 ÷ 结业 15 人 = 60.00%",
        "不能从事基本操作 3 人 ÷ 结业 15 人 = 20.00%（超过 50.00% 须倒查）",
        "输出率不低于 60.00% 且不超过 95.00%：正常",
        "培训补贴 = 1000.00 元/人 × (0.60 × 结业 15 人 + 0.40 × 输出 9 人) = 12600.00 元",
    )


def test_course_with_no_completers():
    # 0 / 12 completed; no output rate; review; subsidy 0.00
    result = assess_course(
        enrolled=12, completed=0, placed=0, subsidy_per_trainee=Decimal(800), params=DEFAULTS
    )
    assert result.completion_rate == Decimal(0)
    assert result.output_rate is None
    assert result.basic_operations_fail_share is None
    assert result.outcome == OUTCOME_REVIEW
    assert result.subsidy == Decimal("0.00")
    assert "无人结业，无法计算输出率：进行责任倒查" in result.explanation


def test_course_with_nobody_enrolled():
    result = assess_course(
        enrolled=0, completed=0, placed=0, subsidy_per_trainee=Decimal(800), params=DEFAULTS
    )
    assert (result.completion_rate, result.output_rate, result.outcome) == (None, None, OUTCOME_REVIEW)


def test_course_review_explains_both_grounds():
    # 1/4 placed = 0.25 < 0.60 and 3/4 = 0.75 > 0.50 cannot do the basic operations
    result = assess_course(
        enrolled=4,
        completed=4,
        placed=1,
        basic_operations_failed=3,
        subsidy_per_trainee=Decimal(500),
        params=DEFAULTS,
    )
    assert result.outcome == OUTCOME_REVIEW
    assert "输出率低于 60.00%，多数结业人员不能从事基本操作：进行责任倒查" in result.explanation


def test_course_reward_explained():
    # 24/25 = 0.96 > 0.95 → reward; 1000 × (0.6 × 25 + 0.4 × 24) = 15000 + 9600 = 24600.00
    result = assess_course(
        enrolled=25, completed=25, placed=24, subsidy_per_trainee=Decimal(1000), params=DEFAULTS
    )
    assert result.outcome == OUTCOME_REWARD
    assert result.subsidy == Decimal("24600.00")
    assert "输出率超过 95.00%：给予奖励" in result.explanation


def test_inexact_rate_is_marked():
    # 2 / 3 = 66.666…% shown as ≈66.67%
    result = assess_course(enrolled=3, completed=3, placed=2, subsidy_per_trainee=Decimal(0), params=DEFAULTS)
    assert result.explanation[1] == "输出率 = 输出 2 人 ÷ 结业 3 人 = ≈66.67%"


@pytest.mark.parametrize(
    "counts",
    [
        {"enrolled": 5, "completed": 6, "placed": 0},
        {"enrolled": 5, "completed": 3, "placed": 4},
        {"enrolled": 5, "completed": 3, "placed": 1, "basic_operations_failed": 4},
        {"enrolled": -1, "completed": 0, "placed": 0},
        {"enrolled": 5, "completed": 2.0, "placed": 0},
        {"enrolled": True, "completed": 0, "placed": 0},
    ],
)
def test_inconsistent_counts(counts):
    with pytest.raises(ValueError):
        assess_course(subsidy_per_trainee=Decimal(1), params=DEFAULTS, **counts)


def test_subsidy_rejects_float_and_negative():
    with pytest.raises(TypeError):
        provider_subsidy(1000.0, 1, 1, DEFAULTS)
    with pytest.raises(ValueError):
        provider_subsidy(Decimal(-1), 1, 1, DEFAULTS)
