"""Which parameter defaults come from the field reports (R1–R5) and which are set by the county.

``NOT_FROM_REPORTS`` (reemployment/policy/parameters.py) and docs/policy-file.md must say the same:
each such parameter's row is marked "set by the county; the default is not from the reports", and no
other row is."""

import pathlib
import re

from reemployment.policy.parameters import NOT_FROM_REPORTS, PARAMETER_NAMES

ROOT = pathlib.Path(__file__).resolve().parents[2]
MARK = "set by the county; the default is not from the reports"


def _rows() -> dict[str, str]:
    """Parameter name → its table row in docs/policy-file.md (rows may name several parameters)."""
    text = (ROOT / "docs" / "policy-file.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        first_cell = line.split("|")[1]
        for name in re.findall(r"`([a-z_]+)`", first_cell):
            rows[name] = line
    return rows


def test_the_marked_names_are_parameters():
    assert NOT_FROM_REPORTS <= PARAMETER_NAMES


def test_every_parameter_has_a_row_and_the_docs_mark_exactly_the_ones_not_from_the_reports():
    rows = _rows()
    assert PARAMETER_NAMES <= set(rows), sorted(PARAMETER_NAMES - set(rows))
    marked = {name for name in PARAMETER_NAMES if MARK in rows[name]}
    assert marked == NOT_FROM_REPORTS
