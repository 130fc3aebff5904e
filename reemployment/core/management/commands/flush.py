"""``flush`` that may empty the append-only audit table (SQLite; PostgreSQL truncates anyway).

Django's ``flush`` empties every table; on SQLite it does so with ``DELETE FROM``, which the audit
table's trigger refuses for any other caller (reemployment/core/append_only.py).
"""

from django.core.management.commands import flush

from reemployment.core.append_only import flushing


class Command(flush.Command):
    def handle(self, **options):
        with flushing():
            return super().handle(**options)
