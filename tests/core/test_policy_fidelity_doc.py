"""docs/policy-fidelity.md names the test of each rule the field reports state: every name must exist.

A reference is `path/to/test_file.py::test_name` (a path under tests/), `path::Class::test_method`, or a
continuation `::test_name` in the same table cell, meaning the last file named; a ``[parameter id]`` suffix
is ignored."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "policy-fidelity.md"
REF = re.compile(r"`((?:[\w/]+\.py)?)((?:::\w+)+)(?:\[[^\]]*\])?`")


def _references():
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        for cell in line.split("|"):
            current = None
            for path, names in REF.findall(cell):
                current = path or current
                assert current, f"a continuation without a file in: {cell.strip()}"
                yield current, names.strip(":").split("::")


def test_the_doc_names_tests():
    assert sum(1 for _ in _references()) > 60


def test_every_named_test_exists():
    missing = []
    for path, names in _references():
        file = ROOT / "tests" / path
        if not file.exists():
            missing.append(f"{path} (no such file)")
            continue
        text = file.read_text(encoding="utf-8")
        for name in names:
            if not re.search(rf"^\s*(?:async\s+)?(?:def|class)\s+{name}\b", text, re.MULTILINE):
                missing.append(f"{path}::{name}")
    assert not missing, "\n".join(missing)
