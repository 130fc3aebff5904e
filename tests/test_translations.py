"""Every English catalogue (``<app>/locale/en/LC_MESSAGES/django.po``) is complete and compiled,
and so is the project's Simplified Chinese catalogue of Wagtail's strings (``locale/zh_Hans/``).

The .po file is the edited source of the English (the msgid is the Chinese source text). A test
fails on an untranslated or fuzzy message, and on a .mo that is missing or does not hold exactly
what the .po compiles to (compared as catalogues, not by modification time). How to update a
catalogue: docs/i18n.md.
"""

import gettext
import io
import pathlib

import polib
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "var", "build", "dist"}


def _catalogues() -> list[pathlib.Path]:
    found = []
    for path in ROOT.rglob("locale/en/LC_MESSAGES/django.po"):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            found.append(path)
    # The project catalogue of Wagtail's own strings in Simplified Chinese (tests/test_wagtail_zh.py).
    found.extend((ROOT / "locale" / "zh_Hans" / "LC_MESSAGES").glob("*.po"))
    return sorted(found)


CATALOGUES = _catalogues()
IDS = [str(path.relative_to(ROOT)) for path in CATALOGUES]


def _describe(entries) -> str:
    return "\n".join(f"  {entry.msgid!r} ({', '.join(f'{f}:{n}' for f, n in entry.occurrences[:2])})"
                     for entry in entries)


def _messages(translations: gettext.GNUTranslations) -> dict:
    """The catalogue without its header (msgid ""), whose layout differs between compilers."""
    return {key: value for key, value in translations._catalog.items() if key not in ("", ("", 0))}


def test_there_are_catalogues():
    assert any(path.parts[-5] == "cms" for path in CATALOGUES), IDS


@pytest.mark.parametrize("po_path", CATALOGUES, ids=IDS)
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    po = polib.pofile(str(po_path))
    untranslated = po.untranslated_entries()
    fuzzy = po.fuzzy_entries()
    assert not untranslated, f"{len(untranslated)} untranslated in {po_path.relative_to(ROOT)}:\n{_describe(untranslated)}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {po_path.relative_to(ROOT)}:\n{_describe(fuzzy)}"
    assert not po.metadata_is_fuzzy, f"the header of {po_path.relative_to(ROOT)} is marked fuzzy"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=IDS)
def test_the_mo_holds_exactly_what_the_po_compiles_to(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run msgfmt (docs/i18n.md)"
    compiled = gettext.GNUTranslations(io.BytesIO(polib.pofile(str(po_path)).to_binary()))
    with mo_path.open("rb") as stream:
        shipped = gettext.GNUTranslations(stream)
    expected, actual = _messages(compiled), _messages(shipped)
    stale = sorted(str(key) for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key))
    assert not stale, (f"{mo_path.relative_to(ROOT)} is stale ({len(stale)} messages differ from the .po; "
                       f"run msgfmt, docs/i18n.md), e.g.:\n  " + "\n  ".join(stale[:10]))
    assert compiled._info.get("plural-forms") == shipped._info.get("plural-forms")
