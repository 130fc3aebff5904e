"""Stated limits vs a vacancy's demands (jobs/matching/limits.py): what is read from the words, and
which conflicts are hard (the vacancy is set apart, with the reason) or soft."""

import pytest

from jobs.matching.limits import (
    age_in_text,
    chinese_number,
    conflicts,
    licence_allows,
    seeker_limits,
    vacancy_demands,
)


@pytest.mark.parametrize(("text", "key", "phrase"), [
    ("不能上夜班", "night", "不能上夜班"),
    ("只能白班，要照顾老人", "night", "只能白班"),
    ("电子厂干了三年，不想再倒夜班了", "night", "不想再倒夜班"),
    ("腰不好，不能长时间站立", "lift", "腰不好"),
    ("腰不好，不能长时间站立", "stand", "不能长时间站立"),
    ("站不久", "stand", "站不久"),
    ("搬不了重东西", "lift", "搬不了重东西"),
    ("我恐高", "height", "恐高"),
    ("我没有驾照", "drive", "没有驾照"),
    ("不会电脑", "computer", "不会电脑"),
    ("不会骑电动车", "ride", "不会骑电动车"),
    ("做保姆，不住家", "live_in", "不住家"),
    ("只能干半天", "half_day", "只能干半天"),
    ("要接孩子放学", "children", "接孩子"),
    ("要接孩子放学", "night", "接孩子"),        # a parent who fetches children works no nights
])
def test_seeker_limits_from_words(text, key, phrase):
    assert seeker_limits(text).limits[key] == phrase


def test_no_limits_in_plain_wishes():
    assert not seeker_limits("会电焊，想在炉桥上班").limits


@pytest.mark.parametrize(("text", "age"), [("今年58了", 58), ("五十八岁", 58), ("五十多岁", 55), ("62岁", 62),
                                           ("四十多岁，没技术", 45), ("干了20年", None)])
def test_age_in_text(text, age):
    # "五十多岁" is read as the middle of the decade: 50 + 5 = 55
    assert age_in_text(text)[0] == age


@pytest.mark.parametrize(("text", "value"), [("十八", 18), ("五十八", 58), ("六十", 60), ("45", 45), ("十", 10)])
def test_chinese_number(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize(("held", "accepted", "ok"), [
    ("C1", ("C1",), True),
    ("B2", ("C1",), True),        # B2 also allows C1 vehicles
    ("A2", ("B2",), True),
    ("C1", ("A2", "B2"), False),  # a small-car licence does not allow a heavy lorry
    ("B2", ("A2", "B2"), True),   # either class is accepted
    ("C2", ("C1",), False),
])
def test_licence_classes(held, accepted, ok):
    assert licence_allows(held, accepted) is ok


def test_vacancy_demands_from_text_and_occupation():
    night = vacancy_demands(title="电子厂普工", description="两班倒，一个月倒一次", hours="shift")
    assert night.demands["night"] == "两班倒"
    no_night = vacancy_demands(title="超市收银", description="早晚两班轮换，无夜班", hours="shift")
    assert "night" not in no_night.demands
    standing = vacancy_demands(title="超市理货员", description="整理货架", occupation_demands=["stand", "lift"])
    assert standing.demands == {"stand": "久站", "lift": "搬重物"}
    sitting = vacancy_demands(title="电子厂检验员", description="坐着用放大镜检查", occupation_demands=["stand"])
    assert "stand" not in sitting.demands and sitting.sitting
    occasional = vacancy_demands(title="配送司机", description="县城配送，偶尔帮忙卸货", certificates=["驾驶证"],
                                 requirements="C1驾照，两年驾龄")
    assert occasional.demands["lift"] == "卸货" and "lift" in occasional.soft
    assert occasional.licence == ("C1",) and occasional.demands["drive"] == "C1驾照"
    ages = vacancy_demands(title="普工", requirements="18-45岁，能适应倒班")
    assert (ages.age_min, ages.age_max) == (18, 45)
    assert vacancy_demands(title="门卫", requirements="男，60岁以下").sex == "M"
    assert vacancy_demands(title="检验员", requirements="女性优先").sex == ""   # a preference, not a requirement
    assert vacancy_demands(title="保姆", description="吃住在雇主家").demands["live_in"] == "吃住在雇主家"
    assert vacancy_demands(title="焊工", requirements="会二保焊就行，有证优先").skilled
    assert not vacancy_demands(title="普工", requirements="无经验可培训").skilled


def _reasons(text, vacancy, **limits):
    vacancy = dict(vacancy)
    region_codes = vacancy.pop("region_codes", ["341125", "341125100"])
    found = conflicts(seeker_limits(text, **limits), vacancy_demands(**vacancy), hours=vacancy.get("hours", ""),
                      region_codes=region_codes, township="定城镇")
    return [(c.reason, c.hard) for c in found]


def test_night_shift_against_no_nights():
    assert _reasons("不能上夜班", {"title": "工厂门卫", "hours": "night"}) == [("夜班：与您'不能上夜班'不符", True)]
    # a shift pattern that the text says has nights is a hard conflict; one without is soft
    assert _reasons("不能上夜班", {"title": "组装工", "description": "两班倒", "hours": "shift"})[0][1] is True
    assert _reasons("不能上夜班", {"title": "收银员", "description": "早晚两班", "hours": "shift"}) == [
        ("倒班：与您'不能上夜班'不完全相符", False)]


def test_standing_lifting_height_and_computer():
    assert _reasons("腰不好，不能长时间站立", {"title": "洗碗工", "description": "全天站着干"}) == [
        ("站着干：与您'不能长时间站立'不符", True)]
    assert _reasons("我恐高", {"title": "空调安装", "description": "外机要上高楼外墙"})[0][1] is True
    assert _reasons("不会电脑", {"title": "文员", "requirements": "熟练使用Excel"}) == [
        ("Excel：与您'不会电脑'不符", True)]
    assert _reasons("腰不好", {"title": "配送司机", "description": "偶尔帮忙卸货"}) == [("卸货：与您'腰不好'不符", False)]


def test_licence_and_age_and_township():
    assert _reasons("我没有驾照", {"title": "送货司机", "certificates": ["驾驶证"], "requirements": "C1驾照"}) == [
        ("要求C1驾照：与您'没有驾照'不符", True)]
    assert _reasons("我只有C1驾照", {"title": "货车司机", "requirements": "A2或B2驾驶证"}) == [
        ("要求A2、B2驾照：与您的C1驾照不符", True)]
    assert _reasons("有B2驾照", {"title": "配送司机", "requirements": "C1驾照"}) == []
    # 58 > 45: outside 18-45岁
    assert _reasons("今年58了", {"title": "普工", "requirements": "18-45岁"}) == [
        ("年龄要求（18-45岁）：与您的年龄（今年58）不符", True)]
    assert _reasons("", {"title": "门卫", "requirements": "60岁以下"}, age=60) == []   # "以下" includes 60
    assert _reasons("", {"title": "门卫", "requirements": "60岁以下"}, age=61)[0][1] is True
    strict = {"named_townships": ["341125101"]}
    assert _reasons("只想在炉桥镇上找活", {"title": "保洁", "region_codes": ["341125", "341125100"]}, **strict) == [
        ("工作地点在定城镇：与您'只想在炉桥镇上找活'不符", True)]
    assert _reasons("想在炉桥找活", {"title": "保洁", "region_codes": ["341125", "341125100"]}, **strict) == []


def test_profile_hours_and_sex():
    day_only = {"accepted_hours": ["day"]}
    assert _reasons("", {"title": "分拣员", "hours": "night"}, **day_only) == [
        ("夜班：不在您可接受的班次（白班）内", True)]
    assert _reasons("", {"title": "保洁", "hours": "flexible"}, **day_only) == []
    assert _reasons("", {"title": "门卫", "requirements": "男，60岁以下"}, sex="F") == [("岗位写明限男性", True)]
    assert _reasons("", {"title": "门卫", "requirements": "男，60岁以下"}, sex="M") == []
