"""Job-seeker obligation and refusal sanction (DESIGN.md §3 [R4])."""

from __future__ import annotations

import datetime as dt

import pytest

from jobs.rules import Refusal, jobseeker_obligation, sanction_due
from reemployment.policy.parameters import DEFAULTS, build_parameters

D = dt.date


@pytest.mark.parametrize(
    ("birth", "sex", "as_of", "age", "obliged"),
    [
        # 16 on the 16th birthday → 16 ≥ 16 → obliged
        pytest.param(D(2010, 5, 1), "M", D(2026, 5, 1), 16, True, id="16-on-birthday"),
        # the day before: 15 < 16 → not obliged
        pytest.param(D(2010, 5, 1), "F", D(2026, 4, 30), 15, False, id="15-day-before"),
        # 男48岁以下 includes 48 (以下 counts the number, 民法典 art. 1259):
        # man aged 47 (day before his 48th birthday): 16 ≤ 47 ≤ 48 → obliged
        pytest.param(D(1978, 7, 10), "M", D(2026, 7, 9), 47, True, id="man-47"),
        # man on his 48th birthday: 16 ≤ 48 ≤ 48 → obliged
        pytest.param(D(1978, 7, 10), "M", D(2026, 7, 10), 48, True, id="man-48-on-birthday"),
        # man the day before his 49th birthday: still 48 ≤ 48 → obliged
        pytest.param(D(1978, 7, 10), "M", D(2027, 7, 9), 48, True, id="man-48-day-before-49"),
        # man on his 49th birthday: 49 > 48 → not obliged
        pytest.param(D(1978, 7, 10), "M", D(2027, 7, 10), 49, False, id="man-49-on-birthday"),
        # 女38岁以下 includes 38: woman aged 37 → 37 ≤ 38 → obliged
        pytest.param(D(1988, 12, 31), "F", D(2026, 12, 30), 37, True, id="woman-37"),
        # woman on her 38th birthday: 38 ≤ 38 → obliged
        pytest.param(D(1988, 12, 31), "F", D(2026, 12, 31), 38, True, id="woman-38-on-birthday"),
        # woman the day before her 39th birthday: still 38 ≤ 38 → obliged
        pytest.param(D(1988, 12, 31), "F", D(2027, 12, 30), 38, True, id="woman-38-day-before-39"),
        # woman on her 39th birthday: 39 > 38 → not obliged
        pytest.param(D(1988, 12, 31), "F", D(2027, 12, 31), 39, False, id="woman-39-on-birthday"),
        # the limits differ by sex: 40-year-old man obliged, woman not
        pytest.param(D(1986, 1, 1), "M", D(2026, 1, 1), 40, True, id="man-40"),
        pytest.param(D(1986, 1, 1), "F", D(2026, 1, 1), 40, False, id="woman-40"),
        # leap-day birthday: 16 only on 1 March in a common year
        pytest.param(D(2008, 2, 29), "M", D(2024, 2, 28), 15, False, id="leap-day-28-feb"),
        pytest.param(D(2008, 2, 29), "M", D(2024, 2, 29), 16, True, id="leap-day-29-feb"),
        pytest.param(D(2009, 2, 28), "M", D(2025, 2, 28), 16, True, id="common-year"),
    ],
)
def test_obligation_by_age_and_sex(birth, sex, as_of, age, obliged):
    result = jobseeker_obligation(birth, sex, True, as_of, DEFAULTS, area="urban")
    assert result.age == age
    assert result.obliged is obliged


def test_no_work_ability_no_obligation():
    # 30-year-old man, no work ability → not obliged whatever the age
    result = jobseeker_obligation(D(1996, 1, 1), "M", False, D(2026, 1, 1), DEFAULTS, area="urban")
    assert not result.obliged
    assert result.explanation == "30 岁，无劳动能力：无求职登记义务"


def test_obligation_explanation_and_limits():
    result = jobseeker_obligation(D(1996, 1, 1), "F", True, D(2026, 1, 1), DEFAULTS, area="urban")
    assert (result.obliged, result.min_age, result.max_age) == (True, 16, 38)
    assert result.explanation == "女，30 岁（16 岁以上、38 岁以下），有劳动能力：应进行求职登记"
    at_limit = jobseeker_obligation(D(1978, 7, 10), "M", True, D(2026, 7, 10), DEFAULTS, area="urban")
    assert at_limit.explanation == "男，48 岁（16 岁以上、48 岁以下），有劳动能力：应进行求职登记"
    over = jobseeker_obligation(D(1978, 7, 10), "M", True, D(2027, 7, 10), DEFAULTS, area="urban")
    assert over.explanation == "男，49 岁，超过 48 岁：无求职登记义务"


def test_county_parameters():
    params = build_parameters(
        {"jobseeker_min_age": 18, "jobseeker_max_age_male": 55, "jobseeker_max_age_female": 50}
    )
    # 17 < 18 → not obliged; 54-year-old man < 55 → obliged; 49-year-old woman < 50 → obliged
    assert not jobseeker_obligation(D(2009, 1, 1), "M", True, D(2026, 1, 1), params, area="urban").obliged
    assert jobseeker_obligation(D(1972, 1, 1), "M", True, D(2026, 1, 1), params, area="urban").obliged
    assert jobseeker_obligation(D(1977, 1, 1), "F", True, D(2026, 1, 1), params, area="urban").obliged


@pytest.mark.parametrize(
    ("area", "areas", "obliged"),
    [
        # [R4] speaks of 城市低保: by default (jobseeker_obligation_areas = [urban]) a rural
        # working-age man with work ability (30, 16 ≤ 30 ≤ 48) is not obliged …
        pytest.param("rural", None, False, id="rural-default"),
        pytest.param("urban", None, True, id="urban-default"),
        # … and is when his county lists rural
        pytest.param("rural", ["urban", "rural"], True, id="rural-county-lists-rural"),
        # a county could even oblige rural only
        pytest.param("urban", ["rural"], False, id="urban-county-lists-rural-only"),
    ],
)
def test_obligation_follows_the_county_areas(area, areas, obliged):
    params = DEFAULTS if areas is None else build_parameters({"jobseeker_obligation_areas": areas})
    result = jobseeker_obligation(D(1996, 1, 1), "M", True, D(2026, 1, 1), params, area=area)
    assert result.obliged is obliged
    if not obliged:
        assert "不适用于" in result.explanation


def test_obligation_areas_are_checked_when_loaded():
    with pytest.raises(ValueError, match="jobseeker_obligation_areas"):
        build_parameters({"jobseeker_obligation_areas": ["town"]})
    assert build_parameters({"jobseeker_obligation_areas": ["rural", "urban", "rural"]}).jobseeker_obligation_areas == (
        "rural", "urban")


def test_invalid_inputs():
    with pytest.raises(ValueError, match="sex"):
        jobseeker_obligation(D(1990, 1, 1), "male", True, D(2026, 1, 1), DEFAULTS, area="urban")
    with pytest.raises(TypeError, match="work_ability"):
        jobseeker_obligation(D(1990, 1, 1), "M", "yes", D(2026, 1, 1), DEFAULTS, area="urban")
    with pytest.raises(ValueError, match="area"):
        jobseeker_obligation(D(1990, 1, 1), "M", True, D(2026, 1, 1), DEFAULTS, area="town")
    with pytest.raises(ValueError, match="before the birth date"):
        jobseeker_obligation(D(2027, 1, 1), "M", True, D(2026, 1, 1), DEFAULTS, area="urban")


NO = Refusal(valid_reason=False)
VALID = Refusal(valid_reason=True, reason="照顾重病家属")


@pytest.mark.parametrize(
    ("refusals", "count", "due"),
    [
        pytest.param([], 0, False, id="none"),
        pytest.param([NO], 1, False, id="one"),  # 1 < 2
        pytest.param([NO, NO], 2, True, id="two"),  # 2 ≥ 2 (两次以上 includes two)
        pytest.param([NO, NO, NO], 3, True, id="three"),
        pytest.param([VALID, VALID, VALID], 0, False, id="valid-reasons-do-not-count"),
        pytest.param([NO, VALID], 1, False, id="one-without-reason"),  # 1 < 2
        pytest.param([VALID, NO, VALID, NO], 2, True, id="mixed"),  # 2 ≥ 2
    ],
)
def test_refusal_sanction(refusals, count, due):
    result = sanction_due(refusals, DEFAULTS)
    assert result.refusals_without_valid_reason == count
    assert result.due is due
    assert result.threshold == 2


def test_refusal_sanction_threshold_parameter_and_iterables():
    params = build_parameters({"refusals_before_sanction": 3})
    assert not sanction_due(iter([NO, NO]), params).due  # 2 < 3
    assert sanction_due((NO, NO, NO), params).due  # 3 ≥ 3


def test_refusal_sanction_explanation():
    result = sanction_due([NO, VALID, NO], DEFAULTS)
    assert result.explanation == (
        "无正当理由拒绝推荐岗位 2 次（共拒绝 3 次），达到 2 次应提出处理建议：应提出停发或不予受理的建议"
    )


def test_refusal_sanction_needs_refusals():
    with pytest.raises(TypeError):
        sanction_due([False, False], DEFAULTS)


NOT_OBLIGED = Refusal(valid_reason=False, reason="不想去", obliged=False)


@pytest.mark.parametrize(
    ("refusals", "count", "due"),
    [
        # two refusals without reason, both while obliged: 2 ≥ 2 → due
        pytest.param([NO, NO], 2, True, id="both-obliged"),
        # one made while obliged, one after the seeker passed the age limit: 1 < 2 → not due
        pytest.param([NO, NOT_OBLIGED], 1, False, id="one-after-age-limit"),
        # none made while obliged: 0 < 2 → not due
        pytest.param([NOT_OBLIGED, NOT_OBLIGED, NOT_OBLIGED], 0, False, id="never-obliged"),
    ],
)
def test_refusal_sanction_counts_only_refusals_while_obliged(refusals, count, due):
    result = sanction_due(refusals, DEFAULTS)
    assert (result.refusals_without_valid_reason, result.due) == (count, due)
