"""Household record services: ID checks, a person in two households, carve-outs (人户分离), logins."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import services
from benefits.models import Household, IncomeItem, Member, Relation
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.idcard import make_id_number
from tests.benefits.factories import make_household, make_member

ID = make_id_number("341125", dt.date(1980, 7, 15), 13)  # sequence 13: odd → man


def _member(household, **overrides):
    fields = {"household": household, "id_number": ID, "name": "王五", "sex": "M", "birth_date": dt.date(1980, 7, 15),
              "relation": Relation.SPOUSE, "hukou_area": "urban"}
    fields.update(overrides)
    return Member(**fields)


def test_member_with_valid_id_is_saved_and_audited(users, urban_household):
    member = services.member_save(actor=users["community_a1"], instance=_member(urban_household))
    assert member.pk and Member.objects.get(pk=member.pk).id_number == ID


@pytest.mark.parametrize("overrides, field", [
    ({"id_number": ID[:17] + ("0" if ID[17] != "0" else "1")}, "id_number"),  # wrong check digit
    ({"birth_date": dt.date(1980, 7, 16)}, "birth_date"),  # disagrees with the ID
    ({"sex": "F"}, "sex"),  # sequence 013 is odd: a man
])
def test_member_id_must_be_valid_and_agree(users, urban_household, overrides, field):
    with pytest.raises(DomainError) as exc:
        services.member_save(actor=users["community_a1"], instance=_member(urban_household, **overrides))
    assert field in exc.value.field_errors


def test_person_in_two_households_is_refused_and_both_flagged(users, urban_household, policy):
    services.member_save(actor=users["community_a1"], instance=_member(urban_household))
    other = make_household(policy["comm_a2"], members=1)
    with pytest.raises(Conflict) as exc:
        services.member_save(actor=users["township_a"], instance=_member(other))
    assert exc.value.code == "person_in_two_households"
    for household in (urban_household, other):
        household.refresh_from_db()
        assert [f["code"] for f in household.flags] == ["person_in_two_households"]


def test_one_person_carve_out_is_flagged(users, policy):
    family = make_household(policy["comm_a1"], members=3)
    alone = services.household_save(actor=users["community_a1"], instance=Household(region=policy["comm_a1"]))
    assert alone.number.startswith("341125100001") and alone.area == "urban"
    sick = family.members.exclude(relation=Relation.HEAD).first()
    services.member_move(actor=users["community_a1"], member=sick, to_household=alone)
    alone.refresh_from_db()
    assert [f["code"] for f in alone.flags] == ["carve_out"]
    assert family.number in alone.flags[0]["note"]


def test_moving_a_whole_household_is_not_a_carve_out(users, policy):
    family = make_household(policy["comm_a1"], members=1)
    new = services.household_save(actor=users["community_a1"], instance=Household(region=policy["comm_a1"]))
    services.member_move(actor=users["community_a1"], member=family.members.get(), to_household=new)
    new.refresh_from_db()
    assert new.flags == []


def test_household_outside_jurisdiction_is_refused(users, policy):
    with pytest.raises(PermissionDenied):
        services.household_save(actor=users["community_b1"], instance=Household(region=policy["comm_a1"]))
    with pytest.raises(DomainError):  # a household belongs to a community, not a township
        services.household_save(actor=users["county"], instance=Household(region=policy["town_a"]))


def test_income_in_kind_needs_a_published_price(users, rural_household):
    member = rural_household.members.get()
    item = services.income_save(actor=users["community_b1"], instance=IncomeItem(
        household=rural_household, member=member, kind="agricultural", quantity="50", unit="稻谷(公斤)",
        monthly_amount="99.00"))
    assert str(item.monthly_amount) == "0.00"  # priced by the rules: 50 × 2.60 = 130.00
    with pytest.raises(DomainError):
        services.income_save(actor=users["community_b1"], instance=IncomeItem(
            household=rural_household, member=member, kind="agricultural", quantity="5", unit="黄金(克)"))


def test_work_costs_must_be_documented_and_belong_to_wages(users, rural_household):
    member = rural_household.members.get()
    with pytest.raises(DomainError) as undocumented:
        services.income_save(actor=users["community_b1"], instance=IncomeItem(
            household=rural_household, member=member, kind="wages", monthly_amount="600.00", work_costs="150.00",
            away_from_home=True))
    assert "note" in undocumented.value.field_errors
    with pytest.raises(DomainError) as not_wages:
        services.income_save(actor=users["community_b1"], instance=IncomeItem(
            household=rural_household, member=member, kind="pension", monthly_amount="600.00", work_costs="150.00",
            note="车票"))
    assert "work_costs" in not_wages.value.field_errors
    assert not IncomeItem.objects.filter(household=rural_household, kind__in=["wages", "pension"]).exists()
    item = services.income_save(actor=users["community_b1"], instance=IncomeItem(
        household=rural_household, member=member, kind="wages", monthly_amount="600.00", work_costs="150.00",
        away_from_home=True, note="在合肥务工，往返车票每月 150 元（票据已核）"))
    assert item.work_costs == Decimal("150.00")


def test_recipient_login_create_and_reset(users, urban_household):
    user = services.recipient_account_create(actor=users["community_a1"], household=urban_household,
                                             password="Start-2026-ok")
    assert user.username == urban_household.head.id_number and user.role == "recipient"
    assert user.check_password("Start-2026-ok")
    with pytest.raises(Conflict):
        services.recipient_account_create(actor=users["community_a1"], household=urban_household,
                                          password="Start-2026-ok")
    with pytest.raises(PermissionDenied):
        services.recipient_password_reset(actor=users["community_b1"], household=urban_household,
                                          password="Other-2026-ok")
    with pytest.raises(PermissionDenied):
        services.recipient_password_reset(actor=users["labour"], household=urban_household,
                                          password="Other-2026-ok")
    with pytest.raises(DomainError):  # too short / common
        services.recipient_password_reset(actor=users["community_a1"], household=urban_household, password="123")
    services.recipient_password_reset(actor=users["community_a1"], household=urban_household,
                                      password="Other-2026-ok")
    user.refresh_from_db()
    assert user.check_password("Other-2026-ok")


def test_head_is_needed_for_a_login(users, policy):
    household = make_household(policy["comm_a1"], members=1)
    household.members.update(relation=Relation.SPOUSE)
    make_member(household, relation=Relation.CHILD)
    with pytest.raises(DomainError):
        services.recipient_account_create(actor=users["community_a1"], household=household,
                                          password="Start-2026-ok")
