"""Admin screens: every view and endpoint answers only inside the user's jurisdiction."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benefits.checks import services
from benefits.checks.models import DepartmentFile, FileStatus, Flag, FlagStatus, FollowUp
from benefits.checks.tasks import process_department_file
from tests.benefits.checks.conftest import csv_bytes


@pytest.fixture
def flags(users, households):
    """One business flag in h_a1 (urban, community a1) and one in h_b1 (rural, village b1)."""
    a = households["h_a1"].members.first()
    b = households["h_b1"].members.first()
    county = users["county"]
    department_file = services.department_file_upload(
        actor=county, source="business", region=county.region, name="biz.csv", process=False,
        content=csv_bytes(["身份证号码", "企业名称"], [[a.id_number, "甲店"], [b.id_number, "乙店"]]))
    services.department_file_process(file_id=department_file.pk)
    return {"a1": Flag.objects.get(household=households["h_a1"]), "b1": Flag.objects.get(household=households["h_b1"]),
            "file": department_file}


@pytest.mark.parametrize(("user_key", "visible"), [
    ("county", {"a1", "b1"}), ("township_a", {"a1"}), ("community_a1", {"a1"}), ("community_b1", {"b1"}),
    ("other_county", set()), ("admin", {"a1", "b1"}),
])
def test_flag_list_shows_only_the_jurisdiction(client, users, flags, user_key, visible):
    client.force_login(users[user_key])
    response = client.get(reverse("checks_flags:index"))
    assert response.status_code == 200
    shown = {key for key in ("a1", "b1") if reverse("checks_flags:edit", args=[flags[key].pk]) in response.text
             or reverse("checks_flags:inspect", args=[flags[key].pk]) in response.text}
    assert shown == visible


@pytest.mark.parametrize("view", ["edit", "inspect", "history"])
@pytest.mark.parametrize(("user_key", "key", "status"), [
    ("community_a1", "a1", 200), ("community_a1", "b1", 404), ("township_b", "a1", 404), ("other_county", "a1", 404),
])
def test_flag_detail_views_are_scoped(client, users, flags, view, user_key, key, status):
    client.force_login(users[user_key])
    assert client.get(reverse(f"checks_flags:{view}", args=[flags[key].pk])).status_code == status


def test_resolving_a_flag_in_the_admin_goes_through_the_service(client, users, flags):
    client.force_login(users["community_a1"])
    url = reverse("checks_flags:edit", args=[flags["a1"].pk])
    response = client.post(url, {"resolution_note": "已核实：小店已于去年注销"})
    assert response.status_code == 302
    flag = Flag.objects.get(pk=flags["a1"].pk)
    assert flag.status == FlagStatus.RESOLVED and flag.resolved_by == users["community_a1"]
    # Outside the jurisdiction: 404, nothing changes.
    response = client.post(reverse("checks_flags:edit", args=[flags["b1"].pk]), {"resolution_note": "x 处理"})
    assert response.status_code == 404
    assert Flag.objects.get(pk=flags["b1"].pk).status == FlagStatus.OPEN


# Wagtail answers a missing permission by redirecting to the admin home (302) with a message.
DENIED = (302, 403)


def outcome(code):
    return "denied" if code in DENIED else code


@pytest.mark.parametrize(("user_key", "status"), [("county", 200), ("other_county", 404), ("admin", 200),
                                                  ("township_a", "denied"), ("community_a1", "denied")])
def test_file_pages_and_progress_endpoint(client, users, flags, user_key, status):
    client.force_login(users[user_key])
    pk = flags["file"].pk
    for url in (reverse("checks_file_status", args=[pk]), reverse("checks_file_progress", args=[pk]),
                reverse("checks_files:inspect", args=[pk])):
        code = client.get(url).status_code
        # The inspect view scopes before Wagtail's permission check: outside the file's region is 404 either way.
        assert outcome(code) == status or (status == "denied" and code == 404 and "inspect" in url), url
    if status == 200:
        data = client.get(reverse("checks_file_progress", args=[pk])).json()
        assert {k: v for k, v in data.items() if k != "message"} == {
            "status": "done", "progress": 100, "rows": 2, "flags_created": 2, "error_count": 0}
        page = client.get(reverse("checks_files:index"))
        assert reverse("checks_files:inspect", args=[pk]) in page.text and "<progress" in page.text
        assert reverse("checks_upload") in page.text  # the list's add button is the upload page


def test_file_list_hides_other_counties(client, users, flags):
    client.force_login(users["other_county"])
    response = client.get(reverse("checks_files:index"))
    assert response.status_code == 200
    assert reverse("checks_files:inspect", args=[flags["file"].pk]) not in response.text


def test_upload_view(client, users, households, django_capture_on_commit_callbacks):
    dead = households["h_a1"].members.last()
    client.force_login(users["county"])
    assert client.get(reverse("checks_upload")).status_code == 200
    content = csv_bytes(["身份证号码", "姓名", "死亡日期"], [[dead.id_number, "某", "2026-05-01"]], "gbk")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("checks_upload"), {
            "source": "death", "region": users["county"].region_id,
            "file": SimpleUploadedFile("死亡.csv", content, content_type="text/csv")})
    department_file = DepartmentFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("checks_file_status",
                                                                            args=[department_file.pk])
    assert len(callbacks) == 1  # the processing task is queued when the upload commits
    process_department_file(department_file.pk)
    department_file.refresh_from_db()
    assert department_file.status == FileStatus.DONE and department_file.encoding == "gbk"
    # Same file again: refused on the form with the message.
    response = client.post(reverse("checks_upload"), {
        "source": "death", "region": users["county"].region_id,
        "file": SimpleUploadedFile("again.csv", content, content_type="text/csv")})
    assert response.status_code == 200 and "不能重复导入" in response.text
    assert DepartmentFile.objects.count() == 1


def test_upload_view_refuses_other_regions_and_roles(client, users, regions):
    client.force_login(users["county"])
    response = client.post(reverse("checks_upload"), {
        "source": "death", "region": regions["other_county"].pk,
        "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert response.status_code == 200 and DepartmentFile.objects.count() == 0
    client.force_login(users["township_a"])
    assert outcome(client.get(reverse("checks_upload")).status_code) == "denied"


def test_rejected_file_page_lists_the_bad_rows(client, users, households):
    county = users["county"]
    good = households["h_a1"].members.first().id_number
    department_file = services.department_file_upload(
        actor=county, source="death", region=county.region, name="bad.csv", process=False,
        content=csv_bytes(["身份证号码", "死亡日期"], [[good, "2026-01-01"], [good, "someday"], ["1", "2026-01-01"]]))
    services.department_file_process(file_id=department_file.pk)
    client.force_login(county)
    page = client.get(reverse("checks_file_status", args=[department_file.pk])).text
    assert "2 行有错误" in page and "<td>3</td><td>死亡日期</td>" in page and "<td>4</td><td>身份证号码</td>" in page


@pytest.mark.parametrize(("user_key", "region_key", "status"), [
    ("county", "county", 200), ("county", "town_b", 200), ("township_a", "town_a", 200),
    ("township_a", "county", 404), ("township_a", "town_b", 404), ("other_county", "county", 404),
    ("labour", "county", 200), ("editor", "county", "denied"),
])
def test_report_view_is_scoped(client, users, regions, households, user_key, region_key, status):
    client.force_login(users[user_key])
    url = reverse("checks_reports")
    params = {"region": regions[region_key].pk, "start": "2026-01-01", "end": "2026-03-31"}
    assert outcome(client.get(url, params).status_code) == status
    for fmt in ("csv", "xlsx"):
        assert outcome(client.get(url, {**params, "format": fmt}).status_code) == status


def test_report_view_exports(client, users, regions, households):
    client.force_login(users["township_a"])
    url = reverse("checks_reports")
    params = {"region": regions["town_a"].pk, "start": "2026-01-01", "end": "2026-12-31"}
    page = client.get(url, params)
    assert 'data-report-table="by_area_category"' in page.text
    response = client.get(url, {**params, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="report-341125100-20260101-20261231.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["城南社区", "城市", "A类", "1", "3", "900.00", "300.00"] in rows  # h_a1 only: the township's own
    assert not any(r and r[0] == "炉桥村" for r in rows)
    xlsx = client.get(url, {**params, "format": "xlsx"})
    assert xlsx.content[:4] == b"PK\x03\x04"


def test_poverty_view_scoped_and_actions(client, users, households, regions):
    county = users["county"]
    a = households["h_a1"].members.first()
    b = households["h_b1"].members.first()
    roster = services.department_file_upload(
        actor=county, source="poverty_roster", region=county.region, name="r.csv", process=False,
        content=csv_bytes(["行政区划代码", "贫困户编号", "身份证号码", "姓名", "脱贫状态"],
                          [["341125100001", "PA", a.id_number, "甲", "已脱贫"],
                           ["341125101001", "PB", b.id_number, "乙", "已脱贫"]]))
    services.department_file_process(file_id=roster.pk)
    client.force_login(users["community_a1"])
    page = client.get(reverse("checks_poverty")).text
    assert "<td>PA</td>" in page and "<td>PB</td>" not in page
    response = client.post(reverse("checks_poverty"), {"finding": "left_receiving", "poor_household_number": "PB"})
    assert response.status_code == 404 and FollowUp.objects.count() == 0
    response = client.post(reverse("checks_poverty"), {"finding": "left_receiving", "poor_household_number": "PA"})
    assert response.status_code == 302 and FollowUp.objects.get().household == households["h_a1"]
    # The follow-up list is scoped too.
    inspect_url = reverse("checks_follow_ups:inspect", args=[FollowUp.objects.get().pk])
    assert inspect_url in client.get(reverse("checks_follow_ups:index")).text
    client.force_login(users["community_b1"])
    assert inspect_url not in client.get(reverse("checks_follow_ups:index")).text
    assert client.get(inspect_url).status_code == 404


def test_dashboard_panel_on_admin_home(client, users, households):
    client.force_login(users["county"])
    page = client.get(reverse("wagtailadmin_home")).text
    assert 'id="checks-dashboard-data"' in page
    assert "checks/vendor/chartjs/chart.umd.min.js" in page and "cdn" not in page.lower().split("chart.umd")[0][-200:]
    client.force_login(users["editor"])
    assert 'id="checks-dashboard-data"' not in client.get(reverse("wagtailadmin_home")).text


@pytest.mark.parametrize(("user_key", "visible"), [
    ("county", {"a1", "b1"}), ("township_a", {"a1"}), ("community_b1", {"b1"}), ("other_county", set()),
])
def test_api_flag_list_and_detail_are_scoped(client, users, flags, user_key, visible):
    client.force_login(users[user_key])
    listed = {row["id"] for row in client.get("/api/v1/checks/flags/").json()["results"]}
    assert listed == {flags[k].pk for k in visible}
    for key in ("a1", "b1"):
        expected = 200 if key in visible else 404
        assert client.get(f"/api/v1/checks/flags/{flags[key].pk}/").status_code == expected


def test_api_resolve(client, users, flags):
    client.force_login(users["community_b1"])
    url = f"/api/v1/checks/flags/{flags['a1'].pk}/resolve/"
    assert client.post(url, {"note": "不在辖区"}, content_type="application/json").status_code == 404
    client.force_login(users["community_a1"])
    assert client.post(url, {"note": ""}, content_type="application/json").status_code == 400
    response = client.post(url, {"note": "已核实，店铺已转让"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    again = client.post(url, {"note": "再次"}, content_type="application/json")
    assert again.status_code == 409


def test_api_files_are_scoped(client, users, flags):
    url = f"/api/v1/checks/files/{flags['file'].pk}/"
    client.force_login(users["county"])
    assert client.get(url).json()["flags_created"] == 2
    client.force_login(users["other_county"])
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/checks/files/").json()["results"] == []
    client.force_login(users["township_a"])
    assert client.get(url).status_code == 403


def test_dashboard_shows_open_flag_counts_of_the_jurisdiction(client, users, flags):
    client.force_login(users["community_a1"])
    page = client.get(reverse("wagtailadmin_home")).text
    assert "有工商登记 1</a>" in page  # only a1's flag
    client.force_login(users["county"])
    assert "有工商登记 2</a>" in client.get(reverse("wagtailadmin_home")).text


@pytest.fixture
def death_flag(users, households):
    """A death imported for the second member of h_a1: a flag and a pending death report."""
    dead = households["h_a1"].members.order_by("id")[1]
    county = users["county"]
    department_file = services.department_file_upload(
        actor=county, source="death", region=county.region, name="deaths.csv", process=False,
        content=csv_bytes(["身份证号码", "死亡日期"], [[dead.id_number, "2026-03-05"]]))
    services.department_file_process(file_id=department_file.pk)
    return Flag.objects.get(member=dead)


def test_resolving_an_imported_death_in_the_admin_asks_whether_it_is_confirmed(client, users, death_flag):
    from benefits.integrity.models import DeathReport

    client.force_login(users["community_a1"])
    url = reverse("checks_flags:edit", args=[death_flag.pk])
    form = client.get(url).context["form"]
    assert form.fields["outcome"].required
    response = client.post(url, {"resolution_note": "已入户核实"})  # no outcome: the form says so
    assert response.status_code == 200 and "outcome" in response.context["form"].errors
    assert Flag.objects.get(pk=death_flag.pk).status == FlagStatus.OPEN
    response = client.post(url, {"resolution_note": "入户核实本人健在", "outcome": "rejected"})
    assert response.status_code == 302
    assert Flag.objects.get(pk=death_flag.pk).status == FlagStatus.RESOLVED
    report = DeathReport.objects.get()
    assert (report.status, report.decided_by) == ("rejected", users["community_a1"])
    assert death_flag.member.__class__.objects.get(pk=death_flag.member_id).died_on is None


def test_other_flags_are_resolved_with_a_note_only(client, users, flags):
    client.force_login(users["community_a1"])
    form = client.get(reverse("checks_flags:edit", args=[flags["a1"].pk])).context["form"]
    assert "outcome" not in form.fields


def test_api_resolve_a_death_with_its_outcome(client, users, death_flag):
    client.force_login(users["township_a"])
    url = f"/api/v1/checks/flags/{death_flag.pk}/resolve/"
    response = client.post(url, {"note": "殡葬记录核实"}, content_type="application/json")
    assert response.status_code == 400 and "outcome" in str(response.json())
    response = client.post(url, {"note": "殡葬记录核实", "outcome": "confirmed"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    death_flag.member.refresh_from_db()
    assert str(death_flag.member.died_on) == "2026-03-05"


def test_dashboard_points_at_the_deaths_waiting_for_confirmation(client, users, death_flag):
    client.force_login(users["community_a1"])
    page = client.get(reverse("wagtailadmin_home")).text
    assert "待核实确认的公安死亡信息" in page
    assert f'{reverse("integrity_deaths:index")}?status=pending">1</a>' in page
    client.force_login(users["community_b1"])  # not their household
    assert "待核实确认的公安死亡信息" not in client.get(reverse("wagtailadmin_home")).text
