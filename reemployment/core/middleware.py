"""Request guards shared by every app."""

from __future__ import annotations

import logging

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

MESSAGE = _("请求中含有不允许的控制字符（NUL）")


class RejectNulMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL character.

    PostgreSQL text cannot hold NUL: a ``?region=%00`` that reached a query would fail in the
    database (a 500, found by the API fuzzing). Forms and serializers already refuse NUL in the
    fields they validate (``ProhibitNullCharactersValidator``); this covers everything read from the
    URL, in one place, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            # This runs before LocaleMiddleware: the request's language is chosen here for the message.
            with translation.override(translation.get_language_from_request(request, check_path=True)):
                message = str(MESSAGE)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class AuditContextMiddleware:
    """Give the audit log the request's client address and session (every event written during the request
    carries them), and record the request's permission refusals as ``access.denied`` events once the view
    has returned (``request_context``; issue 15, finding 8). After authentication, so the user is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from reemployment.core import audit, request_context

        token = request_context.begin(request)
        try:
            response = self.get_response(request)
            try:
                audit.record_denials(request, response)
            except Exception:  # the refusal stands and is answered even if its record cannot be written
                logging.getLogger(__name__).exception("could not record a denied request")
            return response
        finally:
            request_context.end(token)
