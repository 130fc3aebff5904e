"""python manage.py apply_standard_change --county CODE --month YYYY-MM [--preview] [--format json]

Re-prices every current enrolment of a county with the standard and amount parameters in force for the
month (提标调整, ``benefits.services.repricing``). ``--preview`` only prints what would change; without it
the change is applied (idempotent: a second run changes nothing) and the same table is printed.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benefits.services import standard_change_apply, standard_change_preview
from reemployment.core.audit import jsonable
from reemployment.core.errors import DomainError
from reemployment.core.selectors import region_by_code

ACTOR = "system:apply_standard_change"
AREA_NAMES = {"urban": "城市", "rural": "农村"}


class Command(BaseCommand):
    help = "Re-price a county's enrolments after a standard or amount parameter change (提标调整)."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="county region code, e.g. 341125")
        parser.add_argument("--month", required=True, help="first month of the new standard, YYYY-MM")
        parser.add_argument("--preview", action="store_true", help="show what would change; change nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, county, month, preview, format, **options):
        try:
            region = region_by_code(county)
            service = standard_change_preview if preview else standard_change_apply
            report = service(actor=ACTOR, county=region, month=month)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        report = {"applied": not preview, **report}
        if format == "json":
            self.stdout.write(json.dumps(jsonable(report), ensure_ascii=False, indent=2))
            return
        self.write_text(report)

    def write_text(self, report: dict) -> None:
        out = self.stdout.write
        title = _("提标调整（已执行）") if report["applied"] else _("提标调整预览（未执行）")
        out(f"{report['county_name']}（{report['county']}）{report['month']} {title}")
        for key, row in report["policy"].items():
            if row is not None:
                out(f"  {row['label']}")
        out(_("在保 %(enrolments)s 户；金额变化 %(households)s 户 %(persons)s 人") % {
            "enrolments": report["enrolments"], "households": report["households_changed"],
            "persons": report["persons_changed"]})
        out(_("月发放合计：调整前 %(before)s 元，调整后 %(after)s 元") % {
            "before": report["total_before"], "after": report["total_after"]})
        if report["by_group"]:
            out(f"  {_('城乡'):<6}{_('类别'):<6}{_('户数'):>6}{_('人数'):>6}{_('调整前'):>12}{_('调整后'):>12}")
            for g in report["by_group"]:
                out(f"  {AREA_NAMES[g['area']]:<6}{g['category']:<6}{g['households']:>6}{g['persons']:>6}"
                    f"{g['before']:>12}{g['after']:>12}")
        for label, key in ((_("金额下降的家庭"), "falls"), (_("需复核的家庭"), "needs_review"),
                           (_("可能新符合条件的家庭（应保未保）"), "may_qualify")):
            rows = report[key]
            out(f"{label}：{len(rows)}")
            for row in rows:
                detail = (f"{row['before']} → {row['after']}" if "after" in row
                          else row.get("reason") or f"{row['per_capita_income']} < {row['standard']}")
                out(f"  {row['household']} {row['region']} {detail}")
