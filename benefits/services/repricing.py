"""Standard raises (提标调整, issue 14 §1): re-price every current enrolment of a county from a month.

Each enrolment's household is assessed with the standard and parameters in force for the month by the
same rule code as a new assessment (``benefits.selectors.assess``: urban A by the standard, B/C by the
gap, rural by the amounts per category). Its category and number of persons stay as decided: an
assessment that gives another category or size, or no eligibility, is listed for a review
(``needs_review``), not changed here — category and exit are case decisions.

``standard_change_preview`` changes nothing; ``standard_change_apply`` writes the new amounts, one
``EnrolmentEvent`` (kind ``repricing``, 提标调整) per changed enrolment and one audit event, in one
transaction with the county row locked, and stamps ``priced_on`` on every current enrolment of the
county so that the payroll (``benefits.pricing.stale_enrolments``) accepts the month. Idempotent.
Transition amounts (就业过渡期) are left as they are; the normal amount behind them is re-priced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from benefits.models import (
    Application,
    ApplicationStep,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
)
from benefits.payroll.services import _county, parse_month
from benefits.pricing import county_enrolments, policy_rows
from benefits.selectors import BulkAssessor, HouseholdInputs, rule_inputs_bulk
from reemployment.core import audit
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, Role
from reemployment.core.notify import notify
from reemployment.core.permissions import actor_user, require
from reemployment.dates import add_months
from reemployment.money import format_yuan, round_yuan

REPRICING_ROLES = frozenset({Role.COUNTY, Role.ADMIN})
COUNTY = gettext_lazy("该县/区")
REASON = "提标调整"
ZERO = Decimal("0.00")


def _policy_label(row) -> str:
    if row is None:
        return ""
    if hasattr(row, "monthly_amount"):
        return f"{row.get_area_display()}低保标准 {row.monthly_amount} 元（{row.valid_from} 起，#{row.pk}）"
    return f"政策参数 {', '.join(sorted(row.values))}（{row.valid_from} 起，#{row.pk}）"


def _policy_json(rows: dict) -> dict:
    out = {}
    for key, row in rows.items():
        out[key] = None if row is None else {
            "id": row.pk, "valid_from": row.valid_from.isoformat(), "label": _policy_label(row),
            **({"monthly_amount": format_yuan(row.monthly_amount)} if hasattr(row, "monthly_amount") else {}),
        }
    return out


def _cause(rows: dict, area: str) -> str:
    """The policy rows behind an area's amounts, latest first (what the event names)."""
    causes = sorted((row for row in (rows[area], rows["parameters"]) if row is not None),
                    key=lambda row: row.valid_from, reverse=True)
    return "；".join(_policy_label(row) for row in causes)


def _household_row(household: HouseholdInputs, regions: dict) -> dict:
    region = regions[household.region_id]
    return {"household": household.number, "household_id": household.household_id, "region": region.name,
            "region_code": region.code, "area": household.area}


def _compute(county: Region, month: dt.date) -> tuple[dict, list]:
    """The preview, and the changed enrolments as (enrolment id, status, category, change) in id order.

    Set-based: the current enrolments in one query, their households' rule inputs in a constant number
    of queries (``rule_inputs_bulk``), the standard and parameters once per region and area; the rules
    run in memory, household by household, exactly as ``selectors.assess`` would run them."""
    rows = policy_rows(county, month)
    causes = {area: _cause(rows, area) for area in ("urban", "rural")}
    current_qs = county_enrolments(county).exclude(status=EnrolmentStatus.ENDED)
    current = list(current_qs.order_by("id").values_list(
        "id", "household_id", "area", "category", "persons", "monthly_amount", "certificate_number", "status"))
    inputs, regions = rule_inputs_bulk(Household.objects.filter(pk__in=current_qs.values("household_id")), month)
    household_of = {household.household_id: household for household in inputs}
    assess = BulkAssessor(regions, month)
    changes, needs_review, changed_rows = [], [], []
    groups: dict = defaultdict(lambda: {"households": 0, "persons": 0, "before": ZERO, "after": ZERO})
    total_before = total_after = ZERO
    for enrolment_id, household_id, area, category, persons, before, certificate, status in current:
        household = household_of[household_id]
        after = before
        try:
            assessment = assess(household)
        except DomainError as exc:
            needs_review.append({**_household_row(household, regions), "enrolment_id": enrolment_id,
                                 "reason": str(exc)})
            assessment = None
        if assessment is not None:
            if not assessment.eligible:
                needs_review.append({**_household_row(household, regions), "enrolment_id": enrolment_id,
                                     "reason": "；".join(assessment.reasons)})
            elif assessment.category != category or assessment.household_size != persons:
                needs_review.append({
                    **_household_row(household, regions), "enrolment_id": enrolment_id,
                    "reason": f"核算为 {assessment.category} 类 {assessment.household_size} 人，"
                              f"在保为 {category} 类 {persons} 人"})
            else:
                after = round_yuan(assessment.monthly_amount)
        total_before += before
        total_after += after
        if after == before:
            continue
        change = {**_household_row(household, regions), "enrolment_id": enrolment_id,
                  "certificate": certificate, "category": category,
                  "persons": persons, "before": before, "after": after,
                  "cause": causes[area]}
        changes.append(change)
        changed_rows.append((enrolment_id, status, category, change))
        group = groups[(area, category)]
        group["households"] += 1
        group["persons"] += persons
        group["before"] += before
        group["after"] += after
    preview = {
        "county": county.code, "county_name": county.name, "month": month.strftime("%Y-%m"),
        "policy": _policy_json(rows),
        "enrolments": len(current),
        "households_changed": len(changes),
        "persons_changed": sum(c["persons"] for c in changes),
        "by_group": [{"area": area, "category": category, **values}
                     for (area, category), values in sorted(groups.items())],
        "total_before": total_before, "total_after": total_after,
        "changes": changes,
        "falls": [c for c in changes if c["after"] < c["before"]],
        "needs_review": needs_review,
        "may_qualify": _may_qualify(county, month),
    }
    return preview, changed_rows


def _may_qualify(county: Region, month: dt.date) -> list[dict]:
    """应保未保: households declined or rejected, or whose enrolment ended, in the 12 months before
    ``month``, without a current enrolment or open application, whose recorded per-capita income
    lies strictly below the standard in force for the month."""
    since = add_months(month, -12)
    in_county = {"household__region__path__startswith": county.path}
    rejected = (Application.objects.filter(step=ApplicationStep.REJECTED, updated_at__date__gte=since, **in_county)
                .values_list("household_id", flat=True))
    ended = (Enrolment.objects.filter(status=EnrolmentStatus.ENDED, end_date__gte=since, **in_county)
             .values_list("household_id", flat=True))
    candidates = (Household.objects.filter(Q(pk__in=rejected) | Q(pk__in=ended))
                  .exclude(enrolments__status__in=[s for s in EnrolmentStatus.values if s != EnrolmentStatus.ENDED])
                  .exclude(applications__step__in=[ApplicationStep.SUBMITTED, ApplicationStep.SURVEYED,
                                                   ApplicationStep.APPRAISED, ApplicationStep.NOTICE,
                                                   ApplicationStep.REVIEWED, ApplicationStep.APPROVED]))
    inputs, regions = rule_inputs_bulk(candidates, month)
    by_id = {household.household_id: household for household in inputs}
    assess = BulkAssessor(regions, month)
    found = []
    for household_id in candidates.order_by("number").values_list("pk", flat=True):
        household = by_id[household_id]
        try:
            assessment = assess(household)
        except DomainError:
            continue
        if assessment.per_capita_income < assessment.standard:
            found.append({**_household_row(household, regions),
                          "per_capita_income": round_yuan(assessment.per_capita_income),
                          "standard": assessment.standard, "eligible": assessment.eligible})
    return found


def _guard(actor, county: Region, month) -> tuple[Region, dt.date]:
    county = _county(county)
    require(actor, county, REPRICING_ROLES, what=COUNTY)
    return county, parse_month(month)


def standard_change_preview(*, actor, county: Region, month) -> dict:
    """What re-pricing the county for ``month`` would change (nothing is written; the read is audited)."""
    county, first = _guard(actor, county, month)
    preview, _changed = _compute(county, first)
    with transaction.atomic():  # the audit event of the read is its own transaction
        audit.record(actor=actor, action="enrolment.reprice_preview", object_type="benefits.enrolment",
                     object_id="", object_label=f"{county.name} {preview['month']} 提标预览", region=county,
                     after={"households_changed": preview["households_changed"],
                            "total_before": preview["total_before"], "total_after": preview["total_after"]})
    return preview


@transaction.atomic
def standard_change_apply(*, actor, county: Region, month) -> dict:
    """Re-price the county's current enrolments for ``month`` (see the module docstring). Returns the
    preview of what it changed; a second run changes nothing."""
    county, first = _guard(actor, county, month)
    Region.objects.select_for_update().get(pk=county.pk)  # one apply per county at a time
    preview, changed = _compute(county, first)
    _write_changes(changed, first, actor_user(actor))
    notify("enrolment.repriced", key=f"reprice:{county.pk}:{first}", county=county, month=first)  # after commit
    stamped = (county_enrolments(county).exclude(status=EnrolmentStatus.ENDED)
               .exclude(priced_on=first).update(priced_on=first))
    audit.record(actor=actor, action="enrolment.reprice", object_type="benefits.enrolment", object_id="",
                 object_label=f"{county.name} {preview['month']} {REASON} {len(changed)} 户", region=county,
                 after={"month": preview["month"], "policy": preview["policy"],
                        "households_changed": preview["households_changed"],
                        "total_before": preview["total_before"], "total_after": preview["total_after"],
                        "changes": [{"enrolment": c["enrolment_id"], "before": c["before"], "after": c["after"]}
                                    for _id, _status, _category, c in changed],
                        "stamped": stamped},
                 note=REASON)
    return preview


_CHANGES = "benefits_repricing_change"  # a temporary table, dropped before the transaction ends


def _write_changes(changed: list, first: dt.date, user) -> None:
    """The new amounts (and ``priced_on``) and one ``EnrolmentEvent`` per changed enrolment, in three
    statements whatever their number: the changes go into a temporary table (COPY on PostgreSQL), from
    which one UPDATE … FROM sets the amounts and one INSERT … SELECT writes the events.

    The same rows as ``bulk_update`` and ``bulk_create`` of the model instances would write: the event's
    status and category are the enrolment's (unchanged), ``updated_at`` is not touched, and ``at`` is
    the time of the apply."""
    if not changed:
        return
    enrolments, events = Enrolment._meta.db_table, EnrolmentEvent._meta.db_table
    rows = [(enrolment_id, change["before"], change["after"],
             f"{REASON}：{change['before']} → {change['after']} 元，依据 {change['cause']}"[:300])
            for enrolment_id, _status, _category, change in changed]
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_CHANGES}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_CHANGES} (enrolment_id bigint PRIMARY KEY, "
                       "amount_before numeric(12, 2) NOT NULL, amount_after numeric(12, 2) NOT NULL, "
                       "reason varchar(300) NOT NULL)")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_CHANGES} (enrolment_id, amount_before, amount_after, reason) "
                                    "FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {_CHANGES} (enrolment_id, amount_before, amount_after, reason) "
                               "VALUES (%s, %s, %s, %s)", rows)
        cursor.execute(
            f"UPDATE {enrolments} SET monthly_amount = (SELECT c.amount_after FROM {_CHANGES} c "
            f"WHERE c.enrolment_id = {enrolments}.id), priced_on = %s "
            f"WHERE id IN (SELECT enrolment_id FROM {_CHANGES})",
            [ops.adapt_datefield_value(first)])
        cursor.execute(
            f"INSERT INTO {events} (enrolment_id, kind, effective_on, status_before, status_after, category_before, "
            "category_after, amount_before, amount_after, reason, actor_id, at) "
            "SELECT c.enrolment_id, %s, %s, e.status, e.status, e.category, e.category, c.amount_before, "
            f"c.amount_after, c.reason, %s, %s FROM {_CHANGES} c JOIN {enrolments} e ON e.id = c.enrolment_id "
            "ORDER BY c.enrolment_id",
            [str(EnrolmentEventKind.REPRICING), ops.adapt_datefield_value(first), getattr(user, "pk", None),
             ops.adapt_datetimefield_value(timezone.now())])
        cursor.execute(f"DROP TABLE {_CHANGES}")
