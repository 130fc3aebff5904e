from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    """Work-incentive joins between jobs and benefits (DESIGN.md §4, report 4): transition
    benefit after a hire, fast-track re-entry, public-interest labour, and the record of every
    rule application with the parameters it used."""

    name = "incentives"
    label = "incentives"
    verbose_name = _("就业激励")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connect_jobs_hooks()
        connect_benefits_hooks()


def connect_jobs_hooks() -> None:
    """Fill the hooks jobs declares (jobs never imports incentives): the transition proposal after
    a hire (order 20: after training's placement) and the "if you take this job" preview."""
    from incentives import selectors, services
    from jobs import hooks

    hooks.register_after_hire(services.transition_propose_after_hire, order=20)
    hooks.register_hire_preview(selectors.transition_preview)


def connect_benefits_hooks() -> None:
    """benefits (below) asks for the fast-track re-entry assessment through its hook."""
    from benefits.hooks import register_fast_track_assessor
    from incentives.services import fast_track_assess

    register_fast_track_assessor(fast_track_assess)
