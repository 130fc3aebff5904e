"""Staff dashboard and reports for a demo-sized county (~20,000 households, ~44,000 persons) with a year
of locked payroll.

    .venv/bin/python benchmarks/checks_dashboard_bench.py [--households 20000] [--locked-months 12]
        [--database-url postgres://postgres@127.0.0.1:5432/reemployment_dashbench]
    .venv/bin/python benchmarks/checks_dashboard_bench.py --database-url sqlite:////tmp/dashbench.sqlite3

Loads its own county (341198) into the benchmark database (PostgreSQL: COPY; SQLite: batched inserts):
enrolments spread over the 18 months before 2026-11-15, with entry and exit events, and the payroll of
the months up to then — ``--locked-months`` locked months and the current month computed, one line per
enrolment payable on the 1st, written with one INSERT … SELECT per month (~180,000 lines for 12 months).
Then times — median of 5 runs, after one warm-up — the dashboard data, the whole Wagtail admin home
page (with the dashboard panel) for a county user, the money-paid figures the dashboard and the report
use, and the report page for a year. Target (issue 7): the dashboard renders in under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checks_common import copy_rows, migrate, setup_django

COUNTY = "341198"
PERSONS_PATTERN = (1, 2, 2, 3, 3)
AS_OF = dt.date(2026, 11, 15)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reemployment_dashbench"


def load_payroll(county, locked_months: int) -> int:
    """Payroll runs of the ``locked_months`` months before AS_OF's month (locked) and of AS_OF's month
    (computed): one line per enrolment payable on the month's 1st, inserted set-based (INSERT … SELECT)."""
    from django.db import connection, transaction
    from django.db.models import Count, Sum
    from django.utils import timezone

    from benefits.models import Enrolment, Household
    from benefits.payroll.models import PaymentLine, PayrollRun
    from reemployment.core.models import Region
    from reemployment.dates import add_months, month_start

    if PayrollRun.objects.filter(county=county).exists():
        return PaymentLine.objects.filter(run__county=county).count()
    current = month_start(AS_OF)
    months = [add_months(current, -k) for k in range(locked_months, -1, -1)]
    line, enrolment, household, region = (PaymentLine._meta, Enrolment._meta, Household._meta, Region._meta)
    q = connection.ops.quote_name
    columns = ["run_id", "enrolment_id", "household_id", "region_id", "month", "amount", "persons", "category",
               "area", "bank_account", "bank_name"]
    insert = (
        f"INSERT INTO {q(line.db_table)} ({', '.join(q(c) for c in columns)}) "
        f"SELECT %s, e.id, e.household_id, h.region_id, %s, e.monthly_amount, e.persons, e.category, e.area, '', '' "
        f"FROM {q(enrolment.db_table)} e JOIN {q(household.db_table)} h ON h.id = e.household_id "
        f"JOIN {q(region.db_table)} r ON r.id = h.region_id "
        f"WHERE r.path LIKE %s AND e.start_date <= %s AND (e.end_date IS NULL OR e.end_date > %s)"
    )
    total = 0
    with transaction.atomic():
        for month in months:
            # Lines go into a computed run; the run is locked afterwards (the database refuses lines of a
            # locked month, as in benefits.payroll).
            run = PayrollRun.objects.create(county=county, month=month, status="computed", computed_at=timezone.now())
            with connection.cursor() as cursor:
                cursor.execute(insert, [run.pk, month, f"{county.path}%", month, month])
                total += cursor.rowcount
            sums = PaymentLine.objects.filter(run=run).aggregate(lines=Count("id"), households=Count("household"),
                                                                 persons=Sum("persons"), amount=Sum("amount"))
            locked = {"status": "locked", "locked_at": timezone.now()} if month != current else {}
            PayrollRun.objects.filter(pk=run.pk).update(lines=sums["lines"], households=sums["households"],
                                                       persons=sums["persons"] or 0,
                                                       total_amount=sums["amount"] or Decimal("0.00"), **locked)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return total


def prepare(households: int) -> dict:
    from django.db.models import Sum

    from benefits.models import Enrolment, EnrolmentEvent, Household, Member
    from reemployment.core.models import Region, Role, User
    from reemployment.core.roles import assign_role_group, sync_role_groups
    from reemployment.idcard import make_id_number

    county, _ = Region.objects.get_or_create(code=COUNTY, defaults={"name": "看板县", "level": "county"})
    communities = []
    for t in range(8):
        town, _ = Region.objects.get_or_create(code=f"{COUNTY}{100 + t}", defaults={
            "name": f"看板镇{t}", "level": "township", "area": "urban" if t == 0 else "rural", "parent": county})
        for c in range(8):
            community, _ = Region.objects.get_or_create(code=f"{town.code}{c + 1:03d}", defaults={
                "name": f"看板村{t}-{c}", "level": "community", "area": town.area, "parent": town})
            communities.append(community)
    sync_role_groups()
    user, created = User.objects.get_or_create(username="bench-county", defaults={"role": Role.COUNTY,
                                                                                   "region": county})
    if created:
        assign_role_group(user)
    existing = Household.objects.filter(region__path__startswith=county.path).count()
    if existing != households:
        if existing:
            raise SystemExit(f"county {COUNTY} already has {existing} households; drop the benchmark database")
        copy_rows(Household, ((f"K{i:07d}", communities[i % 64].pk, communities[i % 64].area)
                              for i in range(households)), ["number", "region", "area"])
        ids = dict(Household.objects.filter(number__startswith="K").values_list("number", "id"))

        def members():
            i = 0
            for h in range(households):
                for p in range(PERSONS_PATTERN[h % 5]):
                    number = make_id_number(COUNTY, dt.date(1945, 1, 1) + dt.timedelta(days=i // 999), i % 999 + 1)
                    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
                    yield (ids[f"K{h:07d}"], number, f"成员{i}", "M" if int(number[16]) % 2 else "F", birth,
                           "head" if p == 0 else "child", communities[h % 64].area)
                    i += 1

        copy_rows(Member, members(), ["household", "id_number", "name", "sex", "birth_date", "relation",
                                      "hukou_area"])

        def start(h):  # spread over the 18 months before AS_OF
            return dt.date(2025, 6, 1) + dt.timedelta(days=(h * 7) % 540)

        def ended(h):
            return h % 20 == 0  # 5 % have left

        copy_rows(Enrolment, ((ids[f"K{h:07d}"], communities[h % 64].area, "ABC"[h % 3], Decimal(150 + h % 300),
                               PERSONS_PATTERN[h % 5], "ended" if ended(h) else "active", start(h),
                               start(h) + dt.timedelta(days=120) if ended(h) else None, f"KC{h:07d}")
                              for h in range(households)),
                  ["household", "area", "category", "monthly_amount", "persons", "status", "start_date", "end_date",
                   "certificate_number"])
        enrolments = dict(Enrolment.objects.filter(certificate_number__startswith="KC")
                          .values_list("certificate_number", "id"))

        def events():
            for h in range(households):
                enrolment_id = enrolments[f"KC{h:07d}"]
                yield (enrolment_id, "entry", start(h), "纳入", "", "active", Decimal(150 + h % 300))
                if ended(h):
                    yield (enrolment_id, "exit", start(h) + dt.timedelta(days=120), "退出", "active", "ended", None)

        copy_rows(EnrolmentEvent, events(), ["enrolment", "kind", "effective_on", "reason", "status_before",
                                             "status_after", "amount_after"])
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    persons = Enrolment.objects.filter(household__region__path__startswith=county.path).aggregate(
        n=Sum("persons"))["n"]
    return {"county": county, "user": user, "households": households, "persons": persons}


def median_seconds(fn, runs: int = 5) -> float:
    fn()  # warm-up (imports, template compilation, connection)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--locked-months", type=int, default=12)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    setup_django(args.database_url)
    migrate()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from benefits.checks import reports
    from benefits.checks.dashboard import dashboard_data

    data = prepare(args.households)
    county, user = data["county"], data["user"]
    lines = load_payroll(county, args.locked_months)
    client = Client()
    client.force_login(user)
    home = reverse("wagtailadmin_home")
    report_url = reverse("checks_reports")
    report_params = {"region": county.pk, "start": "2026-01-01", "end": "2026-10-31"}

    def home_page():
        response = client.get(home)
        assert response.status_code == 200 and "checks-dashboard-data" in response.text, response.status_code

    def report_page():
        assert client.get(report_url, report_params).status_code == 200

    dashboard_data(user, county, as_of=AS_OF)  # the user's region is then known (scoping caches it)
    connection.force_debug_cursor = True
    connection.queries_log.clear()
    dashboard_data(user, county, as_of=AS_OF)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    from benefits.payroll.selectors import paid_totals
    from reemployment.dates import add_months, month_start

    year = (add_months(month_start(AS_OF), -11), month_start(AS_OF))
    figures = {
        "dashboard_data_s": median_seconds(lambda: dashboard_data(user, county, as_of=AS_OF)),
        "admin_home_s": median_seconds(home_page),
        "dashboard money paid_s": median_seconds(lambda: reports.paid_amount_by_month(user, county, *year)),
        "report paid_totals_s": median_seconds(lambda: paid_totals(county, *year)),
        "report_tables_s": median_seconds(lambda: reports.build_report(
            user, region=county, start=dt.date(2026, 1, 1), end=dt.date(2026, 10, 31))),
        "report_page_s": median_seconds(report_page),
    }
    print(f"database                  {connection.vendor:>10}")
    print(f"households                {data['households']:>10,}")
    print(f"persons (enrolled)        {data['persons']:>10,}")
    print(f"payment lines             {lines:>10,}")
    print(f"dashboard queries         {len(queries):>10}")
    for key, value in figures.items():
        print(f"{key:<25} {value:>10.3f} s")
    print("target: admin home with the dashboard < 1 s")


if __name__ == "__main__":
    main()
