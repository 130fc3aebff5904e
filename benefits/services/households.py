"""Household records (家庭、成员、收入、财产): admin edits go through these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from benefits.models import (
    Asset,
    Household,
    IncomeItem,
    Member,
    Relation,
)
from benefits.services._common import CASEWORK_ROLES, HOUSEHOLD, _full_clean
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import RegionLevel, today
from reemployment.core.permissions import require
from reemployment.core.selectors import parameters_in_force
from reemployment.money import to_decimal

RECORD_ROLES = CASEWORK_ROLES
FLAG_TWO_HOUSEHOLDS = "person_in_two_households"
FLAG_CARVE_OUT = "carve_out"


def _add_flag(household: Household, flag: str, note: str) -> None:
    flags = [f for f in (household.flags or []) if not (isinstance(f, dict) and f.get("code") == flag
                                                       and f.get("note") == note)]
    flags.append({"code": flag, "note": note, "on": today().isoformat()})
    Household.objects.filter(pk=household.pk).update(flags=flags)
    household.flags = flags


@transaction.atomic
def household_save(*, actor, instance: Household) -> Household:
    """Create or edit a household (登记家庭). The region must be a community/village in the actor's jurisdiction."""
    if instance.region_id is None:
        raise DomainError(_("请选择户籍所在社区/村"), field_errors={"region": [_("必填")]})
    require(actor, instance.region, RECORD_ROLES, what=HOUSEHOLD)
    if instance.region.level != RegionLevel.COMMUNITY:
        raise DomainError(_("家庭须登记在社区或村"),
                          field_errors={"region": [_("须为社区/村")]})
    instance.area = instance.region.effective_area() or instance.area or "rural"
    if not instance.number:
        count = Household.objects.filter(region=instance.region).count() + 1
        instance.number = f"{instance.region.code}{count:06d}"
        while Household.objects.filter(number=instance.number).exists():
            count += 1
            instance.number = f"{instance.region.code}{count:06d}"
    before = None
    if instance.pk:
        old = Household.objects.select_for_update().get(pk=instance.pk)
        require(actor, old.region, RECORD_ROLES, what=HOUSEHOLD)
        before = audit.snapshot(old)
    _full_clean(instance, exclude=["account"])
    instance.save()
    audit.record(actor=actor, action="household.update" if before else "household.create", obj=instance,
                 region=instance.region, before=before, after=audit.snapshot(instance))
    return instance


def member_save(*, actor, instance) -> object:
    """Add or edit a member. The ID number is checked (GB 11643) and must agree with birth date and sex.

    A person already registered in another household is refused (the ID number is unique) and both
    households are flagged ``person_in_two_households`` (一人多户). The flags are written in their own
    transaction before the refusal, so they stay when this is called outside a transaction (API,
    imports); inside a caller's transaction they share its fate."""
    household = Household.objects.select_related("region").get(pk=instance.household_id)
    require(actor, household.region, RECORD_ROLES, what=HOUSEHOLD)
    if instance.id_number:
        instance.id_number = instance.id_number.strip().upper()
        other = Member.objects.filter(id_number=instance.id_number).exclude(pk=instance.pk).select_related(
            "household__region").first()
        if other is not None and other.household_id != household.pk:
            note = f"身份证号 {instance.id_number[:6]}… 同时申报于 {household.number} 和 {other.household.number}"
            with transaction.atomic():
                _add_flag(household, FLAG_TWO_HOUSEHOLDS, note)
                _add_flag(other.household, FLAG_TWO_HOUSEHOLDS, note)
                audit.record(actor=actor, action="household.flag", obj=household, region=household.region,
                             note=note)
            raise Conflict(
                _("该身份证号已登记在家庭 %(number)s，两户均已标记“一人多户”") % {"number": other.household.number},
                code="person_in_two_households")
    with transaction.atomic():
        before = None
        if instance.pk:
            before = audit.snapshot(Member.objects.select_for_update().get(pk=instance.pk))
        _full_clean(instance)
        instance.save()
        audit.record(actor=actor, action="member.update" if before else "member.create", obj=instance,
                     region=household.region, before=before, after=audit.snapshot(instance))
    return instance


@transaction.atomic
def member_move(*, actor, member, to_household: Household, relation: str | None = None, on: dt.date | None = None):
    """Move a member to another household (分户/迁入), optionally with their relation to the new head. A
    one-person household carved out of a household that keeps other members is flagged ``carve_out``
    (人户分离/拆户单保). Both households must be in the actor's jurisdiction."""
    member = Member.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=member.pk)
    to_household = Household.objects.select_related("region").get(pk=to_household.pk)
    source = member.household
    require(actor, source.region, RECORD_ROLES, what=HOUSEHOLD)
    require(actor, to_household.region, RECORD_ROLES, what=HOUSEHOLD)
    if source.pk == to_household.pk:
        raise DomainError(_("成员已在该家庭"),
                          field_errors={"to_household": [_("已在该家庭")]})
    if not member.is_current:
        raise DomainError(_("已死亡或已离户的成员不能迁移"))
    if relation is not None and relation not in Relation.values:
        raise DomainError(_("与户主关系无效"), field_errors={"relation": [_("无效")]})
    before = audit.snapshot(member)
    member.previous_household = source
    member.household = to_household
    if relation:
        member.relation = relation
    member.save()
    for item in member.incomes.all():
        item.household = to_household
        item.save(update_fields=["household"])
    audit.record(actor=actor, action="member.move", obj=member, region=to_household.region, before=before,
                 after=audit.snapshot(member), note=f"{source.number} → {to_household.number}")
    household_refresh_flags(household=to_household, actor=actor)
    return member


def household_refresh_flags(*, household: Household, actor="system:flags") -> list:
    """Recompute the carve-out flag (人户分离): a one-person household whose member came from a household
    that still has other current members."""
    current = [m for m in household.members.all() if m.died_on is None and m.left_on is None]
    if len(current) == 1 and current[0].previous_household_id:
        source = current[0].previous_household
        others = source.members.filter(died_on__isnull=True, left_on__isnull=True).count()
        if others:
            note = f"单人户由 {source.number} 分出，原户仍有 {others} 人"
            if not any(isinstance(f, dict) and f.get("code") == FLAG_CARVE_OUT for f in household.flags or []):
                with transaction.atomic():
                    _add_flag(household, FLAG_CARVE_OUT, note)
                    audit.record(actor=actor, action="household.flag", obj=household, region=household.region,
                                 note=note)
    return household.flags


@transaction.atomic
def income_save(*, actor, instance):
    """Add or edit an income item. Income in kind (quantity × published price) has amount 0."""
    if instance.member_id and not instance.household_id:
        instance.household_id = instance.member.household_id
    household = Household.objects.select_related("region").get(pk=instance.household_id)
    require(actor, household.region, RECORD_ROLES, what=HOUSEHOLD)
    if instance.quantity is not None:
        if instance.kind != "agricultural":
            raise DomainError(_("实物数量仅用于农业实物收入"),
                              field_errors={"quantity": [_("仅农业实物收入")]})
        prices = parameters_in_force(household.region, today()).agricultural_prices
        if instance.unit not in prices:
            raise DomainError(_("没有公布 %(unit)s 的折算价格") % {"unit": instance.unit},
                              field_errors={"unit": [_("可选：%(units)s") % {"units": "、".join(prices)}]})
        instance.monthly_amount = Decimal("0.00")
    if instance.work_costs and to_decimal(instance.work_costs) > 0:
        # Only documented costs of earning a wage count (e.g. travel to a job away from home) [R4].
        if instance.kind != "wages":
            raise DomainError(_("就业必要成本只适用于工资收入"),
                              field_errors={"work_costs": [_("仅工资收入")]})
        if not (instance.note or "").strip():
            raise DomainError(_("请在说明中写明就业必要成本的依据（如外出务工的交通、住宿票据）"),
                              field_errors={"note": [_("须说明就业必要成本")]})
    before = None
    if instance.pk:
        before = audit.snapshot(IncomeItem.objects.select_for_update().get(pk=instance.pk))
    _full_clean(instance)
    instance.save()
    audit.record(actor=actor, action="income.update" if before else "income.create", obj=instance,
                 region=household.region, before=before, after=audit.snapshot(instance))
    return instance


@transaction.atomic
def asset_save(*, actor, instance):
    household = Household.objects.select_related("region").get(pk=instance.household_id)
    require(actor, household.region, RECORD_ROLES, what=HOUSEHOLD)
    before = None
    if instance.pk:
        before = audit.snapshot(Asset.objects.select_for_update().get(pk=instance.pk))
    _full_clean(instance)
    instance.save()
    audit.record(actor=actor, action="asset.update" if before else "asset.create", obj=instance,
                 region=household.region, before=before, after=audit.snapshot(instance))
    return instance



