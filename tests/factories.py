"""Shared factories: regions, users with roles, and the household records most fixtures need
(households, members, enrolments). Models outside the kernel are named by label ("benefits.Household"):
the apps' modules may move without the factories changing."""

import datetime as dt
import itertools
from decimal import Decimal

import factory

from reemployment.core.models import Area, Region, RegionLevel, Role, User
from reemployment.core.roles import assign_role_group
from reemployment.idcard import make_id_number

_id_sequence = itertools.count(1)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{341100 + n:06d}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = RegionLevel.COUNTY
    area = ""
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COMMUNITY
    region = None
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-123")

    @factory.post_generation
    def role_group(self, create, extracted, **kwargs):
        if create:
            self.save()
            assign_role_group(self)


def make_region_tree():
    """A county with two townships (one urban, one rural), each with two communities."""
    county = RegionFactory(code="341125", name="定远县", level=RegionLevel.COUNTY)
    town_a = RegionFactory(code="341125100", name="定城镇", level=RegionLevel.TOWNSHIP, area=Area.URBAN, parent=county)
    town_b = RegionFactory(code="341125101", name="炉桥镇", level=RegionLevel.TOWNSHIP, area=Area.RURAL, parent=county)
    comm_a1 = RegionFactory(code="341125100001", name="城南社区", level=RegionLevel.COMMUNITY, area=Area.URBAN, parent=town_a)
    comm_a2 = RegionFactory(code="341125100002", name="城北社区", level=RegionLevel.COMMUNITY, area=Area.URBAN, parent=town_a)
    comm_b1 = RegionFactory(code="341125101001", name="炉桥村", level=RegionLevel.COMMUNITY, area=Area.RURAL, parent=town_b)
    comm_b2 = RegionFactory(code="341125101002", name="南塘村", level=RegionLevel.COMMUNITY, area=Area.RURAL, parent=town_b)
    other_county = RegionFactory(code="341126", name="凤阳县", level=RegionLevel.COUNTY)
    return {
        "county": county, "town_a": town_a, "town_b": town_b, "comm_a1": comm_a1, "comm_a2": comm_a2,
        "comm_b1": comm_b1, "comm_b2": comm_b2, "other_county": other_county,
    }


class HouseholdFactory(factory.django.DjangoModelFactory):
    """A household in ``region`` (required), of the region's area."""

    class Meta:
        model = "benefits.Household"

    number = factory.Sequence(lambda n: f"F{n:07d}")
    area = factory.LazyAttribute(lambda o: o.region.effective_area() or "urban")


class MemberFactory(factory.django.DjangoModelFactory):
    """A member of ``household`` (required): the head, a man, with a valid ID number of 定远县."""

    class Meta:
        model = "benefits.Member"

    name = factory.Sequence(lambda n: f"成员{n}")
    sex = "M"
    birth_date = factory.Sequence(lambda n: dt.date(1975, 1, 1) + dt.timedelta(days=n))
    # The ID's sequence digits are odd for men and even for women.
    id_number = factory.LazyAttribute(lambda o: make_id_number(
        "341125", o.birth_date, 2 * (next(_id_sequence) % 499) + (1 if o.sex == "M" else 2)))
    relation = "head"
    hukou_area = factory.LazyAttribute(lambda o: o.household.area)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An active enrolment (category C, 300.00 a month from 2026-01-01) of ``household`` (required)."""

    class Meta:
        model = "benefits.Enrolment"

    area = factory.LazyAttribute(lambda o: o.household.area)
    category = "C"
    monthly_amount = Decimal("300.00")
    persons = 1
    status = "active"
    start_date = dt.date(2026, 1, 1)
    certificate_number = factory.Sequence(lambda n: f"FC{n:07d}")
