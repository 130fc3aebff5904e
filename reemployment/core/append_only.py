"""The database backstop of append-only audit history (migration ``core.0002``).

The triggers refuse every UPDATE and DELETE of an audit row. The one exception is emptying the
whole database with ``manage.py flush`` (which the test suite's transactional tests run after
each test): on PostgreSQL that is ``TRUNCATE``, which row triggers do not see; on SQLite it is
``DELETE FROM``, so the SQLite trigger asks :func:`flush_in_progress` through a function this
module registers on every SQLite connection. Only the thread running ``flush`` gets a yes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

SQLITE_FUNCTION = "core_audit_flush_in_progress"

_state = threading.local()


@contextmanager
def flushing() -> Iterator[None]:
    """Allow the SQLite flush of the audit table in this thread (``flush`` command only)."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def flush_in_progress() -> int:
    return 1 if getattr(_state, "depth", 0) else 0


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give SQLite connections the trigger's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, flush_in_progress, deterministic=False)
