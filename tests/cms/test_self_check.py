"""The self-check page: the case-work rules (benefits.rules.assess_household) with the standards in
force (2026: urban 260, rural 180 per person per month; default parameters, no earnings disregard)."""

import datetime as dt

import pytest

from cms import portal
from reemployment.core.models import ParameterSet

URL = "/self-check/"


def post(client, **fields):
    data = {"area": "urban", "household_size": "1", "properties": "1", "vehicles": "0"}
    data.update({k: str(v) for k, v in fields.items()})
    return client.post(URL, data)


@pytest.mark.parametrize("fields,amount,category", [
    # 2 persons, wages 300: per capita 150 < 260; urban C: (260 − 150) × 2 = 220.00
    ({"household_size": 2, "wages": "300"}, "220.00", "C"),
    # same with a seriously ill member: urban B: (260 × 2 − 300) × 1.3 = 286.00
    ({"household_size": 2, "wages": "300", "serious_illness": "on"}, "286.00", "B"),
    # all members 三无, no income: urban A: 260 × 1 = 260.00
    ({"household_size": 1, "all_three_no": "on"}, "260.00", "A"),
    # rural, 3 persons, no income: rural C: 70 × 3 = 210.00
    ({"area": "rural", "household_size": 3}, "210.00", "C"),
    # rural B (severe disability), 2 persons: 100 × 2 = 200.00
    ({"area": "rural", "household_size": 2, "severe_disability": "on"}, "200.00", "B"),
])
def test_eligible_households_get_category_and_amount(client, site, fields, amount, category):
    response = post(client, **fields)
    assert response.status_code == 200
    body = response.content.decode()
    assert "可能符合" in body
    assert f"{amount} 元" in body
    assert f"{category}类" in body


@pytest.mark.parametrize("fields,reason,limits", [
    # 2 persons, wages 600: per capita 300 ≥ 260
    ({"household_size": 2, "wages": "600"}, "未低于低保标准", {}),
    # a county that sets a deposit limit of 20 000 per person: 30 000 for 1 person > 20 000
    ({"household_size": 1, "deposits": "30000"}, "存款", {"deposit_limit_per_capita": "20000.00"}),
    # a county that allows no vehicle: a car is more than the 0 allowed
    ({"household_size": 1, "vehicles": "1"}, "机动车", {"max_vehicles": 0}),
])
def test_ineligible_households_are_told_why(client, site, regions, fields, reason, limits):
    if limits:
        ParameterSet.objects.create(region=regions["county"], valid_from=dt.date(2026, 1, 2), values=limits)
    body = post(client, **fields).content.decode()
    assert "可能不符合" in body
    assert reason in body


def test_by_default_assets_do_not_exclude(client, site):
    # No report states an asset limit and [R2] brought 三小车 owners into dibao: under the defaults a
    # person with a car, 30 000 in deposits and no income may qualify: urban C, 260 − 0 = 260.00
    body = post(client, household_size="1", deposits="30000", vehicles="1").content.decode()
    assert "可能符合" in body and "260.00 元" in body


def test_work_costs_are_deducted_from_wages(client, site):
    # 1 person, wages 400 with 200 documented travel costs: counted 200 < 260 → C: 260 − 200 = 60.00
    body = post(client, wages="400", work_costs="200").content.decode()
    assert "可能符合" in body and "60.00 元" in body


def test_work_costs_without_wages_is_a_form_error(client, site):
    body = post(client, work_costs="100").content.decode()
    assert "只有工资收入才能扣减务工开支" in body
    assert "测算结果" not in body


def test_invalid_input_shows_errors_not_a_result(client, site):
    body = post(client, household_size="0").content.decode()
    assert "测算结果" not in body
    assert 'class="error"' in body


def test_same_result_as_the_rules_called_directly(site):
    # the page's adapter and the rules agree: 3 persons, pension 150 → (260×3 − 150) = 630.00, urban C
    result, error = portal.self_check(
        {"area": "urban", "household_size": 3, "pension": 150, "properties": 1, "vehicles": 0},
        county_code="341125",
    )
    assert error is None
    assert result.eligible and result.category == "C" and str(result.monthly_amount) == "630.00"


def test_without_a_standard_the_page_says_so(client, regions):
    # no standards at all for the county: the rules cannot run; the page explains instead of failing
    import io

    from cms import demo

    demo.seed(io.StringIO())
    body = post(client, wages="100").content.decode()
    assert "没有生效的" in body


def test_self_check_in_english(client, site):
    body = client.post("/en/self-check/", {"area": "urban", "household_size": "2", "wages": "300",
                                           "properties": "1"}).content.decode()
    assert "may qualify" in body and "220.00 yuan" in body
