"""Checks shared by the tests of the English self-service pages: what Chinese is left in a page's
main content, and whether an app's committed .mo says what its .po says."""

import ast
import gettext
import re
from pathlib import Path

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def chinese_left(body: str, data=()) -> list[str]:
    """The runs of Chinese characters or full-width punctuation in the text of <main> once the given
    data values (names, titles, region names... entered in Chinese) are taken out."""
    main = body.split('id="main"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", "", main)
    for value in sorted({str(v) for v in data if v}, key=len, reverse=True):
        text = text.replace(value, "")
    return CJK.findall(text)


def po_entries(path: Path) -> dict:
    """{(msgctxt or None, msgid): msgstr, or the list of msgstr[n] of a plural entry} of a .po file."""
    entries, field, values = {}, None, {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            field = match.group(1)
            values[field] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and field:
            values[field] += ast.literal_eval(line)
        elif not line.strip() and field:
            if values["msgid"]:
                if "msgid_plural" in values:
                    value = [values[key] for key in sorted(k for k in values if k.startswith("msgstr["))]
                else:
                    value = values["msgstr"]
                entries[(values.get("msgctxt"), values["msgid"])] = value
            field, values = None, {}
    return entries


def assert_catalogue_complete_and_compiled(app_module) -> dict:
    """Every msgid of the app's English catalogue has an English msgstr, and the committed .mo agrees."""
    folder = Path(app_module.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    entries = po_entries(folder / "django.po")
    assert entries
    missing = [key for key, value in entries.items() if not value or (isinstance(value, list) and not all(value))]
    assert not missing, missing
    untranslated = [key for key, value in entries.items() if CJK.search(str(value))]
    assert not untranslated, untranslated
    with open(folder / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), msgstr in entries.items():
        if isinstance(msgstr, list):
            got = [compiled.npgettext(context, msgid, msgid, n) if context else compiled.ngettext(msgid, msgid, n)
                   for n in (1, 2)]
        else:
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert got == msgstr, (context, msgid)
    return entries
