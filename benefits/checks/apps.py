from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    """Cross-department checks (家庭经济状况核对), registered-poor roster reconciliation (建档立卡), reports and dashboard."""

    name = "benefits.checks"
    label = "checks"
    verbose_name = _("信息核对与报表")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from benefits import hooks
        from benefits.checks.services import death_flag_settle
        from benefits.checks.sources import check_columns_file
        from benefits.integrity.services import FLAG_SOURCE

        checks.register(check_columns_file)
        # integrity sits below checks: it settles the flag a confirmed/rejected death came from through the hook.
        hooks.register_death_source_settler(
            FLAG_SOURCE, lambda *, actor, source_id, note: death_flag_settle(actor=actor, flag_id=int(source_id),
                                                                             note=note))
