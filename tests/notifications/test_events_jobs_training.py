"""Job and training events, once per channel in the household's language: a referral with employer,
address and dates; the first refusal without a valid reason (a warning before any sanction); the
sanction proposed (also to the county staff who decide) and decided; training enrolment, course
start, certificate."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import Enrolment, EnrolmentStatus
from jobs import services as jobs_services
from jobs.models import Employer, JobSeeker, ReferralStatus, SanctionProposal, Vacancy
from notifications import services
from notifications.models import Channel
from reemployment.core.models import today
from tests.jobs.factories import make_member
from tests.notifications.conftest import one_per_channel, outbox
from tests.training.factories import CourseFactory
from training import services as training_services

pytestmark = pytest.mark.django_db


def expect(notification, language, zh: str, en: str) -> None:
    assert (zh if language == "zh-hans" else en) in notification.text, notification.text


@pytest.fixture
def enrolled(household):
    return Enrolment.objects.create(household=household, area="urban", category="C", monthly_amount=Decimal("220.00"),
                                    persons=2, start_date=today() - dt.timedelta(days=100), certificate_number="城保-J-1")


@pytest.fixture
def seeker(household):
    member = make_member(household, age=35, name="李建国", relation="child")  # a man of 35: obliged to seek work
    return JobSeeker.objects.create(member=member, registered_on=today() - dt.timedelta(days=30),
                                    desired_occupations=["电焊工"])


@pytest.fixture
def vacancies(regions):
    employer = Employer.objects.create(name="炉桥盐化有限公司", region=regions["town_b"], address="炉桥镇工业园 8 号",
                                       phone="0550-4012345")
    return [Vacancy.objects.create(employer=employer, title=f"电焊工{n}", occupation="电焊工", region=regions["town_b"],
                                   pay_min=Decimal(4000), pay_max=Decimal(6000),
                                   closes_on=today() + dt.timedelta(days=20)) for n in range(3)]


def _refuse(users, seeker, vacancy, valid=False):
    referral = jobs_services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
    return jobs_services.referral_record_outcome(actor=users["labour"], referral=referral,
                                                 outcome=ReferralStatus.REFUSED, refusal_reason="嫌远",
                                                 refusal_valid=valid)


def test_referral_arranged_with_employer_address_and_dates(users, seeker, vacancies, language):
    jobs_services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0])
    inbox, _sms = one_per_channel("referral.created")
    closes = today() + dt.timedelta(days=20)
    zh_closes = f"{closes.year}年{closes.month}月{closes.day}日"
    expect(inbox, language, "李*国 已被推荐到“炉桥盐化有限公司”的“电焊工0”岗位（月薪 4000.00–6000.00 元，工作地点 炉桥镇）。"
                            "单位地址：炉桥镇工业园 8 号；联系电话：0550-4012345。", "has been referred to the job “电焊工0”")
    if language == "zh-hans":
        assert f"请在 {zh_closes} 前与用人单位联系面试" in inbox.text
    assert inbox.member_id == seeker.member_id


def test_first_refusal_warns_before_any_sanction(users, seeker, vacancies, enrolled, language):
    _refuse(users, seeker, vacancies[0], valid=True)  # a valid reason: no warning
    assert not outbox(event="referral.refusal_warning")
    _refuse(users, seeker, vacancies[1])  # the first without a valid reason (threshold 2)
    inbox, _sms = one_per_channel("referral.refusal_warning")
    expect(inbox, language, "经认定没有正当理由。这是第 1 次；再有 1 次无正当理由拒绝推荐岗位，将暂停发放您户的低保金。",
           "This is refusal number 1; 1 more refusal(s) without a valid reason will suspend your household’s benefit.")
    assert not SanctionProposal.objects.exists() and not outbox(event="sanction.proposed")


def test_sanction_proposed_to_the_household_and_the_county_staff(users, seeker, vacancies, enrolled, language):
    _refuse(users, seeker, vacancies[0])
    _refuse(users, seeker, vacancies[1])
    proposal = SanctionProposal.objects.get()
    inbox, _sms = one_per_channel("sanction.proposed", household=seeker.member.household)
    expect(inbox, language, "因 李*国 无正当理由拒绝推荐岗位 2 次，劳动就业局已提出处理建议：停发低保金，待县民政局确认。",
           "Because 李*国 refused referred jobs 2 times without a valid reason, the labour bureau has proposed: "
           "Suspend the benefit.")
    staff = outbox(event="sanction.proposed", user__isnull=False)
    # the county user of 定远县 decides; the other county's does not hear of it
    assert [(row.user_id, row.channel) for row in staff] == [(users["county"].pk, Channel.INBOX)]
    assert f"#{proposal.pk}" in staff[0].text and staff[0].language == "zh-hans"
    assert len(outbox(event="referral.refusal_warning", channel="inbox")) == 1  # the first refusal only


def test_sanction_confirmed_is_one_message_not_two(users, seeker, vacancies, enrolled, language):
    _refuse(users, seeker, vacancies[0])
    _refuse(users, seeker, vacancies[1])
    jobs_services.sanction_confirm(actor=users["county"], proposal=SanctionProposal.objects.get())
    enrolled.refresh_from_db()
    assert enrolled.status == EnrolmentStatus.SUSPENDED
    inbox, _sms = one_per_channel("sanction.decided")
    assert not outbox(event="enrolment.changed")  # the suspension it made is told by the decision
    expect(inbox, language, "县民政局已确认处理建议：因 李*国 无正当理由拒绝推荐岗位，您户的低保金暂停发放。如对决定有异议",
           "payment of your household’s benefit is suspended. If you disagree with this decision")


def test_sanction_dismissed(users, seeker, vacancies, enrolled, language):
    _refuse(users, seeker, vacancies[0])
    _refuse(users, seeker, vacancies[1])
    jobs_services.sanction_dismiss(actor=users["county"], proposal=SanctionProposal.objects.get(), note="理由正当")
    inbox, _sms = one_per_channel("sanction.decided")
    expect(inbox, language, "县民政局未采纳关于 李*国 拒绝推荐岗位的处理建议，您户的低保待遇不受影响。",
           "has not accepted the proposal about 李*国 refusing referred jobs. Your household’s benefit is not affected.")


# --- training ---------------------------------------------------------------------------------------------

@pytest.fixture
def course(regions):
    start = today() + dt.timedelta(days=2)
    return CourseFactory(region=regions["county"], title="电子装配班", place="县职教中心", starts_on=start,
                         ends_on=start + dt.timedelta(days=29), certificate_name="电子装配工（初级）")


def test_training_enrolment_confirmed_then_course_starting(users, household, course, language):
    member = household.members.get(relation="head")
    training_services.enrolment_create(actor=users["labour"], course=course, member=member)
    inbox, _sms = one_per_channel("training.enrolled")
    start, end = course.starts_on, course.ends_on
    expect(inbox, language, f"张*山 已报名培训班“电子装配班”：{start.year}年{start.month}月{start.day}日 至 "
                            f"{end.year}年{end.month}月{end.day}日，地点：县职教中心。",
           "张*山 is enrolled on the course “电子装配班”")
    services.reminders_send(as_of=today())  # the course starts in 2 days (≤ 3)
    inbox, _sms = one_per_channel("training.course_starting")
    expect(inbox, language, "培训班“电子装配班”将于", "The course “电子装配班” starts on")
    services.reminders_send(as_of=today() + dt.timedelta(days=1))  # the next morning: told already
    assert len(outbox(event="training.course_starting")) == 2


def test_certificate_issued(users, household, course, language):
    member = household.members.get(relation="head")
    enrolment = training_services.enrolment_create(actor=users["labour"], course=course, member=member)
    course.starts_on = today() - dt.timedelta(days=30)
    course.ends_on = today() - dt.timedelta(days=1)
    course.status = "running"
    course.save()
    training_services.enrolment_complete(actor=users["labour"], enrolment=enrolment)
    training_services.enrolment_certify(actor=users["labour"], enrolment=enrolment, certificate_number="ZS-2026-001")
    inbox, _sms = one_per_channel("training.certified")
    expect(inbox, language, "张*山 已获得“电子装配工（初级）”（证书编号 ZS-2026-001），证书已记入求职档案",
           "张*山 has been awarded “电子装配工（初级）” (certificate no. ZS-2026-001).")
