"""The one JSON parser (reemployment.core.parsers): what Python's json accepts but the service must not."""

import time

import pytest

from reemployment.core.parsers import MAX_DEPTH, BadJson, parse_json


@pytest.mark.parametrize(("body", "reason"), [
    ('{"sex": "\\ud800"}', "代理项"),                      # a lone high surrogate: valid JSON, not encodable
    ('{"sex": "\\udfff"}', "代理项"),                      # a lone low surrogate
    ('{"\\ud800": 1}', "代理项"),                           # in a key
    ('["a", ["b", "\\ud800x"]]', "代理项"),                 # nested
    ("[" * 5000 + "]" * 5000, "嵌套过深"),                 # RecursionError in json
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "嵌套过深"),  # just over the limit
    ('{"k": ' * 40 + "1" + "}" * 40, "嵌套过深"),          # objects count too
    ('{"k": 1e999}', "超出范围"),                           # infinity
    ('{"k": -1e999}', "超出范围"),
    ('{"k": NaN}', "NaN"),
    ('{"k": Infinity}', "Infinity"),
    ('{"k": 1' + "0" * 5000 + "}", "位数过多"),            # beyond Python's int conversion limit
    ('{"k": 1' + "0" * 40 + "}", "位数过多"),
    ('{"k": ', "格式错误"),                                 # truncated
    ("{'k': 1}", "格式错误"),                               # not JSON
    ("", "格式错误"),
])
def test_refused_with_a_reason(body, reason):
    started = time.perf_counter()
    with pytest.raises(BadJson) as exc:
        parse_json(body.encode("utf-8"))
    assert reason in exc.value.message
    assert exc.value.status_code == 400
    assert time.perf_counter() - started < 0.5


def test_invalid_utf8_bytes():
    with pytest.raises(BadJson) as exc:
        parse_json(b'{"name": "\xff\xfe"}')
    assert "utf-8" in exc.value.message


def test_too_large_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with pytest.raises(BadJson) as exc:
        parse_json(b'{"k": "' + b"x" * 200 + b'"}')
    assert exc.value.status_code == 413


@pytest.mark.parametrize(("body", "value"), [
    ('{"sex": "M", "name": "张三"}', {"sex": "M", "name": "张三"}),
    ('"\\ud83d\\ude00"', "\U0001F600"),                     # a surrogate *pair* is one character: fine
    ("[" * MAX_DEPTH + "]" * MAX_DEPTH, list),             # exactly the limit: allowed
    ('{"amount": "300.00", "n": 12, "x": -0.5}', {"amount": "300.00", "n": 12, "x": -0.5}),
    ("1" + "0" * 29, 10 ** 29),                             # 30 digits: allowed
])
def test_accepted(body, value):
    parsed = parse_json(body.encode("utf-8"))
    if isinstance(value, type):
        assert isinstance(parsed, value)
    else:
        assert parsed == value
