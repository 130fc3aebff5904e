"""Department-file check at scale: a 1,000,000-row employment file against 200,000 households.

    .venv/bin/python benchmarks/checks_bench.py [--households 200000] [--rows 1000000]
        [--database-url postgres://postgres@127.0.0.1:5432/reemployment_checks_bench]

Uses its own PostgreSQL database (created if missing; it is wiped and refilled when the wanted size
differs). Data are loaded with COPY. The check runs in a child process so that its peak RSS is its
own; the figures are printed as a table and a JSON line. Target (issue 7): < 60 s, < 2 GB RSS.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checks_common import copy_rows, migrate, rss_mb, setup_django

COUNTY = "341199"
PERSONS_PATTERN = (1, 2, 2, 3, 3)  # 2.2 persons per household on average
MATCHED_SHARE = 0.4  # of file rows that are members of our households
FLAG_EVERY = 200  # one matched row in FLAG_EVERY reports more than was declared


def member_id_number(i: int) -> str:
    from reemployment.idcard import make_id_number

    return make_id_number(COUNTY, dt.date(1940, 1, 1) + dt.timedelta(days=i // 999), i % 999 + 1)


def stranger_id_number(j: int) -> str:
    from reemployment.idcard import make_id_number

    return make_id_number("110101", dt.date(1950, 1, 1) + dt.timedelta(days=j // 999), j % 999 + 1)


def wage(k: int) -> Decimal:
    return Decimal(1000 + k % 500) + Decimal("0.50")


def matched_rows(rows: int, households: int) -> int:
    return min(int(rows * MATCHED_SHARE), sum(PERSONS_PATTERN[i % 5] for i in range(households)))


def prepare(households: int, rows: int) -> dict:
    from django.db import connection

    from benefits.models import Enrolment, Household, IncomeItem, Member
    from reemployment.core.models import Region

    county, _ = Region.objects.get_or_create(code=COUNTY, defaults={"name": "基准县", "level": "county"})
    communities = []
    for t in range(10):
        town, _ = Region.objects.get_or_create(code=f"{COUNTY}{100 + t}", defaults={
            "name": f"基准镇{t}", "level": "township", "area": "urban" if t < 3 else "rural", "parent": county})
        for c in range(10):
            community, _ = Region.objects.get_or_create(code=f"{town.code}{c + 1:03d}", defaults={
                "name": f"基准村{t}-{c}", "level": "community", "area": town.area, "parent": town})
            communities.append(community)
    existing = Household.objects.filter(region__path__startswith=county.path).count()
    members_total = sum(PERSONS_PATTERN[i % 5] for i in range(households))
    matched = matched_rows(rows, households)
    if existing == households and IncomeItem.objects.count() == matched:
        return {"households": households, "members": members_total, "loaded_s": 0.0}
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE benefits_household, benefits_member, benefits_incomeitem, benefits_enrolment, "
                       "benefits_enrolmentevent, benefits_review, checks_flag, checks_departmentfile "
                       "RESTART IDENTITY CASCADE")
    copy_rows(Household, ((f"B{i:07d}", communities[i % 100].pk, communities[i % 100].area)
                          for i in range(households)), ["number", "region", "area"])
    ids = dict(Household.objects.values_list("number", "id"))
    today = dt.date(2026, 1, 1)

    def members():
        i = 0
        for h in range(households):
            household_id = ids[f"B{h:07d}"]
            area = communities[h % 100].area
            for p in range(PERSONS_PATTERN[h % 5]):
                number = member_id_number(i)
                sex = "M" if int(number[16]) % 2 else "F"
                birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
                yield (household_id, number, f"成员{i}", sex, birth, "head" if p == 0 else "child", area)
                i += 1

    copy_rows(Member, members(), ["household", "id_number", "name", "sex", "birth_date", "relation", "hukou_area"])
    copy_rows(Enrolment, ((ids[f"B{h:07d}"], communities[h % 100].area, "ABC"[h % 3], Decimal(150 + h % 300),
                           PERSONS_PATTERN[h % 5], "active", today, f"BC{h:07d}") for h in range(households)),
              ["household", "area", "category", "monthly_amount", "persons", "status", "start_date",
               "certificate_number"])
    # Declared wages of the members that the file will carry (equal to the file, except every FLAG_EVERY-th).
    member_ids = dict(Member.objects.filter(household__region__path__startswith=county.path)
                      .values_list("id_number", "id"))
    household_of = dict(Member.objects.filter(household__region__path__startswith=county.path)
                        .values_list("id", "household_id"))
    copy_rows(IncomeItem, ((household_of[member_ids[member_id_number(k)]], member_ids[member_id_number(k)], "wages",
                            wage(k) - (Decimal(100) if k % FLAG_EVERY == 0 else 0)) for k in range(matched)),
              ["household", "member", "kind", "monthly_amount"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"households": households, "members": members_total, "loaded_s": round(time.monotonic() - started, 1)}


def write_file(path: Path, rows: int, households: int) -> dict:
    matched = matched_rows(rows, households)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["身份证号码", "姓名", "单位名称", "月缴费工资"])
        for k in range(rows):
            if k < matched:
                writer.writerow([member_id_number(k), f"成员{k}", f"单位{k % 997}", str(wage(k))])
            else:
                writer.writerow([stranger_id_number(k - matched), f"外县{k}", f"单位{k % 997}", str(wage(k))])
    return {"rows": rows, "matched_expected": matched, "flags_expected": len(range(0, matched, FLAG_EVERY)),
            "bytes": path.stat().st_size}


def child(path: str, database_url: str | None) -> None:
    """Run the check once (upload + process) and print its figures as JSON."""
    setup_django(database_url)
    from django.conf import settings
    from django.db import connection

    settings.CHECKS_IMPORT_DIR = str(Path(path).parent)  # the stored copy goes with the temporary file

    from benefits.checks.services import department_file_process, department_file_upload
    from reemployment.core.models import Region

    with connection.cursor() as cursor:  # a re-run must not be refused as a duplicate upload
        cursor.execute("TRUNCATE checks_flag, checks_departmentfile, benefits_review RESTART IDENTITY CASCADE")
    region = Region.objects.get(code=COUNTY)
    content = Path(path).read_bytes()
    started = time.monotonic()
    department_file = department_file_upload(actor="system:bench", source="employment", region=region,
                                             name="employment.csv", content=content, process=False)
    del content
    uploaded = time.monotonic()
    department_file = department_file_process(file_id=department_file.pk)
    finished = time.monotonic()
    print(json.dumps({"status": department_file.status, "rows": department_file.rows,
                      "matched": department_file.matched_rows, "flags": department_file.flags_created,
                      "upload_s": round(uploaded - started, 2), "process_s": round(finished - uploaded, 2),
                      "total_s": round(finished - started, 2), "peak_rss_mb": round(rss_mb()),
                      "message": department_file.message}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database_url)
        return
    setup_django(args.database_url)
    migrate()
    data = prepare(args.households, args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "employment.csv"
        t0 = time.monotonic()
        file_info = write_file(path, args.rows, args.households)
        file_info["write_s"] = round(time.monotonic() - t0, 1)
        env_url = ["--database-url", args.database_url] if args.database_url else []
        out = subprocess.run([sys.executable, __file__, "--child", str(path), *env_url], capture_output=True,
                             text=True, check=False)
        if out.returncode:
            sys.exit(f"the check failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"households           {data['households']:>12,}")
    print(f"members              {data['members']:>12,}")
    print(f"file rows            {file_info['rows']:>12,}  ({file_info['bytes'] / 1e6:.0f} MB CSV)")
    print(f"matched rows         {result['matched']:>12,}  (expected {file_info['matched_expected']:,})")
    print(f"flags + reviews      {result['flags']:>12,}  (expected {file_info['flags_expected']:,})")
    print(f"upload (hash, store) {result['upload_s']:>12.2f} s")
    print(f"validate+match+flag  {result['process_s']:>12.2f} s")
    print(f"total                {result['total_s']:>12.2f} s   (target < 60 s)")
    print(f"peak RSS             {result['peak_rss_mb']:>12,} MB  (target < 2048 MB)")
    print(json.dumps({"data": data, "file": file_info, "result": result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
