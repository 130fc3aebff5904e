"""Portal fixtures: the demo page tree (cms.demo.seed) over the shared region tree and policy."""

import datetime as dt
import io

import pytest

from cms import demo
from tests.benefits.factories import add_policy


@pytest.fixture(autouse=True)
def match_index_dir(settings, tmp_path):
    """A private match-index folder, so that vacancy searches never touch var/."""
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"
    return settings.MATCH_INDEX_DIR


# Like the demo county's policy file (reemployment/core/demo/policy.yaml): documented work costs are
# deducted from wages; every other parameter has its default.
COUNTY_PARAMETERS = {"work_costs_deductible": True}


@pytest.fixture
def policy(regions):
    """定远县 standards 2025 (urban 150 / rural 110) and 2026 (urban 260 / rural 180); default
    parameters except that work costs are deductible (``COUNTY_PARAMETERS``)."""
    add_policy(regions["county"], urban="150.00", rural="110.00", valid_from=dt.date(2025, 1, 1),
               values=COUNTY_PARAMETERS)
    add_policy(regions["county"], urban="260.00", rural="180.00", valid_from=dt.date(2026, 1, 1),
               values=COUNTY_PARAMETERS)
    return regions


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo page tree, built once (about 5 s) and committed for the tests of this folder.

    Each test still runs in its own transaction, so changes made by a test are rolled back."""
    with django_db_blocker.unblock():
        demo.seed(io.StringIO())


@pytest.fixture
def site(policy):
    """The demo site in both languages (see django_db_setup); returns the Chinese HomePage."""
    from cms.models import HomePage

    return HomePage.objects.get(locale__language_code="zh-hans")


def page_urls(home):
    """Every live page of the tree (both languages), as URL paths."""
    from wagtail.models import Page

    return [page.url for page in Page.objects.live().filter(depth__gte=2).specific() if page.url]
