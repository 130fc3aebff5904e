"""County onboarding at province scale: a 200,000-household caseload file (about 450,000 rows) imported.

    .venv/bin/python benchmarks/onboarding_bench.py [--households 200000] [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432/reemployment_onboarding_bench]

Uses its own PostgreSQL database (created if missing; the county's caseload is emptied first, so every
run imports into an empty county). Writes the CSV file (UTF-8) to a temporary folder, then runs, each
in a child process whose peak RSS and CPU time are its own (``/usr/bin/time -f "%M %U %S"``):

1. ``import_caseload --dry-run --format json`` (target < 1 min);
2. ``import_caseload --format json`` — the import itself (target < 2 min, < 1.5 GB);
3. the same file again (idempotent: every household unchanged).

The file: 10 townships × 20 communities (3 urban townships, 7 rural), households of 1–4 persons
(2.25 on average), every 20th household with a recorded amount 10 yuan off the rules (a discrepancy
opening a review), every 4th urban household with an income. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.checks_common import migrate, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reemployment_onboarding_bench"
COUNTY = "341199"
SIZES = (1, 2, 3, 3, 2, 1, 4, 2)  # 2.25 persons per household
URBAN_STANDARD = Decimal("800.00")
RURAL_STANDARD = Decimal("600.00")
RURAL_C = Decimal("70.00")  # the default rural amount per person of category C
DISCREPANCY_EVERY = 20


def prepare_regions() -> list:
    from benefits.models import Household
    from reemployment.core.models import Region, Standard, User
    from reemployment.core.roles import assign_role_group

    county, _ = Region.objects.get_or_create(code=COUNTY, defaults={"name": "基准县", "level": "county"})
    communities = []
    for t in range(10):
        town, _ = Region.objects.get_or_create(code=f"{COUNTY}{100 + t}", defaults={
            "name": f"基准镇{t}", "level": "township", "area": "urban" if t < 3 else "rural", "parent": county})
        for c in range(20):
            community, _ = Region.objects.get_or_create(code=f"{town.code}{c + 1:03d}", defaults={
                "name": f"基准村{t}-{c}", "level": "community", "area": town.area, "parent": town})
            communities.append(community)
    for area, amount in (("urban", URBAN_STANDARD), ("rural", RURAL_STANDARD)):
        Standard.objects.get_or_create(region=county, area=area, valid_from=dt.date(2025, 1, 1),
                                       defaults={"monthly_amount": amount})
    user, created = User.objects.get_or_create(username="bench-county", defaults={"role": "county", "region": county})
    if created:
        assign_role_group(user)
    from django.db import connection

    if Household.objects.filter(region__path__startswith=county.path).exists():
        with connection.cursor() as cursor:  # an empty county for every run (the bench database only)
            cursor.execute("TRUNCATE benefits_household, benefits_member, benefits_incomeitem, benefits_enrolment, "
                           "benefits_enrolmentevent, benefits_review, benefits_asset, onboarding_caseloadimport, core_auditevent, "
                           "onboarding_importdiscrepancy RESTART IDENTITY CASCADE")
    return communities


def write_file(path: Path, households: int, communities: list) -> dict:
    from reemployment.idcard import make_id_number

    header = ["户主身份证号", "身份证号", "姓名", "与户主关系", "社区村代码", "保障类别", "月保障金额", "享受起始月",
              "月收入", "收入类型", "劳动能力", "开户银行", "银行账号"]
    sequence = 0

    def next_id(birth: dt.date) -> str:
        nonlocal sequence
        sequence += 1
        return make_id_number("341199", birth + dt.timedelta(days=sequence // 998), sequence % 998 + 1)

    persons = discrepancies = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for i in range(households):
            community = communities[i % len(communities)]
            size = SIZES[i % len(SIZES)]
            urban = community.area == "urban"
            income = Decimal(300) if urban and i % 4 == 0 else Decimal(0)
            # Urban C: (standard × n − income); rural C: 70 × n (defaults), as the rules give.
            amount = URBAN_STANDARD * size - income if urban else RURAL_C * size
            if i % DISCREPANCY_EVERY == 0:
                amount += 10
                discrepancies += 1
            head = next_id(dt.date(1950, 1, 1))
            out.write(f"{head},{head},户主{i},户主,{community.code},C,{amount},2020-{i % 12 + 1:02d},{income},"
                      f"{'工资性收入' if income else ''},有劳动能力,农商银行,62300{i:011d}\n")
            for k in range(1, size):
                relation, birth = (("配偶", dt.date(1952, 1, 1)) if k == 1 else ("子女", dt.date(1985, 1, 1)))
                member = next_id(birth)
                out.write(f"{head},{member},成员{i}-{k},{relation},{community.code},,,,0,,,,\n")
            persons += size
    return {"households": households, "persons": persons, "discrepancies": discrepancies,
            "bytes": path.stat().st_size}


def run_child(args: list[str], database_url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, LOG_LEVEL="WARNING", MAX_IMPORT_BYTES=str(2 * 1024**3))
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", sys.executable, "manage.py", *args], check=False,
                            cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    rss_kb, user, system = result.stderr.strip().splitlines()[-1].split()
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {"stdout": result.stdout[-2000:], "stderr": result.stderr[-2000:]}
    # CPU seconds of the process (user + system): on a shared, loaded machine wall time mostly measures the
    # other processes; PostgreSQL's own work is in the wall time only.
    return {"wall_s": round(wall, 1), "cpu_s": round(float(user) + float(system), 1),
            "peak_rss_mb": round(int(rss_kb) / 1024), "exit": result.returncode,
            "report": {k: v for k, v in report.items() if k != "errors"} | {"errors": len(report.get("errors", []))}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the CSV file (its path is printed)")
    options = parser.parse_args()
    setup_django(options.database_url)
    migrate()
    communities = prepare_regions()
    folder = Path(tempfile.mkdtemp(prefix="onboarding-bench-"))
    path = folder / "caseload.csv"
    started = time.monotonic()
    made = write_file(path, options.households, communities)
    made["written_s"] = round(time.monotonic() - started, 1)
    print(f"file: {path} {made}", flush=True)
    base = ["import_caseload", "--county", COUNTY, str(path), "--format", "json", "--user", "bench-county"]
    check = run_child(["check"], options.database_url)
    figures = {"file": made, "django_check": {k: check[k] for k in ("wall_s", "cpu_s", "peak_rss_mb")},
               "load_average_before": os.getloadavg()}
    for name, extra in (("dry_run", ["--dry-run"]), ("import", []), ("again", [])):
        figures[name] = run_child([*base, *extra], options.database_url)
        print(name, json.dumps(figures[name], ensure_ascii=False), flush=True)
    figures["load_average"] = os.getloadavg()
    print(json.dumps(figures, ensure_ascii=False))
    if not options.keep:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
