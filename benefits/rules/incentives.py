"""Work-incentive rules: transition benefit, fast-track re-entry, public-interest labour.

DESIGN.md §4, from reports [R4] (transition, fast track) and [R2] (public-interest labour).
Pure Python: no Django, no database, no clock; dates are arguments. Each result carries the
parameters it used, so a service can record the application of the rule (§4, last paragraph).

Month arithmetic (``reemployment.dates.add_months``) clamps to the month's end.

- **Transition** (渐退/就业过渡): a span of N benefit months *starting on and including*
  ``start``; its last day is the day before the same day N months later:
  2026-03-01 → 2026-08-31 for 6 months. Services pass the first day of the first benefit
  month concerned (typically ``next_month_start(job_start)``), so the span is exactly N
  payroll months.
- **Fast-track window**: a time limit counted from an event, so it follows the Civil Code
  (《民法典》第二百零一条、第二百零二条): the day the job starts is not counted and the window
  ends on the corresponding day N months later, or that month's last day when it has none.
  Job started 2026-01-31, 12 months → the last day of the window is 2027-01-31 (inclusive);
  started 2024-02-29 → 2025-02-28.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from benefits.rules.household import RuleInputError
from benefits.rules.income import yuan_text
from reemployment.dates import add_months
from reemployment.money import round_yuan, to_decimal
from reemployment.policy.parameters import PolicyParameters

__all__ = (
    "PublicLabour",
    "Transition",
    "fast_track_eligible",
    "fast_track_window_end",
    "public_labour_shortfall",
    "transition_benefit",
    "transition_end_date",
)

ONE = Decimal(1)


def _amount(value: object, name: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError) as exc:
        raise RuleInputError(f"{name}: {exc}") from exc
    if amount < 0:
        raise RuleInputError(f"{name} must not be negative, got {amount}")
    return amount


def _date(value: object, name: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise RuleInputError(f"{name} must be a date, got {value!r}")
    return value


@dataclass(frozen=True)
class Transition:
    """The transition benefit granted to a recipient who trained and found work [R4].

    ``monthly_amount`` is paid for ``months`` months from ``start`` through ``end_date``
    (the last day covered); ``share_applied`` is 1 or ``transition_high_share``.
    After ``end_date`` the household gets a normal review.
    """

    monthly_amount: Decimal
    months: int
    start: dt.date
    end_date: dt.date
    share_applied: Decimal
    previous_monthly_amount: Decimal
    new_monthly_earnings: Decimal
    parameters_used: Mapping[str, object]
    explanation: tuple[str, ...]


def transition_end_date(start: dt.date, months: int) -> dt.date:
    """Last day of a span of ``months`` months that starts on and includes ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)


def transition_benefit(
    previous_monthly_amount: Decimal,
    new_monthly_earnings: Decimal,
    start: dt.date,
    params: PolicyParameters,
) -> Transition:
    """Transition benefit after finding work (DESIGN.md §4 [R4]).

    The previous monthly benefit continues for ``transition_months`` (6) months in full when
    the new monthly earnings are *below* ``transition_threshold`` (800 yuan), and at
    ``transition_high_share`` (half) when they are at or above it: earnings of exactly 800
    get half (月收入在800元以上 … 减半, “以上” including the figure itself). The earnings
    compared are the hired person's own gross monthly wage (月收入在800元以下的 speaks of the
    person), not the household's combined earnings nor the counted income. Rounded half-up to 0.01.
    """
    previous = _amount(previous_monthly_amount, "previous_monthly_amount")
    earnings = _amount(new_monthly_earnings, "new_monthly_earnings")
    start = _date(start, "start")
    months = params.transition_months
    threshold = params.transition_threshold
    if earnings < threshold:
        share = ONE
        rule = f"新月收入 {yuan_text(earnings)} 元低于 {yuan_text(threshold)} 元：原低保金全额延续"
        formula = f"{yuan_text(previous)} 元"
    else:
        share = params.transition_high_share
        rule = f"新月收入 {yuan_text(earnings)} 元不低于 {yuan_text(threshold)} 元：原低保金按 {share} 发放"
        formula = f"{yuan_text(previous)} × {share}"
    amount = round_yuan(previous * share)
    end_date = transition_end_date(start, months)
    lines = (
        rule,
        f"过渡期月保障金 {formula} = {yuan_text(amount)} 元",
        f"过渡期 {months} 个月：{start.isoformat()} 至 {end_date.isoformat()}，期满后按规定复核",
    )
    return Transition(
        monthly_amount=amount,
        months=months,
        start=start,
        end_date=end_date,
        share_applied=share,
        previous_monthly_amount=previous,
        new_monthly_earnings=earnings,
        parameters_used=MappingProxyType(
            {
                "transition_months": months,
                "transition_threshold": threshold,
                "transition_high_share": params.transition_high_share,
            }
        ),
        explanation=lines,
    )


def fast_track_window_end(job_start: dt.date, params: PolicyParameters) -> dt.date:
    """Last day (inclusive) of the fast-track window: ``job_start`` + ``fast_track_window_months``
    months, clamped to the month's end (Civil Code art. 201–202, see the module docstring)."""
    return add_months(_date(job_start, "job_start"), params.fast_track_window_months)


def fast_track_eligible(job_start: dt.date, job_end: dt.date, params: PolicyParameters) -> bool:
    """Whether a household may re-enter by the fast track when a job ends (DESIGN.md §4 [R4]).

    True iff the job ended on or before the last day of the window (``fast_track_window_end``).
    Whether the job was one found after training while on the benefit is for the caller to
    check. Raises ``RuleInputError`` (a ``ValueError``) when the job ends before it starts.
    """
    job_start = _date(job_start, "job_start")
    job_end = _date(job_end, "job_end")
    if job_end < job_start:
        raise RuleInputError(f"the job cannot end ({job_end}) before it starts ({job_start})")
    return job_end <= fast_track_window_end(job_start, params)


@dataclass(frozen=True)
class PublicLabour:
    """Public-interest labour (公益性劳动) of one recipient in one month [R2]."""

    required_hours: int
    recorded_hours: Decimal
    shortfall_hours: Decimal
    met: bool
    explanation: str


def public_labour_shortfall(hours_recorded: Decimal | int, params: PolicyParameters) -> PublicLabour:
    """Hours of public-interest labour still owed this month (DESIGN.md §4 [R2]).

    ``hours_recorded`` is the month's total (may be fractional, e.g. ``Decimal("2.5")``);
    the shortfall is ``max(0, public_labour_hours_per_month − hours_recorded)``.
    """
    recorded = _amount(hours_recorded, "hours_recorded")
    required = params.public_labour_hours_per_month
    shortfall = max(Decimal(0), required - recorded)
    met = shortfall == 0
    text = f"本月公益性劳动 {recorded} 小时，应参加 {required} 小时：" + (
        "已完成" if met else f"还差 {shortfall} 小时"
    )
    return PublicLabour(required, recorded, shortfall, met, text)
