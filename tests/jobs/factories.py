"""Factories for jobs tests: households and members (benefits records), employers, vacancies."""

import datetime as dt
import itertools
from decimal import Decimal

from benefits.models import Enrolment, EnrolmentStatus, Household, Member, Relation, WorkAbility
from jobs.models import Employer, Hours, Vacancy
from reemployment.core.models import ParameterSet, today
from reemployment.idcard import make_id_number

_seq = itertools.count(1)


def oblige_rural(county) -> ParameterSet:
    """The county extends the job-seeker obligation (and so the refusal sanction) to rural households
    (``jobseeker_obligation_areas``; urban only by default, [R4] speaks of 城市低保)."""
    return ParameterSet.objects.create(region=county, valid_from=dt.date(2000, 1, 1),
                                       values={"jobseeker_obligation_areas": ["urban", "rural"]})


def make_household(region, *, account=None, enrolled=True, number=None) -> Household:
    n = next(_seq)
    household = Household.objects.create(number=number or f"T{n:06d}", region=region,
                                         area=region.effective_area() or "urban", account=account)
    if enrolled:
        Enrolment.objects.create(household=household, area=household.area, category="C",
                                 monthly_amount=Decimal("300.00"), persons=2, status=EnrolmentStatus.ACTIVE,
                                 start_date=today() - dt.timedelta(days=200), certificate_number=f"DB{n:06d}")
    return household


def make_member(household, *, sex="M", age=30, name="张三", work_ability=WorkAbility.FULL,
                relation=Relation.HEAD) -> Member:
    as_of = today()
    birth = dt.date(as_of.year - age, 1, 15) if (as_of.month, as_of.day) >= (1, 15) else \
        dt.date(as_of.year - age - 1, 1, 15)
    seq = next(_seq) % 500 * 2 + (1 if sex == "M" else 0)
    seq = seq if seq else 2
    return Member.objects.create(household=household, id_number=make_id_number("341125", birth, seq), name=name,
                                 sex=sex, birth_date=birth, relation=relation, hukou_area=household.area,
                                 work_ability=work_ability)


def make_employer(region, name="炉桥盐化有限公司") -> Employer:
    return Employer.objects.create(name=name, region=region)


def vacancy_fields(employer, region, **overrides) -> dict:
    fields = {"employer": employer, "title": "电焊工", "description": "钢结构焊接，需持焊工证", "occupation": "电焊工",
                  "region": region, "pay_min": Decimal(4000), "pay_max": Decimal(6000), "hours": Hours.DAY, "openings": 2,
                  "requirements": "有焊工证", "certificates": ["焊工证"], "closes_on": today() + dt.timedelta(days=30)}
    fields.update(overrides)
    return fields


def add_vacancy(employer, region, **overrides) -> Vacancy:
    """Direct insert (no service, no index): for list/scoping tests."""
    return Vacancy.objects.create(**vacancy_fields(employer, region, **overrides))
