"""Append-only history: the model mixin every history table uses, and the database backstop of the
audit table (migration ``core.0002``).

:class:`AppendOnlyModel` refuses a second ``save()`` and any ``delete()`` of a row;
:class:`AppendOnlyQuerySet` refuses bulk ``update()``/``delete()`` too.

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

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` refused too, with the model's messages."""

    def update(self, **kwargs):
        raise ValidationError(self.model.append_only_update_message)

    def delete(self):
        raise ValidationError(self.model.append_only_delete_message)

    update.alters_data = True
    delete.alters_data = True
    delete.queryset_only = True  # as Django's: no Manager.delete()


class AppendOnlyModel(models.Model):
    """A history row (audit event, application step, enrolment change): written once, never changed
    or deleted through the ORM. Subclasses name the messages a person sees when something tries."""

    append_only_update_message = _("只能追加，不能修改")
    append_only_delete_message = _("不能删除")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(self.append_only_update_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.append_only_delete_message)
