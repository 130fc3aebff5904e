import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import Enrolment, EnrolmentStatus, Household, Member
from reemployment.core.models import Standard
from reemployment.idcard import make_id_number


@pytest.fixture
def make_household(regions):
    counter = {"n": 0}

    def build(region_key="comm_a1", members=2, amount="300.00", status=EnrolmentStatus.ACTIVE):
        counter["n"] += 1
        n = counter["n"]
        region = regions[region_key]
        household = Household.objects.create(number=f"T{n:05d}", region=region, area=region.area or "urban")
        people = []
        for i in range(members):
            birth = dt.date(1985 + i, 3, 1 + n % 27)
            seq = 100 * n + i
            sex = "M" if seq % 2 else "F"
            people.append(Member.objects.create(
                household=household, id_number=make_id_number("341125", birth, seq % 1000), name=f"测试{n}号{i}",
                sex=sex, birth_date=birth, relation="head" if i == 0 else "spouse", hukou_area=household.area,
            ))
        enrolment = Enrolment.objects.create(
            household=household, area=household.area, category="C", monthly_amount=Decimal(amount),
            persons=members, status=status, start_date=dt.date(2025, 1, 1), certificate_number=f"DY{n:06d}",
        )
        return household, people, enrolment

    return build


@pytest.fixture
def standards(regions):
    Standard.objects.create(region=regions["county"], area="urban", monthly_amount=Decimal("150.00"),
                            valid_from=dt.date(2020, 1, 1))
    Standard.objects.create(region=regions["county"], area="rural", monthly_amount=Decimal("110.00"),
                            valid_from=dt.date(2020, 1, 1))
