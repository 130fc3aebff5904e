"""Every event tells the household once per channel — one inbox message and, as it consented, one SMS —
with the right text in its language (each test runs for a Chinese and for an English reader).

The events are produced by the real services; SMS go to the log channel (no gateway configured)."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import services
from benefits.models import Enrolment, ReviewKind, ReviewOutcome
from notifications.models import Status
from tests.notifications.conftest import one_per_channel, outbox

pytestmark = pytest.mark.django_db

D = dt.date(2026, 3, 2)
AFTER_NOTICE = D + dt.timedelta(days=7)  # the appraisal notice runs 7 days: 03-02 … 03-08
GROUP = ["李主任", "王代表", "赵代表"]


def expect(notification, language, zh: str, en: str) -> None:
    assert notification.language == language
    assert (zh if language == "zh-hans" else en) in notification.text, notification.text


def _submit(users, household):
    return services.application_submit(actor=users["community_a1"], household=household, reason="无固定收入",
                                       submitted_on=D)


def _survey(users, application):
    verified = {item.pk: item.monthly_amount for item in application.household.incomes.all()}
    return services.application_survey(actor=users["community_a1"], application=application,
                                       findings="住房简陋，收入属实", verified_incomes=verified, on=D)


def _appraise(users, application, votes_for=3):
    return services.application_appraise(actor=users["community_a1"], application=application, group=GROUP,
                                         votes_for=votes_for, votes_against=3 - votes_for, on=D)


def _to_reviewed(users, household):
    application = _appraise(users, _survey(users, _submit(users, household)))
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    return services.application_review(actor=users["township_a"], application=application, opinion="同意上报",
                                       on=AFTER_NOTICE)


# --- applications -------------------------------------------------------------------------------------

def test_application_submitted(users, household, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = _submit(users, household)
    inbox, sms = one_per_channel("application.step")
    expect(inbox, language, f"您户的低保申请（编号 {application.number}）已于 2026年3月2日 受理",
           f"(no. {application.number}) was accepted on 2 March 2026")
    assert (inbox.status, sms.status) == (Status.SENT, Status.SENT)  # inbox at once; SMS by the task (log)
    assert sms.address == household.phone and inbox.household_id == household.pk


def test_each_step_is_told_once(users, household, language):
    application = _survey(users, _submit(users, household))
    rows = outbox(event="application.step", channel="inbox")
    assert len(rows) == 2 and len(outbox(event="application.step", channel="sms")) == 2
    expect(rows[1], language, f"（编号 {application.number}）已完成“入户调查”，当前环节：已入户调查，待民主评议。",
           "has completed “Home survey”. Current stage: ")


def test_public_notice_period_started(users, household, language):
    application = _appraise(users, _survey(users, _submit(users, household)))
    before = {row.pk for row in outbox()}
    services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    new = [row for row in outbox() if row.pk not in before]
    assert sorted(row.channel for row in new) == ["inbox", "sms"]
    expect(new[0], language, f"您户的低保申请（编号 {application.number}）的民主评议结果正在张榜公示，"
                             "公示期 2026年3月2日 至 2026年3月8日。",
           f"The democratic appraisal result of your household’s application (no. {application.number}) is posted "
           "publicly from 2 March 2026 to 8 March 2026.")


def test_approved_with_the_amount(users, household, language):
    application = _to_reviewed(users, household)
    services.application_approve(actor=users["county"], application=application, reason="符合条件", on=AFTER_NOTICE)
    rows = outbox(event="application.step", channel="inbox")
    approved = rows[-1]
    assert len(outbox(event="application.step", channel="sms")) == len(rows)
    # (260 − 300 / 2) × 2 = 220.00; approved list noticed 3 days: 03-09 … 03-11
    expect(approved, language, "已经县民政局批准：C类，保障 2 人，每月 220.00 元。批准名单公示至 2026年3月11日",
           "Category C, 2 person(s), 220.00 yuan a month. The list of approvals is posted publicly until 11 March 2026")
    assert approved.title == ("低保申请已批准" if language == "zh-hans" else "Application approved")


def test_declined_with_the_reason_and_how_to_object(users, household, language):
    application = _to_reviewed(users, household)
    services.application_reject(actor=users["county"], application=application, reason="家庭存款超过规定",
                                on=AFTER_NOTICE)
    declined = outbox(event="application.step", channel="inbox")[-1]
    expect(declined, language, "不予批准。理由：家庭存款超过规定。如对决定有异议，可自收到通知之日起60日内",
           "has been refused. Reason: 家庭存款超过规定. If you disagree with this decision, you may apply")


def test_a_failed_appraisal_is_told_as_a_refusal(users, household, language):
    _appraise(users, _survey(users, _submit(users, household)), votes_for=1)
    declined = outbox(event="application.step", channel="inbox")[-1]
    expect(declined, language, "不予批准。理由：民主评议未通过", "has been refused. Reason: 民主评议未通过")


def test_enrolled_with_certificate_and_amount(users, household, language):
    application = _to_reviewed(users, household)
    application = services.application_approve(actor=users["county"], application=application, on=AFTER_NOTICE)
    services.application_enrol(actor=users["county"], application=application, on=dt.date(2026, 3, 12))
    enrolled = outbox(event="application.step", channel="inbox")[-1]
    certificate = Enrolment.objects.get(household=household).certificate_number
    expect(enrolled, language, f"低保证号 {certificate}，每月 220.00 元，自 2026年3月12日 起",
           f"certificate no. {certificate}: 220.00 yuan a month, paid into your account every month from 12 March 2026")
    # the post-entry follow-up it opens is staff work: not announced
    assert not outbox(event="review.due")


# --- the enrolment and reviews ----------------------------------------------------------------------------

@pytest.fixture
def enrolment(household):
    return Enrolment.objects.create(household=household, area="urban", category="C", monthly_amount=Decimal("220.00"),
                                    persons=2, start_date=dt.date(2026, 1, 1), certificate_number="城保-T-1",
                                    next_review_on=dt.date(2026, 7, 1))


def test_amount_changed(users, household, enrolment, language):
    services.enrolment_change(actor=users["county"], enrolment=enrolment, category="C",
                              monthly_amount=Decimal("180.50"), reason="家庭收入增加", effective_on=dt.date(2026, 4, 1))
    inbox, _sms = one_per_channel("enrolment.changed")
    expect(inbox, language, "您户的月保障金自 2026年4月1日 起由 220.00 元调整为 180.50 元。原因：家庭收入增加。",
           "From 1 April 2026 your household’s monthly benefit changes from 220.00 yuan to 180.50 yuan. Reason: 家庭收入增加.")


def test_review_due_then_kept(users, household, enrolment, language):
    review = services.review_open(actor="system:test", household=household, kind=ReviewKind.PERIODIC,
                                  reason="定期复核", due_on=dt.date(2026, 7, 31), enrolment=enrolment,
                                  source_type="enrolment", source_id="x")
    inbox, _sms = one_per_channel("review.due")
    expect(inbox, language, "您户的低保将进行定期复核，请在 2026年7月31日 前配合",
           "is due for a periodic review. Before 31 July 2026, please help")
    services.review_decide(actor=users["township_a"], review=review, outcome=ReviewOutcome.KEEP, findings="情况未变",
                           on=D)
    inbox, _sms = one_per_channel("review.decided")
    expect(inbox, language, "您户的低保复核已完成：维持原待遇，每月 220.00 元。",
           "the benefit stays as it is, 220.00 yuan a month.")


def test_review_changing_the_amount_is_one_message(users, household, enrolment, language):
    review = services.review_open(actor="system:test", household=household, kind=ReviewKind.DATA_FLAG,
                                  reason="比对疑点", enrolment=enrolment, source_type="flag", source_id="1")
    assert not outbox()  # a review prompted by a data flag is not announced before its decision
    services.review_decide(actor=users["county"], review=review, outcome=ReviewOutcome.CHANGE, findings="收入核实",
                           new_category="C", new_amount=Decimal("150.00"), on=D)
    inbox, _sms = one_per_channel("review.decided")
    assert not outbox(event="enrolment.changed")  # the change it made sends nothing of its own
    expect(inbox, language, "自 2026年3月2日 起为C类，每月 150.00 元（原 220.00 元）",
           "from 2 March 2026 it is Category C, 150.00 yuan a month (before: 220.00 yuan).")


def test_transition_benefit_started(users, household, enrolment, language):
    services.enrolment_start_transition(actor=users["county"], enrolment=enrolment, transition_amount=Decimal("110.00"),
                                        until=dt.date(2026, 9, 30), reason="就业后过渡", effective_on=dt.date(2026, 4, 1))
    inbox, _sms = one_per_channel("enrolment.changed")
    expect(inbox, language, "您户进入就业过渡期：2026年4月1日 至 2026年9月30日 每月发放 110.00 元（原月保障金 220.00 元）",
           "from 1 April 2026 to 30 September 2026, 110.00 yuan is paid each month (the usual monthly benefit is 220.00 yuan)")


def test_the_township_notice_and_an_approval_without_a_county_notice(users, household, policy, language):
    """The county's stages decide which steps post a notice ([R5]): here the township's review posts
    one (5 days) and the county's approval none."""
    from tests.benefits.factories import add_policy

    add_policy(policy["county"], valid_from=dt.date(2026, 1, 1), values={"application_stages": [
        {"level": "community", "notice": True}, {"level": "township", "notice": True, "notice_days": 5},
        {"level": "county", "notice": False}]})
    application = _to_reviewed(users, household)
    township = outbox(event="application.step", channel="inbox")[-1]
    # reviewed 03-09; 5 days: 03-09 … 03-13
    expect(township, language, f"（编号 {application.number}）的乡镇（街道）审核结果正在张榜公示，公示期 2026年3月9日 至 2026年3月13日",
           "The township (street) review result of your household’s application")
    services.application_approve(actor=users["county"], application=application, on=dt.date(2026, 3, 14))
    approved = outbox(event="application.step", channel="inbox")[-1]
    expect(approved, language, "已经县民政局批准：C类，保障 2 人，每月 220.00 元。", "220.00 yuan a month.")
    assert "公示" not in approved.text and "posted publicly" not in approved.text
