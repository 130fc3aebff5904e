"""State changes of the payroll (发放). Each is validated first and audited.

The computation is set-based: one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` per batch of
enrolment ids, so a rerun, a retried task or two runs at once never write a second line for the
same enrolment and month (the unique constraint ``one_line_per_enrolment_month`` decides).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.models import PAYABLE_STATUSES, Enrolment, EnrolmentStatus, Household, Member
from benefits.payroll.models import (
    OVERPAYMENT_TRANSITIONS,
    RUN_TRANSITIONS,
    Overpayment,
    OverpaymentReason,
    OverpaymentStatus,
    PaymentLine,
    PayrollRun,
    RunStatus,
)
from benefits.pricing import stale_enrolments
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Region, RegionLevel, Role
from reemployment.core.notify import notify
from reemployment.core.permissions import actor_user, is_system, may_act
from reemployment.dates import month_end, month_start
from reemployment.money import round_yuan

DEFAULT_BATCH_SIZE = 50_000
ANALYZE_AFTER_ROWS = 10_000
PAYROLL_ROLES = {Role.COUNTY, Role.ADMIN}
SYSTEM_ACTOR = "system:payroll"


# ---------------------------------------------------------------- helpers


def parse_month(value) -> dt.date:
    """A benefit month as its first day, from a date or "YYYY-MM"."""
    if isinstance(value, dt.date):
        return month_start(value)
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(-01)?", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DomainError(_("月份格式应为 YYYY-MM：%(text)s") % {"text": repr(text)}, code="bad_month")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def require_county_staff(actor, region: Region) -> None:
    """Payroll and its personal-data exports are county civil-affairs business (or admin/system)."""
    if actor is None or (not is_system(actor) and not getattr(actor, "is_authenticated", False)):
        raise PermissionDenied(_("请先登录"))
    if not may_act(actor, region, {Role.COUNTY, Role.ADMIN}):
        raise PermissionDenied(_("只有本县民政局工作人员可以办理发放"))


def _change_run_status(run: PayrollRun, new_status: str) -> None:
    if new_status not in RUN_TRANSITIONS[run.status]:
        raise Conflict(
            _("发放批次不能从“%(before)s”变为“%(after)s”") % {
                "before": RunStatus(run.status).label, "after": RunStatus(new_status).label},
            code="invalid_transition",
        )
    run.status = new_status


def _four_eyes_refusal(actor, run: PayrollRun, step: str) -> str:
    """Maker–checker (制单与审核分离, issue 15 finding 7): why ``actor`` may not take ``step`` ("review" or
    "lock") of ``run``, or "". The person who computed the run's lines as they stand (``computed_by``) may
    neither review nor lock it — a second county user does both. A run the system computed (the beat's
    draft, ``computed_by`` empty) still needs two people: whoever reviews it may not also lock it. The
    system itself (demo seed, tests, tasks) is not a person and is not checked."""
    if is_system(actor):
        return ""
    if run.computed_by_id is not None and run.computed_by_id == actor.pk:
        return _("该月发放由您计算，须由另一名县民政局工作人员审核和锁定（制单与审核分离）")
    if step == "lock" and run.computed_by_id is None and run.reviewed_by_id == actor.pk:
        return _("该月发放由系统计算、由您审核，须由另一名县民政局工作人员锁定（制单与审核分离）")
    return ""


def is_maker(user, run: PayrollRun, step: str = "review") -> bool:
    """Whether maker–checker keeps ``user`` from ``step`` of ``run`` (for the admin's buttons)."""
    return bool(_four_eyes_refusal(user, run, step))


def _lock_run(run_id: int) -> PayrollRun:
    return PayrollRun.objects.select_for_update(of=("self",)).select_related("county").get(pk=run_id)


def _refuse_stale_pricing(county: Region, first: dt.date) -> None:
    """Nothing is paid at a stale amount (提标, issue 14 §1): a standard or amount parameter in force for
    the month that the county's enrolments were not re-priced with refuses the computation."""
    count = stale_enrolments(county, first).count()
    if count:
        raise Conflict(
            _("%(count)s 户待遇金额仍按旧的低保标准或参数核定（%(month)s 起标准或参数已调整），不能计算发放；"
              "请先运行 python manage.py apply_standard_change --county %(code)s --month %(month)s") % {
                "count": count, "code": county.code, "month": first.strftime("%Y-%m")},
            code="stale_pricing")


def _county(region: Region) -> Region:
    if region.level != RegionLevel.COUNTY:
        raise DomainError(_("%(name)s 不是县/区，发放按县办理") % {"name": region.name}, code="not_a_county")
    return region


# ---------------------------------------------------------------- the payable set, in SQL


def _tables() -> dict[str, str]:
    return {
        "line": PaymentLine._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "household": Household._meta.db_table,
        "member": Member._meta.db_table,
        "region": Region._meta.db_table,
    }


def _payable_where(first: dt.date) -> tuple[str, list]:
    """Enrolments payable for the month starting ``first`` (DESIGN.md §2 Payroll):

    * status payable (active, transitional), started by the month's last day, not ended before it starts;
    * or ended with an end date after the month starts (``enrolment_end``: no payment for months starting
      on or after the end date — a death ends it from the following month, so the death month is paid);
    * and not every member had died before the month started (a death stops payment from the next month;
      a household with no member rows is not stopped by this rule).
    """
    t = _tables()
    payable = ", ".join(["%s"] * len(PAYABLE_STATUSES))
    sql = f"""
        e.start_date <= %s
        AND (e.status IN ({payable}) OR (e.status = %s AND e.end_date IS NOT NULL))
        AND (e.end_date IS NULL OR e.end_date > %s)
        AND NOT EXISTS (
            SELECT 1 FROM {t['member']} d WHERE d.household_id = e.household_id AND d.died_on < %s
            AND NOT EXISTS (SELECT 1 FROM {t['member']} m WHERE m.household_id = d.household_id
                            AND (m.died_on IS NULL OR m.died_on >= %s)))
    """
    params = [month_end(first), *[str(s) for s in PAYABLE_STATUSES], str(EnrolmentStatus.ENDED), first, first,
              first]
    return sql, params


def _amount_sql(first: dt.date) -> tuple[str, list]:
    # Enrolment.amount_for_month, in SQL: the transition amount for months inside the transition period.
    sql = ("CASE WHEN e.status = %s AND e.transition_amount IS NOT NULL"
           " AND (e.transition_from IS NULL OR e.transition_from <= %s)"
           " AND (e.transition_until IS NULL OR e.transition_until >= %s)"
           " THEN e.transition_amount ELSE e.monthly_amount END")
    return sql, [str(EnrolmentStatus.TRANSITIONAL), first, first]


def _insert_batch(cursor, run: PayrollRun, first: dt.date, id_from: int, id_to: int) -> int:
    t = _tables()
    where, where_params = _payable_where(first)
    amount, amount_params = _amount_sql(first)
    sql = f"""
        INSERT INTO {t['line']} (run_id, enrolment_id, household_id, region_id, month, amount, persons,
                                 category, area, bank_account, bank_name)
        SELECT %s, e.id, e.household_id, h.region_id, %s, {amount}, e.persons, e.category, e.area,
               h.bank_account, h.bank_name
        FROM {t['enrolment']} e
        JOIN {t['household']} h ON h.id = e.household_id
        JOIN {t['region']} r ON r.id = h.region_id
        WHERE r.path LIKE %s AND e.id >= %s AND e.id < %s AND {amount} > 0 AND {where}
          AND NOT EXISTS (SELECT 1 FROM {t['line']} l WHERE l.enrolment_id = e.id AND l.month = %s)
        ON CONFLICT (enrolment_id, month) DO NOTHING
    """
    # NOT EXISTS skips existing lines cheaply (a rerun); ON CONFLICT is what makes parallel runs safe.
    params = [run.pk, first, *amount_params, run.county.path + "%", id_from, id_to, *amount_params, *where_params,
              first]
    cursor.execute(sql, params)
    return max(cursor.rowcount, 0)


def _remove_stale_lines(cursor, run: PayrollRun, first: dt.date) -> int:
    """Lines of an unlocked run whose enrolment is no longer payable (suspended, ended, died since) or
    whose amount has changed since; the insert that follows writes the current amount."""
    t = _tables()
    where, where_params = _payable_where(first)
    amount, amount_params = _amount_sql(first)
    # One anti-join of the run's lines against the payable set (hashable), not a lookup per line.
    sql = f"""
        DELETE FROM {t['line']} WHERE id IN (
            SELECT l.id FROM {t['line']} l
            LEFT JOIN (SELECT e.id, {amount} AS amount FROM {t['enrolment']} e
                       WHERE e.id IN (SELECT l2.enrolment_id FROM {t['line']} l2 WHERE l2.run_id = %s)
                       AND {where}) p
                   ON p.id = l.enrolment_id AND p.amount = l.amount
            WHERE l.run_id = %s AND p.id IS NULL)
    """
    cursor.execute(sql, [*amount_params, run.pk, *where_params, run.pk])
    return max(cursor.rowcount, 0)


def _enrolment_id_range(county: Region) -> tuple[int, int] | None:
    t = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT MIN(e.id), MAX(e.id) FROM {t['enrolment']} e
                JOIN {t['household']} h ON h.id = e.household_id
                JOIN {t['region']} r ON r.id = h.region_id WHERE r.path LIKE %s""",
            [county.path + "%"],
        )
        low, high = cursor.fetchone()
    return None if low is None else (low, high)


def run_totals(run: PayrollRun) -> dict:
    """Totals of a run with SQL aggregates."""
    totals = PaymentLine.objects.filter(run=run).aggregate(
        lines=Count("id"), households=Count("household", distinct=True), persons=Sum("persons"), amount=Sum("amount"),
    )
    return {"lines": totals["lines"] or 0, "households": totals["households"] or 0,
            "persons": totals["persons"] or 0, "total_amount": totals["amount"] or Decimal("0.00")}


def _store_totals(run: PayrollRun) -> None:
    totals = run_totals(run)
    run.lines, run.households, run.persons = totals["lines"], totals["households"], totals["persons"]
    run.total_amount = round_yuan(totals["total_amount"])


# ---------------------------------------------------------------- runs


@transaction.atomic
def payroll_run_open(*, actor, county: Region, month) -> PayrollRun:
    """The run of a county and month, created as a draft if there is none (idempotent)."""
    county = _county(county)
    require_county_staff(actor, county)
    first = parse_month(month)
    run = PayrollRun.objects.filter(county=county, month=first).first()
    if run:
        return run
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(county=county, month=first)
    except IntegrityError:  # created meanwhile by a parallel request
        return PayrollRun.objects.get(county=county, month=first)
    audit.record(actor=actor, action="payroll.open", obj=run, region=county, after=audit.snapshot(run))
    return run


@dataclass(frozen=True)
class ComputeResult:
    run: PayrollRun
    added: int
    removed: int


def payroll_run_compute(*, actor, county: Region, month, batch_size: int | None = None,
                        task_id: str = "") -> ComputeResult:
    """Compute (or complete) the payroll of a county for a month: one line per payable enrolment.

    Not one transaction on purpose: each batch commits with the run row locked, so the admin's
    progress bar can read the progress and a crash keeps finished batches — the rerun adds only
    what is missing. A locked run is refused (``Conflict``) before and inside every batch.
    """
    county = _county(county)
    require_county_staff(actor, county)
    batch_size = batch_size or getattr(settings, "PAYROLL_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    first = parse_month(month)
    _refuse_stale_pricing(county, first)
    run = payroll_run_open(actor=actor, county=county, month=first)
    id_range = _enrolment_id_range(county)
    batches = [] if id_range is None else list(range(id_range[0], id_range[1] + 1, batch_size))
    with transaction.atomic():
        run = _lock_run(run.pk)
        if run.is_locked:
            raise Conflict(_("%(run)s 已锁定，不能重新计算") % {"run": run}, code="locked")
        if RunStatus.COMPUTED not in RUN_TRANSITIONS[run.status]:
            _change_run_status(run, RunStatus.COMPUTED)  # raises with the right message
        run.progress_done, run.progress_total, run.last_error = 0, len(batches) + 1, ""
        if task_id:
            run.task_id = task_id
        with connection.cursor() as cursor:
            removed = _remove_stale_lines(cursor, run, first)
        run.progress_done = 1
        run.save(update_fields=["progress_done", "progress_total", "last_error", "task_id"])
    added = 0
    for start in batches:
        with transaction.atomic():
            run = _lock_run(run.pk)
            if run.is_locked:
                raise Conflict(_("%(run)s 已锁定") % {"run": run}, code="locked")
            with connection.cursor() as cursor:
                added += _insert_batch(cursor, run, first, start, start + batch_size)
            run.progress_done += 1
            run.save(update_fields=["progress_done"])
    with transaction.atomic():
        run = _lock_run(run.pk)
        if run.is_locked:
            raise Conflict(_("%(run)s 已锁定") % {"run": run}, code="locked")
        before = {"status": run.status, "lines": run.lines, "total_amount": run.total_amount,
                  "computed_by": run.computed_by_id, "reviewed_by": run.reviewed_by_id}
        _change_run_status(run, RunStatus.COMPUTED)
        _store_totals(run)
        run.computed_at = timezone.now()
        # Maker–checker: whoever computed the lines as they now stand is the maker; an earlier review no
        # longer covers them.
        run.computed_by, run.reviewed_by, run.reviewed_at = actor_user(actor), None, None
        run.progress_done = run.progress_total
        run.save()
        if connection.vendor == "postgresql" and added >= ANALYZE_AFTER_ROWS:
            # Fresh statistics after a large insert: later reruns and exports plan hash joins, not loops.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {PaymentLine._meta.db_table}")
        audit.record(actor=actor, action="payroll.compute", obj=run, region=county, before=before,
                     after={"status": run.status, "lines": run.lines, "households": run.households,
                            "persons": run.persons, "total_amount": run.total_amount,
                            "computed_by": run.computed_by_id},
                     note=f"added {added}, removed {removed}")
    return ComputeResult(run=run, added=added, removed=removed)


@transaction.atomic
def payroll_run_request(*, actor, county: Region, month) -> PayrollRun:
    """Ask for a run to be computed by a Celery worker (the admin's button). Enqueued on commit."""
    from benefits.payroll.tasks import compute_payroll

    run = payroll_run_open(actor=actor, county=county, month=month)
    run = _lock_run(run.pk)
    if run.is_locked:
        raise Conflict(_("%(run)s 已锁定") % {"run": run}, code="locked")
    run.progress_done, run.progress_total, run.last_error = 0, 1, ""  # queued: the progress bar polls
    run.save(update_fields=["progress_done", "progress_total", "last_error"])
    audit.record(actor=actor, action="payroll.request", obj=run, region=run.county)
    actor_id = getattr(actor, "pk", None)
    month_text = f"{run.month:%Y-%m}"
    transaction.on_commit(lambda: compute_payroll.delay(run.county_id, month_text, actor_id))
    return run


def _transition(*, actor, run: PayrollRun, new_status: str, action: str, stamp: str | None = None,
                four_eyes: str = "") -> PayrollRun:
    run = _lock_run(run.pk)
    require_county_staff(actor, run.county)
    if four_eyes and (refusal := _four_eyes_refusal(actor, run, four_eyes)):
        raise PermissionDenied(refusal, code="maker_checker")
    before = {"status": run.status, "computed_by": run.computed_by_id, "reviewed_by": run.reviewed_by_id}
    _change_run_status(run, new_status)
    if stamp:
        setattr(run, f"{stamp}_by", actor_user(actor))
        setattr(run, f"{stamp}_at", timezone.now())
    if new_status == RunStatus.COMPUTED:  # review withdrawn: it no longer stands
        run.reviewed_by, run.reviewed_at = None, None
    run.save()
    audit.record(actor=actor, action=action, obj=run, region=run.county, before=before,
                 after={"status": run.status, "computed_by": run.computed_by_id, "reviewed_by": run.reviewed_by_id,
                        "lines": run.lines, "total_amount": run.total_amount})
    return run


@transaction.atomic
def payroll_run_review(*, actor, run: PayrollRun) -> PayrollRun:
    """Mark the computed payroll as checked (审核) — by a county user other than the one who computed it."""
    return _transition(actor=actor, run=run, new_status=RunStatus.REVIEWED, action="payroll.review", stamp="reviewed",
                       four_eyes="review")


@transaction.atomic
def payroll_run_reopen(*, actor, run: PayrollRun) -> PayrollRun:
    """Withdraw the review (back to computed), e.g. to recompute after late changes."""
    return _transition(actor=actor, run=run, new_status=RunStatus.COMPUTED, action="payroll.reopen")


@transaction.atomic
def payroll_run_lock(*, actor, run: PayrollRun) -> PayrollRun:
    """Lock the reviewed month: from now on its lines and totals never change, and its bank file may be
    produced. Not by the person who computed it (nor, for a run the system computed, by its reviewer)."""
    notify("payroll.paid", key=f"payroll-run:{run.pk}", run=run)  # a message per line, after the lock commits
    return _transition(actor=actor, run=run, new_status=RunStatus.LOCKED, action="payroll.lock", stamp="locked",
                       four_eyes="lock")


@transaction.atomic
def payment_lines_cancel(*, actor, enrolment: Enrolment, from_month, reason: str) -> list[PaymentLine]:
    """Withdraw the unpaid lines (months of unlocked runs from ``from_month``) of an enrolment that is
    no longer due, refreshing those runs' totals. Returns the *paid* lines (locked months) from that
    month on, which are overpayments for the caller to claim back."""
    first = parse_month(from_month)
    lines = PaymentLine.objects.filter(enrolment=enrolment, month__gte=first).select_related("run")
    paid = [line for line in lines if line.run.is_locked]
    unpaid = [line for line in lines if not line.run.is_locked]
    runs = {line.run_id for line in unpaid}
    if unpaid:
        PaymentLine.objects.filter(pk__in=[line.pk for line in unpaid]).delete()
        for run_id in runs:
            run = _lock_run(run_id)
            before = {"lines": run.lines, "total_amount": run.total_amount}
            _store_totals(run)
            run.save()
            audit.record(actor=actor, action="payroll.lines_cancel", obj=run, region=run.county, before=before,
                         after={"lines": run.lines, "total_amount": run.total_amount},
                         note=f"enrolment {enrolment.pk}: {reason}")
    return paid


# ---------------------------------------------------------------- bank file


@transaction.atomic
def bank_file_download(*, actor, run: PayrollRun, fmt: str) -> PayrollRun:
    """Check that the actor may download the bank file (personal data) of a locked run and audit the download.

    Returns the run; the caller streams the file (``benefits.payroll.exports``)."""
    if fmt not in {"csv", "xlsx"}:
        raise DomainError(_("文件格式应为 csv 或 xlsx"), code="bad_format")
    run = PayrollRun.objects.select_related("county").get(pk=run.pk)
    require_county_staff(actor, run.county)
    if not is_system(actor) and not actor.is_superuser and actor.role != Role.COUNTY:
        # Personal data: the county's civil-affairs staff only, not the system administrator role.
        raise PermissionDenied(_("银行文件仅限本县民政局工作人员"))
    if run.status != RunStatus.LOCKED:
        # Maker–checker: what goes to the bank is what a second person reviewed and locked, and cannot change.
        raise Conflict(_("银行文件只能从已审核并锁定的发放批次生成（当前：%(status)s）") % {
            "status": RunStatus(run.status).label}, code="not_locked")
    audit.record(actor=actor, action="payroll.bank_file_download", obj=run, region=run.county,
                 after={"format": fmt, "lines": run.lines, "total_amount": run.total_amount})
    return run


# ---------------------------------------------------------------- overpayments (追回)


@transaction.atomic
def overpayment_create(*, actor, household: Household, amount: Decimal, reason: str, note: str = "",
                       enrolment: Enrolment | None = None, payment_line: PaymentLine | None = None,
                       month=None, source_type: str = "", source_id: str = "") -> Overpayment:
    """Record an amount paid that was not due. Idempotent per paid line and source."""
    if reason not in OverpaymentReason.values:
        raise DomainError(_("未知原因 %(reason)s") % {"reason": reason})
    amount = round_yuan(amount)
    if amount <= 0:
        raise DomainError(_("追回金额必须大于零"), code="bad_amount")
    if payment_line is not None:
        if payment_line.household_id != household.pk:
            raise DomainError(_("发放明细不属于该家庭"))
        existing = Overpayment.objects.filter(payment_line=payment_line, source_type=source_type,
                                              source_id=str(source_id)).first()
        if existing:
            return existing
        month = payment_line.month
        enrolment = enrolment or payment_line.enrolment
    overpayment = Overpayment.objects.create(
        household=household, enrolment=enrolment, payment_line=payment_line,
        month=parse_month(month) if month else None, amount=amount, reason=reason, note=note[:300],
        source_type=source_type, source_id=str(source_id),
    )
    audit.record(actor=actor, action="overpayment.create", obj=overpayment, region=household.region,
                 after=audit.snapshot(overpayment), note=note)
    return overpayment


@transaction.atomic
def overpayment_decide(*, actor, overpayment: Overpayment, status: str, decision: str,
                       recovered_amount: Decimal | None = None) -> Overpayment:
    """Close an overpayment: recovered (with the amount actually got back) or waived, with the decision."""
    overpayment = Overpayment.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=overpayment.pk)
    require_county_staff(actor, overpayment.household.region)
    if status not in OVERPAYMENT_TRANSITIONS[overpayment.status]:
        raise Conflict(_("追回款不能从“%(before)s”变为“%(after)s”") % {
            "before": OverpaymentStatus(overpayment.status).label, "after": status},
                       code="invalid_transition")
    if not decision.strip():
        raise DomainError(_("请填写处理决定"), field_errors={"decision": ["required"]})
    before = audit.snapshot(overpayment)
    if status == OverpaymentStatus.RECOVERED:
        recovered = round_yuan(recovered_amount if recovered_amount is not None else overpayment.amount)
        if recovered <= 0 or recovered > overpayment.amount:
            raise DomainError(_("实际追回金额应大于零且不超过应追回金额"),
                              field_errors={"recovered_amount": ["out of range"]})
        overpayment.recovered_amount = recovered
    overpayment.status = status
    overpayment.decision = decision.strip()
    overpayment.decided_by = actor_user(actor)
    overpayment.decided_at = timezone.now()
    overpayment.save()
    audit.record(actor=actor, action="overpayment.decide", obj=overpayment, region=overpayment.household.region,
                 before=before, after=audit.snapshot(overpayment), note=decision)
    return overpayment
