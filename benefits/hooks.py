"""Hooks benefits declares so that code above it can take part without benefits importing it.

Layers run one way (kernel ← benefits ← jobs ← training ← incentives ← cms; inside benefits,
integrity ← checks). Where a lower module must ask a higher one, it asks here, and the higher app
registers its function in its ``AppConfig.ready()``:

* the fast-track re-entry assessment (快速再纳入, §4 [R4]) at application time — filled by
  incentives, which records it as a work-incentive rule application and links the job to the
  household's transition; without it the pure rule in ``benefits.rules`` decides and nothing is
  recorded;
* settling where a confirmed or rejected death report came from (a department-check flag) —
  filled by ``benefits.checks``, keyed by the report's ``source_type``;
* the records of jobs and training that the county reports and the dashboard count (referrals,
  hires, training enrolments, placements) — filled by jobs and training; a report shows "—" for a
  figure whose app is not installed;
* panels on the household's case page in the staff admin — filled by notifications (the household's
  notifications and how it wants to be told).

Registering again replaces the earlier function, so ``ready()`` may run more than once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from benefits.rules import fast_track_eligible, fast_track_window_end
from reemployment.core.errors import DomainError
from reemployment.core.selectors import parameters_in_force

FastTrackAssessor = Callable[..., dict[str, Any]]
DeathSourceSettler = Callable[..., Any]

_fast_track_assessor: FastTrackAssessor | None = None
_death_source_settlers: dict[str, DeathSourceSettler] = {}


def register_fast_track_assessor(assessor: FastTrackAssessor) -> None:
    """``assessor(*, actor, household, job_start, job_end, as_of) -> dict`` with at least ``eligible``,
    ``window_end``, ``window_months``, ``rule_application`` and ``transition_proposal``."""
    global _fast_track_assessor
    _fast_track_assessor = assessor


def fast_track_assess(*, actor, household, job_start: dt.date, job_end: dt.date, as_of: dt.date) -> dict[str, Any]:
    """Assess a fast-track re-entry with the registered assessor, or with the bare rule when none is."""
    if _fast_track_assessor is not None:
        return _fast_track_assessor(actor=actor, household=household, job_start=job_start, job_end=job_end,
                                    as_of=as_of)
    params = parameters_in_force(household.region, as_of)
    try:
        eligible = fast_track_eligible(job_start, job_end, params)
    except ValueError as exc:
        raise DomainError(str(exc), field_errors={"job_end": [str(exc)]}) from exc
    return {"eligible": eligible, "window_end": fast_track_window_end(job_start, params),
            "window_months": params.fast_track_window_months, "rule_application": None,
            "transition_proposal": None}


def register_death_source_settler(source_type: str, settler: DeathSourceSettler) -> None:
    """``settler(*, actor, source_id: str, note: str)`` closes the record a death report of
    ``source_type`` came from, inside the caller's transaction."""
    _death_source_settlers[source_type] = settler


def settle_death_source(*, actor, source_type: str, source_id: str, note: str) -> None:
    """Tell the app a death report came from that staff decided it (no-op for unknown sources)."""
    settler = _death_source_settlers.get(source_type)
    if settler is not None and source_id:
        settler(actor=actor, source_id=source_id, note=note)


# Models of higher apps that the reports (benefits.checks.reports, .dashboard) count, by role. The
# contract each must keep: a ``REGION_FIELD`` (core.scoping) and the fields the report filters on —
# referral: referred_on, status ("refused"), outcome_on; hire: start_date; training_enrolment:
# status ("completed"), completed_on, reverse ``placement``; placement: start_date.
REPORT_MODEL_ROLES = ("referral", "hire", "training_enrolment", "placement")
_report_models: dict[str, type] = {}


def register_report_model(role: str, model: type) -> None:
    """A higher app offers one of its models to the reports (see ``REPORT_MODEL_ROLES``)."""
    if role not in REPORT_MODEL_ROLES:
        raise ValueError(f"unknown report model role {role!r}")
    _report_models[role] = model


def report_model(role: str) -> type | None:
    """The model registered for ``role``, or None when the app that owns it is not installed."""
    return _report_models.get(role)


# Panels a higher app adds to the household's case page (staff admin, ``HouseholdInspectView``):
# name → (label, render). ``render(user, household)`` returns safe HTML, already scoped to the user.
HouseholdPanel = Callable[..., Any]
_household_panels: dict[str, tuple[Any, HouseholdPanel]] = {}


def register_household_panel(name: str, label, render: HouseholdPanel) -> None:
    """Show ``render(user, household)`` under ``label`` on every household's case page."""
    _household_panels[name] = (label, render)


def household_panels() -> list[tuple[Any, HouseholdPanel]]:
    return list(_household_panels.values())
