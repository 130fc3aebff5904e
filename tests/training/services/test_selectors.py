"""Selectors: report aggregates, survey by township, scoping."""

import datetime as dt
from decimal import Decimal

from tests.training.factories import (
    CourseFactory,
    HouseholdFactory,
    MemberFactory,
    ProviderFactory,
    register_seeker,
)
from tests.training.helpers import AFTER_WINDOW, run_course
from training import selectors, services
from training.models import TrainingWish


def test_report_groups_by_provider_and_course_type(users, regions):
    provider = ProviderFactory(region=regions["county"], name="甲校")
    first = CourseFactory(region=regions["county"], provider=provider, course_type="sewing")
    second = CourseFactory(region=regions["county"], provider=provider, course_type="catering")
    run_course(first, users["labour"], enrolled=4, completed=4, placed=3, region=regions["comm_a1"])
    run_course(second, users["labour"], enrolled=6, completed=5, placed=1, region=regions["comm_b1"])
    for course in (first, second):
        services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    by_provider = selectors.training_report(users["labour"], period="year", group="provider")
    assert len(by_provider) == 1
    row = by_provider[0]
    # 10 enrolled, 9 completed, 4 placed: completion 9/10, output 4/9
    assert (row.period, row.group_label, row.courses, row.enrolled, row.completed, row.placed) == (
        "2026", "甲校", 2, 10, 9, 4)
    assert row.completion_rate == Decimal("0.9") and row.output_rate == Decimal(4) / Decimal(9)
    assert row.subsidy_paid == Decimal("0.00")  # proposed, not paid
    by_type = {r.group_label: r for r in selectors.training_report(users["labour"], period="quarter",
                                                                   group="course_type")}
    assert set(by_type) == {"缝纫", "餐饮"} and by_type["餐饮"].period == "2026Q1"
    assert selectors.training_report(users["other_county"]) == []
    assert selectors.training_report(users["labour"], date_from=dt.date(2026, 4, 1)) == []


def test_report_counts_a_course_without_enrolments(users, regions):
    CourseFactory(region=regions["county"], provider=ProviderFactory(region=regions["county"], name="乙校"))
    [row] = selectors.training_report(users["labour"])
    assert (row.courses, row.enrolled, row.completion_rate, row.output_rate) == (1, 0, None, None)


def test_survey_counts_by_township(users, regions):
    members = [MemberFactory(household=HouseholdFactory(region=regions[r]))
               for r in ("comm_a1", "comm_a2", "comm_b1")]
    for member in members:
        register_seeker(member)
    for member in members:
        services.training_wish_save(actor=users["admin"], wish=TrainingWish(
            member=member, course_type="electronics", survey_round="2026", surveyed_on=dt.date(2026, 1, 5)))
    services.training_wish_save(actor=users["admin"], wish=TrainingWish(
        member=members[0], course_type="mining", survey_round="2025", surveyed_on=dt.date(2025, 1, 5)))
    table = selectors.wish_survey(users["county"], "2026")
    assert [(r["name"], r["counts"]["electronics"]) for r in table.rows] == [("定城镇", 2), ("炉桥镇", 1)]
    assert table.total == 3 and table.totals["mining"] == 0
    assert selectors.wish_survey(users["township_b"], "2026").total == 1
    assert selectors.wish_rounds(users["county"]) == ["2026", "2025"]
    assert selectors.wish_survey(users["other_county"]).total == 0


def test_report_query_count_does_not_grow_with_courses(users, regions, django_assert_num_queries):
    provider = ProviderFactory(region=regions["county"])
    for _ in range(5):
        run_course(CourseFactory(region=regions["county"], provider=provider), users["labour"], enrolled=2,
                   completed=2, placed=1, region=regions["comm_a1"])
    with django_assert_num_queries(4):  # courses, enrolments, paid subsidies, provider names
        rows = selectors.training_report(users["labour"])
    assert rows[0].courses == 5 and rows[0].placed == 5


def test_report_groups_subsidy_paid_by_the_payment_date(users, regions):
    """Counts by the course's end date (2026-03-31), money by the day it was paid (2027-01-10)."""
    provider = ProviderFactory(region=regions["county"], name="丙校")
    course = CourseFactory(region=regions["county"], provider=provider)
    run_course(course, users["labour"], enrolled=5, completed=5, placed=2, region=regions["comm_a1"])
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    payment = course.subsidy_payment
    services.subsidy_pay(actor=users["labour"], payment=payment, paid_on=dt.date(2027, 1, 10), voucher="PZ-2027-1")
    rows = {r.period: r for r in selectors.training_report(users["labour"], period="year")}
    assert set(rows) == {"2026", "2027"}
    assert (rows["2026"].courses, rows["2026"].placed, rows["2026"].subsidy_paid) == (1, 2, Decimal("0.00"))
    # 800 × (0.6 × 5 + 0.4 × 2) = 800 × 3.8 = 3040.00, paid in 2027
    assert (rows["2027"].courses, rows["2027"].enrolled, rows["2027"].subsidy_paid) == (0, 0, Decimal("3040.00"))
    # the date range bounds the end date for counts and the payment date for money
    [only_money] = selectors.training_report(users["labour"], date_from=dt.date(2027, 1, 1))
    assert (only_money.period, only_money.courses, only_money.subsidy_paid) == ("2027", 0, Decimal("3040.00"))
    [only_counts] = selectors.training_report(users["labour"], date_to=dt.date(2026, 12, 31))
    assert (only_counts.period, only_counts.courses, only_counts.subsidy_paid) == ("2026", 1, Decimal("0.00"))
    monthly = {r.period: r.subsidy_paid for r in selectors.training_report(users["labour"], period="month")}
    assert monthly == {"2026-03": Decimal("0.00"), "2027-01": Decimal("3040.00")}
    assert selectors.training_report(users["other_county"]) == []
