"""Queries from a search phrase or a profile: is it about work, which trades it asks for and how strongly."""

import numpy as np
import pytest

from jobs.matching.queries import occupation_wishes, profile_query, text_query

VECTOR = np.zeros(384, dtype=np.float32)
TOWNSHIPS = {"341125100": "定城镇", "341125101": "炉桥镇"}


@pytest.mark.parametrize(("text", "about_work"), [
    ("今天天气怎么样", False),
    ("我想申请低保", False),
    ("低保一个月能领多少钱", False),
    ("养老保险怎么交", False),
    ("asdfgh qwer", False),
    ("12345", False),
    ("你好", False),
    ("烧电焊", True),
    ("找个轻松点的工作", True),
    ("炉桥镇", True),                 # a place: show what is there
    ("不能上夜班", True),             # a stated limit is about work
    ("低保户能找什么工作", True),      # a benefit word with a job word
    ("有叉车证", True),
])
def test_is_a_search_phrase_about_work(text, about_work):
    assert text_query(text, VECTOR, TOWNSHIPS).about_work is about_work


def test_wishes_weigh_what_is_asked_for_over_past_experience():
    wishes = {w.name: w.weight for w in occupation_wishes("以前在饭店洗碗，现在想做保洁")}
    assert wishes == {"洗碗工": 0.6, "保洁员": 1.0}
    # the words say the person wants a change: the old trade counts little
    wishes = {w.name: w.weight for w in occupation_wishes("做过十年厨师，现在腰不好，想换个轻松点的")}
    assert wishes == {"厨师": 0.3}
    # desired occupations on a profile count fully; an unknown entry asks for no coded trade
    assert [(w.name, w.weight) for w in occupation_wishes("", ["保安员", "不限"])] == [("保安员", 1.0)]


def test_a_profile_reads_limits_from_physical_limits_and_age_and_sex_from_the_record():
    query = profile_query(text="求职意向：保洁员", vector=VECTOR, desired=["保洁员"], hours=["day"],
                          extra="腰不好，不能久站", age=57, sex="F", township_names=TOWNSHIPS)
    assert query.limits.limits == {"stand": "不能久站", "lift": "腰不好"}
    assert (query.limits.age, query.limits.sex, query.limits.accepted_hours) == (57, "F", ("day",))
    assert query.hours_ruled_out == ["night", "shift"] and query.holds_all_certificates
