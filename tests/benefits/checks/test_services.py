"""Uploading and processing department files against the database: flags, reviews, all-or-nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from benefits.checks import services
from benefits.checks.models import DepartmentFile, FileStatus, Flag, FlagKind, FlagStatus
from benefits.models import Asset, AssetKind, IncomeKind, Review, ReviewKind, ReviewStatus
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, ParameterSet
from tests.benefits.checks.conftest import csv_bytes
from tests.benefits.checks.factories import declare_income


def run(users, source, header, rows, encoding="utf-8"):
    county = users["county"]
    department_file = services.department_file_upload(actor=county, source=source, region=county.region,
                                                      name=f"{source}.csv", content=csv_bytes(header, rows, encoding),
                                                      process=False)
    return services.department_file_process(file_id=department_file.pk)


def members(household):
    return list(household.members.order_by("id"))


def _locked_month(county, month):
    from benefits.payroll.services import payroll_run_compute, payroll_run_lock, payroll_run_review

    run = payroll_run_compute(actor="system:test", county=county, month=month).run
    return payroll_run_lock(actor="system:test", run=payroll_run_review(actor="system:test", run=run))


def test_imported_death_is_a_flag_a_review_and_a_pending_death_report_changing_nothing(users, households):
    from benefits.integrity.models import DeathReport, DeathReportStatus
    from benefits.models import EnrolmentStatus

    h = households["h_a1"]
    dead = members(h)[1]
    header = ["身份证号码", "姓名", "死亡日期"]
    first = run(users, "death", header, [[dead.id_number, "某某", "2026-03-05"]])
    assert first.status == FileStatus.DONE and first.matched_rows == 1 and first.flags_created == 1
    flag = Flag.objects.get()
    assert (flag.household, flag.member, flag.kind, flag.status) == (h, dead, FlagKind.DEATH, FlagStatus.OPEN)
    assert flag.details["died_on"] == "2026-03-05"
    assert (flag.review.kind, flag.review.household, flag.review.source_type, flag.review.source_id) == (
        ReviewKind.DEATH, h, "checks.flag", str(flag.pk))
    # The monthly death report has the death, pending confirmation, sharing the flag's review.
    report = DeathReport.objects.get()
    assert (report.member, report.status, report.died_on, report.outcome) == (
        dead, DeathReportStatus.PENDING, dt.date(2026, 3, 5), "")
    assert (report.source_type, report.source_id, report.review) == ("checks.flag", str(flag.pk), flag.review)
    assert flag.details["death_report"] == report.pk
    assert AuditEvent.objects.filter(action="integrity.death_report_receive", object_id=str(report.pk)).exists()
    # Nothing of the household's record changed: no date of death, the enrolment pays on.
    dead.refresh_from_db()
    assert dead.died_on is None
    assert h.enrolments.get().status == EnrolmentStatus.ACTIVE
    assert not AuditEvent.objects.filter(action__in=["member.death_record", "enrolment.end"]).exists()
    assert Review.objects.filter(household=h, kind=ReviewKind.DEATH, status=ReviewStatus.OPEN).count() == 1
    # The same death in next month's file adds no flag, no review and no second report.
    second = run(users, "death", header, [[dead.id_number, "某某", "2026-03-05"], ["", "", ""]])
    assert second.status == FileStatus.DONE and second.flags_created == 0
    assert Flag.objects.count() == 1 and DeathReport.objects.count() == 1
    assert Review.objects.filter(household=h, kind=ReviewKind.DEATH).count() == 1


def test_imported_death_of_the_only_member_stops_payment_only_when_staff_confirm(users, regions):
    from benefits.integrity.models import DeathOutcome, DeathReport, DeathReportStatus
    from benefits.models import EnrolmentStatus
    from benefits.payroll.models import Overpayment
    from tests.benefits.checks.factories import make_household

    alone = make_household(regions["comm_a2"], persons=1, amount="300.00")
    member = alone.members.get()
    april = _locked_month(regions["county"], dt.date(2026, 4, 1))
    run(users, "death", ["身份证号码", "死亡日期"], [[member.id_number, "2026-03-20"]])
    flag = Flag.objects.get()
    enrolment = alone.enrolments.get()
    # Imported: the enrolment still pays, nothing is claimed back, April's paid line stands.
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.end_date is None
    assert not Overpayment.objects.exists()
    assert (flag.review.kind, flag.review.source_type, flag.review.source_id) == (
        ReviewKind.DEATH, "checks.flag", str(flag.pk))
    # Resolving the flag needs the outcome, and the right staff of the jurisdiction.
    with pytest.raises(DomainError) as caught:
        services.flag_resolve(actor=users["township_a"], flag=flag, note="已入户核实")
    assert "outcome" in caught.value.field_errors
    with pytest.raises(PermissionDenied):
        services.flag_resolve(actor=users["township_b"], flag=flag, note="已入户核实", outcome="confirmed")
    with pytest.raises(PermissionDenied):
        services.flag_resolve(actor=users["labour"], flag=flag, note="已入户核实", outcome="confirmed")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    # Confirmed by township staff: the death is recorded, payment stops from April, April is claimed back.
    flag = services.flag_resolve(actor=users["township_a"], flag=flag, note="殡葬记录核实，确已死亡",
                                 outcome="confirmed")
    member.refresh_from_db()
    enrolment.refresh_from_db()
    report = DeathReport.objects.get()
    assert member.died_on == dt.date(2026, 3, 20)
    assert enrolment.status == EnrolmentStatus.ENDED and enrolment.end_date == dt.date(2026, 4, 1)
    assert [(o.month, o.amount, o.reason) for o in Overpayment.objects.all()] == [
        (dt.date(2026, 4, 1), Decimal("300.00"), "death")]
    assert april.payment_lines.count() == 1  # a locked month is never rewritten: the money is claimed back
    assert (report.status, report.outcome, report.stop_from, report.decided_by, report.decision_note) == (
        DeathReportStatus.CONFIRMED, DeathOutcome.ENROLMENT_ENDED, dt.date(2026, 4, 1), users["township_a"],
        "殡葬记录核实，确已死亡")
    assert (flag.status, flag.resolved_by) == (FlagStatus.RESOLVED, users["township_a"])
    assert flag.resolution_note.startswith("确认死亡") and "殡葬记录核实" in flag.resolution_note
    confirm = AuditEvent.objects.get(action="integrity.death_report_confirm")
    assert (confirm.actor, confirm.before["status"], confirm.after["status"]) == (
        users["township_a"], "pending", "confirmed")
    assert AuditEvent.objects.filter(action="checks.flag_resolve", object_id=str(flag.pk)).count() == 1
    assert AuditEvent.objects.filter(action="member.death_record", object_id=str(member.pk)).exists()
    with pytest.raises(Conflict):
        services.flag_resolve(actor=users["county"], flag=flag, note="再次处理", outcome="confirmed")


def test_rejected_imported_death_is_closed_with_its_note_and_changes_nothing(users, households):
    from benefits.integrity.models import DeathReport, DeathReportStatus
    from benefits.integrity.services import death_report_record
    from benefits.models import EnrolmentStatus

    h = households["h_b1"]
    alive = members(h)[0]
    run(users, "death", ["身份证号码", "死亡日期"], [[alive.id_number, "2026-02-01"]])
    flag = Flag.objects.get()
    with pytest.raises(DomainError):
        services.flag_resolve(actor=users["community_b1"], flag=flag, note="", outcome="rejected")
    flag = services.flag_resolve(actor=users["community_b1"], flag=flag, note="入户核实本人健在，公安数据有误",
                                 outcome="rejected")
    report = DeathReport.objects.get()
    alive.refresh_from_db()
    assert (report.status, report.outcome, report.decision_note, report.decided_by) == (
        DeathReportStatus.REJECTED, "", "入户核实本人健在，公安数据有误", users["community_b1"])
    assert alive.died_on is None and h.enrolments.get().status == EnrolmentStatus.ACTIVE
    assert flag.status == FlagStatus.RESOLVED and flag.resolution_note.startswith("驳回")
    assert AuditEvent.objects.filter(action="integrity.death_report_reject", object_id=str(report.pk)).exists()
    assert not AuditEvent.objects.filter(action__in=["member.death_record", "enrolment.end", "enrolment.change",
                                                     "overpayment.create", "payroll.lines_cancel"]).exists()
    # A rejected report does not block the true death reported later by staff.
    later = death_report_record(actor=users["community_b1"], member=alive, died_on=dt.date(2026, 6, 1))
    assert later.status == DeathReportStatus.CONFIRMED and later.pk != report.pk


def test_confirming_the_death_report_resolves_its_flag(users, households):
    from benefits.integrity.models import DeathReport, DeathReportStatus
    from benefits.integrity.services import death_report_confirm, death_report_record

    h = households["h_a1"]
    dead = members(h)[2]
    run(users, "death", ["身份证号码", "死亡日期"], [[dead.id_number, "2026-03-05"]])
    report = DeathReport.objects.get()
    # The import itself, or any system actor, cannot confirm it: a person decides.
    with pytest.raises(PermissionDenied):
        death_report_confirm(actor="system:checks", report=report)
    with pytest.raises(PermissionDenied):
        death_report_confirm(actor=users["community_b1"], report=report)
    # A staff report of another date waits for the pending one to be decided.
    with pytest.raises(Conflict):
        death_report_record(actor=users["community_a1"], member=dead, died_on=dt.date(2026, 3, 6))
    # A staff report of the same death confirms it (and resolves the flag).
    same = death_report_record(actor=users["community_a1"], member=dead, died_on=dt.date(2026, 3, 5), source="村居报告")
    assert same.pk == report.pk and same.status == DeathReportStatus.CONFIRMED
    assert same.review == Flag.objects.get().review  # the flag's DEATH review decides the new amount
    flag = Flag.objects.get()
    assert flag.status == FlagStatus.RESOLVED and flag.resolved_by == users["community_a1"]
    dead.refresh_from_db()
    assert dead.died_on == dt.date(2026, 3, 5)
    assert Review.objects.filter(household=h, kind=ReviewKind.DEATH, status=ReviewStatus.OPEN).count() == 1


def test_outcome_is_only_for_deaths_waiting_in_the_death_report(users, households):
    a = members(households["h_b1"])[1]
    run(users, "business", ["身份证号码", "企业名称"], [[a.id_number, "小卖部"]])
    with pytest.raises(DomainError) as caught:
        services.flag_resolve(actor=users["county"], flag=Flag.objects.get(), note="已注销", outcome="confirmed")
    assert "outcome" in caught.value.field_errors


def test_imported_death_with_an_impossible_date_stays_a_flag(users, households):
    from benefits.integrity.models import DeathReport

    member = members(households["h_a1"])[0]  # born 1960
    run(users, "death", ["身份证号码", "死亡日期"], [[member.id_number, "1950-01-01"]])
    flag = Flag.objects.get()
    assert not DeathReport.objects.exists()
    assert "未记入死亡报告" in flag.details["death_report"]
    assert flag.review.kind == ReviewKind.DEATH
    # Without a pending report the flag is resolved with a note only.
    services.flag_resolve(actor=users["county"], flag=flag, note="公安数据日期错误，已反馈")
    assert Flag.objects.get().status == FlagStatus.RESOLVED


def test_hukou_move_flags(users, households):
    mover = members(households["h_b1"])[0]
    result = run(users, "hukou_move", ["身份证号码", "姓名", "迁出日期", "迁往地址"],
                 [[mover.id_number, "x", "2026/2/1", "合肥市"]])
    flag = Flag.objects.get()
    assert result.flags_created == 1
    assert (flag.kind, flag.member, flag.details["destination"]) == (FlagKind.HUKOU_MOVE, mover, "合肥市")
    assert flag.review.kind == ReviewKind.DATA_FLAG and flag.review.source_id == str(flag.pk)


def test_employment_above_declared_wage_flags_only_the_excess(users, households):
    a, b, c = members(households["h_a1"])
    declare_income(a, IncomeKind.WAGES, "1500.00")
    declare_income(b, IncomeKind.WAGES, "1500.00")
    rows = [
        [a.id_number, "a", "某厂", "1500.00"],   # equal to declared: no flag
        [b.id_number, "b", "某厂", "1000"],      # b: 1000 + 800 = 1800 > 1500 declared
        [b.id_number, "b", "另一厂", "800"],
        [c.id_number, "c", "某店", "600.50"],    # c declared nothing: 600.50 > 0
    ]
    result = run(users, "employment", ["身份证号码", "姓名", "单位名称", "月缴费工资"], rows)
    flags = {f.member_id: f for f in Flag.objects.all()}
    assert result.flags_created == 2 and set(flags) == {b.pk, c.pk}
    assert flags[b.pk].details["reported_monthly"] == "1800.00"
    assert flags[b.pk].details["declared_monthly"] == "1500.00"
    assert flags[b.pk].details["employer"] == "另一厂、某厂"
    assert flags[c.pk].details["reported_monthly"] == "600.50"
    assert all(f.kind == FlagKind.EMPLOYMENT and f.review_id for f in flags.values())


def test_pension_above_declared(users, households):
    a = members(households["h_b1"])[0]
    declare_income(a, IncomeKind.PENSION, "150.00")
    run(users, "pension", ["身份证号码", "姓名", "月养老金"], [[a.id_number, "a", "150.01"]])
    flag = Flag.objects.get()
    assert (flag.kind, flag.details["reported_monthly"], flag.details["declared_monthly"]) == (
        FlagKind.PENSION, "150.01", "150.00")


def test_second_property_beyond_max_properties(users, households, regions):
    a, b, _c = members(households["h_a1"])
    other = members(households["h_b1"])[0]
    header = ["身份证号码", "姓名", "不动产权证号", "房屋坐落"]
    rows = [[a.id_number, "a", "皖(2020)001", "城南路1号"], [b.id_number, "b", "皖(2021)002", "城北路2号"],
            [other.id_number, "o", "皖(2019)003", "炉桥村"]]  # h_b1 has one property: within the limit 1
    # No limit by default (the reports state none): the file flags nothing.
    run(users, "property", header, rows[:2])
    assert Flag.objects.count() == 0
    # A county that allows one property per household: h_a1's two are over it.
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2020, 1, 1), values={"max_properties": 1})
    run(users, "property", header, rows)
    flag = Flag.objects.get()
    assert (flag.household, flag.kind, flag.member) == (households["h_a1"], FlagKind.PROPERTY, None)
    assert flag.details["count"] == 2 and flag.details["limit"] == 1


def test_vehicle_limit_is_a_county_parameter(users, households, regions):
    a = members(households["h_a1"])[0]
    header = ["身份证号码", "姓名", "号牌号码"]
    # No vehicle limit by default ([R2] brought 三小车 owners into dibao): two cars flag nothing.
    run(users, "vehicle", header, [[a.id_number, "a", "皖M22222"], [a.id_number, "a", "皖M33333"]])
    assert Flag.objects.count() == 0
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2020, 1, 1), values={"max_vehicles": 1})
    run(users, "vehicle", header, [[a.id_number, "a", "皖M12345"]])
    assert Flag.objects.count() == 0  # one vehicle allowed here
    run(users, "vehicle", header, [[a.id_number, "a", "皖M12345"], [a.id_number, "a", "皖M54321"]])
    flag = Flag.objects.get()
    assert (flag.kind, flag.details["count"], flag.details["plate"]) == (FlagKind.VEHICLE, 2, ["皖M12345", "皖M54321"])


def test_deposits_above_the_per_capita_limit(users, households, regions):
    # A county limit of 20000.00 per person (none by default): h_a1 has 3 persons: 3 × 20000.00 = 60000.00.
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2020, 1, 1),
                                values={"deposit_limit_per_capita": "20000.00"})
    a, b, _c = members(households["h_a1"])
    x = members(households["h_b1"])[0]  # 2 persons: limit 40000.00
    Asset.objects.create(household=households["h_a1"], kind=AssetKind.DEPOSIT, value=Decimal("5000.00"))
    header = ["身份证号码", "姓名", "开户银行", "存款余额"]
    rows = [[a.id_number, "a", "农行", "30000.00"], [b.id_number, "b", "农商行", "30000.01"],
            [x.id_number, "x", "邮储", "40000.00"]]
    run(users, "deposit", header, rows)
    flag = Flag.objects.get()
    assert flag.household == households["h_a1"]
    assert flag.details == {"total": "60000.01", "persons": 3, "limit_per_capita": "20000.00", "declared": "5000.00"}


def test_business_registration_flags(users, households):
    a = members(households["h_b1"])[1]
    header = ["身份证号码", "姓名", "企业名称", "统一社会信用代码"]
    run(users, "business", header, [[a.id_number, "a", "定远县某某小卖部", "92341125MA2X0001"]])
    flag = Flag.objects.get()
    assert (flag.kind, flag.member, flag.details["business_name"]) == (FlagKind.BUSINESS, a, "定远县某某小卖部")


def test_households_of_the_neighbour_county_and_ended_enrolments_are_not_matched(users, households, regions):
    from tests.benefits.checks.factories import make_household

    ended = make_household(regions["comm_a2"], status="ended")
    outsider = members(households["h_other"])[0]
    header = ["身份证号码", "姓名", "企业名称"]
    result = run(users, "business", header, [[outsider.id_number, "o", "店"], [members(ended)[0].id_number, "e", "店"]])
    assert result.status == FileStatus.DONE and result.matched_rows == 0 and Flag.objects.count() == 0


def test_three_bad_rows_write_nothing_and_list_the_rows(users, households):
    good = members(households["h_a1"])[0].id_number
    rows = [[good, "a", "某厂", "900"], [good[:-1], "b", "某厂", "900"], [good, "c", "某厂", "九百"],
            [good, "d", "某厂", "900"], ["", "e", "某厂", "900"]]
    before = (AuditEvent.objects.exclude(action__startswith="checks.file").count(), Review.objects.count())
    result = run(users, "employment", ["身份证号码", "姓名", "单位名称", "月缴费工资"], rows)
    assert result.status == FileStatus.REJECTED
    assert result.error_count == 3
    assert sorted({e["row"] for e in result.errors}) == [3, 4, 6]
    assert Flag.objects.count() == 0
    assert (AuditEvent.objects.exclude(action__startswith="checks.file").count(), Review.objects.count()) == before


def test_same_content_is_refused_with_a_clear_message(users, households):
    content = csv_bytes(["身份证号码", "死亡日期"], [[members(households["h_a1"])[0].id_number, "2026-01-01"]])
    county = users["county"]
    services.department_file_upload(actor=county, source="death", region=county.region, name="a.csv",
                                    content=content, process=False)
    with pytest.raises(Conflict) as caught:
        services.department_file_upload(actor=county, source="death", region=county.region, name="renamed.csv",
                                        content=content, process=False)
    assert caught.value.code == "duplicate_file"
    assert "不能重复导入" in caught.value.message and "a.csv" in caught.value.message
    assert DepartmentFile.objects.count() == 1


def test_oversized_file_is_refused_before_storing(users, settings):
    settings.MAX_IMPORT_BYTES = 100
    county = users["county"]
    with pytest.raises(DomainError) as caught:
        services.department_file_upload(actor=county, source="death", region=county.region, name="big.csv",
                                        content=b"x" * 101, process=False)
    assert caught.value.code == "too_large"
    assert DepartmentFile.objects.count() == 0


@pytest.mark.parametrize("content", [b"\xff\xfe\xfa\xfb,\xff\n\xfe", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0old"])
def test_malformed_or_wrongly_encoded_files_are_rejected_with_a_message(users, content):
    county = users["county"]
    department_file = services.department_file_upload(actor=county, source="death", region=county.region,
                                                      name="bad.csv", content=content, process=False)
    result = services.department_file_process(file_id=department_file.pk)
    assert result.status == FileStatus.REJECTED
    assert result.message and result.errors[0]["message"] == result.message


@pytest.mark.parametrize("user_key", ["township_a", "community_a1", "other_county", "labour"])
def test_only_county_staff_of_the_region_upload(users, user_key, regions):
    with pytest.raises(PermissionDenied):
        services.department_file_upload(actor=users[user_key], source="death", region=regions["county"],
                                        name="a.csv", content=b"a,b\n", process=False)


def test_upload_queues_the_task_on_commit_and_the_task_processes(users, households,
                                                                  django_capture_on_commit_callbacks):
    from benefits.checks.tasks import process_department_file

    dead = members(households["h_b1"])[0]
    county = users["county"]
    # Nothing is sent before the upload's transaction commits (the worker test sends it for real).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        department_file = services.department_file_upload(
            actor=county, source="death", region=county.region, name="d.csv",
            content=csv_bytes(["身份证号码", "死亡日期"], [[dead.id_number, "2026-05-01"]]))
    assert len(callbacks) == 1
    assert DepartmentFile.objects.get().status == FileStatus.PENDING
    # The task body, run in this process: processes once, then exits quietly.
    assert process_department_file(department_file.pk)["status"] == FileStatus.DONE
    assert process_department_file(department_file.pk) == {"file": department_file.pk, "skipped": True}
    department_file.refresh_from_db()
    assert department_file.status == FileStatus.DONE and department_file.progress == 100
    assert Flag.objects.get().member == dead


def test_resolution_is_audited_and_final(users, households):
    worker = members(households["h_a1"])[1]
    run(users, "business", ["身份证号码", "企业名称"], [[worker.id_number, "城南小吃店"]])
    flag = Flag.objects.get()
    with pytest.raises(DomainError):
        services.flag_resolve(actor=users["community_a1"], flag=flag, note="")
    with pytest.raises(PermissionDenied):
        services.flag_resolve(actor=users["community_b1"], flag=flag, note="核实无误")
    services.flag_resolve(actor=users["community_a1"], flag=flag, note="入户核实：小吃店已转让，无经营收入")
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.resolution_note) == (
        FlagStatus.RESOLVED, users["community_a1"], "入户核实：小吃店已转让，无经营收入")
    event = AuditEvent.objects.get(action="checks.flag_resolve")
    assert event.actor == users["community_a1"] and event.object_id == str(flag.pk)
    assert event.before["status"] == "open" and event.after["status"] == "resolved"
    assert event.note == "入户核实：小吃店已转让，无经营收入"
    with pytest.raises(Conflict):
        services.flag_resolve(actor=users["county"], flag=flag, note="再次处理")


def test_a_resolved_finding_found_again_is_flagged_again(users, households):
    a = members(households["h_b1"])[1]
    header = ["身份证号码", "企业名称"]
    run(users, "business", header, [[a.id_number, "小卖部"]])
    services.flag_resolve(actor=users["county"], flag=Flag.objects.get(), note="已注销营业执照，核实无收入")
    run(users, "business", header, [[a.id_number, "小卖部"], ["", ""]])
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() == 1
    assert Flag.objects.count() == 2


def test_command_imports_and_reports_errors(users, households, tmp_path, capsys):
    dead = members(households["h_a1"])[2]
    path = tmp_path / "deaths.csv"
    path.write_bytes(csv_bytes(["身份证号码", "姓名", "死亡日期"], [[dead.id_number, "丙", "2026-04-01"]], "gb18030"))
    call_command("import_department_file", str(path), source="death", user=users["county"].username)
    out = capsys.readouterr().out
    assert "done" in out and "新增疑点 1 个" in out
    assert Flag.objects.get().member == dead
    with pytest.raises(CommandError, match="不能重复导入"):
        call_command("import_department_file", str(path), source="death", region="341125")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["身份证号码", "死亡日期"], [["123", "2026-04-01"]]))
    with pytest.raises(CommandError, match="rejected: 1 error"):
        call_command("import_department_file", str(bad), source="death", region="341125")
    assert "row 2 身份证号码" in capsys.readouterr().out


def test_xlsx_upload_is_checked_like_csv(users, households, regions):
    import io

    from openpyxl import Workbook

    # A county that allows no vehicle (none is the default limit): one car is over it.
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2020, 1, 1), values={"max_vehicles": 0})
    a = members(households["h_b1"])[0]
    workbook = Workbook()
    workbook.active.append(["身份证号码", "姓名", "号牌号码", "初次登记日期"])
    workbook.active.append([a.id_number, "a", "皖M00001", dt.datetime(2024, 5, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    county = users["county"]
    department_file = services.department_file_upload(actor=county, source="vehicle", region=county.region,
                                                      name="车辆.xlsx", content=buffer.getvalue(), process=False)
    result = services.department_file_process(file_id=department_file.pk)
    assert (result.status, result.encoding, result.flags_created) == (FileStatus.DONE, "xlsx", 1)
    assert department_file.stored_path.endswith(".xlsx")
    assert Flag.objects.get().details["plate"] == ["皖M00001"]


@pytest.mark.django_db(transaction=True)
def test_progress_moves_while_findings_are_recorded(users, households, monkeypatch):
    """Five findings recorded two at a time: the bar moves past 75 % after each committed batch."""
    from django.db import connection

    monkeypatch.setattr(services, "RECORD_BATCH", 2)
    seen = []
    write_progress = services._progress

    def recording(department_file, value, message=""):
        write_progress(department_file, value, message)
        # What the admin's poll would read now, and whether this write is already committed.
        seen.append((DepartmentFile.objects.get(pk=department_file.pk).progress, Flag.objects.count(),
                     connection.in_atomic_block))

    monkeypatch.setattr(services, "_progress", recording)
    everyone = members(households["h_a1"]) + members(households["h_b1"])
    result = run(users, "business", ["身份证号码", "企业名称"], [[m.id_number, f"店{i}"] for i, m in enumerate(everyone)])
    assert result.flags_created == 5 and result.progress == 100
    recording_phase = [entry for entry in seen if entry[0] >= 75]
    # 75 % before recording, then after 2, 4 and 5 findings: 75 + 24 × 2/5 = 84, 75 + 24 × 4/5 = 94, 99.
    assert recording_phase == [(75, 0, False), (84, 2, False), (94, 4, False), (99, 5, False)]
