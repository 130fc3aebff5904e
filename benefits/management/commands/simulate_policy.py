"""python manage.py simulate_policy DRAFT.yaml --county CODE --month YYYY-MM [--format json] [--changes-csv FILE]

What a draft policy file (the ``load_policy`` format) would do to the county's households in one month:
households, persons and money by area and category, current against draft; who gains, loses or changes
category; the monthly and yearly cost difference. Nothing is written (benefits/simulation.py).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benefits.simulation import NOT_ELIGIBLE, PolicyFileError, policy_simulate
from reemployment.core.errors import DomainError
from reemployment.core.exports import CsvDictWriter
from reemployment.core.models import Region

AREA_NAMES = {"urban": "城市", "rural": "农村"}


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(_("月份格式应为 YYYY-MM：%(text)s") % {"text": text}) from None


def _category_label(category: str) -> str:
    return _("不符合") if category == NOT_ELIGIBLE else _("%(category)s类") % {"category": category}


class Command(BaseCommand):
    help = "Simulate a draft policy file against a county's households for one month (nothing is written)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--county", required=True, help="region code, e.g. 341125")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--changes-csv", type=Path, default=None,
                            help="write the households whose amount or category changes to this CSV file")

    def handle(self, *args, file: Path, county: str, month: str, format: str, changes_csv: Path | None, **options):
        region = Region.objects.filter(code=county).first()
        if region is None:
            raise CommandError(_("未知的行政区划代码 %(code)s") % {"code": county})
        try:
            report = policy_simulate(actor="system:simulate_policy", county=region, month=_month(month), path=file)
        except PolicyFileError as exc:
            raise CommandError(_("%(file)s：草案被拒绝，未作测算：") % {"file": file} + "\n  "
                               + "\n  ".join(exc.errors)) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        data = report.as_json()
        if changes_csv is not None:
            self._write_csv(changes_csv, data["changes"])
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._write_text(data)

    def _write_csv(self, path: Path, rows: list[dict]) -> None:
        columns = ["household_id", "number", "community", "area", "persons", "current_category", "draft_category",
                   "current_amount", "draft_amount", "difference"]
        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # utf-8-sig: Excel opens it as UTF-8
            writer = CsvDictWriter(handle, columns, extrasaction="ignore")  # formula-safe cells
            writer.writeheader()
            writer.writerows(rows)

    def _write_text(self, data: dict) -> None:
        write = self.stdout.write
        write(_("%(name)s（%(code)s）政策测算，%(month)s（只读，草案未写入）")
              % {"name": data["county_name"], "code": data["county"], "month": data["month"]})
        write(_("草案：%(summary)s") % {"summary": data["draft_summary"]})
        write(_("测算家庭 %(assessed)s 户，无法测算 %(skipped)s 户")
              % {"assessed": data["households_assessed"], "skipped": data["not_assessable"]})
        header = _("城乡  类别      现行户数  现行人数  现行月金额    草案户数  草案人数  草案月金额")
        write(header)
        for area, categories in data["areas"].items():
            for category, cell in categories.items():
                current, draft = cell["current"], cell["draft"]
                write(f"{AREA_NAMES.get(area, area):<4}  {_category_label(category):<6}  "
                      f"{current['households']:>8}  {current['persons']:>8}  {current['monthly_amount']:>12}  "
                      f"{draft['households']:>8}  {draft['persons']:>8}  {draft['monthly_amount']:>12}")
        write(_("月保障金合计：现行 %(current)s 元，草案 %(draft)s 元")
              % {"current": data["monthly_total"]["current"], "draft": data["monthly_total"]["draft"]})
        write(_("月差额 %(monthly)s 元，年差额 %(yearly)s 元")
              % {"monthly": data["monthly_difference"], "yearly": data["yearly_difference"]})
        write(_("增加 %(gains)s 户，减少 %(losses)s 户，类别改变 %(moved)s 户")
              % {"gains": data["gains"], "losses": data["losses"], "moved": data["category_changes"]})
        for row in data["changes"][:20]:
            write(f"  {row['number']}  {row['community']}  {AREA_NAMES.get(row['area'], row['area'])}  "
                  f"{_category_label(row['current_category'])} → {_category_label(row['draft_category'])}  "
                  f"{row['current_amount']} → {row['draft_amount']}")
        if len(data["changes"]) > 20:
            write(_("……另有 %(more)s 户，完整名单请用 --changes-csv") % {"more": len(data["changes"]) - 20})

