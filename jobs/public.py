"""What jobs offers the public portal: open vacancies as frozen dataclasses (no personal data).

The portal (``cms``) calls only this module of jobs; it never sees a model instance or a dict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from jobs import selectors as _selectors
from jobs.models import Hours, Vacancy


@dataclass(frozen=True)
class PublicVacancy:
    """An open vacancy as the public may see it. ``hours`` is the label of the shift pattern in
    the active language; ``reasons`` say why a search matched (empty when listed, not searched);
    ``openings`` and ``description`` are not part of a search result (None and "")."""

    id: int
    title: str
    employer: str
    occupation: str
    place: str
    pay_min: Decimal | None
    pay_max: Decimal | None
    hours: str
    openings: int | None
    closes_on: dt.date | None
    description: str
    reasons: tuple[str, ...] = ()
    label: str = ""                      # 很合适 / 可以考虑 / 不符合您的条件 (search results only)
    conflicts: tuple[str, ...] = ()      # why it breaks a condition the search states (excluded only)


@dataclass(frozen=True)
class PublicSearch:
    """A search answer: vacancies that fit (empty when none does), those set apart because they break
    a condition the phrase states, and what to try when nothing fits."""

    results: tuple[PublicVacancy, ...]
    excluded: tuple[PublicVacancy, ...] = ()
    suggestions: tuple[str, ...] = ()


def _hours_label(code: str) -> str:
    try:
        return str(Hours(code).label)
    except ValueError:
        return str(code or "")


def _from_instance(vacancy: Vacancy) -> PublicVacancy:
    return PublicVacancy(
        id=vacancy.pk,
        title=vacancy.title,
        employer=vacancy.employer.name,
        occupation=vacancy.occupation or "",
        place=vacancy.region.name,
        pay_min=vacancy.pay_min,
        pay_max=vacancy.pay_max,
        hours=_hours_label(vacancy.hours),
        openings=vacancy.openings,
        closes_on=vacancy.closes_on,
        description=vacancy.description or "",
    )


def _from_search(row: dict) -> PublicVacancy:
    return PublicVacancy(
        id=row["id"],
        title=row["title"],
        employer=row["employer"],
        occupation=row["occupation"] or "",
        place=row["township"],
        pay_min=row["pay_min"],
        pay_max=row["pay_max"],
        hours=_hours_label(row["hours"]),
        openings=None,
        closes_on=row["closes_on"],
        description="",
        reasons=tuple(str(reason) for reason in row["reasons"] if reason not in row.get("conflicts", ())),
        label=row.get("label", ""),
        conflicts=tuple(str(c) for c in row.get("conflicts", ())),
    )


def open_vacancies(region_code: str | None = None, limit: int = 50) -> list[PublicVacancy]:
    """Open vacancies, newest first, inside ``region_code`` (raises ``DomainError`` if unknown)."""
    return [_from_instance(vacancy) for vacancy in _selectors.open_vacancies(region_code=region_code)[:limit]]


def search_vacancies(query: str, region_code: str | None = None, k: int = 20) -> list[PublicVacancy]:
    """The vacancies that fit a free-text phrase, best first (empty when none does)."""
    return list(search(query, region_code=region_code, k=k).results)


def search(query: str, region_code: str | None = None, k: int = 20) -> PublicSearch:
    """The hybrid search of open vacancies for a free-text phrase (see ``jobs.selectors.search``)."""
    answer = _selectors.search(query, region_code=region_code, k=k)
    return PublicSearch(results=tuple(_from_search(row) for row in answer["results"]),
                        excluded=tuple(_from_search(row) for row in answer["excluded"]),
                        suggestions=tuple(answer["suggestions"]))
