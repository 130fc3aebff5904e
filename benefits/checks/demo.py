"""Demo data of department checks: a few department files and a registered-poor roster for 定远县.

Built from the demo households (benefits.demo), processed through the real services, so the demo
shows flags with their reviews, a rejected file with its error report, and the three roster lists.
Idempotent: nothing is done when the county already has department files.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from benefits.checks.models import DepartmentFile
from benefits.checks.services import department_file_process, department_file_upload
from benefits.integrity.models import DeathReport, DeathReportStatus
from benefits.integrity.services import death_report_confirm
from benefits.models import EnrolmentStatus, Household
from reemployment.core.models import Region, User
from reemployment.idcard import make_id_number

COUNTY = "341125"


def _csv(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def seed(stdout=None) -> dict:
    county = Region.objects.filter(code=COUNTY).first()
    if county is None or not Household.objects.filter(region__path__startswith=county.path).exists():
        if stdout:
            stdout.write("checks: no demo households (seed benefits first)")
        return {}
    if DepartmentFile.objects.filter(region=county).exists():
        if stdout:
            stdout.write("checks: demo files already imported")
        return {}
    actor = User.objects.filter(username="county").first() or "system:demo"
    enrolled = (Household.objects.filter(region__path__startswith=county.path, enrolments__status=EnrolmentStatus.ACTIVE)
                .annotate(n=Count("members")).order_by("number"))
    larger = list(enrolled.filter(n__gte=2)[:40])
    not_enrolled = list(Household.objects.filter(region__path__startswith=county.path)
                        .exclude(enrolments__status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.TRANSITIONAL])
                        .order_by("number")[:3])

    def second_member(household):
        return household.members.order_by("id")[1]

    def head(household):
        return household.members.order_by("id").first()

    files = []
    # 公安：死亡人员 (GBK, as exported by the public-security system): three deaths in larger households.
    deaths = [[second_member(h).id_number, second_member(h).name, "2026-09-1" + str(i)] for i, h in
              enumerate(larger[:3])]
    files.append(("death", "公安死亡人员2026年9月.csv", _csv(["身份证号码", "姓名", "死亡日期"], deaths, "gbk")))
    # 人社：就业参保 (UTF-8 with BOM): wages above what five members declared.
    jobs = [[head(h).id_number, head(h).name, "定远县某制衣厂", "2600.00", "2026-05-01"] for h in larger[3:8]]
    files.append(("employment", "社保参保就业人员.csv",
                  b"\xef\xbb\xbf" + _csv(["身份证号码", "姓名", "单位名称", "月缴费工资", "参保日期"], jobs, "utf-8")))
    # 公安交管：机动车 (GB18030): two households with a car, matched but not flagged: the demo county sets no
    # vehicle limit (its policy file; [R2] brought 三小车 owners into dibao).
    cars = [[head(h).id_number, head(h).name, f"皖M{12340 + i}", "小型轿车"] for i, h in enumerate(larger[8:10])]
    files.append(("vehicle", "机动车登记.csv", _csv(["身份证号码", "姓名", "号牌号码", "车辆类型"], cars, "gb18030")))
    # A bank file with two bad rows: rejected whole, with its error report.
    bank = [[head(larger[10]).id_number, head(larger[10]).name, "农商行", "1200.00"],
            ["34112519800101001", "错号", "农商行", "300.00"],
            [head(larger[11]).id_number, head(larger[11]).name, "农商行", "一千"]]
    files.append(("deposit", "银行存款余额(有错误).csv", _csv(["身份证号码", "姓名", "开户银行", "存款余额"], bank, "utf-8")))
    # 建档立卡 roster: covered, partially covered (一户保一人), not covered (应保未保), left poverty.
    roster = []
    for i, household in enumerate(larger[12:30]):
        members = list(household.members.order_by("id"))
        status = "已脱贫" if i % 6 == 5 else "未脱贫"
        for member in members:
            roster.append([household.region.code, f"PK{i:04d}", member.id_number, member.name, member.relation,
                           status, "2020" if status == "已脱贫" else ""])
        if i % 4 == 1:  # a member of the poor household who is not in the dibao household
            roster.append([household.region.code, f"PK{i:04d}", make_id_number(COUNTY, dt.date(1990, 1, 1),
                                                                                 500 + 2 * i),
                           "外出成员", "child", status, ""])
    for j, household in enumerate(not_enrolled):
        for member in household.members.order_by("id"):
            roster.append([household.region.code, f"PN{j:04d}", member.id_number, member.name, member.relation,
                           "未脱贫", ""])
    files.append(("poverty_roster", "建档立卡人员名单.csv",
                  _csv(["行政区划代码", "贫困户编号", "身份证号码", "姓名", "与户主关系", "脱贫状态", "脱贫年度"],
                       roster, "gbk")))
    counts = {}
    for source, name, content in files:
        department_file = department_file_upload(actor=actor, source=source, region=county, name=name,
                                                 content=content, process=False)
        department_file = department_file_process(file_id=department_file.pk)
        counts[name] = (str(department_file.status), department_file.flags_created, department_file.error_count)
    # Imported deaths wait for staff to confirm them: the county confirms the first (the payment stops
    # and what was paid after the death is claimed back); the others stay pending for the demo.
    pending = (DeathReport.objects.filter(status=DeathReportStatus.PENDING,
                                          member__household__region__path__startswith=county.path)
               .order_by("id").first())
    if pending is not None and isinstance(actor, User):
        death_report_confirm(actor=actor, report=pending, note="经社区入户核实，死亡属实")
        counts["death confirmed"] = pending.member.household.number
    if stdout:
        stdout.write(f"checks: demo files {counts}")
    return counts

