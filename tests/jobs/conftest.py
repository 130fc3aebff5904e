"""Fixtures for jobs tests: a private match-index folder per test, and a few records."""

import pytest

from jobs.matching.encoder import get_encoder
from tests.jobs.factories import make_employer


@pytest.fixture(autouse=True)
def match_index_dir(settings, tmp_path):
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"
    return settings.MATCH_INDEX_DIR


@pytest.fixture(scope="session")
def encoder():
    """The real model, loaded once for the session."""
    enc = get_encoder()
    enc.load()
    return enc


@pytest.fixture
def employer_b(regions):
    return make_employer(regions["town_b"])


@pytest.fixture
def employer_a(regions):
    return make_employer(regions["town_a"], name="定远县宏达物业管理有限公司")
