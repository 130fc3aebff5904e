"""The 提标调整 admin page: county staff preview, then confirm; others are refused.

Policy (tests/benefits/conftest.py ``policy``): urban 150 in 2025, 260 from 2026-01-01. One urban A
household (one 三无 person) enrolled in 2025 at 150 × 1 = 150.00 → 260 × 1 = 260.00.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import Enrolment, EnrolmentStatus
from tests.benefits.factories import make_household


@pytest.fixture
def enrolment(policy):
    household = make_household(policy["comm_a1"], members=1)
    household.members.update(three_no=True, work_ability="none")
    return Enrolment.objects.create(household=household, area="urban", category="A", monthly_amount=Decimal("150.00"),
                                    persons=1, start_date=dt.date(2025, 6, 1), certificate_number="DB-ADM-1",
                                    status=EnrolmentStatus.ACTIVE)


def test_county_previews_then_confirms(client, users, enrolment):
    url = reverse("benefit_standard_change:index")
    client.force_login(users["county"])
    response = client.get(url, {"county": "341125", "month": "2026-01"})
    assert response.status_code == 200
    assert response.context["preview"]["total_after"] == Decimal("260.00")
    assert "确认执行提标调整" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.monthly_amount == Decimal("150.00")
    response = client.post(url, {"county": "341125", "month": "2026-01", "confirm": "1"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.monthly_amount == Decimal("260.00")


def test_township_and_other_county_refused(client, users, enrolment):
    url = reverse("benefit_standard_change:index")
    client.force_login(users["township_a"])
    assert client.get(url, {"county": "341125", "month": "2026-01"}).status_code == 403
    client.force_login(users["other_county"])
    response = client.post(url, {"county": "341125", "month": "2026-01", "confirm": "1"})
    assert response.status_code == 200 and response.context["error"]
    enrolment.refresh_from_db()
    assert enrolment.monthly_amount == Decimal("150.00")
