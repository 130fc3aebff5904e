"""Assessing many households at once (``selectors.rule_inputs_bulk`` and ``BulkAssessor``, used by the
standard-raise re-pricing and the policy simulation) gives what assessing each one does
(``selectors.rule_inputs`` and ``selectors.assess``), in a number of queries that does not grow with
the households.

Policy (tests/benefits/conftest.py ``policy``): from 2026-01-01 urban 260 / rural 180, default parameters.
"""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import Asset, AssetKind, Household, IncomeItem, Relation, StudentStatus, WorkAbility
from benefits.selectors import BulkAssessor, assess, rule_inputs, rule_inputs_bulk
from reemployment.core.errors import DomainError
from tests.benefits.factories import make_household, make_member

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def varied(policy):
    """Households that exercise every branch of the conversion."""
    regions = policy
    # Urban, single parent, hit by disaster; the head earns wages 600 with 50 of work costs.
    mixed = make_household(regions["comm_a1"], members=1, single_parent=True, disaster=True,
                           incomes=[(0, "wages", "600.00")])
    mixed.incomes.update(work_costs=Decimal("50.00"))
    head = mixed.members.get()
    student = make_member(mixed, relation=Relation.CHILD, sex="F", birth_date=dt.date(2005, 9, 1),
                          student_status=StudentStatus.UNIVERSITY, disability_grade=2, work_ability=WorkAbility.NONE)
    # Income in kind of the student: 100 kg of rice a month (priced by the rules, not here).
    IncomeItem.objects.create(household=mixed, member=student, kind="agricultural", monthly_amount=Decimal(0),
                              quantity=Decimal(100), unit="稻谷(公斤)")
    # Died on 2026-02-10 (before March): not a member in March, and their pension is not counted.
    dead = make_member(mixed, relation=Relation.SPOUSE, sex="F", died_on=dt.date(2026, 2, 10))
    IncomeItem.objects.create(household=mixed, member=dead, kind="pension", monthly_amount=Decimal("900.00"))
    # Left exactly on 2026-03-01: gone on the assessment date.
    make_member(mixed, relation=Relation.CHILD, left_on=MARCH)
    # Born after the assessment date: not yet a member.
    make_member(mixed, relation=Relation.CHILD, sex="F", birth_date=dt.date(2026, 4, 1))
    # Grade-3 disability is not severe; a pension of the head too.
    make_member(mixed, relation=Relation.CHILD, birth_date=dt.date(2010, 1, 1), disability_grade=3)
    IncomeItem.objects.create(household=mixed, member=head, kind="pension", monthly_amount=Decimal("120.00"))
    for kind, value in ((AssetKind.DEPOSIT, "1000.00"), (AssetKind.DEPOSIT, "500.50"), (AssetKind.VEHICLE, "0"),
                        (AssetKind.PROPERTY, "0")):
        Asset.objects.create(household=mixed, kind=kind, value=Decimal(value))
    # Rural: one 三无 person.
    rural = make_household(regions["comm_b1"], members=1)
    rural.members.update(three_no=True, work_ability=WorkAbility.NONE)
    # Nobody left: the only member died in January.
    empty = make_household(regions["comm_a2"], members=1)
    empty.members.update(died_on=dt.date(2026, 1, 5))
    # Income in kind of an unknown unit: the rules refuse it (the same error both ways).
    refused = make_household(regions["comm_b2"], members=1)
    IncomeItem.objects.create(household=refused, member=refused.members.get(), kind="agricultural",
                              monthly_amount=Decimal(0), quantity=Decimal(10), unit="花生(公斤)")
    # No standard in force: a household of the other county, which has no policy.
    elsewhere = make_household(regions["other_county"], members=1, area="urban")
    return [mixed, rural, empty, refused, elsewhere]


def _outcome(assess_one):
    try:
        return assess_one()
    except DomainError as exc:
        return ("error", exc.message, exc.code)


def test_bulk_inputs_and_assessments_equal_one_at_a_time(varied):
    inputs, regions = rule_inputs_bulk(Household.objects.filter(pk__in=[h.pk for h in varied]), MARCH)
    assert [h.household_id for h in inputs] == sorted(h.pk for h in varied)
    assessor = BulkAssessor(regions, MARCH)
    by_id = {h.household_id: h for h in inputs}
    for household in varied:
        bulk = by_id[household.pk]
        members, incomes, assets = rule_inputs(household, MARCH)
        assert (bulk.number, bulk.region_id, bulk.area) == (household.number, household.region_id, household.area)
        assert bulk.members == tuple(members)
        assert bulk.incomes == tuple(incomes)
        assert bulk.assets == assets
        assert _outcome(lambda: assessor(bulk)) == _outcome(lambda: assess(household, MARCH))  # noqa: B023

    mixed = by_id[varied[0].pk]
    # Head and the student are current; the dead, the gone and the unborn are not; grade 3 is not severe.
    assert [(m.university_student, m.severe_disability, m.work_ability) for m in mixed.members] == [
        (False, False, True), (True, True, False), (False, False, True)]
    assert all(m.single_parent and m.disaster for m in mixed.members)
    # Wages 600 with 50 work costs, 100 kg of rice of member 2, the head's pension 120; not the dead's pension.
    assert [(i.member_index, i.kind, i.monthly_amount, i.work_costs, i.quantity) for i in mixed.incomes] == [
        (0, "wages", Decimal("600.00"), Decimal("50.00"), None),
        (1, "agricultural", Decimal(0), Decimal(0), Decimal(100)),
        (0, "pension", Decimal("120.00"), Decimal(0), None)]
    # Deposits 1000.00 + 500.50 = 1500.50; one vehicle, one property.
    assert (mixed.assets.deposits, mixed.assets.vehicles, mixed.assets.properties) == (Decimal("1500.50"), 1, 1)
    assert by_id[varied[2].pk].members == ()
    assert _outcome(lambda: assessor(by_id[varied[2].pk]))[1] == "家庭没有在册成员"
    assert "no urban standard in force for 341126" in _outcome(lambda: assessor(by_id[varied[4].pk]))[1]
    assert _outcome(lambda: assessor(by_id[varied[3].pk]))[1].startswith("无法核算：")


def test_bulk_reads_do_not_grow_with_households(varied, django_assert_num_queries, regions):
    everyone = Household.objects.all()
    # Households, regions, members, income items, assets.
    with django_assert_num_queries(5):
        inputs, found_regions = rule_inputs_bulk(everyone, MARCH)
    assessor = BulkAssessor(found_regions, MARCH)
    # Standards and parameter sets of every region, once.
    with django_assert_num_queries(2):
        for household in inputs:
            _outcome(lambda: assessor(household))  # noqa: B023
    for _ in range(5):
        make_household(regions["comm_a1"], members=2, incomes=[(1, "wages", "100.00")])
        make_household(regions["comm_b2"], members=3)
    with django_assert_num_queries(5):
        inputs, found_regions = rule_inputs_bulk(everyone, MARCH)
    assert len(inputs) == len(varied) + 10
