"""python manage.py run_payroll --county 341125 --month 2026-05 — compute a county's monthly payroll.

Idempotent: running it again adds only lines that are missing (and withdraws lines no longer due,
while the month is not locked). A locked month is refused.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from benefits.payroll.services import DEFAULT_BATCH_SIZE, payroll_run_compute
from reemployment.core.errors import DomainError
from reemployment.core.selectors import region_by_code


class Command(BaseCommand):
    help = "Compute the payroll of a county for a month (one line per payable enrolment; reruns add nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="county region code, e.g. 341125")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args, county, month, batch_size, **options):
        started = time.monotonic()
        try:
            region = region_by_code(county)
            result = payroll_run_compute(actor="system:run_payroll", county=region, month=month,
                                         batch_size=batch_size)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        run = result.run
        self.stdout.write(
            f"{run.county.code} {run.month:%Y-%m}: status {run.status}; added {result.added}, removed "
            f"{result.removed}; {run.lines} lines, {run.households} households, {run.persons} persons, "
            f"{run.total_amount} yuan ({time.monotonic() - started:.1f} s)"
        )
