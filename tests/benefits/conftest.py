import datetime as dt

import pytest

from tests.benefits.factories import add_policy, make_household

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def policy(regions):
    """定远县 standards: 2025 urban 150 / rural 110; 2026 urban 260 / rural 180 (default parameters)."""
    add_policy(regions["county"], urban="150.00", rural="110.00", valid_from=dt.date(2025, 1, 1))
    add_policy(regions["county"], urban="260.00", rural="180.00", valid_from=dt.date(2026, 1, 1))
    return regions


@pytest.fixture
def urban_household(policy):
    """Two persons in 城南社区, wages 300 → per capita 150 < 260: urban C, (260−150)×2 = 220.00."""
    return make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "300.00")])


@pytest.fixture
def rural_household(policy):
    """One person in 炉桥村, no income: rural C, 70 × 1 = 70.00."""
    return make_household(policy["comm_b1"], members=1)


@pytest.fixture(autouse=True)
def private_files(tmp_path):
    """Attachments written by tests go to a temporary folder, not var/private."""
    from benefits.models import Attachment

    storage = Attachment._meta.get_field("file").storage
    saved = {key: storage.__dict__.get(key) for key in ("base_location", "location")}
    storage.__dict__["base_location"] = str(tmp_path)
    storage.__dict__["location"] = str(tmp_path)
    yield tmp_path
    for key, value in saved.items():
        if value is None:
            storage.__dict__.pop(key, None)
        else:
            storage.__dict__[key] = value
