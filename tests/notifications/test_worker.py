"""Queued SMS sent by a real Celery worker over a real broker to the local gateway stand-in, with a
real retry after a 503 (PostgreSQL + Redis CI pass)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from notifications.events import Draft
from notifications.models import Channel, Notification, Status
from notifications.services import write
from tests.core.test_worker import _database_url_for, _other_sessions
from tests.notifications.conftest import KEY_ID, SECRET, GatewayStandIn, prefer
from tests.waiting import WaitTimeout, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_and_retries(household):
    prefer(household)
    with GatewayStandIn() as gateway:
        gateway.script.append((503, {"Code": "ServiceUnavailable", "Message": "busy"}))
        env = dict(os.environ)
        env.update(DATABASE_URL=_database_url_for(connection.settings_dict), SMS_GATEWAY_URL=gateway.url,
                   SMS_ACCESS_KEY_ID=KEY_ID, SMS_ACCESS_KEY_SECRET=SECRET, SMS_SIGN_NAME="定远县民政局",
                   SMS_TEMPLATE_CODE="SMS_480000001", SMS_RETRY_SECONDS="1", SMS_MAX_ATTEMPTS="3",
                   SMS_TIMEOUT_SECONDS="5")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "reemployment", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip",
             "-n", f"ci-notify-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            with transaction.atomic():  # the send task is queued when this commits
                write("payroll.paid", [Draft(key="worker-1", title="低保金发放", template="%(month)s 已发放",
                                             values={"month": "2026年5月"}, household_id=household.pk)])
            sms = Notification.objects.get(channel=Channel.SMS)

            def sent() -> bool:
                sms.refresh_from_db()
                return sms.status == Status.SENT

            try:
                wait_until(sent, timeout=180, interval=0.3)
            except WaitTimeout:
                worker.send_signal(signal.SIGTERM)
                output = worker.communicate(timeout=30)[0]
                pytest.fail(f"SMS not sent: {sms.status} {sms.last_error}; worker output:\n{output[-3000:]}")
            assert sms.attempts == 2 and sms.provider_ref == "900619746936498440^0"
            assert [request["TemplateParam"] for request in gateway.requests] == ['{"content":"2026年5月 已发放"}'] * 2
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    wait_until(lambda: _other_sessions() == 0, timeout=30, message="the worker's database session never ended")
