"""A review prompted by a death (死亡报告复核) takes effect from the month after the death, not from the
decision: unpaid lines are withdrawn and every paid month in between is claimed back (old − new amount),
counting what the death report already claimed."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import services
from benefits.integrity.services import death_report_record
from benefits.models import EnrolmentEvent, EnrolmentEventKind, EnrolmentStatus, ReviewOutcome
from benefits.payroll.models import Overpayment, OverpaymentStatus, PaymentLine, RunStatus
from benefits.payroll.services import (
    overpayment_decide,
    payroll_run_compute,
    payroll_run_lock,
    payroll_run_review,
)
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import AuditEvent
from tests.benefits.payroll.factories import make_enrolment, make_household

pytestmark = pytest.mark.django_db
D = Decimal
APRIL, MAY, JUNE = dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)
DECIDED_ON = dt.date(2026, 6, 10)


def _compute(regions, month):
    return payroll_run_compute(actor="system:test", county=regions["county"], month=month).run


def _lock(regions, month):
    return payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=_compute(regions,
                                                                                                          month)))


@pytest.fixture
def death(policy, users):
    """3 persons at 450.00 (150.00 each). April paid (locked); a member dies on 2026-03-05 → stop from April;
    the death report claims the deceased's share of April (450 / 3 = 150.00). May is then paid at 450.00
    while the review is open; June is computed and reviewed, not yet paid."""
    household = make_household(policy["comm_a1"], members=3)
    enrolment = make_enrolment(household, amount="450.00")
    _lock(policy, APRIL)
    report = death_report_record(actor=users["community_a1"], member=household.members.order_by("id").last(),
                                 died_on=dt.date(2026, 3, 5))
    _lock(policy, MAY)
    june = payroll_run_review(actor="system:test", run=_compute(policy, JUNE))
    assert report.stop_from == APRIL
    assert [(o.month, o.amount) for o in Overpayment.objects.all()] == [(APRIL, D("150.00"))]
    return {"household": household, "enrolment": enrolment, "report": report, "review": report.review, "june": june}


def _claims(household):
    return [(o.month, o.amount, o.status, o.source_type)
            for o in Overpayment.objects.filter(household=household).order_by("month", "id")]


def test_change_is_effective_from_the_death_and_the_paid_months_are_claimed(users, policy, death):
    review = services.review_decide(actor=users["county"], review=death["review"], outcome=ReviewOutcome.CHANGE,
                                    findings="一人死亡，按两人核定", new_amount=D("300.00"), on=DECIDED_ON)
    enrolment = death["enrolment"]
    enrolment.refresh_from_db()
    assert (enrolment.monthly_amount, enrolment.persons) == (D("300.00"), 2)
    change = EnrolmentEvent.objects.get(enrolment=enrolment, kind=EnrolmentEventKind.AMOUNT_CHANGE)
    assert change.effective_on == APRIL  # not the decision day
    # April: paid 450, due 300 → 150 overpaid; the death report already claims 150 → nothing more.
    # May:   paid 450, due 300 → 150 overpaid, nothing claimed yet → 150 claimed by the review.
    assert _claims(death["household"]) == [
        (APRIL, D("150.00"), OverpaymentStatus.OPEN, "integrity.deathreport"),
        (MAY, D("150.00"), OverpaymentStatus.OPEN, "benefits.review"),
    ]
    assert "追回 1 笔共 150.00 元" in review.findings
    # June was not paid: its 450.00 line is withdrawn, the reviewed run goes back to computed, and the
    # next computation pays the new amount.
    june = death["june"]
    june.refresh_from_db()
    assert june.status == RunStatus.COMPUTED and not PaymentLine.objects.filter(run=june).exists()
    june = _compute(policy, JUNE)
    assert list(PaymentLine.objects.filter(run=june).values_list("amount", "persons")) == [(D("300.00"), 2)]
    event = AuditEvent.objects.get(action="review.decide", object_id=str(review.pk))
    assert event.after["death_settlement"]["claimed"] == "150.00"
    assert event.after["death_settlement"]["effective_from"] == "2026-04-01"
    # decided once: nothing is claimed twice
    with pytest.raises(Conflict):
        services.review_decide(actor=users["county"], review=review, outcome=ReviewOutcome.CHANGE, findings="x")
    assert Overpayment.objects.filter(household=death["household"]).count() == 2


def test_a_provisional_claim_above_what_was_overpaid_is_replaced(users, policy, death):
    services.review_decide(actor=users["county"], review=death["review"], outcome=ReviewOutcome.CHANGE,
                           findings="死亡成员有养老金，按两人核定", new_amount=D("330.00"), on=DECIDED_ON)
    # April: paid 450, due 330 → 120 overpaid; the report's open 150 is waived and 120 claimed instead.
    # May:   paid 450, due 330 → 120 claimed.
    assert _claims(death["household"]) == [
        (APRIL, D("150.00"), OverpaymentStatus.WAIVED, "integrity.deathreport"),
        (APRIL, D("120.00"), OverpaymentStatus.OPEN, "benefits.review"),
        (MAY, D("120.00"), OverpaymentStatus.OPEN, "benefits.review"),
    ]
    open_total = sum(o.amount for o in Overpayment.objects.filter(status=OverpaymentStatus.OPEN))
    assert open_total == D("240.00")  # 2 months × (450 − 330)


def test_what_was_already_recovered_above_the_overpayment_is_reported_for_refund(users, policy, death):
    provisional = Overpayment.objects.get()
    overpayment_decide(actor=users["county"], overpayment=provisional, status=OverpaymentStatus.RECOVERED,
                       decision="已从账户扣回")
    review = services.review_decide(actor=users["county"], review=death["review"], outcome=ReviewOutcome.CHANGE,
                                    findings="按两人核定", new_amount=D("330.00"), on=DECIDED_ON)
    # April: due 120, 150 already recovered → 30 to refund; May: 120 claimed.
    assert _claims(death["household"]) == [
        (APRIL, D("150.00"), OverpaymentStatus.RECOVERED, "integrity.deathreport"),
        (MAY, D("120.00"), OverpaymentStatus.OPEN, "benefits.review"),
    ]
    assert "多追回 30.00 元应予退还" in review.findings


def test_an_end_after_a_death_stops_from_the_death_and_claims_whole_months(users, policy, death):
    review = services.review_decide(actor=users["county"], review=death["review"], outcome=ReviewOutcome.END,
                                    findings="其余成员已有稳定收入", on=DECIDED_ON)
    enrolment = death["enrolment"]
    enrolment.refresh_from_db()
    assert review.outcome == ReviewOutcome.END
    assert (enrolment.status, enrolment.end_date) == (EnrolmentStatus.ENDED, APRIL)
    # April: paid 450, nothing due → 450; 150 already claimed → 300 more. May: 450.
    assert _claims(death["household"]) == [
        (APRIL, D("150.00"), OverpaymentStatus.OPEN, "integrity.deathreport"),
        (APRIL, D("300.00"), OverpaymentStatus.OPEN, "benefits.review"),
        (MAY, D("450.00"), OverpaymentStatus.OPEN, "benefits.review"),
    ]
    assert _compute(policy, JUNE).lines == 0


def test_a_death_review_cannot_keep_the_dead_persons_share(users, policy, death):
    with pytest.raises(DomainError) as exc:
        services.review_decide(actor=users["township_a"], review=death["review"], outcome=ReviewOutcome.KEEP,
                               findings="维持", on=DECIDED_ON)
    assert "outcome" in exc.value.field_errors
    death["enrolment"].refresh_from_db()
    assert death["enrolment"].monthly_amount == D("450.00")


def test_an_ordinary_change_still_takes_effect_on_the_decision_day(users, policy):
    household = make_household(policy["comm_a1"], members=2)
    enrolment = make_enrolment(household, amount="450.00")
    _lock(policy, APRIL)
    review = services.review_open(actor="system:test", household=household, kind="periodic", reason="定期复核")
    services.review_decide(actor=users["county"], review=review, outcome=ReviewOutcome.CHANGE, findings="收入变化",
                           new_amount=D("300.00"), on=DECIDED_ON)
    change = EnrolmentEvent.objects.get(enrolment=enrolment, kind=EnrolmentEventKind.AMOUNT_CHANGE)
    assert change.effective_on == DECIDED_ON
    assert not Overpayment.objects.exists()
