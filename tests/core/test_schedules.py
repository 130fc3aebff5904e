"""Periodic schedules: one registry, written to django-celery-beat by `migrate`; role groups synced there too."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal
from django_celery_beat.models import PeriodicTask

from reemployment import schedules
from reemployment.core.models import Role
from reemployment.core.roles import group_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrate_writes_every_declared_schedule():
    # The test database was built by `migrate`; nothing else has run here.
    declared = schedules.all_schedules()
    assert len(declared) >= 6
    rows = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}
    for name, (task_name, cron) in declared.items():
        row = rows[name]
        assert row.task == task_name and row.enabled
        assert {key: getattr(row.crontab, key) for key in cron} == cron
        assert str(row.crontab.timezone) == "Asia/Shanghai"


def test_every_schedules_module_is_in_the_registry():
    found = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in ROOT.glob("**/schedules.py")
        if not {".venv", "node_modules", "var", "tests"} & set(path.relative_to(ROOT).parts)
    }
    assert found - {"reemployment.schedules"} == set(schedules.SCHEDULE_MODULES)


def test_a_name_declared_twice_is_an_error(monkeypatch):
    monkeypatch.setattr(schedules, "SCHEDULES", {"reemployment:payroll-drafts": ("x", {"minute": "1"})})
    with pytest.raises(schedules.ScheduleError, match="declared twice"):
        schedules.all_schedules()


@pytest.mark.django_db
def test_sync_schedules_is_idempotent_and_removes_stale_entries():
    first = {t.name: t.date_changed for t in PeriodicTask.objects.all()}
    schedules.sync_schedules()
    assert {t.name: t.date_changed for t in PeriodicTask.objects.all()} == first  # rows in step are left alone

    drafts = PeriodicTask.objects.get(name="reemployment:payroll-drafts")
    drafts.enabled = False
    drafts.save()
    PeriodicTask.objects.create(name="reemployment:retired", task="x.y", crontab=drafts.crontab)
    PeriodicTask.objects.create(name="someone-else", task="x.z", crontab=drafts.crontab)
    schedules.sync_schedules()
    assert PeriodicTask.objects.get(name="reemployment:payroll-drafts").enabled
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert "reemployment:retired" not in names and "someone-else" in names


@pytest.mark.django_db
def test_post_migrate_restores_groups_and_schedules_once_per_migrate(monkeypatch):
    # An app without models at the end of INSTALLED_APPS gets no post_migrate of its own: the sync must
    # still run, once, when the last app that has models is done.
    real = apps.get_app_configs()
    no_models = SimpleNamespace(label="nomodels", name="nomodels", models_module=None, get_models=lambda **kw: [])
    monkeypatch.setattr(apps, "get_app_configs", lambda: [*real, no_models])
    from reemployment.core import roles

    calls = []
    original = roles.sync_role_groups
    monkeypatch.setattr(roles, "sync_role_groups", lambda **kw: calls.append(kw) or original(**kw))

    township = Group.objects.get(name=group_name(Role.TOWNSHIP))
    expected = set(township.permissions.values_list("codename", flat=True))
    assert "view_region" in expected
    township.permissions.clear()
    PeriodicTask.objects.all().delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert len(calls) == 1
    assert set(township.permissions.values_list("codename", flat=True)) == expected
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == set(schedules.all_schedules())
