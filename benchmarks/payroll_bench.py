"""Payroll at scale on PostgreSQL: 200,000 active households in one county.

    .venv/bin/python benchmarks/payroll_bench.py [--households 200000] [--keep]

Creates (and at the end drops) the database ``reemployment_bench`` on the local PostgreSQL
(``--database-url`` to change), migrates it, writes the county, households, members and
enrolments set-based, then measures in separate processes (so the RSS is the payroll's own):

1. the first payroll of a month (``manage.py run_payroll``): wall time and peak RSS;
2. the same month again: rows added (must be 0) and wall time;
3. the bank file of the month as CSV and XLSX: wall time and peak RSS.

Targets (docs/performance.md "Payroll"): first run ≤ 20 s and < 1 GB RSS; rerun adds nothing in < 5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reemployment_bench"
MONTH = "2026-05"
COUNTY = "341125"


def _admin_dsn(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name


def recreate_database(url: str) -> None:
    import psycopg

    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def populate(households: int) -> dict:
    """The county with 10 townships × 20 communities, ``households`` households (1–3 members) and one
    active enrolment each (every 10th transitional), written with bulk_create in batches."""
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from benefits.models import Enrolment, EnrolmentStatus, Household, Member, Relation
    from reemployment.core.models import Region, RegionLevel
    from reemployment.idcard import make_id_number

    call_command("migrate", verbosity=0)
    county = Region.objects.create(code=COUNTY, name="定远县", level=RegionLevel.COUNTY)
    communities = []
    for t in range(10):
        township = Region.objects.create(code=f"{COUNTY}{100 + t}", name=f"镇{t}", level=RegionLevel.TOWNSHIP,
                                         area="urban" if t == 0 else "rural", parent=county)
        for c in range(20):
            communities.append(Region.objects.create(code=f"{township.code}{c + 1:03d}", name=f"村{t}-{c}",
                                                     level=RegionLevel.COMMUNITY, area=township.area,
                                                     parent=township))
    batch = 10_000
    persons_total = 0
    for start in range(0, households, batch):
        rows = []
        for i in range(start, min(start + batch, households)):
            region = communities[i % len(communities)]
            rows.append(Household(number=f"B{i:09d}", region=region, area=region.area,
                                  bank_account=f"6228{i:015d}", bank_name="农业银行定远支行"))
        created = Household.objects.bulk_create(rows, batch_size=batch)
        members, enrolments = [], []
        for household in created:
            i = int(household.number[1:])
            size = 1 + (i % 3 == 0) * 2
            persons_total += size
            for k in range(size):
                n = i * 3 + k  # unique per person: 1,000 sequence numbers per birth date
                birth = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)
                members.append(Member(
                    household=household, id_number=make_id_number(COUNTY, birth, n % 1000), name=f"姓名{i}-{k}",
                    sex="M" if (n % 1000) % 2 else "F", birth_date=birth,
                    relation=Relation.HEAD if k == 0 else Relation.CHILD, hukou_area=household.area))
            transitional = i % 10 == 0
            enrolments.append(Enrolment(
                household=household, area=household.area, category="C",
                monthly_amount=Decimal(100 + (i % 300)) + Decimal("0.50"), persons=size,
                status=EnrolmentStatus.TRANSITIONAL if transitional else EnrolmentStatus.ACTIVE,
                transition_amount=Decimal("150.00") if transitional else None,
                transition_until=dt.date(2026, 12, 31) if transitional else None,
                start_date=dt.date(2025, 1, 1), certificate_number=f"DB{i:010d}"))
        Member.objects.bulk_create(members, batch_size=batch)
        Enrolment.objects.bulk_create(enrolments, batch_size=batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"households": households, "persons": persons_total}


WRAPPER = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def run_child(args: list[str], url: str) -> tuple[float, int, str]:
    """Run a Python script in a child process; return (wall seconds, its own peak RSS in MB, stdout)."""
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="reemployment.settings", LOG_LEVEL="WARNING")
    started = time.monotonic()
    process = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, check=False)
    wall = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"child failed: {' '.join(args)}\n{process.stdout}\n{process.stderr}")
    rss_kb = int(next(line.split()[1] for line in process.stderr.splitlines() if line.startswith("MAXRSS")))
    return wall, rss_kb // 1024, process.stdout.strip()


def _service_seconds(out: str) -> float:
    """The payroll's own time, as run_payroll prints it: "... (12.3 s)"."""
    return float(re.search(r"\(([0-9.]+) s\)\s*$", out).group(1))


EXPORT_SCRIPT = """
import time, django
django.setup()
from benefits.payroll.models import PayrollRun
from benefits.payroll import exports
run = PayrollRun.objects.select_related("county").get(county__code="{county}", month="{month}-01")
t = time.monotonic(); size = sum(len(c.encode("utf-8")) for c in exports.csv_chunks(run))
print(f"csv {{size / 1e6:.1f}} MB in {{time.monotonic() - t:.1f}} s")
t = time.monotonic(); size = len(exports.xlsx_bytes(run))
print(f"xlsx {{size / 1e6:.1f}} MB in {{time.monotonic() - t:.1f}} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    url = args.database_url

    recreate_database(url)
    try:
        setup_django(url)
        t0 = time.monotonic()
        sizes = populate(args.households)
        print(f"setup: {sizes['households']:,} households, {sizes['persons']:,} persons in "
              f"{time.monotonic() - t0:.1f} s")
        command = ["manage.py", "run_payroll", "--county", COUNTY, "--month", MONTH]
        wall, rss, out = run_child(command, url)
        print(f"first run:  {wall:5.1f} s process wall (incl. interpreter + Django start), peak RSS {rss} MB")
        print(f"            {out}")
        wall2, rss2, out2 = run_child(command, url)
        print(f"second run: {wall2:5.1f} s process wall, peak RSS {rss2} MB")
        print(f"            {out2}")
        start_wall, _, _ = run_child(["manage.py", "check"], url)
        print(f"(Django start alone, `manage.py check`: {start_wall:.1f} s)")
        first, second = _service_seconds(out), _service_seconds(out2)
        ok = first <= 20 and rss < 1024 and "added 0," in out2 and second < 5
        if not args.skip_export:
            script = Path(tempfile.mkdtemp()) / "export_bank_files.py"
            script.write_text(EXPORT_SCRIPT.format(county=COUNTY, month=MONTH), encoding="utf-8")
            wall3, rss3, out3 = run_child([str(script)], url)
            print(f"bank files: {wall3:5.1f} s wall, peak RSS {rss3} MB — {out3.replace(chr(10), '; ')}")
        print("targets met" if ok else "TARGETS MISSED (first ≤ 20 s and < 1 GB; rerun adds 0 rows in < 5 s; times as run_payroll measures them)")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
