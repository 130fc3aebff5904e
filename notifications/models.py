"""The outbox of notifications (通知) and each person's contact preference.

A notification is one message of one event to one recipient on one channel. The recipient is a
household (低保家庭: its login reads the inbox, its phone gets SMS) or a staff user. The text is
rendered once, in the recipient's language, when the row is written; the row then only changes
status (``NOTIFICATION_TRANSITIONS``). ``(event_key, recipient_key, channel)`` is unique: one event
never notifies anyone twice on a channel, whatever retries or double submits happen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def mask_phone(number: str) -> str:
    """138****5678: enough for staff to recognise a number, not to copy it."""
    digits = number.strip()
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    SMS = "sms", _("短信")


class Status(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    READ = "read", _("已读")


# The one transition table of a notification (CONVENTIONS.md rule 7). A retry keeps a row queued
# (its attempts count up); an inbox row is sent when written and read when its recipient opens it.
NOTIFICATION_TRANSITIONS: dict[str, set[str]] = {
    Status.QUEUED: {Status.SENT, Status.FAILED},
    Status.SENT: {Status.READ},
    Status.FAILED: set(),
    Status.READ: set(),
}


class Notification(models.Model):
    """One message (通知) of one event to one recipient on one channel."""

    REGION_FIELD = "household__region"  # staff read a household's notifications inside their jurisdiction

    event = models.CharField(_("事件"), max_length=60, db_index=True)
    # "<event>:<occurrence key>": with the recipient and the channel, the idempotency key.
    event_key = models.CharField(_("事件标识"), max_length=200)
    recipient_key = models.CharField(_("接收人标识"), max_length=40)  # "household:12" or "user:5"
    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="notifications")
    member = models.ForeignKey("benefits.Member", verbose_name=_("所涉成员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("语言"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    address = models.CharField(_("发送号码"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    provider_ref = models.CharField(_("网关回执"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "recipient_key", "channel"], name="one_notification_per_event"),
            models.CheckConstraint(condition=Q(household__isnull=False) | Q(user__isnull=False),
                                   name="notification_has_recipient"),
        ]
        indexes = [
            models.Index(fields=["household", "channel", "-created_at"], name="notification_household_inbox"),
            models.Index(fields=["user", "channel", "-created_at"], name="notification_user_inbox"),
            models.Index(fields=["status", "channel"], name="notification_status"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_key} ({self.channel})"

    @property
    def is_read(self) -> bool:
        return self.status == Status.READ

    @property
    def masked_address(self) -> str:
        return mask_phone(self.address) if self.address else ""


class ContactPreference(models.Model):
    """How a person wants to be told (通知方式): language, preferred channel, consent to SMS.

    One row per household (its recipient login; SMS goes to ``phone`` or else the household's phone)
    or per staff user. Nobody gets SMS without ``sms_consent``; changes are audited (who, when,
    before, after), which is the record of consent.
    """

    REGION_FIELD = "household__region"

    household = models.OneToOneField("benefits.Household", verbose_name=_("家庭"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="contact_preference")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="contact_preference")
    language = models.CharField(_("通知语言"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    preferred_channel = models.CharField(_("首选通知方式"), max_length=8, choices=Channel.choices,
                                         default=Channel.INBOX)
    sms_consent = models.BooleanField(_("同意接收短信"), default=False)
    phone = models.CharField(_("接收短信的手机号"), max_length=20, blank=True,
                             help_text=_("留空则使用家庭登记的联系电话"))
    consent_changed_at = models.DateTimeField(_("同意状态变更时间"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("最近修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知方式")
        verbose_name_plural = _("通知方式")
        constraints = [
            models.CheckConstraint(condition=Q(household__isnull=False, user__isnull=True)
                                   | Q(household__isnull=True, user__isnull=False),
                                   name="preference_of_one_recipient"),
            # SMS as the preferred channel only with consent (the service says so first, in words).
            models.CheckConstraint(condition=~Q(preferred_channel="sms") | Q(sms_consent=True),
                                   name="sms_preferred_only_with_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id or self.user_id}: {self.preferred_channel}"
