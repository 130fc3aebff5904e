"""Reads for work incentives: proposals, the public-labour shortfall list, job previews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from benefits.models import (
    PAYABLE_STATUSES,
    Enrolment,
    EnrolmentStatus,
    Household,
    Member,
    StudentStatus,
    WorkAbility,
)
from benefits.rules import public_labour_shortfall, transition_benefit
from incentives.models import ProposalStatus, PublicLabourRecord, TransitionProposal
from reemployment.core.scoping import scope, scope_model
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import add_months, next_month_start

PUBLIC_LABOUR_MAX_AGE = 60  # statutory working age; above it nobody is asked for public labour


def proposals_for(user, status: str | None = None) -> QuerySet:
    queryset = TransitionProposal.objects.select_related("household__region", "member", "enrolment")
    if status:
        queryset = queryset.filter(status=status)
    return scope_model(queryset, user)


def public_labour_shortfall_list(user, month: dt.date, region_code: str | None = None) -> list[dict]:
    """Able members of paid households and their hours this month, with who fell short.

    Set-based: one query with a subquery summing the month's hours per member. "Able" here is
    full work ability, not a student, aged at least ``jobseeker_min_age`` and under 60 on the
    month's first day. Required hours come from the county's parameters in force that month.
    """
    hours = (
        PublicLabourRecord.objects.filter(member=OuterRef("pk"), month=month)
        .values("member").annotate(total=Sum("hours")).values("total")
    )
    members = (
        Member.objects.filter(
            household__enrolments__status__in=PAYABLE_STATUSES,
            work_ability=WorkAbility.FULL,
            student_status=StudentStatus.NONE,
            died_on__isnull=True,
            left_on__isnull=True,
            birth_date__gt=add_months(month, -12 * PUBLIC_LABOUR_MAX_AGE),
        )
        .annotate(hours=Coalesce(Subquery(hours, output_field=DecimalField(max_digits=6, decimal_places=1)),
                                 Value(Decimal("0.0"))))
        .select_related("household__region")
        .order_by("household__region__path", "household__number", "id")
    )
    members = scope(members, user, "household__region")
    if region_code:
        members = members.filter(household__region__path__contains=f"{region_code}/")
    rows, params_cache = [], {}
    for member in members:
        county = member.household.region.path.split("/")[0]
        if county not in params_cache:
            params_cache[county] = parameters_in_force(member.household.region, month)
        params = params_cache[county]
        age_floor = add_months(month, -12 * params.jobseeker_min_age)
        if member.birth_date > age_floor:
            continue
        result = public_labour_shortfall(member.hours, params)  # the rule, with its explanation
        rows.append({
            "member": member, "household": member.household, "hours": result.recorded_hours,
            "required": Decimal(result.required_hours), "shortfall": result.shortfall_hours, "met": result.met,
            "explanation": result.explanation,
        })
    return rows


def transition_preview(household: Household, monthly_pay: Decimal, as_of: dt.date) -> dict | None:
    """"If you take this job": what the transition would pay and until when, for a recipient."""
    enrolment = household.enrolments.filter(status__in=PAYABLE_STATUSES).first()
    if enrolment is None:
        return None
    params = parameters_in_force(household.region, as_of)
    base = enrolment.monthly_amount
    running = TransitionProposal.objects.filter(enrolment=enrolment, status=ProposalStatus.CONFIRMED).first()
    if enrolment.status == EnrolmentStatus.TRANSITIONAL and running:
        base = running.previous_amount
    result = transition_benefit(base, monthly_pay, next_month_start(as_of), params)
    return {"monthly_amount": result.monthly_amount, "months": result.months, "until": result.end_date,
            "explanation": list(result.explanation)}


def enrolments_in_transition(user) -> QuerySet:
    return scope_model(Enrolment.objects.filter(status=EnrolmentStatus.TRANSITIONAL)
                       .select_related("household__region").order_by("transition_until"), user)
