"""Celery tasks of notifications: thin wrappers around the services (ids in, idempotent)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from notifications import services
from reemployment.core.models import today


@shared_task(name="notifications.expand_event")
def expand_event(event: str, payload: dict) -> int:
    """Write the notifications of an event about many households (payroll lock, a standard raise,
    the nightly periodic reviews), set-based; a second run writes nothing new."""
    return services.expand(event, payload)


@shared_task(name="notifications.send_sms", bind=True, max_retries=50)
def send_sms(self, notification_ids: list[int]) -> dict:
    """Send queued SMS; those the gateway could not take now (timeout, 5xx, flow control) are tried
    again by this task with a growing delay, until ``SMS_MAX_ATTEMPTS`` (then they fail)."""
    outcome = services.sms_deliver_many(list(notification_ids))
    # In-process (no broker, the embedded default) the retries run at once: Celery's eager mode
    # propagates Retry instead of re-running the task. Each try counts, so this ends.
    while outcome["retry"] and self.request.is_eager:
        again = services.sms_deliver_many(outcome["retry"])
        outcome = {name: (again[name] if name == "retry" else outcome[name] + again[name]) for name in outcome}
    if outcome["retry"]:
        raise self.retry(args=(outcome["retry"],), countdown=services.retry_delay(self.request.retries))
    return outcome


@shared_task(name="notifications.resend_stale_sms")
def resend_stale_sms() -> int:
    """Queued SMS older than ten minutes whose task was lost are sent again (beat)."""
    ids = services.stale_queued_sms(dt.timedelta(minutes=10))
    for start in range(0, len(ids), services.SEND_CHUNK):
        send_sms.delay(ids[start:start + services.SEND_CHUNK])
    return len(ids)


@shared_task(name="notifications.send_daily_reminders")
def send_daily_reminders(as_of: str | None = None) -> dict:
    """Transition benefit ending within 30 days; course starting within 3 days (beat, daily)."""
    return services.reminders_send(as_of=dt.date.fromisoformat(as_of) if as_of else today())
