"""python manage.py benefit_stats --county CODE [--format json] [--population N] [--from YYYY-MM --to YYYY-MM]

Households and persons by area and category (current enrolments), coverage, average amount per
person per month, and the money paid in a period (payroll, locked months) or — without a period —
the amount payable per month.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benefits.selectors import benefit_stats
from reemployment.core.models import Region
from reemployment.money import format_yuan

AREA_NAMES = {"urban": "城市", "rural": "农村"}


class Command(BaseCommand):
    help = "Benefit statistics of a county: households and persons by area and category, amounts, coverage."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="region code, e.g. 341125")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--population", type=int, default=None,
                            help="resident population, for the coverage rate (omitted when not given)")
        parser.add_argument("--from", dest="month_from", default=None, help="first month paid, YYYY-MM")
        parser.add_argument("--to", dest="month_to", default=None, help="last month paid, YYYY-MM")

    def handle(self, *args, county, format, population, month_from, month_to, **options):
        region = Region.objects.filter(code=county).first()
        if region is None:
            raise CommandError(_("未知的行政区划代码 %(code)s") % {"code": county})
        report = build_report(region, population=population, month_from=month_from, month_to=month_to)
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{region.name}（{region.code}）低保统计")
        for area in ("urban", "rural"):
            block = report["areas"].get(area)
            if not block:
                continue
            self.stdout.write(f"{AREA_NAMES[area]}：{block['households']} 户 {block['persons']} 人，"
                              f"人均月保障金 {block['average_per_person']} 元，月应发 {block['monthly_payable']} 元")
            for category, cell in block["categories"].items():
                self.stdout.write(f"  {category}类 {cell['households']} 户 {cell['persons']} 人")
        total = report["total"]
        self.stdout.write(f"合计：{total['households']} 户 {total['persons']} 人")
        self.stdout.write(f"覆盖面：{report['coverage'] if report['coverage'] is not None else report['coverage_note']}")
        if report.get("paid") is not None:
            self.stdout.write(f"{month_from} 至 {month_to} 发放：{report['paid']} 元")
        else:
            self.stdout.write(report["paid_note"])


def build_report(region: Region, *, population=None, month_from=None, month_to=None) -> dict:
    table = benefit_stats(region)
    areas = {}
    total_households = total_persons = 0
    for area, categories in table.items():
        households = sum(c["households"] for c in categories.values())
        persons = sum(c["persons"] for c in categories.values())
        amount = sum((c["monthly_amount"] for c in categories.values()), Decimal(0))
        payable = sum((c["payable"] for c in categories.values()), Decimal(0))
        areas[area] = {
            "households": households, "persons": persons,
            "average_per_person": format_yuan(amount / persons) if persons else "0.00",
            "monthly_payable": format_yuan(payable),
            "categories": {cat: {"households": c["households"], "persons": c["persons"],
                                 "monthly_amount": format_yuan(c["monthly_amount"])}
                           for cat, c in sorted(categories.items())},
        }
        total_households += households
        total_persons += persons
    report = {"county": region.code, "name": region.name, "areas": areas,
              "total": {"households": total_households, "persons": total_persons}}
    if population:
        report["coverage"] = f"{Decimal(total_persons * 100) / population:.2f}%"
    else:
        report["coverage"] = None
        report["coverage_note"] = _("未提供人口数（--population），不计算覆盖面")
    report["paid"] = None
    if month_from and month_to:
        try:
            from benefits.payroll.selectors import paid_totals
        except ImportError:
            paid_totals = None
        if paid_totals is not None:
            rows = paid_totals(region, month_from, month_to)
            report["paid"] = format_yuan(sum((row["amount"] for row in rows), Decimal(0)))
    if report["paid"] is None:
        payable = sum((Decimal(a["monthly_payable"]) for a in areas.values()), Decimal(0))
        report["paid_note"] = f"月应发 {format_yuan(payable)} 元（给出 --from/--to 且有发放数据时显示实际发放）"
    return report
