"""Search knows when nothing fits, respects stated limits and explains itself in whole words
(POST /api/v1/vacancies/search, real model and index)."""

import re

import pytest
from rest_framework.test import APIClient

from jobs import services
from jobs.matching.text import words
from tests.jobs.factories import make_employer, vacancy_fields

pytestmark = pytest.mark.django_db(transaction=True)

POSTS = {
    "weld": {"title": "电焊工（钢结构）", "occupation": "电焊工", "description": "钢结构厂房焊接，二保焊",
             "requirements": "有焊工证", "certificates": ["焊工证"], "hours": "day"},
    "gate_night": {"title": "工厂门卫", "occupation": "保安员", "description": "盐化厂大门门卫，夜班为主",
                   "requirements": "60岁以下", "certificates": [], "hours": "night"},
    "guard_day": {"title": "超市安保员", "occupation": "保安员", "description": "超市防损巡查，维护秩序",
                  "requirements": "身体健康", "certificates": [], "hours": "day"},
    "shelf": {"title": "超市理货员", "occupation": "理货员", "description": "整理货架、补货，全天站立走动",
              "requirements": "能吃苦", "certificates": [], "hours": "day"},
    "inspect": {"title": "电子厂检验员（目检）", "occupation": "质检员",
                "description": "坐着用放大镜检查电子元件外观，流水线旁长白班", "requirements": "视力好",
                "certificates": [], "hours": "day"},
    "clean": {"title": "小区保洁员", "occupation": "保洁员", "description": "小区楼道和公共区域清扫",
              "requirements": "勤快", "certificates": [], "hours": "day"},
}


@pytest.fixture
def posted(users, regions, encoder, django_capture_on_commit_callbacks):
    employer = make_employer(regions["town_b"])
    with django_capture_on_commit_callbacks(execute=True):
        return {key: services.vacancy_create(actor=users["labour"], **vacancy_fields(employer, regions["town_b"], **row))
                for key, row in POSTS.items()}


def search(query, **extra):
    response = APIClient().post("/api/v1/vacancies/search", {"query": query, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("query", ["今天天气怎么样", "我想申请低保", "asdkjhqwe zzz", "12345", "医保怎么报销"])
def test_a_query_that_fits_nothing_gets_an_empty_list_and_suggestions(posted, query):
    body = search(query)
    assert body["results"] == [] and body["excluded"] == []
    assert body["suggestions"] and any("保洁" in tip for tip in body["suggestions"])
    if "低保" in query or "医保" in query:
        assert "低保" in body["suggestions"][0]  # told where such questions go


def test_results_carry_a_label_for_people_and_a_score_for_machines(posted):
    body = search("烧电焊")
    first = body["results"][0]
    assert first["vacancy"] == posted["weld"].pk
    assert first["label"] in {"很合适", "可以考虑"} and 0.0 < first["score"] <= 1.0
    assert "职业对口：电焊工（您说“烧电焊”）" in first["reasons"]
    assert not any("相似度" in reason or re.search(r"0\.\d\d", reason) for r in body["results"] for reason in r["reasons"])
    assert body["suggestions"] == []


def test_a_stated_limit_is_respected_and_the_reason_shown(posted):
    body = search("保安 不能上夜班")
    ids = [r["vacancy"] for r in body["results"]]
    assert posted["guard_day"].pk in ids and posted["gate_night"].pk not in ids
    excluded = {r["vacancy"]: r for r in body["excluded"]}
    assert excluded[posted["gate_night"].pk]["conflicts"] == ["夜班：与您'不能上夜班'不符"]
    assert excluded[posted["gate_night"].pk]["label"] == "不符合您的条件"


def test_a_bad_back_is_not_sent_to_a_standing_job(posted):
    body = search("腰不好，不能长时间站立，想找个坐着的活")
    ids = [r["vacancy"] for r in body["results"][:5]]
    assert posted["shelf"].pk not in ids
    assert ids[0] == posted["inspect"].pk
    # set apart (when it would have ranked at all) with the reason quoting both sides
    for result in body["excluded"]:
        if result["vacancy"] == posted["shelf"].pk:
            assert result["conflicts"][0].endswith("与您'不能长时间站立'不符")


def test_reasons_quote_whole_words_never_fragments(posted):
    for query in ("超市理货员", "电子厂流水线", "会开叉车 有叉车证", "在超市当过理货员"):
        for result in search(query)["results"]:
            for reason in result["reasons"]:
                if reason.startswith("关键词匹配："):
                    quoted = reason.removeprefix("关键词匹配：").split("、")
                    assert all(word in words(query) for word in quoted), (query, reason)
                    assert not {"货员", "水线"} & set(quoted)
