"""Payroll computation: who is paid, how much, and that reruns never pay twice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from benefits.models import EnrolmentStatus, Household, Member
from benefits.payroll.models import PaymentLine, PayrollRun, RunStatus
from benefits.payroll.services import (
    parse_month,
    payroll_run_compute,
    payroll_run_lock,
    payroll_run_review,
)
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, Region
from tests.benefits.payroll.conftest import MAY
from tests.benefits.payroll.factories import make_enrolment, make_household

pytestmark = pytest.mark.django_db


def compute(regions, month=MAY, actor="system:test", **kw):
    return payroll_run_compute(actor=actor, county=regions["county"], month=month, **kw)


def test_one_line_per_payable_enrolment_of_the_county(regions, county_households):
    result = compute(regions)
    run = result.run
    lines = PaymentLine.objects.filter(run=run)
    assert set(lines.values_list("enrolment_id", flat=True)) == {
        county_households[k].pk for k in ("a1", "b1", "a2")
    }  # not the other county's
    assert result.added == 3
    # totals: 300.00 + 120.00 + 450.50 = 870.50; persons 2 + 1 + 3 = 6
    assert (run.lines, run.households, run.persons, run.total_amount) == (3, 3, 6, Decimal("870.50"))
    assert run.status == RunStatus.COMPUTED
    assert AuditEvent.objects.filter(action="payroll.compute", object_id=str(run.pk)).count() == 1


def test_running_again_adds_nothing(regions, county_households):
    first = compute(regions)
    ids = sorted(PaymentLine.objects.values_list("id", flat=True))
    second = compute(regions, batch_size=1)  # other batching, same result
    assert second.added == 0 and second.removed == 0
    assert sorted(PaymentLine.objects.values_list("id", flat=True)) == ids
    assert second.run.pk == first.run.pk and PayrollRun.objects.count() == 1
    assert second.run.total_amount == Decimal("870.50")


def test_the_database_refuses_a_second_line_for_an_enrolment_and_month(regions, county_households):
    run = compute(regions).run
    line = PaymentLine.objects.filter(run=run).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(run=run, enrolment=line.enrolment, household=line.household, region=line.region,
                                   month=line.month, amount=line.amount, persons=1, category="C", area="urban")


def test_the_database_refuses_lines_whose_run_household_or_region_is_missing(regions, county_households):
    """Run, household and region are checked per statement, not by foreign keys (migration 0003). On SQLite
    only the run is checked by the database (a trigger naming the household or region tables would break
    SQLite's rebuild of those tables); the payroll copies both from the enrolment's household."""
    run = compute(regions).run
    line = PaymentLine.objects.filter(run=run).first()
    fields = {"run_id": run.pk, "household_id": line.household_id, "region_id": line.region_id}
    missing = ["run_id", "household_id", "region_id"] if connection.vendor == "postgresql" else ["run_id"]
    for name in missing:
        with pytest.raises(IntegrityError, match="missing"), transaction.atomic():
            PaymentLine.objects.create(**{**fields, name: 987654}, enrolment=line.enrolment, month=dt.date(2026, 6, 1),
                                       amount=line.amount, persons=1, category="C", area="urban")
    # Nothing that lines refer to can be deleted: the ORM refuses (PROTECT) …
    for obj in (run, line.household, line.region):
        with pytest.raises(ProtectedError), transaction.atomic():
            obj.delete()
    # … and so does PostgreSQL for a plain DELETE, as the foreign keys did.
    if connection.vendor == "postgresql":
        for model, pk in ((PayrollRun, run.pk), (Household, line.household_id), (Region, line.region_id)):
            with pytest.raises(IntegrityError, match="payment lines still refer"), transaction.atomic():
                model.objects.filter(pk=pk)._raw_delete(connection.alias)
    assert PaymentLine.objects.filter(run=run).count() == 3


def test_transitional_enrolment_is_paid_the_transition_amount(regions):
    household = make_household(regions["comm_a1"], members=2)
    make_enrolment(household, amount="400.00", status=EnrolmentStatus.TRANSITIONAL,
                   transition_amount=Decimal("200.00"), transition_until=dt.date(2026, 9, 30))
    run = compute(regions).run
    assert list(PaymentLine.objects.filter(run=run).values_list("amount", flat=True)) == [Decimal("200.00")]


@pytest.mark.parametrize(
    "month, amount",
    [
        (dt.date(2026, 3, 1), "400.00"),  # the job's own month, before the period: the normal amount
        (dt.date(2026, 4, 1), "200.00"),  # first month of the period (April..September)
        (dt.date(2026, 9, 1), "200.00"),  # last month of the period
        (dt.date(2026, 10, 1), "400.00"),  # after it (the end-of-transition review not yet run): normal
    ],
)
def test_the_transition_amount_is_paid_only_inside_the_period(regions, month, amount):
    household = make_household(regions["comm_a1"], members=2)
    enrolment = make_enrolment(household, amount="400.00", status=EnrolmentStatus.TRANSITIONAL,
                               start=dt.date(2025, 1, 1), transition_amount=Decimal("200.00"),
                               transition_from=dt.date(2026, 4, 1), transition_until=dt.date(2026, 9, 30))
    run = compute(regions, month=month).run
    assert list(PaymentLine.objects.filter(run=run).values_list("amount", flat=True)) == [Decimal(amount)]
    assert enrolment.amount_for_month(month) == Decimal(amount)  # the model's twin of the SQL agrees


@pytest.mark.parametrize(
    "status, start, end_date, paid",
    [
        (EnrolmentStatus.SUSPENDED, dt.date(2026, 1, 1), None, False),
        (EnrolmentStatus.ACTIVE, dt.date(2026, 5, 31), None, True),  # starts on May's last day: May is paid
        (EnrolmentStatus.ACTIVE, dt.date(2026, 6, 1), None, False),  # starts after May
        (EnrolmentStatus.ENDED, dt.date(2026, 1, 1), dt.date(2026, 5, 1), False),  # ended from May on
        (EnrolmentStatus.ENDED, dt.date(2026, 1, 1), dt.date(2026, 6, 1), True),  # ended from June: May due
        (EnrolmentStatus.ENDED, dt.date(2026, 1, 1), dt.date(2026, 4, 15), False),  # ended before May
    ],
)
def test_which_enrolments_are_payable_for_may(regions, status, start, end_date, paid):
    household = make_household(regions["comm_a1"])
    make_enrolment(household, status=status, start=start, end_date=end_date)
    assert compute(regions).run.lines == (1 if paid else 0)


def test_a_household_whose_members_all_died_before_the_month_is_not_paid(regions):
    household = make_household(regions["comm_a1"], members=1)
    make_enrolment(household)
    Member.objects.filter(household=household).update(died_on=dt.date(2026, 4, 30))
    assert compute(regions, month=dt.date(2026, 4, 1)).run.lines == 1  # died in April: April paid
    assert compute(regions, month=MAY).run.lines == 0  # from May on: stopped


def test_a_household_with_a_surviving_member_is_paid(regions):
    household = make_household(regions["comm_a1"], members=2)
    make_enrolment(household)
    Member.objects.filter(pk=household.members.order_by("id").first().pk).update(died_on=dt.date(2026, 1, 10))
    assert compute(regions).run.lines == 1  # the other member lives: paid (the DEATH review adjusts the amount)


def test_a_household_without_member_rows_is_not_stopped_by_the_death_rule(regions):
    household = make_household(regions["comm_a1"], members=0)
    make_enrolment(household, persons=1)
    assert compute(regions).run.lines == 1


def test_rerun_withdraws_lines_no_longer_due_and_refreshes_changed_amounts(regions, county_households):
    compute(regions)
    county_households["a1"].status = EnrolmentStatus.SUSPENDED
    county_households["a1"].save()
    county_households["b1"].monthly_amount = Decimal("100.00")
    county_households["b1"].save()
    result = compute(regions)
    assert result.removed == 2 and result.added == 1
    # 100.00 + 450.50 = 550.50
    assert (result.run.lines, result.run.total_amount) == (2, Decimal("550.50"))


def test_locked_month_is_immutable(regions, county_households):
    run = compute(regions).run
    run = payroll_run_review(actor="system:test", run=run)
    run = payroll_run_lock(actor="system:test", run=run)
    make_enrolment(make_household(regions["comm_a1"]))
    with pytest.raises(Conflict):
        compute(regions)
    assert PaymentLine.objects.filter(run=run).count() == 3
    with pytest.raises(Conflict):
        payroll_run_review(actor="system:test", run=run)


def test_database_guard_refuses_changes_to_a_locked_month(regions, county_households):
    run = compute(regions).run
    payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))
    with pytest.raises(Exception, match="locked"), transaction.atomic():
        PaymentLine.objects.filter(run=run).update(amount=Decimal("1.00"))
    with pytest.raises(Exception, match="locked"), transaction.atomic():
        PaymentLine.objects.filter(run=run).delete()
    with pytest.raises(Exception, match="locked"), transaction.atomic():
        PayrollRun.objects.filter(pk=run.pk).update(status=RunStatus.COMPUTED)
    assert PaymentLine.objects.filter(run=run, amount=Decimal("1.00")).count() == 0


def test_review_and_lock_follow_the_transition_table(regions, county_households):
    run = compute(regions).run
    with pytest.raises(Conflict):
        payroll_run_lock(actor="system:test", run=run)  # computed → locked is not allowed
    run = payroll_run_review(actor="system:test", run=run)
    assert run.status == RunStatus.REVIEWED and run.reviewed_at
    assert payroll_run_lock(actor="system:test", run=run).status == RunStatus.LOCKED


def test_only_county_staff_of_that_county_compute(regions, users, county_households):
    with pytest.raises(PermissionDenied):
        compute(regions, actor=users["township_a"])
    with pytest.raises(PermissionDenied):
        compute(regions, actor=users["other_county"])
    assert compute(regions, actor=users["county"]).run.lines == 3


def test_payroll_runs_per_county_not_per_township(regions):
    with pytest.raises(DomainError):
        payroll_run_compute(actor="system:test", county=regions["town_a"], month=MAY)


@pytest.mark.parametrize("text, expected", [("2026-05", MAY), ("2026-5", MAY), ("2026-05-01", MAY)])
def test_parse_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "05-2026", "", "2026/05"])
def test_parse_month_refuses(text):
    with pytest.raises(DomainError):
        parse_month(text)
