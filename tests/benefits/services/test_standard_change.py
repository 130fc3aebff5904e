"""Standard raises (提标调整, issue 14 §1): re-pricing every current enrolment from the first month.

Policy (tests/benefits/conftest.py ``policy``): 2025 urban 150 / rural 110, from 2026-01-01 urban 260 /
rural 180; default parameters (urban B uplift 30 %, rural amounts A 120 / B 100 / C 70 per person).
The enrolments below started in 2025 and were priced with the 2025 standard.
"""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import (
    Application,
    ApplicationStep,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
)
from benefits.payroll.models import PaymentLine
from benefits.payroll.services import payroll_run_compute
from benefits.services import standard_change_apply, standard_change_preview
from reemployment.core.errors import Conflict, PermissionDenied
from reemployment.core.models import AuditEvent, ParameterSet, Standard
from tests.benefits.factories import make_household

JAN = dt.date(2026, 1, 1)
BANK = {"bank_account": "6228480000000000000", "bank_name": "农业银行定远支行"}


def _enrol(household, category, amount, persons, start=dt.date(2025, 6, 1)):
    return Enrolment.objects.create(
        household=household, area=household.area, category=category, monthly_amount=Decimal(amount),
        persons=persons, start_date=start, certificate_number=f"DB{household.number}",
        status=EnrolmentStatus.ACTIVE)


@pytest.fixture
def county_cases(policy):
    regions = policy
    # Urban A: one 三无 person, no income. 2025: 150 × 1 = 150.00 → 2026: 260 × 1 = 260.00.
    a = make_household(regions["comm_a1"], members=1, **BANK)
    a.members.update(three_no=True, work_ability="none")
    # Urban B: two persons, the head seriously ill, wages 100 → per capita 50.
    # 2025: (150 − 50) × 1.3 × 2 = 260.00 → 2026: (260 − 50) × 1.3 × 2 = 546.00.
    b = make_household(regions["comm_a1"], members=2, incomes=[(0, "wages", "100.00")], **BANK)
    b.members.filter(relation="head").update(serious_illness=True)
    # Urban C: two persons, wages 200 → per capita 100.
    # 2025: (150 − 100) × 2 = 100.00 → 2026: (260 − 100) × 2 = 320.00.
    c = make_household(regions["comm_a2"], members=2, incomes=[(0, "wages", "200.00")], **BANK)
    # Boundary: two persons, wages 520 → per capita 260.00, exactly the new standard: not below it, so not
    # eligible under the rule; the raise does not change it (listed for a review; exit is a case decision).
    at = make_household(regions["comm_a2"], members=2, incomes=[(0, "wages", "520.00")], **BANK)
    # Rural C: one person, no income. 2025 and 2026: 70 × 1 = 70.00 (rural amounts did not change).
    r = make_household(regions["comm_b1"], members=1, **BANK)
    return {
        "a": _enrol(a, "A", "150.00", 1),
        "b": _enrol(b, "B", "260.00", 2),
        "c": _enrol(c, "C", "100.00", 2),
        "at": _enrol(at, "C", "10.00", 2),
        "r": _enrol(r, "C", "70.00", 1),
    }


@pytest.fixture
def declined(policy):
    """Declined applications (应保未保 candidates), both refused under the 2025 standard."""
    regions = policy
    # Per capita 300 / 2 = 150.00: exactly the old standard (refused), below the new 260 → invited.
    below = make_household(regions["comm_a1"], members=2, incomes=[(0, "wages", "300.00")])
    # Per capita 520 / 2 = 260.00: exactly the new standard → not below it, not invited.
    at = make_household(regions["comm_a1"], members=2, incomes=[(0, "wages", "520.00")])
    for n, household in enumerate((below, at)):
        Application.objects.create(number=f"SQTEST{n}", household=household, area="urban",
                                   step=ApplicationStep.REJECTED, submitted_on=dt.date(2025, 9, 1))
    return {"below": below, "at": at}


def test_preview_numbers_and_nothing_written(users, county_cases, declined):
    preview = standard_change_preview(actor=users["county"], county=county_cases["a"].household.region.parent.parent,
                                      month="2026-01")
    changed = {c["enrolment_id"]: (c["before"], c["after"]) for c in preview["changes"]}
    assert changed == {
        county_cases["a"].pk: (Decimal("150.00"), Decimal("260.00")),
        county_cases["b"].pk: (Decimal("260.00"), Decimal("546.00")),
        county_cases["c"].pk: (Decimal("100.00"), Decimal("320.00")),
    }
    assert preview["households_changed"] == 3
    assert preview["persons_changed"] == 1 + 2 + 2
    # Before: 150 + 260 + 100 + 10 + 70 = 590.00; after: 260 + 546 + 320 + 10 + 70 = 1206.00.
    assert preview["total_before"] == Decimal("590.00")
    assert preview["total_after"] == Decimal("1206.00")
    groups = {(g["area"], g["category"]): (g["households"], g["persons"], g["after"]) for g in preview["by_group"]}
    assert groups == {("urban", "A"): (1, 1, Decimal("260.00")), ("urban", "B"): (1, 2, Decimal("546.00")),
                      ("urban", "C"): (1, 2, Decimal("320.00"))}
    assert preview["falls"] == []
    assert [r["enrolment_id"] for r in preview["needs_review"]] == [county_cases["at"].pk]
    assert [r["household"] for r in preview["may_qualify"]] == [declined["below"].number]
    assert preview["policy"]["urban"]["monthly_amount"] == "260.00"
    # A preview writes nothing.
    assert Enrolment.objects.get(pk=county_cases["a"].pk).monthly_amount == Decimal("150.00")
    assert not EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.REPRICING).exists()


def test_apply_reprices_with_events_and_is_idempotent(users, county_cases, regions):
    standard_change_apply(actor=users["county"], county=regions["county"], month="2026-01")
    amounts = {k: Enrolment.objects.get(pk=e.pk).monthly_amount for k, e in county_cases.items()}
    assert amounts == {"a": Decimal("260.00"), "b": Decimal("546.00"), "c": Decimal("320.00"),
                       "at": Decimal("10.00"), "r": Decimal("70.00")}
    event = EnrolmentEvent.objects.get(enrolment=county_cases["a"], kind=EnrolmentEventKind.REPRICING)
    assert (event.amount_before, event.amount_after, event.effective_on) == (Decimal("150.00"), Decimal("260.00"), JAN)
    assert event.reason.startswith("提标调整：150.00 → 260.00 元")
    assert "城市低保标准 260.00 元（2026-01-01 起" in event.reason
    assert AuditEvent.objects.filter(action="enrolment.reprice").count() == 1
    # Every current enrolment of the county is now priced with the January policy.
    assert set(Enrolment.objects.values_list("priced_on", flat=True)) == {JAN}

    again = standard_change_apply(actor=users["county"], county=regions["county"], month="2026-01")
    assert again["households_changed"] == 0
    assert EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.REPRICING).count() == 3


def test_payroll_refuses_stale_amounts_until_applied(users, county_cases, regions):
    with pytest.raises(Conflict, match="apply_standard_change --county 341125 --month 2026-01") as info:
        payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-01")
    assert info.value.code == "stale_pricing"
    assert not PaymentLine.objects.exists()
    # December 2025 was priced with the 2025 standard: it is paid as before.
    payroll_run_compute(actor=users["county"], county=regions["county"], month="2025-12")

    standard_change_apply(actor=users["county"], county=regions["county"], month="2026-01")
    payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-01")
    paid = PaymentLine.objects.get(enrolment=county_cases["a"], month=JAN)
    assert paid.amount == Decimal("260.00")


def test_enrolment_started_under_new_standard_is_not_stale(users, policy):
    household = make_household(policy["comm_a1"], members=1, **BANK)
    household.members.update(three_no=True, work_ability="none")
    _enrol(household, "A", "260.00", 1, start=dt.date(2026, 1, 1))
    payroll_run_compute(actor=users["county"], county=policy["county"], month="2026-01")
    assert PaymentLine.objects.get(month=JAN).amount == Decimal("260.00")


@pytest.mark.parametrize("who", ["township_a", "other_county", "community_a1"])
def test_only_county_staff_of_the_county(users, county_cases, regions, who):
    with pytest.raises(PermissionDenied):
        standard_change_apply(actor=users[who], county=regions["county"], month="2026-01")
    with pytest.raises(PermissionDenied):
        standard_change_preview(actor=users[who], county=regions["county"], month="2026-01")
    assert Enrolment.objects.get(pk=county_cases["a"].pk).monthly_amount == Decimal("150.00")


def test_amount_parameter_change_reprices_rural_and_blocks_payroll(users, county_cases, regions):
    # January applied first (the standard raise), then rural amounts change from March:
    # rural C 70 → 90 per person; the rural C household of one person: 70 × 1 = 70.00 → 90 × 1 = 90.00.
    standard_change_apply(actor=users["county"], county=regions["county"], month="2026-01")
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2026, 3, 1),
                                values={"rural_amounts": {"A": "120.00", "B": "100.00", "C": "90.00"}})
    payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-02")  # before the change
    with pytest.raises(Conflict, match="apply_standard_change"):
        payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-03")
    preview = standard_change_apply(actor=users["county"], county=regions["county"], month="2026-03")
    assert [(c["enrolment_id"], c["before"], c["after"]) for c in preview["changes"]] == [
        (county_cases["r"].pk, Decimal("70.00"), Decimal("90.00"))]
    event = EnrolmentEvent.objects.get(enrolment=county_cases["r"], kind=EnrolmentEventKind.REPRICING)
    assert "政策参数 rural_amounts（2026-03-01 起" in event.reason
    payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-03")
    assert PaymentLine.objects.get(enrolment=county_cases["r"], month=dt.date(2026, 3, 1)).amount == Decimal("90.00")


def test_events_written_set_based_carry_status_category_and_actor(users, county_cases, regions):
    """The events come from one INSERT … SELECT: each carries what the model would (status and category
    unchanged, the acting user, the time of the apply), one per changed enrolment."""
    standard_change_apply(actor=users["county"], county=regions["county"], month="2026-01")
    events = EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.REPRICING).order_by("enrolment_id")
    assert [(e.enrolment_id, e.status_before, e.status_after, e.category_before, e.category_after,
             e.amount_before, e.amount_after, e.actor_id, e.transition_amount_after) for e in events] == [
        (county_cases["a"].pk, "active", "active", "A", "A", Decimal("150.00"), Decimal("260.00"), users["county"].pk,
         None),
        (county_cases["b"].pk, "active", "active", "B", "B", Decimal("260.00"), Decimal("546.00"), users["county"].pk,
         None),
        (county_cases["c"].pk, "active", "active", "C", "C", Decimal("100.00"), Decimal("320.00"), users["county"].pk,
         None),
    ]
    assert len({e.at for e in events}) == 1 and events[0].at is not None
    # The recipient's history shows it (the enrolment's events, in order).
    standard = Standard.objects.get(region=regions["county"], area="urban", valid_from=JAN)
    assert list(county_cases["b"].events.values_list("reason", flat=True)) == [
        f"提标调整：260.00 → 546.00 元，依据 城市低保标准 260.00 元（2026-01-01 起，#{standard.pk}）"]


def test_transitional_and_memberless_enrolments(users, policy):
    # Transitional urban A, one 三无 person: the normal amount 150.00 → 260 × 1 = 260.00 is re-priced; the
    # transition amount 400.00 paid until 2026-06 stays as it is.
    household = make_household(policy["comm_a1"], members=1, **BANK)
    household.members.update(three_no=True, work_ability="none")
    transitional = _enrol(household, "A", "150.00", 1)
    Enrolment.objects.filter(pk=transitional.pk).update(status=EnrolmentStatus.TRANSITIONAL,
                                                        transition_amount=Decimal("400.00"),
                                                        transition_until=dt.date(2026, 6, 30))
    # An enrolment whose only member died in 2025: no current member, listed for a review, unchanged.
    gone = make_household(policy["comm_a2"], members=1, **BANK)
    gone.members.update(died_on=dt.date(2025, 11, 3))
    memberless = _enrol(gone, "C", "80.00", 1)
    preview = standard_change_apply(actor=users["county"], county=policy["county"], month="2026-01")
    transitional.refresh_from_db()
    assert (transitional.monthly_amount, transitional.transition_amount) == (Decimal("260.00"), Decimal("400.00"))
    assert [(r["enrolment_id"], r["reason"]) for r in preview["needs_review"]] == [(memberless.pk, "家庭没有在册成员")]
    memberless.refresh_from_db()
    assert (memberless.monthly_amount, memberless.priced_on) == (Decimal("80.00"), JAN)
    event = EnrolmentEvent.objects.get(kind=EnrolmentEventKind.REPRICING)
    assert (event.enrolment_id, event.status_before, event.status_after) == (
        transitional.pk, "transitional", "transitional")


def test_queries_do_not_grow_with_enrolments(users, county_cases, regions, declined):
    """Set-based: preview and apply read and write in a number of statements that does not depend on how
    many households the county has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(service) -> int:
        with CaptureQueriesContext(connection) as captured:
            service(actor=users["county"], county=regions["county"], month="2026-01")
        return len(captured)

    preview = queries(standard_change_preview)
    for n in range(6):
        household = make_household(regions["comm_a1" if n % 2 else "comm_b1"], members=2,
                                   incomes=[(0, "wages", "100.00")], **BANK)
        _enrol(household, "C", "50.00", 2)
    assert queries(standard_change_preview) == preview
    # Apply: the same reads plus the writes (temporary table, update, events, stamps, audit).
    with CaptureQueriesContext(connection) as captured:
        result = standard_change_apply(actor=users["county"], county=regions["county"], month="2026-01")
    assert result["households_changed"] == 3 + 6
    assert len(captured) < preview + 15
