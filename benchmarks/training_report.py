"""Benchmark: the training report and course assessment at county scale.

Builds (set-based, bulk_create) N providers × courses with M trainees each in a throw-away
SQLite database (or the database in DATABASE_URL), then times
``training.selectors.training_report`` (two SQL aggregates) and ``course_assess`` per course.

    VAR_DIR=/tmp/bench-training .venv/bin/python benchmarks/training_report.py --courses 400 --trainees 30

Not part of the test suite. Prints one line per measurement.
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
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-training-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=400)
    parser.add_argument("--trainees", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from benefits.models import Household, Member
    from reemployment.core.models import Area, Region, RegionLevel, Role, User
    from reemployment.idcard import make_id_number
    from training import selectors, services
    from training.models import (
        Course,
        CourseStatus,
        EnrolmentStatus,
        Placement,
        PlacementSource,
        Provider,
        TrainingEnrolment,
    )

    county, _ = Region.objects.get_or_create(code="341125", defaults={"name": "定远县", "level": RegionLevel.COUNTY})
    town, _ = Region.objects.get_or_create(code="341125100", defaults={
        "name": "定城镇", "level": RegionLevel.TOWNSHIP, "area": Area.URBAN, "parent": county})
    labour, _ = User.objects.get_or_create(username="bench-labour", defaults={"role": Role.LABOUR, "region": county})
    providers = Provider.objects.bulk_create(
        [Provider(name=f"培训学校{i}", region=county) for i in range(10)], ignore_conflicts=True)
    providers = list(Provider.objects.filter(region=county))

    n_members = args.courses * args.trainees
    t0 = time.perf_counter()
    households = Household.objects.bulk_create(
        [Household(number=f"B{i:09d}", region=town, area=Area.URBAN) for i in range(n_members)], batch_size=2000)
    base = dt.date(1970, 1, 1)
    members = Member.objects.bulk_create([
        Member(household=h, id_number=make_id_number("341125", base + dt.timedelta(days=i // 400), 2 * (i % 400) + 1),
               name=f"学员{i}", sex="M", birth_date=base + dt.timedelta(days=i // 400), relation="head",
               hukou_area=Area.URBAN) for i, h in enumerate(households)], batch_size=2000)
    courses = Course.objects.bulk_create([
        Course(provider=providers[i % len(providers)], title=f"培训班{i}", course_type="electronics",
               occupation="电子装配工", region=county, place="县职教中心",
               starts_on=dt.date(2025, 1 + i % 12, 1), ends_on=dt.date(2025, 1 + i % 12, 28),
               capacity=args.trainees, enrolled_count=args.trainees, subsidy_per_trainee=Decimal("800.00"),
               status=CourseStatus.ENDED) for i in range(args.courses)], batch_size=2000)
    enrolments = TrainingEnrolment.objects.bulk_create([
        TrainingEnrolment(course=courses[i // args.trainees], member=m,
                          status=EnrolmentStatus.COMPLETED if i % 10 else EnrolmentStatus.DROPPED,
                          completed_on=courses[i // args.trainees].ends_on if i % 10 else None)
        for i, m in enumerate(members)], batch_size=2000)
    Placement.objects.bulk_create([
        Placement(enrolment=e, start_date=e.completed_on + dt.timedelta(days=30), employer_name="厂",
                  source=PlacementSource.HIRE, source_id=str(e.pk))
        for i, e in enumerate(enrolments) if e.completed_on and i % 3], batch_size=2000)
    print(f"built {args.courses} courses, {n_members} trainees in {time.perf_counter() - t0:.1f} s")

    for period, group in [("year", "provider"), ("quarter", "course_type"), ("month", "provider")]:
        t0 = time.perf_counter()
        rows = selectors.training_report(labour, period=period, group=group)
        print(f"training_report(period={period}, group={group}): {len(rows)} rows in "
              f"{(time.perf_counter() - t0) * 1000:.1f} ms")
    t0 = time.perf_counter()
    for course in Course.objects.filter(pk__in=[c.pk for c in courses[:100]]):
        services.course_assess(actor="bench", course=course, as_of=dt.date(2026, 6, 1))
    per = (time.perf_counter() - t0) * 1000 / min(100, len(courses))
    print(f"course_assess: {per:.1f} ms per course (first assessment: counts, review/subsidy rows, audit)")
    t0 = time.perf_counter()
    for course in Course.objects.filter(pk__in=[c.pk for c in courses[:100]]):
        services.course_assess(actor="bench", course=course, as_of=dt.date(2026, 6, 1))
    per = (time.perf_counter() - t0) * 1000 / min(100, len(courses))
    print(f"course_assess again (nothing changed): {per:.1f} ms per course")


if __name__ == "__main__":
    main()
