from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """Integrity [R2][R3]: cadre-relative registrations (干部近亲属备案), tip-offs (举报), fraud cases, death reports."""

    name = "benefits.integrity"
    label = "integrity"
    verbose_name = _("廉政与监督")
    default_auto_field = "django.db.models.BigAutoField"
