"""Fine bounds [R2]: serious wrongful payment 1–3× the amount; false certificate ≤ 1,000 yuan."""

from decimal import Decimal

import pytest

from benefits.integrity.rules import FALSE_CERTIFICATE, WRONGFUL_PAYMENT, fine_bounds, fine_errors

D = Decimal
BOUNDS = {"multiplier_min": D("1"), "multiplier_max": D("3"), "false_certificate_max": D("1000.00")}


@pytest.mark.parametrize(
    "amount, fine, allowed",
    [
        (D("600.00"), D("600.00"), True),  # exactly 1 × 600 = 600.00
        (D("600.00"), D("599.99"), False),  # just under 1×
        (D("600.00"), D("1800.00"), True),  # exactly 3 × 600 = 1800.00
        (D("600.00"), D("1800.01"), False),  # just over 3×
        (D("600.00"), D("1200.00"), True),  # 2× inside the range
        (D("600.00"), D("0.00"), True),  # serious case decided without a fine
        (D("333.33"), D("999.99"), True),  # 3 × 333.33 = 999.99
        (D("333.33"), D("1000.00"), False),  # one cent over 999.99
    ],
)
def test_serious_wrongful_payment_fine_is_one_to_three_times(amount, fine, allowed):
    errors = fine_errors(kind=WRONGFUL_PAYMENT, serious=True, amount_wrongly_paid=amount, fine=fine, **BOUNDS)
    assert (errors == []) is allowed


@pytest.mark.parametrize(
    "fine, allowed",
    [
        (D("1000.00"), True),  # exactly the 1,000-yuan maximum
        (D("1000.01"), False),  # just over
        (D("0.01"), True),
        (D("0.00"), True),  # no fine
        (D("-0.01"), False),
    ],
)
def test_false_certificate_fine_is_at_most_1000(fine, allowed):
    errors = fine_errors(kind=FALSE_CERTIFICATE, serious=False, amount_wrongly_paid=D("0"), fine=fine, **BOUNDS)
    assert (errors == []) is allowed


def test_a_case_that_is_not_serious_is_not_fined():
    assert fine_errors(kind=WRONGFUL_PAYMENT, serious=False, amount_wrongly_paid=D("600.00"), fine=D("0.00"),
                       **BOUNDS) == []
    assert fine_errors(kind=WRONGFUL_PAYMENT, serious=False, amount_wrongly_paid=D("600.00"), fine=D("600.00"),
                       **BOUNDS) != []


def test_wrongful_payment_needs_an_amount():
    assert fine_errors(kind=WRONGFUL_PAYMENT, serious=True, amount_wrongly_paid=D("0.00"), fine=D("0.00"),
                       **BOUNDS) != []


def test_bounds_follow_the_parameters():
    # 1.5 × 100.005 = 150.0075 → 150.01 (half-up); 2 × 100.005 = 200.01
    bounds = fine_bounds(kind=WRONGFUL_PAYMENT, serious=True, amount_wrongly_paid=D("100.005"),
                         multiplier_min=D("1.5"), multiplier_max=D("2"), false_certificate_max=D("500"))
    assert (bounds.minimum, bounds.maximum) == (D("150.01"), D("200.01"))
    with pytest.raises(ValueError):
        fine_bounds(kind="other", serious=True, amount_wrongly_paid=D("1"), **BOUNDS | {"multiplier_min": D("1")})
