"""Nobody gets SMS without consent; one event never notifies twice (retries, double submits); a
failure to write a notification never undoes the change it reports; a decision that tells the person
itself silences the changes it makes (``quiet``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from benefits import services as benefit_services
from benefits.models import Enrolment
from notifications import services
from notifications.events import Draft
from notifications.models import Channel, ContactPreference, Status
from reemployment.core import notify as kernel
from reemployment.core.errors import DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, Role
from tests.factories import UserFactory
from tests.notifications.conftest import PHONE, outbox, prefer

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 2)


def _draft(household, key="k-1"):
    return Draft(key=key, title="低保金发放", template="测试 %(n)s", values={"n": 1}, household_id=household.pk)


def test_without_a_preference_only_the_inbox(household):
    services.write("payroll.paid", [_draft(household)])
    assert [row.channel for row in outbox()] == [Channel.INBOX]


@pytest.mark.parametrize(("consent", "channel", "phone", "sms"), [
    (False, Channel.INBOX, PHONE, False),  # no consent
    (True, Channel.INBOX, PHONE, False),  # consent, but the inbox is what they chose
    (True, Channel.SMS, PHONE, True),
    (True, Channel.SMS, "0550-4012345", False),  # a landline cannot take SMS
])
def test_sms_only_with_consent_as_chosen_to_a_mobile(household, consent, channel, phone, sms):
    household.phone = phone
    household.save(update_fields=["phone"])
    ContactPreference.objects.create(household=household, sms_consent=consent, preferred_channel=channel)
    services.write("payroll.paid", [_draft(household)])
    assert [row.channel for row in outbox()] == ([Channel.INBOX, Channel.SMS] if sms else [Channel.INBOX])


def test_the_database_refuses_sms_preferred_without_consent(household):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPreference.objects.create(household=household, sms_consent=False, preferred_channel=Channel.SMS)


def test_consent_withdrawn_before_sending_stops_the_sms(household):
    prefer(household)
    services.write("payroll.paid", [_draft(household)])  # queued; the task runs after commit
    benefit_household = household
    services.contact_preference_save(actor=benefit_household.account, household=benefit_household,
                                     language="zh-hans", preferred_channel=Channel.INBOX, sms_consent=False)
    sms = outbox(channel=Channel.SMS)[0]
    assert services.sms_deliver(sms.pk) == "failed"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error) == (Status.FAILED, 0, "本人已撤回短信通知的同意，未发送")


def test_one_event_is_one_notification_per_channel_whatever_repeats(household):
    prefer(household)
    services.write("payroll.paid", [_draft(household), _draft(household)])  # twice in one batch
    services.write("payroll.paid", [_draft(household)])  # a retried task
    assert sorted(row.channel for row in outbox()) == [Channel.INBOX, Channel.SMS]
    services.write("payroll.paid", [_draft(household, key="k-2")])  # another occurrence: told again
    assert len(outbox()) == 4


def test_a_double_submitted_step_tells_once(users, household):
    application = benefit_services.application_submit(actor=users["community_a1"], household=household,
                                                      submitted_on=D)
    event = application.events.get()
    # the same occurrence reported again (a retried request reaching notify twice)
    kernel.notify("application.step", key=f"application-event:{event.pk}", application=application,
                  action="submit")
    assert len(outbox(channel=Channel.INBOX)) == 1


def test_a_failing_notification_never_undoes_the_change(users, household, caplog):
    previous = kernel.handler()

    def broken(event, *, key, context):
        raise RuntimeError("template broken")

    kernel.register_handler(broken)
    try:
        with transaction.atomic():
            application = benefit_services.application_submit(actor=users["community_a1"], household=household,
                                                              submitted_on=D)
    finally:
        kernel.register_handler(previous)
    assert application.pk and AuditEvent.objects.filter(action="application.submit").exists()
    assert "notification application.step" in caplog.text and "was not written" in caplog.text
    assert not outbox()


def test_quiet_silences_what_a_decision_does_through_other_services(users, household):
    enrolment = Enrolment.objects.create(household=household, area="urban", category="C", persons=2,
                                         monthly_amount=Decimal("220.00"), start_date=dt.date(2026, 1, 1),
                                         certificate_number="Q-1")
    with kernel.quiet():
        benefit_services.enrolment_suspend(actor=users["county"], enrolment=enrolment, reason="核查中")
    assert not outbox()
    benefit_services.enrolment_resume(actor=users["county"], enrolment=enrolment, reason="核查完毕")
    assert [row.event for row in outbox(channel=Channel.INBOX)] == ["enrolment.changed"]


# --- the preference service ---------------------------------------------------------------------------

def _save(actor, household, **fields):
    values = {"language": "zh-hans", "preferred_channel": Channel.SMS, "sms_consent": True, "phone": ""}
    values.update(fields)
    return services.contact_preference_save(actor=actor, household=household, **values)


def test_preferring_sms_needs_consent_and_a_mobile(household):
    with pytest.raises(DomainError, match="选择短信通知须先同意接收短信"):
        _save(household.account, household, sms_consent=False)
    household.phone = "0550-4012345"
    household.save(update_fields=["phone"])
    with pytest.raises(DomainError, match="接收短信须登记手机号"):
        _save(household.account, household)
    with pytest.raises(DomainError, match="手机号应为11位数字"):
        _save(household.account, household, phone="12345")
    preference = _save(household.account, household, phone="13700001111")
    assert services.sms_address(preference, household.phone) == "13700001111"


def test_who_may_record_a_households_preference(users, household, policy):
    _save(users["community_a1"], household)  # casework staff of the jurisdiction
    _save(users["county"], household, language="en")
    for outsider in (users["community_b1"], users["labour"], users["other_county"]):
        with pytest.raises(PermissionDenied):
            _save(outsider, household)
    stranger = UserFactory(username="r-stranger", role=Role.RECIPIENT)
    with pytest.raises(PermissionDenied):
        _save(stranger, household)
    events = AuditEvent.objects.filter(action="notification.preference").order_by("id")
    assert [event.after["language"] for event in events] == ["zh-hans", "en"]
    assert events[1].before["language"] == "zh-hans"  # the record of consent: who, when, before, after
