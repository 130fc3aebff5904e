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

        from benefits.checks.sources import check_columns_file

        checks.register(check_columns_file)
