import datetime as dt

import pytest

from tests.benefits.payroll.factories import make_enrolment, make_household

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def county_households(regions):
    """Three enrolled households in the county (two townships) and one in the other county."""
    a1 = make_household(regions["comm_a1"], members=2)
    b1 = make_household(regions["comm_b1"], members=1)
    a2 = make_household(regions["comm_a2"], members=3)
    other_region = regions["other_county"]
    other = make_household(other_region, members=1, area="rural")
    return {
        "a1": make_enrolment(a1, amount="300.00"),
        "b1": make_enrolment(b1, amount="120.00"),
        "a2": make_enrolment(a2, amount="450.50"),
        "other": make_enrolment(other, amount="200.00"),
    }


@pytest.fixture
def county2(regions):
    """A second county civil-affairs user of the same county: the checker of maker–checker."""
    from reemployment.core.models import Role
    from tests.factories import UserFactory

    return UserFactory(username="t-county-2", role=Role.COUNTY, region=regions["county"])
