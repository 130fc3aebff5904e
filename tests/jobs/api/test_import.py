"""Bulk import of vacancies (CSV UTF-8/GBK, XLSX) with a row-level error report."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from rest_framework.test import APIClient

from jobs.matching.index import get_store
from jobs.models import Vacancy
from reemployment.core.models import Role, today
from tests.factories import UserFactory
from tests.jobs.factories import make_employer

pytestmark = pytest.mark.django_db

CLOSES = str(today() + dt.timedelta(days=30))
HEADER = "用人单位,岗位名称,岗位描述,职业,工作地点,月薪下限,月薪上限,班次,招聘人数,证书,截止日期\n"
GOOD = (f"炉桥盐化有限公司,叉车司机,成品仓库叉车装卸,叉车司机,炉桥镇,4000,5500,倒班,2,叉车证,{CLOSES}\n"
        f"炉桥盐化有限公司,包装工,包装线封口码垛,,341125101,3000,3800,白班,5,,{CLOSES}\n")


def upload(user, content: bytes, name: str):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/vacancies/import/", {"file": io.BytesIO(content) | _named(name)}, format="multipart")


class _named:
    def __init__(self, name):
        self.name = name

    def __ror__(self, handle):
        handle.name = self.name
        return handle


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_import_creates_open_indexed_vacancies(users, regions, encoder, encoding,
                                                   django_capture_on_commit_callbacks):
    make_employer(regions["town_b"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(users["labour"], (HEADER + GOOD).encode(encoding), "岗位.csv")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2 and response.json()["errors"] == []
    forklift = Vacancy.objects.get(title="叉车司机")
    assert forklift.certificates == ["叉车证"] and forklift.hours == "shift" and forklift.region == regions["town_b"]
    assert sorted(get_store().snapshot().ids.tolist()) == sorted(response.json()["vacancies"])


def test_row_errors_are_reported_and_nothing_is_imported(users, regions):
    make_employer(regions["town_b"])
    bad = (HEADER + GOOD
           + f"不存在的单位,保洁,,,炉桥镇,2000,2500,白班,1,,{CLOSES}\n"
           + "炉桥盐化有限公司,门卫,,,炉桥镇,3000,2000,全天,0,,2020-01-01\n"
           + f"炉桥盐化有限公司,收银,,,火星镇,2000,2500,白班,1,,{CLOSES}\n")
    response = upload(users["labour"], bad.encode("gbk"), "jobs.csv")
    assert response.status_code == 400
    errors = {e["row"]: " ".join(e["messages"]) for e in response.json()["errors"]}
    assert set(errors) == {4, 5, 6}
    assert "尚未登记" in errors[4]
    assert "上限低于下限" in errors[5] and "班次" in errors[5] and "人数" in errors[5] and "截止日期已过" in errors[5]
    assert "未知的工作地点" in errors[6]
    assert not Vacancy.objects.exists()


def test_xlsx_import_and_jurisdiction(users, regions, encoder, django_capture_on_commit_callbacks):
    make_employer(regions["town_b"])
    book = Workbook()
    sheet = book.active
    sheet.append(["employer", "title", "region", "pay_min", "pay_max", "closes_on"])
    sheet.append(["炉桥盐化有限公司", "电工", "341125101", 4000, 6000, CLOSES])
    data = io.BytesIO()
    book.save(data)
    # Labour staff of the other county: rows outside their jurisdiction are refused row by row.
    other_labour = UserFactory(username="t-other-labour", role=Role.LABOUR, region=regions["other_county"])
    response = upload(other_labour, data.getvalue(), "jobs.xlsx")
    assert response.status_code == 400 and "不在您的辖区" in str(response.json()["errors"])
    # Other roles may not import at all (no jobs.add_vacancy).
    assert upload(users["other_county"], data.getvalue(), "jobs.xlsx").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(users["labour"], data.getvalue(), "jobs.xlsx")
    assert response.status_code == 201, response.content
    assert upload(users["labour"], b"x", "jobs.pdf").status_code == 400


# ---------------------------------------------------------------------- who may import, and broken files (issue 15, finding 4)


@pytest.mark.parametrize(("user_key", "status"), [
    ("labour", 201), ("admin", 201),
    ("recipient", 403), ("community_a1", 403), ("township_b", 403), ("county", 403), ("editor", 403),
])
def test_only_labour_staff_and_admin_may_import(users, regions, user_key, status):
    from reemployment.core.models import Role
    from tests.factories import UserFactory

    make_employer(regions["town_b"])
    user = UserFactory(username="t-recipient-import", role=Role.RECIPIENT) if user_key == "recipient" else users[user_key]
    response = upload(user, (HEADER + GOOD).encode("utf-8"), "岗位.csv")
    assert response.status_code == status, response.content
    if status == 403:  # refused before the file is read: no row report telling which employers exist
        assert "errors" not in response.json() and not Vacancy.objects.exists()


def test_a_ragged_gbk_csv_is_reported_per_row(users, regions):
    make_employer(regions["town_b"])
    ragged = HEADER + GOOD + f"炉桥盐化有限公司,保安,夜间巡逻,,炉桥镇,3000,3500,夜班,1,,{CLOSES},多余\n"
    response = upload(users["labour"], ragged.encode("gbk"), "岗位.csv")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [e["row"] for e in errors] == [4] and "多余" in errors[0]["messages"][0]
    assert not Vacancy.objects.exists()


def test_an_unterminated_quote_answers_400_naming_the_line(users, regions):
    make_employer(regions["town_b"])
    broken = HEADER + GOOD + '"炉桥盐化有限公司,门卫\n'
    response = upload(users["labour"], broken.encode("gbk"), "岗位.csv")
    assert response.status_code == 400
    assert "第 4 行的引号没有闭合" in response.json()["detail"]


def test_a_truncated_xlsx_or_a_zip_bomb_answers_400(users, regions):
    from tests.uploads import truncated_xlsx, zip_bomb_xlsx

    rows = [["employer", "title", "region", "pay_min", "pay_max", "closes_on"]]
    rows += [["炉桥盐化有限公司", "电工", "341125101", 4000, 6000, CLOSES]] * 200
    for content in (*truncated_xlsx(rows).values(), zip_bomb_xlsx()):
        response = APIClient(raise_request_exception=False)
        response.force_authenticate(users["labour"])
        answer = response.post("/api/v1/vacancies/import/", {"file": io.BytesIO(content) | _named("jobs.xlsx")},
                               format="multipart")
        assert answer.status_code == 400, answer.content[:200]
        assert "XLSX" in answer.json()["detail"]
