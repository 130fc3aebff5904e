"""Fixtures shared by every test: a region tree and one user per role."""

import pytest
from django.conf import settings

from reemployment.core.models import Role
from tests.factories import UserFactory, make_region_tree


def pytest_configure(config):
    # Fast hashing: real hashers cost ~0.3 s per password, and fixtures make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Pass-specific tests: `worker` tests need a real broker and PostgreSQL (the CI's second pass);
    the eager-mode test belongs to the embedded pass. The other pass deselects them (they are
    reported as deselected, never skipped)."""
    real_broker = not settings.CELERY_TASK_ALWAYS_EAGER
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    keep, drop = [], []
    for item in items:
        worker_elsewhere = item.get_closest_marker("worker") and not (real_broker and postgres)
        eager_elsewhere = item.name.startswith("test_tasks_run_in_process") and real_broker
        postgres_elsewhere = item.get_closest_marker("postgres") and not postgres
        (drop if worker_elsewhere or eager_elsewhere or postgres_elsewhere else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]}; broker: {settings.CELERY_BROKER_URL}; eager: {settings.CELERY_TASK_ALWAYS_EAGER}"


@pytest.fixture
def regions(db):
    return make_region_tree()


@pytest.fixture
def users(regions):
    """One user per role; township_b/community_b are in the other township."""
    return {
        "admin": UserFactory(username="t-admin", role=Role.ADMIN, is_superuser=False),
        "county": UserFactory(username="t-county", role=Role.COUNTY, region=regions["county"]),
        "other_county": UserFactory(username="t-other-county", role=Role.COUNTY, region=regions["other_county"]),
        "township_a": UserFactory(username="t-town-a", role=Role.TOWNSHIP, region=regions["town_a"]),
        "township_b": UserFactory(username="t-town-b", role=Role.TOWNSHIP, region=regions["town_b"]),
        "community_a1": UserFactory(username="t-comm-a1", role=Role.COMMUNITY, region=regions["comm_a1"]),
        "community_b1": UserFactory(username="t-comm-b1", role=Role.COMMUNITY, region=regions["comm_b1"]),
        "labour": UserFactory(username="t-labour", role=Role.LABOUR, region=regions["county"]),
        "editor": UserFactory(username="t-editor", role=Role.EDITOR),
    }


@pytest.fixture
def eager_celery():
    """Run tasks in-process for this test even when a real broker is configured (CI's second pass):
    for tests about what a task does, not about the broker. Worker tests use a real worker instead."""
    from reemployment.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no portal page, throttle count or lockout carried
    over from another test (the default cache is per process)."""
    from django.core.cache import cache

    cache.clear()
