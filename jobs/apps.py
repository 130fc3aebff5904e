from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Job seekers, employers, vacancies, matching (encoder, index, ranking), referrals and outcomes."""

    name = "jobs"
    verbose_name = _("就业服务")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The county reports in benefits count vacancies, referrals and hires, by occupation code too
        # (benefits never imports jobs).
        from benefits import hooks
        from jobs.models import Hire, Referral, Vacancy

        hooks.register_report_model("referral", Referral)
        hooks.register_report_model("hire", Hire)
        hooks.register_report_model("vacancy", Vacancy)
