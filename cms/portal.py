"""The portal's reads and writes through the other apps, by their typed public contracts only
(``benefits.public``, ``jobs.public``, ``training.public``).

Each function returns ``(data, available)`` or ``(result, error)`` so that a page renders a
visible "暂无" fallback, instead of failing, when another app's read raises.
This module is also the privacy gate of the public pages: public-notice entries are reduced to
a whitelist of fields and names are masked again here, whatever the selector returned.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from benefits import public as benefits_public
from jobs import public as jobs_public
from reemployment.core.errors import DomainError
from reemployment.core.models import today
from reemployment.idcard import mask_name
from training import public as training_public

logger = logging.getLogger(__name__)

ID_NUMBER_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def safe_name(name: str) -> str:
    """A name fit for a public page: masked unless it already is (张*三)."""
    name = str(name or "").strip()
    if not name:
        return ""
    if "*" in name:
        return name
    return mask_name(name)


def scrub(text: object) -> str:
    """Remove anything shaped like an 18-digit ID number from free text shown publicly."""
    return ID_NUMBER_PATTERN.sub("******************", str(text or ""))


@dataclass(frozen=True)
class NoticeEntry:
    """One household on the public notice (公示): only what may be shown publicly."""

    name: str
    region: str
    category: str
    household_size: int | None
    monthly_amount: Decimal | None
    kind: str
    notice_from: dt.date | None
    notice_until: dt.date | None


# The notice stages of ``benefits.public.PublicNotice.stage`` and their labels in the visitor's language.
NOTICE_STAGE_LABELS = {
    "approved": gettext_lazy("审批结果公示"),
    "appraisal": gettext_lazy("评议结果公示"),
    "township": gettext_lazy("审核结果公示"),  # the township's notice, where the county's stages have one [R5]
}


def public_notice_entries(
    region_code: str | None, as_of: dt.date | None = None, stages: Iterable[str] = ("approved",),
) -> tuple[list[NoticeEntry], bool]:
    """Entries in their notice period today (``benefits.public.public_notices``) of the given
    ``stages`` ("approved": 审批结果公示, "appraisal": 评议结果公示, "township": 审核结果公示). A row of no known stage is never
    shown: a page titled "approved households" must not list anything else."""
    try:
        rows = benefits_public.public_notices(region_code=region_code, as_of=as_of or today())
    except Exception:
        logger.exception("public_notices failed")
        return [], False
    wanted = set(stages) & set(NOTICE_STAGE_LABELS)
    return [
        NoticeEntry(
            name=safe_name(row.name),
            region=scrub(row.community),
            category=scrub(row.category or ""),
            household_size=row.persons,
            monthly_amount=row.monthly_amount,
            kind=str(NOTICE_STAGE_LABELS[row.stage]),
            notice_from=row.notice_start,
            notice_until=row.notice_end,
        )
        for row in rows
        if row.stage in wanted
    ], True


# --- self-check -------------------------------------------------------------------------

@dataclass(frozen=True)
class SelfCheckResult:
    eligible: bool
    category: str | None
    monthly_amount: Decimal
    per_capita_income: Decimal
    standard: Decimal
    household_size: int
    reasons: tuple[str, ...]
    explanation: tuple[str, ...]
    as_of: dt.date


INCOME_FIELDS = ("wages", "business", "pension", "agricultural", "support", "transfer", "other")


def self_check_request(data: dict, county_code: str, as_of: dt.date) -> benefits_public.EstimateRequest:
    """The self-check form's answers as an estimate request: ``household_size`` adults of 40, the
    flags on the first member (or on all for 三无), the incomes as the first member's, the assets."""
    size = data["household_size"]
    adult_birth = dt.date(as_of.year - 40, 1, 1)
    members = []
    for index in range(size):
        first = index == 0
        members.append(
            benefits_public.EstimateMember(
                birth_date=adult_birth,
                sex="F" if index % 2 else "M",
                three_no=bool(data.get("all_three_no")),
                serious_illness=first and bool(data.get("serious_illness")),
                severe_disability=first and bool(data.get("severe_disability")),
                single_parent=first and bool(data.get("single_parent")),
                university_student=first and bool(data.get("university_student")),
                work_ability=not (first and bool(data.get("no_work_ability"))) and not data.get("all_three_no"),
                disaster=first and bool(data.get("disaster")),
            )
        )
    incomes = []
    for kind in INCOME_FIELDS:
        amount = data.get(kind) or Decimal(0)
        if amount:
            work_costs = (data.get("work_costs") or Decimal(0)) if kind == "wages" else Decimal(0)
            incomes.append(
                benefits_public.EstimateIncome(member_index=0, kind=kind, monthly_amount=amount, work_costs=work_costs)
            )
    assets = benefits_public.EstimateAssets(
        deposits=data.get("deposits") or Decimal(0),
        vehicles=data.get("vehicles") or 0,
        properties=data.get("properties") or 0,
    )
    return benefits_public.EstimateRequest(
        region_code=data.get("region_code") or county_code,
        members=tuple(members),
        incomes=tuple(incomes),
        assets=assets,
        area=data["area"],
        area_overrides_region=True,
        as_of=as_of,
    )


def self_check(data: dict, county_code: str, as_of: dt.date | None = None) -> tuple[SelfCheckResult | None, str | None]:
    """Estimate with the public estimator (``benefits.public.estimate``, the same as the API's):
    the case-work rules with the standard and parameters in force on ``as_of`` for the county.
    Returns (result, None) or (None, message)."""
    as_of = as_of or today()
    try:
        assessment = benefits_public.estimate(self_check_request(data, county_code, as_of)).assessment
    except DomainError as exc:
        return None, str(exc)
    return (
        SelfCheckResult(
            eligible=assessment.eligible,
            category=assessment.category,
            monthly_amount=assessment.monthly_amount,
            per_capita_income=assessment.per_capita_income,
            standard=assessment.standard,
            household_size=assessment.household_size,
            reasons=assessment.reasons,
            explanation=assessment.explanation,
            as_of=as_of,
        ),
        None,
    )


# --- vacancies and courses ------------------------------------------------------------

@dataclass(frozen=True)
class VacancyRow:
    title: str
    employer: str
    occupation: str
    place: str
    pay: str
    hours: str
    openings: int | None
    closes_on: dt.date | None
    description: str
    why: str
    label: str = ""            # 很合适 / 可以考虑 (search results)
    conflict: str = ""         # why an excluded vacancy does not fit what the search said


@dataclass(frozen=True)
class VacancySearch:
    rows: list[VacancyRow]
    available: bool
    excluded: list[VacancyRow] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def _pay_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None and low != high:
        return f"{low:.0f}–{high:.0f}"
    if low is not None or high is not None:
        return f"{(low if low is not None else high):.0f}"
    return ""


def _vacancy_row(vacancy: jobs_public.PublicVacancy) -> VacancyRow:
    return VacancyRow(
        title=vacancy.title,
        employer=vacancy.employer,
        occupation=vacancy.occupation,
        place=vacancy.place,
        pay=_pay_text(vacancy.pay_min, vacancy.pay_max),
        hours=vacancy.hours,
        openings=vacancy.openings,
        closes_on=vacancy.closes_on,
        description=vacancy.description[:200],
        why="；".join(vacancy.reasons),
        label=vacancy.label,
        conflict="；".join(vacancy.conflicts),
    )


def vacancy_search(query: str, region_code: str | None, k: int = 20) -> VacancySearch:
    """Open vacancies; with a query, the hybrid search: what fits (labelled 很合适 / 可以考虑), what is
    set apart because it breaks a condition the query states, and what to try when nothing fits."""
    if not query:
        rows, available = vacancies(query, region_code, k)
        return VacancySearch(rows, available)
    try:
        answer = jobs_public.search(query, region_code=region_code, k=k)
    except Exception:
        logger.exception("vacancy search failed")
        return VacancySearch([], False)
    return VacancySearch([_vacancy_row(v) for v in answer.results], True,
                         [_vacancy_row(v) for v in answer.excluded], list(answer.suggestions))


def vacancies(query: str, region_code: str | None, k: int = 20) -> tuple[list[VacancyRow], bool]:
    """Open vacancies; with a query, the semantic search (``jobs.public.search_vacancies``)."""
    try:
        if query:
            rows = jobs_public.search_vacancies(query, region_code=region_code, k=k)
        else:
            rows = jobs_public.open_vacancies(region_code=region_code, limit=50)
    except Exception:
        logger.exception("vacancy listing failed")
        return [], False
    return [_vacancy_row(vacancy) for vacancy in rows], True


@dataclass(frozen=True)
class CourseRow:
    title: str
    occupation: str
    provider: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    capacity: int | None
    places_left: int | None
    place: str
    description: str


def courses(region_code: str | None) -> tuple[list[CourseRow], bool]:
    """Open courses (``training.public.open_courses``)."""
    try:
        rows = training_public.open_courses(region_code=region_code, limit=50)
    except Exception:
        logger.exception("course listing failed")
        return [], False
    return [
        CourseRow(
            title=course.title,
            occupation=course.occupation or course.course_type_label,
            provider=course.provider,
            starts_on=course.starts_on,
            ends_on=course.ends_on,
            capacity=course.capacity,
            places_left=course.places_left,
            place=" ".join(part for part in (course.region_name, course.place) if part),
            description=course.description[:200],
        )
        for course in rows
    ], True


# --- tip-off ----------------------------------------------------------------------------

def submit_tip_off(data: dict) -> tuple[str | None, str | dict | None]:
    """Create a tip-off record (``benefits.public.tip_off_submit``).
    Returns (reference number, None) or (None, message), or (None, {field: [messages]}) for field errors."""
    anonymous = bool(data.get("anonymous"))
    try:
        reference = benefits_public.tip_off_submit(
            text=data["text"],
            region_code=data.get("region_code") or None,
            household_number=data.get("household_number") or None,
            contact="" if anonymous else (data.get("contact") or ""),
            anonymous=anonymous,
        )
    except DomainError as exc:
        if exc.field_errors:
            return None, {field: [str(m) for m in messages] for field, messages in exc.field_errors.items()}
        return None, exc.message
    # The random reference number stored on the record, never the sequential id (guessable).
    return reference, None
