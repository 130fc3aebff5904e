"""``notifications_unread``: the unread inbox messages of a recipient login, for the badge on the portal.

Lazy: counted only by a template that shows it (one query), never for anonymous visitors (the page
cache serves those)."""

from django.utils.functional import SimpleLazyObject


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "role", "") != "recipient":
        return {}

    def count() -> int:
        from notifications.selectors import unread_count

        return unread_count(user)

    return {"notifications_unread": SimpleLazyObject(count)}
