from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    """Monthly payroll (发放): one payment line per payable enrolment and month, bank files, locking, overpayment recovery."""

    name = "benefits.payroll"
    label = "payroll"
    verbose_name = _("低保金发放")
    default_auto_field = "django.db.models.BigAutoField"
