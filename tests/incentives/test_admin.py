"""Admin screens of incentives are scoped and go through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import EnrolmentStatus
from reemployment.incentives import services


@pytest.fixture
def proposal(make_household):
    _, people, _ = make_household(region_key="comm_a1")
    return services.transition_propose(actor="system:hire", member=people[0], job_start=dt.date(2026, 3, 10),
                                       monthly_earnings=Decimal("600.00"), source_type="jobs.hire", source_id="9")


@pytest.mark.django_db
@pytest.mark.parametrize("user_key, expected", [("county", 200), ("other_county", 404), ("admin", 200)])
def test_decide_view_scoped(client, users, proposal, user_key, expected):
    client.force_login(users[user_key])
    assert client.get(reverse("incentives_proposal_decide", args=[proposal.pk])).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", ["community_a1", "editor"])
def test_decide_view_refused_without_permission(client, users, proposal, user_key):
    client.force_login(users[user_key])
    assert client.get(reverse("incentives_proposal_decide", args=[proposal.pk])).status_code in (302, 403)


@pytest.mark.django_db
def test_confirm_through_the_admin(client, users, proposal):
    client.force_login(users["county"])
    response = client.post(reverse("incentives_proposal_decide", args=[proposal.pk]), {"action": "confirm"})
    assert response.status_code == 302
    proposal.enrolment.refresh_from_db()
    assert proposal.enrolment.status == EnrolmentStatus.TRANSITIONAL


@pytest.mark.django_db
def test_proposal_list_scoped(client, users, proposal):
    client.force_login(users["county"])
    assert proposal.household.number in client.get("/admin/transitionproposal/").content.decode()
    client.force_login(users["other_county"])
    assert proposal.household.number not in client.get("/admin/transitionproposal/").content.decode()


@pytest.mark.django_db
def test_labour_report_page(client, users, proposal):
    client.force_login(users["township_a"])
    response = client.get(reverse("incentives_public_labour_report") + "?month=2026-10")
    assert response.status_code == 200
    assert "公益性劳动" in response.content.decode()
