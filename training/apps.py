from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Providers, courses, enrolments, completion, placement, output rates."""

    name = "training"
    verbose_name = _("技能培训")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Fill the hooks jobs declares (jobs never imports training): placement after a hire runs
        # before incentives' transition proposal (order 20), and earned certificates reach matching.
        from jobs import hooks
        from training import selectors, services

        hooks.register_after_hire(services.placement_record_after_hire, order=10)
        hooks.register_certificate_source(hooks.CertificateSource(
            earned=selectors.earned_certificates, seeker_prefetch=selectors.seeker_certificates_prefetch))
        # The county reports in benefits count completions and placements (benefits never imports training).
        from benefits import hooks as benefits_hooks
        from training.models import Placement, TrainingEnrolment

        benefits_hooks.register_report_model("training_enrolment", TrainingEnrolment)
        benefits_hooks.register_report_model("placement", Placement)
