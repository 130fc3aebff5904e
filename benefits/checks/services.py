"""State changes of department checks: uploads, processing, flags, roster follow-ups.

Every contradiction found in a department file becomes a :class:`Flag` and opens a review
through ``benefits.services.review_open`` — the household's own record is never changed here. A death
is also entered in the monthly death report (``benefits.integrity``) as *pending*: it is recorded only
when staff confirm it (resolving the flag with the outcome "confirmed", or confirming the report).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.checks import matching, parsing
from benefits.checks.models import (
    FILE_TRANSITIONS,
    FLAG_TRANSITIONS,
    FOLLOW_UP_TRANSITIONS,
    DepartmentFile,
    FileStatus,
    Flag,
    FlagKind,
    FlagStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    PovertyRosterEntry,
)
from benefits.checks.selectors import roster_reconciliation
from benefits.checks.sources import ROSTER_SOURCE, SOURCES
from benefits.integrity.models import DeathReport, DeathReportStatus
from benefits.integrity.services import (
    FLAG_SOURCE,
    death_report_confirm,
    death_report_receive,
    death_report_reject,
)
from benefits.models import Household, Member, ReviewKind
from benefits.services import application_submit, review_open
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import Region, RegionLevel, Role, today
from reemployment.core.permissions import actor_user, is_system, require
from reemployment.core.selectors import parameters_in_force

logger = logging.getLogger(__name__)

UPLOAD_ROLES = {Role.COUNTY, Role.ADMIN}
RESOLVE_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}
SYSTEM_ACTOR = "system:checks"
# Findings recorded per transaction: the progress bar moves after each batch (a flag with its review
# costs ~9 ms on PostgreSQL, so 250 findings ≈ 2 s between updates).
RECORD_BATCH = 250
# Resolving a death flag whose death waits in the death report: what staff found.
DEATH_CONFIRMED = DeathReportStatus.CONFIRMED
DEATH_REJECTED = DeathReportStatus.REJECTED
DEATH_OUTCOMES = {DEATH_CONFIRMED: "确认死亡", DEATH_REJECTED: "驳回（数据有误）"}


def _set_status(obj, new_status: str, table: dict) -> None:
    if new_status not in table[obj.status]:
        raise Conflict(_("状态不能从 %(before)s 变为 %(after)s") % {
            "before": obj.status, "after": new_status}, code="invalid_transition")
    obj.status = new_status


def storage_dir() -> Path:
    """Where uploads are kept: outside MEDIA_ROOT (never served), ``settings.CHECKS_IMPORT_DIR`` if set,
    else ``VAR_DIR/imports/checks``. They carry personal data."""
    path = Path(getattr(settings, "CHECKS_IMPORT_DIR", None) or Path(settings.VAR_DIR) / "imports" / "checks")
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def department_file_upload(*, actor, source: str, region: Region, name: str, content: bytes,
                           process: bool = True) -> DepartmentFile:
    """Accept an upload (county staff): size and duplicate checks, store, queue the processing task."""
    if source not in SOURCES:
        raise DomainError(_("未知的数据来源 %(source)s") % {"source": source}, code="unknown_source")
    require(actor, region, UPLOAD_ROLES)
    if region.level not in {RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE}:
        raise DomainError(_("比对文件按县（区）上传"), code="not_county")
    if len(content) > settings.MAX_IMPORT_BYTES:
        raise DomainError(_("文件过大：%(content)s 字节，上限 %(MAX_IMPORT_BYTES)s 字节") % {
            "content": len(content), "MAX_IMPORT_BYTES": settings.MAX_IMPORT_BYTES}, code="too_large")
    if not content.strip():
        raise DomainError(_("文件为空"), code="empty")
    digest = hashlib.sha256(content).hexdigest()
    earlier = DepartmentFile.objects.filter(sha256=digest).exclude(status=FileStatus.REJECTED).first()
    if earlier is not None:
        raise Conflict(
            _("该文件已于 %(uploaded)s 上传过（“%(original_name)s”，编号 %(earlier_pk)s），不能重复导入") % {
                "uploaded": format(timezone.localtime(earlier.uploaded_at), "%Y-%m-%d %H:%M"), "original_name": earlier.original_name, "earlier_pk": earlier.pk},
            code="duplicate_file",
        )
    suffix = ".xlsx" if content.startswith(parsing.XLSX_MAGIC) else ".csv"
    stored = storage_dir() / f"{digest}{suffix}"
    stored.write_bytes(content)
    department_file = DepartmentFile.objects.create(
        source=source, region=region, original_name=Path(name).name[:255] or "upload", stored_path=str(stored),
        size=len(content), sha256=digest, uploaded_by=actor_user(actor),
    )
    audit.record(actor=actor, action="checks.file_upload", obj=department_file, region=region,
                 after={"source": source, "sha256": digest, "size": len(content), "name": department_file.original_name})
    if process:
        from benefits.checks.tasks import process_department_file

        # robust: with in-process tasks (the embedded default) a failure of the processing must not turn the
        # upload itself into an error page — the file's own status and message tell what happened.
        transaction.on_commit(lambda: process_department_file.delay(department_file.pk), robust=True)
    return department_file


def _progress(department_file: DepartmentFile, value: float, message: str = "") -> None:
    # Written outside the result transaction so the admin's progress bar sees it while the task runs.
    fields = {"progress": max(0, min(100, int(value)))}
    if message:
        fields["message"] = message[:500]
    DepartmentFile.objects.filter(pk=department_file.pk).update(**fields)


def _reject(department_file: DepartmentFile, *, errors: list[dict], error_count: int, message: str,
            rows: int = 0, encoding: str = "", flags_created: int = 0) -> DepartmentFile:
    with transaction.atomic():
        department_file = DepartmentFile.objects.select_for_update().get(pk=department_file.pk)
        _set_status(department_file, FileStatus.REJECTED, FILE_TRANSITIONS)
        department_file.errors = errors
        department_file.error_count = error_count
        department_file.message = message[:500]
        department_file.rows = rows
        department_file.encoding = encoding
        department_file.flags_created = flags_created
        department_file.progress = 100
        department_file.finished_at = timezone.now()
        department_file.save()
        audit.record(actor=SYSTEM_ACTOR, action="checks.file_rejected", obj=department_file,
                     region=department_file.region, after={"error_count": error_count, "flags_created": flags_created},
                     note=message[:300])
    return department_file


def department_file_process(*, file_id: int) -> DepartmentFile:
    """Validate (all-or-nothing), match and record the findings of one uploaded file. Idempotent:
    a file that is already done or rejected is returned as it is."""
    with transaction.atomic():
        department_file = (DepartmentFile.objects.select_for_update(of=("self",)).select_related("region")
                           .get(pk=file_id))
        if department_file.status != FileStatus.PENDING:
            return department_file
        _set_status(department_file, FileStatus.PROCESSING, FILE_TRANSITIONS)
        department_file.progress = 1
        department_file.save(update_fields=["status", "progress"])
    source = SOURCES[department_file.source]
    # Reading and checking: whatever goes wrong, the file ends rejected with the reason — never left
    # "processing" (which would also refuse the corrected file as a duplicate).
    try:
        raw = Path(department_file.stored_path).read_bytes()
        frame, encoding = parsing.read_table(raw, department_file.original_name)
        del raw
        _progress(department_file, 10, _("读取完成，正在校验"))
        region_codes = None
        if department_file.source == ROSTER_SOURCE:
            region_codes = set(Region.objects.filter(path__startswith=department_file.region.path)
                               .values_list("code", flat=True))
        validated = parsing.validate(frame, source, region_codes=region_codes)
        rows = len(frame)
        del frame
    except parsing.FileRejected as exc:
        return _reject(department_file, errors=[{"row": 0, "column": "", "value": "", "message": exc.message}],
                       error_count=1, message=exc.message)
    except OSError as exc:
        return _reject(department_file, errors=[], error_count=0, message=_("文件无法读取：%(error)s") % {
            "error": exc})
    except Exception as exc:
        logger.exception("department file %s could not be read", department_file.pk)
        message = _("文件无法读取：%(error)s") % {"error": type(exc).__name__}
        return _reject(department_file, errors=[{"row": 0, "column": "", "value": "", "message": message}],
                       error_count=1, message=message)
    if validated.error_count:
        return _reject(department_file, errors=validated.errors, error_count=validated.error_count, rows=rows,
                       encoding=encoding,
                       message=_("%(error_count)s 行有错误，整个文件未导入") % {"error_count": validated.error_count})
    _progress(department_file, 30, _("校验通过，正在比对"))
    try:
        if department_file.source == ROSTER_SOURCE:
            return _load_roster(department_file, validated.frame, encoding=encoding, rows=rows)
        return _check_rows(department_file, validated.frame, encoding=encoding, rows=rows)
    except Exception as exc:  # keep the file's state truthful, then let the task see the error
        logger.exception("department file %s failed", department_file.pk)
        # Findings are recorded in batches (each batch with its reviews in one transaction): say how many
        # were recorded before the failure. Sending the file again adds the rest (open flags are not repeated).
        recorded = Flag.objects.filter(department_file_id=department_file.pk).count()
        message = _("处理失败：%(error)s") % {"error": type(exc).__name__}
        if recorded:
            message = (_("处理失败（%(error)s），失败前已登记疑点 %(recorded)s 个；重新上传该文件可继续，已登记的不会重复") % {
                "error": type(exc).__name__, "recorded": recorded})
        _reject(department_file, errors=[], error_count=0, message=message, flags_created=recorded)
        raise


def _check_rows(department_file: DepartmentFile, frame, *, encoding: str, rows: int) -> DepartmentFile:
    region = department_file.region
    members = matching.member_map(region)
    _progress(department_file, 45)
    matched = matching.match(matching.prepare_rows(frame, department_file.source), members,
                             progress=lambda share: _progress(department_file, 45 + 25 * share))
    ctx = matching.CheckContext(region=region, params=parameters_in_force(region, today()), as_of=today(),
                                members=members)
    findings = matching.CHECKERS[department_file.source](matched, ctx)
    recording = _("发现 %(findings)s 个疑点，正在登记") % {"findings": len(findings)}
    _progress(department_file, 75, recording)
    created = _record_findings(department_file, findings,
                               progress=lambda share: _progress(department_file, 75 + 24 * share, recording))
    with transaction.atomic():
        department_file = (DepartmentFile.objects.select_for_update(of=("self",))
                           .select_related("region", "uploaded_by").get(pk=department_file.pk))
        _set_status(department_file, FileStatus.DONE, FILE_TRANSITIONS)
        department_file.encoding = encoding
        department_file.rows = rows
        department_file.matched_rows = len(matched)
        department_file.flags_created = len(created)
        department_file.progress = 100
        department_file.errors = []
        department_file.error_count = 0
        department_file.message = (_("%(rows)s 行，匹配 %(matched)s 行，新增疑点 %(created)s 个") % {
            "rows": rows, "matched": len(matched), "created": len(created)})
        department_file.finished_at = timezone.now()
        department_file.save()
        audit.record(actor=department_file.uploaded_by or SYSTEM_ACTOR, action="checks.file_processed",
                     obj=department_file, region=region,
                     after={"rows": rows, "matched": len(matched), "findings": len(findings),
                            "flags_created": len(created)})
    return department_file


def _record_findings(department_file: DepartmentFile, findings: list[matching.Finding], *,
                     progress=None, batch_size: int | None = None) -> list[Flag]:
    """Create one flag per new finding (an open flag for the same finding is kept) and open its review.

    Findings are recorded ``batch_size`` at a time, each batch (flags, reviews, death-report entries) in
    its own transaction, and ``progress(share)`` is called after each — so the admin's progress bar moves
    while a file with many contradictions is recorded. A failure keeps the batches already committed:
    they are real findings, and sending the file again adds only what is missing.
    """
    if not findings:
        return []
    household_ids = {f.household_id for f in findings}
    existing = set(Flag.objects.filter(status=FlagStatus.OPEN, household_id__in=household_ids)
                   .values_list("household_id", "kind", "fingerprint"))
    new, seen = [], set()
    for finding in findings:
        key = (finding.household_id, finding.kind, finding.fingerprint)
        if key in existing or key in seen:
            continue
        seen.add(key)
        new.append(finding)
    households = Household.objects.select_related("region").in_bulk({f.household_id for f in new})
    actor = department_file.uploaded_by or SYSTEM_ACTOR
    batch_size = batch_size or RECORD_BATCH
    created: list[Flag] = []
    for start in range(0, len(new), batch_size):
        batch = new[start:start + batch_size]
        with transaction.atomic():
            created += _record_batch(department_file, batch, households, actor)
        if progress is not None:
            progress((start + len(batch)) / len(new))
    return created


def _record_batch(department_file: DepartmentFile, findings: list[matching.Finding], households: dict,
                  actor) -> list[Flag]:
    flags = Flag.objects.bulk_create([
        Flag(household_id=f.household_id, member_id=f.member_id, kind=f.kind, fingerprint=f.fingerprint,
             details=audit.jsonable(f.details), department_file=department_file)
        for f in findings
    ], batch_size=2000)
    if not flags or flags[0].pk is None:  # databases that do not return ids from bulk inserts
        # This batch's flags are the file's flags without a review yet (earlier batches have theirs).
        flags = list(Flag.objects.filter(department_file=department_file, review__isnull=True).order_by("id"))
    for flag, finding in zip(flags, findings, strict=True):
        flag.review = review_open(actor=actor, household=households[finding.household_id], kind=finding.review_kind,
                                  reason=(finding.reason or str(FlagKind(finding.kind).label))[:300],
                                  source_type="checks.flag", source_id=str(flag.pk))
        if finding.kind == FlagKind.DEATH:
            _feed_death_report(actor=actor, flag=flag, finding=finding)
    Flag.objects.bulk_update(flags, ["review", "details"], batch_size=2000)
    return flags


def _feed_death_report(*, actor, flag: Flag, finding: matching.Finding) -> DeathReport | None:
    """Enter the death in the monthly death report (benefits.integrity) as *pending confirmation*.

    Nothing of the member, the enrolment or the payments changes here: staff confirm the death (resolving
    the flag with the outcome "confirmed", or confirming the report) or reject it as a data error. The
    report shares the flag's DEATH review. A death the report refuses (a date in the future or before the
    birth date) stays a flag with its review, and the flag's details say why.
    """
    died_on = finding.details.get("died_on")
    if not died_on:
        return None
    try:
        with transaction.atomic():  # a savepoint: a refusal must not break the batch's transaction
            report = death_report_receive(
                actor=actor, member=Member.objects.get(pk=flag.member_id), died_on=dt.date.fromisoformat(died_on),
                source=f"部门比对：公安死亡数据（比对文件 #{flag.department_file_id}）", source_type=FLAG_SOURCE,
                source_id=str(flag.pk), review=flag.review,
            )
    except DomainError as exc:
        logger.warning("death report refused for flag %s: %s", flag.pk, exc.code)
        flag.details = {**flag.details, "death_report": _("未记入死亡报告：%(error)s") % {"error": exc.message}}
        return None
    flag.details = {**flag.details, "death_report": report.pk}
    return report


def _load_roster(department_file: DepartmentFile, frame, *, encoding: str, rows: int) -> DepartmentFile:
    region_ids = dict(Region.objects.filter(path__startswith=department_file.region.path).values_list("code", "id"))
    member_ids = dict(Member.objects.filter(id_number__in=list(frame["id_number"].unique()))
                      .values_list("id_number", "id"))
    entries = [
        PovertyRosterEntry(
            department_file=department_file, region_id=region_ids[r.region_code],
            poor_household_number=r.poor_household_number, id_number=r.id_number, name=r.name,
            relation=getattr(r, "relation", "") or "", status=r.status,
            left_year=None if "left_year" not in frame or _isna(r.left_year) else int(r.left_year),
            member_id=member_ids.get(r.id_number),
        )
        for r in frame.itertuples()
    ]
    with transaction.atomic():
        department_file = DepartmentFile.objects.select_for_update().get(pk=department_file.pk)
        PovertyRosterEntry.objects.bulk_create(entries, batch_size=5000)
        _set_status(department_file, FileStatus.DONE, FILE_TRANSITIONS)
        matched = sum(1 for e in entries if e.member_id)
        department_file.encoding = encoding
        department_file.rows = rows
        department_file.matched_rows = matched
        department_file.progress = 100
        department_file.message = _("建档立卡 %(rows)s 人，匹配到家庭成员 %(matched)s 人") % {
            "rows": rows, "matched": matched}
        department_file.finished_at = timezone.now()
        department_file.save()
        audit.record(actor=department_file.uploaded_by or SYSTEM_ACTOR, action="checks.roster_loaded",
                     obj=department_file, region=department_file.region, after={"rows": rows, "matched": matched})
    return department_file


def _isna(value) -> bool:
    return value is None or bool(pd.isna(value))


def pending_death_report(flag: Flag) -> DeathReport | None:
    """The death-report entry of a death flag that still waits for staff to confirm or reject it."""
    if flag.kind != FlagKind.DEATH:
        return None
    return DeathReport.objects.filter(source_type=FLAG_SOURCE, source_id=str(flag.pk),
                                      status=DeathReportStatus.PENDING).first()


_RESOLUTION_FIELDS = ["status", "resolution_note", "resolved_by", "resolved_at"]


def _resolve(actor, flag: Flag, note: str) -> Flag:
    before = audit.snapshot(flag, _RESOLUTION_FIELDS)
    _set_status(flag, FlagStatus.RESOLVED, FLAG_TRANSITIONS)
    flag.resolution_note = note
    flag.resolved_by = actor_user(actor)
    flag.resolved_at = timezone.now()
    flag.save(update_fields=_RESOLUTION_FIELDS)
    audit.record(actor=actor, action="checks.flag_resolve", obj=flag, region=flag.household.region, before=before,
                 after=audit.snapshot(flag, _RESOLUTION_FIELDS), note=note)
    return flag


@transaction.atomic
def flag_resolve(*, actor, flag: Flag, note: str, outcome: str = "") -> Flag:
    """Resolve a flag with a note (township/community staff of its jurisdiction, or county).

    A death flag whose death waits in the death report needs an ``outcome``: ``"confirmed"`` records the
    death (``benefits.integrity.services.death_report_confirm``: date of death, payment stopped from the
    next month, recovery of what was paid after it); ``"rejected"`` closes the report as a data error and
    changes nothing. Either way the flag is resolved with the note, and everything is audited.
    """
    flag = Flag.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=flag.pk)
    require(actor, flag.household.region, RESOLVE_ROLES)
    note = (note or "").strip()
    if len(note) < 2:
        raise DomainError(_("请填写处理说明"), field_errors={"note": ["required"]})
    if FlagStatus.RESOLVED not in FLAG_TRANSITIONS[flag.status]:
        _set_status(flag, FlagStatus.RESOLVED, FLAG_TRANSITIONS)  # raises the usual Conflict
    report = pending_death_report(flag)
    if report is None:
        if outcome:
            raise DomainError(_("此疑点没有待确认的死亡信息，无需选择核实结论"), field_errors={"outcome": ["not applicable"]})
        return _resolve(actor, flag, note)
    if outcome == DEATH_CONFIRMED:
        death_report_confirm(actor=actor, report=report, note=note)
    elif outcome == DEATH_REJECTED:
        death_report_reject(actor=actor, report=report, note=note)
    else:
        raise DomainError(_("请选择核实结论：确认死亡，或驳回（数据有误）"), field_errors={"outcome": ["required"]})
    flag.refresh_from_db()  # resolved by death_flag_settle, in this transaction
    return flag


def death_flag_settle(*, actor, flag_id: int, note: str) -> Flag | None:
    """Resolve the death flag a death report came from once staff confirmed or rejected that report.

    Called by ``benefits.integrity`` inside its transaction (after its own role and jurisdiction check);
    a flag that is already resolved is left as it is.
    """
    flag = (Flag.objects.select_for_update(of=("self",)).select_related("household__region")
            .filter(pk=flag_id).first())
    if flag is None or flag.status != FlagStatus.OPEN:
        return flag
    require(actor, flag.household.region, RESOLVE_ROLES)
    return _resolve(actor, flag, note[:2000])


# Roster reconciliation follow-ups (建档立卡比对) --------------------------------------------------

FINDING_UNCOVERED = "uncovered"  # 应保未保
FINDING_PARTIAL = "partial"  # 一户保一人
FINDING_LEFT = "left_receiving"  # 已脱贫仍享受
FINDINGS = (FINDING_UNCOVERED, FINDING_PARTIAL, FINDING_LEFT)


def _refer_to_application(actor, row: dict, poor_household_number: str) -> tuple[Household | None, str]:
    """For 应保未保: when the poor household is registered here and the actor is community/village staff
    (who take applications, 受理), take the application (``benefits.services.application_submit``);
    otherwise the follow-up stays a referral note. Returns the household and a line for the note."""
    ids = row.get("registered_household_ids") or []
    if not ids:
        return None, "\n" + _("该户未在本系统登记家庭信息，请先登记。")
    household = Household.objects.select_related("region").get(pk=ids[0])
    if is_system(actor) or actor.role != Role.COMMUNITY:
        return household, "\n" + _("由社区/村工作人员受理申请。")
    try:
        with transaction.atomic():
            application = application_submit(
                actor=actor, household=household,
                reason=f"建档立卡比对：未脱贫户 {poor_household_number} 未纳入低保（应保未保），转介申请")
    except DomainError as exc:
        return household, "\n" + _("未能受理申请：%(error)s") % {"error": exc.message}
    return household, "\n" + _("已受理低保申请 %(number)s。") % {"number": application.number}


@transaction.atomic
def poverty_follow_up(*, actor, finding: str, poor_household_number: str) -> FollowUp:
    """Act on one line of a reconciliation list (idempotent while the follow-up is open).

    应保未保 → a referral note asking the community/village to help the household apply.
    一户保一人 / 已脱贫仍享受 → a flag on the dibao household and a DATA_FLAG review.
    """
    if finding not in FINDINGS:
        raise DomainError(_("未知的比对结论 %(finding)s") % {"finding": finding})
    lists = roster_reconciliation(actor)
    row = next((r for r in lists[finding] if r["poor_household_number"] == poor_household_number), None)
    if row is None:
        raise DomainError(_("该户不在此比对清单或不在您的辖区"),
                          code="not_found", status=404)
    region = Region.objects.get(pk=row["region_id"])
    require(actor, region, RESOLVE_ROLES)
    existing = FollowUp.objects.filter(poor_household_number=poor_household_number, finding=finding,
                                       status=FollowUpStatus.OPEN).first()
    if existing:
        return existing
    household, review = None, None
    if finding == FINDING_UNCOVERED:
        kind = FollowUpKind.REFERRAL
        note = (_("建档立卡未脱贫户 %(poor_household_number)s（%(persons)s 人）未纳入低保：请社区/村入户核实并协助提出低保申请。") % {
            "poor_household_number": poor_household_number, "persons": row['persons']})
        household, application_note = _refer_to_application(actor, row, poor_household_number)
        note += application_note
    else:
        kind = FollowUpKind.REVIEW
        household = Household.objects.select_related("region").get(pk=row["dibao_household_ids"][0])
        flag_kind = FlagKind.POVERTY_PARTIAL if finding == FINDING_PARTIAL else FlagKind.POVERTY_LEFT
        reason = (f"建档立卡户 {poor_household_number}：{row['persons']} 人中仅 {row['covered_persons']} 人享受低保"
                  if finding == FINDING_PARTIAL else f"建档立卡户 {poor_household_number} 已脱贫，仍享受低保")
        flag, _created = Flag.objects.get_or_create(
            household=household, kind=flag_kind, fingerprint=f"p:{poor_household_number}"[:64],
            status=FlagStatus.OPEN, defaults={"details": audit.jsonable(row)},
        )
        review = review_open(actor=actor, household=household, kind=ReviewKind.DATA_FLAG, reason=reason,
                             source_type="checks.flag", source_id=str(flag.pk))
        if flag.review_id != review.pk:
            flag.review = review
            flag.save(update_fields=["review"])
        note = reason + _("：已发起复核")
    follow_up = FollowUp.objects.create(kind=kind, finding=finding, region=region,
                                        poor_household_number=poor_household_number, household=household,
                                        review=review, note=note, created_by=actor_user(actor))
    audit.record(actor=actor, action="checks.follow_up_create", obj=follow_up, region=region,
                 after=audit.snapshot(follow_up), note=note[:300])
    return follow_up


def poverty_follow_up_all(*, actor, finding: str) -> list[FollowUp]:
    """Create the follow-up of every line of a list in the actor's jurisdiction."""
    rows = roster_reconciliation(actor)[finding] if finding in FINDINGS else []
    return [poverty_follow_up(actor=actor, finding=finding, poor_household_number=r["poor_household_number"])
            for r in rows]


@transaction.atomic
def follow_up_close(*, actor, follow_up: FollowUp, note: str) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update(of=("self",)).select_related("region").get(pk=follow_up.pk)
    require(actor, follow_up.region, RESOLVE_ROLES)
    before = audit.snapshot(follow_up, ["status", "note"])
    _set_status(follow_up, FollowUpStatus.DONE, FOLLOW_UP_TRANSITIONS)
    follow_up.note = f"{follow_up.note}\n办结：{note}".strip()
    follow_up.save(update_fields=["status", "note"])
    audit.record(actor=actor, action="checks.follow_up_close", obj=follow_up, region=follow_up.region,
                 before=before, after=audit.snapshot(follow_up, ["status", "note"]), note=note)
    return follow_up
