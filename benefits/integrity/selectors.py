"""Reads of integrity records, scoped to the reader's jurisdiction."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import QuerySet
from openpyxl import Workbook

from benefits.integrity.models import CadreRelative, DeathReport, DeathReportStatus, FraudCase, TipOff
from reemployment.core.exports import append_row
from reemployment.core.scoping import scope_model
from reemployment.dates import month_start
from reemployment.idcard import mask_id_number


def cadre_relatives_for(user) -> QuerySet:
    return scope_model(
        CadreRelative.objects.select_related("member__household__region", "registered_by"), user
    ).order_by("member__household__region__path", "member__household__number", "id")


def cadre_registrations_matching(id_numbers) -> list[CadreRelative]:
    """Registrations (干部近亲属备案 [R3]) whose relative has one of ``id_numbers``: matched by resident ID
    number, so a registered person is found in whatever household they now apply or are reviewed in."""
    id_numbers = [n for n in id_numbers if n]
    if not id_numbers:
        return []
    return list(CadreRelative.objects.filter(member__id_number__in=id_numbers).select_related("member")
                .order_by("member__id_number", "id"))


def registered_cadre_relative_ids() -> QuerySet:
    """The ID numbers of every registered cadre relative, as a subquery."""
    return CadreRelative.objects.values("member__id_number")


def cadre_flagged_cases(user) -> tuple[QuerySet, QuerySet]:
    """The open applications and open reviews of the user's jurisdiction flagged as involving a registered
    cadre's close relative (the county's queue, 干部近亲属申请与复核), oldest first."""
    from benefits.models import OPEN_APPLICATION_STEPS, Application, Review, ReviewStatus

    applications = scope_model(Application.objects.filter(cadre_relative=True, step__in=OPEN_APPLICATION_STEPS)
                               .select_related("household__region"), user).order_by("submitted_on", "id")
    reviews = scope_model(Review.objects.filter(cadre_relative=True, status=ReviewStatus.OPEN)
                          .select_related("household__region"), user).order_by("opened_at", "id")
    return applications, reviews


def tip_offs_for(user) -> QuerySet:
    return scope_model(TipOff.objects.select_related("region", "household", "assigned_to"), user)


def fraud_cases_for(user) -> QuerySet:
    return scope_model(FraudCase.objects.select_related("household__region", "decided_by", "overpayment"), user)


def death_reports_for(user, month: dt.date | None = None, status: str | None = None) -> QuerySet:
    """The monthly death-report list (死亡报告月报) of the user's jurisdiction; all months if none given.
    ``status="pending"``: deaths received from department files that wait for staff to confirm them."""
    queryset = scope_model(DeathReport.objects.select_related("member", "household__region", "reported_by",
                                                              "decided_by"), user)
    if month is not None:
        queryset = queryset.filter(report_month=month_start(month))
    if status is not None:
        queryset = queryset.filter(status=status)
    return queryset.order_by("household__region__path", "died_on", "id")


def pending_death_count(user) -> int:
    """Deaths received from department files in the user's jurisdiction that wait for confirmation."""
    return scope_model(DeathReport.objects.filter(status=DeathReportStatus.PENDING), user).count()


CADRE_REPORT_HEADER = ["辖区", "户编号", "低保亲属姓名", "身份证号码", "与干部关系", "干部姓名", "干部职务", "工作单位",
                       "备案日期", "备案人"]


def cadre_report_rows(queryset: QuerySet):
    for item in queryset:
        household = item.member.household
        yield [household.region.name, household.number, item.member.name, mask_id_number(item.member.id_number),
               item.get_relation_display(), item.cadre_name, item.cadre_post, item.cadre_unit,
               item.registered_on.isoformat(), str(item.registered_by or "")]


def cadre_report_xlsx(queryset: QuerySet, title: str) -> tuple[bytes, int]:
    """The cadre-relative report (干部近亲属享受低保备案表) as XLSX; returns (bytes, row count)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="备案表")
    append_row(sheet, [title])
    append_row(sheet, CADRE_REPORT_HEADER)
    count = 0
    for row in cadre_report_rows(queryset):
        append_row(sheet, row)  # formula-safe: names, posts and units are typed by staff
        count += 1
    append_row(sheet, ["合计", f"{count} 人"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), count
