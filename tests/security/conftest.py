"""The world of tests/security (tests/security/world.py), built once per module."""

import pytest

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for this module's tests (per xdist process) inside a transaction that
    is rolled back after the last of them; each test runs in a savepoint of its own (``db``)."""
    from django.db import transaction
    from django.test import override_settings

    index_dir = tmp_path_factory.mktemp("match-index")  # never the demo's index in var/
    with django_db_blocker.unblock(), override_settings(MATCH_INDEX_DIR=index_dir), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
