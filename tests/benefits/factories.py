"""Factories for benefit records: households with valid members, income, standards."""

import datetime as dt
import itertools
from decimal import Decimal

from benefits.models import Household, IncomeItem, Member, Relation
from reemployment.core.models import ParameterSet, Standard
from reemployment.idcard import make_id_number

_sequence = itertools.count(1)


def add_policy(county, *, urban="260.00", rural="180.00", valid_from=dt.date(2026, 1, 1), values=None):
    """Standards (urban/rural) and, optionally, parameter overrides for a county."""
    Standard.objects.get_or_create(region=county, area="urban", valid_from=valid_from,
                                   defaults={"monthly_amount": Decimal(urban)})
    Standard.objects.get_or_create(region=county, area="rural", valid_from=valid_from,
                                   defaults={"monthly_amount": Decimal(rural)})
    if values:
        ParameterSet.objects.update_or_create(region=county, valid_from=valid_from, defaults={"values": values})


def new_id(birth_date=dt.date(1970, 5, 1), sex="M"):
    n = next(_sequence)
    seq = (2 * n + (1 if sex == "M" else 0)) % 1000
    birth = birth_date + dt.timedelta(days=(2 * n) // 1000)
    return make_id_number("341125", birth, seq), birth


def make_member(household, *, relation=Relation.HEAD, sex="M", birth_date=dt.date(1970, 5, 1), name="张大山",
                **flags):
    id_number, birth = new_id(birth_date, sex)
    return Member.objects.create(household=household, id_number=id_number, name=name, sex=sex, birth_date=birth,
                                 relation=relation, hukou_area=household.area, **flags)


def make_household(region, *, members=1, area=None, incomes=(), **fields):
    """A household of ``members`` persons; ``incomes`` is a list of (member_index, kind, amount)."""
    n = next(_sequence)
    household = Household.objects.create(number=f"T{region.code}{n:05d}", region=region,
                                         area=area or region.effective_area() or "urban", **fields)
    people = [make_member(household, name="张大山")]
    for i in range(1, members):
        people.append(make_member(household, relation=Relation.CHILD, sex="F", birth_date=dt.date(1995, 3, 3),
                                  name=f"张小{'一二三四五六'[i % 6]}"))
    for index, kind, amount in incomes:
        IncomeItem.objects.create(household=household, member=people[index], kind=kind,
                                  monthly_amount=Decimal(amount))
    return household
