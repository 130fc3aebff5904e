"""The Wagtail admin is entirely in Simplified Chinese: no Wagtail string falls back to English.

Wagtail's own zh_Hans catalogues lack some of the messages its English catalogues define ("Search
all pages…", "New: %(model_name)s", "Go to the first error", …). The project catalogue
``locale/zh_Hans/LC_MESSAGES/django.po`` (and ``djangojs.po`` for the admin's JavaScript, served by
Wagtail's ``JavaScriptCatalog``, which adds ``LOCALE_PATHS``) supplies them. After a Wagtail upgrade
this test lists the new gaps; print them as JSON to translate with::

    .venv/bin/python tests/test_wagtail_zh.py > /tmp/wagtail_missing.json

See docs/i18n.md ("Wagtail's own strings").
"""

import gettext
import json
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROJECT_LOCALE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"


def _wagtail_dir() -> pathlib.Path:
    import wagtail

    return pathlib.Path(wagtail.__file__).resolve().parent


def _translations(path: pathlib.Path):
    if not path.exists():
        return None
    with path.open("rb") as stream:
        return gettext.GNUTranslations(stream)


def _translated(catalogues, entry) -> bool:
    key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
    if entry.msgid_plural:
        key = (key, 0)
    return any(cat is not None and cat._catalog.get(key) for cat in catalogues)


def missing() -> list[dict]:
    """Every message of Wagtail's en catalogues that neither Wagtail's zh_Hans nor ours translates."""
    wagtail_dir = _wagtail_dir()
    gaps = []
    for en_po in sorted(wagtail_dir.rglob("locale/en/LC_MESSAGES/*.po")):
        domain = en_po.stem
        zh_mo = en_po.parents[2] / "zh_Hans" / "LC_MESSAGES" / f"{domain}.mo"
        catalogues = [_translations(zh_mo), _translations(PROJECT_LOCALE / f"{domain}.mo")]
        for entry in polib.pofile(str(en_po)):
            if entry.obsolete or not entry.msgid or _translated(catalogues, entry):
                continue
            gaps.append({"dom": domain, "src": str(en_po.relative_to(wagtail_dir)), "ctx": entry.msgctxt,
                         "id": entry.msgid, "plural": entry.msgid_plural})
    return gaps


def test_every_wagtail_message_has_a_simplified_chinese_translation():
    gaps = missing()
    assert not gaps, (f"{len(gaps)} Wagtail messages have no zh_Hans translation; add them to "
                      f"locale/zh_Hans/LC_MESSAGES/<domain>.po and compile (docs/i18n.md), e.g.:\n  "
                      + "\n  ".join(f"{g['dom']}: {g['id']!r}" for g in gaps[:20]))


def test_our_catalogue_keeps_wagtail_placeholders():
    """Every msgstr carries exactly the placeholders of its msgid (or msgid_plural for plurals)."""
    import re

    pattern = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%[sd]")
    wrong = []
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(PROJECT_LOCALE / f"{domain}.po")):
            source = entry.msgid_plural or entry.msgid
            text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                wrong.append((entry.msgid, text))
    assert not wrong, wrong


def test_django_serves_our_translations_in_zh_hans():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索所有页面…"
        assert translation.gettext("Go to the first error") == "转到第一个错误"
        assert translation.gettext("New: %(model_name)s") % {"model_name": "求职登记"} == "新建：求职登记"
    with translation.override("en"):
        assert translation.gettext("Search all pages…") == "Search all pages…"


def test_the_admin_javascript_catalogue_serves_our_translations(client):
    from django.urls import reverse

    response = client.get(reverse("wagtailadmin_javascript_catalog"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert "\\u5757" in body or "块" in body  # "Blocks"
    assert "Autosave in progress" in body and ("正在自动保存" in body or "\\u6b63\\u5728\\u81ea\\u52a8\\u4fdd\\u5b58" in body)


def test_the_admin_home_is_in_chinese_for_a_county_user(client, users):
    from wagtail.users.models import UserProfile

    user = users["county"]
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(user)
    page = client.get("/admin/").content.decode()
    assert "Search all pages" not in page
    assert "搜索所有页面…" in page


if __name__ == "__main__":
    json.dump(missing(), sys.stdout, ensure_ascii=False, indent=1)
