"""Households, members and enrolments for payroll and integrity tests (plain ORM: fast and explicit)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from benefits.models import Enrolment, EnrolmentStatus, Household, Member, Relation
from reemployment.idcard import make_id_number

_seq = itertools.count(1)


def make_household(region, *, members: int = 1, number: str | None = None, area: str | None = None,
                   bank_account: str = "6228480000000000000") -> Household:
    n = next(_seq)
    household = Household.objects.create(
        number=number or f"H{n:07d}", region=region, area=area or (region.area or "urban"),
        bank_account=bank_account, bank_name="农业银行定远支行",
    )
    for i in range(members):
        birth = dt.date(1960 + i, 1 + (n % 12), 1 + (n % 27))
        Member.objects.create(
            household=household, id_number=make_id_number("341125", birth, (n * 10 + i) % 1000),
            name=f"张{'一二三四五六七八'[i % 8]}{n}", sex="M" if ((n * 10 + i) % 1000) % 2 else "F",
            birth_date=birth, relation=Relation.HEAD if i == 0 else Relation.CHILD,
            hukou_area=household.area,
        )
    return household


def make_enrolment(household, *, amount: str = "300.00", start: dt.date = dt.date(2026, 1, 1),
                   status: str = EnrolmentStatus.ACTIVE, persons: int | None = None, **extra) -> Enrolment:
    return Enrolment.objects.create(
        household=household, area=household.area, category="C", monthly_amount=Decimal(amount),
        persons=persons or household.members.count(), status=status, start_date=start,
        certificate_number=f"DB{household.number}", **extra,
    )
