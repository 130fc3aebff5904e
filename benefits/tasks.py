"""Celery tasks of benefits: thin, idempotent wrappers around services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from benefits import services
from reemployment.core.models import today


@shared_task(name="benefits.open_periodic_reviews")
def open_periodic_reviews(as_of: str | None = None) -> int:
    """Open PERIODIC reviews for enrolments whose next review date has come (beat, daily)."""
    day = dt.date.fromisoformat(as_of) if as_of else today()
    return services.reviews_open_periodic(as_of=day)
