"""State changes of benefit records. Each is atomic, validated first, and audited.

Enrolment status changes follow ``ENROLMENT_TRANSITIONS`` (benefits/models.py) and each
writes an append-only ``EnrolmentEvent`` besides the audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from benefits.models import (
    ENROLMENT_TRANSITIONS,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
    Review,
    ReviewKind,
    ReviewStatus,
)
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, today
from reemployment.core.scoping import in_jurisdiction
from reemployment.dates import add_months, month_start
from reemployment.money import round_yuan, to_decimal

CASEWORK_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}


def require_in_jurisdiction(actor, household: Household, roles=CASEWORK_ROLES) -> None:
    """Staff may act only on households inside their jurisdiction and only in a casework role.
    A string actor ("system:...") is the service itself (beat, imports) and is allowed."""
    if isinstance(actor, str) or actor is None:
        return
    if actor.is_superuser:
        return
    if actor.role not in roles or not in_jurisdiction(actor, household.region):
        raise PermissionDenied("该家庭不在您的辖区或您无此权限 / this household is outside your jurisdiction or role")


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=enrolment.pk)


def _change_status(enrolment: Enrolment, new_status: str) -> None:
    if new_status not in ENROLMENT_TRANSITIONS[enrolment.status]:
        raise Conflict(
            f"待遇状态不能从“{EnrolmentStatus(enrolment.status).label}”变为“{EnrolmentStatus(new_status).label}” / "
            f"cannot change an enrolment from {enrolment.status} to {new_status}",
            code="invalid_transition",
        )
    enrolment.status = new_status


def _event(enrolment, *, kind, actor, reason, effective_on, before: dict) -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=kind, effective_on=effective_on, reason=reason, actor=_actor_user(actor),
        status_before=before["status"], status_after=enrolment.status,
        category_before=before["category"], category_after=enrolment.category,
        amount_before=before["monthly_amount"], amount_after=enrolment.monthly_amount,
        transition_amount_after=enrolment.transition_amount if enrolment.status == EnrolmentStatus.TRANSITIONAL else None,
        transition_until_after=enrolment.transition_until if enrolment.status == EnrolmentStatus.TRANSITIONAL else None,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写原因 / give the reason", field_errors={"reason": ["必填"]})
    return reason


def _state(enrolment: Enrolment) -> dict:
    return {"status": enrolment.status, "category": enrolment.category, "monthly_amount": enrolment.monthly_amount,
            "transition_amount": enrolment.transition_amount, "transition_from": enrolment.transition_from,
            "transition_until": enrolment.transition_until,
            "end_date": enrolment.end_date, "next_review_on": enrolment.next_review_on}


def next_review_date(area: str, from_date: dt.date, params) -> dt.date:
    months = params.review_interval_months_urban if area == "urban" else params.review_interval_months_rural
    return add_months(from_date, months)


@transaction.atomic
def enrolment_start(*, actor, household: Household, category: str, monthly_amount: Decimal, persons: int,
                    start_date: dt.date, certificate_number: str, next_review_on: dt.date | None = None,
                    reason: str = "审批纳入低保") -> Enrolment:
    """Enter a household into the benefit (纳入) with its first history entry."""
    require_in_jurisdiction(actor, household, roles={Role.COUNTY, Role.ADMIN})
    if monthly_amount < 0:
        raise DomainError("保障金不能为负 / the amount cannot be negative")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                household=household, area=household.area, category=category, monthly_amount=round_yuan(monthly_amount),
                persons=persons, start_date=start_date, certificate_number=certificate_number,
                next_review_on=next_review_on, status=EnrolmentStatus.ACTIVE,
            )
    except IntegrityError as exc:
        raise Conflict("该家庭已有在保待遇或证号重复 / the household already has a current enrolment, "
                       "or the certificate number is taken") from exc
    EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=EnrolmentEventKind.ENTRY, effective_on=start_date, reason=reason,
        actor=_actor_user(actor), status_after=enrolment.status, category_after=category,
        amount_after=enrolment.monthly_amount,
    )
    audit.record(actor=actor, action="enrolment.start", obj=enrolment, region=household.region,
                 after=audit.snapshot(enrolment))
    return enrolment


@transaction.atomic
def enrolment_suspend(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date | None = None) -> Enrolment:
    """Suspend payment (暂停), e.g. after a confirmed sanction or a pending review."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    reason = _require_reason(reason)
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.SUSPENDED)
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.SUSPENSION, actor=actor, reason=reason,
           effective_on=effective_on or today(), before=before)
    audit.record(actor=actor, action="enrolment.suspend", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_resume(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date | None = None) -> Enrolment:
    """Resume a suspended benefit (恢复发放): payable again from the next computation."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    reason = _require_reason(reason)
    if enrolment.status != EnrolmentStatus.SUSPENDED:
        # A transition period ends through enrolment_end_transition, which also clears its amount.
        raise Conflict("只有暂停的待遇可以恢复 / only a suspended enrolment can be resumed", code="invalid_transition")
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ACTIVE)
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.RESUMPTION, actor=actor, reason=reason,
           effective_on=effective_on or today(), before=before)
    audit.record(actor=actor, action="enrolment.resume", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_end(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """End the benefit (退出, 应退尽退). No payment is due for months starting on or after ``effective_on``."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    reason = _require_reason(reason)
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ENDED)
    enrolment.end_date = effective_on
    enrolment.transition_amount = None
    enrolment.transition_from = None
    enrolment.transition_until = None
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.EXIT, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.end", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_change(*, actor, enrolment: Enrolment, category: str, monthly_amount: Decimal, reason: str,
                     effective_on: dt.date, persons: int | None = None) -> Enrolment:
    """Change category and/or amount (调整), e.g. after a review."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    if enrolment.status == EnrolmentStatus.ENDED:
        raise Conflict("已退出的待遇不能调整 / an ended enrolment cannot be changed")
    if monthly_amount < 0:
        raise DomainError("保障金不能为负 / the amount cannot be negative")
    before = _state(enrolment)
    enrolment.category = category
    enrolment.monthly_amount = round_yuan(monthly_amount)
    if persons is not None:
        enrolment.persons = persons
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.AMOUNT_CHANGE, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.change", obj=enrolment, region=enrolment.household.region,
                 before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_start_transition(*, actor, enrolment: Enrolment, transition_amount: Decimal, until: dt.date,
                               reason: str, effective_on: dt.date) -> Enrolment:
    """Enter the transition benefit (就业过渡期, §4 [R4]): ``transition_amount`` is paid for the months
    from ``effective_on`` (the first of a month) to ``until``; months outside it pay the normal amount."""
    if until < effective_on:
        raise DomainError("过渡期截止日期早于起始日期 / the transition ends before it starts")
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.TRANSITIONAL)
    enrolment.transition_amount = round_yuan(transition_amount)
    enrolment.transition_from = month_start(effective_on)
    enrolment.transition_until = until
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.TRANSITION_START, actor=actor, reason=reason,
           effective_on=effective_on, before=before)
    audit.record(actor=actor, action="enrolment.transition_start", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_change_transition_amount(*, actor, enrolment: Enrolment, transition_amount: Decimal, reason: str,
                                       effective_on: dt.date) -> Enrolment:
    """Change what a running transition pays (a further hire in the household); the period stays."""
    enrolment = _lock_enrolment(enrolment)
    require_in_jurisdiction(actor, enrolment.household, roles={Role.COUNTY, Role.ADMIN})
    if enrolment.status != EnrolmentStatus.TRANSITIONAL:
        raise Conflict("该待遇不在就业过渡期 / the enrolment is not transitional", code="invalid_transition")
    if transition_amount < 0:
        raise DomainError("保障金不能为负 / the amount cannot be negative")
    before = _state(enrolment)
    enrolment.transition_amount = round_yuan(transition_amount)
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.AMOUNT_CHANGE, actor=actor, reason=reason,
           effective_on=effective_on, before=before)
    audit.record(actor=actor, action="enrolment.transition_amount_change", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def enrolment_end_transition(*, actor, enrolment: Enrolment, reason: str, effective_on: dt.date) -> Enrolment:
    """The transition period is over: back to the normal amount, pending the review it opens."""
    enrolment = _lock_enrolment(enrolment)
    before = _state(enrolment)
    _change_status(enrolment, EnrolmentStatus.ACTIVE)
    enrolment.transition_amount = None
    enrolment.transition_from = None
    enrolment.transition_until = None
    enrolment.save()
    _event(enrolment, kind=EnrolmentEventKind.TRANSITION_END, actor=actor, reason=reason, effective_on=effective_on,
           before=before)
    audit.record(actor=actor, action="enrolment.transition_end", obj=enrolment,
                 region=enrolment.household.region, before=before, after=_state(enrolment), note=reason)
    return enrolment


@transaction.atomic
def review_open(*, actor, household: Household, kind: str, reason: str, due_on: dt.date | None = None,
                enrolment: Enrolment | None = None, source_type: str = "", source_id: str = "") -> Review:
    """Open a review (复核) — idempotent per household, kind and source: an open one is returned as is."""
    if kind not in ReviewKind.values:
        raise DomainError(f"未知复核类型 {kind} / unknown review kind {kind}")
    existing = Review.objects.filter(household=household, kind=kind, source_type=source_type,
                                     source_id=str(source_id), status=ReviewStatus.OPEN).first()
    if existing:
        return existing
    if enrolment is None:
        enrolment = household.enrolments.exclude(status=EnrolmentStatus.ENDED).first()
    review = Review.objects.create(
        household=household, enrolment=enrolment, kind=kind, reason=reason, due_on=due_on or today(),
        source_type=source_type, source_id=str(source_id),
    )
    audit.record(actor=actor, action="review.open", obj=review, region=household.region,
                 after=audit.snapshot(review), note=reason)
    return review


def now():
    return timezone.now()


# ---------------------------------------------------------------------------
# Household records (家庭、成员、收入、财产): admin edits go through these.
# ---------------------------------------------------------------------------

RECORD_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}
FLAG_TWO_HOUSEHOLDS = "person_in_two_households"
FLAG_CARVE_OUT = "carve_out"


def _full_clean(instance, exclude=None) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {"__all__": exc.messages})
        raise DomainError("；".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()),
                          field_errors=errors) from exc


def _add_flag(household: Household, flag: str, note: str) -> None:
    flags = [f for f in (household.flags or []) if not (isinstance(f, dict) and f.get("code") == flag
                                                       and f.get("note") == note)]
    flags.append({"code": flag, "note": note, "on": today().isoformat()})
    Household.objects.filter(pk=household.pk).update(flags=flags)
    household.flags = flags


@transaction.atomic
def household_save(*, actor, instance: Household) -> Household:
    """Create or edit a household (登记家庭). The region must be a community/village in the actor's jurisdiction."""
    from reemployment.core.models import RegionLevel

    if instance.region_id is None:
        raise DomainError("请选择户籍所在社区/村 / choose the community or village", field_errors={"region": ["必填"]})
    require_in_jurisdiction(actor, instance, roles=RECORD_ROLES)
    if instance.region.level != RegionLevel.COMMUNITY:
        raise DomainError("家庭须登记在社区或村 / a household is registered at a community or village",
                          field_errors={"region": ["须为社区/村"]})
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
        require_in_jurisdiction(actor, old, roles=RECORD_ROLES)
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
    from benefits.models import Member

    household = Household.objects.select_related("region").get(pk=instance.household_id)
    require_in_jurisdiction(actor, household, roles=RECORD_ROLES)
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
                f"该身份证号已登记在家庭 {other.household.number}，两户均已标记“一人多户” / "
                f"this person is already a member of household {other.household.number}; both are flagged",
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
    from benefits.models import Member, Relation

    member = Member.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=member.pk)
    to_household = Household.objects.select_related("region").get(pk=to_household.pk)
    source = member.household
    require_in_jurisdiction(actor, source, roles=RECORD_ROLES)
    require_in_jurisdiction(actor, to_household, roles=RECORD_ROLES)
    if source.pk == to_household.pk:
        raise DomainError("成员已在该家庭 / the member is already in this household",
                          field_errors={"to_household": ["已在该家庭"]})
    if not member.is_current:
        raise DomainError("已死亡或已离户的成员不能迁移 / a member who died or left cannot be moved")
    if relation is not None and relation not in Relation.values:
        raise DomainError("与户主关系无效 / invalid relation", field_errors={"relation": ["无效"]})
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
    from benefits.models import IncomeItem

    if instance.member_id and not instance.household_id:
        instance.household_id = instance.member.household_id
    household = Household.objects.select_related("region").get(pk=instance.household_id)
    require_in_jurisdiction(actor, household, roles=RECORD_ROLES)
    if instance.quantity is not None:
        if instance.kind != "agricultural":
            raise DomainError("实物数量仅用于农业实物收入 / quantity is for agricultural income in kind",
                              field_errors={"quantity": ["仅农业实物收入"]})
        from reemployment.core.selectors import parameters_in_force

        prices = parameters_in_force(household.region, today()).agricultural_prices
        if instance.unit not in prices:
            raise DomainError(f"没有公布 {instance.unit} 的折算价格 / no published price for {instance.unit}",
                              field_errors={"unit": [f"可选：{'、'.join(prices)}"]})
        instance.monthly_amount = Decimal("0.00")
    if instance.work_costs and to_decimal(instance.work_costs) > 0:
        # Only documented costs of earning a wage count (e.g. travel to a job away from home) [R4].
        if instance.kind != "wages":
            raise DomainError("就业必要成本只适用于工资收入 / work costs apply to wages only",
                              field_errors={"work_costs": ["仅工资收入"]})
        if not (instance.note or "").strip():
            raise DomainError("请在说明中写明就业必要成本的依据（如外出务工的交通、住宿票据）/ "
                              "document the work costs in the note (e.g. travel and lodging receipts)",
                              field_errors={"note": ["须说明就业必要成本"]})
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
    from benefits.models import Asset

    household = Household.objects.select_related("region").get(pk=instance.household_id)
    require_in_jurisdiction(actor, household, roles=RECORD_ROLES)
    before = None
    if instance.pk:
        before = audit.snapshot(Asset.objects.select_for_update().get(pk=instance.pk))
    _full_clean(instance)
    instance.save()
    audit.record(actor=actor, action="asset.update" if before else "asset.create", obj=instance,
                 region=household.region, before=before, after=audit.snapshot(instance))
    return instance


# ---------------------------------------------------------------------------
# Application workflow (申请审批). The transition table is APPLICATION_ACTIONS in models.py.
# ---------------------------------------------------------------------------

ALLOWED_ATTACHMENT_TYPES = {
    # extension → (content type, leading bytes that a genuine file starts with)
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _workflow_params(household: Household, on: dt.date):
    from reemployment.core.selectors import parameters_in_force

    return parameters_in_force(household.region, on)


def _require_step_role(actor, application, action: str) -> None:
    """Each step is done by the staff role(s) ``APPLICATION_ACTIONS`` names, inside the household's
    jurisdiction (no exceptions, not even for the system administrator: separation of duties)."""
    from benefits.models import APPLICATION_ACTIONS

    roles = APPLICATION_ACTIONS[action].roles
    if isinstance(actor, str) or actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("须由工作人员办理 / a staff member must do this step")
    if actor.role not in roles:
        labels = "或".join(str(Role(role).label) for role in sorted(roles))
        raise PermissionDenied(f"该环节须由{labels}办理 / this step is done by {'/'.join(sorted(roles))} staff",
                               code="wrong_role")
    if not in_jurisdiction(actor, application.household.region):
        raise PermissionDenied("该申请不在您的辖区 / this application is outside your jurisdiction",
                               code="not_in_jurisdiction")


def _lock_application(application, expected_step: str | None):
    from benefits.models import Application

    expected = expected_step or application.step
    locked = Application.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=application.pk)
    if locked.step != expected:
        raise Conflict(
            f"该申请已由他人办理，当前环节为“{locked.get_step_display()}”，请刷新 / "
            f"the application has moved on to {locked.step}; reload and try again", code="stale_step")
    return locked


def _check_move(application, action: str, on: dt.date) -> str:
    from benefits.models import APPLICATION_ACTIONS, ApplicationAction
    from benefits.selectors import application_sources

    target = APPLICATION_ACTIONS[action].target
    if application.step not in application_sources(application, action, on):
        raise Conflict(
            f"当前环节“{application.get_step_display()}”不能办理“{ApplicationAction(action).label}”，环节不能跳过 / "
            f"cannot {action} an application at step {application.step}", code="invalid_step")
    if application.has_open_objection():
        raise Conflict("公示异议尚未处理，流程暂停 / an objection is pending: the application is paused",
                       code="objection_pending")
    return target


def _step_event(application, *, action, actor, step_before, findings="", data=None):
    from benefits.models import ApplicationEvent

    return ApplicationEvent.objects.create(
        application=application, action=action, step_before=step_before, step_after=application.step,
        findings=findings, data=audit.jsonable(data) if data is not None else None, actor=_actor_user(actor),
        actor_label=getattr(actor, "username", str(actor)),
    )


def _advance(application, *, action, actor, before_step, findings="", data=None, attachments=()):
    application.save()
    event = _step_event(application, action=action, actor=actor, step_before=before_step, findings=findings,
                        data=data)
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload, event=event)
    audit.record(actor=actor, action=f"application.{action}", obj=application, region=application.household.region,
                 before={"step": before_step}, after={"step": application.step, **(data or {})}, note=findings)
    return application


@transaction.atomic
def attachment_add(*, actor, application, upload, event=None):
    """Attach a file to an application (or one of its steps). Size ≤ settings.MAX_ATTACHMENT_BYTES and
    only PDF, JPEG, PNG — the extension and the file's first bytes must agree."""
    from django.conf import settings

    from benefits.models import Attachment

    if not isinstance(actor, str):
        require_in_jurisdiction(actor, application.household)
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None) or 0
    if size > settings.MAX_ATTACHMENT_BYTES:
        raise DomainError(f"附件不能超过 {settings.MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB / the file is too large",
                          field_errors={"file": ["文件过大"]})
    if size == 0:
        raise DomainError("附件为空 / the file is empty", field_errors={"file": ["空文件"]})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        raise DomainError("附件只能是 PDF、JPG 或 PNG / only PDF, JPEG or PNG files are accepted",
                          field_errors={"file": ["类型不允许"]})
    content_type, magics = ALLOWED_ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise DomainError("文件内容与扩展名不符 / the file's content does not match its extension",
                          field_errors={"file": ["内容与类型不符"]})
    safe_name = "".join(ch for ch in name.rsplit("/", 1)[-1] if ch.isalnum() or ch in "._-")[-100:] or f"file.{extension}"
    attachment = Attachment(application=application, event=event, original_name=name[:200],
                            content_type=content_type, size=size, uploaded_by=_actor_user(actor))
    attachment.file.save(safe_name, upload, save=False)
    attachment.save()
    audit.record(actor=actor, action="application.attachment", obj=application, region=application.household.region,
                 after={"attachment": attachment.pk, "name": attachment.original_name, "size": size})
    return attachment


@transaction.atomic
def application_submit(*, actor, household: Household, reason: str = "", submitted_on: dt.date | None = None,
                       fast_track: bool = False, job_start: dt.date | None = None, job_end: dt.date | None = None,
                       attachments=()):
    """Take an application at the community/village (受理). A household has one current application or
    enrolment at a time. ``fast_track`` (就业后再次纳入 §4 [R4]) needs a job that ended inside the window."""
    from benefits.models import APPLICATION_ACTIONS, OPEN_APPLICATION_STEPS, Application, ApplicationAction

    household = Household.objects.select_for_update(of=("self",)).select_related("region").get(pk=household.pk)
    submitted_on = submitted_on or today()
    application = Application(household=household, area=household.area, submitted_on=submitted_on,
                              reason=reason, step=APPLICATION_ACTIONS[ApplicationAction.SUBMIT].target,
                              submitted_by=_actor_user(actor))
    _require_step_role(actor, application, ApplicationAction.SUBMIT)
    if household.enrolments.exclude(status=EnrolmentStatus.ENDED).exists():
        raise Conflict("该家庭已在保，不能重复申请 / the household is already enrolled", code="already_enrolled")
    if household.applications.filter(step__in=OPEN_APPLICATION_STEPS).exists():
        raise Conflict("该家庭已有办理中的申请 / the household already has an application in progress",
                       code="duplicate_application")
    if not household.members.filter(died_on__isnull=True, left_on__isnull=True).exists():
        raise DomainError("请先登记家庭成员 / register the household's members first")
    data = {}
    if fast_track:
        from incentives.services import fast_track_assess

        if job_start is None or job_end is None:
            raise DomainError("快速通道须填写就业起止日期 / the fast track needs the job's start and end dates",
                              field_errors={"job_end": ["必填"]})
        # Assessed and recorded (parameters used, the job it follows) as a work-incentive rule application.
        assessment = fast_track_assess(actor=actor, household=household, job_start=job_start, job_end=job_end,
                                       as_of=submitted_on)
        if not assessment["eligible"]:
            raise DomainError(f"就业结束超出 {assessment['window_months']} 个月快速通道期限 / "
                              "the job ended outside the fast-track window", field_errors={"job_end": ["超出期限"]})
        application.fast_track = True
        application.fast_track_job_start, application.fast_track_job_end = job_start, job_end
        data = {"fast_track": True, "job_start": job_start, "job_end": job_end,
                "window_end": assessment["window_end"], "window_months": assessment["window_months"],
                "rule_application": assessment["rule_application"],
                "transition_proposal": assessment["transition_proposal"]}
    household_refresh_flags(household=household, actor=actor)
    try:
        with transaction.atomic():
            application.number = f"SQ{household.region.code}{timezone.now():%Y%m%d%H%M%S%f}"[:30]
            application.save()
    except IntegrityError as exc:
        raise Conflict("该家庭已有办理中的申请 / the household already has an application in progress",
                       code="duplicate_application") from exc
    application.number = f"SQ{household.region.code[:9]}{application.pk:08d}"
    application.save(update_fields=["number"])
    _step_event(application, action=ApplicationAction.SUBMIT, actor=actor, step_before="", findings=reason, data=data)
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload)
    audit.record(actor=actor, action="application.submit", obj=application, region=household.region,
                 after=audit.snapshot(application), note=reason)
    return application


@transaction.atomic
def application_survey(*, actor, application, findings: str, verified_incomes: dict | None = None,
                       expected_step: str | None = None, on: dt.date | None = None, attachments=()):
    """Home survey (入户调查): findings, and every declared income item verified one by one
    (``verified_incomes`` maps each IncomeItem id to the verified monthly amount). The household is then
    assessed with the rules and the result kept with the application."""
    from benefits.models import ApplicationAction, IncomeItem
    from benefits.selectors import assess, assessment_json

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.SURVEY)
    target = _check_move(application, ApplicationAction.SURVEY, on)
    if not findings.strip():
        raise DomainError("请填写入户调查情况 / record the survey findings", field_errors={"findings": ["必填"]})
    verified_incomes = {int(k): v for k, v in (verified_incomes or {}).items()}
    items = list(IncomeItem.objects.filter(household=application.household).order_by("id"))
    missing = [item.pk for item in items if item.pk not in verified_incomes]
    if missing:
        raise DomainError(f"收入须逐项核实，尚未核实：{missing} / verify every income item",
                          field_errors={"verified_incomes": [f"未核实的收入项：{missing}"]})
    unknown = set(verified_incomes) - {item.pk for item in items}
    if unknown:
        raise DomainError(f"收入项不属于该家庭：{sorted(unknown)} / unknown income items",
                          field_errors={"verified_incomes": ["收入项不属于该家庭"]})
    checks = []
    for item in items:
        declared = item.monthly_amount
        verified = round_yuan(Decimal(str(verified_incomes[item.pk])))
        if verified < 0:
            raise DomainError("核实金额不能为负 / a verified amount cannot be negative")
        if item.quantity is None and verified != declared:
            before = audit.snapshot(item)
            item.monthly_amount = verified
            item.note = (item.note + f"；入户核实 {verified}")[:200]
            item.save(update_fields=["monthly_amount", "note"])
            audit.record(actor=actor, action="income.verify", obj=item, region=application.household.region,
                         before=before, after=audit.snapshot(item))
        checks.append({"income": item.pk, "kind": item.kind, "declared": declared, "verified": verified})
    assessment = assess(application.household, on)
    before_step = application.step
    application.step = target
    application.survey_findings = findings
    application.assessment = assessment_json(assessment)
    application.category = assessment.category or ""
    application.monthly_amount = assessment.monthly_amount
    application.persons = assessment.household_size
    return _advance(application, action=ApplicationAction.SURVEY, actor=actor, before_step=before_step,
                    findings=findings, data={"incomes": checks, "eligible": assessment.eligible,
                                             "category": assessment.category,
                                             "monthly_amount": assessment.monthly_amount},
                    attachments=attachments)


@transaction.atomic
def application_appraise(*, actor, application, group: list[str], votes_for: int, votes_against: int,
                         abstentions: int = 0, opinions: str = "", expected_step: str | None = None,
                         on: dt.date | None = None, attachments=()):
    """Democratic appraisal (民主评议; rural: 村民代表会议): a group of at least ``appraisal_group_min``
    representatives; votes and opinions recorded."""
    from benefits.models import ApplicationAction

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.APPRAISE)
    target = _check_move(application, ApplicationAction.APPRAISE, on)
    params = _workflow_params(application.household, on)
    group = [name.strip() for name in group if name and name.strip()]
    if len(set(group)) < params.appraisal_group_min:
        raise DomainError(f"评议小组至少 {params.appraisal_group_min} 人 / the appraisal group needs at least "
                          f"{params.appraisal_group_min} members", field_errors={"group": ["人数不足"]})
    votes = (votes_for, votes_against, abstentions)
    if any(v < 0 for v in votes) or sum(votes) > len(set(group)):
        raise DomainError("票数与评议人数不符 / the votes do not match the group",
                          field_errors={"votes_for": ["票数有误"]})
    result = "passed" if votes_for * 2 > len(set(group)) else "not_passed"
    before_step = application.step
    application.step = target
    application.appraisal = {"group": group, "votes_for": votes_for, "votes_against": votes_against,
                             "abstentions": abstentions, "opinions": opinions, "result": result,
                             "rural_meeting": application.area == "rural", "on": on.isoformat()}
    return _advance(application, action=ApplicationAction.APPRAISE, actor=actor, before_step=before_step,
                    findings=opinions, data=application.appraisal, attachments=attachments)


@transaction.atomic
def application_post_notice(*, actor, application, expected_step: str | None = None, on: dt.date | None = None,
                            attachments=()):
    """Post the public notice at the community (张榜公示) for ``appraisal_notice_days`` (fast track:
    ``fast_track_notice_days``; with ``fast_track_skip_appraisal`` the appraisal is skipped)."""
    from benefits.models import APPLICATION_ACTIONS, ApplicationAction

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.POST_NOTICE)
    target = _check_move(application, ApplicationAction.POST_NOTICE, on)
    params = _workflow_params(application.household, on)
    days = params.fast_track_notice_days if application.fast_track else params.appraisal_notice_days
    skipped = application.step in APPLICATION_ACTIONS[ApplicationAction.POST_NOTICE].fast_track_sources
    before_step = application.step
    application.step = target
    application.notice_start = on
    application.notice_end = on + dt.timedelta(days=days - 1)
    return _advance(application, action=ApplicationAction.POST_NOTICE, actor=actor, before_step=before_step,
                    data={"notice_start": application.notice_start, "notice_end": application.notice_end,
                          "days": days, "fast_track": application.fast_track, "appraisal_skipped": skipped},
                    attachments=attachments)


def _require_notice_over(application, on: dt.date) -> None:
    if application.notice_end is None or on <= application.notice_end:
        raise Conflict(f"公示期至 {application.notice_end} 结束，期满后方可办理 / the notice period runs until "
                       f"{application.notice_end}", code="notice_running")


@transaction.atomic
def application_review(*, actor, application, opinion: str, agree: bool = True, expected_step: str | None = None,
                       on: dt.date | None = None, attachments=()):
    """Township/street review (乡镇/街道审核) after the notice period, with its opinion for the county."""
    from benefits.models import ApplicationAction

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.REVIEW)
    target = _check_move(application, ApplicationAction.REVIEW, on)
    _require_notice_over(application, on)
    if not opinion.strip():
        raise DomainError("请填写审核意见 / record the review opinion", field_errors={"opinion": ["必填"]})
    before_step = application.step
    application.step = target
    application.township_opinion = opinion
    return _advance(application, action=ApplicationAction.REVIEW, actor=actor, before_step=before_step,
                    findings=opinion, data={"agree": agree}, attachments=attachments)


@transaction.atomic
def application_approve(*, actor, application, reason: str = "", expected_step: str | None = None,
                        on: dt.date | None = None, attachments=()):
    """County approval (县级审批): re-assesses with the rules on the day; the approved list is then noticed
    for ``approval_notice_days``. An ineligible household cannot be approved."""
    from benefits.models import ApplicationAction
    from benefits.selectors import assess, assessment_json

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.APPROVE)
    target = _check_move(application, ApplicationAction.APPROVE, on)
    assessment = assess(application.household, on)
    if not assessment.eligible:
        raise Conflict("按规则核算不符合条件，不能批准：" + "；".join(assessment.reasons) +
                       " / not eligible under the rules", code="not_eligible")
    days = _workflow_params(application.household, on).approval_notice_days
    before_step = application.step
    application.step = target
    application.decision_reason = reason
    application.assessment = assessment_json(assessment)
    application.category = assessment.category
    application.monthly_amount = assessment.monthly_amount
    application.persons = assessment.household_size
    application.notice_start = on
    application.notice_end = on + dt.timedelta(days=days - 1)
    return _advance(application, action=ApplicationAction.APPROVE, actor=actor, before_step=before_step,
                    findings=reason, data={"category": assessment.category,
                                           "monthly_amount": assessment.monthly_amount,
                                           "notice_start": application.notice_start,
                                           "notice_end": application.notice_end}, attachments=attachments)


def rejection_notice_text(application, reason: str, on: dt.date) -> str:
    head = application.household.head
    name = head.name if head else application.household.number
    return (
        f"不予批准最低生活保障通知书\n\n{name}：\n"
        f"你户于 {application.submitted_on:%Y年%m月%d日} 提出的最低生活保障申请（编号 {application.number}），"
        f"经入户调查、民主评议、公示和审核，决定不予批准。\n理由：{reason}\n"
        f"如对本决定有异议，可自收到本通知之日起60日内申请行政复议，或6个月内提起行政诉讼。\n\n"
        f"{on:%Y年%m月%d日}"
    )


@transaction.atomic
def application_reject(*, actor, application, reason: str, expected_step: str | None = None,
                       on: dt.date | None = None, attachments=()):
    """County rejection (不予批准) with a written notice that states the reason."""
    from benefits.models import ApplicationAction

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.REJECT)
    target = _check_move(application, ApplicationAction.REJECT, on)
    if not reason.strip():
        raise DomainError("不予批准须说明理由 / a rejection needs a reason", field_errors={"reason": ["必填"]})
    before_step = application.step
    application.step = target
    application.decision_reason = reason
    application.rejection_notice = rejection_notice_text(application, reason, on)
    return _advance(application, action=ApplicationAction.REJECT, actor=actor, before_step=before_step,
                    findings=reason, data={"notice": application.rejection_notice}, attachments=attachments)


@transaction.atomic
def application_decline_for_sanction(*, actor, household: Household, reason: str, on: dt.date | None = None):
    """Decline the household's application in progress because offered jobs were refused twice without
    a valid reason ([R4]; proposed by the jobs app, confirmed by a county user). Any open step; a written
    notice with the reason is produced. Returns None when the household has no application in progress."""
    from benefits.models import OPEN_APPLICATION_STEPS, Application, ApplicationAction

    on = on or today()
    current = Application.objects.filter(household=household, step__in=OPEN_APPLICATION_STEPS).first()
    if current is None:
        return None
    application = _lock_application(current, None)
    _require_step_role(actor, application, ApplicationAction.DECLINE)
    target = _check_move(application, ApplicationAction.DECLINE, on)
    before_step = application.step
    application.step = target
    application.decision_reason = reason
    application.rejection_notice = rejection_notice_text(application, reason, on)
    return _advance(application, action=ApplicationAction.DECLINE, actor=actor, before_step=before_step,
                    findings=reason, data={"notice": application.rejection_notice})


def certificate_number_for(application) -> str:
    prefix = "城" if application.area == "urban" else "农"
    return f"{prefix}保{application.household.region.code[:6]}-{application.pk:08d}"


@transaction.atomic
def application_enrol(*, actor, application, expected_step: str | None = None, on: dt.date | None = None,
                      recipient_password: str | None = None, attachments=()):
    """After the approved list's notice: the enrolment starts (``enrolment_start``), the certificate
    (城市低保证 / 农村低保证) number is issued, a post-entry follow-up review is opened and, when a
    password is given, the household's recipient login is created."""
    from benefits.models import ApplicationAction, ReviewKind

    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.ENROL)
    target = _check_move(application, ApplicationAction.ENROL, on)
    _require_notice_over(application, on)
    household = application.household
    params = _workflow_params(household, on)
    enrolment = enrolment_start(
        actor=actor, household=household, category=application.category, monthly_amount=application.monthly_amount,
        persons=application.persons or 1, start_date=on, certificate_number=certificate_number_for(application),
        next_review_on=next_review_date(household.area, on, params),
        reason=f"申请 {application.number} 审批纳入" + ("（快速通道）" if application.fast_track else ""),
    )
    before_step = application.step
    application.step = target
    application.enrolment = enrolment
    _advance(application, action=ApplicationAction.ENROL, actor=actor, before_step=before_step,
             data={"certificate_number": enrolment.certificate_number, "enrolment": enrolment.pk},
             attachments=attachments)
    review_open(actor=actor, household=household, kind=ReviewKind.POST_ENTRY, enrolment=enrolment,
                reason="纳入后跟踪回访", due_on=add_months(on, 1), source_type="enrolment",
                source_id=str(enrolment.pk))
    if recipient_password:
        recipient_account_create(actor=actor, household=household, password=recipient_password)
    return application


def _require_objection_role(actor, application, action: str) -> None:
    """Staff of the roles ``APPLICATION_ACTIONS`` names for ``action``, inside the jurisdiction. A string
    actor (``"system:…"``/``"public:…"``) may raise an objection — one received by letter or the portal —
    but never resolve it."""
    from benefits.models import APPLICATION_ACTIONS, ApplicationAction

    if isinstance(actor, str) and action == ApplicationAction.OBJECTION:
        return
    roles = APPLICATION_ACTIONS[action].roles
    if actor is None or isinstance(actor, str) or actor.role not in roles:
        raise PermissionDenied("须由经办工作人员办理公示异议 / caseworkers of the jurisdiction handle objections",
                               code="wrong_role")
    require_in_jurisdiction(actor, application.household)


@transaction.atomic
def objection_raise(*, actor, application, text: str, raised_by: str = "", on: dt.date | None = None,
                    attachments=()):
    """Record an objection (公示异议) during a notice period — from its first to its last day
    (``notice_end``) inclusive: the flow pauses until it is resolved."""
    from benefits.models import APPLICATION_ACTIONS, ApplicationAction, Objection

    on = on or today()
    application = _lock_application(application, None)
    _require_objection_role(actor, application, ApplicationAction.OBJECTION)
    if application.step not in APPLICATION_ACTIONS[ApplicationAction.OBJECTION].sources:
        raise Conflict("只有公示期间可以提出异议 / objections are taken during a notice period",
                       code="not_in_notice")
    if application.notice_end is None or on > application.notice_end:
        raise Conflict(f"公示期已于 {application.notice_end} 结束，不再受理异议 / the notice period ended on "
                       f"{application.notice_end}; objections are no longer taken", code="notice_over")
    if application.notice_start is not None and on < application.notice_start:
        raise Conflict(f"公示期自 {application.notice_start} 开始 / the notice period starts on "
                       f"{application.notice_start}", code="not_in_notice")
    if not text.strip():
        raise DomainError("请填写异议内容 / describe the objection", field_errors={"text": ["必填"]})
    objection = Objection.objects.create(application=application, raised_on=on, raised_by=raised_by, text=text)
    event = _step_event(application, action=ApplicationAction.OBJECTION, actor=actor,
                        step_before=application.step, findings=text, data={"objection": objection.pk})
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload, event=event)
    audit.record(actor=actor, action="application.objection", obj=application, region=application.household.region,
                 after={"objection": objection.pk}, note=text)
    return objection


@transaction.atomic
def objection_resolve(*, actor, objection, upheld: bool, resolution: str, on: dt.date | None = None,
                      attachments=()):
    """Resolve an objection after checking it. Dismissed: the flow resumes where it was. Upheld: the
    application goes where ``APPLICATION_ACTIONS`` sends it (back to a new home survey; the notice and
    any approval lapse)."""
    from benefits.models import APPLICATION_ACTIONS, ApplicationAction, Objection, ObjectionStatus

    on = on or today()
    objection = Objection.objects.select_for_update(of=("self",)).select_related("application__household__region").get(
        pk=objection.pk)
    application = _lock_application(objection.application, None)
    _require_objection_role(actor, application, ApplicationAction.OBJECTION_RESOLVED)
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict("该异议已处理 / this objection is already resolved", code="already_resolved")
    if not resolution.strip():
        raise DomainError("请填写处理结果 / record the resolution", field_errors={"resolution": ["必填"]})
    transition = APPLICATION_ACTIONS[ApplicationAction.OBJECTION_RESOLVED]
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution, objection.resolved_by, objection.resolved_on = resolution, _actor_user(actor), on
    objection.save()
    before_step = application.step
    target = transition.upheld_target if upheld else transition.target
    if target is not None:
        application.step = target
        application.notice_start = application.notice_end = None
        application.save()
    event = _step_event(application, action=ApplicationAction.OBJECTION_RESOLVED, actor=actor,
                        step_before=before_step, findings=resolution, data={"objection": objection.pk,
                                                                            "upheld": upheld})
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload, event=event)
    audit.record(actor=actor, action="application.objection_resolve", obj=application,
                 region=application.household.region, before={"step": before_step},
                 after={"step": application.step, "objection": objection.pk, "upheld": upheld}, note=resolution)
    return objection


# ---------------------------------------------------------------------------
# Recipient logins (对象账号)
# ---------------------------------------------------------------------------

ACCOUNT_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}


def _check_password(password: str, user=None) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("密码不符合要求：" + " ".join(exc.messages), field_errors={"password": exc.messages}) from exc


@transaction.atomic
def recipient_account_create(*, actor, household: Household, password: str):
    """Create the household's recipient login: username = the head's ID number, initial password set by staff."""
    from reemployment.core.models import User
    from reemployment.core.roles import assign_role_group

    household = Household.objects.select_for_update(of=("self",)).select_related("region").get(pk=household.pk)
    require_in_jurisdiction(actor, household, roles=ACCOUNT_ROLES)
    head = household.head
    if head is None:
        raise DomainError("家庭没有登记户主 / the household has no head", code="no_head")
    if household.account_id:
        raise Conflict("该家庭已有登录账号 / the household already has a login", code="account_exists")
    if User.objects.filter(username=head.id_number).exists():
        raise Conflict("该身份证号已有账号 / a login with this ID number exists", code="account_exists")
    user = User(username=head.id_number, role=Role.RECIPIENT, display_name=head.name)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    assign_role_group(user)
    household.account = user
    household.save(update_fields=["account"])
    audit.record(actor=actor, action="recipient.account_create", obj=household, region=household.region,
                 after={"account": user.pk})
    return user


@transaction.atomic
def recipient_password_reset(*, actor, household: Household, password: str):
    """Community (or higher) staff reset a recipient's password."""
    household = Household.objects.select_for_update(of=("self",)).select_related("region", "account").get(pk=household.pk)
    require_in_jurisdiction(actor, household, roles=ACCOUNT_ROLES)
    if household.account is None:
        raise DomainError("该家庭还没有登录账号 / the household has no login", code="no_account")
    _check_password(password, household.account)
    household.account.set_password(password)
    household.account.save(update_fields=["password"])
    audit.record(actor=actor, action="recipient.password_reset", obj=household, region=household.region)
    return household.account


@transaction.atomic
def change_report(*, actor, household: Household, kind: str, details: str,
                  new_monthly_earnings: Decimal | None = None):
    """A recipient reports a change (报告变化) → a CHANGE_REPORT review for the caseworker."""
    from benefits.models import ReviewKind

    if getattr(actor, "household", None) is None or actor.household.pk != household.pk:
        raise PermissionDenied("只能报告本户的变化 / you can report changes of your own household only")
    text = f"[{kind}] {details}".strip()
    if new_monthly_earnings is not None:
        text += f"（新月收入 {round_yuan(new_monthly_earnings)} 元）"
    review = review_open(actor=actor, household=household, kind=ReviewKind.CHANGE_REPORT, reason=text[:300],
                         due_on=today() + dt.timedelta(days=15), source_type="change_report",
                         source_id=f"{actor.pk}:{timezone.now():%Y%m%d%H%M%S%f}")
    Review.objects.filter(pk=review.pk).update(reported_by=actor, findings=text)
    return review


# ---------------------------------------------------------------------------
# Reviews (复核): periodic opening by beat, and the decision
# ---------------------------------------------------------------------------


@transaction.atomic
def reviews_open_periodic(*, as_of: dt.date, actor="system:beat") -> int:
    """Open a PERIODIC review for every current enrolment whose ``next_review_on`` has come
    (urban every 6 months, rural every 12 [R1]). Set-based and idempotent: an enrolment with an
    open periodic review gets no second one."""
    from benefits.selectors import enrolments_due_for_review

    due = list(enrolments_due_for_review(as_of).values_list("pk", "household_id", "next_review_on"))
    reviews = [
        Review(household_id=household_id, enrolment_id=pk, kind=ReviewKind.PERIODIC,
               reason=f"定期复核（应复核日期 {next_on}）", due_on=next_on + dt.timedelta(days=30),
               source_type="enrolment", source_id=f"{pk}:{next_on}")
        for pk, household_id, next_on in due
    ]
    Review.objects.bulk_create(reviews, batch_size=2000, ignore_conflicts=True)
    if reviews:
        audit.record(actor=actor, action="review.open_periodic", object_type="benefits.review",
                     object_id="", object_label=f"{len(reviews)} 户定期复核", after={"count": len(reviews),
                                                                                  "as_of": as_of})
    return len(reviews)


def _death_stop_from(review: Review) -> dt.date | None:
    """The first month a recorded death behind this review stops the deceased's share: the death report's
    ``stop_from`` (the month after the death), or None when the review has no recorded death. A report
    received from a department file and not yet confirmed has no ``stop_from``, so it does not count."""
    from benefits.integrity.models import DeathReport

    months = DeathReport.objects.filter(review=review, stop_from__isnull=False).values_list("stop_from", flat=True)
    return min(months, default=None)


DEATH_REVIEW_SOURCE = "benefits.review"  # the source of what a death review claims back (one claim per line)


def _settle_death_months(*, actor, review: Review, enrolment: Enrolment, stop_from: dt.date, ended: bool) -> dict:
    """A review prompted by a death changed (or ended) the benefit from ``stop_from``, not from the decision
    day: the months in between were paid for a person who had died.

    * unpaid lines (unlocked months) from ``stop_from`` are withdrawn — the next computation of the month
      pays the new amount — and a run already reviewed goes back to computed (its totals changed);
    * for every paid line (locked month) from ``stop_from``: due = amount paid − the new amount (0 when
      ended). What the death report already claimed for that line is counted: more is claimed when due
      exceeds it; when the report's provisional claim (the deceased's per-person share) exceeds due and is
      still open, it is waived and replaced by the exact amount; anything already recovered above what
      was due is reported as ``to_refund``.

    Idempotent per line and review (``one_overpayment_per_line_source``)."""
    from benefits.payroll.models import (
        Overpayment,
        OverpaymentReason,
        OverpaymentStatus,
        PayrollRun,
        RunStatus,
    )
    from benefits.payroll.services import (
        overpayment_create,
        overpayment_decide,
        payment_lines_cancel,
        payroll_run_reopen,
    )

    reviewed = list(PayrollRun.objects.filter(status=RunStatus.REVIEWED, payment_lines__enrolment=enrolment,
                                              payment_lines__month__gte=stop_from).distinct())
    paid = payment_lines_cancel(actor=actor, enrolment=enrolment, from_month=stop_from,
                                reason=f"复核 #{review.pk}：自 {stop_from:%Y-%m} 起按死亡后的家庭调整")
    for run in reviewed:
        payroll_run_reopen(actor=actor, run=run)
    source_id = str(review.pk)
    claimed_now, to_refund, claims = Decimal("0.00"), Decimal("0.00"), 0
    for line in sorted(paid, key=lambda line: line.month):
        new_amount = Decimal("0.00") if ended else enrolment.amount_for_month(line.month)
        due = max(line.amount - new_amount, Decimal("0.00"))
        earlier = list(Overpayment.objects.filter(payment_line=line, reason=OverpaymentReason.DEATH)
                       .exclude(status=OverpaymentStatus.WAIVED).order_by("id"))
        claimed = sum((o.amount for o in earlier), Decimal("0.00"))
        for provisional in earlier:
            if claimed <= due:
                break
            if provisional.status == OverpaymentStatus.OPEN and provisional.source_type != DEATH_REVIEW_SOURCE:
                overpayment_decide(
                    actor=actor, overpayment=provisional, status=OverpaymentStatus.WAIVED,
                    decision=f"复核 #{review.pk} 核定 {line.month:%Y-%m} 多发 {due} 元（已发 {line.amount}，"
                             f"应发 {new_amount}），以复核结果为准，本笔预登记的 {provisional.amount} 元不再追回")
                claimed -= provisional.amount
        if due > claimed:
            overpayment_create(
                actor=actor, household=enrolment.household, amount=due - claimed, reason=OverpaymentReason.DEATH,
                payment_line=line, source_type=DEATH_REVIEW_SOURCE, source_id=source_id,
                note=f"复核 #{review.pk}：{line.month:%Y-%m} 已发 {line.amount} 元，家庭成员死亡后应发 {new_amount} 元，"
                     f"多发 {due} 元，已登记追回 {claimed} 元")
            claimed_now += due - claimed
            claims += 1
        else:
            to_refund += claimed - due
    return {"effective_from": stop_from, "claims": claims, "claimed": claimed_now, "to_refund": to_refund,
            "withdrawn_from": stop_from, "runs_reopened": [run.pk for run in reviewed]}


@transaction.atomic
def review_decide(*, actor, review: Review, outcome: str, findings: str, new_category: str | None = None,
                  new_amount: Decimal | None = None, on: dt.date | None = None) -> Review:
    """Decide a review: keep, change or end the benefit. The household is re-assessed with the rules on
    ``on``: if its income is at or above the standard (or assets over the limits) the benefit ends
    whatever was proposed (应退尽退). CHANGE uses the given category/amount, else the assessment's.
    Township staff may decide KEEP; changes and exits are the county's (enrolment services check).

    A review behind a recorded death (死亡报告) takes effect from the death report's ``stop_from`` — the
    month after the death — not from the decision: see :func:`_settle_death_months`. It cannot keep a
    benefit whose number of persons the death changed."""
    from benefits.models import Category, ReviewOutcome
    from benefits.selectors import assess, assessment_json

    on = on or today()
    review = Review.objects.select_for_update(of=("self",)).select_related("household__region", "enrolment").get(pk=review.pk)
    require_in_jurisdiction(actor, review.household, roles={Role.TOWNSHIP, Role.COUNTY, Role.ADMIN})
    if review.status != ReviewStatus.OPEN:
        raise Conflict("该复核已处理 / this review is already decided", code="already_decided")
    if outcome not in ReviewOutcome.values:
        raise DomainError("请选择复核结论 / choose an outcome", field_errors={"outcome": ["无效"]})
    if not findings.strip():
        raise DomainError("请填写核查情况 / record the findings", field_errors={"findings": ["必填"]})
    if new_category and new_category not in Category.values:
        raise DomainError("类别无效 / invalid category", field_errors={"new_category": ["无效"]})
    assessment = assess(review.household, on)
    enrolment = review.enrolment
    if enrolment is not None:
        enrolment.refresh_from_db()
    current = enrolment is not None and enrolment.status != EnrolmentStatus.ENDED
    stop_from = _death_stop_from(review) if current else None
    note = findings
    if not assessment.eligible and current:
        outcome = ReviewOutcome.END
        note = findings + "；按规则核算不再符合条件：" + "；".join(assessment.reasons)
    if (stop_from is not None and outcome == ReviewOutcome.KEEP
            and assessment.household_size != enrolment.persons):
        raise DomainError(
            f"家庭成员已死亡，保障人数由 {enrolment.persons} 人变为 {assessment.household_size} 人，"
            "须调整保障金或停保 / a member has died: change or end the benefit",
            field_errors={"outcome": ["须调整或停保"]})
    settled = None
    if current:
        if outcome == ReviewOutcome.END:
            from reemployment.dates import next_month_start

            ended = enrolment_end(actor=actor, enrolment=enrolment, reason=f"复核停保：{note}"[:300],
                                  effective_on=stop_from or next_month_start(on))
            if stop_from is not None:
                settled = _settle_death_months(actor=actor, review=review, enrolment=ended, stop_from=stop_from,
                                               ended=True)
        elif outcome == ReviewOutcome.CHANGE:
            category = new_category or assessment.category
            amount = new_amount if new_amount is not None else assessment.monthly_amount
            changed = enrolment_change(actor=actor, enrolment=enrolment, category=category, monthly_amount=amount,
                                       reason=f"复核调整：{findings}"[:300], effective_on=stop_from or on,
                                       persons=assessment.household_size)
            review.new_category, review.new_amount = category, round_yuan(amount)
            if stop_from is not None:
                settled = _settle_death_months(actor=actor, review=review, enrolment=changed, stop_from=stop_from,
                                               ended=False)
        if outcome != ReviewOutcome.END:
            from reemployment.core.selectors import parameters_in_force

            params = parameters_in_force(review.household.region, on)
            Enrolment.objects.filter(pk=enrolment.pk).update(
                next_review_on=next_review_date(enrolment.area, on, params))
    if settled is not None:
        note += (f"；死亡成员份额自 {stop_from:%Y-%m} 起调整，追回 {settled['claims']} 笔共 {settled['claimed']} 元"
                 + (f"，多追回 {settled['to_refund']} 元应予退还" if settled["to_refund"] else ""))
    before = {"status": review.status}
    review.status = ReviewStatus.DECIDED
    review.outcome = outcome
    review.findings = note
    review.decided_by = _actor_user(actor)
    review.decided_at = timezone.now()
    review.assessment = assessment_json(assessment)
    review.save()
    audit.record(actor=actor, action="review.decide", obj=review, region=review.household.region, before=before,
                 after={"status": review.status, "outcome": outcome, "new_category": review.new_category,
                        "new_amount": review.new_amount, "death_settlement": settled}, note=note)
    return review
