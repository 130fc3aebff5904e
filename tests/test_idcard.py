"""Resident ID numbers, GB 11643-1999 (reemployment.idcard)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from benefits.models import validate_id_number
from reemployment.idcard import (
    InvalidIdNumber,
    check_character,
    make_id_number,
    mask_id_number,
    mask_name,
    parse_id_number,
)

# The standard's own example: 北京市朝阳区, born 1949-12-31, sequence 002 (a woman), check X.
EXAMPLE = "11010519491231002X"


def test_parse_the_standard_example():
    result = parse_id_number(EXAMPLE)
    assert result.number == EXAMPLE
    assert result.region_code == "110105"
    assert result.birth_date == dt.date(1949, 12, 31)
    assert result.sex == "F"


def test_lowercase_x_and_spaces_are_accepted():
    assert parse_id_number(" 11010519491231002x ").number == EXAMPLE


@pytest.mark.parametrize(
    ("region", "birth", "sequence", "sex"),
    [
        ("110105", dt.date(1949, 12, 31), 2, "F"),
        ("341200", dt.date(1980, 2, 29), 17, "M"),
        ("530102", dt.date(2010, 5, 1), 0, "F"),
        ("650100", dt.date(1900, 1, 1), 999, "M"),
    ],
)
def test_make_and_parse_round_trip(region, birth, sequence, sex):
    number = make_id_number(region, birth, sequence)
    assert len(number) == 18
    parsed = parse_id_number(number)
    assert (parsed.region_code, parsed.birth_date, parsed.sex) == (region, birth, sex)


def test_make_reproduces_the_example():
    assert make_id_number("110105", dt.date(1949, 12, 31), 2) == EXAMPLE


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # weighted sum mod 11 = 2 → X
        ("44052418800101001", "4"),
    ],
)
def test_check_character(first17, check):
    assert check_character(first17) == check


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "18"),
        ("11010519491231002", "18"),  # 17 characters
        ("11010519491231002XX", "18"),
        ("1101051949123100AX", "非法字符"),
        ("X10105194912310021", "非法字符"),
        ("110105194902300029", "出生日期"),  # 30 February
        ("110105189912310029", "不合理"),  # before 1900
        ("110105194912310021", "校验位应为X"),  # wrong check character
        (None, "18"),
    ],
)
def test_invalid_numbers(text, message):
    with pytest.raises(InvalidIdNumber, match=message):
        parse_id_number(text)


def test_the_error_carries_its_msgid_and_values():
    with pytest.raises(InvalidIdNumber) as info:
        parse_id_number("110105194912310021")
    assert (info.value.message, info.value.values) == ("校验位应为%(check)s", {"check": "X"})
    assert str(info.value) == "校验位应为X"


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "校验位应为X"),
    ("en", "the check character should be X"),
])
def test_django_shows_the_error_in_the_request_language(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as info:
        validate_id_number("110105194912310021")
    assert info.value.messages == [expected]


def test_invalid_number_is_a_value_error():
    assert issubclass(InvalidIdNumber, ValueError)


@pytest.mark.parametrize(
    ("region", "sequence"),
    [("11010", 1), ("11010A", 1), ("110105", -1), ("110105", 1000)],
)
def test_make_id_number_rejects_bad_parts(region, sequence):
    with pytest.raises(ValueError):
        make_id_number(region, dt.date(1990, 1, 1), sequence)


def test_check_character_needs_17_digits():
    with pytest.raises(InvalidIdNumber):
        check_character("1234")


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (EXAMPLE, "110***********002X"),
        ("1234567", "*******"),
        ("12345678", "123*5678"),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("李", "李"),
        ("", ""),
        (None, ""),
        (" 王五 ", "王*"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked
