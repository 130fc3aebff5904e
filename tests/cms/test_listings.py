"""Vacancy and course listings read the jobs and training selectors."""

import datetime as dt

from jobs.models import VacancyStatus
from reemployment.core.models import today
from tests.jobs.factories import add_vacancy, make_employer
from tests.training.factories import CourseFactory


def test_open_vacancies_are_listed_and_closed_ones_are_not(client, site, regions):
    employer = make_employer(regions["town_b"])
    add_vacancy(employer, regions["town_b"], title="电焊工")
    add_vacancy(employer, regions["town_b"], title="仓库保管员", status=VacancyStatus.CLOSED)
    add_vacancy(employer, regions["other_county"], title="外县叉车司机")
    body = client.get("/jobs/").content.decode()
    assert "电焊工" in body and "炉桥盐化有限公司" in body and "4000–6000" in body
    assert "仓库保管员" not in body
    assert "外县叉车司机" not in body  # the listing is limited to the county


def test_no_vacancies_shows_an_empty_message(client, site):
    assert "暂无符合条件的岗位" in client.get("/jobs/").content.decode()


def test_semantic_search_finds_a_published_vacancy(client, site, regions, users, django_capture_on_commit_callbacks):
    from jobs.services import employer_create, vacancy_create

    with django_capture_on_commit_callbacks(execute=True):
        employer = employer_create(actor=users["labour"], name="定远县宏达物业管理有限公司", region=regions["town_a"])
        vacancy_create(
            actor=users["labour"], employer=employer, title="小区保洁员", description="负责小区楼道和公共区域清洁",
            occupation="保洁员", region=regions["town_a"], pay_min="2000", pay_max="2400", hours="day",
            openings=3, closes_on=today() + dt.timedelta(days=20),
        )
    body = client.get("/jobs/", {"q": "打扫卫生的工作"}).content.decode()
    assert "小区保洁员" in body
    assert "与“打扫卫生的工作”相关的岗位" in body


def test_the_search_says_when_nothing_fits_shows_labels_and_stated_limits(
        client, site, regions, users, django_capture_on_commit_callbacks):
    from jobs.services import employer_create, vacancy_create

    with django_capture_on_commit_callbacks(execute=True):
        employer = employer_create(actor=users["labour"], name="炉桥盐化有限公司", region=regions["town_b"])
        for title, occupation, description, hours in (("电焊工（钢结构）", "电焊工", "钢结构厂房焊接", "day"),
                                                      ("工厂门卫", "保安员", "大门门卫，夜班为主", "night"),
                                                      ("超市安保员", "保安员", "超市防损巡查", "day")):
            vacancy_create(actor=users["labour"], employer=employer, title=title, description=description,
                           occupation=occupation, region=regions["town_b"], pay_min="3000", pay_max="5000",
                           hours=hours, openings=1, closes_on=today() + dt.timedelta(days=20))
    body = client.get("/jobs/", {"q": "今天天气怎么样"}).content.decode()
    assert "没有找到与您的描述相符的岗位" in body and "可以这样试试" in body and "电焊工" not in body
    body = client.get("/jobs/", {"q": "烧电焊"}).content.decode()
    assert "电焊工（钢结构）" in body and ("很合适" in body or "可以考虑" in body) and "相似度" not in body
    body = client.get("/jobs/", {"q": "保安 不能上夜班"}).content.decode()
    assert "与您说的条件不符的岗位" in body and "夜班：与您&#x27;不能上夜班&#x27;不符" in body


def test_open_courses_are_listed(client, site, regions):
    start = today() + dt.timedelta(days=10)
    CourseFactory(region=regions["county"], title="电动缝纫培训班", starts_on=start, ends_on=start + dt.timedelta(days=20))
    body = client.get("/training/").content.decode()
    assert "电动缝纫培训班" in body


def test_no_courses_shows_an_empty_message(client, site):
    assert "暂无正在招生的课程" in client.get("/training/").content.decode()
