"""Fixtures shared by every test: a region tree and one user per role; and what keeps the suite
correct when pytest-xdist runs it in several processes (``make test`` does: ``-n 2 --dist loadgroup``)."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from reemployment.core.models import Role
from tests.factories import UserFactory, make_region_tree

# Tests that share something outside their own test database run in one xdist process, one after
# the other (``--dist loadgroup``): a marker → the group its tests join.
XDIST_GROUPS = {
    "worker": "celery-worker",  # real Celery workers: CPU-heavy (each imports torch) and one broker
}
# Whole folders that run in one process: the browser tests share one Chromium (a session fixture)
# and a package fixture that restores the migrated data after the last of them.
XDIST_GROUP_FOLDERS = {
    "browser": "browser",
}

_private_dirs: list[Path] = []


def pytest_configure(config):
    # Fast hashing: real hashers cost ~0.3 s per password, and fixtures make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _isolate_process()


def _isolate_process():
    """Give this test process its own files and Celery queue.

    Each xdist process has its own test database (pytest-django adds the suffix), but the media
    folder, the match index folder and the broker's default queue are shared by default. The paths
    are also put in the environment, so a Celery worker that a test starts (it inherits it) reads
    and writes the same files as the test. The queue: a task sent by one process must never reach
    a worker started by another (it would run against the other process's database); the worker a
    test starts reads it through tests/worker_settings.py."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        base = Path(tempfile.mkdtemp(prefix=f"reemployment-tests-{worker}-"))
        _private_dirs.append(base)
        for name, folder in (("MEDIA_ROOT", base / "media"), ("MATCH_INDEX_DIR", base / "match-index")):
            folder.mkdir()
            setattr(settings, name, folder)
            os.environ[name] = str(folder)
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from reemployment.celery import app

        queue = f"tests-{worker or 'main'}-{uuid.uuid4().hex[:8]}"
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        app.conf.task_default_queue = queue
        os.environ["TESTS_CELERY_QUEUE"] = queue
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.worker_settings"  # for the workers tests start


def pytest_unconfigure(config):
    for folder in _private_dirs:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Pass-specific tests: `worker` tests need a real broker and PostgreSQL (the CI's second pass);
    the eager-mode test belongs to the embedded pass. The other pass deselects them (they are
    reported as deselected, never skipped)."""
    real_broker = not settings.CELERY_TASK_ALWAYS_EAGER
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    keep, drop = [], []
    tests_dir = Path(__file__).resolve().parent
    for item in items:
        _join_xdist_group(item, tests_dir)
        other_pass = (
            (item.get_closest_marker("worker") and not (real_broker and postgres))
            or (item.name.startswith("test_tasks_run_in_process") and real_broker)
            or (item.get_closest_marker("postgres") and not postgres)
        )
        (drop if other_pass else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _join_xdist_group(item, tests_dir: Path) -> None:
    group = next((name for marker, name in XDIST_GROUPS.items() if item.get_closest_marker(marker)), None)
    if group is None:
        try:
            folder = Path(str(item.path)).resolve().relative_to(tests_dir).parts[0]
        except ValueError:
            folder = ""
        group = XDIST_GROUP_FOLDERS.get(folder)
    if group and not item.get_closest_marker("xdist_group"):
        item.add_marker(pytest.mark.xdist_group(group))


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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through LocaleMiddleware (an English
    page, say) leaves its language active on the thread, which would leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
