"""Factories for training tests: households and members (benefits), providers, courses."""

import datetime as dt
from decimal import Decimal

import factory

from benefits.models import Household, Member, Relation, Sex
from reemployment.core.models import Area
from reemployment.idcard import make_id_number
from training.models import Course, CourseStatus, CourseType, Provider


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"T{n:08d}")
    area = Area.URBAN


def _birth(n: int) -> dt.date:
    return dt.date(1985, 1, 1) + dt.timedelta(days=n)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"学员{n}")
    birth_date = factory.Sequence(_birth)
    # Odd sequence numbers are men.
    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number("341125", o.birth_date, 1))
    sex = Sex.MALE
    relation = Relation.HEAD
    hukou_area = Area.URBAN


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"培训学校{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    provider = factory.SubFactory(ProviderFactory, region=factory.SelfAttribute("..region"))
    title = factory.Sequence(lambda n: f"电子装配班{n}")
    course_type = CourseType.ELECTRONICS
    occupation = "电子装配工"
    place = "县职教中心"
    starts_on = dt.date(2026, 3, 2)
    ends_on = dt.date(2026, 3, 31)
    capacity = 30
    subsidy_per_trainee = Decimal("800.00")
    certificate_name = "电子装配工（初级）"
    status = CourseStatus.OPEN


def register_seeker(member, **fields):
    """A job-seeker registration (求职登记) of the member, inserted directly (test data): the
    training-wish survey is of registered job seekers."""
    from jobs.models import JobSeeker

    fields.setdefault("registered_on", dt.date(2026, 1, 5))
    return JobSeeker.objects.create(member=member, **fields)
