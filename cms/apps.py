from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail pages, blocks, snippets, site settings: the public portal."""

    name = "cms"
    verbose_name = _("门户网站")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import cache

        cache.connect_signals()
