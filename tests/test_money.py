"""Money helpers (reemployment.money): Decimal only, one half-up rounding rule (DESIGN.md §2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reemployment.money import format_yuan, round_yuan, to_decimal


@pytest.mark.parametrize(
    ("value", "result"),
    [
        ("150", Decimal(150)),
        (" 150.50 ", Decimal("150.50")),
        (150, Decimal(150)),
        (Decimal("0.005"), Decimal("0.005")),
        ("-3.2", Decimal("-3.2")),
    ],
)
def test_to_decimal(value, result):
    assert to_decimal(value) == result
    assert isinstance(to_decimal(value), Decimal)


def test_to_decimal_keeps_the_same_decimal():
    value = Decimal("1.10")
    assert to_decimal(value) is value


@pytest.mark.parametrize("value", [1.5, 0.1, True, False, None, [1], b"1"])
def test_to_decimal_refuses_floats_and_other_types(value):
    with pytest.raises(TypeError):
        to_decimal(value)


@pytest.mark.parametrize("value", ["abc", "", "1,000", "NaN", "Infinity", "-inf"])
def test_to_decimal_refuses_text_that_is_not_an_amount(value):
    with pytest.raises(ValueError):
        to_decimal(value)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.005", "0.01"),  # half-up: .005 → .01
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # half-even would give 0.02
        ("2.675", "2.68"),  # (a float would give 2.67)
        ("21.645", "21.65"),  # urban B 16.65 × 1.30
        ("0.0049999", "0.00"),
        ("100.125", "100.13"),
        ("-0.005", "-0.01"),  # half away from zero
        ("150", "150.00"),
        ("149.9975", "150.00"),
    ],
)
def test_round_yuan_half_up(value, rounded):
    result = round_yuan(Decimal(value))
    assert result == Decimal(rounded)
    assert str(result) == rounded


def test_round_yuan_accepts_strings_refuses_floats():
    assert round_yuan("1.005") == Decimal("1.01")
    with pytest.raises(TypeError):
        round_yuan(1.005)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(3), "3.00"),
        (Decimal("1234.5"), "1234.50"),
        (Decimal("0.125"), "0.13"),
        (Decimal(0), "0.00"),
        (Decimal("-7.1"), "-7.10"),
    ],
)
def test_format_yuan(value, text):
    assert format_yuan(value) == text
