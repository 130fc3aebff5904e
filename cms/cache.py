"""A cache of rendered public portal pages for anonymous visitors.

Wagtail renders every page on every request; most visitors are anonymous and read the same few
pages, so ``PortalPageCacheMiddleware`` keeps the rendered HTML of a Wagtail page in the cache
``PORTAL_PAGE_CACHE_ALIAS`` (``default``: Redis in production) for ``PORTAL_PAGE_CACHE_SECONDS`` and
serves it without touching the page tree. (wagtail-cache would do this but declares ``wagtail<8``.)

What is cached — only what is the same for every anonymous visitor:

* GET of a page served by Wagtail's ``serve`` view, without a query string (search, pagination
  and filters are rendered fresh);
* for a visitor who is not logged in and carries no session or messages cookie (so no flash
  message and no per-visitor state can be in the page);
* a 200 response that did not use a CSRF token (forms: tip-off, self-check, password-protected
  pages), set no cookie and is not marked private/no-store.

Invalidation: publishing, unpublishing, moving or deleting a page, and saving or deleting the
data that portal pages list (vacancies, employers, courses, applications in their notice period,
standards and policy parameters), and any change to a page's view restriction, to a site or to its portal settings, bumps a version number that is part of every key, so the next
request renders afresh. Changes that send no signal (bulk imports, a notice period or closing date
passing at midnight) show within ``PORTAL_PAGE_CACHE_SECONDS`` (default 300). ``0`` turns the
cache off. Responses carry ``X-Portal-Cache: hit|miss`` for operators and the load test.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

logger = logging.getLogger(__name__)

VERSION_KEY = "portal-page:version"
# Data shown on portal pages; a save or delete of any of these invalidates the cached pages.
INVALIDATING_MODELS = (
    "jobs.Vacancy", "jobs.Employer", "training.Course", "training.Provider", "training.TrainingEnrolment",
    "benefits.Application",
    "core.Standard", "core.ParameterSet",
    # Privacy: restricting a page to logged-in users or a password must take effect at once.
    "wagtailcore.PageViewRestriction", "wagtailcore.Site",
    # The county a site serves (its standards on the home page, the self-check's townships).
    "cms.PortalSettings",
)


def _cache():
    """The cache alias ``PORTAL_PAGE_CACHE_ALIAS`` (default ``default``)."""
    return caches[getattr(settings, "PORTAL_PAGE_CACHE_ALIAS", "default")]


def cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300))


def _version() -> int:
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate(**_kwargs) -> None:
    """Make every cached page stale (a new key version); old entries expire by themselves."""
    try:
        cache = _cache()
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or evicted): start one above any a reader may hold
            cache.set(VERSION_KEY, 2, timeout=None)
    except Exception:  # the cache being down must not fail a publish or a save
        logger.exception("portal page cache invalidation failed")


def _key(request) -> str:
    return f"portal-page:{_version()}:{request.get_host()}:{request.path}"


def _is_anonymous_visitor(request) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _is_wagtail_serve(view_func) -> bool:
    from wagtail import views as wagtail_views

    return view_func is wagtail_views.serve or getattr(view_func, "__wrapped__", None) is wagtail_views.serve


class PortalPageCacheMiddleware:
    """Serve and store anonymous Wagtail page responses (see the module docstring).

    Placed after the authentication and messages middleware: it needs ``request.user``, and its
    ``process_response`` must run before CsrfViewMiddleware's sets the token cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_portal_cache_key", None):
            self._store(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (cache_seconds() <= 0 or request.method not in ("GET", "HEAD") or request.GET
                or not _is_wagtail_serve(view_func) or not _is_anonymous_visitor(request)):
            return None
        try:
            key = _key(request)
            cached = _cache().get(key)
        except Exception:  # a cache outage degrades to rendering, never to an error page
            logger.exception("portal page cache unavailable")
            return None
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(b"" if request.method == "HEAD" else content, content_type=content_type)
            if language:
                response["Content-Language"] = language
            response["X-Portal-Cache"] = "hit"
            return response
        if request.method == "GET":
            request._portal_cache_key = key
        return None

    @staticmethod
    def _store(request, response) -> None:
        cache_control = response.get("Cache-Control", "")
        if (response.status_code != 200 or response.streaming or response.cookies
                or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                or "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control):
            return
        try:
            _cache().set(request._portal_cache_key,
                      (response.content, response["Content-Type"], response.get("Content-Language", "")),
                      cache_seconds())
        except Exception:
            logger.exception("portal page cache unavailable")
            return
        response["X-Portal-Cache"] = "miss"


def connect_signals() -> None:
    """Called from ``CmsConfig.ready``."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"portal-cache-{signal}")
    from wagtail.models import Page

    post_delete.connect(invalidate, sender=Page, dispatch_uid="portal-cache-page-delete")
    for label in INVALIDATING_MODELS:
        model = apps.get_model(label)
        post_save.connect(invalidate, sender=model, dispatch_uid=f"portal-cache-save-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"portal-cache-delete-{label}")
