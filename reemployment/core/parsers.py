"""JSON request bodies, parsed in one place: every malformed body is a 400 with a clear message.

Python's ``json`` accepts things no client of this service sends and that fail later, far from the
parser: a lone surrogate (``"\\ud800"``) is valid JSON but cannot be encoded back to UTF-8, so the
error page or response that echoes it fails (a 500, and with DEBUG on the debug page spent a minute
trying); ``[[[[…]]]]`` a few thousand deep raises ``RecursionError``; ``1e999`` becomes infinity, and a
5,000-digit integer trips Python's integer-conversion limit. :func:`parse_json` refuses all of them
with a :class:`BadJson` whose message a person can act on, before any view or serializer sees the
value. :class:`JSONParser` is the project's DRF parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``);
a plain Django view that reads JSON calls :func:`parse_json` on ``request.body``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

# Deeper than any body this API accepts (the estimate is 4 levels deep); a limit far below Python's
# recursion limit keeps every later recursive walk (serializers, renderers) safe.
MAX_DEPTH = 32
# Digits of an integer: more than any count, amount or id here (money is at most 12 digits).
MAX_INTEGER_DIGITS = 30
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadJson(ValueError):
    """A request body that is not acceptable JSON; ``message`` says why, in the user's language."""

    def __init__(self, message: str, status_code: int = 400):
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def max_body_bytes() -> int:
    """The largest JSON body accepted: Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB by default)."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise BadJson(_("JSON 中的整数位数过多（最多 %(digits)s 位）") % {"digits": MAX_INTEGER_DIGITS})
    return int(text)


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJson(_("JSON 中的数值超出范围：%(value)s") % {"value": text[:40]})
    return value


def _constant(name: str):
    raise BadJson(_("JSON 中不允许 %(name)s（请使用数字或 null）") % {"name": name})


def _check(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings (values or keys) holding a lone surrogate."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise BadJson(_("JSON 字符串中含有无效的 Unicode 字符（单独的代理项 \\ud800–\\udfff）"))
        elif isinstance(item, (list, dict)):
            if depth > MAX_DEPTH:
                raise BadJson(_("JSON 嵌套过深（最多 %(depth)s 层）") % {"depth": MAX_DEPTH})
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def parse_json(raw: bytes | str, *, encoding: str = "utf-8") -> Any:
    """The value of a JSON request body, or :class:`BadJson` (status 400; 413 when too large)."""
    limit = max_body_bytes()
    if len(raw) > limit:
        raise BadJson(_("请求体过大（最多 %(size)s 字节）") % {"size": limit}, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(raw, bytes):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise BadJson(_("请求体不是有效的 %(encoding)s 文本") % {"encoding": encoding}) from None
    else:
        text = raw
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_number, parse_constant=_constant)
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(_("JSON 嵌套过深（最多 %(depth)s 层）") % {"depth": MAX_DEPTH}) from None
    except json.JSONDecodeError as exc:
        raise BadJson(_("JSON 格式错误（第 %(line)s 行第 %(column)s 列）：%(reason)s")
                      % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}) from None
    except ValueError as exc:  # e.g. a number Python refuses to convert
        raise BadJson(_("JSON 格式错误：%(reason)s") % {"reason": str(exc)[:100]}) from None
    _check(value)
    return value


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser through :func:`parse_json`: a malformed body is a 400 with the reason."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read(max_body_bytes() + 1) if stream is not None else b""
        try:
            return parse_json(raw, encoding=encoding)
        except BadJson as exc:
            if exc.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE:
                raise BodyTooLarge(exc.message) from None
            raise ParseError(exc.message) from None
