"""The recipient's pages /me/benefit/ and /me/benefit/report/: own household only."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import services
from benefits.models import Review, ReviewKind
from tests.benefits.factories import make_household


@pytest.fixture
def recipient(users, urban_household):
    services.enrolment_start(actor="system:test", household=urban_household, category="C",
                             monthly_amount=Decimal("220.00"), persons=2, start_date=dt.date(2026, 3, 12),
                             certificate_number="城保341125-T0001", next_review_on=dt.date(2026, 9, 12))
    return services.recipient_account_create(actor=users["community_a1"], household=urban_household,
                                             password="Start-2026-ok")


@pytest.mark.parametrize("path", ["/me/benefit/", "/me/benefit/report/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/me/benefit/", "/me/benefit/report/"])
def test_staff_and_other_logins_get_404(client, users, recipient, path):
    client.force_login(users["community_a1"])
    assert client.get(path).status_code == 404


def test_recipient_sees_own_status_history_and_next_review(client, recipient, urban_household):
    client.force_login(recipient)
    response = client.get("/me/benefit/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "城保341125-T0001" in text and "220.00" in text and "2026" in text
    assert response.context["household"] == urban_household
    assert response.context["payments"] == []  # the payroll app answers: nothing paid yet


def test_other_recipient_sees_only_their_own(client, users, recipient, policy):
    other = make_household(policy["comm_a2"], members=1)
    account = services.recipient_account_create(actor=users["township_a"], household=other,
                                                password="Other-2026-ok")
    client.force_login(account)
    response = client.get("/me/benefit/")
    assert response.status_code == 200 and "城保341125-T0001" not in response.content.decode()


def test_report_a_change_opens_a_review(client, recipient, urban_household):
    client.force_login(recipient)
    response = client.post("/me/benefit/report/", {"kind": "earnings", "new_monthly_earnings": "900",
                                                    "details": "在县城超市找到工作"})
    assert response.status_code == 302
    review = Review.objects.get(household=urban_household, kind=ReviewKind.CHANGE_REPORT)
    assert review.reported_by == recipient and "900.00" in review.reason
    assert client.post("/me/benefit/report/", {"kind": "earnings"}).status_code == 200  # details missing
