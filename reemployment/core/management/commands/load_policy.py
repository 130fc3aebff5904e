"""python manage.py load_policy FILE.yaml — regions, standards and parameters (docs/policy-file.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reemployment.core.policy_loader import PolicyFileError, load_policy_text


class Command(BaseCommand):
    help = "Load regions, guarantee standards and rule parameters from a YAML file (all or nothing, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"no such file: {file}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: 文件须为UTF-8编码 / the file must be UTF-8 ({exc})") from None
        try:
            report = load_policy_text(text)
        except PolicyFileError as exc:
            raise CommandError(f"{file}: rejected, nothing was loaded:\n  " + "\n  ".join(exc.errors)) from None
        self.stdout.write(
            f"regions: {report.regions_created} created, {report.regions_updated} updated; "
            f"standards: {report.standards_created} created, {report.standards_updated} updated; "
            f"parameter sets: {report.parameter_sets_created} created, {report.parameter_sets_updated} updated; "
            f"{report.unchanged} unchanged"
        )
