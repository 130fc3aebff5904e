"""The demo county (report 1 [R1]) and ``benefit_stats``: the seeded counts come back exactly.

Seeding 20,115 households takes about half a minute on SQLite; the data are seeded once for the
module, inside a transaction that is rolled back afterwards.
"""

import datetime as dt
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from benefits import demo, selectors
from benefits.models import Application, Enrolment, Household, Member
from reemployment.core.demo import seed_policy, seed_users

SEED_DATE = dt.date(2026, 11, 2)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # One outer transaction for the module, rolled back at the end: the tests' own transactions
    # nest inside it, and the test database is left as the migrations made it.
    with django_db_blocker.unblock(), transaction.atomic():
        seed_policy()
        seed_users()
        demo.seed(io.StringIO(), as_of=SEED_DATE)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_stats_reproduce_report_one(seeded):
    out = io.StringIO()
    call_command("benefit_stats", "--county", "341125", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    cells = {(area, cat): (c["households"], c["persons"])
             for area, block in report["areas"].items() for cat, c in block["categories"].items()}
    assert cells == {
        ("urban", "A"): (186, 186), ("urban", "B"): (560, 1120), ("urban", "C"): (5313, 7801),
        ("rural", "A"): (1926, 2150), ("rural", "B"): (3391, 9444), ("rural", "C"): (8739, 23648),
    }
    # Persons as the report totals them: urban 9,107, rural 35,242. Households: rural 14,056 as reported;
    # urban 6,059 = 186 + 560 + 5,313 (the report's own total, 6,047, is 12 less than its categories).
    assert (report["areas"]["urban"]["persons"], report["areas"]["rural"]["persons"]) == (9107, 35242)
    assert (report["areas"]["urban"]["households"], report["areas"]["rural"]["households"]) == (6059, 14056)
    assert report["coverage"] is None and "population" in report["coverage_note"]


@pytest.mark.django_db
def test_stats_text_and_coverage(seeded):
    out = io.StringIO()
    call_command("benefit_stats", "--county", "341125", "--population", "443490", stdout=out)
    text = out.getvalue()
    assert "城市：6059 户 9107 人" in text and "农村：14056 户 35242 人" in text
    assert "覆盖面：10.00%" in text  # 44,349 / 443,490 = 10.00 %


@pytest.mark.django_db
def test_demo_households_assess_as_their_category(seeded):
    """A sample of 60 demo households, re-assessed from the database with the rules."""
    ids = list(Enrolment.objects.filter(certificate_number__contains="-D").values_list("household_id", flat=True))
    for household_id in random.Random(7).sample(ids, 60):
        household = Household.objects.get(pk=household_id)
        enrolment = household.enrolments.get()
        result = selectors.assess(household, SEED_DATE)
        assert result.eligible
        assert (result.category, result.monthly_amount) == (enrolment.category, enrolment.monthly_amount)
        assert result.household_size == enrolment.persons


@pytest.mark.django_db
def test_demo_ids_are_valid_and_unique(seeded):
    numbers = list(Member.objects.values_list("id_number", flat=True))
    assert len(numbers) == len(set(numbers)) >= 44349
    sample = Member.objects.order_by("?")[:200]
    for member in sample:
        member.full_clean()  # GB 11643 check digit, birth date and sex agree


@pytest.mark.django_db
def test_demo_applications_logins_and_idempotence(seeded):
    steps = set(Application.objects.values_list("step", flat=True))
    assert {"submitted", "surveyed", "appraised", "notice", "reviewed", "approved", "rejected"} <= steps
    assert Household.objects.filter(account__isnull=False).count() == 2
    assert selectors.public_notices(as_of=SEED_DATE)  # applications in their notice period
    before = (Household.objects.count(), Member.objects.count(), Application.objects.count())
    demo.seed(io.StringIO(), as_of=SEED_DATE)
    assert (Household.objects.count(), Member.objects.count(), Application.objects.count()) == before


@pytest.mark.django_db
def test_demo_history_holds_the_july_raise(seeded):
    """The demo policy raises the standards from 2026-07-01 (urban 250 → 260, rural 175 → 180); the seed
    prices households enrolled before it at the old standards and applies the raise with
    ``standard_change_apply``, so their history shows 提标调整 and the payroll accepts the month."""
    from benefits.models import EnrolmentEventKind
    from benefits.pricing import stale_enrolments
    from reemployment.core.models import Region

    july = dt.date(2026, 7, 1)
    demo_enrolments = Enrolment.objects.filter(certificate_number__contains="-D")
    before_raise = demo_enrolments.filter(start_date__lt=july)
    after_raise = demo_enrolments.filter(start_date__gte=july)
    assert before_raise.exists() and after_raise.exists()
    events = list(selectors_events(before_raise).filter(kind=EnrolmentEventKind.REPRICING))
    # Urban A, one 三无 person: 250 × 1 = 250.00 → 260 × 1 = 260.00 (a raise of 10 per person).
    urban_a = next(e for e in events if e.enrolment.area == "urban" and e.enrolment.category == "A"
                   and e.enrolment.persons == 1)
    assert (urban_a.amount_before, urban_a.amount_after, urban_a.effective_on) == (
        Decimal("250.00"), Decimal("260.00"), july)
    assert urban_a.reason.startswith("提标调整：250.00 → 260.00 元")
    # Every urban household enrolled before July was re-priced once and every amount went up; none
    # enrolled after July. Rural amounts are flat per category in the demo county (R1: A 120, B 100,
    # C 70 yuan per person), so the rural raise changes eligibility, not amounts: no rural event.
    assert len(events) == before_raise.filter(area="urban").count()
    assert {e.enrolment.area for e in events} == {"urban"}
    assert all(e.amount_after > e.amount_before for e in events)
    assert not selectors_events(after_raise).filter(kind=EnrolmentEventKind.REPRICING).exists()
    county = Region.objects.get(code="341125")
    assert not stale_enrolments(county, dt.date(2026, 11, 1)).exists()


def selectors_events(enrolments):
    from benefits.models import EnrolmentEvent

    return EnrolmentEvent.objects.filter(enrolment__in=enrolments).select_related("enrolment")
