"""Reads of training: scoped to the reader's jurisdiction, aggregated in the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth, TruncQuarter, TruncYear

from benefits.models import Household
from reemployment.core.models import Region, today
from reemployment.core.scoping import scope, scope_model
from reemployment.money import round_yuan
from training.models import (
    HOLDS_PLACE,
    AccountabilityReview,
    Course,
    CourseStatus,
    CourseType,
    EnrolmentStatus,
    Provider,
    SubsidyPayment,
    SubsidyStatus,
    TrainingEnrolment,
    TrainingWish,
)
from training.rules import completion_rate, output_rate

# --- staff lists ---------------------------------------------------------------------------------


def providers_for(user) -> QuerySet:
    return scope_model(Provider.objects.select_related("region"), user)


def courses_for(user) -> QuerySet:
    return scope_model(Course.objects.select_related("provider", "region"), user)


def reviews_for(user) -> QuerySet:
    return scope_model(AccountabilityReview.objects.select_related("course__provider", "owner"), user)


def subsidies_for(user) -> QuerySet:
    return scope_model(SubsidyPayment.objects.select_related("course", "provider"), user)


def wishes_for(user) -> QuerySet:
    return scope_model(TrainingWish.objects.select_related("member", "region"), user)


def roster(user, course_id: int) -> tuple[Course, list[TrainingEnrolment]] | None:
    """A course in the user's jurisdiction and its trainees (with attendance counts), or None."""
    course = courses_for(user).filter(pk=course_id).first()
    if course is None:
        return None
    # Trainees are personal data: the roster lists those whose household the user may see
    # (labour staff of the county see all, a township's staff their own residents).
    enrolments = list(
        scope_model(course.enrolments.all(), user).select_related("member__household__region", "placement")
        .annotate(days_present=Count("attendance", filter=Q(attendance__present=True)),
                  days_recorded=Count("attendance"))
        .order_by("status", "id")
    )
    return course, enrolments


# --- public and cross-app reads ------------------------------------------------------------------


def open_courses(region_code: str | None = None, as_of: dt.date | None = None) -> list[dict]:
    """Upcoming courses with places left, for the public portal (no personal data).

    With ``region_code``: courses held in that region, inside it, or in a region containing it
    (a county course is open to the residents of its townships).
    """
    as_of = as_of or today()
    courses = (Course.objects.filter(status=CourseStatus.OPEN, starts_on__gte=as_of)
               .filter(enrolled_count__lt=F("capacity"))
               .select_related("provider", "region").order_by("starts_on", "id"))
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            return []
        ancestors = [c for c in region.path.split("/") if c]
        courses = courses.filter(Q(region__path__startswith=region.path) | Q(region__code__in=ancestors))
    return [
        {
            "id": c.pk,
            "title": c.title,
            "course_type": c.course_type,
            "course_type_label": str(c.get_course_type_display()),
            "occupation": c.occupation,
            "provider": c.provider.name,
            "region_code": c.region.code,
            "region_name": c.region.name,
            "place": c.place,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "capacity": c.capacity,
            "places_left": c.places_left,
            "subsidy_per_trainee": c.subsidy_per_trainee,
            "certificate_name": c.certificate_name,
            "description": c.description,
        }
        for c in courses
    ]


@dataclass(frozen=True)
class EarnedCertificate:
    """A certificate (证书) a member earned in training, as shown on the job-seeker profile."""

    name: str  # as issued: the course's certificate name, or "<occupation>结业证书"
    matching_name: str  # the name vacancies use (Course.standard_certificate), else ``name``
    course_id: int
    course_title: str
    provider: str
    number: str
    issued_on: dt.date | None

    def as_dict(self) -> dict:
        return {"name": self.name, "matching_name": self.matching_name, "course": self.course_id,
                "course_title": self.course_title, "provider": self.provider, "number": self.number,
                "issued_on": self.issued_on}


CERTIFIED_ATTR = "certified_enrolments"


def _certified_enrolments() -> QuerySet:
    return (TrainingEnrolment.objects.filter(status=EnrolmentStatus.COMPLETED).exclude(certificate_number="")
            .select_related("course__provider").order_by("certificate_issued_on", "id"))


def certificates_prefetch(lookup: str = "training_enrolments") -> Prefetch:
    """Prefetch the members' certificates for a list (one query for all rows): ``lookup`` leads to
    ``Member.training_enrolments``, e.g. ``"member__training_enrolments"`` from job seekers."""
    return Prefetch(lookup, queryset=_certified_enrolments(), to_attr=CERTIFIED_ATTR)


def seeker_certificates_prefetch() -> Prefetch:
    """:func:`certificates_prefetch` for a list of ``jobs.JobSeeker`` (registered in :mod:`jobs.hooks`)."""
    return certificates_prefetch("member__training_enrolments")


def earned_certificates(member) -> list[EarnedCertificate]:
    """Certificates the member earned in training (completed and certified), oldest first; uses
    :func:`certificates_prefetch` when the member came with it, else one query."""
    enrolments = getattr(member, CERTIFIED_ATTR, None)
    if enrolments is None:
        enrolments = _certified_enrolments().filter(member=member)
    result = []
    for enrolment in enrolments:
        course = enrolment.course
        name = course.certificate_name or f"{course.occupation}结业证书"
        result.append(EarnedCertificate(
            name=name, matching_name=course.standard_certificate or name, course_id=course.pk,
            course_title=course.title, provider=course.provider.name, number=enrolment.certificate_number,
            issued_on=enrolment.certificate_issued_on))
    return result


def certificates_for_member(member) -> list[str]:
    """Certificates the member earned in training, for the seeker's profile text and matching.

    Each entry is the name vacancies use for it (the course's ``standard_certificate``, e.g.
    焊工证), or the certificate's own name when the course maps it to none (matching still
    recognises spellings such as 叉车司机证 → 叉车证), oldest first, without duplicates.
    """
    seen: list[str] = []
    for certificate in earned_certificates(member):
        if certificate.matching_name not in seen:
            seen.append(certificate.matching_name)
    return seen


def household_training(user) -> dict:
    """A recipient's household members, each with their training enrolments (own household only)."""
    household = Household.objects.filter(account=user).first() if getattr(user, "pk", None) else None
    if household is None:
        return {"household": None, "members": []}
    members = [m for m in household.members.all().order_by("id") if m.is_current]
    enrolments = defaultdict(list)
    for e in (TrainingEnrolment.objects.filter(member__household=household)
              .select_related("course__provider", "course__region", "placement").order_by("-enrolled_at")):
        enrolments[e.member_id].append(e)
    return {"household": household, "members": [(m, enrolments[m.pk]) for m in members]}


# --- survey --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyTable:
    survey_round: str | None
    course_types: list[tuple[str, str]]  # (value, label) of the columns
    rows: list[dict]  # {"code", "name", "counts": {type: n}, "total"}
    totals: dict  # {type: n}
    total: int


def wish_rounds(user) -> list[str]:
    return list(wishes_for(user).order_by("-survey_round").values_list("survey_round", flat=True).distinct())


def wish_survey(user, survey_round: str | None = None) -> SurveyTable:
    """Training wishes aggregated by township (first 9 digits of the region code) and course type."""
    qs = scope(TrainingWish.objects.all(), user)
    if survey_round:
        qs = qs.filter(survey_round=survey_round)
    grouped = (qs.annotate(township=Substr("region__code", 1, 9))
               .values("township", "course_type").annotate(n=Count("id")).order_by())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in grouped:
        counts[row["township"]][row["course_type"]] += row["n"]
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    types = [(value, str(label)) for value, label in CourseType.choices]
    rows, totals = [], {value: 0 for value, _ in types}
    for code in sorted(counts):
        row_counts = {value: counts[code].get(value, 0) for value, _ in types}
        for value, n in row_counts.items():
            totals[value] += n
        rows.append({"code": code, "name": names.get(code, code), "counts": row_counts,
                     "cells": [row_counts[value] for value, _ in types], "total": sum(row_counts.values())})
    return SurveyTable(survey_round, types, rows, totals, sum(totals.values()))


# --- reports -------------------------------------------------------------------------------------

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
GROUPS = {"provider": "course__provider_id", "course_type": "course__course_type"}


def _period_label(period: str, day: dt.date | None) -> str:
    if day is None:
        return ""
    if period == "year":
        return f"{day.year}"
    if period == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class ReportRow:
    period: str
    group_key: str
    group_label: str
    courses: int
    enrolled: int
    completed: int
    placed: int
    completion_rate: Decimal | None
    output_rate: Decimal | None
    subsidy_paid: Decimal


def training_report(user, *, period: str = "year", group: str = "provider", date_from: dt.date | None = None,
                    date_to: dt.date | None = None) -> list[ReportRow]:
    """Per period and provider or course type, for the courses in the user's jurisdiction:
    courses, enrolled, completed, placed and rates by the period of the course's **end date**;
    subsidy paid by the period of its **payment date** (``SubsidyPayment.paid_on``, always recorded
    when paid), so money paid in 2027 for a 2026 course is 2027's. ``date_from``/``date_to`` bound
    the end date for the counts and the payment date for the money. Four queries."""
    if period not in PERIODS or group not in GROUPS:
        raise ValueError("period must be month/quarter/year and group provider/course_type")
    trunc = PERIODS[period]
    key_field = GROUPS[group]
    in_scope = courses_for(user).exclude(status=CourseStatus.CANCELLED)
    courses = in_scope
    if date_from:
        courses = courses.filter(ends_on__gte=date_from)
    if date_to:
        courses = courses.filter(ends_on__lte=date_to)
    course_key = key_field.removeprefix("course__")
    enrolment_rows = (
        TrainingEnrolment.objects.filter(course__in=courses.values("pk"))
        .annotate(p=trunc("course__ends_on"))
        .values("p", key_field)
        .annotate(
            courses=Count("course", distinct=True),
            enrolled=Count("id", filter=Q(status__in=HOLDS_PLACE)),
            completed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)),
            placed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED, placement__isnull=False)),
        )
        .order_by()
    )
    payments = SubsidyPayment.objects.filter(course__in=in_scope.values("pk"), status=SubsidyStatus.PAID)
    if date_from:
        payments = payments.filter(paid_on__gte=date_from)
    if date_to:
        payments = payments.filter(paid_on__lte=date_to)
    paid_rows = (
        payments.annotate(p=trunc("paid_on")).values("p", key_field).annotate(paid=Sum("amount")).order_by()
    )
    course_rows = courses.annotate(p=trunc("ends_on")).values("p", course_key).annotate(n=Count("id")).order_by()
    data: dict[tuple, dict] = {}

    def slot(p, key):
        return data.setdefault((p, key), {"courses": 0, "enrolled": 0, "completed": 0, "placed": 0,
                                          "paid": Decimal("0.00")})

    for row in course_rows:
        slot(row["p"], row[course_key])["courses"] = row["n"]
    for row in enrolment_rows:
        entry = slot(row["p"], row[key_field])
        entry.update(enrolled=row["enrolled"], completed=row["completed"], placed=row["placed"])
    for row in paid_rows:
        # A sum of exact cents (SQLite returns it without the trailing zeros): shown with two decimals.
        slot(row["p"], row[key_field])["paid"] = round_yuan(row["paid"] or Decimal("0.00"))
    if group == "provider":
        labels = dict(Provider.objects.filter(pk__in={k for _, k in data}).values_list("pk", "name"))
    else:
        labels = dict(CourseType.choices)
    result = []
    for (p, key), entry in sorted(data.items(), key=lambda item: (item[0][0] or dt.date.min, str(item[0][1]))):
        day = p.date() if isinstance(p, dt.datetime) else p
        result.append(ReportRow(
            period=_period_label(period, day), group_key=str(key), group_label=str(labels.get(key, key)),
            courses=entry["courses"], enrolled=entry["enrolled"], completed=entry["completed"],
            placed=entry["placed"], completion_rate=completion_rate(entry["enrolled"], entry["completed"]),
            output_rate=output_rate(entry["completed"], entry["placed"]), subsidy_paid=entry["paid"],
        ))
    return result
