"""Data of the staff dashboard (Wagtail admin home): four charts' series, as plain JSON-able dicts.

One grouped query for the payable series (per start/end date, rolled into months with numpy), the
money paid from the locked payroll months (amount only: the runs' totals for a county), one grouped
query for the category mix, the enrolment events grouped by day and kind, and hires/placements
grouped by day when jobs/training are there. The demo county (20,000 households, months of locked
payroll) renders in well under a second (docs/performance.md "Dashboard and reports").
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from benefits import hooks
from benefits.checks.reports import (
    _in,
    counts_by_month,
    months_between,
    paid_amount_by_month,
    payable_by_month,
)
from benefits.models import PAYABLE_STATUSES, Category, Enrolment, EnrolmentEvent, EnrolmentEventKind
from reemployment.core.models import Region, today
from reemployment.dates import add_months, month_start

MONTHS = 12


def dashboard_data(user, region: Region, *, as_of: dt.date | None = None, months: int = MONTHS) -> dict:
    as_of = as_of or today()
    first = add_months(month_start(as_of), -(months - 1))
    month_list = months_between(first, as_of)
    labels = [f"{m:%Y-%m}" for m in month_list]

    series, _basis = payable_by_month(user, region, month_list)
    households = [row["households"] for row in series]
    persons = [row["persons"] for row in series]
    payable = [str(row["amount"]) for row in series]
    mix_rows = (_in(Enrolment.objects.filter(status__in=PAYABLE_STATUSES), user, region, "household__region")
                .order_by().values("category").annotate(n=Sum("persons")))
    by_category = {row["category"]: row["n"] or 0 for row in mix_rows}
    mix = {str(label): int(by_category.get(value, 0)) for value, label in Category.choices}

    money_label, money = "应发金额(元)", payable
    paid = paid_amount_by_month(user, region, month_list[0], month_list[-1])
    if paid:
        money_label = "实发金额(元)"
        money = [str(paid.get(m, "0.00")) for m in month_list]

    events = counts_by_month(
        _in(EnrolmentEvent.objects.filter(effective_on__gte=first, effective_on__lte=as_of,
                                          kind__in=[EnrolmentEventKind.ENTRY, EnrolmentEventKind.EXIT]),
            user, region, "enrolment__household__region"),
        "effective_on", month_list, by="kind")
    entries = [events.get((m, EnrolmentEventKind.ENTRY), 0) for m in month_list]
    exits = [events.get((m, EnrolmentEventKind.EXIT), 0) for m in month_list]

    placements: dict[str, list[int]] = {}
    hire = hooks.report_model("hire")
    if hire is not None:
        counts = counts_by_month(_in(hire.objects.filter(start_date__gte=first, start_date__lte=as_of), user, region,
                                     hire.REGION_FIELD), "start_date", month_list)
        placements["就业登记(录用)"] = [counts.get(m, 0) for m in month_list]
    placement = hooks.report_model("placement")
    if placement is not None:
        counts = counts_by_month(_in(placement.objects.filter(start_date__gte=first, start_date__lte=as_of), user,
                                     region, placement.REGION_FIELD), "start_date", month_list)
        placements["培训输出"] = [counts.get(m, 0) for m in month_list]

    return {
        "region": region.name,
        "as_of": as_of.isoformat(),
        "labels": labels,
        "households": households,
        "persons": persons,
        "money_label": money_label,
        "money": money,
        "category_mix": mix,
        "entries": entries,
        "exits": exits,
        "placements": placements,
    }
