"""Operational tasks of the shared layer."""

from celery import shared_task
from django.db import connection

from reemployment.core.models import Region


@shared_task(name="core.health_check")
def health_check(region_code: str | None = None) -> dict:
    """Prove a worker can reach the database: counts regions (under a code, if given)."""
    queryset = Region.objects.all()
    if region_code:
        queryset = queryset.filter(path__contains=f"{region_code}/")
    return {"vendor": connection.vendor, "database": connection.settings_dict["NAME"], "regions": queryset.count()}
