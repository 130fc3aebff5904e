"""Fuzzing of the API: no request may cause a 500, and a malformed JSON body is a quick 400.

Schemathesis generates requests (valid and invalid) for every operation in /api/v1/schema/
and sends them through the WSGI application in-process, as an authenticated county user (token)
and as an anonymous visitor. A server error on any of them fails the test. CI runs it on SQLite
and on PostgreSQL (which refuses NUL in text: the first pass cannot find what only the second can).
"""

import json
import os
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import EndpointEnumerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.parsers import JSONParser
from schemathesis.checks import not_a_server_error

from tests.security.world import detail_target

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI handler, which closes "old" database connections when a
    request ends; inside the test's transaction that would close the test's own connection (Django's
    test client disconnects the same signal for the same reason)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
# 5 generated requests per operation in CI; FUZZ_EXAMPLES=50 for a deeper exploratory run.
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5")), deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, regions, users):
    # Token auth (no CSRF), so generated bodies reach the views' validation, not a CSRF 403.
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=users["county"])
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    case.validate_response(response, checks=[not_a_server_error])
    anonymous = case.call()
    case.validate_response(anonymous, checks=[not_a_server_error])


# ------------------------------------------------------------------ malformed JSON on every JSON endpoint
#
# Schemathesis sends what the schema describes (and a little around it); these are the shapes a probe
# found past it: bodies Python's json parses, or fails to parse, in ways that used to end in a 500.
# Every endpoint that accepts a JSON body (found in the URL configuration, not listed by hand) gets
# each one, as a superuser (past every permission check, to the parser); the record of a detail route
# is the world's (tests/security/world.py).


def _accepts_json(callback) -> bool:
    return any(issubclass(parser, JSONParser) for parser in callback.cls.parser_classes)


JSON_WRITES = [(path, method, callback) for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints()
               if path.startswith("/api/v1/") and method in ("POST", "PUT", "PATCH") and _accepts_json(callback)]

# Malformed: each must be refused by the parser with 400 and a reason, before any view code runs.
MALFORMED = {
    "lone surrogate": '{"region": "341125100001", "members": [{"birth_date": "1970-05-01", "sex": "\\ud800"}], '
                      '"query": "\\ud800", "note": "\\ud800", "skills": "\\ud800"}',
    "deep arrays": "[" * 5000 + "]" * 5000,
    "deep objects": '{"members": ' * 3000 + "1" + "}" * 3000,
    "huge integer": '{"k": 1' + "0" * 5000 + ', "query": "x"}',
    "infinite number": '{"k": 1e999, "query": "电焊"}',
    "NaN": '{"k": NaN, "query": "电焊"}',
    "truncated": '{"query": "电焊',
    "not JSON": "query=电焊",
    "invalid UTF-8": b'{"query": "\xff\xfe"}',
}
# Valid JSON of the wrong shape or type: validation's business — an answer, never a 500.
WRONG_TYPES = {
    "a list": "[]",
    "a string": '"电焊"',
    "a number": "12",
    "null": "null",
    "wrong field types": '{"region": ["341125"], "members": "two", "incomes": {"0": 1}, "query": {"a": 1}, '
                         '"k": "many", "note": ["x"], "skills": 12, "member": "me", "seeker": -1, "vacancy": 1e300, '
                         '"as_of": 20260301, "outcome": true, "valid": "maybe"}',
    "large numbers": '{"k": 100000000000000000000000000000, "members": [{"birth_date": "1970-05-01", "sex": "M"}], '
                     '"incomes": [{"member": 999999999999999999999999999999, "kind": "wages", '
                     '"monthly_amount": 1e300}], "region": "341125100001", "pay_min": 1e308}',
}


def test_json_endpoints_found():
    found = {path for path, _, _ in JSON_WRITES}
    assert {"/api/v1/eligibility/estimate", "/api/v1/vacancies/search/"} <= found, found
    assert "/api/v1/vacancies/import/" not in found  # multipart only


def _post(client, path, method, callback, body):
    url = detail_target(path, callback)[0] if "{" in path else path
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    started = time.perf_counter()
    response = getattr(client, method.lower())(url, data=data, content_type="application/json")
    return response, time.perf_counter() - started


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "callback"), JSON_WRITES, ids=[f"{m} {p}" for p, m, _ in JSON_WRITES])
def test_malformed_json_is_a_quick_400(path, method, callback, world, client):
    client.force_login(world["admin"])
    failures = []
    for name, body in MALFORMED.items():
        response, seconds = _post(client, path, method, callback, body)
        detail = response.json().get("detail") if response.headers.get("Content-Type", "").startswith(
            "application/json") else None
        if response.status_code != 400 or not detail or seconds > 2:
            failures.append(f"{name}: {response.status_code} in {seconds:.2f}s {response.content[:200]!r}")
    for name, body in WRONG_TYPES.items():
        response, seconds = _post(client, path, method, callback, body)
        if response.status_code >= 500 or seconds > 5:
            failures.append(f"{name}: {response.status_code} in {seconds:.2f}s {response.content[:200]!r}")
    assert not failures, f"{method} {path}:\n" + "\n".join(failures)


# Any JSON value at all, with the awkward parts over-represented: lone surrogates, huge and
# non-finite numbers, deep nesting (json.dumps writes a lone surrogate as "\ud800", NaN as NaN).
_AWKWARD_TEXT = st.one_of(st.text(max_size=20), st.sampled_from(["\ud800", "\udfff", "a\ud800b", "", "\x00"]))
_NUMBERS = st.one_of(st.integers(min_value=-(10 ** 40), max_value=10 ** 40), st.floats(allow_nan=True,
                                                                                         allow_infinity=True))
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBERS, _AWKWARD_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(["query", "region", "members", "sex", "k", "note",
                                                                "incomes", "monthly_amount", "skills", "member"])
                                               | _AWKWARD_TEXT, children, max_size=4)),
    max_leaves=20,
)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "callback"), JSON_WRITES, ids=[f"{m} {p}" for p, m, _ in JSON_WRITES])
def test_any_json_body_gets_an_answer_not_a_500(path, method, callback, world):
    from django.test import Client

    client = Client()
    client.force_login(world["admin"])

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5")) * 4, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(value=_JSON, nest=st.integers(min_value=0, max_value=3))
    def check(value, nest):
        body = "[" * nest * 400 + json.dumps(value) + "]" * nest * 400  # sometimes far too deep
        response, _ = _post(client, path, method, callback, body)
        assert response.status_code < 500, (body[:300], response.status_code, response.content[:300])

    check()
