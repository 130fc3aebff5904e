import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import EnrolmentStatus
from reemployment.core.models import Standard
from tests.factories import EnrolmentFactory, HouseholdFactory, MemberFactory


@pytest.fixture
def make_household(regions):
    def build(region_key="comm_a1", members=2, amount="300.00", status=EnrolmentStatus.ACTIVE):
        household = HouseholdFactory(region=regions[region_key], area=regions[region_key].area or "urban")
        people = [MemberFactory(household=household, birth_date=dt.date(1985 + i, 3, 1),
                                relation="head" if i == 0 else "spouse", sex="M" if i == 0 else "F")
                  for i in range(members)]
        enrolment = EnrolmentFactory(household=household, monthly_amount=Decimal(amount), persons=members,
                                     status=status, start_date=dt.date(2025, 1, 1))
        return household, people, enrolment

    return build


@pytest.fixture
def standards(regions):
    Standard.objects.create(region=regions["county"], area="urban", monthly_amount=Decimal("150.00"),
                            valid_from=dt.date(2020, 1, 1))
    Standard.objects.create(region=regions["county"], area="rural", monthly_amount=Decimal("110.00"),
                            valid_from=dt.date(2020, 1, 1))
