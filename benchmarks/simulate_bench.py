"""Benchmark: the policy what-if simulation (``simulate_policy``) at demo-county size.

Builds (bulk_create, batches of 5,000) a county of 10 townships × 20 communities (one urban township)
with N households of 1–3 members, wages or pensions for two households in three, some 三无 and some
seriously ill members, in a throw-away SQLite database (or the database in DATABASE_URL); then times
``benefits.simulation.policy_simulate`` with a draft that raises both standards by 50 yuan and the
urban B uplift, i.e. every household assessed twice.

    .venv/bin/python benchmarks/simulate_bench.py --households 20000

Not part of the test suite. Target: under 30 s for 20,000 households on SQLite (issue 14 §4).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-simulate-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

COUNTY = "341125"
DRAFT = f"""\
standards:
  - {{region: "{COUNTY}", area: urban, monthly_amount: "310.00", valid_from: 2026-03-01, note: 草案}}
  - {{region: "{COUNTY}", area: rural, monthly_amount: "230.00", valid_from: 2026-03-01, note: 草案}}
parameters:
  - {{region: "{COUNTY}", valid_from: 2026-03-01, values: {{urban_b_uplift: "0.40"}}}}
"""


def populate(households: int) -> int:
    """The county and its households; returns the number of persons."""
    from benefits.models import Household, IncomeItem, Member, Relation
    from reemployment.core.models import Region, RegionLevel, Standard
    from reemployment.idcard import make_id_number

    county = Region.objects.create(code=COUNTY, name="定远县", level=RegionLevel.COUNTY)
    for area, amount in (("urban", "260.00"), ("rural", "180.00")):
        Standard.objects.create(region=county, area=area, monthly_amount=Decimal(amount),
                                valid_from=dt.date(2026, 1, 1))
    communities = []
    for t in range(10):
        township = Region.objects.create(code=f"{COUNTY}{100 + t}", name=f"镇{t}", level=RegionLevel.TOWNSHIP,
                                         area="urban" if t == 0 else "rural", parent=county)
        for c in range(20):
            communities.append(Region.objects.create(code=f"{township.code}{c + 1:03d}", name=f"村{t}-{c}",
                                                     level=RegionLevel.COMMUNITY, area=township.area,
                                                     parent=township))
    batch = 5_000
    persons = 0
    for start in range(0, households, batch):
        created = Household.objects.bulk_create(
            [Household(number=f"S{i:09d}", region=communities[i % len(communities)],
                       area=communities[i % len(communities)].area) for i in range(start, min(start + batch, households))],
            batch_size=batch)
        members = []
        for household in created:
            i = int(household.number[1:])
            size = 1 + i % 3
            persons += size
            for k in range(size):
                n = i * 3 + k
                birth = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)
                members.append(Member(
                    household=household, id_number=make_id_number(COUNTY, birth, n % 1000), name=f"姓名{i}-{k}",
                    sex="M" if n % 2 else "F", birth_date=birth, relation=Relation.HEAD if k == 0 else Relation.CHILD,
                    hukou_area=household.area, three_no=i % 17 == 0, serious_illness=k == 1 and i % 5 == 0))
        Member.objects.bulk_create(members, batch_size=batch)
        heads = {m.household_id: m for m in members if m.relation == Relation.HEAD}
        incomes = [
            IncomeItem(household_id=household_id, member=head, kind="wages" if i % 2 else "pension",
                       monthly_amount=Decimal(100 + (i * 37) % 500))
            for i, (household_id, head) in enumerate(heads.items()) if i % 3
        ]
        IncomeItem.objects.bulk_create(incomes, batch_size=batch)
    return persons


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    persons = populate(args.households)
    print(f"populate: {args.households} households, {persons} persons in {time.perf_counter() - started:.1f} s")

    from benefits.simulation import policy_simulate
    from reemployment.core.models import Region

    county = Region.objects.get(code=COUNTY)
    started = time.perf_counter()
    report = policy_simulate(actor="system:bench", county=county, month=dt.date(2026, 3, 1), draft_text=DRAFT)
    seconds = time.perf_counter() - started
    counts = report.counts()
    print(f"policy_simulate ({connection.vendor}): {report.households_assessed} households assessed twice "
          f"in {seconds:.1f} s; {counts['changed']} changed ({counts['gains']} gain, {counts['losses']} lose, "
          f"{counts['category_changes']} change category); monthly difference {report.monthly_difference} yuan")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
