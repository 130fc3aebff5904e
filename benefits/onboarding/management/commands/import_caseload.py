"""python manage.py import_caseload --county CODE FILE [--dry-run] [--format json] [--user NAME]

Imports a county's existing caseload (存量对象) from a CSV (UTF-8 or GBK) or XLSX file in the template of
docs/onboarding.md: every row is checked first and any error refuses the whole file (nothing changes);
the report lists every error as ``row N, column: message`` (the header is row 1). ``--dry-run`` checks and
counts without writing anything. ``--format json`` prints ``{"households", "persons", "created",
"updated", "unchanged", "discrepancies", "errors": [{"row", "column", "message"}]}``. The exit status
is non-zero when the file is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from benefits.onboarding import export, services
from reemployment.core.errors import DomainError
from reemployment.core.models import User
from reemployment.core.selectors import region_by_code
from reemployment.money import format_yuan


def error_line(error: dict) -> str:
    if not error["row"]:
        return error["message"]
    return _("第 %(row)s 行，%(column)s：%(message)s") % error


class Command(BaseCommand):
    help = "Import a county's existing caseload (存量对象导入) from CSV/XLSX: whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--county", required=True, help="county region code, e.g. 341125")
        parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--user", help="username of the county staff member importing (named in the audit)")
        parser.add_argument("--errors-csv", help="also write the error report to this CSV file")
        parser.add_argument("--language", choices=["zh-hans", "en"], default=None,
                            help="language of the report (default: the site's, Chinese)")

    def handle(self, *args, file, county, dry_run, format, user=None, errors_csv=None, language=None, **options):
        with translation.override(language or translation.get_language()):
            self._handle(file=file, county=county, dry_run=dry_run, format=format, user=user, errors_csv=errors_csv)

    def _handle(self, *, file, county, dry_run, format, user, errors_csv):
        actor = services.SYSTEM_ACTOR
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        content = path.read_bytes()
        try:
            region = region_by_code(county)
            if dry_run:
                outcome = services.caseload_check(actor=actor, county=region, content=content, name=path.name)
                record = None
            else:
                record = services.import_caseload(actor=actor, county=region, name=path.name, content=content)
                outcome = record.outcome
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if errors_csv and outcome.errors:
            Path(errors_csv).write_bytes(export.error_report(outcome.errors))
        if format == "json":
            self.stdout.write(json.dumps(outcome.report(), ensure_ascii=False, indent=2))
        else:
            self.write_text(region, path, outcome, record, dry_run)
        if outcome.refused:
            raise CommandError(_("文件被拒收：%(count)s 处错误，未导入任何数据") % {"count": len(outcome.errors)})

    def write_text(self, region, path, outcome, record, dry_run):
        out = self.stdout.write
        title = _("存量对象导入（试运行，未写入）") if dry_run else _("存量对象导入")
        out(f"{region.name}（{region.code}）{title}：{path.name}")
        if record is not None:
            out(_("导入记录 #%(pk)s，SHA-256 %(sha)s") % {"pk": record.pk, "sha": record.sha256})
        out(_("%(households)s 户 %(persons)s 人：新建 %(created)s，更新 %(updated)s，未变 %(unchanged)s；"
              "金额不一致 %(discrepancies)s 户") % outcome.report())
        for error in outcome.errors:
            out(error_line(error))
        shown = outcome.discrepancies[:50]
        for d in shown:
            out(_("金额不一致 第 %(row)s 行 户编号 %(number)s：原系统 %(recorded)s 元，核算 %(computed)s 元，差额 %(difference)s 元")
                % {"row": d["row"], "number": d["household_number"], "recorded": format_yuan(d["recorded_amount"]),
                   "computed": format_yuan(d["computed_amount"]), "difference": format_yuan(d["difference"])})
        if len(outcome.discrepancies) > len(shown):
            out(_("……共 %(count)s 户，完整清单见管理后台的导入记录") % {"count": len(outcome.discrepancies)})
