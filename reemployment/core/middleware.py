"""Request guards shared by every app."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "请求中含有不允许的控制字符（NUL） / the request contains a NUL character"


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
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
