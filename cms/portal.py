"""The portal's reads and writes through the other apps (benefits, jobs, training).

Each function returns ``(data, available)`` or ``(result, error)`` so that a page renders a
visible "暂无" fallback, instead of failing, when another app's selector is missing or raises.
This module is also the privacy gate of the public pages: public-notice entries are reduced to
a whitelist of fields and names are masked again here, whatever the selector returned.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reemployment.idcard import mask_name

logger = logging.getLogger(__name__)

ID_NUMBER_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def _get(item, *names, default=None):
    """First present attribute/key among ``names`` of an object or a dict."""
    for name in names:
        if isinstance(item, dict):
            if item.get(name) not in (None, ""):
                return item[name]
        else:
            value = getattr(item, name, None)
            if value not in (None, ""):
                return value() if callable(value) and name.startswith("get_") else value
    return default


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


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# The notice stages of ``benefits.selectors.public_notices`` (its ``stage`` key) and their labels in
# the visitor's language; the selector's own ``stage_label`` is Chinese only.
NOTICE_STAGE_LABELS = {
    "approved": gettext_lazy("审批结果公示"),
    "appraisal": gettext_lazy("评议结果公示"),
}


def public_notice_entries(
    region_code: str | None, as_of: dt.date | None = None, stages: Iterable[str] = ("approved",),
) -> tuple[list[NoticeEntry], bool]:
    """Entries in their notice period today (``benefits.selectors.public_notices``) of the given
    ``stages`` ("approved": 审批结果公示, "appraisal": 评议结果公示). A row of no known stage is never
    shown: a page titled "approved households" must not list anything else."""
    try:
        from benefits.selectors import public_notices
    except ImportError:
        return [], False
    try:
        rows = public_notices(region_code=region_code, as_of=as_of or dt.date.today())
    except Exception:
        logger.exception("public_notices failed")
        return [], False
    wanted = set(stages) & set(NOTICE_STAGE_LABELS)
    entries = []
    for row in rows:
        stage = _get(row, "stage", default="")
        if stage not in wanted:
            continue
        entries.append(
            NoticeEntry(
                name=safe_name(_get(row, "masked_name", "name", "head_name", default="")),
                region=scrub(_get(row, "community", "region_name", default="")),
                category=scrub(_get(row, "category_label", "category", default="")),
                household_size=_get(row, "persons", "household_size"),
                monthly_amount=_get(row, "monthly_amount"),
                kind=str(NOTICE_STAGE_LABELS[stage]),
                notice_from=_as_date(_get(row, "notice_start", "notice_from")),
                notice_until=_as_date(_get(row, "notice_end", "notice_until")),
            )
        )
    return entries, True


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


def self_check(data: dict, county_code: str, as_of: dt.date | None = None) -> tuple[SelfCheckResult | None, str | None]:
    """Estimate with the case-work rules: ``benefits.rules.assess_household`` with the standard
    and parameters in force on ``as_of`` for the county. Returns (result, None) or (None, message)."""
    from benefits.rules import Assets, Income, Member, RuleInputError, assess_household
    from reemployment.core.errors import DomainError
    from reemployment.core.selectors import parameters_in_force, region_by_code, standard_in_force

    as_of = as_of or dt.date.today()
    try:
        region = region_by_code(data.get("region_code") or county_code)
        area = data["area"]
        standard = standard_in_force(region, area, as_of).monthly_amount
        params = parameters_in_force(region, as_of)
    except DomainError as exc:
        return None, str(exc)
    size = data["household_size"]
    adult_birth = dt.date(as_of.year - 40, 1, 1)
    members = []
    for index in range(size):
        first = index == 0
        members.append(
            Member(
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
            incomes.append(Income(member_index=0, kind=kind, monthly_amount=amount, work_costs=work_costs))
    assets = Assets(
        deposits=data.get("deposits") or Decimal(0),
        vehicles=data.get("vehicles") or 0,
        properties=data.get("properties") or 0,
    )
    try:
        assessment = assess_household(members, incomes, assets, area, standard, params, as_of)
    except RuleInputError as exc:
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


def _pay_text(item) -> str:
    low, high = _get(item, "pay_min"), _get(item, "pay_max")
    if low is not None and high is not None and low != high:
        return f"{low:.0f}–{high:.0f}"
    if low is not None or high is not None:
        return f"{(low if low is not None else high):.0f}"
    return str(_get(item, "pay", default=""))


def _hours_label(code) -> str:
    try:
        from jobs.models import Hours

        return str(Hours(code).label)
    except (ImportError, ValueError):
        return str(code or "")


def _name_of(value) -> str:
    """A related object's name, or the text itself."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(_get(value, "name", default=value))


def _vacancy_row(item) -> VacancyRow:
    """A Vacancy instance (open_vacancies) or a search-result dict (search_vacancies)."""
    if isinstance(item, dict):
        reasons = item.get("reasons") or []
        return VacancyRow(
            title=str(item.get("title", "")),
            employer=_name_of(item.get("employer")),
            occupation=str(item.get("occupation") or ""),
            place=str(item.get("township") or item.get("region_name") or ""),
            pay=_pay_text(item),
            hours=_hours_label(item.get("hours")),
            openings=item.get("openings"),
            closes_on=_as_date(item.get("closes_on")),
            description=str(item.get("description") or "")[:200],
            why="；".join(str(r) for r in reasons),
        )
    return VacancyRow(
        title=str(_get(item, "title", default="")),
        employer=_name_of(_get(item, "employer")),
        occupation=str(_get(item, "occupation", default="")),
        place=_name_of(_get(item, "region")),
        pay=_pay_text(item),
        hours=str(_get(item, "get_hours_display", "hours", default="")),
        openings=_get(item, "openings"),
        closes_on=_get(item, "closes_on"),
        description=str(_get(item, "description", default=""))[:200],
        why="",
    )


def vacancies(query: str, region_code: str | None, k: int = 20) -> tuple[list[VacancyRow], bool]:
    """Open vacancies; with a query, the semantic search (``jobs.selectors.search_vacancies``)."""
    try:
        from jobs import selectors
    except ImportError:
        return [], False
    try:
        if query:
            rows = selectors.search_vacancies(query, region_code=region_code, k=k)
        else:
            rows = list(selectors.open_vacancies(region_code=region_code)[:50])
    except Exception:
        logger.exception("vacancy listing failed")
        return [], False
    return [_vacancy_row(item) for item in rows], True


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
    """Open courses (``training.selectors.open_courses``)."""
    try:
        from training.selectors import open_courses
    except ImportError:
        return [], False
    try:
        rows = list(open_courses(region_code=region_code)[:50])
    except Exception:
        logger.exception("course listing failed")
        return [], False
    result = []
    for course in rows:
        place = " ".join(
            str(part) for part in (_get(course, "region_name", default=""), _get(course, "place", default="")) if part
        )
        result.append(
            CourseRow(
                title=str(_get(course, "title", "name", default="")),
                occupation=str(_get(course, "occupation", "course_type_label", default="")),
                provider=_name_of(_get(course, "provider")),
                starts_on=_as_date(_get(course, "starts_on")),
                ends_on=_as_date(_get(course, "ends_on")),
                capacity=_get(course, "capacity"),
                places_left=_get(course, "places_left"),
                place=place,
                description=str(_get(course, "description", default=""))[:200],
            )
        )
    return result, True


# --- tip-off ----------------------------------------------------------------------------

def submit_tip_off(data: dict) -> tuple[str | None, str | dict | None]:
    """Create a tip-off record (``benefits.integrity.services.tip_off_submit``).
    Returns (reference number, None) or (None, message), or (None, {field: [messages]}) for field errors."""
    try:
        from benefits.integrity.services import tip_off_submit
    except ImportError:
        return None, _("暂无法在线受理举报，请拨打举报电话或到乡镇（街道）民政办反映。")
    from reemployment.core.errors import DomainError

    anonymous = bool(data.get("anonymous"))
    try:
        tip_off = tip_off_submit(
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
    return str(_get(tip_off, "reference", default="")), None
