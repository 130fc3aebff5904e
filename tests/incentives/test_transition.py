"""Transition benefit [R4]: proposal from a hire, confirmation, payroll amount, end and review."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import Enrolment, EnrolmentEventKind, EnrolmentStatus, IncomeItem, Review, ReviewKind
from benefits.payroll.models import PaymentLine
from benefits.payroll.services import payroll_run_compute
from benefits.services import review_decide, review_open, reviews_open_periodic
from incentives import services
from incentives.models import ProposalStatus, RuleApplication
from reemployment.core.errors import Conflict, PermissionDenied
from reemployment.core.models import AuditEvent, ParameterSet


def propose(member, earnings, start=dt.date(2026, 3, 10), source="1"):
    return services.transition_propose(actor="system:hire", member=member, job_start=start,
                                       monthly_earnings=Decimal(earnings), source_type="jobs.hire", source_id=source,
                                       employer_name="炉桥盐化")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "earnings, expected",
    [
        ("600.00", "300.00"),  # 600 < 800: previous 300.00 continues in full
        ("799.99", "300.00"),  # just under the threshold: full
        ("800.00", "150.00"),  # exactly 800: 300.00 × 0.50 = 150.00 (800 "以上" includes 800)
        ("2500.00", "150.00"),  # far above: half
    ],
)
def test_proposal_amount_and_period(make_household, earnings, expected):
    household, people, _enrolment = make_household(amount="300.00")
    proposal = propose(people[1], earnings)
    assert proposal.transition_amount == Decimal(expected)
    assert proposal.months == 6
    # Job starts 10 March → the transition covers April..September (6 whole benefit months).
    assert proposal.start == dt.date(2026, 4, 1)
    assert proposal.until == dt.date(2026, 9, 30)
    application = RuleApplication.objects.get(household=household, rule="transition")
    assert application.parameters == {"transition_months": 6, "transition_threshold": "800.00",
                                      "transition_high_share": "0.50"}
    assert application.result["monthly_amount"] == expected


@pytest.mark.django_db
def test_proposal_is_idempotent_per_hire(make_household):
    _, people, _ = make_household()
    first = propose(people[0], "600.00", source="42")
    again = propose(people[0], "600.00", source="42")
    assert first.pk == again.pk
    assert RuleApplication.objects.count() == 1


@pytest.mark.django_db
def test_no_proposal_without_a_payable_enrolment(make_household):
    _, people, _ = make_household(status=EnrolmentStatus.SUSPENDED)
    assert propose(people[0], "600.00") is None


@pytest.mark.django_db
def test_confirm_makes_enrolment_transitional_and_payable_amount(make_household, users):
    _household, people, enrolment = make_household(amount="300.00")
    proposal = propose(people[0], "900.00")  # ≥ 800: 300.00 × 0.5 = 150.00
    services.transition_confirm(actor=users["county"], proposal=proposal)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.TRANSITIONAL
    assert enrolment.transition_amount == Decimal("150.00")
    assert enrolment.transition_until == dt.date(2026, 9, 30)
    assert enrolment.transition_from == dt.date(2026, 4, 1)
    assert enrolment.amount_for_month(dt.date(2026, 4, 1)) == Decimal("150.00")  # what payroll pays in April
    assert enrolment.amount_for_month(dt.date(2026, 3, 1)) == Decimal("300.00")  # March: before the period
    assert enrolment.monthly_amount == Decimal("300.00")  # the normal amount is kept
    assert enrolment.events.filter(kind=EnrolmentEventKind.TRANSITION_START).count() == 1
    assert AuditEvent.objects.filter(action="transition.confirm", actor=users["county"]).exists()
    with pytest.raises(Conflict):
        services.transition_confirm(actor=users["county"], proposal=proposal)


@pytest.mark.django_db
@pytest.mark.parametrize("user_key", ["township_a", "community_a1", "labour", "other_county"])
def test_only_county_staff_of_the_county_confirm(make_household, users, user_key):
    _, people, enrolment = make_household()
    proposal = propose(people[0], "600.00")
    with pytest.raises(PermissionDenied):
        services.transition_confirm(actor=users[user_key], proposal=proposal)
    proposal.refresh_from_db()
    enrolment.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and enrolment.status == EnrolmentStatus.ACTIVE


@pytest.mark.django_db
def test_dismiss_needs_a_reason(make_household, users):
    _, people, _ = make_household()
    proposal = propose(people[0], "600.00")
    with pytest.raises(Exception, match="理由"):
        services.transition_dismiss(actor=users["county"], proposal=proposal, note=" ")
    services.transition_dismiss(actor=users["county"], proposal=proposal, note="非培训或推荐就业")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED


@pytest.mark.django_db
def test_parameter_change_mid_transition_keeps_the_start_parameters(make_household, users, regions):
    _household, people, enrolment = make_household(amount="300.00")
    proposal = propose(people[0], "900.00", start=dt.date(2026, 3, 10))  # half under the 800 threshold
    services.transition_confirm(actor=users["county"], proposal=proposal)
    # From May the county raises the threshold to 1000: 900 would now be "below" → full amount.
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2026, 5, 1),
                                values={"transition_threshold": "1000.00"})
    enrolment.refresh_from_db()
    # The parameters in force at the start apply for the whole period.
    assert enrolment.amount_for_month(dt.date(2026, 6, 1)) == Decimal("150.00")
    # A new hire after the change is assessed with the new parameters.
    _household2, people2, _ = make_household(amount="300.00")
    later = propose(people2[0], "900.00", start=dt.date(2026, 6, 2), source="later")
    assert later.transition_amount == Decimal("300.00")  # 900 < 1000: full


@pytest.mark.django_db
def test_two_hires_in_one_household(make_household, users):
    _household, people, enrolment = make_household(members=3, amount="420.00")
    first = propose(people[0], "500.00", start=dt.date(2026, 3, 10), source="h1")
    assert first.transition_amount == Decimal("420.00")  # 500 < 800: full
    services.transition_confirm(actor=users["county"], proposal=first)
    second = propose(people[1], "900.00", start=dt.date(2026, 5, 20), source="h2")
    # The second hired person's own earnings 900 ≥ 800: 420.00 × 0.5 = 210.00; the period does not extend.
    assert second.household_earnings == Decimal("1400.00")  # 500 + 900, recorded, not tested
    assert second.transition_amount == Decimal("210.00")
    assert second.until == first.until == dt.date(2026, 9, 30)
    services.transition_confirm(actor=users["county"], proposal=second)
    enrolment.refresh_from_db()
    assert enrolment.transition_amount == Decimal("210.00")
    assert enrolment.transition_until == dt.date(2026, 9, 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "own, expected",
    [
        # another member already earns 500; the 800 test uses the hired person's own earnings [R4]:
        ("799.99", "420.00"),  # own 799.99 < 800 → full 420.00 (household 500 + 799.99 = 1299.99 is not tested)
        ("800.00", "210.00"),  # own 800.00, not below 800 → 420.00 × 0.50 = 210.00
        ("800.01", "210.00"),  # own 800.01 ≥ 800 → 420.00 × 0.50 = 210.00
    ],
)
def test_the_800_yuan_test_uses_the_hired_persons_own_earnings(make_household, users, own, expected):
    _household, people, enrolment = make_household(members=3, amount="420.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "500.00", source="h1"))
    second = propose(people[1], own, start=dt.date(2026, 5, 20), source="h2")
    assert second.transition_amount == Decimal(expected)
    assert second.household_earnings == Decimal("500.00") + Decimal(own)
    services.transition_confirm(actor=users["county"], proposal=second)
    enrolment.refresh_from_db()
    assert enrolment.transition_amount == Decimal(expected)


@pytest.mark.django_db
def test_one_persons_two_jobs_count_together(make_household, users):
    _household, people, _enrolment = make_household(members=3, amount="420.00")
    first = propose(people[0], "500.00", source="h1")
    # the same person takes a second job of 400: own earnings 500 + 400 = 900 ≥ 800 → 420.00 × 0.50 = 210.00
    second = propose(people[0], "400.00", start=dt.date(2026, 5, 20), source="h2")
    assert (first.transition_amount, second.transition_amount) == (Decimal("420.00"), Decimal("210.00"))


@pytest.mark.django_db
def test_a_second_hire_after_a_parameter_change_is_assessed_with_the_first_hires_parameters(
        make_household, users, regions):
    _household, people, enrolment = make_household(members=3, amount="420.00")
    first = propose(people[0], "500.00", start=dt.date(2026, 3, 10), source="h1")  # 500 < 800: full 420.00
    services.transition_confirm(actor=users["county"], proposal=first)
    # From May the county raises the threshold to 1000 and shortens the period to 3 months.
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2026, 5, 1),
                                values={"transition_threshold": "1000.00", "transition_months": 3})
    second = propose(people[1], "900.00", start=dt.date(2026, 5, 20), source="h2")
    # Own 900 against the threshold in force when the transition started (800): 420.00 × 0.50 = 210.00,
    # not "900 < 1000: full"; and the period keeps its 6 months (April..September).
    assert second.transition_amount == Decimal("210.00")
    assert (second.months, second.start, second.until) == (6, dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    services.transition_confirm(actor=users["county"], proposal=second)
    enrolment.refresh_from_db()
    assert enrolment.transition_amount == Decimal("210.00")


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["first-then-second", "second-then-first"])
def test_confirming_two_hires_in_either_order_ends_at_the_same_amount(make_household, users, order):
    _household, people, enrolment = make_household(members=3, amount="420.00")
    first = propose(people[0], "500.00", start=dt.date(2026, 3, 10), source="h1")
    second = propose(people[1], "900.00", start=dt.date(2026, 5, 20), source="h2")
    for proposal in ([first, second] if order == "first-then-second" else [second, first]):
        services.transition_confirm(actor=users["county"], proposal=proposal)
    enrolment.refresh_from_db()
    # Both confirmed: the second person's own 900 ≥ 800 → 420.00 × 0.50 = 210.00 until 2026-09-30.
    assert enrolment.transition_amount == Decimal("210.00")
    assert enrolment.transition_until == dt.date(2026, 9, 30)
    assert enrolment.transition_from == dt.date(2026, 4, 1)


@pytest.mark.django_db
def test_a_dismissed_hire_does_not_count(make_household, users):
    _household, people, enrolment = make_household(members=3, amount="420.00")
    first = propose(people[0], "500.00", start=dt.date(2026, 3, 10), source="h1")
    second = propose(people[1], "400.00", start=dt.date(2026, 5, 20), source="h2")
    services.transition_dismiss(actor=users["county"], proposal=second, note="临时零工，非稳定就业")
    services.transition_confirm(actor=users["county"], proposal=first)
    enrolment.refresh_from_db()
    assert enrolment.transition_amount == Decimal("420.00")  # 500 < 800 alone: full


@pytest.mark.django_db
def test_a_lower_amount_from_a_further_hire_is_in_the_enrolment_history(make_household, users):
    _household, people, enrolment = make_household(members=3, amount="420.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "500.00", source="h1"))
    services.transition_confirm(actor=users["county"], proposal=propose(people[1], "900.00",
                                                                        start=dt.date(2026, 5, 20), source="h2"))
    change = enrolment.events.get(kind=EnrolmentEventKind.AMOUNT_CHANGE)
    assert (change.amount_before, change.amount_after) == (Decimal("420.00"), Decimal("420.00"))
    assert change.transition_amount_after == Decimal("210.00")
    assert change.transition_until_after == dt.date(2026, 9, 30)
    assert AuditEvent.objects.filter(action="enrolment.transition_amount_change").count() == 1


@pytest.mark.django_db
def test_transition_ends_when_due_and_opens_one_review(make_household, users):
    household, people, enrolment = make_household(amount="300.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "600.00"))
    # The last covered day is 2026-09-30: nothing happens on that day.
    assert services.transitions_end_due(as_of=dt.date(2026, 9, 30)) == 0
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 1)) == 1
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.transition_amount is None
    review = Review.objects.get(household=household)
    assert review.kind == ReviewKind.TRANSITION_END and review.status == "open"
    # Running again (beat retries, a second worker) changes nothing.
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 2)) == 0
    assert Review.objects.filter(household=household).count() == 1


@pytest.mark.django_db
def test_end_due_task_runs_through_celery(make_household, users):
    from incentives.tasks import end_due_transitions

    _, people, enrolment = make_household()
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "600.00",
                                                                      start=dt.date(2020, 1, 5)))
    assert end_due_transitions.apply().get() == 1
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


@pytest.mark.django_db
def test_transition_is_urban_by_default_and_a_county_parameter(make_household, regions):
    # [R4] speaks of 城市低保: a rural household gets no proposal under the defaults
    _, people, _ = make_household(region_key="comm_b1")
    assert propose(people[0], "600.00", source="r1") is None
    # a county that extends it to rural households: 600 < 800 → the previous 300.00 in full
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2026, 1, 1),
                                values={"transition_areas": ["urban", "rural"]})
    assert propose(people[0], "600.00", source="r2").transition_amount == Decimal("300.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "review_due",
    [
        pytest.param(dt.date(2026, 4, 15), id="due-in-first-transition-month"),  # April = month 1 of 6
        pytest.param(dt.date(2026, 9, 15), id="due-in-last-transition-month"),  # September = month 6 of 6
    ],
)
def test_no_periodic_review_inside_the_transition(make_household, users, review_due):
    # Job from 10 March, own wage 600 < 800 → previous 300.00 continues in full, April..September 2026.
    # A periodic review falling due inside the period is not opened (reviews are not scheduled inside
    # it); the transition keeps 300.00 to its last day; the period ends on 1 October with one review.
    household, people, enrolment = make_household(amount="300.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "600.00"))
    Enrolment.objects.filter(pk=enrolment.pk).update(next_review_on=review_due)
    for day in (review_due, dt.date(2026, 9, 30)):
        assert reviews_open_periodic(as_of=day) == 0
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.TRANSITIONAL
        assert (enrolment.transition_amount, enrolment.transition_until) == (Decimal("300.00"), dt.date(2026, 9, 30))
    assert not Review.objects.filter(household=household).exists()
    # 1 October: the transition ends and its review opens; the overdue periodic review is not opened beside it.
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 1)) == 1
    assert reviews_open_periodic(as_of=dt.date(2026, 10, 1)) == 0
    assert list(Review.objects.filter(household=household).values_list("kind", flat=True)) == [
        ReviewKind.TRANSITION_END
    ]


# --- Reviews inside the transition period: findings now, effect when the period ends [R4] ------------


def _decide(users, review, outcome, on, findings="入户核查：成员已就业"):
    return review_decide(actor=users["county"], review=review, outcome=outcome, findings=findings, on=on)


def _paid(users, regions, month):
    """What the month's payroll pays the household (its one line)."""
    run = payroll_run_compute(actor=users["county"], county=regions["county"], month=month).run
    return PaymentLine.objects.get(run=run).amount


@pytest.mark.parametrize(
    "decided_on",
    [
        pytest.param(dt.date(2026, 4, 1), id="decided-on-the-first-day-of-the-first-month"),  # April = month 1 of 6
        pytest.param(dt.date(2026, 9, 30), id="decided-on-the-last-day-of-the-last-month"),  # September = month 6 of 6
    ],
)
def test_a_review_open_when_the_transition_starts_ends_the_benefit_only_after_it(
        make_household, users, regions, standards, decided_on):
    # 2 persons, urban C, 300.00 a month. A periodic review is open (due 31 March) before the job.
    household, people, enrolment = make_household(amount="300.00")
    review = review_open(actor="system:test", household=household, kind=ReviewKind.PERIODIC, reason="定期复核",
                         due_on=dt.date(2026, 3, 31), enrolment=enrolment)
    # Job from 10 March, the hired person's own wage 900 ≥ 800 → half: 300.00 × 0.50 = 150.00 a month,
    # April..September 2026.
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "900.00"))
    IncomeItem.objects.create(household=household, member=people[0], kind="wages", monthly_amount=Decimal("900.00"))
    # The review is decided inside the period: 900 ÷ 2 persons = 450.00 per capita ≥ standard 150.00 →
    # not eligible → END (应退尽退) — recorded now, effective on 1 October, the first day after the period.
    _decide(users, review, "keep", decided_on)
    review.refresh_from_db()
    enrolment.refresh_from_db()
    assert (review.status, review.outcome) == ("decided", "end")
    assert (review.effect_pending, review.takes_effect_on) == (True, dt.date(2026, 10, 1))
    assert "过渡期内照发过渡期待遇" in review.findings and "自 2026-10-01 起生效" in review.findings
    assert enrolment.status == EnrolmentStatus.TRANSITIONAL and enrolment.end_date is None
    assert (enrolment.transition_amount, enrolment.transition_until) == (Decimal("150.00"), dt.date(2026, 9, 30))
    # The month of the decision is paid the transition amount, 150.00, not cut and not ended.
    assert _paid(users, regions, decided_on.strftime("%Y-%m")) == Decimal("150.00")
    # 1 October: the period ends and the decision takes effect: the benefit ends from 1 October.
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 1)) == 1
    enrolment.refresh_from_db()
    review.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == (EnrolmentStatus.ENDED, dt.date(2026, 10, 1))
    assert review.effect_pending is False
    exit_event = enrolment.events.get(kind=EnrolmentEventKind.EXIT)
    assert exit_event.effective_on == dt.date(2026, 10, 1) and f"过渡期内复核 #{review.pk}" in exit_event.reason
    # The review in the period was the review: no transition-end review is opened beside it.
    assert not Review.objects.filter(household=household, kind=ReviewKind.TRANSITION_END).exists()
    assert AuditEvent.objects.filter(action="review.apply_deferred", object_id=str(review.pk)).count() == 1
    # October: no payment (end date 1 October: nothing for months starting on or after it).
    run = payroll_run_compute(actor=users["county"], county=regions["county"], month="2026-10").run
    assert not PaymentLine.objects.filter(run=run).exists()
    # Running the end-of-transition job again changes nothing.
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 2)) == 0


@pytest.mark.parametrize(
    ("reported_on", "decided_on"),
    [
        pytest.param(dt.date(2026, 4, 2), dt.date(2026, 4, 20), id="first-transition-month"),  # April: month 1
        pytest.param(dt.date(2026, 9, 1), dt.date(2026, 9, 30), id="last-transition-month"),  # September: month 6
    ],
)
def test_a_change_report_in_the_period_changes_the_amount_only_after_it(
        make_household, users, regions, standards, reported_on, decided_on):
    # 3 persons, 420.00 a month. Job from 10 March, own wage 420 < 800 → the previous 420.00 continues in
    # full, April..September.
    household, people, enrolment = make_household(members=3, amount="420.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "420.00"))
    IncomeItem.objects.create(household=household, member=people[0], kind="wages", monthly_amount=Decimal("420.00"))
    # The household reports the wage (对象报告变化) inside the period; the review decides CHANGE:
    # 420 ÷ 3 = 140.00 per capita < 150.00 → urban C: (150.00 − 140.00) × 3 = 30.00 a month.
    review = review_open(actor="system:test", household=household, kind=ReviewKind.CHANGE_REPORT,
                         reason="成员就业，月工资420元", due_on=reported_on, enrolment=enrolment)
    _decide(users, review, "change", decided_on, findings="核实：成员月工资420元")
    review.refresh_from_db()
    enrolment.refresh_from_db()
    assert (review.outcome, review.new_category, review.new_amount) == ("change", "C", Decimal("30.00"))
    assert (review.effect_pending, review.takes_effect_on) == (True, dt.date(2026, 10, 1))
    # Nothing changes during the period: the normal amount stays 420.00 and the transition pays 420.00.
    assert (enrolment.status, enrolment.monthly_amount) == (EnrolmentStatus.TRANSITIONAL, Decimal("420.00"))
    assert not enrolment.events.filter(kind=EnrolmentEventKind.AMOUNT_CHANGE).exists()
    assert _paid(users, regions, decided_on.strftime("%Y-%m")) == Decimal("420.00")
    # 1 October: the period ends; the change takes effect from 1 October → 30.00 a month; the
    # transition-end review still opens (the benefit goes on, [R4] 然后正常复核).
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 1)) == 1
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.category, enrolment.monthly_amount) == (
        EnrolmentStatus.ACTIVE, "C", Decimal("30.00"))
    change = enrolment.events.get(kind=EnrolmentEventKind.AMOUNT_CHANGE)
    assert (change.effective_on, change.amount_before, change.amount_after) == (
        dt.date(2026, 10, 1), Decimal("420.00"), Decimal("30.00"))
    assert _paid(users, regions, "2026-10") == Decimal("30.00")
    assert Review.objects.get(household=household, kind=ReviewKind.TRANSITION_END).status == "open"


def test_township_staff_cannot_end_a_benefit_by_deferring_it(make_household, users, standards):
    # Changes and exits are the county's: a township user's deferred END is refused like an immediate one.
    household, people, enrolment = make_household(amount="300.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "900.00"))
    IncomeItem.objects.create(household=household, member=people[0], kind="wages", monthly_amount=Decimal("900.00"))
    review = review_open(actor="system:test", household=household, kind=ReviewKind.PERIODIC, reason="定期复核",
                         enrolment=enrolment)
    with pytest.raises(PermissionDenied):
        review_decide(actor=users["township_a"], review=review, outcome="end", findings="已就业",
                      on=dt.date(2026, 5, 10))
    review.refresh_from_db()
    assert review.status == "open" and not review.effect_pending


def test_a_review_decided_after_the_period_takes_effect_as_usual(make_household, users, standards):
    # Decided on 1 October, after the period (last day 30 September): not deferred; 900 ÷ 2 = 450 ≥ 150 →
    # END from the next month, 1 November.
    household, people, enrolment = make_household(amount="300.00")
    services.transition_confirm(actor=users["county"], proposal=propose(people[0], "900.00"))
    IncomeItem.objects.create(household=household, member=people[0], kind="wages", monthly_amount=Decimal("900.00"))
    assert services.transitions_end_due(as_of=dt.date(2026, 10, 1)) == 1
    review = Review.objects.get(household=household, kind=ReviewKind.TRANSITION_END)
    _decide(users, review, "keep", dt.date(2026, 10, 1))
    review.refresh_from_db()
    enrolment.refresh_from_db()
    assert (review.outcome, review.effect_pending, review.takes_effect_on) == ("end", False, None)
    assert (enrolment.status, enrolment.end_date) == (EnrolmentStatus.ENDED, dt.date(2026, 11, 1))
