"""Telling people what happened: the one call domain services make, whoever delivers it.

Services of every app call :func:`notify` inside their own transaction, after the change it
reports::

    notify("application.step", key=f"application-event:{event.pk}", application=application, action=action)

``event`` names what happened; ``key`` identifies this one occurrence (the same key twice — a
retried task, a double submit — is one notification); the keyword arguments are the records the
message is about. The kernel knows nothing of recipients, channels or texts: the ``notifications``
app registers the handler in its ``AppConfig.ready()`` (docs/notifications.md); without it
``notify`` does nothing, so the apps below it never import it (docs/architecture.md, hooks).

A failure to write a notification never undoes the change it reports: the handler runs in a
savepoint and its error is logged (the change stays; the message is missing, which the log says).

:func:`quiet` is for a decision that tells the person itself: inside it, the changes the decision
makes through other services (a review's change of amount, a sanction's suspension) send nothing
of their own, so one decision is one message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[..., Any]  # handler(event: str, *, key: str, context: dict) -> anything

_handler: Handler | None = None
_quiet: ContextVar[bool] = ContextVar("reemployment_notify_quiet", default=False)


def register_handler(handler: Handler | None) -> None:
    """The function that turns events into notifications (the notifications app's ``ready()``)."""
    global _handler
    _handler = handler


def handler() -> Handler | None:
    return _handler


def notify(event: str, /, *, key: str, **context) -> None:
    """Report ``event`` (occurrence ``key``) about the records in ``context``; see the module docstring."""
    if _handler is None or _quiet.get():
        return
    from django.db import transaction

    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's transaction usable
            _handler(event, key=str(key), context=context)
    except Exception:
        logger.exception("notification %s (%s) was not written", event, key)


@contextmanager
def quiet() -> Iterator[None]:
    """Inside: :func:`notify` sends nothing (the caller tells the person about the whole decision)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)
