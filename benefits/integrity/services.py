"""State changes of integrity records [R2][R3]. Each is atomic, validated first and audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits import hooks
from benefits import services as benefit_services
from benefits.integrity import rules
from benefits.integrity.models import (
    DEATH_REPORT_TRANSITIONS,
    FRAUD_TRANSITIONS,
    TIP_OFF_TEXT_MAX,
    TIP_OFF_TEXT_MIN,
    TIP_OFF_TRANSITIONS,
    CadreRelation,
    CadreRelative,
    DeathOutcome,
    DeathReport,
    DeathReportStatus,
    FraudCase,
    FraudKind,
    FraudStatus,
    TipOff,
    TipOffChannel,
    TipOffOutcome,
    TipOffStatus,
)
from benefits.models import EnrolmentStatus, Household, Member, ReviewKind, ReviewStatus
from benefits.payroll.models import OverpaymentReason, RunStatus
from benefits.payroll.services import overpayment_create, payment_lines_cancel
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Region, Role, today
from reemployment.core.permissions import actor_user, is_system, may_act
from reemployment.core.scoping import in_jurisdiction
from reemployment.core.selectors import parameters_in_force
from reemployment.dates import month_start, next_month_start
from reemployment.money import round_yuan

CASEWORK_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}
DECIDING_ROLES = {Role.COUNTY, Role.ADMIN}
PORTAL_ACTOR = "public:portal"
DEATH_REVIEW_DAYS = 30
TIP_OFF_REVIEW_DAYS = 30


def _require(actor, region: Region | None, roles=CASEWORK_ROLES) -> None:
    """Staff act only inside their jurisdiction and in the right role (the administrator role in any);
    a system string actor is the service; no actor at all is refused (integrity records name a person)."""
    if actor is None or (not is_system(actor) and not getattr(actor, "is_authenticated", False)):
        raise PermissionDenied(_("请先登录"))
    if not may_act(actor, region, {*roles, Role.ADMIN}):
        raise PermissionDenied(_("该记录不在您的辖区或您无此权限"))


def _check_transition(table: dict, current: str, new: str, label: str) -> None:
    if new not in table[current]:
        raise Conflict(_("%(label)s不能从“%(current)s”变为“%(new)s”") % {
            "label": label, "current": current, "new": new},
                       code="invalid_transition")


# ---------------------------------------------------------------- cadre relatives (干部近亲属备案)


@transaction.atomic
def cadre_relative_register(*, actor, member: Member, cadre_name: str, cadre_post: str, relation: str,
                            cadre_unit: str = "", registered_on: dt.date | None = None,
                            note: str = "") -> CadreRelative:
    """Register (备案) a recipient who is a cadre's close relative. Idempotent per member, cadre and post."""
    member = Member.objects.select_related("household__region").get(pk=member.pk)
    _require(actor, member.household.region)
    cadre_name, cadre_post = cadre_name.strip(), cadre_post.strip()
    errors = {}
    if not cadre_name:
        errors["cadre_name"] = [_("请填写干部姓名")]
    if not cadre_post:
        errors["cadre_post"] = [_("请填写干部职务")]
    if relation not in CadreRelation.values:
        errors["relation"] = [_("未知关系")]
    if registered_on and registered_on > today():
        errors["registered_on"] = [_("备案日期不能晚于今天")]
    if errors:
        raise DomainError(_("备案信息不完整"), field_errors=errors)
    existing = CadreRelative.objects.filter(member=member, cadre_name=cadre_name, cadre_post=cadre_post).first()
    if existing:
        return existing
    registration = CadreRelative.objects.create(
        member=member, cadre_name=cadre_name, cadre_post=cadre_post, cadre_unit=cadre_unit.strip(),
        relation=relation, registered_by=actor_user(actor), registered_on=registered_on or today(), note=note.strip(),
    )
    audit.record(actor=actor, action="integrity.cadre_register", obj=registration, region=member.household.region,
                 after=audit.snapshot(registration))
    # A case already open for the relative's household is flagged to the county now, as at intake.
    benefit_services.household_open_cases_flag(actor=actor, household=member.household)
    return registration


@transaction.atomic
def cadre_relative_save(*, actor, instance: CadreRelative) -> CadreRelative:
    """Admin form save: create through ``cadre_relative_register``; edits audited with before/after."""
    if instance.pk is None:
        return cadre_relative_register(
            actor=actor, member=instance.member, cadre_name=instance.cadre_name, cadre_post=instance.cadre_post,
            relation=instance.relation, cadre_unit=instance.cadre_unit, registered_on=instance.registered_on,
            note=instance.note,
        )
    current = CadreRelative.objects.select_for_update(of=("self",)).select_related("member__household__region").get(pk=instance.pk)
    _require(actor, current.member.household.region)
    _require(actor, Member.objects.select_related("household__region").get(pk=instance.member_id).household.region)
    before = audit.snapshot(current)
    instance.registered_by_id = current.registered_by_id
    instance.save()
    audit.record(actor=actor, action="integrity.cadre_update", obj=instance, region=current.member.household.region,
                 before=before, after=audit.snapshot(instance))
    return instance


@transaction.atomic
def cadre_report_download(*, actor, count: int) -> None:
    """Audit a download of the cadre-relative report (personal data)."""
    if is_system(actor) or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    audit.record(actor=actor, action="integrity.cadre_report_download", object_type="integrity.cadrerelative",
                 object_id="report", region=actor.region, after={"rows": count})


# ---------------------------------------------------------------- tip-offs (举报)

HOUSEHOLD_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,20}$")
REGION_CODE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")


@transaction.atomic
def tip_off_submit(*, text: str, region_code: str | None = None, household_number: str | None = None,
                   contact: str = "", anonymous: bool = True) -> TipOff:
    """A tip-off from the public portal (no login). Anonymous by default: then no contact is kept.

    Stores only what was given (no IP address, no browser data). The region is the one named, or the
    household's if only a household number is given and it exists; the household is linked only when it
    lies in that region. Raises ``DomainError`` with ``field_errors`` on bad input.
    """
    text = (text or "").strip()
    contact = (contact or "").strip()
    household_number = (household_number or "").strip()
    region_code = (region_code or "").strip()
    errors: dict[str, list[str]] = {}
    if len(text) < TIP_OFF_TEXT_MIN:
        errors["text"] = [_("请至少写 %(TIP_OFF_TEXT_MIN)s 个字，说明所举报的情况") % {"TIP_OFF_TEXT_MIN": TIP_OFF_TEXT_MIN}]
    elif len(text) > TIP_OFF_TEXT_MAX:
        errors["text"] = [_("举报内容不超过 %(TIP_OFF_TEXT_MAX)s 字") % {"TIP_OFF_TEXT_MAX": TIP_OFF_TEXT_MAX}]
    if len(contact) > 100:
        errors["contact"] = [_("联系方式不超过 100 字")]
    if not anonymous and not contact:
        errors["contact"] = [_("实名举报请留联系方式")]
    if household_number and not HOUSEHOLD_NUMBER.match(household_number):
        errors["household_number"] = [_("户编号格式不正确")]
    region = None
    if region_code:
        if not REGION_CODE.match(region_code):
            errors["region_code"] = [_("行政区划代码格式不正确")]
        else:
            region = Region.objects.filter(code=region_code).first()
            if region is None:
                errors["region_code"] = [_("未知的行政区划代码")]
    if errors:
        raise DomainError(_("举报信息有误，请修改后再提交"), field_errors=errors)
    household = Household.objects.select_related("region").filter(number=household_number).first() \
        if household_number else None
    if household is not None:
        if region is None:
            region = household.region
        elif not region.contains(household.region):
            household = None
    tip_off = TipOff.objects.create(
        channel=TipOffChannel.PORTAL, text=text, region=region, household=household,
        household_number=household_number, anonymous=anonymous, contact="" if anonymous else contact,
    )
    audit.record(actor=PORTAL_ACTOR, action="integrity.tip_off_submit", obj=tip_off, region=region,
                 after={"channel": tip_off.channel, "region": region.code if region else None,
                        "household": household.pk if household else None, "anonymous": anonymous})
    return tip_off


@transaction.atomic
def tip_off_record(*, actor, text: str, region: Region, household: Household | None = None, contact: str = "",
                   anonymous: bool = True) -> TipOff:
    """A tip-off taken by staff (letter, visit, phone) inside their jurisdiction."""
    _require(actor, region)
    text = (text or "").strip()
    if not TIP_OFF_TEXT_MIN <= len(text) <= TIP_OFF_TEXT_MAX:
        raise DomainError(_("举报内容应为 %(TIP_OFF_TEXT_MIN)s–%(TIP_OFF_TEXT_MAX)s 字") % {
            "TIP_OFF_TEXT_MIN": TIP_OFF_TEXT_MIN, "TIP_OFF_TEXT_MAX": TIP_OFF_TEXT_MAX},
                          field_errors={"text": ["length"]})
    if household is not None and not region.contains(household.region):
        raise DomainError(_("被举报家庭不在所选辖区"),
                          field_errors={"household": ["outside region"]})
    tip_off = TipOff.objects.create(
        channel=TipOffChannel.STAFF, text=text, region=region, household=household,
        household_number=household.number if household else "", anonymous=anonymous,
        contact="" if anonymous else contact.strip()[:100], received_by=actor_user(actor),
    )
    audit.record(actor=actor, action="integrity.tip_off_record", obj=tip_off, region=region,
                 after=audit.snapshot(tip_off, ["channel", "region", "household", "anonymous", "status"]))
    return tip_off


def _lock_tip_off(tip_off: TipOff) -> TipOff:
    return TipOff.objects.select_for_update(of=("self",)).select_related("region", "household__region").get(pk=tip_off.pk)


_TIP_OFF_FIELDS = ["status", "assigned_to", "outcome", "findings", "review", "closed_by", "closed_at"]


@transaction.atomic
def tip_off_assign(*, actor, tip_off: TipOff, assignee) -> TipOff:
    """Give the tip-off to a caseworker whose jurisdiction covers it."""
    tip_off = _lock_tip_off(tip_off)
    _require(actor, tip_off.region, roles={Role.TOWNSHIP, Role.COUNTY, Role.ADMIN})
    if getattr(assignee, "role", None) not in CASEWORK_ROLES or not (
        assignee.role == Role.ADMIN or in_jurisdiction(assignee, tip_off.region)
    ):
        raise DomainError(_("承办人须为该辖区的工作人员"),
                          field_errors={"assignee": ["outside jurisdiction"]})
    _check_transition(TIP_OFF_TRANSITIONS, tip_off.status, TipOffStatus.ASSIGNED, "举报")
    before = audit.snapshot(tip_off, _TIP_OFF_FIELDS)
    tip_off.status = TipOffStatus.ASSIGNED
    tip_off.assigned_to = assignee
    tip_off.save()
    audit.record(actor=actor, action="integrity.tip_off_assign", obj=tip_off, region=tip_off.region, before=before,
                 after=audit.snapshot(tip_off, _TIP_OFF_FIELDS))
    return tip_off


@transaction.atomic
def tip_off_investigate(*, actor, tip_off: TipOff, open_review: bool = True) -> TipOff:
    """Start the investigation; with a known household, open a TIP_OFF review (复核) on it."""
    tip_off = _lock_tip_off(tip_off)
    _require(actor, tip_off.region)
    _check_transition(TIP_OFF_TRANSITIONS, tip_off.status, TipOffStatus.INVESTIGATING, "举报")
    before = audit.snapshot(tip_off, _TIP_OFF_FIELDS)
    tip_off.status = TipOffStatus.INVESTIGATING
    if open_review and tip_off.household_id:
        tip_off.review = benefit_services.review_open(
            actor=actor, household=tip_off.household, kind=ReviewKind.TIP_OFF,
            reason=f"举报核查（举报 #{tip_off.pk}）", due_on=today() + dt.timedelta(days=TIP_OFF_REVIEW_DAYS),
            source_type="integrity.tipoff", source_id=str(tip_off.pk),
        )
    tip_off.save()
    audit.record(actor=actor, action="integrity.tip_off_investigate", obj=tip_off, region=tip_off.region,
                 before=before, after=audit.snapshot(tip_off, _TIP_OFF_FIELDS))
    return tip_off


@transaction.atomic
def tip_off_close(*, actor, tip_off: TipOff, outcome: str, findings: str) -> TipOff:
    """Close with an outcome and what was found (办结)."""
    tip_off = _lock_tip_off(tip_off)
    _require(actor, tip_off.region, roles={Role.TOWNSHIP, Role.COUNTY, Role.ADMIN})
    if outcome not in TipOffOutcome.values:
        raise DomainError(_("请选择办理结果"), field_errors={"outcome": ["required"]})
    if not findings.strip():
        raise DomainError(_("请填写核查情况"), field_errors={"findings": ["required"]})
    _check_transition(TIP_OFF_TRANSITIONS, tip_off.status, TipOffStatus.CLOSED, "举报")
    before = audit.snapshot(tip_off, _TIP_OFF_FIELDS)
    tip_off.status = TipOffStatus.CLOSED
    tip_off.outcome = outcome
    tip_off.findings = findings.strip()
    tip_off.closed_by = actor_user(actor)
    tip_off.closed_at = timezone.now()
    tip_off.save()
    audit.record(actor=actor, action="integrity.tip_off_close", obj=tip_off, region=tip_off.region, before=before,
                 after=audit.snapshot(tip_off, _TIP_OFF_FIELDS))
    return tip_off


# ---------------------------------------------------------------- fraud cases (骗保案件)


@transaction.atomic
def fraud_case_open(*, actor, household: Household, kind: str, summary: str,
                    amount_wrongly_paid: Decimal = Decimal("0.00"), tip_off: TipOff | None = None) -> FraudCase:
    """Open a case (立案) against a household inside the actor's jurisdiction."""
    household = Household.objects.select_related("region").get(pk=household.pk)
    _require(actor, household.region)
    if kind not in FraudKind.values:
        raise DomainError(_("未知案件类型"), field_errors={"kind": ["unknown"]})
    if not summary.strip():
        raise DomainError(_("请填写案情"), field_errors={"summary": ["required"]})
    if amount_wrongly_paid < 0:
        raise DomainError(_("金额不能为负"), field_errors={"amount_wrongly_paid": ["<0"]})
    case = FraudCase.objects.create(household=household, kind=kind, summary=summary.strip(), tip_off=tip_off,
                                    amount_wrongly_paid=round_yuan(amount_wrongly_paid), opened_by=actor_user(actor))
    audit.record(actor=actor, action="integrity.fraud_open", obj=case, region=household.region,
                 after=audit.snapshot(case))
    return case


def check_fine(*, case: FraudCase, serious: bool, fine_amount: Decimal, amount_wrongly_paid: Decimal,
               as_of: dt.date) -> list[str]:
    """The fine bounds of the parameters in force for the household's region (rules.fine_errors)."""
    params = parameters_in_force(case.household.region, as_of)
    errors = rules.fine_errors(
        kind=case.kind, serious=serious, amount_wrongly_paid=amount_wrongly_paid, fine=fine_amount,
        multiplier_min=params.fraud_fine_multiplier_min, multiplier_max=params.fraud_fine_multiplier_max,
        false_certificate_max=params.false_certificate_fine_max,
    )
    return [_(error.message) % error.values for error in errors]


@transaction.atomic
def fraud_case_decide(*, actor, case: FraudCase, decision: str, serious: bool, fine_amount: Decimal,
                      amount_wrongly_paid: Decimal | None = None) -> FraudCase:
    """Decide a case (处理决定, county staff): the fine within its bounds, and the amount wrongly paid
    recorded as an overpayment to recover (追回)."""
    case = FraudCase.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=case.pk)
    _require(actor, case.household.region, roles=DECIDING_ROLES)
    _check_transition(FRAUD_TRANSITIONS, case.status, FraudStatus.DECIDED, "案件")
    amount = round_yuan(case.amount_wrongly_paid if amount_wrongly_paid is None else amount_wrongly_paid)
    fine_amount = round_yuan(fine_amount)
    if not decision.strip():
        raise DomainError(_("请填写处理决定"), field_errors={"decision": ["required"]})
    errors = check_fine(case=case, serious=serious, fine_amount=fine_amount, amount_wrongly_paid=amount, as_of=today())
    if errors:
        raise DomainError(errors[0], field_errors={"fine_amount": errors}, code="fine_out_of_bounds")
    before = audit.snapshot(case)
    case.amount_wrongly_paid = amount
    case.serious = serious
    case.fine_amount = fine_amount
    case.decision = decision.strip()
    case.status = FraudStatus.DECIDED
    case.decided_by = actor_user(actor)
    case.decided_at = timezone.now()
    if case.kind == FraudKind.WRONGFUL_PAYMENT and amount > 0 and case.overpayment_id is None:
        case.overpayment = overpayment_create(
            actor=actor, household=case.household, amount=amount, reason=OverpaymentReason.FRAUD,
            note=f"骗保案件 #{case.pk} 追回", source_type="integrity.fraudcase", source_id=str(case.pk),
        )
    case.save()
    audit.record(actor=actor, action="integrity.fraud_decide", obj=case, region=case.household.region,
                 before=before, after=audit.snapshot(case), note=decision)
    return case


# ---------------------------------------------------------------- deaths (死亡报告)

# Who may confirm or reject a death received from a department file: the staff who may report one.
DEATH_CONFIRM_ROLES = CASEWORK_ROLES
_DEATH_FIELDS = ["status", "outcome", "stop_from", "overpayment_count", "overpayment_amount", "review",
                 "decided_by", "decided_at", "decision_note"]
FLAG_SOURCE = "checks.flag"  # a death received from benefits.checks: source_id is the flag's id


def _check_death_date(member: Member, died_on: dt.date) -> None:
    if died_on > today():
        raise DomainError(_("死亡日期不能晚于今天"),
                          field_errors={"died_on": ["future"]})
    if died_on < member.birth_date:
        raise DomainError(_("死亡日期早于出生日期"),
                          field_errors={"died_on": ["before birth"]})


@transaction.atomic
def member_death_record(*, actor, member: Member, died_on: dt.date) -> Member:
    """Set a member's date of death (Member.died_on), audited. Used by the death report."""
    member = Member.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=member.pk)
    _require(actor, member.household.region)
    _check_death_date(member, died_on)
    if member.died_on == died_on:
        return member
    before = {"died_on": member.died_on}
    member.died_on = died_on
    member.save(update_fields=["died_on"])
    audit.record(actor=actor, action="member.death_record", obj=member, region=member.household.region,
                 before=before, after={"died_on": died_on})
    return member


def _enrolment_actor(actor):
    """Ending an enrolment is county business (benefits.services); a death stops payment by rule, so a
    township or community report applies it as the system on the reporter's behalf (both are audited)."""
    if is_system(actor) or actor.is_superuser or actor.role in DECIDING_ROLES:
        return actor
    return f"system:death-report({actor.username})"


def _death_apply(actor, report: DeathReport) -> DeathReport:
    """Record the death of ``report`` (a staff report, or a received one being confirmed) and mark it confirmed:

    * the member's date of death (``member_death_record``);
    * when no living member is left, end the enrolment from the first day of the next month and claim
      back every paid line of a later month in full (unpaid lines of unlocked months are withdrawn);
    * otherwise a DEATH review of the household (the one already open for the report, if any) and the
      deceased's per-person share of any paid line of a later month claimed back (the review sets the
      new amount).

    Runs inside the caller's transaction; the caller audits the report.
    """
    household = report.household
    died_on = report.died_on
    member_death_record(actor=actor, member=report.member, died_on=died_on)
    stop_from = next_month_start(died_on)
    enrolment = household.enrolments.exclude(status=EnrolmentStatus.ENDED).first()
    living = household.members.filter(died_on__isnull=True, left_on__isnull=True).exists()
    report.outcome = DeathOutcome.NO_ENROLMENT
    overpaid = []
    if enrolment is not None and not living:
        benefit_services.enrolment_end(actor=_enrolment_actor(actor), enrolment=enrolment, effective_on=stop_from,
                                       reason=f"对象死亡（{died_on}），次月起停发")
        paid = payment_lines_cancel(actor=actor, enrolment=enrolment, from_month=stop_from,
                                    reason="death report")
        overpaid = [(line, line.amount, "死亡后继续发放") for line in paid]
        report.outcome, report.stop_from = DeathOutcome.ENROLMENT_ENDED, stop_from
    elif enrolment is not None:
        if report.review_id is None or report.review.status != ReviewStatus.OPEN:
            report.review = benefit_services.review_open(
                actor=actor, household=household, kind=ReviewKind.DEATH, enrolment=enrolment,
                reason=f"家庭成员死亡（{died_on}），调整保障人数和金额",
                due_on=today() + dt.timedelta(days=DEATH_REVIEW_DAYS),
                source_type="integrity.deathreport", source_id=str(report.pk),
            )
        report.outcome, report.stop_from = DeathOutcome.REVIEW_OPENED, stop_from
        paid = enrolment.payment_lines.filter(month__gte=stop_from, run__status=RunStatus.LOCKED)
        overpaid = [(line, round_yuan(line.amount / max(line.persons, 1)), "死亡成员的人均份额（复核确定）")
                    for line in paid]
    total = Decimal("0.00")
    for line, amount, note in overpaid:
        if amount <= 0:
            continue
        overpayment_create(actor=actor, household=household, amount=amount, reason=OverpaymentReason.DEATH,
                           payment_line=line, note=f"死亡报告 #{report.pk}：{note}",
                           source_type="integrity.deathreport", source_id=str(report.pk))
        total += amount
    report.overpayment_count = len([1 for _, amount, _ in overpaid if amount > 0])
    report.overpayment_amount = total
    report.status = DeathReportStatus.CONFIRMED
    report.save()
    return report


def _live_reports(member: Member):
    return DeathReport.objects.filter(member=member).exclude(status=DeathReportStatus.REJECTED)


@transaction.atomic
def death_report_record(*, actor, member: Member, died_on: dt.date, source: str = "") -> DeathReport:
    """A death reported by staff (死亡报告): recorded at once (see :func:`_death_apply`).

    Idempotent: reporting the same death again returns the first report. When the death is already in the
    report *pending* (received from a department file) with the same date, the staff report confirms it; with
    another date it is refused until the pending one is confirmed or rejected.
    """
    member = Member.objects.select_related("household__region").get(pk=member.pk)
    household = member.household
    _require(actor, household.region)
    existing = _live_reports(member).first()
    if existing:
        if existing.died_on != died_on:
            if existing.status == DeathReportStatus.PENDING:
                raise Conflict(_("该成员有待确认的部门比对死亡信息（死亡日期 %(died_on)s），请先在死亡报告中确认或驳回") % {
                    "died_on": existing.died_on},
                               code="conflict")
            raise Conflict(_("该成员已有死亡报告，日期不同"), code="conflict")
        if existing.status == DeathReportStatus.PENDING:
            return death_report_confirm(actor=actor, report=existing,
                                        note=f"工作人员登记死亡报告{f'（{source}）' if source else ''}，与部门比对信息一致")
        return existing
    _check_death_date(member, died_on)
    report = DeathReport.objects.create(
        member=member, household=household, died_on=died_on, report_month=month_start(today()), source=source[:100],
        reported_by=actor_user(actor), decided_by=actor_user(actor), decided_at=timezone.now(),
    )
    _death_apply(actor, report)
    audit.record(actor=actor, action="integrity.death_report", obj=report, region=household.region,
                 after=audit.snapshot(report))
    return report


@transaction.atomic
def death_report_receive(*, actor, member: Member, died_on: dt.date, source: str = "", source_type: str = "",
                         source_id: str = "", review=None) -> DeathReport:
    """A death from another department's data (e.g. 公安死亡数据 through benefits.checks): entered in the
    monthly death report as **pending confirmation**. Nothing of the member, the enrolment or the payments
    changes until staff confirm it (:func:`death_report_confirm`); they may reject it as a data error
    (:func:`death_report_reject`). ``review`` is the review already opened for the finding, if any.

    Idempotent: a member with a report that is not rejected gets no second one (the first is returned).
    """
    member = Member.objects.select_related("household__region").get(pk=member.pk)
    household = member.household
    _require(actor, household.region)
    _check_death_date(member, died_on)
    existing = _live_reports(member).first()
    if existing:
        return existing
    report = DeathReport.objects.create(
        member=member, household=household, died_on=died_on, report_month=month_start(today()), source=source[:100],
        source_type=source_type[:40], source_id=str(source_id)[:40], status=DeathReportStatus.PENDING, review=review,
        reported_by=actor_user(actor),
    )
    audit.record(actor=actor, action="integrity.death_report_receive", obj=report, region=household.region,
                 after=audit.snapshot(report))
    return report


def _require_staff_user(actor) -> None:
    # Confirming a death changes the household's record: a person decides, never the import itself.
    if is_system(actor) or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("部门比对的死亡信息须由工作人员核实"))


def _lock_death_report(report: DeathReport) -> DeathReport:
    return (DeathReport.objects.select_for_update(of=("self",))
            .select_related("member", "household__region", "review").get(pk=report.pk))


def _settle_source(actor, report: DeathReport, note: str) -> None:
    """Close what the report came from (a department-check flag is resolved with the decision): through
    ``benefits.hooks``, since benefits.checks sits above integrity and registers the settler."""
    hooks.settle_death_source(actor=actor, source_type=report.source_type, source_id=report.source_id, note=note)


@transaction.atomic
def death_report_confirm(*, actor, report: DeathReport, note: str = "") -> DeathReport:
    """Confirm a pending death report (核实确认): staff of the household's jurisdiction. The death is then
    recorded as a staff report would be (:func:`_death_apply`: date of death, payment stopped from the next
    month or a review, recovery of what was paid after it), and the flag it came from is resolved."""
    _require_staff_user(actor)
    report = _lock_death_report(report)
    _require(actor, report.household.region, roles=DEATH_CONFIRM_ROLES)
    _check_transition(DEATH_REPORT_TRANSITIONS, report.status, DeathReportStatus.CONFIRMED, "死亡报告")
    before = audit.snapshot(report, _DEATH_FIELDS)
    note = (note or "").strip()
    report.decided_by = actor_user(actor)
    report.decided_at = timezone.now()
    report.decision_note = note
    _death_apply(actor, report)
    audit.record(actor=actor, action="integrity.death_report_confirm", obj=report, region=report.household.region,
                 before=before, after=audit.snapshot(report, _DEATH_FIELDS), note=note)
    _settle_source(actor, report, f"确认死亡（死亡报告 #{report.pk}）" + (f"：{note}" if note else ""))
    return report


@transaction.atomic
def death_report_reject(*, actor, report: DeathReport, note: str) -> DeathReport:
    """Reject a pending death report as a data error (驳回): closed with the note; nothing else changes — the
    member stays alive in the record and payment continues. The flag it came from is resolved."""
    _require_staff_user(actor)
    report = _lock_death_report(report)
    _require(actor, report.household.region, roles=DEATH_CONFIRM_ROLES)
    note = (note or "").strip()
    if len(note) < 2:
        raise DomainError(_("请填写驳回理由（如 经入户核实本人健在）"),
                          field_errors={"note": ["required"]})
    _check_transition(DEATH_REPORT_TRANSITIONS, report.status, DeathReportStatus.REJECTED, "死亡报告")
    before = audit.snapshot(report, _DEATH_FIELDS)
    report.status = DeathReportStatus.REJECTED
    report.decided_by = actor_user(actor)
    report.decided_at = timezone.now()
    report.decision_note = note
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor=actor, action="integrity.death_report_reject", obj=report, region=report.household.region,
                 before=before, after=audit.snapshot(report, _DEATH_FIELDS), note=note)
    _settle_source(actor, report, f"驳回（死亡报告 #{report.pk}，数据有误）：{note}")
    return report
