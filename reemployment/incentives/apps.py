from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    """Work-incentive joins between jobs and benefits (DESIGN.md §4, report 4): transition
    benefit after a hire, fast-track re-entry, public-interest labour, and the record of every
    rule application with the parameters it used."""

    name = "reemployment.incentives"
    label = "incentives"
    verbose_name = _("就业激励")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # benefits (below) asks for the fast-track assessment through its hook; incentives records it.
        from benefits.hooks import register_fast_track_assessor
        from reemployment.incentives.services import fast_track_assess

        register_fast_track_assessor(fast_track_assess)
