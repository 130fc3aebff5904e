"""Login throttling, security headers, and no ID numbers in logs."""

import logging

import pytest
from django.test import override_settings

from reemployment.core.logging import MaskPersonalData, mask_id_numbers
from reemployment.idcard import make_id_number
from tests.factories import UserFactory


@pytest.mark.django_db
def test_login_is_locked_after_five_failures(client, regions):
    UserFactory(username="victim", role="county", region=regions["county"])
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    # The fifth failure reaches AXES_FAILURE_LIMIT and locks the username + IP pair.
    assert client.post("/accounts/login/", {"username": "victim", "password": "wrong"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": "victim", "password": "pw-for-tests-123"})
    assert locked.status_code == 429  # locked out even with the right password
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_login_works_before_lockout(client, regions):
    UserFactory(username="someone", role="county", region=regions["county"])
    response = client.post("/accounts/login/", {"username": "someone", "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_csp_header_present(client):
    response = client.get("/api/v1/schema/")
    header = response.headers.get("Content-Security-Policy") or response.headers.get(
        "Content-Security-Policy-Report-Only")
    assert header and "default-src 'self'" in header and "object-src 'none'" in header


def test_id_numbers_are_masked_in_logs(caplog):
    import datetime as dt

    number = make_id_number("341125", dt.date(1980, 5, 17), 123)
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "login failed for %s at /me/%s/", (number, number),
                               None)
    assert MaskPersonalData().filter(record)
    message = record.getMessage()
    assert number not in message
    assert "341***********" + number[-4:] in message
    # Ordinary numbers (amounts, ids, region codes) are untouched.
    assert mask_id_numbers("payroll 341125 2026-11 total 1234567.00") == "payroll 341125 2026-11 total 1234567.00"


def test_the_console_handler_masks(capsys):
    import datetime as dt

    from django.conf import settings

    assert "mask_personal_data" in settings.LOGGING["handlers"]["console"]["filters"]
    number = make_id_number("341125", dt.date(1990, 1, 2), 8)
    logging.getLogger("reemployment.test").warning("user %s", number)
    captured = capsys.readouterr()
    assert number not in captured.err


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_404_page_does_not_echo_path_with_id_number(client):
    import datetime as dt

    number = make_id_number("341125", dt.date(1990, 1, 2), 8)
    response = client.get(f"/api/v1/regions/{number}/")
    assert number not in response.content.decode(errors="ignore")


@pytest.mark.django_db
def test_django_admin_is_for_superusers_only(client, regions):
    # is_staff alone (set by hand, or left over from another tool) must not open Django's admin.
    staff = UserFactory(username="staff-flag", role="county", region=regions["county"], is_staff=True)
    client.force_login(staff)
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
    assert client.get("/django-admin/core/user/").status_code == 302
    root = UserFactory(username="root", role="", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/django-admin/").status_code == 200
    inactive = UserFactory(username="gone", role="", is_staff=True, is_superuser=True, is_active=False)
    client.force_login(inactive)
    assert client.get("/django-admin/").status_code == 302
