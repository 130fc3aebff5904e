"""Schema-driven fuzzing of the API from its own OpenAPI document: no request may cause a 500.

Schemathesis generates requests (valid and invalid) for every operation in /api/v1/schema/
and sends them through the WSGI application in-process, as an authenticated county user (token)
and as an anonymous visitor. A server error on any of them fails the test. CI runs it on SQLite
and on PostgreSQL (which refuses NUL in text: the first pass cannot find what only the second can).
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

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
