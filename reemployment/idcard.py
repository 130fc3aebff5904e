"""Resident identity card numbers (居民身份证号码), GB 11643-1999.

18 characters: 6-digit administrative code of the place of first registration,
8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men, even for women),
and a check character computed with ISO 7064 MOD 11-2 (``X`` stands for 10).
Pure Python: no Django, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages`` (the kernel's catalogue, reemployment/core/locale) without
    importing Django: the Django code that shows an :class:`InvalidIdNumber` translates it."""
    return message


class InvalidIdNumber(ValueError):
    """The text is not a valid 18-digit resident ID number; the message says why.

    ``message`` is the Chinese msgid and ``values`` fill its %(name)s fields; ``str()`` is the Chinese
    text. Django code shows it in the request's language: ``gettext(exc.message) % exc.values``."""

    def __init__(self, message: str, values: dict | None = None):
        self.message = message
        self.values = values or {}
        super().__init__(message % self.values)


@dataclass(frozen=True)
class IdNumber:
    number: str
    region_code: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdNumber(gettext_noop("前17位必须是数字"))
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id_number(text: str) -> IdNumber:
    """Validate and decode an ID number. Raises InvalidIdNumber with a readable reason."""
    number = (text or "").strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber(gettext_noop("身份证号码应为18位，实际%(length)s位"), {"length": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(gettext_noop("身份证号码含有非法字符"))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(gettext_noop("出生日期%(date)s无效"), {"date": number[6:14]}) from exc
    if birth.year < 1900:
        raise InvalidIdNumber(gettext_noop("出生日期%(date)s不合理"), {"date": number[6:14]})
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(gettext_noop("校验位应为%(check)s"), {"check": expected})
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def make_id_number(region_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid ID number (for demo data and tests). Odd sequence = man, even = woman."""
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError("region_code must be 6 digits")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence must be 0..999")
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def mask_id_number(number: str) -> str:
    """Show only the first 3 and last 4 characters: 341***********123X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(name: str) -> str:
    """Public notices (公示) show a name partly hidden: 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
