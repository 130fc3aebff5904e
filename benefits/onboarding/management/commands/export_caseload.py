"""python manage.py export_caseload --county CODE [--format csv|xlsx] [--output FILE] [--user NAME]

Writes the county's current caseload (every household with a current enrolment, one row per current
member) in the import template of docs/onboarding.md, formula-safe: the file imports back into an empty
database to the same households, persons and amounts. CSV goes to standard output unless ``--output``
names a file; XLSX needs ``--output``. The export is audited.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benefits.onboarding import services
from reemployment.core.errors import DomainError
from reemployment.core.models import User
from reemployment.core.selectors import region_by_code

ACTOR = "system:export_caseload"


class Command(BaseCommand):
    help = "Export a county's current caseload in the onboarding template (CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="county region code, e.g. 341125")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", "-o", help="file to write (default: standard output, CSV only)")
        parser.add_argument("--user", help="username of the county staff member exporting (named in the audit)")

    def handle(self, *args, county, format, output=None, user=None, **options):
        actor = ACTOR
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user}")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE")
        try:
            content = services.caseload_export(actor=actor, county=region_by_code(county), fmt=format)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"{output}: {len(content)} bytes")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
