"""The tables the field reports print (DESIGN.md §2 "Reports"), per jurisdiction and period.

Every figure is a SQL aggregate (grouped at community/village level) rolled up with pandas to the
children of the chosen region; no per-household Python loops. Reads are scoped to the user's
jurisdiction first, then limited to the chosen region. Exports: CSV (UTF-8 with BOM, opens in
Excel) and XLSX (one sheet per table).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from django.apps import apps
from django.db.models import BigIntegerField, Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from benefits import hooks
from benefits.models import (
    Category,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Member,
)
from benefits.payroll.selectors import paid_totals
from reemployment.core.errors import DomainError
from reemployment.core.exports import CsvWriter, append_row
from reemployment.core.models import Area, Region, RegionLevel
from reemployment.core.scoping import in_jurisdiction, regions_for, scope
from reemployment.dates import add_months, month_start

DASH = "—"
ZERO = Decimal("0.00")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def payable_amount_expr():
    """What a month pays an enrolment: the transition amount while transitional (as ``payable_amount``)."""
    return Case(When(status=EnrolmentStatus.TRANSITIONAL, transition_amount__isnull=False,
                     then=F("transition_amount")), default=F("monthly_amount"),
                output_field=DecimalField(max_digits=12, decimal_places=2))


def payable_on_q(day: dt.date, prefix: str = "") -> Q:
    """Enrolments receiving benefit on ``day``: started, not ended by then, and not suspended now.

    Enrolments ended after ``day`` count (they were paying then); a suspension's dates are not
    kept on the enrolment, so a currently suspended one is left out of every day.
    """
    p = prefix
    return (Q(**{f"{p}start_date__lte": day})
            & (Q(**{f"{p}end_date__isnull": True}) | Q(**{f"{p}end_date__gt": day}))
            & Q(**{f"{p}status__in": [EnrolmentStatus.ACTIVE, EnrolmentStatus.TRANSITIONAL, EnrolmentStatus.ENDED]}))


def check_region(user, region: Region) -> Region:
    if not in_jurisdiction(user, region):
        raise DomainError(_("该区域不在您的辖区"), code="not_found",
                          status=404)
    return region


def _in(queryset: QuerySet, user, region: Region, region_field: str) -> QuerySet:
    return scope(queryset, user, region_field).filter(**{f"{region_field}__path__startswith": region.path})


def child_regions(region: Region) -> dict[int, Region]:
    return {r.pk: r for r in Region.objects.filter(parent=region).order_by("code")}


def _roll_up(frame: pd.DataFrame, region: Region, path_column: str = "path") -> pd.Series:
    """The code of the child of ``region`` each row's community path lies under (the region's own
    code for rows directly in it). Codes sort in the official order; :func:`_unit_names` names them."""
    depth = region.path.count("/")
    return frame[path_column].str.split("/").str[depth].fillna(region.code)


def _unit_names(region: Region) -> dict[str, str]:
    names = dict(Region.objects.filter(parent=region).values_list("code", "name"))
    names[region.code] = region.name
    return names


def _money(value) -> Decimal:
    return (value if isinstance(value, Decimal) else Decimal(str(value or 0))).quantize(Decimal("0.01"))


def _per_person(amount: Decimal, persons: int) -> Decimal:
    return (amount / persons).quantize(Decimal("0.01")) if persons else ZERO


def enrolment_frame(user, region: Region, day: dt.date) -> pd.DataFrame:
    """Payable enrolments on ``day`` grouped at community level × area × category (one SQL query)."""
    rows = (_in(Enrolment.objects.filter(payable_on_q(day)), user, region, "household__region").order_by()
            .values("household__region__path", "area", "category")
            .annotate(households=Count("id"), persons=Sum("persons"), amount=Sum(payable_amount_expr())))
    frame = pd.DataFrame.from_records(list(rows), columns=["household__region__path", "area", "category",
                                                           "households", "persons", "amount"])
    return frame.rename(columns={"household__region__path": "path"})


def table_by_area_category(user, region: Region, day: dt.date) -> Table:
    frame = enrolment_frame(user, region, day)
    table = Table("by_area_category", f"低保户数、人数（按区域和类别，截至 {day}）",
                  ["区域", "城乡", "类别", "户数", "人数", "月保障金(元)", "人均月保障金(元)"])
    if frame.empty:
        table.rows.append(["合计", "", "", 0, 0, ZERO, ZERO])
        return table
    frame["unit"] = _roll_up(frame, region)
    grouped = frame.groupby(["unit", "area", "category"], sort=True).agg(
        households=("households", "sum"), persons=("persons", "sum"), amount=("amount", "sum"))
    area_label = dict(Area.choices)
    category_label = dict(Category.choices)
    names = _unit_names(region)
    for (unit, area, category), r in grouped.iterrows():
        amount = _money(r.amount)
        table.rows.append([names.get(unit, unit), str(area_label.get(area, area)), str(category_label.get(category, category)),
                           int(r.households), int(r.persons), amount, _per_person(amount, int(r.persons))])
    total_amount = _money(sum(frame["amount"], ZERO))
    total_persons = int(frame["persons"].sum())
    table.rows.append(["合计", "", "", int(frame["households"].sum()), total_persons, total_amount,
                       _per_person(total_amount, total_persons)])
    return table


def table_coverage(user, region: Region, day: dt.date) -> Table:
    """Coverage rate (保障面): persons receiving benefit ÷ persons of the households registered here."""
    covered = enrolment_frame(user, region, day)
    population = pd.DataFrame.from_records(list(
        _in(Member.objects.filter(died_on__isnull=True, left_on__isnull=True), user, region, "household__region")
        .order_by().values("household__region__path").annotate(n=Count("id"))),
        columns=["household__region__path", "n"]).rename(columns={"household__region__path": "path"})
    table = Table("coverage", f"保障覆盖率（截至 {day}）", ["区域", "登记家庭人口", "低保人数", "覆盖率(%)"],
                  note="覆盖率 = 低保人数 ÷ 本系统登记家庭的在册人口（含申请和已退出家庭）。")
    units: dict[str, list[int]] = {}
    if not population.empty:
        population["unit"] = _roll_up(population, region)
        for unit, n in population.groupby("unit")["n"].sum().items():
            units.setdefault(unit, [0, 0])[0] = int(n)
    if not covered.empty:
        covered["unit"] = _roll_up(covered, region)
        for unit, n in covered.groupby("unit")["persons"].sum().items():
            units.setdefault(unit, [0, 0])[1] = int(n)
    total = [0, 0]
    names = _unit_names(region)
    for unit in sorted(units):
        people, insured = units[unit]
        total[0] += people
        total[1] += insured
        table.rows.append([names.get(unit, unit), people, insured, _rate(insured, people)])
    table.rows.append(["合计", total[0], total[1], _rate(total[1], total[0])])
    return table


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else Decimal("0.0")


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def money_by_month(user, region: Region, start: dt.date, end: dt.date) -> tuple[list[dict], str]:
    """Money per month: paid (locked payroll lines) when benefits.payroll has them, else payable."""
    months = months_between(start, end)
    if months:
        paid = {row["month"]: row for row in paid_totals(region, months[0], months[-1])}
        if paid:
            return [{"month": m, "households": paid.get(m, {}).get("households", 0),
                     "persons": paid.get(m, {}).get("persons", 0) or 0,
                     "amount": _money(paid.get(m, {}).get("amount", ZERO))} for m in months], "paid"
    return payable_by_month(user, region, months)


def cents_expr(amount):
    """Yuan → integer fen in SQL (``ROUND(amount × 100)``): sums are then exact integers on every database
    (SQLite keeps decimals as floating point) and nothing has to be converted row by row in Python."""
    return Cast(Round(amount * Value(100)), BigIntegerField())


def _month_index(dates: pd.Series) -> pd.Series:
    return dates.dt.year * 12 + dates.dt.month - 1


def payable_by_month(user, region: Region, months: list[dt.date]) -> tuple[list[dict], str]:
    """Payable on the 1st of each month (as :func:`payable_on_q`).

    One grouped query — households, persons and amount (in fen) per distinct (start date, end date) —
    then a months × groups boolean matrix in numpy: no per-enrolment row leaves the database.
    """
    rows = (_in(Enrolment.objects.exclude(status=EnrolmentStatus.SUSPENDED), user, region, "household__region")
            .order_by().values("start_date", "end_date")
            .annotate(households=Count("id"), persons=Sum("persons"), cents=Sum(cents_expr(payable_amount_expr()))))
    frame = pd.DataFrame.from_records(list(rows), columns=["start_date", "end_date", "households", "persons", "cents"])
    if frame.empty or not months:
        return [{"month": m, "households": 0, "persons": 0, "amount": ZERO} for m in months], "payable"
    start = pd.to_datetime(frame["start_date"])
    end = pd.to_datetime(frame["end_date"])
    # Payable on the 1st of month m ⇔ start <= 1st (the start month, +1 unless it starts on the 1st) and
    # end > 1st (the end month, +1 when it ends after the 1st).
    first_month = (_month_index(start) + (start.dt.day > 1)).to_numpy()
    after_last = (_month_index(end) + (end.dt.day > 1)).fillna(10**9).to_numpy()
    index = np.array([m.year * 12 + m.month - 1 for m in months])[:, None]
    on = (first_month[None, :] <= index) & (after_last[None, :] > index)  # months × groups
    households = on @ frame["households"].to_numpy(dtype=np.int64)
    persons = on @ frame["persons"].fillna(0).to_numpy(dtype=np.int64)
    cents = on @ frame["cents"].fillna(0).to_numpy(dtype=np.int64)
    return [{"month": month, "households": int(households[i]), "persons": int(persons[i]),
             "amount": (Decimal(int(cents[i])) / 100).quantize(Decimal("0.01"))}
            for i, month in enumerate(months)], "payable"


def paid_amount_by_month(user, region: Region, first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    """Money paid per month (locked payroll months), amount only — what the dashboard charts.

    Unlike ``benefits.payroll.selectors.paid_totals`` (the report's table: lines, distinct households,
    persons) this counts nothing. For a county or larger it adds up the locked runs' totals, one row per
    county and month (``benefits.payroll`` keeps a run's totals with its lines, and a locked month never
    changes); for a township or community it sums the lines of its communities (index on region, month).
    Empty when the payroll app is not there or nothing is locked.
    """
    run_model, line_model = _model("payroll.PayrollRun"), _model("payroll.PaymentLine")
    if run_model is None or line_model is None:
        return {}
    if region.level in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE):
        rows = (_in(run_model.objects.filter(status="locked", month__gte=first, month__lte=last), user, region,
                    "county").order_by().values("month").annotate(cents=Sum(cents_expr(F("total_amount")))))
    else:
        communities = regions_for(user).filter(path__startswith=region.path)
        rows = (line_model.objects.filter(region__in=communities, month__gte=first, month__lte=last,
                                          run__status="locked")
                .order_by().values("month").annotate(cents=Sum(cents_expr(F("amount")))))
    return {row["month"]: (Decimal(int(row["cents"] or 0)) / 100).quantize(Decimal("0.01")) for row in rows}


def counts_by_month(queryset: QuerySet, date_field: str, months: list[dt.date], *, by: str | None = None) -> dict:
    """Rows per month of ``date_field`` (and per value of ``by``): grouped by day in SQL — no date function per
    row, which SQLite would run in Python — then rolled up to months with pandas.
    Returns ``{month: n}``, or ``{(month, value): n}`` with ``by``; months outside ``months`` are dropped."""
    keys = [date_field, *([by] if by else [])]
    frame = pd.DataFrame.from_records(list(queryset.order_by().values(*keys).annotate(n=Count("id"))),
                                      columns=[*keys, "n"])
    if frame.empty:
        return {}
    frame["month"] = pd.to_datetime(frame[date_field]).dt.to_period("M").dt.start_time.dt.date
    frame = frame[frame["month"].isin(months)]
    return frame.groupby(["month", *([by] if by else [])])["n"].sum().astype(int).to_dict()


def table_money(user, region: Region, start: dt.date, end: dt.date) -> Table:
    rows, basis = money_by_month(user, region, start, end)
    label = "实发（发放名册）" if basis == "paid" else "应发（按在保待遇测算，无已锁定发放名册）"
    table = Table("money", f"低保金按月发放及累计（{label}）", ["月份", "户数", "人数", "金额(元)", "累计(元)"],
                  note="" if basis == "paid" else "应发 = 当月1日在保待遇的月保障金合计（过渡期按过渡期金额）。")
    cumulative = ZERO
    for row in rows:
        cumulative += row["amount"]
        table.rows.append([f"{row['month']:%Y-%m}", row["households"], row["persons"], row["amount"], cumulative])
    return table


def event_counts(user, region: Region, start: dt.date, end: dt.date) -> dict[str, dict]:
    rows = (_in(EnrolmentEvent.objects.filter(effective_on__gte=start, effective_on__lte=end), user, region,
                "enrolment__household__region").order_by().values("kind")
            .annotate(n=Count("id"), households=Count("enrolment__household", distinct=True),
                      before=Sum("amount_before"), after=Sum("amount_after")))
    return {row["kind"]: row for row in rows}


def table_movements(user, region: Region, start: dt.date, end: dt.date) -> Table:
    counts = event_counts(user, region, start, end)
    table = Table("movements", f"进入、退出与金额调整（{start} 至 {end}）",
                  ["变动类型", "次数", "涉及户数", "变动前月金额合计(元)", "变动后月金额合计(元)", "月金额净变化(元)"])
    for kind, label in EnrolmentEventKind.choices:
        row = counts.get(kind, {"n": 0, "households": 0, "before": None, "after": None})
        before, after = _money(row["before"] or ZERO), _money(row["after"] or ZERO)
        table.rows.append([str(label), row["n"], row["households"], before, after, after - before])
    return table


def _model(label: str):
    """A model of payroll (inside benefits), or None while that app is not installed."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def jobs_figures(user, region: Region, start: dt.date, end: dt.date) -> dict[str, int | str]:
    """Referrals, refusals, hires (jobs) and transitions (enrolment history); "—" where jobs is absent."""
    figures: dict[str, int | str] = {"referrals": DASH, "refusals": DASH, "hires": DASH}
    referral, hire = hooks.report_model("referral"), hooks.report_model("hire")
    if referral is not None:
        base = _in(referral.objects.filter(referred_on__gte=start, referred_on__lte=end), user, region,
                   referral.REGION_FIELD)
        figures["referrals"] = base.count()
        figures["refusals"] = _in(referral.objects.filter(status="refused", outcome_on__gte=start,
                                                          outcome_on__lte=end), user, region,
                                  referral.REGION_FIELD).count()
    if hire is not None:
        figures["hires"] = _in(hire.objects.filter(start_date__gte=start, start_date__lte=end), user, region,
                               hire.REGION_FIELD).count()
    figures["transitions"] = _in(EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.TRANSITION_START,
                                                               effective_on__gte=start, effective_on__lte=end),
                                 user, region, "enrolment__household__region").count()
    return figures


def training_figures(user, region: Region, start: dt.date, end: dt.date) -> dict[str, int | str]:
    figures: dict[str, int | str] = {"completed": DASH, "placed": DASH, "output_rate": DASH}
    enrolment, placement = hooks.report_model("training_enrolment"), hooks.report_model("placement")
    if enrolment is None:
        return figures
    completed = _in(enrolment.objects.filter(status="completed", completed_on__gte=start, completed_on__lte=end),
                    user, region, enrolment.REGION_FIELD)
    figures["completed"] = completed.count()
    if placement is not None:
        figures["placed"] = completed.filter(placement__isnull=False).count()
        figures["output_rate"] = _rate(figures["placed"], figures["completed"])
    return figures


def table_jobs_training(user, region: Region, start: dt.date, end: dt.date) -> Table:
    jobs = jobs_figures(user, region, start, end)
    training = training_figures(user, region, start, end)
    table = Table("jobs_training", f"就业与培训（{start} 至 {end}）", ["指标", "数值"],
                  note="“—”表示相应模块未启用。培训输出率 = 期内结业学员中已就业人数 ÷ 期内结业人数。")
    table.rows += [
        ["岗位推荐次数", jobs["referrals"]], ["拒绝推荐岗位次数", jobs["refusals"]], ["就业登记(录用)人数", jobs["hires"]],
        ["进入就业过渡期户数", jobs["transitions"]], ["培训结业人数", training["completed"]],
        ["结业后已就业(输出)人数", training["placed"]], ["培训输出率(%)", training["output_rate"]],
    ]
    return table


def table_occupations(user, region: Region, start: dt.date, end: dt.date) -> Table:
    """Vacancies posted, referrals and hires in the period by occupation code (职业分类大典 2022, the
    code jobs gives each vacancy; staff can correct it). One row per code, most vacancies first."""
    table = Table("occupations", f"按职业统计（职业分类大典编码，{start} 至 {end}）",
                  ["职业编码", "职业", "期内发布岗位数", "期内推荐次数", "期内录用人数"],
                  note="职业编码由系统按岗位名称和职业自动编定，工作人员可在岗位编辑页更正；“未编码”为无法识别职业的岗位。")
    vacancy, referral, hire = hooks.report_model("vacancy"), hooks.report_model("referral"), hooks.report_model("hire")
    if vacancy is None:
        table.note = "“—”表示相应模块未启用。"
        return table
    posted = (_in(vacancy.objects.filter(created_at__date__gte=start, created_at__date__lte=end), user, region,
                  vacancy.REGION_FIELD).order_by().values("occupation_code", "occupation").annotate(n=Count("id")))
    counts: dict[str, dict] = {}
    names: dict[str, tuple[int, str]] = {}
    for row in posted:
        code = row["occupation_code"] or ""
        counts.setdefault(code, {"posted": 0, "referrals": 0, "hires": 0})["posted"] += row["n"]
        if row["occupation"] and row["n"] > names.get(code, (0, ""))[0]:
            names[code] = (row["n"], row["occupation"])
    for model, key, date_field in ((referral, "referrals", "referred_on"), (hire, "hires", "start_date")):
        if model is None:
            continue
        rows = (_in(model.objects.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end}), user, region,
                    model.REGION_FIELD).order_by().values("vacancy__occupation_code", "vacancy__occupation")
                .annotate(n=Count("id")))
        for row in rows:
            code = row["vacancy__occupation_code"] or ""
            counts.setdefault(code, {"posted": 0, "referrals": 0, "hires": 0})[key] += row["n"]
            if row["vacancy__occupation"] and code not in names:
                names[code] = (0, row["vacancy__occupation"])
    for code, c in sorted(counts.items(), key=lambda item: (-item[1]["posted"], -item[1]["hires"], item[0] or "~")):
        table.rows.append([code or "未编码", names.get(code, (0, DASH))[1], c["posted"], c["referrals"], c["hires"]])
    return table


def build_report(user, *, region: Region, start: dt.date, end: dt.date) -> list[Table]:
    """All report tables for a region of the user's jurisdiction and a period (inclusive)."""
    check_region(user, region)
    if end < start:
        raise DomainError(_("结束日期早于开始日期"), code="bad_period")
    return [
        table_by_area_category(user, region, end),
        table_coverage(user, region, end),
        table_money(user, region, start, end),
        table_movements(user, region, start, end),
        table_jobs_training(user, region, start, end),
        table_occupations(user, region, start, end),
    ]


def _cell(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_csv(tables: list[Table], *, title: str = "") -> bytes:
    """All tables one after the other (a title line, the header, the rows, a blank line); UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    if title:
        writer.writerow([title])
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_cell(v) for v in row])
        if table.note:
            writer.writerow([f"说明：{table.note}"])
        writer.writerow([])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(tables: list[Table], *, title: str = "") -> bytes:
    """One sheet per table; money cells are numbers with two decimals."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.key[:31])
        append_row(sheet, [table.title + (f"（{title}）" if title else "")])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, table.headers)
        for row in table.rows:
            append_row(sheet, row)  # openpyxl writes Decimal as a number
        if table.note:
            append_row(sheet, [f"说明：{table.note}"])
        for cells in sheet.iter_rows(min_row=3):
            for cell in cells:
                if isinstance(cell.value, (Decimal, float)):
                    cell.number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

