"""POST /api/v1/eligibility/estimate: the public self-check, same rules as the case work."""

import pytest
from django.core.cache import cache

from benefits import public
from benefits.api import EstimateView
from reemployment.core.api import PublicThrottle
from reemployment.core.errors import DomainError

URL = "/api/v1/eligibility/estimate"
ADULT = {"birth_date": "1970-05-01", "sex": "M", "three_no": False, "serious_illness": False,
         "severe_disability": False, "single_parent": False, "university_student": False, "work_ability": True}


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


def body(**overrides):
    data = {"region": "341125100001", "as_of": "2026-03-02", "members": [ADULT, {**ADULT, "sex": "F"}],
            "incomes": [{"member": 0, "kind": "wages", "monthly_amount": "300.00"}]}
    data.update(overrides)
    return data


def test_estimate_urban_c(client, policy):
    response = client.post(URL, body(), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    # 300 / 2 = 150 per person < 260; urban C: (260 − 150) × 2 = 220.00
    assert data == {**data, "eligible": True, "area": "urban", "standard": "260.00", "household_size": 2,
                    "counted_monthly_income": "300.00", "per_capita_income": "150.00", "category": "C",
                    "monthly_amount": "220.00"}
    assert data["explanation"] and "transition" not in data


def test_estimate_rural_b_uses_the_region_area(client, policy):
    sick = {**ADULT, "serious_illness": True}
    data = client.post(URL, body(region="341125101", members=[sick], incomes=[]),
                       content_type="application/json").json()
    # rural B: 100 × 1 = 100.00
    assert (data["area"], data["category"], data["monthly_amount"]) == ("rural", "B", "100.00")


@pytest.mark.parametrize("amount, eligible, monthly", [
    ("260.00", False, "0.00"),   # exactly the standard: not below it → not eligible
    ("259.99", True, "0.01"),    # 260 − 259.99 = 0.01
])
def test_boundary_exactly_at_the_standard(client, policy, amount, eligible, monthly):
    data = client.post(URL, body(members=[ADULT], incomes=[{"member": 0, "kind": "pension", "monthly_amount": amount}]),
                       content_type="application/json").json()
    assert (data["eligible"], data["monthly_amount"]) == (eligible, monthly)
    assert data["category"] == ("C" if eligible else None)


def test_earnings_disregard_applies_through_parameters(client, policy):
    from tests.benefits.factories import add_policy

    add_policy(policy["county"], valid_from=__import__("datetime").date(2026, 2, 1),
               values={"earnings_disregard_fixed": "200.00"})
    data = client.post(URL, body(members=[ADULT], incomes=[{"member": 0, "kind": "wages", "monthly_amount": "300.00"}]),
                       content_type="application/json").json()
    # 300 − 200 disregard = 100 counted; (260 − 100) × 1 = 160.00
    assert (data["counted_monthly_income"], data["monthly_amount"]) == ("100.00", "160.00")


def test_county_code_with_an_area(client, policy):
    data = client.post(URL, body(region="341125", area="rural", members=[ADULT], incomes=[]),
                       content_type="application/json").json()
    assert (data["area"], data["monthly_amount"]) == ("rural", "70.00")  # rural C 70 × 1


def test_transition_part(client, policy):
    data = client.post(URL, body(current_monthly_amount="220.00", new_monthly_earnings="800.00"),
                       content_type="application/json").json()
    # earnings 800 ≥ threshold 800: half of 220 = 110.00 for 6 months from 2026-04-01
    assert data["transition"]["monthly_amount"] == "110.00"
    assert (data["transition"]["months"], data["transition"]["until"]) == (6, "2026-09-30")


@pytest.mark.parametrize("payload, field", [
    ({"members": []}, "members"),
    ({"region": "abc"}, "region"),
    ({"region": "999999"}, "region"),
    ({"region": "341125"}, "region"),  # a county has no single area
    ({"as_of": "2026-13-01"}, "as_of"),
    ({"as_of": "2024-01-01"}, "as_of"),  # no standard in force then
    ({"incomes": [{"member": 5, "kind": "wages", "monthly_amount": "1.00"}]}, "incomes"),
    ({"incomes": [{"member": 0, "kind": "lottery", "monthly_amount": "1.00"}]}, "incomes"),
    ({"incomes": [{"member": 0, "kind": "wages", "monthly_amount": "-1.00"}]}, "incomes"),
    ({"members": [{**ADULT, "sex": "X"}]}, "members"),
    ({"current_monthly_amount": "100.00"}, "new_monthly_earnings"),
])
def test_invalid_input_gets_400_with_field_errors(client, policy, payload, field):
    response = client.post(URL, body(**payload), content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_no_login_needed_and_throttled(client, policy, monkeypatch):
    assert PublicThrottle in EstimateView.throttle_classes
    assert "public" in PublicThrottle.THROTTLE_RATES
    monkeypatch.setattr(PublicThrottle, "THROTTLE_RATES", {"public": "2/minute"})
    codes = [client.post(URL, body(), content_type="application/json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_one_estimator_answers_the_api_body(policy):
    assert public.estimate_payload(body())["monthly_amount"] == "220.00"
    with pytest.raises(DomainError) as exc:
        public.estimate_payload(body(members=[]))
    assert "members" in exc.value.field_errors
