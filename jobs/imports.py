"""Bulk import of vacancies from CSV (UTF-8 or GBK) or XLSX, with a row-level error report.

All or nothing: every row is validated first; if any row has an error nothing is saved and the
report lists each bad row (row numbers as in the spreadsheet, header = row 1). Otherwise all rows
are created with one ``bulk_create``, audited as one event, and the index is synced by one task.

Columns (Chinese or English header): 用人单位/employer, 岗位名称/title, 岗位描述/description,
职业/occupation, 工作地点/region (code or name), 月薪下限/pay_min, 月薪上限/pay_max, 班次/hours
(白班/夜班/倒班/灵活 or day/night/shift/flexible), 招聘人数/openings, 任职要求/requirements,
证书/certificates (separated by 、,;), 截止日期/closes_on (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from jobs.matching.pipeline import vacancy_tokens
from jobs.matching.text import normalise_certificates, normalise_occupation
from jobs.models import Employer, Hours, Vacancy, VacancyStatus
from reemployment.core import audit, tables
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, today
from reemployment.core.scoping import in_jurisdiction
from reemployment.money import round_yuan

MAX_ROWS = 5000
HEADERS = {
    "用人单位": "employer", "单位": "employer", "employer": "employer",
    "岗位名称": "title", "岗位": "title", "title": "title",
    "岗位描述": "description", "描述": "description", "description": "description",
    "职业": "occupation", "工种": "occupation", "occupation": "occupation",
    "工作地点": "region", "地点": "region", "乡镇": "region", "region": "region",
    "月薪下限": "pay_min", "最低月薪": "pay_min", "pay_min": "pay_min",
    "月薪上限": "pay_max", "最高月薪": "pay_max", "pay_max": "pay_max",
    "班次": "hours", "hours": "hours",
    "招聘人数": "openings", "人数": "openings", "openings": "openings",
    "任职要求": "requirements", "要求": "requirements", "requirements": "requirements",
    "证书": "certificates", "要求证书": "certificates", "certificates": "certificates",
    "截止日期": "closes_on", "closes_on": "closes_on",
}
REQUIRED = ("employer", "title", "region", "pay_min", "pay_max", "closes_on")
HOURS_BY_LABEL = {"白班": Hours.DAY, "夜班": Hours.NIGHT, "倒班": Hours.SHIFT, "灵活": Hours.FLEXIBLE,
                  "灵活/非全日制": Hours.FLEXIBLE, "非全日制": Hours.FLEXIBLE, **{h: h for h in Hours.values}}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row": 3, "messages": [...]}
    vacancy_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"rows": self.rows, "created": self.created, "errors": self.errors, "vacancies": self.vacancy_ids}


def read_table(content: bytes, filename: str) -> pd.DataFrame:
    """The uploaded file as a DataFrame of strings, columns renamed to the model's (shared reader:
    CSV in UTF-8, UTF-8 with BOM, GBK or GB18030, or XLSX)."""
    name = (filename or "").lower()
    if not name.endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise DomainError(gettext("只支持 .csv 或 .xlsx 文件"))
    frame, _ = tables.read_table(content, filename, max_bytes=settings.MAX_IMPORT_BYTES, max_rows=MAX_ROWS)
    frame.columns = [HEADERS.get(str(c).strip(), HEADERS.get(str(c).strip().lower(), str(c).strip()))
                     for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DomainError(gettext("缺少列：%(columns)s") % {"columns": "、".join(missing)})
    return frame


def _decimal(value: str) -> Decimal:
    return round_yuan(Decimal(value.replace(",", "").replace("元", "").strip()))


def _date(value: str) -> dt.date:
    value = value.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(value)


@transaction.atomic
def vacancies_import(*, actor, content: bytes, filename: str) -> ImportReport:
    """Import vacancies from a spreadsheet (labour-bureau staff; regions inside their jurisdiction).

    The role is checked before the file is read: nobody else learns anything from the row report (which
    employers are registered, which regions exist)."""
    from jobs.services import VACANCY_ROLES, _enqueue_index_sync
    from reemployment.core.permissions import actor_user, require, require_role

    require_role(actor, VACANCY_ROLES)
    frame = read_table(content, filename)
    row_errors = frame.attrs.get("row_errors") or {}
    report = ImportReport(rows=len(frame))
    employers = {}
    regions_by_code = {r.code: r for r in Region.objects.all()}
    regions_by_name: dict[str, list[Region]] = {}
    for region in regions_by_code.values():
        regions_by_name.setdefault(region.name, []).append(region)
    pending: list[Vacancy] = []
    for index, row in zip(frame.index, frame.to_dict("records"), strict=True):
        line = index + 2  # as in the spreadsheet: the header is row 1
        messages = []
        if index in row_errors:
            messages.append(gettext("本行的值比表头的列多，多出的值“%(values)s”无列可归（是否有未加引号的逗号？）") % {
                "values": row_errors[index]})
        values = {k: str(v).strip() for k, v in row.items()}
        for column in REQUIRED:
            if not values.get(column):
                messages.append(gettext("%(column)s 不能为空") % {"column": column})
        region = None
        if values.get("region"):
            code = values["region"]
            region = regions_by_code.get(code)
            if region is None:
                named = regions_by_name.get(code, [])
                if len(named) == 1:
                    region = named[0]
                elif len(named) > 1:
                    messages.append(gettext("工作地点“%(place)s”重名，请填写区划代码") % {"place": code})
                else:
                    messages.append(gettext("未知的工作地点“%(place)s”") % {"place": code})
        if region is not None and not (isinstance(actor, str) or actor.is_superuser or in_jurisdiction(actor, region)):
            messages.append(gettext("工作地点“%(place)s”不在您的辖区") % {"place": region.name})
        employer = None
        if values.get("employer") and region is not None:
            key = (values["employer"], region.pk)
            if key not in employers:
                county = region.county() or region
                employers[key] = Employer.objects.filter(name=values["employer"],
                                                         region__path__startswith=county.path).first()
            employer = employers[key]
            if employer is None:
                messages.append(gettext("用人单位“%(employer)s”尚未登记") % {"employer": values["employer"]})
        pay_min = pay_max = None
        try:
            pay_min = _decimal(values.get("pay_min", "")) if values.get("pay_min") else None
            pay_max = _decimal(values.get("pay_max", "")) if values.get("pay_max") else None
        except (InvalidOperation, ValueError):
            messages.append(gettext("月薪须为数字"))
        if pay_min is not None and pay_max is not None and pay_max < pay_min:
            messages.append(gettext("月薪上限低于下限"))
        closes_on = None
        if values.get("closes_on"):
            try:
                closes_on = _date(values["closes_on"])
                if closes_on < today():
                    messages.append(gettext("截止日期已过"))
            except ValueError:
                messages.append(gettext("截止日期“%(date)s”格式应为 YYYY-MM-DD") % {"date": values["closes_on"]})
        hours = Hours.DAY
        if values.get("hours"):
            hours = HOURS_BY_LABEL.get(values["hours"])
            if hours is None:
                messages.append(gettext("班次“%(hours)s”应为 白班/夜班/倒班/灵活") % {"hours": values["hours"]})
        openings = 1
        if values.get("openings"):
            try:
                openings = int(float(values["openings"]))
                if openings < 1:
                    raise ValueError
            except ValueError:
                messages.append(gettext("招聘人数须为正整数"))
        if messages:
            report.errors.append({"row": line, "messages": messages})
            continue
        vacancy = Vacancy(
            employer=employer, title=values["title"][:100], description=values.get("description", ""),
            occupation=normalise_occupation(values.get("occupation", "")), region=region, pay_min=pay_min,
            pay_max=pay_max, hours=hours, openings=openings, requirements=values.get("requirements", ""),
            certificates=normalise_certificates(re.split(r"[、,，;；\s]+", values.get("certificates", ""))),
            closes_on=closes_on, status=VacancyStatus.OPEN, created_by=actor_user(actor),
        )
        vacancy.search_tokens = vacancy_tokens(vacancy)
        pending.append(vacancy)
    if report.errors:
        return report
    for vacancy in pending:
        require(actor, vacancy.region, VACANCY_ROLES, what=gettext("导入岗位"))
    created = Vacancy.objects.bulk_create(pending, batch_size=500)
    report.created = len(created)
    report.vacancy_ids = [v.pk for v in created]
    audit.record(actor=actor, action="vacancy.import", object_type="jobs.vacancy",
                 object_id=",".join(map(str, report.vacancy_ids[:50])), object_label=f"导入 {len(created)} 个岗位",
                 after={"filename": filename, "count": len(created)})
    _enqueue_index_sync(report.vacancy_ids)
    return report
