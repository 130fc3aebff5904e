"""Department-file uploads with broken or hostile files (issue 15, finding 4): the upload never answers
500, the file is read and checked by the Celery task (in-process here, as on the embedded default), and
every failure ends in ``rejected`` with the reason — so the corrected file, or the same one, can be sent
again. Real crafted files; nothing of the reader or the task is mocked."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benefits.checks import services
from benefits.checks.models import DepartmentFile, FileStatus
from tests.benefits.checks.conftest import csv_bytes
from tests.uploads import truncated_xlsx, xlsx_bytes, zip_bomb_xlsx


def _post(client, county, name, content):
    return client.post(reverse("checks_upload"), {
        "source": "death", "region": county.region_id, "file": SimpleUploadedFile(name, content)})


def _process(users, content, name="d.csv"):
    county = users["county"]
    department_file = services.department_file_upload(actor=county, source="death", region=county.region,
                                                      name=name, content=content, process=False)
    return services.department_file_process(file_id=department_file.pk)


def test_a_truncated_xlsx_upload_ends_rejected_and_may_be_sent_again(client, users, households, eager_celery,
                                                                     django_capture_on_commit_callbacks):
    county = users["county"]
    dead = households["h_a1"].members.order_by("id").last()
    good = xlsx_bytes([["身份证号码", "死亡日期"], [dead.id_number, "2026-05-01"]])
    broken = truncated_xlsx([["身份证号码", "死亡日期"]] + [[dead.id_number, "2026-05-01"]] * 200)["sheet_xml_cut"]
    client.force_login(county)
    for attempt in (1, 2):  # the same broken bytes twice: a rejected file is no duplicate
        with django_capture_on_commit_callbacks(execute=True):  # the task runs when the upload commits
            response = _post(client, county, "死亡.xlsx", broken)
        assert response.status_code == 302, response.content[:300]
        department_file = DepartmentFile.objects.order_by("-id").first()
        assert DepartmentFile.objects.count() == attempt
        assert department_file.status == FileStatus.REJECTED and department_file.progress == 100
        assert "XLSX 文件已损坏" in department_file.message
        assert department_file.errors[0]["message"] == department_file.message
        page = client.get(reverse("checks_file_status", args=[department_file.pk]))
        assert page.status_code == 200 and "XLSX 文件已损坏" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, county, "死亡.xlsx", good)
    assert DepartmentFile.objects.order_by("-id").first().status == FileStatus.DONE


def test_a_zip_bomb_is_rejected_in_milliseconds_with_the_reason(users, households):
    started = time.perf_counter()
    department_file = _process(users, zip_bomb_xlsx(), "bomb.xlsx")
    assert time.perf_counter() - started < 3  # reading its 14 MB of XML took 12 s in the finding
    assert department_file.status == FileStatus.REJECTED
    assert "压缩比异常" in department_file.message


def test_a_ragged_gbk_csv_is_rejected_naming_the_long_row(users, households):
    ids = [m.id_number for m in households["h_a1"].members.order_by("id")]
    content = ("身份证号码,死亡日期\n"
               f"{ids[0]},2026-05-01\n"
               f"{ids[1]},2026-05-01,公安局,备注\n"  # line 3: two values more than the header
               f"{ids[2]},2026-05-01\n").encode("gbk")
    department_file = _process(users, content)
    assert department_file.status == FileStatus.REJECTED and department_file.encoding == "gbk"
    assert department_file.error_count == 1
    assert [(e["row"], e["value"]) for e in department_file.errors] == [(3, "公安局、备注")]
    assert "多出的值" in department_file.errors[0]["message"]


def test_a_csv_whose_every_row_is_too_long_is_rejected_not_a_500(users, households):
    ids = [m.id_number for m in households["h_a1"].members.order_by("id")]
    content = csv_bytes(["身份证号码", "死亡日期"], [[i, "2026-05-01", "x"] for i in ids])
    department_file = _process(users, content)
    assert department_file.status == FileStatus.REJECTED
    assert sorted(e["row"] for e in department_file.errors) == [2, 3, 4]


def test_an_unterminated_quote_is_rejected_naming_its_line(users, households):
    member = households["h_a1"].members.first()
    content = f'身份证号码,死亡日期\n{member.id_number},"2026-05-01\n{member.id_number},2026-05-02\n'.encode("gbk")
    department_file = _process(users, content)
    assert department_file.status == FileStatus.REJECTED
    assert "第 2 行的引号没有闭合" in department_file.message


@pytest.mark.parametrize("shape", ["cut_in_transit", "bytes_damaged", "no_workbook_part"])
def test_every_broken_xlsx_ends_rejected(users, households, shape):
    member = households["h_a1"].members.first()
    department_file = _process(users, truncated_xlsx([["身份证号码", "死亡日期"]] + [[member.id_number, "x"]] * 200)[shape],
                               "f.xlsx")
    assert department_file.status == FileStatus.REJECTED and department_file.message
