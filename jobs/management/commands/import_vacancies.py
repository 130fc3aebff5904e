"""python manage.py import_vacancies FILE --user labour — bulk import (CSV UTF-8/GBK or XLSX)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.imports import vacancies_import
from reemployment.core.models import User


class Command(BaseCommand):
    help = "Import vacancies from a CSV or XLSX file; prints a row-level error report (nothing saved on error)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="the labour-bureau login doing the import")

    def handle(self, *args, path, user, **options):
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"no such user {user}")
        report = vacancies_import(actor=actor, content=Path(path).read_bytes(), filename=path)
        for error in report.errors:
            self.stdout.write(f"row {error['row']}: {'；'.join(error['messages'])}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} of {report.rows} rows have errors; nothing imported")
        self.stdout.write(f"imported {report.created} vacancies")
