from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: regions, users and roles, audit events, policy as data."""

    name = "reemployment.core"
    label = "core"
    verbose_name = _("基础数据")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Groups and permissions are data the code defines: kept in step after every migrate.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="core-sync-roles")


def _sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    # Run once, for the last app: by then every project app's permissions exist
    # (auth creates them in its own post_migrate receiver, per app).
    from django.apps import apps

    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from reemployment.core.roles import sync_role_groups

    sync_role_groups(using=using)
