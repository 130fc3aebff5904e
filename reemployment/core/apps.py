from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: regions, users and roles, audit events, policy as data."""

    name = "reemployment.core"
    label = "core"
    verbose_name = _("基础数据")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reemployment.core.append_only import register_sqlite_function

        # The SQLite audit trigger calls a function each connection must define (append_only.py).
        connection_created.connect(register_sqlite_function, dispatch_uid="core-audit-sqlite-function")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_function(sender=None, connection=connection)
        # Groups, permissions and periodic schedules are data the code defines: kept in step after
        # every migrate (and every flush that re-emits post_migrate).
        post_migrate.connect(_sync_after_migrate, dispatch_uid="core-sync-after-migrate")
        _note_wagtail_refusals()


def _note_wagtail_refusals() -> None:
    """Wagtail answers a refused admin page with a redirect and a message (``wagtail.admin.auth.
    permission_denied``), catching the refusal where no middleware sees it: note it for the audit log
    first (request_context; tests/core/test_audit_requests.py fails if Wagtail stops calling it)."""
    from wagtail.admin import auth as wagtail_auth

    original = wagtail_auth.permission_denied
    if getattr(original, "notes_refusal", False):
        return

    def permission_denied(request):
        from django.utils.translation import gettext

        from reemployment.core import request_context

        request_context.note_denied(gettext("无权访问该管理页面"), code="admin_permission")
        return original(request)

    permission_denied.notes_refusal = True
    wagtail_auth.permission_denied = permission_denied


def _last_app_with_models():
    from django.apps import apps

    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def _sync_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """Sync role groups and periodic schedules once per ``migrate``, when it has finished.

    ``migrate`` (and ``flush``) send post_migrate once per installed app that has models, in
    INSTALLED_APPS order, so the last of those sends is the end of the command, whichever app it
    is. By then auth's own receiver has created the permissions of every app but that last one:
    it runs after this receiver (receivers run in the order they were connected, and this app is
    ready first), so the last app's permissions are created here first (idempotent).
    """
    if sender.label != _last_app_with_models().label:
        return
    from django.contrib.auth.management import create_permissions
    from django_celery_beat.models import PeriodicTask

    from reemployment.core.roles import sync_role_groups
    from reemployment.schedules import sync_schedules

    tables = set(connections[using].introspection.table_names())
    if {"auth_group", "auth_permission", "django_content_type"} <= tables:
        if apps is not None:
            create_permissions(sender, verbosity=0, interactive=False, using=using, apps=apps)
        sync_role_groups(using=using)
    if PeriodicTask._meta.db_table in tables:
        sync_schedules(using=using)
