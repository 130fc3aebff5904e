"""Events about many households are written set-based after the reporting transaction commits: the
payroll lock (one message per payment line), a standard raise (one per re-priced enrolment), the
nightly periodic reviews, the daily transition-ending reminder. Queries do not grow with households;
a second run writes nothing; each household reads its own language; SMS only with consent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benefits import services as benefit_services
from benefits.models import Enrolment, EnrolmentStatus
from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review
from notifications import services
from notifications.models import Channel, ContactPreference, Notification
from reemployment.core.errors import Conflict
from reemployment.core.models import Role
from tests.benefits.factories import make_household
from tests.factories import UserFactory
from tests.notifications.conftest import outbox, prefer

pytestmark = pytest.mark.django_db
MAY = dt.date(2026, 5, 1)
BANK = {"bank_account": "6228480000001234", "bank_name": "农业银行定远支行"}


def _enrolled(regions, n, amount="300.00", **fields):
    households = []
    for i in range(n):
        household = make_household(regions["comm_a1" if i % 2 else "comm_b1"], members=1, phone=f"1390550{i:04d}",
                                   **BANK)
        Enrolment.objects.create(household=household, area=household.area, category="C", monthly_amount=Decimal(amount),
                                 persons=1, start_date=dt.date(2026, 1, 1), certificate_number=f"DB{household.number}",
                                 **fields)
        households.append(household)
    return households


def _lock_month(users, regions, capture):
    run = payroll_run_compute(actor="system:test", county=regions["county"], month=MAY).run
    run = payroll_run_review(actor=users["county"], run=run)
    second = UserFactory(username="t-county-2", role=Role.COUNTY, region=regions["county"])  # four eyes
    with capture(execute=True):
        payroll_run_lock(actor=second, run=run)
    return run


def test_payroll_lock_tells_each_paid_household_in_its_language(users, policy, django_capture_on_commit_callbacks):
    zh_sms, en_inbox, plain = _enrolled(policy, 3)
    prefer(zh_sms)  # Chinese, SMS consented
    prefer(en_inbox, language="en", sms=False)
    run = _lock_month(users, policy, django_capture_on_commit_callbacks)
    assert sorted((row.household_id, row.channel, row.language) for row in outbox(event="payroll.paid")) == sorted([
        (zh_sms.pk, "inbox", "zh-hans"), (zh_sms.pk, "sms", "zh-hans"), (en_inbox.pk, "inbox", "en"),
        (plain.pk, "inbox", "zh-hans")])
    zh = outbox(event="payroll.paid", household=zh_sms, channel=Channel.INBOX)[0]
    assert zh.text == "2026年5月低保金 300.00 元已发放到您的账户（农业银行定远支行，尾号 1234），请查收。"
    assert outbox(event="payroll.paid", household=zh_sms, channel=Channel.SMS)[0].status == "sent"  # log channel
    en = outbox(event="payroll.paid", household=en_inbox)[0]
    assert en.text == ("Your benefit for May 2026, 300.00 yuan, has been paid into your account "
                       "(农业银行定远支行, ending 1234).")
    # a repeated expansion (a redelivered task) writes nothing new
    assert services.expand("payroll.paid", {"run_id": run.pk}) == 0
    assert Notification.objects.filter(event="payroll.paid").count() == 4


def test_the_payroll_expansion_is_set_based(users, policy):
    """The queries of the expansion do not grow with the number of households paid: May pays 4, June 16."""
    counts = []
    for month, more in ((MAY, 4), (dt.date(2026, 6, 1), 12)):
        for household in _enrolled(policy, more)[::2]:
            prefer(household)
        run = payroll_run_compute(actor="system:test", county=policy["county"], month=month).run
        with CaptureQueriesContext(connection) as queries:
            written = services.expand("payroll.paid", {"run_id": run.pk})
        counts.append(len(queries))
        lines = run.payment_lines.count()
        consented = ContactPreference.objects.filter(sms_consent=True, household__payment_lines__run=run).count()
        assert (lines, consented) == ((4, 2) if month == MAY else (16, 8))
        assert written == lines + consented  # an inbox message per line, an SMS per consenting household
    assert counts[0] == counts[1], counts


def test_nothing_is_told_when_the_lock_rolls_back(users, policy, django_capture_on_commit_callbacks):
    _enrolled(policy, 2)
    run = payroll_run_compute(actor="system:test", county=policy["county"], month=MAY).run
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        payroll_run_lock(actor=users["county"], run=run)  # computed, not reviewed: refused, rolled back
    assert not outbox(event="payroll.paid")


def test_standard_raise_tells_each_repriced_household(users, policy, django_capture_on_commit_callbacks):
    # wages 300 over 2 persons = 150 < 260: the 2026 amount is (260 − 150) × 2 = 220.00; priced at 200.00 in 2025
    raised = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "300.00")], phone="13905501111",
                            **BANK)
    Enrolment.objects.create(household=raised, area="urban", category="C", monthly_amount=Decimal("200.00"), persons=2,
                             start_date=dt.date(2025, 6, 1), certificate_number="DB-R-1")
    prefer(raised, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        benefit_services.standard_change_apply(actor=users["county"], county=policy["county"], month="2026-01")
    rows = outbox(event="enrolment.repriced")
    assert sorted(row.channel for row in rows) == ["inbox", "sms"]
    assert rows[0].text == ("Because the guarantee standard has been raised, your household’s monthly benefit "
                            "changes from 200.00 yuan to 220.00 yuan from January 2026.")
    with django_capture_on_commit_callbacks(execute=True):  # applied again: nothing changes, nobody is told again
        benefit_services.standard_change_apply(actor=users["county"], county=policy["county"], month="2026-01")
    assert len(outbox(event="enrolment.repriced")) == 2


def test_nightly_periodic_reviews_are_announced_once(policy, django_capture_on_commit_callbacks):
    households = _enrolled(policy, 3, next_review_on=dt.date(2026, 3, 1))
    prefer(households[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert benefit_services.reviews_open_periodic(as_of=dt.date(2026, 3, 2)) == 3
    rows = outbox(event="review.due")
    assert len([row for row in rows if row.channel == "inbox"]) == 3
    assert len([row for row in rows if row.channel == "sms"]) == 1
    assert "您户的低保将进行定期复核，请在 2026年3月31日 前" in rows[0].text  # due 30 days after 03-01
    with django_capture_on_commit_callbacks(execute=True):  # the next night: nothing new
        benefit_services.reviews_open_periodic(as_of=dt.date(2026, 3, 3))
    assert len(outbox(event="review.due")) == 4


def test_transition_ending_within_30_days_once(policy):
    today = dt.date(2026, 8, 20)
    ending, later = _enrolled(policy, 2, status=EnrolmentStatus.TRANSITIONAL, transition_amount=Decimal("150.00"),
                              transition_from=dt.date(2026, 4, 1))
    Enrolment.objects.filter(household=ending).update(transition_until=dt.date(2026, 9, 19))  # in 30 days
    Enrolment.objects.filter(household=later).update(transition_until=dt.date(2026, 9, 20))  # in 31 days
    prefer(ending, language="en", sms=False)
    assert services.reminders_send(as_of=today) == {"transition_ending": 1, "course_starting": 0}
    row = outbox(event="transition.ending")[0]
    assert row.household_id == ending.pk
    assert row.text == ("Your household’s employment transition period ends on 19 September 2026 (in 30 days). "
                        "Your household income will then be reviewed, and the benefit paid according to the review.")
    # the next days: told already; the later one is told when it comes within 30 days
    assert services.reminders_send(as_of=today + dt.timedelta(days=1)) == {"transition_ending": 1,
                                                                           "course_starting": 0}
    assert services.reminders_send(as_of=today + dt.timedelta(days=2)) == {"transition_ending": 0,
                                                                           "course_starting": 0}
    assert [row.household_id for row in outbox(event="transition.ending")] == [ending.pk, later.pk]
