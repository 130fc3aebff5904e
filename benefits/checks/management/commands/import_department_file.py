"""python manage.py import_department_file --source SOURCE FILE [--region CODE] [--user NAME] [--queue]

Uploads a department file like the admin does (size, duplicate, encoding checks) and processes it
here (or, with --queue, through the Celery task), then prints the outcome and any row errors.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benefits.checks.models import FileStatus
from benefits.checks.services import department_file_process, department_file_upload
from benefits.checks.sources import SOURCES
from reemployment.core.errors import DomainError
from reemployment.core.models import User
from reemployment.core.selectors import region_by_code


class Command(BaseCommand):
    help = "Import a department file (CSV/XLSX) for the data-matching checks (家庭经济状况核对)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, choices=sorted(SOURCES))
        parser.add_argument("--region", help="county code (default: the --user's region)")
        parser.add_argument("--user", help="username of the county staff member importing")
        parser.add_argument("--queue", action="store_true", help="process through the Celery task")

    def handle(self, *args, file, source, region=None, user=None, queue=False, **options):
        actor = "system:import_department_file"
        if user:
            actor = User.objects.filter(username=user).select_related("region").first()
            if actor is None:
                raise CommandError(f"no user {user}")
        try:
            region_obj = region_by_code(region) if region else getattr(actor, "region", None)
            if region_obj is None:
                raise CommandError("--region is required (or a --user with a region)")
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"no such file: {file}")
            department_file = department_file_upload(actor=actor, source=source, region=region_obj, name=path.name,
                                                     content=path.read_bytes(), process=queue)
            if not queue:
                department_file = department_file_process(file_id=department_file.pk)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        department_file.refresh_from_db()
        self.stdout.write(f"file #{department_file.pk} {department_file.status}: {department_file.message}")
        for error in department_file.errors[:50]:
            self.stdout.write(f"  row {error['row']} {error['column']} {error['value']}: {error['message']}")
        if department_file.status == FileStatus.REJECTED:
            raise CommandError(f"rejected: {department_file.error_count} error(s)")
