from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Providers, courses, enrolments, completion, placement, output rates."""

    name = "training"
    verbose_name = _("技能培训")
    default_auto_field = "django.db.models.BigAutoField"
