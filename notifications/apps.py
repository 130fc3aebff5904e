from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications (通知): one outbox, the inbox on /me/ and SMS through a configurable gateway.

    Domain services report events through the kernel's ``reemployment.core.notify.notify``; this app
    registers the handler that turns them into notifications (docs/notifications.md), and fills the
    household case page's panel hook of benefits."""

    name = "notifications"
    label = "notifications"
    verbose_name = _("通知")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from benefits.hooks import register_household_panel
        from notifications import admin_panel, services
        from reemployment.core.notify import register_handler

        register_handler(services.handle_event)
        register_household_panel("notifications", admin_panel.LABEL, admin_panel.household_panel)
