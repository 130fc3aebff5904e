"""Waiting for something another process does (a Celery worker, a database backend): poll a
condition until it holds or a deadline passes. Tests never sleep a fixed time.

    pid = wait_until(blocked_backend, timeout=120, message="the payroll never reached the blocked batch")
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    """The condition did not hold before the deadline (an assertion failure in the test's report)."""


def wait_until(condition: Callable[[], T], *, timeout: float, interval: float = 0.05,
               max_interval: float = 1.0, message: str | Callable[[], str] = "") -> T:
    """Call ``condition`` until it returns a truthy value, and return that value.

    Polls quickly at first (``interval``), then backs off to ``max_interval``, so a fast answer is
    seen at once and a slow one (a cold worker importing torch) costs few queries. Raises
    ``WaitTimeout`` after ``timeout`` seconds; ``message`` (or a function giving it, evaluated only
    then) says what was awaited.
    """
    deadline = time.monotonic() + timeout
    delay = interval
    while True:
        value = condition()
        if value:
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            text = message() if callable(message) else message
            raise WaitTimeout(f"not true after {timeout:g} s: {text or condition!r}")
        # The one place the suite pauses: between polls of a condition, never instead of one.
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, max_interval)
