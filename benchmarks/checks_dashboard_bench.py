"""Staff dashboard and reports for a demo-sized county (~20,000 households, ~44,000 persons).

    .venv/bin/python benchmarks/checks_dashboard_bench.py [--households 20000]
        [--database-url postgres://postgres@127.0.0.1:5432/reemployment_checks_bench]

Loads its own county (341198) into the benchmark database with COPY (enrolments spread over the
last 18 months, with entry and exit events), then times — median of 5 runs, after one warm-up —
the dashboard data, the whole Wagtail admin home page (with the dashboard panel) for a county
user, and the report page for a year. Target (issue 7): the dashboard renders in under 1 s.
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
    parser.add_argument("--database-url")
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

    connection.force_debug_cursor = True
    connection.queries_log.clear()
    dashboard_data(user, county, as_of=AS_OF)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    figures = {
        "dashboard_data_s": median_seconds(lambda: dashboard_data(user, county, as_of=AS_OF)),
        "admin_home_s": median_seconds(home_page),
        "report_tables_s": median_seconds(lambda: reports.build_report(
            user, region=county, start=dt.date(2026, 1, 1), end=dt.date(2026, 10, 31))),
        "report_page_s": median_seconds(report_page),
    }
    print(f"households                {data['households']:>10,}")
    print(f"persons (enrolled)        {data['persons']:>10,}")
    print(f"dashboard queries         {len(queries):>10}")
    for key, value in figures.items():
        print(f"{key:<25} {value:>10.3f} s")
    print("target: admin home with the dashboard < 1 s")


if __name__ == "__main__":
    main()
