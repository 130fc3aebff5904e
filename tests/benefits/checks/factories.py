"""Households, members, income and enrolments for the checks tests (plain ORM, no services)."""

import datetime as dt
import itertools
from decimal import Decimal

from benefits.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
    IncomeItem,
    Member,
    Relation,
)
from reemployment.idcard import make_id_number

_seq = itertools.count(1)


def make_member(household, *, birth=dt.date(1970, 1, 1), male=True, relation=Relation.HEAD, name="张三") -> Member:
    n = next(_seq)
    sequence = (2 * (n % 499) + 1) if male else (2 * (n % 499) + 2)
    birth = birth + dt.timedelta(days=n // 499)
    return Member.objects.create(
        household=household, id_number=make_id_number("341125", birth, sequence), name=name,
        sex="M" if male else "F", birth_date=birth, relation=relation, hukou_area=household.area,
    )


def make_household(region, *, persons=2, category="C", amount="200.00", status=EnrolmentStatus.ACTIVE,
                   start=dt.date(2026, 1, 1), enrolled=True, number=None) -> Household:
    n = next(_seq)
    household = Household.objects.create(number=number or f"H{n:06d}", region=region,
                                         area=region.effective_area() or "urban")
    for i in range(persons):
        make_member(household, relation=Relation.HEAD if i == 0 else Relation.CHILD, male=i % 2 == 0,
                    birth=dt.date(1960 + 10 * i, 3, 1), name=f"成员{i}")
    if enrolled:
        enrolment = Enrolment.objects.create(
            household=household, area=household.area, category=category, monthly_amount=Decimal(amount),
            persons=persons, status=status, start_date=start, certificate_number=f"C{n:06d}",
            end_date=None if status != EnrolmentStatus.ENDED else start,
        )
        EnrolmentEvent.objects.create(enrolment=enrolment, kind=EnrolmentEventKind.ENTRY, effective_on=start,
                                      reason="纳入", status_after=EnrolmentStatus.ACTIVE, category_after=category,
                                      amount_after=Decimal(amount))
    return household


def declare_income(member, kind, amount) -> IncomeItem:
    return IncomeItem.objects.create(household=member.household, member=member, kind=kind,
                                     monthly_amount=Decimal(amount))
