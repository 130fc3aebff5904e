"""Pure training rules (DESIGN.md §5): no Django, no database, no clock."""

from training.rules.output import (
    OUTCOME_NORMAL,
    OUTCOME_REVIEW,
    OUTCOME_REWARD,
    OUTCOMES,
    CourseOutput,
    accountability_outcome,
    assess_course,
    completion_rate,
    output_rate,
    provider_subsidy,
)

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
