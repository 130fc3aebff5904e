"""Work incentives: transition benefit, fast-track re-entry, public-interest labour (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benefits.rules import (
    RuleInputError,
    fast_track_eligible,
    fast_track_window_end,
    public_labour_shortfall,
    transition_benefit,
    transition_end_date,
)
from reemployment.policy.parameters import DEFAULTS, build_parameters

START = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("previous", "earnings", "share", "amount"),
    [
        # earnings 0 < 800 → full: 260 × 1 = 260.00
        pytest.param("260", "0", "1", "260.00", id="no-earnings"),
        # earnings 600 < 800 → full: 260.00
        pytest.param("260", "600", "1", "260.00", id="600"),
        # earnings 799.99 < 800 → full: 260.00
        pytest.param("260", "799.99", "1", "260.00", id="just-below"),
        # earnings exactly 800 → not below → half: 260 × 0.50 = 130.00
        pytest.param("260", "800", "0.50", "130.00", id="exactly-800"),
        # earnings 800.01 → half: 130.00
        pytest.param("260", "800.01", "0.50", "130.00", id="just-above"),
        # earnings 2000 → half: 195 × 0.50 = 97.50
        pytest.param("195", "2000", "0.50", "97.50", id="well-above"),
        # half-up: 200.25 × 0.50 = 100.125 → 100.13 (half-even would give 100.12)
        pytest.param("200.25", "900", "0.50", "100.13", id="half-up"),
        # nothing to continue: 0 × 0.50 = 0.00
        pytest.param("0", "900", "0.50", "0.00", id="zero-previous"),
    ],
)
def test_transition_amount(previous, earnings, share, amount):
    result = transition_benefit(Decimal(previous), Decimal(earnings), START, DEFAULTS)
    assert result.share_applied == Decimal(share)
    assert result.monthly_amount == Decimal(amount)
    assert result.months == 6
    assert result.start == START
    # 2026-03-01 + 6 months = 2026-09-01; last day covered 2026-08-31
    assert result.end_date == dt.date(2026, 8, 31)


def test_transition_records_parameters_and_explains():
    result = transition_benefit(Decimal(260), Decimal(800), START, DEFAULTS)
    assert dict(result.parameters_used) == {
        "transition_months": 6,
        "transition_threshold": Decimal("800.00"),
        "transition_high_share": Decimal("0.50"),
    }
    assert result.previous_monthly_amount == Decimal(260)
    assert result.new_monthly_earnings == Decimal(800)
    assert result.explanation == (
        "新月收入 800.00 元不低于 800.00 元：原低保金按 0.50 发放",
        "过渡期月保障金 260.00 × 0.50 = 130.00 元",
        "过渡期 6 个月：2026-03-01 至 2026-08-31，期满后按规定复核",
    )


def test_transition_with_county_parameters():
    params = build_parameters(
        {"transition_months": 3, "transition_threshold": "1000", "transition_high_share": "0.25"}
    )
    # 900 < 1000 → full 200.00, 3 months from 2026-03-01 → 2026-05-31
    below = transition_benefit(Decimal(200), Decimal(900), START, params)
    assert (below.monthly_amount, below.end_date) == (Decimal("200.00"), dt.date(2026, 5, 31))
    # 1000 ≥ 1000 → 200 × 0.25 = 50.00
    assert transition_benefit(Decimal(200), Decimal(1000), START, params).monthly_amount == Decimal("50.00")


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 3, 1), 6, dt.date(2026, 8, 31)),  # Mar–Aug
        (dt.date(2026, 9, 1), 6, dt.date(2027, 2, 28)),  # Sep–Feb, common year
        (dt.date(2027, 9, 1), 6, dt.date(2028, 2, 29)),  # Sep–Feb, leap year
        (dt.date(2026, 3, 15), 6, dt.date(2026, 9, 14)),  # mid-month: the day before the same day
        (dt.date(2026, 1, 31), 6, dt.date(2026, 7, 30)),  # 2026-07-31 − 1 day
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 27)),  # 2027-02-28 (clamped) − 1 day
        (dt.date(2026, 3, 1), 1, dt.date(2026, 3, 31)),
    ],
)
def test_transition_end_date(start, months, end):
    assert transition_end_date(start, months) == end


@pytest.mark.parametrize(
    ("previous", "earnings", "start"),
    [
        (Decimal(-1), Decimal(0), START),
        (Decimal(100), Decimal("-0.01"), START),
        (100.0, Decimal(0), START),
        (Decimal(100), Decimal(0), "2026-03-01"),
    ],
)
def test_transition_invalid(previous, earnings, start):
    with pytest.raises(RuleInputError):
        transition_benefit(previous, earnings, start, DEFAULTS)


@pytest.mark.parametrize(
    ("job_start", "job_end", "eligible"),
    [
        # 2026-01-31 + 12 months = 2027-01-31: last day of the window, inclusive
        pytest.param(dt.date(2026, 1, 31), dt.date(2027, 1, 31), True, id="last-day-of-window"),
        pytest.param(dt.date(2026, 1, 31), dt.date(2027, 1, 30), True, id="day-before-last"),
        pytest.param(dt.date(2026, 1, 31), dt.date(2027, 2, 1), False, id="day-after-window"),
        # 2026-03-15 + 12 months = 2027-03-15
        pytest.param(dt.date(2026, 3, 15), dt.date(2027, 3, 15), True, id="mid-month-last-day"),
        pytest.param(dt.date(2026, 3, 15), dt.date(2027, 3, 16), False, id="mid-month-day-after"),
        # 2024-02-29 + 12 months = 2025-02-28 (no 29 February in 2025: month's last day)
        pytest.param(dt.date(2024, 2, 29), dt.date(2025, 2, 28), True, id="leap-day-last-day"),
        pytest.param(dt.date(2024, 2, 29), dt.date(2025, 3, 1), False, id="leap-day-day-after"),
        # a job that ends the day it starts
        pytest.param(dt.date(2026, 5, 10), dt.date(2026, 5, 10), True, id="same-day"),
    ],
)
def test_fast_track_window(job_start, job_end, eligible):
    assert fast_track_eligible(job_start, job_end, DEFAULTS) is eligible


@pytest.mark.parametrize(
    ("job_start", "months", "window_end"),
    [
        (dt.date(2026, 1, 31), 12, dt.date(2027, 1, 31)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),  # clamped to February's end
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
    ],
)
def test_fast_track_window_end(job_start, months, window_end):
    params = build_parameters({"fast_track_window_months": months})
    assert fast_track_window_end(job_start, params) == window_end
    assert fast_track_eligible(job_start, window_end, params)
    assert not fast_track_eligible(job_start, window_end + dt.timedelta(days=1), params)


def test_fast_track_rejects_job_ending_before_it_starts():
    with pytest.raises(ValueError, match=r"cannot end \(2026-01-01\) before it starts \(2026-01-02\)"):
        fast_track_eligible(dt.date(2026, 1, 2), dt.date(2026, 1, 1), DEFAULTS)


@pytest.mark.parametrize(
    ("recorded", "shortfall", "met"),
    [
        (0, "16", False),  # 16 − 0 = 16
        (Decimal("15.5"), "0.5", False),  # 16 − 15.5 = 0.5
        (16, "0", True),  # 16 − 16 = 0
        (Decimal(20), "0", True),  # max(0, 16 − 20) = 0
    ],
)
def test_public_labour_shortfall(recorded, shortfall, met):
    result = public_labour_shortfall(recorded, DEFAULTS)
    assert result.required_hours == 16
    assert result.shortfall_hours == Decimal(shortfall)
    assert result.met is met


def test_public_labour_explanation_and_parameter():
    result = public_labour_shortfall(Decimal("2.5"), build_parameters({"public_labour_hours_per_month": 8}))
    # 8 − 2.5 = 5.5
    assert result.explanation == "本月公益性劳动 2.5 小时，应参加 8 小时：还差 5.5 小时"


@pytest.mark.parametrize("recorded", [-1, 2.5, "abc"])
def test_public_labour_invalid(recorded):
    with pytest.raises(RuleInputError):
        public_labour_shortfall(recorded, DEFAULTS)
