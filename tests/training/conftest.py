"""Training fixtures: a labour user, households in two townships, a course in the county."""

import datetime as dt

import pytest

from reemployment.core.models import Role, today
from tests.factories import UserFactory
from tests.training.factories import CourseFactory, HouseholdFactory, MemberFactory


@pytest.fixture
def household_a(regions):
    return HouseholdFactory(region=regions["comm_a1"])


@pytest.fixture
def household_b(regions):
    return HouseholdFactory(region=regions["comm_b1"])


@pytest.fixture
def member_a(household_a):
    return MemberFactory(household=household_a)


@pytest.fixture
def member_b(household_b):
    return MemberFactory(household=household_b)


@pytest.fixture
def recipient_a(household_a):
    user = UserFactory(username="t-recipient-a", role=Role.RECIPIENT)
    household_a.account = user
    household_a.save(update_fields=["account"])
    return user


@pytest.fixture
def course(regions):
    return CourseFactory(region=regions["county"])


@pytest.fixture
def other_course(regions):
    """A course in the other county (outside every 定远县 user's jurisdiction)."""
    return CourseFactory(region=regions["other_county"], title="凤阳缝纫班")


def members_in(household_region, n):
    return [MemberFactory(household=HouseholdFactory(region=household_region)) for _ in range(n)]


@pytest.fixture
def upcoming_course(regions):
    """A course starting in a month (recipients may sign up only before the start)."""
    start = today() + dt.timedelta(days=30)
    return CourseFactory(region=regions["county"], title="计算机操作班", starts_on=start,
                         ends_on=start + dt.timedelta(days=29))
