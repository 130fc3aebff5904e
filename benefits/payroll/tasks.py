"""Celery tasks of the payroll: thin, idempotent wrappers around the services."""

from __future__ import annotations

import logging

from celery import shared_task

from benefits.models import Enrolment
from benefits.payroll.models import PayrollRun, RunStatus
from benefits.payroll.services import SYSTEM_ACTOR, parse_month, payroll_run_compute
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, RegionLevel, User, today
from reemployment.dates import add_months, month_start

logger = logging.getLogger(__name__)


@shared_task(name="payroll.compute", bind=True)
def compute_payroll(self, county_id: int, month: str, actor_id: int | None = None) -> dict:
    """Compute (or complete) the payroll of a county for a month. Idempotent; quiet if locked."""
    county = Region.objects.filter(pk=county_id).first()
    if county is None:
        return {"status": "gone"}
    first = parse_month(month)
    existing = PayrollRun.objects.filter(county=county, month=first).first()
    if existing and existing.status == RunStatus.LOCKED:
        return {"status": "locked", "run": existing.pk}
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    task_id = getattr(self.request, "id", None) or ""
    try:
        result = payroll_run_compute(actor=actor or SYSTEM_ACTOR, county=county, month=first, task_id=task_id)
    except DomainError as exc:
        if exc.code == "locked":
            return {"status": "locked"}
        PayrollRun.objects.filter(county=county, month=first).update(last_error=exc.message[:1000])
        logger.warning("payroll %s %s refused: %s", county.code, month, exc.code)
        return {"status": "refused", "code": exc.code}
    except Exception as exc:
        PayrollRun.objects.filter(county=county, month=first).update(last_error=f"{type(exc).__name__}: {exc}"[:1000])
        raise
    return {"status": result.run.status, "run": result.run.pk, "added": result.added, "removed": result.removed,
            "lines": result.run.lines}


@shared_task(name="payroll.compute_drafts")
def compute_next_month_drafts() -> dict:
    """Monthly schedule (the 25th): compute next month's draft payroll for every county that has
    enrolments. Review and locking stay with county staff."""
    month = add_months(month_start(today()), 1)
    done = 0
    for county in Region.objects.filter(level=RegionLevel.COUNTY):
        if not Enrolment.objects.filter(household__region__path__startswith=county.path).exists():
            continue
        compute_payroll.delay(county.pk, f"{month:%Y-%m}")
        done += 1
    return {"month": f"{month:%Y-%m}", "counties": done}
