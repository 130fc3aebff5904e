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


def test_death_flags_the_household_and_opens_one_death_review_not_twice(users, households):
    h = households["h_a1"]
    dead = members(h)[1]
    header = ["身份证号码", "姓名", "死亡日期"]
    first = run(users, "death", header, [[dead.id_number, "某某", "2026-03-05"]])
    assert first.status == FileStatus.DONE and first.matched_rows == 1 and first.flags_created == 1
    flag = Flag.objects.get()
    assert (flag.household, flag.member, flag.kind, flag.status) == (h, dead, FlagKind.DEATH, FlagStatus.OPEN)
    assert flag.details["died_on"] == "2026-03-05"
    assert flag.review.kind == ReviewKind.DEATH and flag.review.household == h
    # The monthly death report (benefits.integrity) took the death and opened the household's DEATH review.
    assert flag.review.source_type == "integrity.deathreport"
    dead.refresh_from_db()
    assert dead.died_on == dt.date(2026, 3, 5)
    assert Review.objects.filter(household=h, kind=ReviewKind.DEATH, status=ReviewStatus.OPEN).count() == 1
    # The same death in next month's file adds no flag and no review.
    second = run(users, "death", header, [[dead.id_number, "某某", "2026-03-05"], ["", "", ""]])
    assert second.status == FileStatus.DONE and second.flags_created == 0
    assert Flag.objects.count() == 1
    assert Review.objects.filter(household=h, kind=ReviewKind.DEATH).count() == 1


def test_death_of_the_only_member_still_gets_a_review_on_the_flag(users, regions):
    from benefits.models import EnrolmentStatus
    from tests.benefits.checks.factories import make_household

    alone = make_household(regions["comm_a2"], persons=1)
    member = alone.members.get()
    run(users, "death", ["身份证号码", "死亡日期"], [[member.id_number, "2026-04-20"]])
    flag = Flag.objects.get()
    # The death report ended the enrolment (nobody left); the flag opened its own DEATH review.
    assert alone.enrolments.get().status == EnrolmentStatus.ENDED
    assert (flag.review.kind, flag.review.source_type, flag.review.source_id) == (
        ReviewKind.DEATH, "checks.flag", str(flag.pk))


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


def test_second_property_beyond_max_properties(users, households):
    a, b, _c = members(households["h_a1"])
    other = members(households["h_b1"])[0]
    header = ["身份证号码", "姓名", "不动产权证号", "房屋坐落"]
    rows = [[a.id_number, "a", "皖(2020)001", "城南路1号"], [b.id_number, "b", "皖(2021)002", "城北路2号"],
            [other.id_number, "o", "皖(2019)003", "炉桥村"]]  # h_b1 has one property: within the default limit 1
    run(users, "property", header, rows)
    flag = Flag.objects.get()
    assert (flag.household, flag.kind, flag.member) == (households["h_a1"], FlagKind.PROPERTY, None)
    assert flag.details["count"] == 2 and flag.details["limit"] == 1


def test_vehicle_limit_is_a_county_parameter(users, households, regions):
    a = members(households["h_a1"])[0]
    header = ["身份证号码", "姓名", "号牌号码"]
    ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2020, 1, 1), values={"max_vehicles": 1})
    run(users, "vehicle", header, [[a.id_number, "a", "皖M12345"]])
    assert Flag.objects.count() == 0  # one vehicle allowed here
    run(users, "vehicle", header, [[a.id_number, "a", "皖M12345"], [a.id_number, "a", "皖M54321"]])
    flag = Flag.objects.get()
    assert (flag.kind, flag.details["count"], flag.details["plate"]) == (FlagKind.VEHICLE, 2, ["皖M12345", "皖M54321"])


def test_deposits_above_the_per_capita_limit(users, households):
    # h_a1 has 3 persons: limit 3 × 20000.00 = 60000.00 (default deposit_limit_per_capita).
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
    dead = members(households["h_a1"])[1]
    run(users, "death", ["身份证号码", "死亡日期"], [[dead.id_number, "2026-03-05"]])
    flag = Flag.objects.get()
    with pytest.raises(DomainError):
        services.flag_resolve(actor=users["community_a1"], flag=flag, note="")
    with pytest.raises(PermissionDenied):
        services.flag_resolve(actor=users["community_b1"], flag=flag, note="核实无误")
    services.flag_resolve(actor=users["community_a1"], flag=flag, note="入户核实：确已死亡，已报乡镇")
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.resolution_note) == (
        FlagStatus.RESOLVED, users["community_a1"], "入户核实：确已死亡，已报乡镇")
    event = AuditEvent.objects.get(action="checks.flag_resolve")
    assert event.actor == users["community_a1"] and event.object_id == str(flag.pk)
    assert event.before["status"] == "open" and event.after["status"] == "resolved"
    assert event.note == "入户核实：确已死亡，已报乡镇"
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


def test_xlsx_upload_is_checked_like_csv(users, households):
    import io

    from openpyxl import Workbook

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
