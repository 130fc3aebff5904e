"""Month arithmetic and ages (reemployment.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from reemployment.dates import add_months, age_on, days_in_month, month_end, month_start, next_month_start

D = dt.date


@pytest.mark.parametrize(
    ("date", "months", "result"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # clamped to February's end
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 31), 12, D(2027, 1, 31)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 11, 30), 2, D(2027, 1, 30)),  # across the year end
        (D(2026, 12, 31), 1, D(2027, 1, 31)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 1, 15), -25, D(2023, 12, 15)),
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
    ],
)
def test_add_months(date, months, result):
    assert add_months(date, months) == result


def test_add_months_is_not_invertible_after_clamping():
    # 2026-01-31 + 1 → 2026-02-28; − 1 → 2026-01-28
    assert add_months(add_months(D(2026, 1, 31), 1), -1) == D(2026, 1, 28)


@pytest.mark.parametrize("months", [1.0, "1", True])
def test_add_months_needs_whole_months(months):
    with pytest.raises(TypeError):
        add_months(D(2026, 1, 1), months)


def test_add_months_out_of_range():
    with pytest.raises(OverflowError):
        add_months(D(9999, 12, 1), 1)


def test_month_helpers():
    assert month_start(D(2026, 2, 17)) == D(2026, 2, 1)
    assert month_end(D(2026, 2, 17)) == D(2026, 2, 28)
    assert month_end(D(2028, 2, 1)) == D(2028, 2, 29)
    assert next_month_start(D(2026, 1, 31)) == D(2026, 2, 1)
    assert next_month_start(D(2026, 12, 5)) == D(2027, 1, 1)
    assert next_month_start(D(2026, 12, 1)) == D(2027, 1, 1)
    assert days_in_month(2026, 4) == 30


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        (D(2010, 5, 1), D(2026, 5, 1), 16),  # the 16th birthday itself counts
        (D(2010, 5, 1), D(2026, 4, 30), 15),  # the day before
        (D(1978, 7, 10), D(2026, 7, 10), 48),
        (D(1978, 7, 10), D(2026, 7, 9), 47),
        (D(1988, 12, 31), D(2026, 12, 31), 38),
        (D(1988, 12, 31), D(2026, 12, 30), 37),
        (D(2008, 2, 29), D(2026, 2, 28), 17),  # leap-day birthday: not yet on 28 February
        (D(2008, 2, 29), D(2026, 3, 1), 18),  # … but on 1 March in a common year
        (D(2008, 2, 29), D(2028, 2, 29), 20),
        (D(2026, 1, 1), D(2026, 1, 1), 0),  # born that day
    ],
)
def test_age_on(birth, as_of, age):
    assert age_on(birth, as_of) == age


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(D(2026, 1, 2), D(2026, 1, 1))
