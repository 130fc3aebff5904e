"""Date helpers shared by the rule modules: month arithmetic and ages.

Pure Python: no Django, no clock. Every function takes the dates it works on.

Month arithmetic follows the Civil Code's rule for periods counted in months
(《民法典》第二百零二条): the period ends on the *corresponding day* of the target
month, and when that month has no corresponding day, on its last day. So
``add_months(2026-01-31, 1) == 2026-02-28`` and ``add_months(2024-02-29, 12) == 2025-02-28``.
"""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ("add_months", "age_on", "days_in_month", "month_end", "month_start", "next_month_start")


def days_in_month(year: int, month: int) -> int:
    """Number of days in the month (28–31)."""
    return calendar.monthrange(year, month)[1]


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by ``months`` calendar months (may be negative), clamped to the month's end.

    The day of month is kept when the target month has it; otherwise the result is the
    last day of the target month: 2026-01-31 + 1 → 2026-02-28, 2026-03-31 − 1 → 2026-02-28.
    Note that clamping makes the operation not invertible: 2026-01-31 + 1 − 1 = 2026-01-28.
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be a whole number, got {months!r}")
    index = date.year * 12 + (date.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{date} + {months} months is out of the date range")
    return date.replace(year=year, month=month, day=min(date.day, days_in_month(year, month)))


def month_start(date: dt.date) -> dt.date:
    """The first day of the date's month (benefit months are stored as their first day)."""
    return date.replace(day=1)


def month_end(date: dt.date) -> dt.date:
    """The last day of the date's month."""
    return date.replace(day=days_in_month(date.year, date.month))


def next_month_start(date: dt.date) -> dt.date:
    """The first day of the month after the date's month (e.g. when a death stops payment, §2)."""
    return add_months(month_start(date), 1)


def age_on(birth_date: dt.date, as_of: dt.date) -> int:
    """Age in completed years (周岁) on ``as_of``.

    A person has age N from their N-th birthday itself: born 2010-05-01, on 2026-05-01 they
    are 16. Someone born on 29 February reaches a new age on 1 March in common years (their
    birthday has not come yet on 28 February). ``as_of`` before the birth date is an error.
    """
    if as_of < birth_date:
        raise ValueError(f"as_of {as_of} is before the birth date {birth_date}")
    years = as_of.year - birth_date.year
    if (as_of.month, as_of.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
