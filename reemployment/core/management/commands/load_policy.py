"""python manage.py load_policy FILE.yaml — regions, standards and parameters (docs/policy-file.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reemployment.core.policy_loader import PolicyFileError, load_policy_text


class Command(BaseCommand):
    help = "Load regions, guarantee standards and rule parameters from a YAML file (all or nothing, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(_("没有这个文件：%(file)s") % {"file": file}) from None
        except UnicodeDecodeError as exc:
            raise CommandError(_("%(file)s：文件须为UTF-8编码（%(error)s）") % {"file": file, "error": exc}) from None
        try:
            report = load_policy_text(text)
        except PolicyFileError as exc:
            raise CommandError(_("%(file)s：文件被拒绝，什么都没有导入：") % {"file": file} + "\n  " + "\n  ".join(exc.errors)) from None
        self.stdout.write(
            _("区划：新建 %(regions_created)s，更新 %(regions_updated)s；标准：新建 %(standards_created)s，"
              "更新 %(standards_updated)s；参数：新建 %(parameter_sets_created)s，更新 %(parameter_sets_updated)s；"
              "未变 %(unchanged)s") % vars(report)
        )
