"""Importing a caseload: everything or nothing, audited per record, idempotent, discrepancies reviewed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    Household,
    IncomeItem,
    Member,
    Review,
    ReviewKind,
    ReviewStatus,
)
from benefits.onboarding import services
from benefits.onboarding.models import CaseloadImport, ImportDiscrepancy, ImportStatus
from reemployment.core.errors import PermissionDenied
from reemployment.core.models import AuditEvent, today
from tests.benefits.factories import make_household
from tests.benefits.onboarding.conftest import ELDER, HEAD, SPOUSE, base_rows, household, person, table_bytes

TABLES = (Household, Member, IncomeItem, Enrolment, EnrolmentEvent, Review, ImportDiscrepancy)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in TABLES}


def run(county, user, rows, name="caseload.csv", **kwargs) -> CaseloadImport:
    return services.import_caseload(actor=user, county=county, name=name, content=table_bytes(rows, **kwargs))


def test_an_import_writes_every_record_and_audits_each_naming_the_import(county, county_user):
    record = run(county, county_user, base_rows())
    assert record.status == ImportStatus.DONE, record.errors
    assert (record.households, record.persons, record.created, record.updated, record.unchanged) == (2, 4, 2, 0, 0)
    assert counts() == {"Household": 2, "Member": 4, "IncomeItem": 1, "Enrolment": 2, "EnrolmentEvent": 2,
                        "Review": 0, "ImportDiscrepancy": 0}
    urban = Household.objects.get(number="CN0001")
    assert urban.region.code == "341125100001" and urban.area == "urban"
    enrolment = urban.enrolments.get()
    assert (enrolment.category, enrolment.monthly_amount, enrolment.persons) == ("C", Decimal("480.00"), 3)
    assert enrolment.start_date == dt.date(2019, 3, 1) and enrolment.priced_on == today()
    # Urban reviews every 6 months from the start month: the first date of that rhythm not before today.
    assert enrolment.next_review_on >= today() and (enrolment.next_review_on.month - 3) % 6 == 0
    assert enrolment.events.get().kind == EnrolmentEventKind.ENTRY
    head = Member.objects.get(id_number=HEAD)
    assert (head.sex, head.birth_date, head.relation) == ("M", dt.date(1980, 1, 1), "head")
    income = IncomeItem.objects.get()
    assert (income.member, income.kind, income.monthly_amount) == (head, "other", Decimal("300.00"))
    elder = Member.objects.get(id_number=ELDER)
    assert elder.three_no and elder.work_ability == "none" and elder.sex == "F"
    rural = elder.household.enrolments.get()
    assert rural.certificate_number == f"农保341125-{elder.household.number}"
    created = AuditEvent.objects.filter(action="onboarding.create")
    assert sorted(created.values_list("object_type", flat=True)) == sorted(
        ["benefits.household"] * 2 + ["benefits.member"] * 4 + ["benefits.incomeitem"] + ["benefits.enrolment"] * 2)
    assert {(e.actor, e.note) for e in created} == {(county_user, f"存量导入 #{record.pk}「caseload.csv」SHA-256 {record.sha256}")}
    assert AuditEvent.objects.filter(action="onboarding.import", object_id=str(record.pk)).count() == 1


def test_a_bad_last_row_leaves_the_database_unchanged(county, county_user):
    rows = base_rows()
    for n in range(20):
        number = person(dt.date(1960, 1, 1) + dt.timedelta(days=n), 2 * n + 11)
        rows += household(number, f"户主{n}", region="341125101002", category="C", amount="70.00")
    rows[-1]["月保障金额"] = "-70.00"
    record = run(county, county_user, rows)
    assert record.status == ImportStatus.REJECTED
    assert record.errors == [{"row": len(rows) + 1, "column": "月保障金额", "message": "不能为负数"}]
    assert counts() == dict.fromkeys(["Household", "Member", "IncomeItem", "Enrolment", "EnrolmentEvent", "Review",
                                      "ImportDiscrepancy"], 0)
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"onboarding.upload", "onboarding.rejected"}


def test_importing_the_same_file_again_creates_and_changes_nothing(county, county_user):
    first = run(county, county_user, base_rows())
    before = counts()
    audits = AuditEvent.objects.filter(action__startswith="onboarding.").exclude(
        action__in=["onboarding.upload", "onboarding.import"]).count()
    second = run(county, county_user, base_rows())
    assert second.status == ImportStatus.DONE
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert counts() == before
    assert AuditEvent.objects.filter(action__startswith="onboarding.").exclude(
        action__in=["onboarding.upload", "onboarding.import"]).count() == audits
    assert first.sha256 == second.sha256


def test_a_changed_row_updates_the_record_with_an_audit_event_naming_the_import(county, county_user):
    run(county, county_user, base_rows())
    rows = base_rows()
    rows[1]["重病"] = "是"  # the spouse: now urban B (serious illness)
    rows[0]["月保障金额"] = "624.00"  # what the old system pays now: (260 × 3 − 300) × 1.3 = 624.00
    record = run(county, county_user, rows, name="caseload-2.csv")
    assert (record.created, record.updated, record.unchanged, record.discrepancy_count) == (0, 1, 1, 0)
    spouse = Member.objects.get(id_number=SPOUSE)
    assert spouse.serious_illness
    update = AuditEvent.objects.get(action="onboarding.update", object_type="benefits.member")
    assert (update.before, update.after) == ({"serious_illness": False}, {"serious_illness": True})
    assert update.note == f"存量导入 #{record.pk}「caseload-2.csv」SHA-256 {record.sha256}"
    enrolment = spouse.household.enrolments.get()
    assert enrolment.monthly_amount == Decimal("624.00")
    change = enrolment.events.get(kind=EnrolmentEventKind.AMOUNT_CHANGE)
    assert (change.amount_before, change.amount_after) == (Decimal("480.00"), Decimal("624.00"))
    assert f"存量导入 #{record.pk}" in change.reason


def test_a_discrepancy_is_imported_as_recorded_and_opens_one_review(county, county_user):
    rows = base_rows()
    rows[3]["月保障金额"] = "200.00"  # rural A for one person is 120.00 × 1 = 120.00
    record = run(county, county_user, rows)
    assert (record.discrepancy_count, record.reviews_opened) == (1, 1)
    enrolment = Enrolment.objects.get(household__members__id_number=ELDER)
    assert enrolment.monthly_amount == Decimal("200.00")  # never silently re-priced
    discrepancy = ImportDiscrepancy.objects.get()
    assert (discrepancy.recorded_amount, discrepancy.computed_amount, discrepancy.difference) == (
        Decimal("200.00"), Decimal("120.00"), Decimal("80.00"))
    assert discrepancy.computed_category == "A" and "农村A类" in discrepancy.explanation
    review = discrepancy.review
    assert (review.kind, review.status, review.household, review.enrolment) == (
        ReviewKind.DATA_FLAG, ReviewStatus.OPEN, enrolment.household, enrolment)
    assert review.reason == (f"存量导入 #{record.pk}：原系统月保障金 200.00 元，按本系统规则核算为A类 120.00 元，"
                             "差额 80.00 元")
    assert AuditEvent.objects.filter(action="review.open", object_id=str(review.pk)).count() == 1
    # The same file again: listed again with the second import, but no second review.
    again = run(county, county_user, rows)
    assert (again.discrepancy_count, again.reviews_opened) == (1, 0)
    assert Review.objects.count() == 1
    assert again.discrepancies.get().review == review


def test_the_household_is_found_by_its_number_when_the_head_changed(county, county_user):
    run(county, county_user, base_rows())
    household_id = Household.objects.get(number="CN0001").pk
    rows = base_rows()
    # The spouse is now the head (the old head moved out of the file's list); same 户编号.
    rows[1].update({"与户主关系": "户主", "保障类别": "C", "月保障金额": "520.00", "享受起始月": "2019-03",
                    "户编号": "CN0001"})
    rows[2]["与户主关系"] = "子女"
    for row in rows[1:3]:
        row["户主身份证号"] = SPOUSE
    record = run(county, county_user, rows[1:])
    assert record.status == ImportStatus.DONE, record.errors
    assert (record.created, record.updated) == (0, 1)
    spouse = Member.objects.get(id_number=SPOUSE)
    assert spouse.household_id == household_id and spouse.relation == "head"
    assert Enrolment.objects.get(household_id=household_id).persons == 2


@pytest.mark.parametrize("encoding", ["gbk", "xlsx", "utf-8-sig"])
def test_gbk_and_xlsx_files(county, county_user, encoding):
    record = run(county, county_user, base_rows(), name=f"caseload.{'xlsx' if encoding == 'xlsx' else 'csv'}",
                 encoding=encoding)
    assert record.status == ImportStatus.DONE, record.errors
    assert record.encoding == {"gbk": "gbk", "xlsx": "xlsx", "utf-8-sig": "utf-8-sig"}[encoding]
    assert Member.objects.get(id_number=SPOUSE).name == "李秀英"
    assert (record.households, record.persons) == (2, 4)


def test_a_declared_move_from_another_household_is_recorded_and_flagged(county, county_user, policy):
    old = make_household(policy["comm_a2"], members=2)
    leaving = old.members.get(relation="child")
    rows = base_rows() + household(leaving.id_number, leaving.name, region="341125100002", category="C",
                                   amount="260.00", 人户分离="是")
    record = run(county, county_user, rows)
    assert record.status == ImportStatus.DONE, record.errors
    leaving.refresh_from_db()
    assert leaving.household != old and leaving.previous_household == old and leaving.relation == "head"
    assert [flag["code"] for flag in leaving.household.flags] == ["carve_out"]
    assert AuditEvent.objects.filter(action="onboarding.update", object_id=str(leaving.pk)).get().before == {
        "household_id": old.pk, "relation": "child", "previous_household_id": None}


@pytest.mark.parametrize("user_key", ["township_a", "community_a1", "other_county", "admin", "labour"])
def test_only_county_staff_of_the_county_import(county, users, user_key):
    with pytest.raises(PermissionDenied):
        run(county, users[user_key], base_rows())
    with pytest.raises(PermissionDenied):
        services.caseload_check(actor=users[user_key], county=county, content=table_bytes(base_rows()), name="x.csv")
    assert not CaseloadImport.objects.exists()
