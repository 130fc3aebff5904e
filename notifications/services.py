"""State changes of notifications: writing the outbox, sending SMS, reading, contact preferences.

* :func:`handle_event` is the handler the kernel's ``notify`` calls (registered in ``apps.py``): it
  writes the notifications of one occurrence in the reporting transaction (a transactional outbox: a
  change that rolls back tells nobody), or, for an event about many households, queues
  ``notifications.expand_event`` to write them set-based once the transaction has committed.
* :func:`write` turns drafts into rows, set-based: one inbox row per draft (always; "sent" when
  written), one SMS row per draft whose recipient consented to SMS and prefers it, rendered in the
  recipient's language; ``bulk_create(ignore_conflicts=True)`` on the unique
  (event key, recipient, channel) keeps every notification single. Queued SMS are sent by the
  ``notifications.send_sms`` task after commit.
* :func:`sms_deliver` sends one queued SMS (consent checked again at sending), counts the attempt and
  records the outcome: sent, failed with the gateway's reason, or still queued for a retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from benefits.models import Household
from benefits.services._common import CASEWORK_ROLES, HOUSEHOLD
from notifications import sms
from notifications.events import EVENTS, Draft, format_value
from notifications.models import NOTIFICATION_TRANSITIONS, Channel, ContactPreference, Notification, Status
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, User
from reemployment.core.permissions import actor_user, require

logger = logging.getLogger(__name__)

BATCH = 1000  # drafts rendered and inserted per round
SEND_CHUNK = 200  # SMS ids per send task
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- from events to the outbox --------------------------------------------------------------------

def handle_event(event: str, *, key: str, context: dict) -> None:
    """The kernel's notify handler (``reemployment.core.notify``)."""
    spec = EVENTS.get(event)
    if spec is None:
        logger.warning("notification event %s is not in the catalogue (notifications/events.py)", event)
        return
    payload = spec.payload(context) if spec.payload is not None else None
    if payload is not None:
        from notifications.tasks import expand_event

        transaction.on_commit(lambda: expand_event.delay(event, payload))
        return
    if spec.build is not None:
        write(event, spec.build(key, context))


def expand(event: str, payload: dict) -> int:
    """Write the notifications of an event about many households (``notifications.expand_event``)."""
    spec = EVENTS[event]
    with transaction.atomic():
        return write(event, spec.expand(payload))


def _render_active(draft: Draft, translated: dict | None = None) -> tuple[str, str]:
    """Render in the active language; ``translated`` caches the translated title and template per
    language switch (a batch of a bulk event repeats the same two messages thousands of times)."""
    if translated is None:
        translated = {}
    title = translated.get(id(draft.title)) or translated.setdefault(id(draft.title), str(draft.title)[:100])
    template = translated.get(id(draft.template)) or translated.setdefault(id(draft.template), str(draft.template))
    values = {name: format_value(value) for name, value in draft.values.items()}
    return title, template % values


def render(draft: Draft, language: str) -> tuple[str, str]:
    """The title and text of a draft in ``language``."""
    with translation.override(language):
        return _render_active(draft)


def _preferences(drafts: list[Draft]) -> tuple[dict, dict, dict, dict]:
    household_ids = {d.household_id for d in drafts if d.household_id}
    user_ids = {d.user_id for d in drafts if d.user_id and not d.household_id}
    households = dict(Household.objects.filter(pk__in=household_ids).values_list("pk", "phone"))
    users = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    by_household, by_user = {}, {}
    if household_ids or user_ids:
        for preference in ContactPreference.objects.filter(Q(household_id__in=household_ids) | Q(user_id__in=user_ids)):
            if preference.household_id:
                by_household[preference.household_id] = preference
            else:
                by_user[preference.user_id] = preference
    return households, users, by_household, by_user


def sms_address(preference: ContactPreference | None, household_phone: str = "") -> str:
    """Where SMS may go: a mobile number, with the person's consent and SMS as their channel; else ''."""
    if preference is None or not preference.sms_consent or preference.preferred_channel != Channel.SMS:
        return ""
    phone = (preference.phone or household_phone or "").strip()
    return phone if MOBILE.match(phone) else ""


def write(event: str, drafts: Iterable[Draft]) -> int:
    """Insert the notifications of ``drafts`` (set-based, idempotent); queue the new SMS after commit.
    Returns the number of rows written now. Per batch of drafts: the recipients, their preferences and
    the rows already written are read in one query each; texts are rendered with one language switch
    per language; the rows are inserted with ``bulk_create``."""
    written = 0
    for batch in _chunks(drafts, BATCH):
        households, users, household_prefs, user_prefs = _preferences(batch)
        existing = set(Notification.objects.filter(event_key__in={f"{event}:{d.key}"[:200] for d in batch})
                       .values_list("event_key", "recipient_key", "channel"))
        by_language: dict[str, list] = defaultdict(list)
        for draft in batch:
            if draft.household_id:
                if draft.household_id not in households:
                    continue
                phone, preference = households[draft.household_id], household_prefs.get(draft.household_id)
            else:
                if draft.user_id not in users:
                    continue
                phone, preference = "", user_prefs.get(draft.user_id)
            event_key = f"{event}:{draft.key}"[:200]
            address = sms_address(preference, phone)
            channels = [channel for channel in (Channel.INBOX, Channel.SMS if address else None)
                        if channel and (event_key, draft.recipient_key, channel) not in existing]
            if channels:
                language = preference.language if preference and preference.language in LANGUAGE_CODES \
                    else settings.LANGUAGE_CODE
                by_language[language].append((draft, event_key, address, channels))
        now = timezone.now()
        rows, seen = [], set()
        for language, items in by_language.items():
            with translation.override(language):
                translated: dict = {}
                for draft, event_key, address, channels in items:
                    if (event_key, draft.recipient_key) in seen:  # the same occurrence twice in one batch
                        continue
                    seen.add((event_key, draft.recipient_key))
                    title, text = _render_active(draft, translated)
                    common = {"event": event, "event_key": event_key, "recipient_key": draft.recipient_key,
                              "household_id": draft.household_id,
                              "user_id": None if draft.household_id else draft.user_id,
                              "member_id": draft.member_id, "language": language, "title": title, "text": text}
                    for channel in channels:
                        if channel == Channel.INBOX:
                            rows.append(Notification(**common, channel=channel, status=Status.SENT, sent_at=now))
                        else:
                            rows.append(Notification(**common, channel=channel, address=address,
                                                     status=Status.QUEUED))
        if not rows:
            continue
        Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        written += len(rows)
        new_sms = {(row.event_key, row.recipient_key) for row in rows if row.channel == Channel.SMS}
        if new_sms:
            sms_ids = [pk for pk, event_key, recipient_key in Notification.objects.filter(
                event_key__in={key for key, _recipient in new_sms}, channel=Channel.SMS, status=Status.QUEUED,
                created_at__gte=now).values_list("pk", "event_key", "recipient_key")
                if (event_key, recipient_key) in new_sms]
            _queue_sms(sms_ids)
    return written


def _queue_sms(ids: list[int]) -> None:
    from notifications.tasks import send_sms

    for chunk in _chunks(sorted(ids), SEND_CHUNK):
        transaction.on_commit(lambda chunk=chunk: send_sms.delay(chunk))


# --- sending SMS ----------------------------------------------------------------------------------

def _move(notification: Notification, status: str) -> None:
    if status not in NOTIFICATION_TRANSITIONS[notification.status]:
        raise Conflict(_("通知状态不能从“%(before)s”变为“%(after)s”") % {
            "before": Status(notification.status).label, "after": Status(status).label}, code="invalid_transition")
    notification.status = status


def _consent_still_given(notification: Notification) -> bool:
    preference = ContactPreference.objects.filter(
        **({"household_id": notification.household_id} if notification.household_id
           else {"user_id": notification.user_id})).first()
    return preference is not None and preference.sms_consent


def max_attempts() -> int:
    return max(int(getattr(settings, "SMS_MAX_ATTEMPTS", 5)), 1)


def retry_delay(retries: int) -> int:
    """Seconds before the next try: SMS_RETRY_SECONDS doubled per retry, at most an hour."""
    return min(int(getattr(settings, "SMS_RETRY_SECONDS", 60)) * 2 ** retries, 3600)


def sms_deliver(notification_id: int, gateway=None) -> str:
    """Send one queued SMS. Returns "sent", "failed", "retry" (still queued) or "skipped" (not queued,
    or another worker has it)."""
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(pk=notification_id, channel=Channel.SMS, status=Status.QUEUED).first())
        if notification is None:
            return "skipped"
        if not _consent_still_given(notification):
            _move(notification, Status.FAILED)
            notification.last_error = _("本人已撤回短信通知的同意，未发送")
            notification.save(update_fields=["status", "last_error"])
            return "failed"
        notification.attempts += 1
        result = (gateway or sms.gateway()).send(phone=notification.address, text=notification.text,
                                                 reference=str(notification.pk))
        fields = ["status", "attempts", "last_error", "provider_ref", "sent_at"]
        if result.sent:
            _move(notification, Status.SENT)
            notification.sent_at = timezone.now()
            notification.provider_ref = result.reference
            outcome = "sent"
        elif result.transient and notification.attempts < max_attempts():
            notification.last_error = result.error[:500]
            outcome = "retry"
        else:
            _move(notification, Status.FAILED)
            prefix = _("已尝试 %(n)s 次：") % {"n": notification.attempts} if result.transient else ""
            notification.last_error = (prefix + result.error)[:500]
            outcome = "failed"
        notification.save(update_fields=fields)
    if outcome != "sent":
        logger.warning("SMS notification %s: %s (attempt %s): %s", notification.pk, outcome, notification.attempts,
                       notification.last_error)
    return outcome


def sms_deliver_many(ids: list[int]) -> dict:
    """Send each queued SMS of ``ids`` with one gateway; the ids to try again are under "retry"."""
    gateway = sms.gateway()
    outcome: dict = {"sent": 0, "failed": 0, "skipped": 0, "retry": []}
    for notification_id in ids:
        result = sms_deliver(notification_id, gateway=gateway)
        if result == "retry":
            outcome["retry"].append(notification_id)
        else:
            outcome[result] += 1
    return outcome


def stale_queued_sms(older_than: dt.timedelta) -> list[int]:
    """Queued SMS whose task was lost (a worker died, a broker restarted): the sweeper sends them again."""
    return list(Notification.objects.filter(channel=Channel.SMS, status=Status.QUEUED,
                                            created_at__lt=timezone.now() - older_than,
                                            attempts__lt=max_attempts()).order_by("pk").values_list("pk", flat=True))


# --- daily reminders -------------------------------------------------------------------------------

TRANSITION_NOTICE_DAYS = 30
COURSE_NOTICE_DAYS = 3


def reminders_send(*, as_of: dt.date) -> dict:
    """The day's reminders (beat): transitions ending within 30 days, courses starting within 3.
    Each once per period or course start, however often it runs."""
    from notifications.events import course_starting_drafts, transition_ending_drafts

    with transaction.atomic():
        transitions = write("transition.ending", transition_ending_drafts(as_of, TRANSITION_NOTICE_DAYS))
        courses = write("training.course_starting", course_starting_drafts(as_of, COURSE_NOTICE_DAYS))
    return {"transition_ending": transitions, "course_starting": courses}


# --- the inbox -------------------------------------------------------------------------------------

def _own(actor, notification: Notification) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if notification.user_id:
        return notification.user_id == actor.pk
    return notification.household_id is not None and Household.objects.filter(
        pk=notification.household_id, account=actor).exists()


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient has read an inbox message (idempotent). Only the recipient's own login."""
    notification = Notification.objects.select_for_update(of=("self",)).get(pk=notification.pk)
    if not _own(actor, notification) or notification.channel != Channel.INBOX:
        raise PermissionDenied(_("这不是您的消息"))
    if notification.status == Status.READ:
        return notification
    _move(notification, Status.READ)
    notification.read_at = timezone.now()
    notification.save(update_fields=["status", "read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Every unread inbox message of the actor's own (household's) inbox, set-based."""
    from notifications.selectors import inbox_for

    return inbox_for(actor).filter(status=Status.SENT).update(status=Status.READ, read_at=timezone.now())


# --- contact preferences ---------------------------------------------------------------------------

def _may_edit(actor, household: Household | None, user: User | None) -> None:
    if household is not None:
        if household.account_id and getattr(actor, "pk", None) == household.account_id:
            return
        require(actor, household.region, CASEWORK_ROLES, what=HOUSEHOLD)
        return
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("只能修改本人的通知方式"))


@transaction.atomic
def contact_preference_save(*, actor, household: Household | None = None, user: User | None = None,
                            language: str, preferred_channel: str, sms_consent: bool,
                            phone: str = "") -> ContactPreference:
    """Record how a household (its login, or staff on its case page) or a staff user wants to be told.

    SMS needs the person's consent and a mobile number (``phone`` or the household's); preferring SMS
    needs consent. Withdrawing consent stops every SMS not yet sent (checked again when sending)."""
    if (household is None) == (user is None):
        raise DomainError(_("请指定一户或一名工作人员"))
    if household is not None:
        household = Household.objects.select_related("region").get(pk=household.pk)
    _may_edit(actor, household, user)
    if language not in LANGUAGE_CODES:
        raise DomainError(_("不支持的语言"), field_errors={"language": [_("无效")]})
    if preferred_channel not in Channel.values:
        raise DomainError(_("请选择通知方式"), field_errors={"preferred_channel": [_("无效")]})
    phone = (phone or "").strip()
    if phone and not MOBILE.match(phone):
        raise DomainError(_("手机号应为11位数字，以1开头"), field_errors={"phone": [_("格式不正确")]})
    if preferred_channel == Channel.SMS and not sms_consent:
        raise DomainError(_("选择短信通知须先同意接收短信"), field_errors={"sms_consent": [_("须同意")]})
    if sms_consent and not MOBILE.match(phone or (household.phone if household else "") or ""):
        raise DomainError(_("接收短信须登记手机号（家庭联系电话不是手机号时请填写）"),
                          field_errors={"phone": [_("须填写手机号")]})
    lookup = {"household": household} if household is not None else {"user": user}
    preference = ContactPreference.objects.select_for_update().filter(**lookup).first()
    created = preference is None
    if created:
        preference = ContactPreference(**lookup)
    before = audit.snapshot(preference, ["language", "preferred_channel", "sms_consent", "phone"]) if not created else None
    if created or preference.sms_consent != bool(sms_consent):
        preference.consent_changed_at = timezone.now()
    preference.language, preference.preferred_channel = language, preferred_channel
    preference.sms_consent, preference.phone = bool(sms_consent), phone
    preference.updated_by = actor_user(actor)
    preference.save()
    region = household.region if household is not None else user.region
    audit.record(actor=actor, action="notification.preference", obj=household if household is not None else user,
                 region=region, before=before,
                 after=audit.snapshot(preference, ["language", "preferred_channel", "sms_consent", "phone"]),
                 note="本人修改" if getattr(actor, "role", None) == Role.RECIPIENT or user is not None else "工作人员代为登记")
    return preference
