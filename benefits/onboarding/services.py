"""State changes of county onboarding: a caseload file checked, previewed, imported whole or not at all.

The order is always the same: read (``reemployment.core.tables.read_table``), check every row
(``validation``), match to what the service records and plan every change (``matching``), compute the
discrepancies (``pricing``) — and only when not one error was found, write everything in one
transaction with the county locked (``_write``): households, members, income items, enrolments with
their entry events, one audit event per record created, changed or removed (naming the import: file
name, SHA-256, user), the discrepancy list and the reviews it opens. Any error rejects the whole file and
changes nothing but the import's own record (its error report).

Importing the same file again finds every household unchanged: it creates and changes nothing, and the
reviews the first import opened are not opened twice (``DISCREPANCY_SOURCE`` + household + amounts).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
    IncomeItem,
    Member,
    Review,
    ReviewKind,
)
from benefits.onboarding import export, matching, pricing
from benefits.onboarding.matching import column, tuples
from benefits.onboarding.models import IMPORT_TRANSITIONS, CaseloadImport, ImportDiscrepancy, ImportStatus
from benefits.onboarding.validation import Errors, check_file
from benefits.services import household_refresh_flags, reviews_open_many
from reemployment.core import audit
from reemployment.core.bulk import insert_rows
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import Region, RegionLevel, Role, today
from reemployment.core.permissions import actor_user, require
from reemployment.core.tables import XLSX_MAGIC, TableRejected, read_table
from reemployment.idcard import mask_id_number, mask_name

logger = logging.getLogger(__name__)

IMPORT_ROLES = frozenset({Role.COUNTY})  # county civil-affairs staff only (and the system itself)
SYSTEM_ACTOR = "system:import_caseload"
DISCREPANCY_SOURCE = "onboarding.discrepancy"
DISCREPANCY_REVIEW_DAYS = 30  # the discrepancy reviews are due this many days after the import
MAX_STORED_ERRORS = 20_000  # the import record keeps this many entries of its error report
COUNTY = gettext_lazy("该县（区）")
ZERO = Decimal("0.00")


@dataclass
class Outcome:
    """What a caseload file holds and would do (a dry run) or did (an import)."""

    rows: int = 0
    households: int = 0
    persons: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    discrepancies: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    encoding: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def report(self) -> dict:
        """The command's ``--format json`` (counts as integers; ``discrepancies``: households)."""
        return {"households": self.households, "persons": self.persons, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "discrepancies": len(self.discrepancies),
                "errors": [{"row": e["row"], "column": e["column"], "message": e["message"]} for e in self.errors]}


def storage_dir() -> Path:
    """Stored caseload files: ``settings.ONBOARDING_IMPORT_DIR`` if set, else ``VAR_DIR/imports/caseload`` —
    outside MEDIA_ROOT, never served (they are the county's whole caseload)."""
    path = Path(getattr(settings, "ONBOARDING_IMPORT_DIR", None) or Path(settings.VAR_DIR) / "imports" / "caseload")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _county(county: Region) -> Region:
    if county.level != RegionLevel.COUNTY:
        raise DomainError(_("%(name)s 不是县（区）：存量对象按县（区）导入") % {"name": county.name}, code="not_a_county")
    return county


def guard(actor, county: Region) -> Region:
    """County staff of ``county`` (or the system): the one permission of onboarding."""
    county = _county(county)
    require(actor, county, IMPORT_ROLES, what=COUNTY)
    return county


def communities_of(county: Region) -> dict[str, int]:
    return dict(Region.objects.filter(path__startswith=county.path, level=RegionLevel.COMMUNITY)
                .values_list("code", "id"))


@contextmanager
def _bulk_work():
    """No cyclic garbage collection while a file is worked on: the work creates millions of objects and
    no cycles, and every collection would walk them all (a third of the time at 450,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def analyse(content: bytes, name: str, *, county: Region, as_of: dt.date,
            progress=None) -> tuple[Outcome, matching.Plan | None]:
    """Read, check, match and price a caseload file; write nothing. The plan is None when refused."""
    with _bulk_work():
        return _analyse(content, name, county=county, as_of=as_of, progress=progress)


def _analyse(content: bytes, name: str, *, county: Region, as_of: dt.date,
             progress=None) -> tuple[Outcome, matching.Plan | None]:
    progress = progress or (lambda value, message="": None)
    try:
        frame, encoding = read_table(content, name, max_bytes=settings.MAX_IMPORT_BYTES)
    except TableRejected as exc:
        return Outcome(errors=[{"row": 0, "column": "", "message": exc.message}]), None
    progress(10, _("读取完成，正在逐行校验"))
    check = check_file(frame, communities=communities_of(county), as_of=as_of)
    del frame
    progress(25, _("正在与本系统已有的家庭和人员比对"))
    plan, db_errors = matching.plan(check, county=county, as_of=as_of)
    errors = Errors()
    errors.extend(check.errors)
    errors.extend(db_errors)
    outcome = Outcome(rows=check.rows, households=len(check.households), persons=len(check.members),
                      encoding=encoding)
    if errors or plan is None:
        outcome.errors = errors.as_list()
        return outcome, None
    progress(40, _("正在按本系统规则核算金额"))
    outcome.discrepancies = pricing.discrepancies(plan, as_of)
    for key, value in plan.counts.items():
        setattr(outcome, key, value)
    return outcome, plan


def caseload_check(*, actor, county: Region, content: bytes, name: str, as_of: dt.date | None = None) -> Outcome:
    """The dry run (``import_caseload --dry-run``): every check and count of an import; nothing written."""
    county = guard(actor, county)
    outcome, _plan = analyse(content, name, county=county, as_of=as_of or today())
    return outcome


# ---------------------------------------------------------------------------------- the import record


def _set_status(record: CaseloadImport, status: str) -> None:
    if status not in IMPORT_TRANSITIONS[record.status]:
        raise Conflict(_("导入状态不能从“%(before)s”变为“%(after)s”") % {
            "before": ImportStatus(record.status).label, "after": ImportStatus(status).label},
            code="invalid_transition")
    record.status = status


@transaction.atomic
def caseload_import_create(*, actor, county: Region, name: str, content: bytes,
                           preview: bool = False) -> CaseloadImport:
    """Accept a caseload file (county staff): store it and record the import (pending). With ``preview``
    (the admin), the check runs as a Celery task (``onboarding.check_caseload_import``) after commit."""
    county = guard(actor, county)
    if len(content) > settings.MAX_IMPORT_BYTES:
        raise DomainError(_("文件过大：%(size)s 字节，上限 %(limit)s 字节") % {
            "size": len(content), "limit": settings.MAX_IMPORT_BYTES}, code="too_large")
    if not content.strip():
        raise DomainError(_("文件为空"), code="empty")
    digest = hashlib.sha256(content).hexdigest()
    stored = storage_dir() / f"{digest}{'.xlsx' if content.startswith(XLSX_MAGIC) else '.csv'}"
    stored.write_bytes(content)
    user = actor_user(actor)
    record = CaseloadImport.objects.create(
        county=county, original_name=Path(name).name[:255] or "caseload", stored_path=str(stored), size=len(content),
        sha256=digest, uploaded_by=user, actor_label=audit._actor_label(actor))
    audit.record(actor=actor, action="onboarding.upload", obj=record, region=county,
                 after={"name": record.original_name, "sha256": digest, "size": len(content)})
    if preview:
        from benefits.onboarding.tasks import check_caseload_import

        transaction.on_commit(lambda: check_caseload_import.delay(record.pk))
    return record


class _Progress:
    """Writes the progress bar's figure where the admin sees it while the task runs. Inside the import's
    transaction that needs another connection (PostgreSQL: autocommit, never waiting for a lock); on
    SQLite, whose one writer is the import itself, the bar moves only between transactions."""

    def __init__(self, record: CaseloadImport, low: int = 0, high: int = 100):
        self.pk = record.pk
        self.low, self.high = low, high
        self._side = None

    def __call__(self, value: float, message: str = "") -> None:
        value = int(self.low + (self.high - self.low) * max(0, min(100, value)) / 100)
        fields = {"progress": value, **({"message": message[:500]} if message else {})}
        if not connection.in_atomic_block:
            CaseloadImport.objects.filter(pk=self.pk).update(**fields)
            return
        if connection.vendor != "postgresql":
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = CaseloadImport._meta.db_table
        sets = ", ".join(f"{name} = %s" for name in fields)
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {sets} WHERE id IN "  # table and column names come from the model
                           f"(SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)", [*fields.values(), self.pk])

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def _store_outcome(record: CaseloadImport, outcome: Outcome) -> None:
    record.rows = outcome.rows
    record.households = outcome.households
    record.persons = outcome.persons
    record.created = outcome.created
    record.updated = outcome.updated
    record.unchanged = outcome.unchanged
    record.discrepancy_count = len(outcome.discrepancies)
    record.encoding = outcome.encoding
    record.errors = outcome.errors[:MAX_STORED_ERRORS]
    record.error_count = len(outcome.errors)


def _reject(pk: int, outcome: Outcome) -> CaseloadImport:
    with transaction.atomic():
        record = CaseloadImport.objects.select_for_update().get(pk=pk)
        _set_status(record, ImportStatus.REJECTED)
        _store_outcome(record, outcome)
        record.progress = 100
        record.message = (_("%(count)s 处错误，整个文件未导入，未改变任何数据") % {"count": len(outcome.errors)})[:500]
        record.finished_at = timezone.now()
        record.save()
        audit.record(actor=SYSTEM_ACTOR, action="onboarding.rejected", obj=record, region=record.county,
                     after={"errors": len(outcome.errors), "sha256": record.sha256}, note=record.message)
    return record


def _fail(pk: int, exc: Exception) -> CaseloadImport:
    with transaction.atomic():
        record = CaseloadImport.objects.select_for_update().get(pk=pk)
        if record.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING):
            _set_status(record, ImportStatus.FAILED)
        record.message = (_("处理失败（%(error)s），未导入任何数据") % {"error": type(exc).__name__})[:500]
        record.progress = 100
        record.finished_at = timezone.now()
        record.save()
        audit.record(actor=SYSTEM_ACTOR, action="onboarding.failed", obj=record, region=record.county,
                     note=record.message)
    return record


def _discrepancy_rows(record: CaseloadImport, found: list[dict], household_ids: dict | None = None,
                      reviews: dict | None = None) -> int:
    fields = ["caseload_import_id", "row", "household_id", "household_number", "region_id", "head_name", "persons",
              "category", "recorded_amount", "computed_category", "computed_amount", "difference", "explanation",
              "review_id"]
    household_ids = household_ids or {}
    reviews = reviews or {}
    rows = ((record.pk, d["row"], household_ids.get(d["head_id"]), d["household_number"], d["region_id"],
             d["head_name"], d["persons"], d["category"], d["recorded_amount"], d["computed_category"],
             d["computed_amount"], d["difference"], d["explanation"], reviews.get(d["head_id"])) for d in found)
    return len(insert_rows(ImportDiscrepancy, fields, rows, len(found)))


def caseload_import_preview(*, import_id: int) -> CaseloadImport:
    """The admin's preview (Celery task): check the stored file as the import would and record the counts,
    the discrepancies and the error report. Writes nothing else. Idempotent: only a pending import is checked."""
    with transaction.atomic():
        record = CaseloadImport.objects.select_for_update(of=("self",)).select_related("county").get(pk=import_id)
        if record.status != ImportStatus.PENDING:
            return record
        _set_status(record, ImportStatus.CHECKING)
        record.progress = 1
        record.save(update_fields=["status", "progress"])
    progress = _Progress(record, 0, 95)
    try:
        outcome, _plan = analyse(Path(record.stored_path).read_bytes(), record.original_name, county=record.county,
                                 as_of=today(), progress=progress)
        del _plan
        if outcome.refused:
            return _reject(record.pk, outcome)
        with transaction.atomic():
            record = CaseloadImport.objects.select_for_update().select_related("county").get(pk=import_id)
            _set_status(record, ImportStatus.READY)
            _store_outcome(record, outcome)
            record.discrepancies.all().delete()
            _discrepancy_rows(record, outcome.discrepancies)
            record.progress = 100
            record.message = (_("校验通过：%(households)s 户 %(persons)s 人（新建 %(created)s、更新 %(updated)s、未变 "
                                "%(unchanged)s），金额不一致 %(discrepancies)s 户。确认后导入。") % {
                **outcome.report(), "discrepancies": len(outcome.discrepancies)})[:500]
            record.save()
            audit.record(actor=SYSTEM_ACTOR, action="onboarding.preview", obj=record, region=record.county,
                         after={k: v for k, v in outcome.report().items() if k != "errors"})
        return record
    except Exception as exc:
        logger.exception("caseload import %s: the check failed", import_id)
        _fail(import_id, exc)
        raise
    finally:
        progress.close()


@transaction.atomic
def caseload_import_confirm(*, actor, caseload_import: CaseloadImport) -> CaseloadImport:
    """County staff confirm a previewed import: it runs as a Celery task (``onboarding.run_caseload_import``)."""
    record = CaseloadImport.objects.select_for_update(of=("self",)).select_related("county").get(pk=caseload_import.pk)
    guard(actor, record.county)
    _set_status(record, ImportStatus.QUEUED)
    record.confirmed_by = actor_user(actor)
    record.actor_label = audit._actor_label(actor)
    record.progress = 0
    record.message = _("已确认，等待导入")
    record.save()
    audit.record(actor=actor, action="onboarding.confirm", obj=record, region=record.county,
                 after={"sha256": record.sha256})
    from benefits.onboarding.tasks import run_caseload_import

    transaction.on_commit(lambda: run_caseload_import.delay(record.pk))
    return record


class _Refused(Exception):
    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def caseload_import_run(*, import_id: int) -> CaseloadImport:
    """Import a stored caseload file (Celery task or command): check everything, then write everything in
    one transaction with the county locked, or nothing. Idempotent: only a pending or confirmed import runs.
    The record returned carries the whole :class:`Outcome` as ``record.outcome`` when this call ran it."""
    with transaction.atomic():
        record = CaseloadImport.objects.select_for_update(of=("self",)).select_related(
            "county", "uploaded_by", "confirmed_by").get(pk=import_id)
        if record.status not in (ImportStatus.PENDING, ImportStatus.QUEUED):
            return record
        _set_status(record, ImportStatus.IMPORTING)
        record.progress = 1
        record.message = _("正在导入")
        record.save(update_fields=["status", "progress", "message"])
    actor = record.confirmed_by or record.uploaded_by or record.actor_label or SYSTEM_ACTOR
    progress = _Progress(record)
    as_of = today()
    try:
        content = Path(record.stored_path).read_bytes()
        with transaction.atomic():
            Region.objects.select_for_update().get(pk=record.county_id)  # one import per county at a time
            outcome, plan = analyse(content, record.original_name, county=record.county, as_of=as_of,
                                    progress=lambda v, m="": progress(v * 0.5, m))
            if outcome.refused:
                raise _Refused(outcome)
            with _bulk_work():
                _write(record, plan, outcome, actor=actor, as_of=as_of,
                       progress=lambda v, m="": progress(50 + v / 2, m))
            del plan
        record = CaseloadImport.objects.get(pk=import_id)
        record.outcome = outcome  # the whole report, for the command (the record keeps MAX_STORED_ERRORS)
        return record
    except _Refused as refused:
        record = _reject(import_id, refused.outcome)
        record.outcome = refused.outcome
        return record
    except Exception as exc:
        logger.exception("caseload import %s failed", import_id)
        _fail(import_id, exc)
        raise
    finally:
        progress.close()


def import_caseload(*, actor, county: Region, name: str, content: bytes) -> CaseloadImport:
    """The command's import: record the file, then run it here (not through the queue)."""
    record = caseload_import_create(actor=actor, county=county, name=name, content=content)
    return caseload_import_run(import_id=record.pk)


# ---------------------------------------------------------------------------------- writing


HOUSEHOLD_INSERT = ["number", "region_id", "area", "address", "phone", "single_parent", "disaster", "bank_account",
                    "bank_name", "account_id", "flags", "created_at"]
MEMBER_INSERT = ["household_id", "id_number", "name", "sex", "birth_date", "relation", "hukou_area", "serious_illness",
                 "disability_grade", "work_ability", "student_status", "three_no", "died_on", "left_on",
                 "previous_household_id"]
INCOME_INSERT = ["household_id", "member_id", "kind", "monthly_amount", "quantity", "unit", "work_costs",
                 "away_from_home", "note"]
ENROLMENT_INSERT = ["household_id", "area", "category", "monthly_amount", "persons", "status", "start_date", "end_date",
                    "certificate_number", "next_review_on", "transition_amount", "transition_from",
                    "transition_until", "priced_on", "created_at", "updated_at"]
EVENT_INSERT = ["enrolment_id", "kind", "effective_on", "status_before", "status_after", "category_before",
                "category_after", "amount_before", "amount_after", "transition_amount_after", "transition_until_after",
                "reason", "actor_id", "at"]


def _after(names: list[str], values: tuple) -> dict:
    return dict(zip(names, values, strict=True))


WRITE_CHUNK = 50_000  # rows built, written and audited at a time (memory stays flat whatever the file's size)


def _chunked(positions: np.ndarray, size: int = WRITE_CHUNK):
    for start in range(0, len(positions), size):
        yield positions[start:start + size]


class _Audits:
    """The import's audit events, written ``size`` at a time (``audit.record_many``), each naming the import."""

    def __init__(self, actor, note: str, size: int = WRITE_CHUNK):
        self.actor, self.note, self.size = actor, note, size
        self.pending: list[dict] = []
        self.count = 0

    def add(self, action: str, object_type: str, object_id, label: str, region_id, *, before=None, after=None):
        self.pending.append({"action": action, "object_type": object_type, "object_id": object_id,
                             "object_label": label, "region_id": region_id, "before": before, "after": after,
                             "note": self.note})
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.count += audit.record_many(actor=self.actor, entries=self.pending, count=len(self.pending))
            self.pending = []


def _write(record: CaseloadImport, plan: matching.Plan, outcome: Outcome, *, actor, as_of: dt.date,
           progress) -> None:
    """Write a checked plan (inside the caller's transaction). See the module docstring."""
    now = timezone.now()
    user = actor_user(actor)
    user_id = user.pk if user else None
    h, m, e = plan.households, plan.members, plan.enrolments
    audits = _Audits(actor, record.note)
    heads = column(h.index)
    region_of = dict(zip(heads, column(h, "new_region_id"), strict=True))

    # Households.
    known = h["household_id"].notna().to_numpy()
    household_id = {head: int(pk) for head, pk in zip(heads[known], column(h, "household_id")[known], strict=True)}
    values = {name: column(h, f"new_{name}") for name in ("number", "region_id", "area", "address", "phone",
                                                          "single_parent", "bank_account", "bank_name")}
    for chunk in _chunked(np.flatnonzero(~known)):
        rows = [(values["number"][i], int(values["region_id"][i]), values["area"][i], values["address"][i],
                 values["phone"][i], bool(values["single_parent"][i]), False, values["bank_account"][i],
                 values["bank_name"][i], None, [], now) for i in chunk]
        ids = insert_rows(Household, HOUSEHOLD_INSERT, rows, len(rows), plain=True)
        for i, pk, row in zip(chunk, ids, rows, strict=True):
            household_id[heads[i]] = pk
            audits.add("onboarding.create", "benefits.household", pk, f"户 {row[0]}", row[1],
                       after=_after(HOUSEHOLD_INSERT[:9], row[:9]))
    updates = []
    for row in tuples(h[known & h["changed"].map(bool).to_numpy()], index=True):
        row = row._asdict()
        obj = Household(pk=int(row["household_id"]), **{name: row[f"new_{name}"] for name in matching.HOUSEHOLD_FIELDS})
        updates.append(obj)
        audits.add("onboarding.update", "benefits.household", obj.pk, f"户 {obj.number}", region_of[row["Index"]],
                   before={name: row[f"old_{name}"] for name in row["changed"]},
                   after={name: row[f"new_{name}"] for name in row["changed"]})
    if updates:
        Household.objects.bulk_update(updates, list(matching.HOUSEHOLD_FIELDS), batch_size=1000)
    progress(15, _("已写入 %(count)s 户") % {"count": len(h)})

    # Members.
    member_heads = column(m, "head_id")
    m_household = np.array([household_id[head] for head in member_heads], dtype=np.int64)
    m_region = np.array([region_of[head] for head in member_heads], dtype=np.int64)
    new_members = m["member_id"].isna().to_numpy()
    all_member_ids = m["member_id"].astype("Int64").to_numpy(dtype=object).copy()
    values = {name: column(m, name) for name in ("id_number", "new_name", "new_sex", "new_birth_date", "new_relation",
                                                  "new_hukou_area", "new_serious_illness", "new_disability_grade",
                                                  "new_work_ability", "new_student_status", "new_three_no")}
    for chunk in _chunked(np.flatnonzero(new_members)):
        rows = [(int(m_household[i]), values["id_number"][i], values["new_name"][i], values["new_sex"][i],
                 values["new_birth_date"][i], values["new_relation"][i], values["new_hukou_area"][i],
                 bool(values["new_serious_illness"][i]), int(values["new_disability_grade"][i]),
                 values["new_work_ability"][i], values["new_student_status"][i], bool(values["new_three_no"][i]),
                 None, None, None) for i in chunk]
        ids = insert_rows(Member, MEMBER_INSERT, rows, len(rows), plain=True)
        all_member_ids[chunk] = ids
        for i, pk, row in zip(chunk, ids, rows, strict=True):
            audits.add("onboarding.create", "benefits.member", pk, f"{mask_name(row[2])} {mask_id_number(row[1])}",
                       int(m_region[i]), after=_after(MEMBER_INSERT[:12], row[:12]))
        progress(15 + 30 * (chunk[-1] + 1) / len(m), _("已写入 %(count)s 人") % {"count": int(chunk[-1] + 1)})
    member_updates = []
    changed_members = np.flatnonzero(np.array([bool(c) for c in column(m, "changed")]) & ~new_members)
    for i in changed_members:
        r = m.iloc[i]
        member_values = {name: r[f"new_{name}"] for name in matching.MEMBER_FIELDS}
        member_values["household_id"] = int(m_household[i])
        member_updates.append(Member(pk=int(r["member_id"]), id_number=r["id_number"], **member_values))
        audits.add("onboarding.update", "benefits.member", int(r["member_id"]),
                   f"{mask_name(r['new_name'])} {mask_id_number(r['id_number'])}", int(m_region[i]),
                   before={name: r[f"old_{name}"] for name in r["changed"]},
                   after={name: member_values[name] for name in r["changed"]})
    if member_updates:
        Member.objects.bulk_update(member_updates, list(matching.MEMBER_FIELDS), batch_size=1000)
    progress(45, _("已写入 %(count)s 人") % {"count": len(m)})

    # Income items: the replaced ones go, each rewritten income is one item, moved members' items follow them.
    deleted = plan.incomes_deleted
    if len(deleted):
        for item in tuples(deleted):
            audits.add("onboarding.delete", "benefits.incomeitem", item.id, f"收入 #{item.id}", None,
                       before={"member_id": item.member_id, "household_id": item.household_id, "kind": item.kind,
                               "monthly_amount": item.monthly_amount})
        ids_to_delete = [int(i) for i in deleted["id"]]
        for start in range(0, len(ids_to_delete), 5000):
            IncomeItem.objects.filter(pk__in=ids_to_delete[start:start + 5000]).delete()
    moved = plan.incomes_moved
    if len(moved):
        household_of_member = {int(all_member_ids[i]): int(m_household[i]) for i in np.flatnonzero(m["moving"])}
        moved_items = [IncomeItem(pk=int(item.id), household_id=household_of_member[int(item.member_id)])
                       for item in tuples(moved)]
        IncomeItem.objects.bulk_update(moved_items, ["household_id"], batch_size=1000)
        for item, obj in zip(tuples(moved), moved_items, strict=True):
            audits.add("onboarding.update", "benefits.incomeitem", obj.pk, f"收入 #{obj.pk}", None,
                       before={"household_id": item.household_id}, after={"household_id": obj.household_id})
    positions = plan.incomes_new["position"].to_numpy() if len(plan.incomes_new) else np.array([], dtype=int)
    income_note = f"存量导入 #{record.pk}"
    kinds, cents = column(m, "income_kind_final"), column(m, "income_cents")
    for chunk in _chunked(positions):
        rows = [(int(m_household[i]), int(all_member_ids[i]), kinds[i], matching.cents_to_yuan(cents[i]), None, "",
                 ZERO, False, income_note) for i in chunk]
        ids = insert_rows(IncomeItem, INCOME_INSERT, rows, len(rows), plain=True)
        for i, pk, row in zip(chunk, ids, rows, strict=True):
            audits.add("onboarding.create", "benefits.incomeitem", pk, f"收入 #{pk}", int(m_region[i]),
                       after=_after(INCOME_INSERT[:4], row[:4]))
    progress(55, _("已写入收入 %(count)s 项") % {"count": len(positions)})

    # Enrolments: new ones with their entry event; changed ones with an amount/category event.
    enrolled = e["enrolment_id"].notna().to_numpy()
    e_heads = column(e.index)
    enrolment_of = {head: int(pk) for head, pk in zip(e_heads[enrolled], column(e, "enrolment_id")[enrolled],
                                                       strict=True)}
    values = {name: column(e, f"new_{name}") for name in ("area", "category", "monthly_amount", "persons",
                                                          "start_date", "certificate_number", "next_review_on")}
    entry_reason = f"存量导入 #{record.pk}「{record.original_name}」：原系统在保，金额按原系统记录"[:300]
    for chunk in _chunked(np.flatnonzero(~enrolled)):
        rows = [(household_id[e_heads[i]], values["area"][i], values["category"][i], values["monthly_amount"][i],
                 int(values["persons"][i]), EnrolmentStatus.ACTIVE, values["start_date"][i], None,
                 values["certificate_number"][i], values["next_review_on"][i], None, None, None, as_of, now, now)
                for i in chunk]
        ids = insert_rows(Enrolment, ENROLMENT_INSERT, rows, len(rows), plain=True)
        insert_rows(EnrolmentEvent, EVENT_INSERT,
                    ((pk, EnrolmentEventKind.ENTRY, row[6], "", EnrolmentStatus.ACTIVE, "", row[2], None, row[3], None,
                      None, entry_reason, user_id, now) for pk, row in zip(ids, rows, strict=True)), len(rows),
                    plain=True)
        for i, pk, row in zip(chunk, ids, rows, strict=True):
            enrolment_of[e_heads[i]] = pk
            audits.add("onboarding.create", "benefits.enrolment", pk, f"低保证 {row[8]}", region_of[e_heads[i]],
                       after=_after([*ENROLMENT_INSERT[:10], "priced_on"], (*row[:10], row[13])))
    change_reason = f"存量导入 #{record.pk}「{record.original_name}」：按原系统记录更新"[:300]
    enrolment_updates, change_events = [], []
    for r in tuples(e[enrolled & e["changed"].map(bool).to_numpy()], index=True):
        r = r._asdict()
        fields = list(r["changed"])
        before = r["before"]
        obj = Enrolment(pk=int(r["enrolment_id"]), priced_on=as_of, updated_at=now,
                        **{name: r[f"new_{name}"] for name in matching.ENROLMENT_FIELDS})
        enrolment_updates.append(obj)
        if {"category", "monthly_amount", "persons"} & set(fields):
            change_events.append((obj.pk, EnrolmentEventKind.AMOUNT_CHANGE, as_of, r["status"], r["status"],
                                  before["category"], obj.category, before["monthly_amount"], obj.monthly_amount, None,
                                  None, change_reason, user_id, now))
        audits.add("onboarding.update", "benefits.enrolment", obj.pk, f"低保证 {obj.certificate_number}",
                   region_of[r["Index"]], before={name: before[name] for name in fields},
                   after={name: r[f"new_{name}"] for name in fields})
    if enrolment_updates:
        Enrolment.objects.bulk_update(enrolment_updates, [*matching.ENROLMENT_FIELDS, "priced_on", "updated_at"],
                                      batch_size=1000)
    insert_rows(EnrolmentEvent, EVENT_INSERT, change_events, len(change_events))
    progress(70, _("已写入待遇 %(count)s 户") % {"count": len(e)})

    # Members who moved in (人户分离): the carve-out flag where the household they left keeps others.
    moved_into = {household_id[head] for head in member_heads[column(m, "moving").astype(bool)]}
    for household in Household.objects.filter(pk__in=moved_into).select_related("region").prefetch_related("members"):
        household_refresh_flags(household=household, actor=actor)
    audits.flush()
    progress(85, _("已记录审计 %(count)s 条") % {"count": audits.count})

    # Discrepancies: listed with the import, each opening a review once.
    found = outcome.discrepancies
    reviews, opened = _open_discrepancy_reviews(record, found, actor=actor, as_of=as_of, household_id=household_id,
                                                enrolment_of=enrolment_of, region_of=region_of)
    _discrepancy_rows(record, found, household_id, reviews)
    record = CaseloadImport.objects.select_for_update().get(pk=record.pk)
    _set_status(record, ImportStatus.DONE)
    _store_outcome(record, outcome)
    record.reviews_opened = opened
    record.progress = 100
    record.finished_at = timezone.now()
    record.message = (_("已导入：%(households)s 户 %(persons)s 人（新建 %(created)s、更新 %(updated)s、未变 "
                        "%(unchanged)s），金额不一致 %(discrepancies)s 户") % outcome.report())[:500]
    record.save()
    audit.record(actor=actor, action="onboarding.import", obj=record, region=record.county,
                 after={**{k: v for k, v in outcome.report().items() if k != "errors"},
                        "sha256": record.sha256, "name": record.original_name, "audited_records": audits.count,
                        "reviews_opened": opened}, note=record.note)


def _open_discrepancy_reviews(record: CaseloadImport, found: list[dict], *, actor, as_of: dt.date, household_id: dict,
                              enrolment_of: dict, region_of: dict) -> tuple[dict, int]:
    """One DATA_FLAG review per discrepancy (``benefits.services.reviews_open_many``). The source names the
    household and both amounts: the same discrepancy found again (the same file imported twice, a review
    already decided) opens nothing; a new amount does. Returns head ID → review id, and how many opened."""
    if not found:
        return {}, 0
    source_of = {d["head_id"]: f"{household_id[d['head_id']]}:{d['recorded_amount']}:{d['computed_amount']}"
                 for d in found}
    existing: dict[str, int] = {}
    sources = sorted(source_of.values())
    for start in range(0, len(sources), 5000):
        existing.update(Review.objects.filter(source_type=DISCREPANCY_SOURCE, source_id__in=sources[start:start + 5000])
                        .order_by("id").values_list("source_id", "id"))
    due_on = as_of + dt.timedelta(days=DISCREPANCY_REVIEW_DAYS)
    rows = []
    for d in found:
        if source_of[d["head_id"]] in existing:
            continue
        computed = (_("%(category)s类 %(amount)s 元") % {"category": d["computed_category"], "amount": d["computed_amount"]}
                    if d["computed_category"] else _("不符合条件（0.00 元）"))
        rows.append({"household_id": household_id[d["head_id"]], "enrolment_id": enrolment_of.get(d["head_id"]),
                     "kind": ReviewKind.DATA_FLAG, "due_on": due_on, "source_type": DISCREPANCY_SOURCE,
                     "source_id": source_of[d["head_id"]], "region_id": region_of[d["head_id"]],
                     "reason": (_("存量导入 #%(import)s：原系统月保障金 %(recorded)s 元，按本系统规则核算为%(computed)s，"
                                  "差额 %(difference)s 元") % {
                         "import": record.pk, "recorded": d["recorded_amount"], "computed": computed,
                         "difference": d["difference"]})[:300]})
    opened = reviews_open_many(actor=actor, rows=rows)
    by_source = dict(existing)
    for row in rows:
        by_source[row["source_id"]] = opened[(row["household_id"], row["kind"], row["source_type"], row["source_id"])]
    return {head: by_source.get(source) for head, source in source_of.items()}, len(rows)


# ---------------------------------------------------------------------------------- export


def caseload_export(*, actor, county: Region, fmt: str = "csv") -> bytes:
    """The county's current caseload in the import template (formula-safe), as CSV (UTF-8 with BOM) or
    XLSX: an export imports back to the same households, persons and amounts. Audited (a bulk read of
    personal data)."""
    county = guard(actor, county)
    if fmt not in export.FORMATS:
        raise DomainError(_("格式应为 csv 或 xlsx"), code="bad_format")
    content, households, persons = export.caseload_file(county, fmt)
    with transaction.atomic():
        audit.record(actor=actor, action="onboarding.export", obj=county, region=county,
                     after={"format": fmt, "households": households, "persons": persons,
                            "sha256": hashlib.sha256(content).hexdigest()})
    return content
