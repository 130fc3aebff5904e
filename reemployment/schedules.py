"""Every periodic schedule of the service, in one place (CONVENTIONS.md rule 8).

``sync_schedules`` writes them to django-celery-beat's tables (run by ``migrate``'s
post-migrate step and by ``seed_demo``), so ``celery beat`` with the database scheduler
picks them up. Apps add their entries to ``SCHEDULES``.
"""

from __future__ import annotations

import importlib

# name → (task name, crontab kwargs). Apps declare theirs in <app>/schedules.py as SCHEDULES;
# all_schedules() merges them. Names start with "reemployment:".
SCHEDULES: dict[str, tuple[str, dict]] = {}
APP_MODULES = ("benefits", "benefits.payroll", "benefits.integrity", "benefits.checks", "reemployment.incentives", "jobs", "training", "cms")


def all_schedules() -> dict[str, tuple[str, dict]]:
    merged = dict(SCHEDULES)
    for app in APP_MODULES:
        try:
            module = importlib.import_module(f"{app}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.schedules":
                raise
            continue
        merged.update(module.SCHEDULES)
    return merged


def sync_schedules() -> int:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    schedules = all_schedules()
    for name, (task, cron) in schedules.items():
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Shanghai", **cron)
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": schedule, "enabled": True})
    PeriodicTask.objects.exclude(name__in=list(schedules)).filter(name__startswith="reemployment:").delete()
    return len(schedules)
