from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Job seekers, employers, vacancies, matching (encoder, index, ranking), referrals and outcomes."""

    name = "jobs"
    verbose_name = _("就业服务")
    default_auto_field = "django.db.models.BigAutoField"
