"""Standard raise and payroll at scale on PostgreSQL: 200,000 enrolled households in one county.

    .venv/bin/python benchmarks/payroll_bench.py [--households 200000] [--keep] [--rebuild] [--skip-export]

Builds the county once into the template database ``reemployment_bench_template`` (migrate, then
bulk_create; reused by later runs while it exists, ``--rebuild`` to build it again) and copies it into
``reemployment_bench`` (``--database-url`` to change the name) for each run. Both are dropped at the end
unless ``--keep``. The county: 10 townships × 20 communities (4 urban townships, 6 rural), ``--households``
households of 1 or 3 persons with what the rules look at (三无, serious illness, wages or pensions below the
standard, deposits, members who left), each enrolled at the amount the rules give under the 2025 policy
(every 10th transitional), plus 1 % more households refused in 2025 whose income lies between the old
and the new standard. From May 2026 the urban and rural standards rise (600 → 650, 450 → 480 yuan) and the
rural amounts per person rise by 10 yuan, so every enrolment's amount changes.

Then, each command in its own process (its own peak RSS; times measured inside the process, after
Django's start-up, and the process's wall time beside them):

1. ``apply_standard_change --preview``, then ``apply_standard_change`` (apply), then apply again (0 changes);
2. the floor: a bare ``INSERT … SELECT`` of the same 200,000 payment lines (the same columns and amounts;
   no payable test, no NOT EXISTS, no ON CONFLICT) into the payment-line table, in a transaction that is
   rolled back, twice (``VACUUM`` after each); the faster is the floor;
3. ``run_payroll`` for the month (the first run), and the same again (adds nothing);
4. the bank file of the month as CSV and XLSX (``--skip-export`` skips it).

Targets (issue 14 §5, docs/performance.md): preview + apply < 30 s; the payroll's first run within 3× the
floor; and from before: first run ≤ 20 s and < 1 GB RSS, the rerun adds nothing in < 5 s.
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
OLD = {"urban": "600.00", "rural": "450.00"}  # standards from 2025-01-01
NEW = {"urban": "650.00", "rural": "480.00"}  # from 2026-05-01 (the raise)
NEW_RURAL_AMOUNTS = {"A": "130.00", "B": "110.00", "C": "80.00"}  # defaults 120 / 100 / 70
URBAN_TOWNSHIPS = 4


def _admin_dsn(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base + "/postgres", name


def _admin(url: str):
    import psycopg

    admin, name = _admin_dsn(url)
    return psycopg.connect(admin, autocommit=True), name


def database_exists(url: str) -> bool:
    conn, name = _admin(url)
    with conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(url: str, template: str | None = None) -> None:
    conn, name = _admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(url: str) -> None:
    conn, name = _admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def populate(households: int) -> dict:
    """The county, its policy and households (see the module docstring), written with bulk_create in
    batches; each enrolment's amount is what ``benefits.rules.assess_household`` gives under the 2025
    policy, so that the raise re-prices every one of them."""
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from benefits import rules
    from benefits.models import (
        Application,
        ApplicationStep,
        Asset,
        AssetKind,
        Enrolment,
        EnrolmentStatus,
        Household,
        IncomeItem,
        Member,
        Relation,
        WorkAbility,
    )
    from reemployment.core.models import ParameterSet, Region, RegionLevel, Standard
    from reemployment.idcard import make_id_number
    from reemployment.policy.parameters import DEFAULTS

    call_command("migrate", verbosity=0)
    county = Region.objects.create(code=COUNTY, name="定远县", level=RegionLevel.COUNTY)
    for area in ("urban", "rural"):
        Standard.objects.create(region=county, area=area, monthly_amount=Decimal(OLD[area]),
                                valid_from=dt.date(2025, 1, 1), note="2025")
        Standard.objects.create(region=county, area=area, monthly_amount=Decimal(NEW[area]),
                                valid_from=dt.date(2026, 5, 1), note="提标 2026")
    ParameterSet.objects.create(region=county, valid_from=dt.date(2026, 5, 1),
                                values={"rural_amounts": NEW_RURAL_AMOUNTS})
    communities = []
    for t in range(10):
        area = "urban" if t < URBAN_TOWNSHIPS else "rural"
        township = Region.objects.create(code=f"{COUNTY}{100 + t}", name=f"镇{t}", level=RegionLevel.TOWNSHIP,
                                         area=area, parent=county)
        for c in range(20):
            communities.append(Region.objects.create(code=f"{township.code}{c + 1:03d}", name=f"村{t}-{c}",
                                                     level=RegionLevel.COMMUNITY, area=area, parent=township))

    as_of = dt.date(2025, 1, 1)
    person = 0

    def member(household, k, **flags):
        nonlocal person
        person += 1
        birth = dt.date(1945, 1, 1) + dt.timedelta(days=(person // 1000) * 67)
        return Member(household=household, id_number=make_id_number(COUNTY, birth, person % 1000),
                      name=f"姓名{household.number}-{k}", sex="M" if person % 2 else "F", birth_date=birth,
                      relation=Relation.HEAD if k == 0 else Relation.CHILD, hukou_area=household.area, **flags)

    batch = 10_000
    persons_total = enrolled = declined = 0
    extra = households // 100
    for start in range(0, households + extra, batch):
        created = Household.objects.bulk_create(
            [Household(number=f"B{i:09d}", region=communities[i % len(communities)],
                       area=communities[i % len(communities)].area,
                       bank_account=f"6228{i:015d}", bank_name="农业银行定远支行")
             for i in range(start, min(start + batch, households + extra))], batch_size=batch)
        members, incomes, assets, enrolments, applications = [], [], [], [], []
        for household in created:
            i = int(household.number[1:])
            size = 1 + (i % 3 == 0) * 2
            standard = Decimal(OLD[household.area])
            kind = "A" if i % 13 == 0 else "B" if i % 7 == 0 else "C"
            people = [member(household, k, three_no=kind == "A",
                             work_ability=WorkAbility.NONE if kind == "A" else WorkAbility.FULL,
                             serious_illness=kind == "B" and k == 0) for k in range(size)]
            if i % 50 == 1:  # a son who moved out in 2024: not a current member
                people.append(member(household, size, left_on=dt.date(2024, 6, 1)))
            members += people
            if i >= households:  # refused in 2025: per capita between the old and the new standard
                wage = (standard + 10 + i % 30) * size
                incomes.append(IncomeItem(household=household, member=people[0], kind="wages", monthly_amount=wage))
                applications.append(Application(number=f"SQ{i:09d}", household=household, area=household.area,
                                                step=ApplicationStep.REJECTED, submitted_on=dt.date(2025, 9, 1)))
                declined += 1
                persons_total += size
                continue
            income = []
            if kind != "A":
                share = Decimal((i * 7919) % 90) / 100  # 0.00–0.89 of the standard per person
                amount = (standard * share * size).quantize(Decimal("0.01"))
                item_kind = "pension" if i % 4 == 0 else "wages"
                incomes.append(IncomeItem(household=household, member=people[0], kind=item_kind, monthly_amount=amount))
                income.append(rules.Income(member_index=0, kind=item_kind, monthly_amount=amount))
            if i % 11 == 0:
                assets.append(Asset(household=household, kind=AssetKind.DEPOSIT, value=Decimal("5000.00")))
            assessment = rules.assess_household(
                [rules.Member(birth_date=m.birth_date, sex=m.sex, three_no=m.three_no,
                              serious_illness=m.serious_illness, severe_disability=False, single_parent=False,
                              university_student=False, work_ability=m.work_ability != WorkAbility.NONE)
                 for m in people[:size]],
                income, rules.Assets(deposits=Decimal("5000.00") if i % 11 == 0 else Decimal(0)),
                household.area, standard, DEFAULTS, as_of)
            assert assessment.eligible and assessment.category == kind, (i, assessment.reasons)
            transitional = i % 10 == 0
            enrolments.append(Enrolment(
                household=household, area=household.area, category=kind, monthly_amount=assessment.monthly_amount,
                persons=size, status=EnrolmentStatus.TRANSITIONAL if transitional else EnrolmentStatus.ACTIVE,
                transition_amount=Decimal("150.00") if transitional else None,
                transition_until=dt.date(2026, 12, 31) if transitional else None,
                start_date=as_of, certificate_number=f"DB{i:010d}"))
            enrolled += 1
            persons_total += size
        Member.objects.bulk_create(members, batch_size=batch)
        IncomeItem.objects.bulk_create(incomes, batch_size=batch)
        Asset.objects.bulk_create(assets, batch_size=batch)
        Enrolment.objects.bulk_create(enrolments, batch_size=batch)
        Application.objects.bulk_create(applications, batch_size=batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"households": households + extra, "enrolled": enrolled, "declined": declined, "persons": persons_total}


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
    """The command's own time, as printed last: "... (12.3 s)"."""
    return float(re.search(r"\(([0-9.]+) s\)\s*$", out).group(1))


def _script(text: str) -> str:
    path = Path(tempfile.mkdtemp(prefix="payroll-bench-")) / "child.py"
    path.write_text(text, encoding="utf-8")
    return str(path)


REPRICE_SCRIPT = """
import io, sys, time, django
django.setup()
from django.core.management import call_command
out = io.StringIO()
started = time.monotonic()
call_command("apply_standard_change", "--county", "{county}", "--month", "{month}", *{extra!r}, stdout=out)
seconds = time.monotonic() - started
# The summary lines (the lists' rows and the table are indented).
print("; ".join(line for line in out.getvalue().splitlines()[1:] if not line.startswith(" ")))
print(f"({{seconds:.1f}} s)")
"""

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


class _Rollback(Exception):
    pass


def floor_seconds() -> tuple[float, int]:
    """A bare INSERT … SELECT of the county's payment lines for the month into the payment-line table (the
    same columns and amounts as ``run_payroll`` writes), timed, then rolled back and the table vacuumed."""
    from django.db import connection, transaction

    from benefits.payroll.models import PaymentLine, PayrollRun
    from benefits.payroll.services import _amount_sql, _tables, parse_month
    from reemployment.core.models import Region

    county = Region.objects.get(code=COUNTY)
    first = parse_month(MONTH)
    t = _tables()
    amount, amount_params = _amount_sql(first)
    sql = f"""
        INSERT INTO {t['line']} (run_id, enrolment_id, household_id, region_id, month, amount, persons,
                                 category, area, bank_account, bank_name)
        SELECT %s, e.id, e.household_id, h.region_id, %s, {amount}, e.persons, e.category, e.area,
               h.bank_account, h.bank_name
        FROM {t['enrolment']} e
        JOIN {t['household']} h ON h.id = e.household_id
        JOIN {t['region']} r ON r.id = h.region_id
        WHERE r.path LIKE %s
    """
    result = {}
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(county=county, month=first)
            with connection.cursor() as cursor:
                started = time.monotonic()
                cursor.execute(sql, [run.pk, first, *amount_params, county.path + "%"])
                result["seconds"], result["rows"] = time.monotonic() - started, cursor.rowcount
            raise _Rollback
    except _Rollback:
        pass
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {PaymentLine._meta.db_table}")
    return result["seconds"], result["rows"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database and its template afterwards")
    parser.add_argument("--rebuild", action="store_true", help="build the template database again")
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    url = args.database_url
    template_url = url + "_template"
    template = template_url.rsplit("/", 1)[1]

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    setup_django(url)
    from django.db import connection, connections

    name = connection.settings_dict["NAME"]
    if args.rebuild or not database_exists(template_url):
        recreate_database(template_url)
        connection.settings_dict["NAME"] = template
        t0 = time.monotonic()
        sizes = populate(args.households)
        print(f"setup (not measured): {sizes['households']:,} households ({sizes['enrolled']:,} enrolled, "
              f"{sizes['declined']:,} refused in 2025), {sizes['persons']:,} persons in {time.monotonic() - t0:.1f} s")
        connections.close_all()
        connection.settings_dict["NAME"] = name
    else:
        print(f"reusing the template database {template} (--rebuild to build it again)")
    recreate_database(url, template=template)
    try:
        reprice = []
        for label, extra in (("preview", ["--preview"]), ("apply", []), ("apply again", [])):
            script = _script(REPRICE_SCRIPT.format(county=COUNTY, month=MONTH, extra=extra))
            wall, rss, out = run_child([script], url)
            seconds = _service_seconds(out)
            reprice.append(seconds)
            print(f"apply_standard_change {label:<12} {seconds:5.1f} s ({wall:.1f} s process wall, peak RSS {rss} MB)")
            print(f"    {out.splitlines()[0]}")
        floors = [floor_seconds() for _ in range(2)]
        floor = min(seconds for seconds, _rows in floors)
        print(f"floor: bare INSERT … SELECT of {floors[0][1]:,} payment lines: "
              f"{' / '.join(f'{s:.1f} s' for s, _ in floors)} (rolled back; the faster is the floor)")
        command = ["manage.py", "run_payroll", "--county", COUNTY, "--month", MONTH]
        wall, rss, out = run_child(command, url)
        first = _service_seconds(out)
        print(f"run_payroll first run:  {first:5.1f} s ({wall:.1f} s process wall, peak RSS {rss} MB)")
        print(f"    {out}")
        wall2, rss2, out2 = run_child(command, url)
        second = _service_seconds(out2)
        print(f"run_payroll second run: {second:5.1f} s ({wall2:.1f} s process wall, peak RSS {rss2} MB)")
        print(f"    {out2}")
        if not args.skip_export:
            wall3, rss3, out3 = run_child([_script(EXPORT_SCRIPT.format(county=COUNTY, month=MONTH))], url)
            print(f"bank files: {wall3:5.1f} s wall, peak RSS {rss3} MB — {out3.replace(chr(10), '; ')}")
        start_wall, _, _ = run_child(["manage.py", "check"], url)
        print(f"(Django start alone, `manage.py check`: {start_wall:.1f} s)")
        ratio = first / floor
        print(f"preview + apply: {reprice[0] + reprice[1]:.1f} s (target < 30 s); "
              f"first run / floor: {first:.1f} / {floor:.1f} = {ratio:.2f}× (target ≤ 3×)")
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        ok = (reprice[0] + reprice[1] < 30 and ratio <= 3 and first <= 20 and rss < 1024 and "added 0," in out2
              and second < 5)
        print("targets met" if ok else "TARGETS MISSED")
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(url)
            drop_database(template_url)


if __name__ == "__main__":
    main()
