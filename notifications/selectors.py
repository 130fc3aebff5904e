"""Reads of notifications: a recipient's own inbox, the unread count, a household's notifications
for staff (scoped to their jurisdiction like every staff read, ``core.scoping``)."""

from __future__ import annotations

from django.db.models import QuerySet

from benefits.models import Household
from notifications.models import Channel, ContactPreference, Notification, Status
from reemployment.core.models import Role
from reemployment.core.scoping import scope_model


def inbox_for(user) -> QuerySet:
    """The inbox of a login, newest first: its household's messages for a recipient login, its own
    for a staff user; nothing for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    inbox = Notification.objects.filter(channel=Channel.INBOX)
    if getattr(user, "role", None) == Role.RECIPIENT:
        household_id = Household.objects.filter(account=user).values_list("pk", flat=True).first()
        if household_id is None:
            return Notification.objects.none()
        return inbox.filter(household_id=household_id).order_by("-created_at", "-id")
    return inbox.filter(user=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return inbox_for(user).filter(status=Status.SENT).count()


def household_notifications(user, household: Household) -> QuerySet:
    """Every notification (all channels) of a household, for staff: empty outside their jurisdiction."""
    return scope_model(Notification.objects.filter(household=household), user).select_related(
        "member").order_by("-created_at", "-id")


def preference_of(*, household: Household | None = None, user=None) -> ContactPreference | None:
    lookup = {"household": household} if household is not None else {"user": user}
    return ContactPreference.objects.filter(**lookup).first()
