"""Hooks of jobs that the apps above it fill, so that jobs never imports them.

The layers run one way (kernel ← benefits ← jobs ← training ← incentives ← cms, see
docs/architecture.md): where jobs must react to or read from a higher app, it declares the hook
here and the higher app registers into it from its ``AppConfig.ready()``.

- **After a hire** (:func:`register_after_hire`, run by ``jobs.services`` inside the hire's
  transaction): ordered receivers ``receiver(*, actor, hire)``. Today: training places the member's
  completed courses (输出, order 10), then incentives proposes the transition benefit (order 20).
  The order is explicit because ``ready()`` runs in ``INSTALLED_APPS`` order, not in layer order.
- **Earned certificates** (:func:`register_certificate_source`): training's certificates become
  part of the seeker's profile and a matching signal (DESIGN.md §5).
- **"If you take this job" preview** (:func:`register_hire_preview`): incentives' transition
  benefit at a post's pay (DESIGN.md §4 [R4]).

Registering the same function twice is a no-op, so a repeated ``ready()`` changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

AfterHireReceiver = Callable[..., Any]  # receiver(*, actor, hire) -> anything (ignored)
HirePreview = Callable[[Any, Decimal, dt.date], "dict | None"]  # (household, monthly_pay, as_of)

_after_hire: list[tuple[int, AfterHireReceiver]] = []
_hire_previews: list[HirePreview] = []


@dataclass(frozen=True)
class CertificateSource:
    """Where members' earned certificates come from.

    ``earned(member)`` returns the certificates, oldest first, as objects with ``matching_name``
    (the name vacancies use) and ``as_dict()``; ``seeker_prefetch()`` returns the ``Prefetch``
    (from ``JobSeeker``) that lets ``earned`` answer a whole list of seekers without a query each.
    """

    earned: Callable[[Any], list]
    seeker_prefetch: Callable[[], Prefetch]


_certificate_sources: list[CertificateSource] = []


# --- after a hire ----------------------------------------------------------------------------------

def register_after_hire(receiver: AfterHireReceiver, *, order: int) -> None:
    """Call ``receiver(actor=..., hire=...)`` after every hire, lowest ``order`` first."""
    if all(existing is not receiver for _, existing in _after_hire):
        _after_hire.append((order, receiver))
        _after_hire.sort(key=lambda entry: entry[0])


def after_hire_receivers() -> list[AfterHireReceiver]:
    return [receiver for _, receiver in _after_hire]


def run_after_hire(*, actor, hire) -> None:
    """Run every after-hire receiver, in order, in the caller's transaction."""
    for receiver in after_hire_receivers():
        receiver(actor=actor, hire=hire)


# --- earned certificates ---------------------------------------------------------------------------

def register_certificate_source(source: CertificateSource) -> None:
    if source not in _certificate_sources:
        _certificate_sources.append(source)


def earned_certificates(member) -> list:
    """Every registered source's certificates of the member, source by source, oldest first."""
    return [certificate for source in _certificate_sources for certificate in source.earned(member)]


def with_earned_certificates(seekers: QuerySet) -> QuerySet:
    """The seekers with what :func:`earned_certificates` reads prefetched for the whole list."""
    for source in _certificate_sources:
        seekers = seekers.prefetch_related(source.seeker_prefetch())
    return seekers


# --- "if you take this job" --------------------------------------------------------------------------

def register_hire_preview(preview: HirePreview) -> None:
    if preview not in _hire_previews:
        _hire_previews.append(preview)


def hire_preview(household, monthly_pay: Decimal, as_of: dt.date) -> dict | None:
    """What taking a post at ``monthly_pay`` would mean for the household's benefit (the first
    registered preview that answers), or None."""
    for preview in _hire_previews:
        result = preview(household, monthly_pay, as_of)
        if result is not None:
            return result
    return None
