"""Integrity services: tip-offs, fraud decisions with fines and recovery, death reports, cadre registrations."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.integrity.models import (
    CadreRelation,
    DeathOutcome,
    DeathReportStatus,
    FraudKind,
    FraudStatus,
    TipOffChannel,
    TipOffOutcome,
    TipOffStatus,
)
from benefits.integrity.services import (
    cadre_relative_register,
    death_report_confirm,
    death_report_receive,
    death_report_record,
    death_report_reject,
    fraud_case_decide,
    fraud_case_open,
    tip_off_assign,
    tip_off_close,
    tip_off_investigate,
    tip_off_record,
    tip_off_submit,
)
from benefits.models import EnrolmentStatus, Review, ReviewKind
from benefits.payroll.models import Overpayment, OverpaymentReason, PaymentLine, RunStatus
from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, ParameterSet
from tests.benefits.payroll.factories import make_enrolment, make_household

pytestmark = pytest.mark.django_db
D = Decimal


# ---------------------------------------------------------------- tip-offs


def test_public_tip_off_is_anonymous_and_keeps_no_contact(regions):
    household = make_household(regions["comm_a1"])
    tip = tip_off_submit(text="该户家中有两辆小汽车，仍领取低保", household_number=household.number,
                         contact="13800000000", anonymous=True)
    assert tip.channel == TipOffChannel.PORTAL and tip.status == TipOffStatus.RECEIVED
    assert tip.contact == ""  # anonymous: the contact given is not stored
    assert tip.household == household and tip.region == household.region
    assert AuditEvent.objects.filter(action="integrity.tip_off_submit", object_id=str(tip.pk)).exists()


def test_named_tip_off_keeps_contact(regions):
    tip = tip_off_submit(text="村里有人冒领低保金，请核查", region_code="341125101001", contact="王先生 138",
                         anonymous=False)
    assert tip.contact == "王先生 138" and tip.region == regions["comm_b1"] and tip.household is None


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"text": "太短"}, "text"),
        ({"text": "长" * 2001}, "text"),
        ({"text": "这是一条足够长的举报内容", "region_code": "999999"}, "region_code"),
        ({"text": "这是一条足够长的举报内容", "region_code": "abc"}, "region_code"),
        ({"text": "这是一条足够长的举报内容", "contact": "x" * 101, "anonymous": False}, "contact"),
        ({"text": "这是一条足够长的举报内容", "anonymous": False}, "contact"),
        ({"text": "这是一条足够长的举报内容", "household_number": "户<script>"}, "household_number"),
    ],
)
def test_public_tip_off_validation(regions, kwargs, field):
    with pytest.raises(DomainError) as info:
        tip_off_submit(**kwargs)
    assert field in info.value.field_errors


def test_household_outside_the_named_region_is_not_linked(regions):
    household = make_household(regions["comm_a1"])
    tip = tip_off_submit(text="这是一条足够长的举报内容", region_code="341125101", household_number=household.number)
    assert tip.household is None and tip.household_number == household.number


def test_tip_off_workflow_assign_investigate_close(regions, users):
    household = make_household(regions["comm_a1"])
    make_enrolment(household)
    tip = tip_off_record(actor=users["community_a1"], text="电话举报：该户有人在外务工收入较高", region=regions["comm_a1"],
                         household=household)
    tip = tip_off_assign(actor=users["township_a"], tip_off=tip, assignee=users["community_a1"])
    assert tip.status == TipOffStatus.ASSIGNED
    tip = tip_off_investigate(actor=users["community_a1"], tip_off=tip)
    assert tip.status == TipOffStatus.INVESTIGATING
    review = Review.objects.get(household=household, kind=ReviewKind.TIP_OFF)
    assert tip.review == review
    with pytest.raises(PermissionDenied):  # community staff receive and investigate, township/county close
        tip_off_close(actor=users["community_a1"], tip_off=tip, outcome=TipOffOutcome.SUBSTANTIATED, findings="属实")
    tip = tip_off_close(actor=users["township_a"], tip_off=tip, outcome=TipOffOutcome.SUBSTANTIATED,
                        findings="入户核实属实，已转复核")
    assert tip.status == TipOffStatus.CLOSED and tip.closed_by == users["township_a"]
    with pytest.raises(Conflict):
        tip_off_investigate(actor=users["township_a"], tip_off=tip)
    actions = set(AuditEvent.objects.filter(object_id=str(tip.pk), object_type="integrity.tipoff")
                  .values_list("action", flat=True))
    assert {"integrity.tip_off_record", "integrity.tip_off_assign", "integrity.tip_off_investigate",
            "integrity.tip_off_close"} <= actions


def test_tip_off_cannot_be_assigned_outside_its_jurisdiction(regions, users):
    tip = tip_off_submit(text="这是一条足够长的举报内容", region_code="341125100001")
    with pytest.raises(DomainError):
        tip_off_assign(actor=users["county"], tip_off=tip, assignee=users["community_b1"])
    with pytest.raises(PermissionDenied):
        tip_off_assign(actor=users["township_b"], tip_off=tip, assignee=users["township_b"])


def test_closing_needs_outcome_and_findings(regions, users):
    tip = tip_off_submit(text="这是一条足够长的举报内容", region_code="341125100001")
    with pytest.raises(DomainError):
        tip_off_close(actor=users["county"], tip_off=tip, outcome="", findings="无")
    with pytest.raises(DomainError):
        tip_off_close(actor=users["county"], tip_off=tip, outcome=TipOffOutcome.NOT_ACTIONABLE, findings=" ")
    tip = tip_off_close(actor=users["county"], tip_off=tip, outcome=TipOffOutcome.NOT_ACTIONABLE, findings="无具体对象")
    assert tip.status == TipOffStatus.CLOSED


# ---------------------------------------------------------------- fraud cases


@pytest.fixture
def wrongful_case(regions, users):
    household = make_household(regions["comm_a1"])
    return fraud_case_open(actor=users["township_a"], household=household, kind=FraudKind.WRONGFUL_PAYMENT,
                           summary="隐瞒工资收入骗取低保金", amount_wrongly_paid=D("600.00"))


@pytest.mark.parametrize(
    "fine, ok",
    [(D("600.00"), True), (D("1800.00"), True), (D("1800.01"), False), (D("599.99"), False)],
)  # 1 × 600 = 600.00 and 3 × 600 = 1800.00 are allowed; a cent outside is not
def test_fraud_decision_fine_bounds(users, wrongful_case, fine, ok):
    if ok:
        case = fraud_case_decide(actor=users["county"], case=wrongful_case, decision="追回并处罚款", serious=True,
                                 fine_amount=fine)
        assert case.status == FraudStatus.DECIDED and case.fine_amount == fine and case.decided_by == users["county"]
    else:
        with pytest.raises(DomainError) as info:
            fraud_case_decide(actor=users["county"], case=wrongful_case, decision="追回并处罚款", serious=True,
                              fine_amount=fine)
        assert info.value.code == "fine_out_of_bounds"


def test_fraud_decision_creates_the_recovery(users, wrongful_case):
    case = fraud_case_decide(actor=users["county"], case=wrongful_case, decision="追回", serious=False,
                             fine_amount=D("0.00"))
    overpayment = case.overpayment
    assert (overpayment.amount, overpayment.reason, overpayment.status) == (D("600.00"), OverpaymentReason.FRAUD, "open")
    assert overpayment.household == case.household
    with pytest.raises(Conflict):  # decided once
        fraud_case_decide(actor=users["county"], case=case, decision="再次", serious=False, fine_amount=D("0"))


def test_false_certificate_fine_up_to_1000(regions, users):
    household = make_household(regions["comm_b1"])
    case = fraud_case_open(actor=users["county"], household=household, kind=FraudKind.FALSE_CERTIFICATE,
                           summary="村医出具虚假病情证明")
    with pytest.raises(DomainError):
        fraud_case_decide(actor=users["county"], case=case, decision="罚款", serious=False, fine_amount=D("1000.01"))
    case = fraud_case_decide(actor=users["county"], case=case, decision="罚款", serious=False,
                             fine_amount=D("1000.00"))
    assert case.fine_amount == D("1000.00") and case.overpayment is None


def test_fine_bounds_come_from_the_county_parameters(regions, users, wrongful_case):
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2020, 1, 1),
                                values={"fraud_fine_multiplier_max": "2"})
    with pytest.raises(DomainError):  # 3 × 600 is now over the county's 2× maximum
        fraud_case_decide(actor=users["county"], case=wrongful_case, decision="x", serious=True,
                          fine_amount=D("1800.00"))


def test_only_county_staff_decide(users, wrongful_case):
    with pytest.raises(PermissionDenied):
        fraud_case_decide(actor=users["township_a"], case=wrongful_case, decision="x", serious=False,
                          fine_amount=D("0"))
    with pytest.raises(PermissionDenied):
        fraud_case_decide(actor=users["other_county"], case=wrongful_case, decision="x", serious=False,
                          fine_amount=D("0"))


# ---------------------------------------------------------------- death reports


def _locked_month(regions, month):
    run = payroll_run_compute(actor="system:test", county=regions["county"], month=month).run
    return payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))


def test_death_of_the_only_member_stops_payment_from_next_month(regions, users):
    household = make_household(regions["comm_a1"], members=1)
    enrolment = make_enrolment(household, amount="300.00")
    _locked_month(regions, dt.date(2026, 3, 1))
    _locked_month(regions, dt.date(2026, 4, 1))
    may = payroll_run_compute(actor="system:test", county=regions["county"], month=dt.date(2026, 5, 1)).run
    member = household.members.get()
    report = death_report_record(actor=users["township_a"], member=member, died_on=dt.date(2026, 3, 20),
                                 source="公安户籍注销")
    member.refresh_from_db()
    enrolment.refresh_from_db()
    assert member.died_on == dt.date(2026, 3, 20)
    assert enrolment.status == EnrolmentStatus.ENDED and enrolment.end_date == dt.date(2026, 4, 1)
    assert report.outcome == DeathOutcome.ENROLMENT_ENDED and report.stop_from == dt.date(2026, 4, 1)
    # March (death month) was due; April was paid in a locked month → recovered in full; May was not paid yet
    overpayments = Overpayment.objects.filter(household=household)
    assert [(o.month, o.amount, o.reason) for o in overpayments] == [(dt.date(2026, 4, 1), D("300.00"), "death")]
    assert (report.overpayment_count, report.overpayment_amount) == (1, D("300.00"))
    assert not PaymentLine.objects.filter(run=may).exists()
    may.refresh_from_db()
    assert (may.lines, may.total_amount) == (0, D("0.00"))
    # June: not paid
    june = payroll_run_compute(actor="system:test", county=regions["county"], month=dt.date(2026, 6, 1)).run
    assert june.lines == 0
    # reporting again changes nothing
    assert death_report_record(actor=users["township_a"], member=member, died_on=dt.date(2026, 3, 20)) == report
    assert Overpayment.objects.filter(household=household).count() == 1
    with pytest.raises(Conflict):
        death_report_record(actor=users["township_a"], member=member, died_on=dt.date(2026, 3, 21))


def test_death_in_a_larger_household_opens_a_review(regions, users):
    household = make_household(regions["comm_a1"], members=3)
    enrolment = make_enrolment(household, amount="450.00")
    _locked_month(regions, dt.date(2026, 4, 1))
    member = household.members.order_by("id").last()
    report = death_report_record(actor=users["community_a1"], member=member, died_on=dt.date(2026, 3, 5))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert report.outcome == DeathOutcome.REVIEW_OPENED
    assert Review.objects.filter(household=household, kind=ReviewKind.DEATH, status="open").get() == report.review
    # the deceased's share of April's paid line: 450.00 / 3 = 150.00
    assert list(Overpayment.objects.values_list("amount", flat=True)) == [D("150.00")]


def test_death_date_validation_and_scope(regions, users):
    household = make_household(regions["comm_a1"])
    member = household.members.get()
    with pytest.raises(DomainError):
        death_report_record(actor=users["township_a"], member=member, died_on=dt.date(2999, 1, 1))
    with pytest.raises(DomainError):
        death_report_record(actor=users["township_a"], member=member, died_on=dt.date(1900, 1, 1))
    with pytest.raises(PermissionDenied):
        death_report_record(actor=users["township_b"], member=member, died_on=dt.date(2026, 1, 1))
    report = death_report_record(actor=users["township_a"], member=member, died_on=dt.date(2026, 1, 1))
    assert report.outcome == DeathOutcome.NO_ENROLMENT
    assert AuditEvent.objects.filter(action="member.death_record", object_id=str(member.pk)).exists()


def test_locked_lines_stay_when_death_is_reported(regions, users):
    household = make_household(regions["comm_a1"], members=1)
    make_enrolment(household)
    run = _locked_month(regions, dt.date(2026, 4, 1))
    death_report_record(actor=users["county"], member=household.members.get(), died_on=dt.date(2026, 2, 1))
    run.refresh_from_db()
    assert run.status == RunStatus.LOCKED and PaymentLine.objects.filter(run=run).count() == 1


def test_received_death_waits_for_staff_then_is_recorded_like_a_staff_report(regions, users):
    household = make_household(regions["comm_a1"], members=3)
    enrolment = make_enrolment(household, amount="450.00")
    _locked_month(regions, dt.date(2026, 4, 1))
    member = household.members.order_by("id").last()
    report = death_report_receive(actor=users["county"], member=member, died_on=dt.date(2026, 3, 5),
                                  source="公安死亡数据", source_type="test.source", source_id="7")
    member.refresh_from_db()
    # Pending: in the monthly list, but nothing of the household's record changed.
    assert (report.status, report.outcome, report.stop_from, report.review) == (
        DeathReportStatus.PENDING, "", None, None)
    assert member.died_on is None
    assert not Overpayment.objects.exists() and not Review.objects.exists()
    assert death_report_receive(actor=users["county"], member=member, died_on=dt.date(2026, 3, 5)) == report
    # Confirmed by community staff: recorded as a staff report would be.
    report = death_report_confirm(actor=users["community_a1"], report=report, note="入户核实")
    member.refresh_from_db()
    enrolment.refresh_from_db()
    assert member.died_on == dt.date(2026, 3, 5) and enrolment.status == EnrolmentStatus.ACTIVE
    assert (report.status, report.outcome, report.stop_from, report.decided_by) == (
        DeathReportStatus.CONFIRMED, DeathOutcome.REVIEW_OPENED, dt.date(2026, 4, 1), users["community_a1"])
    assert Review.objects.filter(household=household, kind=ReviewKind.DEATH, status="open").get() == report.review
    # the deceased's share of April's paid line: 450.00 / 3 = 150.00
    assert list(Overpayment.objects.values_list("amount", flat=True)) == [D("150.00")]
    event = AuditEvent.objects.get(action="integrity.death_report_confirm", object_id=str(report.pk))
    assert (event.before["status"], event.after["status"], event.after["outcome"]) == ("pending", "confirmed", "review")
    with pytest.raises(Conflict):  # decided once
        death_report_reject(actor=users["county"], report=report, note="数据有误")


def test_received_death_reuses_the_review_opened_for_it(regions, users):
    household = make_household(regions["comm_a1"], members=2)
    make_enrolment(household)
    from benefits.services import review_open

    review = review_open(actor="system:test", household=household, kind=ReviewKind.DEATH, reason="公安死亡数据",
                         source_type="test.flag", source_id="1")
    member = household.members.order_by("id").last()
    report = death_report_receive(actor="system:test", member=member, died_on=dt.date(2026, 5, 1), review=review)
    report = death_report_confirm(actor=users["township_a"], report=report)
    assert report.review == review
    assert Review.objects.filter(household=household, kind=ReviewKind.DEATH).count() == 1


def test_rejected_received_death_changes_nothing_and_allows_a_later_report(regions, users):
    household = make_household(regions["comm_b1"], members=1)
    enrolment = make_enrolment(household)
    member = household.members.get()
    report = death_report_receive(actor="system:test", member=member, died_on=dt.date(2026, 2, 1))
    with pytest.raises(PermissionDenied):  # not their jurisdiction
        death_report_reject(actor=users["township_a"], report=report, note="本人健在")
    with pytest.raises(PermissionDenied):  # the system never decides
        death_report_reject(actor="system:test", report=report, note="本人健在")
    with pytest.raises(DomainError):
        death_report_reject(actor=users["community_b1"], report=report, note=" ")
    report = death_report_reject(actor=users["community_b1"], report=report, note="入户核实本人健在")
    member.refresh_from_db()
    enrolment.refresh_from_db()
    assert (report.status, report.decision_note, report.outcome) == (DeathReportStatus.REJECTED, "入户核实本人健在", "")
    assert member.died_on is None and enrolment.status == EnrolmentStatus.ACTIVE
    event = AuditEvent.objects.get(action="integrity.death_report_reject")
    assert (event.actor, event.before["status"], event.after["status"]) == (users["community_b1"], "pending", "rejected")
    # The police send it again: a new pending report (the rejected one stays in the record).
    again = death_report_receive(actor="system:test", member=member, died_on=dt.date(2026, 2, 1))
    assert again.pk != report.pk and again.status == DeathReportStatus.PENDING


def test_received_death_with_an_impossible_date_is_refused(regions, users):
    household = make_household(regions["comm_a1"])
    member = household.members.get()
    with pytest.raises(DomainError):
        death_report_receive(actor="system:test", member=member, died_on=dt.date(2999, 1, 1))
    with pytest.raises(DomainError):
        death_report_receive(actor="system:test", member=member, died_on=dt.date(1900, 1, 1))


# ---------------------------------------------------------------- cadre relatives


def test_cadre_relative_registration_is_idempotent_and_scoped(regions, users):
    household = make_household(regions["comm_b1"])
    member = household.members.get()
    first = cadre_relative_register(actor=users["community_b1"], member=member, cadre_name="李村长",
                                    cadre_post="村委会主任", relation=CadreRelation.PARENT)
    again = cadre_relative_register(actor=users["township_b"], member=member, cadre_name="李村长",
                                    cadre_post="村委会主任", relation=CadreRelation.PARENT)
    assert first == again and first.registered_by == users["community_b1"]
    with pytest.raises(PermissionDenied):
        cadre_relative_register(actor=users["community_a1"], member=member, cadre_name="王", cadre_post="会计",
                                relation=CadreRelation.SPOUSE)
    with pytest.raises(DomainError):
        cadre_relative_register(actor=users["township_b"], member=member, cadre_name="", cadre_post="会计",
                                relation="cousin")
