"""Template tags of the public portal: the site navigation and the language switch target."""

import logging

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
register = template.Library()

# (label, path without language prefix). Wagtail sections keep the same slug in every locale
# (copy_for_translation keeps slugs), so one path per section serves both languages.
NAV_ITEMS = [
    (_("首页"), "/"),
    (_("政策指南"), "/policies/"),
    (_("办事指南"), "/services/"),
    (_("公告公示"), "/notices/"),
    (_("岗位"), "/jobs/"),
    (_("培训"), "/training/"),
    (_("自助查询"), "/self-check/"),
    (_("我的"), "/me/"),
    (_("举报"), "/report/"),
]


def _language_prefix() -> str:
    """'' for the default language (zh-hans), '/en' for English (i18n_patterns without default prefix)."""
    from django.conf import settings

    language = get_language() or settings.LANGUAGE_CODE
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The main navigation: list of dicts {label, url, current} for the active language."""
    request = context.get("request")
    current_path = request.path if request else ""
    prefix = _language_prefix()
    items = []
    for label, path in NAV_ITEMS:
        url = f"{prefix}{path}" if path != "/" else (f"{prefix}/" if prefix else "/")
        if path == "/":
            current = current_path == url
        else:
            current = current_path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return items


def _strip_prefix(path: str) -> str:
    """'/en/policies/x/' → '/policies/x/'; '/policies/x/' unchanged."""
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix):]
    return path


@register.simple_tag(takes_context=True)
def language_next(context, language_code):
    """The ``next`` to post to Django's set_language so that the visitor lands on the page's
    translation. set_language (at the unprefixed /i18n/setlang/, so always running in the default
    language) passes ``next`` through ``translate_url``, which resolves it as a default-language
    path and reverses it with the target language's prefix. So we give the target path without
    its language prefix: for a Wagtail page, its translation's (slugs may differ)."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_translation_or_none"):
        try:
            from wagtail.models import Locale

            locale = Locale.objects.get(language_code=language_code)
            translation = page.get_translation_or_none(locale)
            url = translation.get_url(request) if translation is not None and translation.live else None
            if url:
                return _strip_prefix(url)
        except Exception:  # a missing locale must not break every page
            logger.exception("language switch target failed")
    return _strip_prefix(request.get_full_path()) if request else "/"


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """[(language_code, absolute-path URL)] of the page's live translations, for hreflang links."""
    page = context.get("page")
    request = context.get("request")
    if page is None or not hasattr(page, "get_translations"):
        return []
    rows = []
    for translation in page.get_translations(inclusive=True).live().select_related("locale"):
        url = translation.get_url(request)
        if url:
            rows.append((translation.locale.language_code, url))
    return rows
