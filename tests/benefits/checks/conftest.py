"""Fixtures of the checks tests: a few enrolled households in the test county."""

import pytest

from tests.benefits.checks.factories import make_household


@pytest.fixture
def households(regions):
    """h_a1: urban community a1, 3 persons; h_b1: rural village b1, 2 persons; h_other: neighbour county."""
    from tests.factories import RegionFactory

    other_comm = RegionFactory(code="341126100001", name="邻县社区", level="community", area="urban",
                               parent=regions["other_county"])
    return {
        "h_a1": make_household(regions["comm_a1"], persons=3, category="A", amount="900.00"),
        "h_b1": make_household(regions["comm_b1"], persons=2, category="C", amount="140.00"),
        "h_other": make_household(other_comm, persons=1),
    }


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Uploads are stored in the test's own temporary folder."""
    settings.CHECKS_IMPORT_DIR = tmp_path
