"""Admin screens: scoped lists and 404s outside the jurisdiction, roster actions, report,
survey, XLSX export, subsidy payment, course creation through the service."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reemployment.core.models import AuditEvent
from tests.training.factories import CourseFactory, MemberFactory, ProviderFactory, register_seeker
from tests.training.helpers import AFTER_WINDOW, run_course
from training import services
from training.models import (
    AccountabilityReview,
    Course,
    CourseStatus,
    EnrolmentStatus,
    SubsidyPayment,
    SubsidyStatus,
    TrainingWish,
)


@pytest.fixture
def labour_client(client, users):
    client.force_login(users["labour"])
    return client


@pytest.fixture
def outsider_client(client, users, regions):
    from reemployment.core.models import Role
    from tests.factories import UserFactory

    outsider = UserFactory(username="t-labour-other", role=Role.LABOUR, region=regions["other_county"])
    client.force_login(outsider)
    return client


@pytest.fixture
def finished_course(users, regions, course):
    run_course(course, users["labour"], enrolled=5, completed=5, placed=2, region=regions["comm_a1"])
    services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    course.refresh_from_db()
    return course


LIST_URLS = ["/admin/training/courses/", "/admin/training/providers/", "/admin/training/reviews/",
             "/admin/training/subsidies/", "/admin/training/wishes/"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_render_for_labour(labour_client, finished_course, url):
    response = labour_client.get(url)
    assert response.status_code == 200


def test_outsider_sees_nothing_and_gets_404(outsider_client, finished_course):
    review = AccountabilityReview.objects.get(course=finished_course)
    payment = SubsidyPayment.objects.get(course=finished_course)
    listing = outsider_client.get("/admin/training/courses/")
    assert listing.status_code == 200 and finished_course.title not in listing.content.decode()
    for url in [
        f"/admin/training/courses/edit/{finished_course.pk}/",
        f"/admin/training/courses/inspect/{finished_course.pk}/",
        f"/admin/training/courses/{finished_course.pk}/roster/",
        f"/admin/training/providers/edit/{finished_course.provider_id}/",
        f"/admin/training/reviews/edit/{review.pk}/",
        f"/admin/training/subsidies/inspect/{payment.pk}/",
        f"/admin/training/subsidies/{payment.pk}/pay/",
    ]:
        assert outsider_client.get(url).status_code == 404, url
    # the outsider's report and survey are empty
    report = outsider_client.get("/admin/training/report/")
    assert report.status_code == 200 and finished_course.provider.name not in report.content.decode()
    for url in ["/admin/training/reviews/", "/admin/training/subsidies/"]:
        assert finished_course.title not in outsider_client.get(url).content.decode()


def test_community_staff_cannot_open_county_rosters_or_pay(client, users, finished_course):
    client.force_login(users["community_a1"])
    assert client.get(f"/admin/training/courses/{finished_course.pk}/roster/").status_code == 404
    # Wagtail answers a permission refusal with a redirect to the dashboard
    response = client.get(f"/admin/training/subsidies/{SubsidyPayment.objects.get().pk}/pay/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_roster_enrols_by_id_number_and_records_progress(labour_client, users, course, member_a):
    url = f"/admin/training/courses/{course.pk}/roster/"
    assert labour_client.get(url).status_code == 200
    labour_client.post(url, {"action": "enrol", "id_number": member_a.id_number})
    enrolment = course.enrolments.get()
    labour_client.post(url, {"action": "status", "to_status": "running"})
    labour_client.post(url, {"action": "attendance", "day": "2026-03-02", "present": [str(enrolment.pk)]})
    labour_client.post(url, {"action": "complete", "enrolment": enrolment.pk})
    labour_client.post(url, {"action": "assess", "enrolment": enrolment.pk, "passed": "1"})
    labour_client.post(url, {"action": "certify", "enrolment": enrolment.pk, "certificate_number": "DZ-9"})
    labour_client.post(url, {"action": "place", "enrolment": enrolment.pk, "start_date": "2026-04-01",
                             "employer_name": "定远电子厂", "evidence": "劳动合同", "monthly_earnings": "1900"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.basic_operations_passed is True and enrolment.certificate_number == "DZ-9"
    assert enrolment.placement.monthly_earnings == Decimal("1900.00")
    assert enrolment.attendance.get().present is True
    page = labour_client.get(url).content.decode()
    assert "DZ-9" in page and "定远电子厂" in page


def test_roster_shows_domain_errors_as_messages(labour_client, course):
    response = labour_client.post(f"/admin/training/courses/{course.pk}/roster/",
                                  {"action": "enrol", "id_number": "110101199001011234"}, follow=True)
    assert "辖区内没有此身份证号码" in response.content.decode()
    assert not course.enrolments.exists()


def test_roster_list_query_count_does_not_grow_with_trainees(labour_client, users, course, regions,
                                                             django_assert_max_num_queries):
    from tests.training.factories import HouseholdFactory

    for _ in range(8):
        services.enrolment_create(actor=users["labour"], course=course,
                                  member=MemberFactory(household=HouseholdFactory(region=regions["comm_a1"])))
    with django_assert_max_num_queries(25):
        assert labour_client.get(f"/admin/training/courses/{course.pk}/roster/").status_code == 200


def test_course_created_through_admin_goes_through_the_service(labour_client, regions):
    provider = ProviderFactory(region=regions["county"], name="定远县职业技能培训学校")
    response = labour_client.post("/admin/training/courses/new/", {
        "provider": provider.pk, "title": "保安员培训", "course_type": "security", "occupation": "保安员",
        "region": regions["town_a"].pk, "place": "定城镇文化站", "starts_on": "2027-01-04", "ends_on": "2027-01-20",
        "capacity": "40", "subsidy_per_trainee": "600.00", "certificate_name": "保安员证", "description": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get(title="保安员培训")
    assert course.status == CourseStatus.OPEN
    assert AuditEvent.objects.filter(action="training.course.create", object_id=str(course.pk)).exists()


def test_course_form_offers_only_regions_and_providers_in_jurisdiction(labour_client, regions):
    ProviderFactory(region=regions["other_county"], name="凤阳县某培训中心")
    page = labour_client.get("/admin/training/courses/new/").content.decode()
    assert "凤阳县某培训中心" not in page and "凤阳县" not in page


def test_subsidy_is_shown_then_paid(labour_client, finished_course):
    payment = SubsidyPayment.objects.get(course=finished_course)
    url = f"/admin/training/subsidies/{payment.pk}/pay/"
    page = labour_client.get(url).content.decode()
    assert "培训补贴 = 800.00 元/人" in page and str(payment.amount) in page
    response = labour_client.post(url, {"paid_on": "2026-10-08", "voucher": "PZ-77"})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == SubsidyStatus.PAID and payment.voucher == "PZ-77"


def test_review_is_closed_in_the_admin(labour_client, users, finished_course):
    review = AccountabilityReview.objects.get(course=finished_course)
    response = labour_client.post(f"/admin/training/reviews/edit/{review.pk}/", {
        "owner": users["labour"].pk, "findings": "实操课时不足，机构已整改", "outcome": "rectify"})
    assert response.status_code == 302, response.content.decode()[:3000]
    review.refresh_from_db()
    assert review.status == "closed" and review.owner == users["labour"]


def test_report_table_chart_and_xlsx(labour_client, users, finished_course):
    payment = SubsidyPayment.objects.get(course=finished_course)
    services.subsidy_pay(actor=users["labour"], payment=payment, paid_on=dt.date(2026, 10, 8), voucher="PZ-1")
    response = labour_client.get("/admin/training/report/?period=year&group=provider")
    page = response.content.decode()
    assert "chart.umd.min.js" in page and "training-chart-data" in page
    chart = json.loads(json.dumps(response.context["chart"]))  # what json_script embeds
    # 5 enrolled, 5 completed, 2 placed → 40 %; paid 800 × (3 + 0.8) = 3040.00 on 2026-10-08 (year 2026)
    assert chart["series"] == {"enrolled": [5], "completed": [5], "placed": [2], "output_rate": [40.0],
                               "subsidy_paid": ["3040.00"]}
    assert "按补贴支付日期" in page
    xlsx = labour_client.get("/admin/training/report/?period=year&group=provider&export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("统计周期", "分组", "培训班数", "报名人数", "结业人数", "输出人数")
    assert rows[1][0] == "2026" and rows[1][3:6] == (5, 5, 2)
    assert Decimal(str(rows[1][8])) == payment.amount  # 800 × (3 + 0.8) = 3040.00


def test_survey_table_chart_and_xlsx(client, users, regions, member_a, member_b):
    client.force_login(users["county"])
    register_seeker(member_a)
    register_seeker(member_b)
    for member, kind in [(member_a, "sewing"), (member_a, "computer"), (member_b, "sewing")]:
        services.training_wish_save(actor=users["admin"], wish=TrainingWish(
            member=member, course_type=kind, survey_round="2026", surveyed_on=dt.date(2026, 2, 1)))
    response = client.get("/admin/training/survey/?round=2026")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["labels"] == ["定城镇", "炉桥镇"]
    assert {d["label"]: d["data"] for d in chart["datasets"]} == {"缝纫": [1, 1], "计算机操作与维修": [1, 0]}
    sheet = load_workbook(io.BytesIO(client.get("/admin/training/survey/?round=2026&export=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "合计" and rows[-1][-1] == 3


def test_wish_form_finds_members_by_id_number_in_jurisdiction_only(client, users, member_a, member_b):
    register_seeker(member_a)
    client.force_login(users["community_a1"])
    page = client.get("/admin/training/wishes/new/").content.decode()
    assert member_b.name not in page and "id_number" in page
    outside = client.post("/admin/training/wishes/new/", {"id_number": member_b.id_number, "course_type": "catering",
                                                          "survey_round": "2026", "surveyed_on": "2026-02-01"})
    assert outside.status_code == 200 and "辖区内没有此身份证号码的人员" in outside.content.decode()
    response = client.post("/admin/training/wishes/new/", {"id_number": member_a.id_number, "course_type": "catering",
                                                           "survey_round": "2026", "surveyed_on": "2026-02-01"})
    assert response.status_code == 302
    wish = TrainingWish.objects.get()
    assert wish.region_id == member_a.household.region_id and wish.recorded_by == users["community_a1"]


def test_township_roster_lists_only_its_own_residents(client, users, regions, member_a, member_b):
    course = CourseFactory(region=regions["town_a"], title="定城镇家政班")
    services.enrolment_create(actor=users["labour"], course=course, member=member_a)
    services.enrolment_create(actor=users["labour"], course=course, member=member_b)
    client.force_login(users["township_a"])
    page = client.get(f"/admin/training/courses/{course.pk}/roster/").content.decode()
    assert str(member_a) in page and "炉桥村" not in page
    client.force_login(users["labour"])
    assert "炉桥村" in client.get(f"/admin/training/courses/{course.pk}/roster/").content.decode()


def test_course_edit_and_wish_edit_through_admin(labour_client, client, users, course, member_a):
    register_seeker(member_a)
    data = {"provider": course.provider_id, "title": course.title, "course_type": course.course_type,
            "occupation": course.occupation, "region": course.region_id, "place": "新地点",
            "starts_on": "2026-03-02", "ends_on": "2026-03-31", "capacity": "35", "subsidy_per_trainee": "850.00",
            "certificate_name": course.certificate_name, "description": ""}
    assert labour_client.post(f"/admin/training/courses/edit/{course.pk}/", data).status_code == 302
    course.refresh_from_db()
    assert (course.capacity, course.subsidy_per_trainee, course.place) == (35, Decimal("850.00"), "新地点")
    event = AuditEvent.objects.get(action="training.course.update", object_id=str(course.pk))
    assert event.before["capacity"] == 30 and event.after["capacity"] == 35
    wish = services.training_wish_save(actor=users["admin"], wish=TrainingWish(
        member=member_a, course_type="sewing", survey_round="2026", surveyed_on=dt.date(2026, 2, 1)))
    client.force_login(users["community_a1"])
    page = client.get(f"/admin/training/wishes/edit/{wish.pk}/").content.decode()
    assert member_a.id_number in page
    response = client.post(f"/admin/training/wishes/edit/{wish.pk}/", {
        "id_number": member_a.id_number, "course_type": "security", "survey_round": "2026",
        "surveyed_on": "2026-02-01"})
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.course_type == "security"


def test_review_listing_flags_and_filters_unassigned_reviews(labour_client, users, regions):
    assigned_course = services.course_save(actor=users["labour"], course=Course(
        provider=ProviderFactory(region=regions["county"]), title="有人承办的焊工班", course_type="machining",
        occupation="电焊工", region=regions["county"], place="县职教中心", starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 31), capacity=10, subsidy_per_trainee=Decimal("1000.00")))
    orphan_course = CourseFactory(region=regions["county"], title="无人承办的缝纫班")  # no creator on record
    for course in (assigned_course, orphan_course):
        run_course(course, users["labour"], enrolled=2, completed=2, placed=0, region=regions["comm_a1"])
        services.course_assess(actor=None, course=course, as_of=AFTER_WINDOW)
    assert AccountabilityReview.objects.get(course=assigned_course).owner == users["labour"]
    assert AccountabilityReview.objects.get(course=orphan_course).owner is None
    page = labour_client.get("/admin/training/reviews/").content.decode()
    assert "有人承办的焊工班" in page and "无人承办的缝纫班" in page
    assert page.count("⚠ 未指定承办人") == 1
    unassigned = labour_client.get("/admin/training/reviews/?unassigned=on").content.decode()
    assert "无人承办的缝纫班" in unassigned and "有人承办的焊工班" not in unassigned


def test_course_form_offers_the_vacancy_certificates(labour_client, regions):
    page = labour_client.get("/admin/training/courses/new/").content.decode()
    assert "对应岗位证书" in page and '<option value="焊工证">' in page
    provider = ProviderFactory(region=regions["county"], name="定远县职业技能培训学校")
    response = labour_client.post("/admin/training/courses/new/", {
        "provider": provider.pk, "title": "焊工培训班", "course_type": "machining", "occupation": "电焊工",
        "region": regions["county"].pk, "place": "县职教中心", "starts_on": "2027-01-04", "ends_on": "2027-01-29",
        "capacity": "25", "subsidy_per_trainee": "1200.00", "certificate_name": "焊工（初级）职业技能等级证书",
        "standard_certificate": "焊工证", "description": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get(title="焊工培训班")
    assert course.standard_certificate == "焊工证" and course.created_by.username == "t-labour"


def test_wish_form_refuses_a_member_who_is_not_a_registered_job_seeker(client, users, member_a):
    client.force_login(users["community_a1"])
    response = client.post("/admin/training/wishes/new/", {"id_number": member_a.id_number, "course_type": "sewing",
                                                           "survey_round": "2026", "surveyed_on": "2026-02-01"})
    assert response.status_code == 200 and "请先办理求职登记" in response.content.decode()
    assert not TrainingWish.objects.exists()
