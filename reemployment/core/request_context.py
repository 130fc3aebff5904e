"""Who is asking, from where, in which session — for the audit log (issue 15, finding 8).

:class:`reemployment.core.middleware.AuditContextMiddleware` opens a context per web request;
``audit.record`` reads it to store the client's IP address and a reference to the session on every
event written during the request. Permission refusals note themselves here (:func:`note_denied`:
the domain ``PermissionDenied``, DRF's permission refusal, Wagtail's "no permission" redirect) and
the middleware writes them as ``access.denied`` events once the view has returned — after the
refused service's own transaction was rolled back, which would have taken an event written inside
it along.

Pure Python (``contextvars``): no models, so the lowest modules (``errors``) may import it. Outside
a web request (tasks, commands) there is no context: events have no IP or session, and refusals are
not noted here (the command or task reports them itself).
"""

from __future__ import annotations

import contextvars
import hashlib
from dataclasses import dataclass, field

MAX_DENIALS_PER_REQUEST = 5


@dataclass
class RequestAudit:
    request: object  # the HttpRequest
    ip_address: str | None
    denials: list[dict] = field(default_factory=list)

    def session_ref(self) -> str:
        """A reference to the login session, never the secret itself: "s:" + SHA-256 prefix of the session
        key, or "t:" + that of the API token. Events of one session share it; it cannot be replayed."""
        session = getattr(self.request, "session", None)
        key = getattr(session, "session_key", None) if session is not None else None
        if key:
            return "s:" + hashlib.sha256(key.encode()).hexdigest()[:24]
        header = getattr(self.request, "META", {}).get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() in {"token", "bearer"} and token.strip():
            return "t:" + hashlib.sha256(token.strip().encode()).hexdigest()[:24]
        return ""


_current: contextvars.ContextVar[RequestAudit | None] = contextvars.ContextVar("request_audit", default=None)


def client_ip(request) -> str | None:
    """The client's address as the socket saw it (``REMOTE_ADDR``). Behind a reverse proxy, configure the
    proxy hop so that the web process sees the client's address (docs/security.md, "Audit log")."""
    return (getattr(request, "META", {}).get("REMOTE_ADDR") or "").strip() or None


def begin(request) -> contextvars.Token:
    return _current.set(RequestAudit(request=request, ip_address=client_ip(request)))


def end(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> RequestAudit | None:
    return _current.get()


def note_denied(message: str, *, code: str = "forbidden") -> None:
    """Remember a permission refusal of this request (written by the middleware after the view)."""
    context = _current.get()
    if context is None or len(context.denials) >= MAX_DENIALS_PER_REQUEST:
        return
    entry = {"message": str(message)[:300], "code": code}
    if entry not in context.denials:
        context.denials.append(entry)
