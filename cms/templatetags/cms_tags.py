"""Template tags of the public portal: the site navigation, the language switch link, hreflang alternates."""

import logging

from django import template
from django.urls import translate_url
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


@register.simple_tag(takes_context=True)
def language_url(context, language_code):
    """This page in another language, as a plain link (no form, no CSRF token, so a page stays
    cacheable; the language comes from the URL prefix alone). For a Wagtail page, its live
    translation (slugs may differ); otherwise the same path with the target language's prefix."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and hasattr(page, "get_translation_or_none"):
        try:
            from wagtail.models import Locale

            locale = Locale.objects.get(language_code=language_code)
            translation = page.get_translation_or_none(locale)
            url = translation.get_url(request) if translation is not None and translation.live else None
            if url:
                return url
        except Exception:  # a missing locale must not break every page
            logger.exception("language switch target failed")
    if request is None:
        return "/"
    url = translate_url(request.path, language_code)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


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
