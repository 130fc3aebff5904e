"""GET /api/v1/me/notifications/ (own only, newest first, ``read``, marking read by POST and PATCH;
anonymous refused), the inbox page and its unread badge on /me/, the preference form, and the staff's
view on the household case page (scoped to the jurisdiction)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from benefits import services as benefit_services
from notifications.models import Channel, ContactPreference, Notification, Status
from reemployment.core.models import AuditEvent, Role
from tests.benefits.factories import make_household
from tests.factories import UserFactory
from tests.notifications.conftest import prefer

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


def _submit(users, household):
    return benefit_services.application_submit(actor=users["community_a1"], household=household, submitted_on=D)


@pytest.fixture
def told(users, household):
    """The household was told twice (submitted, then the survey step)."""
    application = _submit(users, household)
    verified = {item.pk: item.monthly_amount for item in household.incomes.all()}
    benefit_services.application_survey(actor=users["community_a1"], application=application, findings="属实",
                                        verified_incomes=verified, on=D)
    return list(Notification.objects.filter(household=household, channel=Channel.INBOX).order_by("-created_at", "-id"))


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_recipient_reads_its_own_newest_first(household, told):
    response = _api(household.account).get("/api/v1/me/notifications/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [n.pk for n in told]
    assert results[0]["read"] is False and results[0]["title"] == "低保申请进度"
    assert set(results[0]) == {"id", "event", "title", "text", "language", "created_at", "read", "read_at"}
    assert _api(household.account).get("/api/v1/me/notifications/unread-count/").json() == {"unread": 2}


def test_marking_read_by_post_and_by_patch(household, told):
    client = _api(household.account)
    first, second = told
    response = client.post(f"/api/v1/me/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    response = client.patch(f"/api/v1/me/notifications/{second.pk}/", {"read": True}, format="json")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.patch(f"/api/v1/me/notifications/{second.pk}/", {"read": False}, format="json").status_code == 400
    assert client.post(f"/api/v1/me/notifications/{first.pk}/read/").status_code == 200  # idempotent
    assert client.get("/api/v1/me/notifications/?unread=1").json()["results"] == []
    first.refresh_from_db()
    assert first.status == Status.READ and first.read_at is not None


def test_another_household_sees_none_of_it(users, household, told, policy):
    other = make_household(policy["comm_a1"], members=1)
    other.account = UserFactory(username="r-other", role=Role.RECIPIENT)
    other.save(update_fields=["account"])
    client = _api(other.account)
    assert client.get("/api/v1/me/notifications/").json()["results"] == []
    assert client.get(f"/api/v1/me/notifications/{told[0].pk}/").status_code == 404
    assert client.post(f"/api/v1/me/notifications/{told[0].pk}/read/").status_code == 404
    assert client.patch(f"/api/v1/me/notifications/{told[0].pk}/", {"read": True}, format="json").status_code == 404
    # nor does staff, through the "me" endpoint: it is the caller's own inbox
    assert _api(users["community_a1"]).get("/api/v1/me/notifications/").json()["results"] == []


def test_anonymous_is_refused(told):
    assert APIClient().get("/api/v1/me/notifications/").status_code in (401, 403)
    assert APIClient().post(f"/api/v1/me/notifications/{told[0].pk}/read/").status_code in (401, 403)


def test_a_staff_user_reads_their_own_inbox(users):
    staff = users["county"]
    from notifications.events import Draft
    from notifications.services import write

    write("sanction.proposed", [Draft(key="sanction:1", title="拒绝就业处理建议", template="待确认：%(x)s",
                                      values={"x": "户 1"}, user_id=staff.pk)])
    results = _api(staff).get("/api/v1/me/notifications/").json()["results"]
    assert [row["text"] for row in results] == ["待确认：户 1"]
    assert Notification.objects.get().household_id is None


# --- pages ----------------------------------------------------------------------------------------------

def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_inbox_page_with_unread_badge_and_mark_all_read(household, told):
    client = _browser(household.account)
    page = client.get("/me/").content.decode()
    assert 'href="/me/notifications/"' in page and '<span class="badge">2<span class="visually-hidden">条未读' in page
    page = client.get("/me/notifications/").content.decode()
    assert told[0].text in page and told[1].text in page and page.count("标为已读") == 3  # 2 buttons + "全部"
    client.post(f"/me/notifications/{told[0].pk}/read/")
    assert '<span class="badge">1<' in client.get("/me/benefit/").content.decode()
    client.post("/me/notifications/read-all/")
    assert 'class="badge"' not in client.get("/me/").content.decode()


def test_inbox_page_in_english(household, told):
    page = _browser(household.account).get("/en/me/notifications/").content.decode()
    assert "My messages" in page and "Mark all as read" in page


def test_the_recipient_sets_sms_consent_and_language(household):
    client = _browser(household.account)
    response = client.post("/me/notifications/settings/", {"preferred_channel": "sms", "language": "en", "phone": ""})
    assert response.status_code == 200 and "选择短信通知须先同意接收短信" in response.content.decode()
    assert not ContactPreference.objects.exists()
    response = client.post("/me/notifications/settings/", {"preferred_channel": "sms", "sms_consent": "on",
                                                            "language": "en", "phone": "13700001111"})
    assert response.status_code == 302
    preference = ContactPreference.objects.get(household=household)
    assert (preference.sms_consent, preference.preferred_channel, preference.language, preference.phone) == (
        True, "sms", "en", "13700001111")
    assert preference.updated_by == household.account and preference.consent_changed_at is not None
    event = AuditEvent.objects.get(action="notification.preference")
    assert event.after["sms_consent"] is True and event.note == "本人修改"


# --- staff --------------------------------------------------------------------------------------------

def test_staff_see_the_households_notifications_on_its_case_page(users, household, told):
    prefer(household, sms=False)
    page = _browser(users["community_a1"]).get(reverse("benefit_households:inspect", args=(household.pk,))).content.decode()
    assert "通知" in page and told[0].title in page and "未同意接收短信" in page
    assert reverse("notifications_admin:household", args=(household.pk,)) in page
    listing = _browser(users["township_a"]).get(reverse("notifications_admin:household", args=(household.pk,)))
    assert listing.status_code == 200 and told[1].text in listing.content.decode()


def test_staff_outside_the_jurisdiction_see_nothing(users, household, told):
    client = _browser(users["community_b1"])
    assert client.get(reverse("notifications_admin:household", args=(household.pk,))).status_code == 404
    assert client.get(reverse("notifications_admin:preference", args=(household.pk,))).status_code == 404
    assert client.get(reverse("benefit_households:inspect", args=(household.pk,))).status_code in (302, 404)


def test_staff_record_consent_on_the_case_page(users, household):
    client = _browser(users["community_a1"])
    url = reverse("notifications_admin:preference", args=(household.pk,))
    assert client.get(url).status_code == 200
    response = client.post(url, {"preferred_channel": "sms", "sms_consent": "on", "language": "zh-hans"})
    assert response.status_code == 302
    preference = ContactPreference.objects.get(household=household)
    assert preference.sms_consent and preference.phone == ""  # the household's own mobile
    assert AuditEvent.objects.get(action="notification.preference").note == "工作人员代为登记"
    # the labour bureau is not casework staff of households: no form for them
    assert _browser(users["labour"]).get(url).status_code in (403, 404)
