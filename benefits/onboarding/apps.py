from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """County onboarding (存量对象导入): the caseload a county brings, imported whole or not at all, and exported."""

    name = "benefits.onboarding"
    label = "onboarding"
    verbose_name = _("存量对象导入")
    default_auto_field = "django.db.models.BigAutoField"
