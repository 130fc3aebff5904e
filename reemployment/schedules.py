"""Every periodic schedule of the service, in one registry (CONVENTIONS.md rule 8).

Each app keeps the entries it owns in its own ``schedules.py`` (next to the tasks they run);
this module is the single list of those modules, and :func:`all_schedules` is the one place the
complete set is read from. A ``schedules.py`` that is not listed here is an error
(``tests/core/test_schedules.py`` looks for them), so no schedule can exist outside the registry.

``sync_schedules`` writes them to django-celery-beat's tables, so that ``celery beat`` with the
database scheduler runs them. It runs after every ``migrate`` (reemployment/core/apps.py) and in
``seed_demo``; it is idempotent, and deletes ``reemployment:`` tasks that are no longer declared.
"""

from __future__ import annotations

import importlib

# name → (task name, crontab kwargs, Asia/Shanghai). Names start with "reemployment:".
# Schedules of the shared layer itself (reemployment.core) go here.
SCHEDULES: dict[str, tuple[str, dict]] = {}

# Every app module that declares SCHEDULES in the same shape.
SCHEDULE_MODULES = (
    "benefits.schedules",
    "benefits.payroll.schedules",
    "incentives.schedules",
    "jobs.schedules",
    "training.schedules",
    "notifications.schedules",
)
TIME_ZONE = "Asia/Shanghai"


class ScheduleError(Exception):
    pass


def all_schedules() -> dict[str, tuple[str, dict]]:
    """The declared schedules of every app, by name. Two declarations of one name are an error."""
    merged = dict(SCHEDULES)
    for module_name in SCHEDULE_MODULES:
        module = importlib.import_module(module_name)
        for name, entry in module.SCHEDULES.items():
            if name in merged:
                raise ScheduleError(f"periodic schedule {name!r} is declared twice (again in {module_name})")
            if not name.startswith("reemployment:"):
                raise ScheduleError(f"periodic schedule {name!r} ({module_name}) must start with 'reemployment:'")
            merged[name] = entry
    return merged


def sync_schedules(using: str = "default") -> int:
    """Write the declared schedules to django-celery-beat; rows already in step are left alone."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    schedules = all_schedules()
    for name, (task, cron) in schedules.items():
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(timezone=TIME_ZONE, **cron)
        current = PeriodicTask.objects.using(using).filter(name=name).first()
        if current is None:
            PeriodicTask.objects.using(using).create(name=name, task=task, crontab=crontab, enabled=True)
        elif (current.task, current.crontab_id, current.enabled) != (task, crontab.pk, True):
            current.task, current.crontab, current.enabled = task, crontab, True
            current.save(using=using)
    stale = PeriodicTask.objects.using(using).filter(name__startswith="reemployment:").exclude(name__in=list(schedules))
    for task in stale:  # one by one, so that beat notices (PeriodicTask.delete bumps its change marker)
        task.delete()
    return len(schedules)
