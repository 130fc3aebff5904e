"""Training output rates, accountability and provider subsidy (输出率考核, 培训补贴).

DESIGN.md §5 "Output-rate accountability", from report [R4]: 对于组织培训后仍然多数参培人员
不能从事基本操作工作或者输出比率低于60%的要进行责任倒查；输出比例超过95%的要进行奖励；
培训补贴与培训质量挂钩、与输出比例挂钩. Pure Python: no Django, no database, no clock.

- completion rate = completed / enrolled; output rate = placed / completed (输出: in work
  within ``placement_window_months`` of completion — counting the placed is the caller's job).
- Rates are exact quotients as ``Decimal`` (never rounded), and the thresholds are tested by
  exact cross-multiplication (placed < 0.60 × completed), so 3 of 5 is exactly 0.60.
- Outcome: ``"review"`` (责任倒查) if output rate < ``output_rate_review_below`` (0.60 itself is
  not review) or the share of completers who cannot do the basic operations >
  ``basic_operations_fail_share_review`` (a majority: 0.50 itself is not review); otherwise
  ``"reward"`` if output rate > ``output_rate_reward_above`` (0.95 itself is not reward);
  otherwise ``"normal"``. Review wins over reward.
- **A course with no completers** has no output rate (``None``: 0/0 is not a rate) and its
  outcome is ``"review"``: a course that produced nobody able to work is the case the
  accountability review exists for, whether nobody enrolled or nobody finished. Assess a
  course only after it has ended.
- Provider subsidy = subsidy_per_trainee × completed × (completion_share + output_share ×
  output rate), computed exactly as subsidy_per_trainee × (completion_share × completed +
  output_share × placed) and rounded half-up to 0.01 yuan; 0.00 without completers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reemployment.money import format_yuan, round_yuan, to_decimal
from reemployment.policy.parameters import PolicyParameters

__all__ = (
    "OUTCOMES",
    "OUTCOME_NORMAL",
    "OUTCOME_REVIEW",
    "OUTCOME_REWARD",
    "CourseOutput",
    "accountability_outcome",
    "assess_course",
    "completion_rate",
    "output_rate",
    "provider_subsidy",
)

OUTCOME_REVIEW = "review"
OUTCOME_REWARD = "reward"
OUTCOME_NORMAL = "normal"
OUTCOMES = (OUTCOME_REVIEW, OUTCOME_REWARD, OUTCOME_NORMAL)


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return value


def _check_counts(enrolled: int, completed: int, placed: int, basic_operations_failed: int) -> None:
    _count(enrolled, "enrolled")
    _count(completed, "completed")
    _count(placed, "placed")
    _count(basic_operations_failed, "basic_operations_failed")
    if completed > enrolled:
        raise ValueError(f"completed ({completed}) cannot exceed enrolled ({enrolled})")
    if placed > completed:
        raise ValueError(f"placed ({placed}) cannot exceed completed ({completed})")
    if basic_operations_failed > completed:
        raise ValueError(
            f"basic_operations_failed ({basic_operations_failed}) cannot exceed completed ({completed})"
        )


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) / Decimal(denominator)


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return "无"
    shown = (rate * 100).quantize(Decimal("0.01"))
    return f"{shown}%" if shown == rate * 100 else f"≈{shown}%"


def completion_rate(enrolled: int, completed: int) -> Decimal | None:
    """completed / enrolled (结业率); ``None`` when nobody enrolled."""
    _check_counts(enrolled, completed, 0, 0)
    return _rate(completed, enrolled)


def output_rate(completed: int, placed: int) -> Decimal | None:
    """placed / completed (输出率, DESIGN.md §5 [R4]); ``None`` when nobody completed."""
    _check_counts(completed, completed, placed, 0)
    return _rate(placed, completed)


def accountability_outcome(
    completed: int, placed: int, basic_operations_failed: int, params: PolicyParameters
) -> str:
    """``"review"``, ``"reward"`` or ``"normal"`` for a finished course (DESIGN.md §5 [R4]).

    Thresholds are compared exactly, without computing a rounded rate.
    """
    _check_counts(completed, completed, placed, basic_operations_failed)
    if completed == 0:
        return OUTCOME_REVIEW
    if placed < params.output_rate_review_below * completed:
        return OUTCOME_REVIEW
    if basic_operations_failed > params.basic_operations_fail_share_review * completed:
        return OUTCOME_REVIEW
    if placed > params.output_rate_reward_above * completed:
        return OUTCOME_REWARD
    return OUTCOME_NORMAL


def provider_subsidy(
    subsidy_per_trainee: Decimal, completed: int, placed: int, params: PolicyParameters
) -> Decimal:
    """Subsidy paid to the provider (培训补贴), rounded half-up to 0.01 (DESIGN.md §5 [R4])."""
    _check_counts(completed, completed, placed, 0)
    per_trainee = to_decimal(subsidy_per_trainee)
    if per_trainee < 0:
        raise ValueError(f"subsidy_per_trainee must not be negative, got {per_trainee}")
    exact = per_trainee * (
        params.training_subsidy_completion_share * completed + params.training_subsidy_output_share * placed
    )
    return round_yuan(exact)


@dataclass(frozen=True)
class CourseOutput:
    """The accountability assessment of one finished course."""

    enrolled: int
    completed: int
    placed: int
    basic_operations_failed: int
    completion_rate: Decimal | None
    output_rate: Decimal | None
    basic_operations_fail_share: Decimal | None
    outcome: str
    subsidy: Decimal
    explanation: tuple[str, ...]


def assess_course(
    *,
    enrolled: int,
    completed: int,
    placed: int,
    subsidy_per_trainee: Decimal,
    params: PolicyParameters,
    basic_operations_failed: int = 0,
) -> CourseOutput:
    """Rates, accountability outcome and provider subsidy of a finished course (DESIGN.md §5 [R4]).

    ``basic_operations_failed`` is the number of completers assessed as unable to do the
    basic operations of the trade (不能从事基本操作工作).
    """
    _check_counts(enrolled, completed, placed, basic_operations_failed)
    completion = _rate(completed, enrolled)
    output = _rate(placed, completed)
    fail_share = _rate(basic_operations_failed, completed)
    outcome = accountability_outcome(completed, placed, basic_operations_failed, params)
    subsidy = provider_subsidy(subsidy_per_trainee, completed, placed, params)
    per_trainee = to_decimal(subsidy_per_trainee)
    review_below = params.output_rate_review_below
    reward_above = params.output_rate_reward_above
    fail_limit = params.basic_operations_fail_share_review

    lines = [
        f"结业率 = 结业 {completed} 人 ÷ 报名 {enrolled} 人 = {_percent(completion)}",
        f"输出率 = 输出 {placed} 人 ÷ 结业 {completed} 人 = {_percent(output)}",
    ]
    if completed == 0:
        lines.append("无人结业，无法计算输出率：进行责任倒查")
    else:
        lines.append(
            f"不能从事基本操作 {basic_operations_failed} 人 ÷ 结业 {completed} 人 = {_percent(fail_share)}"
            f"（超过 {_percent(fail_limit)} 须倒查）"
        )
        if outcome == OUTCOME_REVIEW:
            grounds = []
            if placed < review_below * completed:
                grounds.append(f"输出率低于 {_percent(review_below)}")
            if basic_operations_failed > fail_limit * completed:
                grounds.append("多数结业人员不能从事基本操作")
            lines.append(f"{'，'.join(grounds)}：进行责任倒查")
        elif outcome == OUTCOME_REWARD:
            lines.append(f"输出率超过 {_percent(reward_above)}：给予奖励")
        else:
            lines.append(f"输出率不低于 {_percent(review_below)} 且不超过 {_percent(reward_above)}：正常")
    completion_share = params.training_subsidy_completion_share
    output_share = params.training_subsidy_output_share
    lines.append(
        f"培训补贴 = {format_yuan(per_trainee)} 元/人 × ({completion_share} × 结业 {completed} 人 + "
        f"{output_share} × 输出 {placed} 人) = {format_yuan(subsidy)} 元"
    )
    return CourseOutput(
        enrolled=enrolled,
        completed=completed,
        placed=placed,
        basic_operations_failed=basic_operations_failed,
        completion_rate=completion,
        output_rate=output,
        basic_operations_fail_share=fail_share,
        outcome=outcome,
        subsidy=subsidy,
        explanation=tuple(lines),
    )
