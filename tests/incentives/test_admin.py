"""Admin screens of incentives are scoped and go through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import EnrolmentStatus
from incentives import services


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


@pytest.mark.django_db
def test_public_labour_is_recorded_by_id_number_inside_the_jurisdiction(client, users, make_household):
    from incentives.models import PublicLabourRecord

    _, mine, _ = make_household(region_key="comm_a1")
    _, theirs, _ = make_household(region_key="comm_b1")
    client.force_login(users["community_a1"])
    page = client.get("/admin/publiclabourrecord/new/").content.decode()
    assert theirs[0].id_number not in page and 'name="member"' not in page  # no dropdown of members
    form = {"month": "2026-10-01", "kind": "patrol", "hours": "8", "note": ""}
    refused = client.post("/admin/publiclabourrecord/new/", {**form, "id_number": theirs[0].id_number})
    assert refused.status_code == 200 and "您的辖区内没有该身份证号码的在册成员" in refused.content.decode()
    assert not PublicLabourRecord.objects.exists()
    done = client.post("/admin/publiclabourrecord/new/", {**form, "id_number": mine[0].id_number.lower()})
    assert done.status_code == 302
    record = PublicLabourRecord.objects.get()
    assert (record.member, record.hours, record.recorded_by) == (mine[0], Decimal("8.0"), users["community_a1"])


@pytest.mark.django_db
def test_admin_form_choices_are_scoped(users, regions):
    """The core form limits every foreign-key choice to the user's jurisdiction (here: regions)."""
    from incentives.wagtail_hooks import PublicLabourViewSet

    form_class = PublicLabourViewSet().get_form_class()
    assert form_class.__mro__[1].__name__ == "PublicLabourForm"
    from benefits.wagtail_hooks import HouseholdViewSet

    household_form = HouseholdViewSet().get_form_class()(for_user=users["township_b"])
    codes = set(household_form.fields["region"].queryset.values_list("code", flat=True))
    assert regions["comm_b1"].code in codes and regions["comm_a1"].code not in codes
