"""Fixtures of the notification tests: a household with a login and a phone, its contact
preference, and a real HTTP server standing in for the SMS gateway (Aliyun SendSms)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.parse
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.models import Channel, ContactPreference, Notification
from notifications.sms import aliyun_signature
from reemployment.core.models import Role
from tests.benefits.factories import add_policy, make_household
from tests.factories import UserFactory

PHONE = "13905501234"
KEY_ID, SECRET = "test-key-id", "test-key-secret"
LANGUAGES = ["zh-hans", "en"]


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in-process in these tests even when a real broker is configured (the CI's second pass),
    except in the worker test, which sends them to a real worker."""
    if not request.node.get_closest_marker("worker"):
        request.getfixturevalue("eager_celery")


@pytest.fixture
def policy(regions):
    """定远县 standards from 2026-01-01: urban 260, rural 180 (default parameters)."""
    add_policy(regions["county"], urban="260.00", rural="180.00", valid_from=dt.date(2026, 1, 1))
    return regions


@pytest.fixture
def household(policy):
    """Two persons in 城南社区 with a login and a mobile phone; wages 300 → 150 a head < 260:
    urban C, (260 − 150) × 2 = 220.00."""
    household = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "300.00")], phone=PHONE,
                               bank_account="6228481234567890", bank_name="农业银行定远支行")
    household.account = UserFactory(username=f"r-{household.number}", role=Role.RECIPIENT)
    household.save(update_fields=["account"])
    return household


def prefer(household=None, *, user=None, language="zh-hans", sms=True, phone=""):
    """The person's preference, written directly (the service is tested on its own)."""
    lookup = {"household": household} if household is not None else {"user": user}
    preference, _ = ContactPreference.objects.update_or_create(**lookup, defaults={
        "language": language, "sms_consent": sms, "preferred_channel": Channel.SMS if sms else Channel.INBOX,
        "phone": phone})
    return preference


@pytest.fixture(params=LANGUAGES)
def language(request, household):
    """Each event test runs once per language: the household reads Chinese, then English; SMS consented."""
    prefer(household, language=request.param)
    return request.param


def outbox(**filters) -> list[Notification]:
    return list(Notification.objects.filter(**filters).order_by("id"))


def one_per_channel(event: str, **filters) -> tuple[Notification, Notification]:
    """The event's notifications: exactly one inbox row and one SMS (the household consented)."""
    rows = outbox(event=event, **filters)
    channels = sorted(row.channel for row in rows)
    assert channels == ["inbox", "sms"], [(row.channel, row.text) for row in rows]
    inbox = next(row for row in rows if row.channel == "inbox")
    sms = next(row for row in rows if row.channel == "sms")
    assert inbox.text == sms.text and inbox.language == sms.language
    return inbox, sms


# --- the SMS gateway stand-in ---------------------------------------------------------------------------

OK = (200, {"Message": "OK", "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990", "BizId": "900619746936498440^0",
            "Code": "OK"})


class GatewayStandIn:
    """A local HTTP server answering like Aliyun SendSms. ``script`` holds the next answers, each
    ``(status, json body)`` or ``("sleep", seconds, then)``; after it runs out every call gets ``OK``.
    It checks the request's signature with the shared secret, as the provider does."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: deque = deque()
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                with stand_in.lock:
                    stand_in.requests.append(params)
                    answer = stand_in.script.popleft() if stand_in.script else OK
                if answer[0] == "sleep":
                    time.sleep(answer[1])
                    answer = answer[2]
                status, payload = answer
                signature = params.pop("Signature", "")
                if status == 200 and signature != aliyun_signature("POST", params, SECRET):
                    status, payload = 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    """The stand-in, configured as the SMS gateway (timeout 0.5 s; retries without waiting)."""
    with GatewayStandIn() as stand_in:
        settings.SMS_GATEWAY_URL = stand_in.url
        settings.SMS_SIGNATURE_SCHEME = "aliyun"
        settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = KEY_ID, SECRET
        settings.SMS_SIGN_NAME, settings.SMS_TEMPLATE_CODE = "定远县民政局", "SMS_480000001"
        settings.SMS_REGION_ID = "cn-hangzhou"
        settings.SMS_TIMEOUT_SECONDS = 0.5
        settings.SMS_MAX_ATTEMPTS = 3
        settings.SMS_RETRY_SECONDS = 0
        yield stand_in
