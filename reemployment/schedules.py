"""Every periodic schedule of the service, in one place (CONVENTIONS.md rule 8).

``sync_schedules`` writes them to django-celery-beat's tables (run by ``migrate``'s
post-migrate step and by ``seed_demo``), so ``celery beat`` with the database scheduler
picks them up. Apps add their entries to ``SCHEDULES``.
"""

from __future__ import annotations

# name → (task name, crontab kwargs)
SCHEDULES: dict[str, tuple[str, dict]] = {}


def sync_schedules() -> int:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, (task, cron) in SCHEDULES.items():
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Shanghai", **cron)
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": schedule, "enabled": True})
    PeriodicTask.objects.exclude(name__in=list(SCHEDULES)).filter(name__startswith="reemployment:").delete()
    return len(SCHEDULES)
