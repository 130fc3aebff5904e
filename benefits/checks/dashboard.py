"""Data of the staff dashboard (Wagtail admin home): four charts' series, as plain JSON-able dicts.

One query for the enrolments (rolled into months with pandas), one grouped query for the
enrolment events, the paid totals of benefits.payroll when it has locked months, and grouped
counts of hires/placements when jobs/training are there. About 20,000 households take a few
tens of milliseconds (docs/performance.md "Department checks").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from benefits.checks.reports import _in, _model, months_between, payable_by_month
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
    try:
        from benefits.payroll.selectors import paid_totals
    except ImportError:
        paid_totals = None
    if paid_totals is not None:
        paid = {row["month"]: row["amount"] for row in paid_totals(region, month_list[0], month_list[-1])}
        if paid:
            money_label = "实发金额(元)"
            money = [str(paid.get(m, Decimal("0.00"))) for m in month_list]

    events = (_in(EnrolmentEvent.objects.filter(effective_on__gte=first, effective_on__lte=as_of,
                                                kind__in=[EnrolmentEventKind.ENTRY, EnrolmentEventKind.EXIT]),
                  user, region, "enrolment__household__region")
              .annotate(month=TruncMonth("effective_on")).order_by().values("month", "kind").annotate(n=Count("id")))
    entries = dict.fromkeys(labels, 0)
    exits = dict.fromkeys(labels, 0)
    for row in events:
        key = f"{row['month']:%Y-%m}"
        target = entries if row["kind"] == EnrolmentEventKind.ENTRY else exits
        if key in target:
            target[key] = row["n"]

    placements: dict[str, list[int]] = {}
    hire = _model("jobs.Hire")
    if hire is not None:
        placements["就业登记(录用)"] = _monthly_counts(
            _in(hire.objects.filter(start_date__gte=first, start_date__lte=as_of), user, region, hire.REGION_FIELD),
            "start_date", labels)
    placement = _model("training.Placement")
    if placement is not None:
        placements["培训输出"] = _monthly_counts(
            _in(placement.objects.filter(start_date__gte=first, start_date__lte=as_of), user, region,
                placement.REGION_FIELD), "start_date", labels)

    return {
        "region": region.name,
        "as_of": as_of.isoformat(),
        "labels": labels,
        "households": households,
        "persons": persons,
        "money_label": money_label,
        "money": money,
        "category_mix": mix,
        "entries": list(entries.values()),
        "exits": list(exits.values()),
        "placements": placements,
    }


def _monthly_counts(queryset, date_field: str, labels: list[str]) -> list[int]:
    rows = queryset.annotate(month=TruncMonth(date_field)).order_by().values("month").annotate(n=Count("id"))
    counts = {f"{row['month']:%Y-%m}": row["n"] for row in rows}
    return [counts.get(label, 0) for label in labels]
