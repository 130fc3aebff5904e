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

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits import rules
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
from benefits.selectors import rule_inputs
from reemployment.core import audit
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, Role
from reemployment.core.notify import notify
from reemployment.core.permissions import actor_user, require
from reemployment.core.selectors import parameters_in_force, standard_in_force
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


class _Assessor:
    """``selectors.assess`` for many households of one month: the same inputs (``rule_inputs``) and rule
    (``rules.assess_household``), with the standard and parameters looked up once per region and area."""

    def __init__(self, month: dt.date):
        self.month = month
        self.policy: dict = {}

    def __call__(self, household: Household) -> rules.Assessment:
        members, incomes, assets = rule_inputs(household, self.month)
        if not members:
            raise DomainError(_("家庭没有在册成员"))
        key = (household.region_id, household.area)
        if key not in self.policy:
            self.policy[key] = (standard_in_force(household.region, household.area, self.month).monthly_amount,
                                parameters_in_force(household.region, self.month))
        standard, params = self.policy[key]
        try:
            return rules.assess_household(members, incomes, assets, household.area, standard, params, self.month)
        except rules.RuleInputError as exc:
            raise DomainError(_("无法核算：%(exc)s") % {"exc": exc}) from exc


def _household_row(household: Household) -> dict:
    return {"household": household.number, "household_id": household.pk, "region": household.region.name,
            "region_code": household.region.code, "area": household.area}


def _compute(county: Region, month: dt.date) -> tuple[dict, list]:
    rows = policy_rows(county, month)
    assess = _Assessor(month)
    current = list(county_enrolments(county).exclude(status=EnrolmentStatus.ENDED)
                   .select_related("household__region").prefetch_related("household__members").order_by("id"))
    changes, needs_review, changed_rows = [], [], []
    groups: dict = defaultdict(lambda: {"households": 0, "persons": 0, "before": ZERO, "after": ZERO})
    total_before = total_after = ZERO
    for enrolment in current:
        before = enrolment.monthly_amount
        after = before
        try:
            assessment = assess(enrolment.household)
        except DomainError as exc:
            needs_review.append({**_household_row(enrolment.household), "enrolment_id": enrolment.pk,
                                 "reason": str(exc)})
            assessment = None
        if assessment is not None:
            if not assessment.eligible:
                needs_review.append({**_household_row(enrolment.household), "enrolment_id": enrolment.pk,
                                     "reason": "；".join(assessment.reasons)})
            elif assessment.category != enrolment.category or assessment.household_size != enrolment.persons:
                needs_review.append({
                    **_household_row(enrolment.household), "enrolment_id": enrolment.pk,
                    "reason": f"核算为 {assessment.category} 类 {assessment.household_size} 人，"
                              f"在保为 {enrolment.category} 类 {enrolment.persons} 人"})
            else:
                after = round_yuan(assessment.monthly_amount)
        total_before += before
        total_after += after
        if after == before:
            continue
        change = {**_household_row(enrolment.household), "enrolment_id": enrolment.pk,
                  "certificate": enrolment.certificate_number, "category": enrolment.category,
                  "persons": enrolment.persons, "before": before, "after": after,
                  "cause": _cause(rows, enrolment.area)}
        changes.append(change)
        changed_rows.append((enrolment, change))
        group = groups[(enrolment.area, enrolment.category)]
        group["households"] += 1
        group["persons"] += enrolment.persons
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
    assess = _Assessor(month)
    candidates = (Household.objects.filter(pk__in=set(rejected) | set(ended)).select_related("region")
                  .exclude(enrolments__status__in=[s for s in EnrolmentStatus.values if s != EnrolmentStatus.ENDED])
                  .exclude(applications__step__in=[ApplicationStep.SUBMITTED, ApplicationStep.SURVEYED,
                                                   ApplicationStep.APPRAISED, ApplicationStep.NOTICE,
                                                   ApplicationStep.REVIEWED, ApplicationStep.APPROVED])
                  .distinct().prefetch_related("members").order_by("number"))
    found = []
    for household in candidates:
        try:
            assessment = assess(household)
        except DomainError:
            continue
        if assessment.per_capita_income < assessment.standard:
            found.append({**_household_row(household), "per_capita_income": round_yuan(assessment.per_capita_income),
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
    user = actor_user(actor)
    enrolments = []
    for enrolment, change in changed:
        enrolment.monthly_amount = change["after"]
        enrolment.priced_on = first
        enrolments.append(enrolment)
    Enrolment.objects.bulk_update(enrolments, ["monthly_amount", "priced_on"], batch_size=2000)
    EnrolmentEvent.objects.bulk_create([
        EnrolmentEvent(enrolment=e, kind=EnrolmentEventKind.REPRICING, effective_on=first,
                       status_before=e.status, status_after=e.status,
                       category_before=e.category, category_after=e.category,
                       amount_before=change["before"], amount_after=change["after"],
                       reason=f"{REASON}：{change['before']} → {change['after']} 元，依据 {change['cause']}"[:300],
                       actor=user)
        for e, change in changed
    ], batch_size=2000)
    notify("enrolment.repriced", key=f"reprice:{county.pk}:{first}", county=county, month=first)  # after commit
    stamped = (county_enrolments(county).exclude(status=EnrolmentStatus.ENDED)
               .exclude(priced_on=first).update(priced_on=first))
    audit.record(actor=actor, action="enrolment.reprice", object_type="benefits.enrolment", object_id="",
                 object_label=f"{county.name} {preview['month']} {REASON} {len(changed)} 户", region=county,
                 after={"month": preview["month"], "policy": preview["policy"],
                        "households_changed": preview["households_changed"],
                        "total_before": preview["total_before"], "total_after": preview["total_after"],
                        "changes": [{"enrolment": c["enrolment_id"], "before": c["before"], "after": c["after"]}
                                    for _e, c in changed],
                        "stamped": stamped},
                 note=REASON)
    return preview

