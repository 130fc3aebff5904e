"""Periodic reviews (set-based, idempotent), the post-entry queue, and review decisions."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import selectors, services, tasks
from benefits.models import EnrolmentStatus, IncomeItem, Review, ReviewKind, ReviewOutcome, ReviewStatus
from reemployment.core.errors import Conflict, PermissionDenied
from tests.benefits.factories import make_household


def _enrol(household, amount, category="C", next_review_on=dt.date(2026, 3, 1), persons=None):
    return services.enrolment_start(actor="system:test", household=household, category=category,
                                    monthly_amount=Decimal(amount), persons=persons or household.members.count(),
                                    start_date=dt.date(2025, 9, 1), certificate_number=f"T-{household.pk}",
                                    next_review_on=next_review_on)


def test_periodic_reviews_open_once_for_due_enrolments(policy):
    due = _enrol(make_household(policy["comm_a1"], members=1), "100.00")
    _enrol(make_household(policy["comm_b1"], members=1), "70.00", next_review_on=dt.date(2026, 9, 1))
    ended = _enrol(make_household(policy["comm_a2"], members=1), "80.00")
    services.enrolment_end(actor="system:test", enrolment=ended, reason="x", effective_on=dt.date(2026, 1, 1))
    assert tasks.open_periodic_reviews("2026-03-02") == 1
    assert tasks.open_periodic_reviews("2026-03-02") == 0  # idempotent
    review = Review.objects.get(kind=ReviewKind.PERIODIC)
    assert review.enrolment == due and review.status == ReviewStatus.OPEN


def test_review_income_at_the_standard_ends_the_benefit(users, policy):
    household = make_household(policy["comm_a1"], members=1, incomes=[(0, "wages", "200.00")])
    enrolment = _enrol(household, "60.00")
    services.reviews_open_periodic(as_of=dt.date(2026, 3, 2))
    review = Review.objects.get(kind=ReviewKind.PERIODIC)
    # New job: wages 260 for 1 person = the urban standard 260 → not below it → ended (应退尽退)
    IncomeItem.objects.filter(household=household).update(monthly_amount=Decimal("260.00"))
    review = services.review_decide(actor=users["county"], review=review, outcome=ReviewOutcome.KEEP,
                                    findings="已就业", on=dt.date(2026, 3, 10))
    enrolment.refresh_from_db()
    assert review.outcome == ReviewOutcome.END and enrolment.status == EnrolmentStatus.ENDED
    assert enrolment.end_date == dt.date(2026, 4, 1)
    assert review.assessment["eligible"] is False


def test_review_change_uses_the_rules_amount(users, policy):
    household = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "100.00")])
    enrolment = _enrol(household, "300.00")
    review = services.review_open(actor="system:test", household=household, kind=ReviewKind.PERIODIC, reason="x")
    review = services.review_decide(actor=users["county"], review=review, outcome=ReviewOutcome.CHANGE,
                                    findings="收入变化", on=dt.date(2026, 3, 10))
    enrolment.refresh_from_db()
    # (260 × 2 − 100) = 420.00, urban C
    assert (enrolment.category, enrolment.monthly_amount) == ("C", Decimal("420.00"))
    assert enrolment.next_review_on == dt.date(2026, 9, 10)
    with pytest.raises(Conflict):
        services.review_decide(actor=users["county"], review=review, outcome=ReviewOutcome.KEEP, findings="again")


def test_review_keep_by_township_moves_the_next_review(users, policy):
    household = make_household(policy["comm_b1"], members=1)
    enrolment = _enrol(household, "70.00")
    review = services.review_open(actor="system:test", household=household, kind=ReviewKind.PERIODIC, reason="x")
    with pytest.raises(PermissionDenied):
        services.review_decide(actor=users["township_a"], review=review, outcome="keep", findings="x")
    with pytest.raises(PermissionDenied):
        services.review_decide(actor=users["community_b1"], review=review, outcome="keep", findings="x")
    services.review_decide(actor=users["township_b"], review=review, outcome="keep", findings="情况未变",
                           on=dt.date(2026, 3, 10))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.next_review_on == dt.date(2027, 3, 10)


def test_post_entry_queue_is_ordered_by_entry_date(users, policy):
    later = make_household(policy["comm_a1"], members=1)
    earlier = make_household(policy["comm_a2"], members=1)
    for household, start in ((later, dt.date(2026, 2, 1)), (earlier, dt.date(2025, 12, 1))):
        enrolment = services.enrolment_start(actor="system:test", household=household, category="C",
                                             monthly_amount=Decimal("10.00"), persons=1, start_date=start,
                                             certificate_number=f"Q-{household.pk}")
        services.review_open(actor="system:test", household=household, kind=ReviewKind.POST_ENTRY, reason="回访",
                             enrolment=enrolment)
    queue = list(selectors.post_entry_queue(users["county"]))
    assert [r.household for r in queue] == [earlier, later]
    assert list(selectors.post_entry_queue(users["township_b"])) == []


def test_change_report_opens_a_review(users, urban_household):
    account = services.recipient_account_create(actor=users["community_a1"], household=urban_household,
                                                password="Start-2026-ok")
    review = services.change_report(actor=account, household=urban_household, kind="earnings",
                                    details="我找到了工作", new_monthly_earnings=Decimal(900))
    assert review.kind == ReviewKind.CHANGE_REPORT and "900.00" in review.reason
    other = make_household(users["community_a1"].region, members=1)
    with pytest.raises(PermissionDenied):
        services.change_report(actor=account, household=other, kind="other", details="x")
