"""The one domain error type services raise (CONVENTIONS.md rule 6)."""

from __future__ import annotations

from django.utils.translation import gettext


class DomainError(Exception):
    """A request that the rules do not allow, with a message a person can act on.

    ``field_errors`` maps a field name to messages when the error is about input.
    ``code`` is a stable machine-readable reason ("not_in_jurisdiction", "conflict", …).
    """

    def __init__(self, message: str, *, code: str = "invalid", field_errors: dict | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field_errors = field_errors or {}
        self.status = status

    def __str__(self) -> str:
        return self.message


class PermissionDenied(DomainError):
    """A refusal for lack of role, jurisdiction or separation of duties. It notes itself in the request's
    audit context: the middleware records it as an ``access.denied`` audit event after the view, whoever
    catches it (the admin shows it as a message, the API as a 403). Raise it only to refuse — to ask
    whether someone may act, use ``permissions.may_act``."""

    def __init__(self, message: str | None = None, *, code: str = "forbidden"):
        super().__init__(message or gettext("无权执行此操作"), code=code, status=403)
        from reemployment.core import request_context

        request_context.note_denied(self.message, code=code)


class Conflict(DomainError):
    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message, code=code, status=409)
