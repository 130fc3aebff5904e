from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    """Households, members, income, standards, applications, enrolments, reviews, payroll, integrity, cross-department checks, reports."""

    name = "benefits"
    verbose_name = _("低保业务")
    default_auto_field = "django.db.models.BigAutoField"
