"""Registered-poor roster (建档立卡) vs the dibao roster: the three lists and their follow-ups."""

import pytest

from benefits.checks import selectors, services
from benefits.checks.models import FileStatus, Flag, FlagKind, FollowUp, FollowUpKind, PovertyRosterEntry
from benefits.models import Review, ReviewKind
from reemployment.core.errors import DomainError
from reemployment.idcard import make_id_number
from tests.benefits.checks.conftest import csv_bytes
from tests.benefits.checks.factories import make_household

HEADER = ["行政区划代码", "贫困户编号", "身份证号码", "姓名", "与户主关系", "脱贫状态", "脱贫年度"]


@pytest.fixture
def roster(users, households, regions):
    import datetime as dt

    a, b, _c = households["h_a1"].members.order_by("id")
    x, y = households["h_b1"].members.order_by("id")
    not_enrolled = make_household(regions["comm_a2"], persons=2, enrolled=False)
    n1, n2 = not_enrolled.members.order_by("id")
    full = make_household(regions["comm_b2"], persons=1)
    stranger = make_id_number("341125", dt.date(1988, 8, 8), 101)
    other_stranger = make_id_number("341125", dt.date(1977, 7, 7), 102)
    rows = [
        ["341125100001", "P001", a.id_number, "甲", "户主", "未脱贫", ""],       # partial: 2 of 3 covered
        ["341125100001", "P001", b.id_number, "乙", "子女", "未脱贫", ""],
        ["341125100001", "P001", stranger, "丙", "配偶", "未脱贫", ""],
        ["341125100002", "P002", n1.id_number, "丁", "户主", "未脱贫", ""],      # uncovered
        ["341125100002", "P002", n2.id_number, "戊", "子女", "未脱贫", ""],
        ["341125101001", "P003", x.id_number, "己", "户主", "已脱贫", "2020"],   # left, still receiving
        ["341125101001", "P003", y.id_number, "庚", "子女", "已脱贫", "2020"],
        ["341125101002", "P004", full.members.get().id_number, "辛", "户主", "未脱贫", ""],  # fully covered
        ["341125101002", "P005", other_stranger, "壬", "户主", "已脱贫", "2019"],  # left, not covered
    ]
    county = users["county"]
    department_file = services.department_file_upload(actor=county, source="poverty_roster", region=county.region,
                                                      name="roster.csv", content=csv_bytes(HEADER, rows, "gbk"),
                                                      process=False)
    return services.department_file_process(file_id=department_file.pk)


def numbers(lists, key):
    return [row["poor_household_number"] for row in lists[key]]


def test_roster_is_loaded_and_matched(roster):
    assert roster.status == FileStatus.DONE and roster.rows == 9 and roster.matched_rows == 7
    assert PovertyRosterEntry.objects.filter(department_file=roster).count() == 9


def test_the_three_lists_for_the_county(users, roster, households):
    lists = selectors.roster_reconciliation(users["county"])
    assert numbers(lists, "uncovered") == ["P002"]
    assert numbers(lists, "partial") == ["P001"]
    assert numbers(lists, "left_receiving") == ["P003"]
    partial = lists["partial"][0]
    assert (partial["persons"], partial["covered_persons"], partial["dibao_household_ids"]) == (
        3, 2, [households["h_a1"].pk])
    counts = selectors.reconciliation_counts(lists)
    assert {(c["finding"], c["region"], c["households"], c["persons"]) for c in counts} == {
        ("uncovered", "城北社区", 1, 2), ("partial", "城南社区", 1, 3), ("left_receiving", "炉桥村", 1, 2)}


@pytest.mark.parametrize(("user_key", "expected"), [
    ("community_a1", {"uncovered": [], "partial": ["P001"], "left_receiving": []}),
    ("township_b", {"uncovered": [], "partial": [], "left_receiving": ["P003"]}),
    ("other_county", {"uncovered": [], "partial": [], "left_receiving": []}),
])
def test_lists_are_scoped(users, roster, user_key, expected):
    lists = selectors.roster_reconciliation(users[user_key])
    assert {k: numbers(lists, k) for k in lists} == expected


def test_a_new_roster_file_replaces_the_old_one(users, roster, households):
    a = households["h_a1"].members.order_by("id").first()
    county = users["county"]
    newer = services.department_file_upload(
        actor=county, source="poverty_roster", region=county.region, name="roster2.csv", process=False,
        content=csv_bytes(HEADER, [["341125100001", "P101", a.id_number, "甲", "户主", "未脱贫", ""]]))
    services.department_file_process(file_id=newer.pk)
    lists = selectors.roster_reconciliation(county)
    assert (numbers(lists, "uncovered"), numbers(lists, "partial"), numbers(lists, "left_receiving")) == ([], [], [])


def test_follow_ups(users, roster, households):
    county = users["county"]
    referral = services.poverty_follow_up(actor=county, finding="uncovered", poor_household_number="P002")
    # County staff do not take applications: the follow-up is the referral note for the community.
    assert referral.kind == FollowUpKind.REFERRAL and "协助提出低保申请" in referral.note
    assert referral.household is not None and "由社区/村工作人员受理申请" in referral.note
    assert referral.region.code == "341125100002"
    partial = services.poverty_follow_up(actor=county, finding="partial", poor_household_number="P001")
    flag = Flag.objects.get(kind=FlagKind.POVERTY_PARTIAL)
    assert (partial.household, partial.review, flag.household, flag.review) == (
        households["h_a1"], flag.review, households["h_a1"], partial.review)
    assert partial.review.kind == ReviewKind.DATA_FLAG and "3 人中仅 2 人" in partial.review.reason
    # Idempotent while open: no second follow-up, flag or review.
    again = services.poverty_follow_up(actor=county, finding="partial", poor_household_number="P001")
    assert again == partial and Flag.objects.count() == 1
    done = services.poverty_follow_up_all(actor=county, finding="left_receiving")
    assert [f.household for f in done] == [households["h_b1"]]
    assert Flag.objects.get(kind=FlagKind.POVERTY_LEFT).review.household == households["h_b1"]
    assert FollowUp.objects.count() == 3
    assert Review.objects.filter(source_type="checks.flag").count() == 2


def test_follow_up_outside_the_jurisdiction_is_refused(users, roster):
    with pytest.raises(DomainError) as caught:
        services.poverty_follow_up(actor=users["community_b1"], finding="partial", poor_household_number="P001")
    assert caught.value.status == 404
    assert FollowUp.objects.count() == 0


def test_follow_up_close_is_audited(users, roster):
    from reemployment.core.models import AuditEvent

    follow_up = services.poverty_follow_up(actor=users["county"], finding="uncovered", poor_household_number="P002")
    services.follow_up_close(actor=users["township_a"], follow_up=follow_up, note="已受理低保申请")
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and "已受理低保申请" in follow_up.note
    assert AuditEvent.objects.get(action="checks.follow_up_close").actor == users["township_a"]


def test_roster_with_a_region_outside_the_county_is_rejected(users, households):
    county = users["county"]
    a = households["h_a1"].members.first()
    department_file = services.department_file_upload(
        actor=county, source="poverty_roster", region=county.region, name="r.csv", process=False,
        content=csv_bytes(HEADER, [["341126100001", "P9", a.id_number, "甲", "户主", "未脱贫", ""]]))
    result = services.department_file_process(file_id=department_file.pk)
    assert result.status == FileStatus.REJECTED and result.errors[0]["column"] == "行政区划代码"
    assert PovertyRosterEntry.objects.count() == 0


def test_community_staff_referral_takes_the_application(users, roster, regions):
    from benefits.models import Application
    from reemployment.core.models import Role
    from tests.factories import UserFactory

    staff = UserFactory(username="t-comm-a2", role=Role.COMMUNITY, region=regions["comm_a2"])
    follow_up = services.poverty_follow_up(actor=staff, finding="uncovered", poor_household_number="P002")
    application = Application.objects.get(household=follow_up.household)
    assert application.step == "submitted" and "P002" in application.reason
    assert application.number in follow_up.note
    assert follow_up.household.region == regions["comm_a2"]


def test_referral_of_a_household_not_registered_here(users, roster, regions):
    import datetime as dt

    county = users["county"]
    stranger = make_id_number("341125", dt.date(1970, 5, 5), 201)
    newer = services.department_file_upload(
        actor=county, source="poverty_roster", region=county.region, name="r3.csv", process=False,
        content=csv_bytes(HEADER, [["341125101002", "P777", stranger, "某", "户主", "未脱贫", ""]]))
    services.department_file_process(file_id=newer.pk)
    follow_up = services.poverty_follow_up(actor=county, finding="uncovered", poor_household_number="P777")
    assert follow_up.household is None and "未在本系统登记" in follow_up.note
