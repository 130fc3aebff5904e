"""Jurisdiction scoping: the one mechanism every list, detail, export and API uses.

A staff user sees records whose region lies inside their home region's subtree;
a system administrator or superuser sees everything; anyone else sees nothing
through staff querysets (recipients read their own household through their own
selectors). Use :func:`scope` on a queryset, naming the path to the region field.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from reemployment.core.models import Region, Role

JURISDICTION_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.LABOUR}


def region_q(user, region_field: str = "region") -> Q:
    """A Q object limiting ``region_field`` to the user's jurisdiction (or matching nothing)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.role in JURISDICTION_ROLES and user.region_id:
        path = _region_path(user)
        lookup = f"{region_field}__path__startswith" if region_field else "path__startswith"
        return Q(**{lookup: path})
    return Q(pk__in=[])


def scope(queryset: QuerySet, user, region_field: str = "region") -> QuerySet:
    """Limit a queryset to the records inside the user's jurisdiction."""
    return queryset.filter(region_q(user, region_field))


def regions_for(user) -> QuerySet:
    """The regions a user may see or pick (their subtree)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Region.objects.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return Region.objects.all()
    if user.role in JURISDICTION_ROLES and user.region_id:
        return Region.objects.filter(path__startswith=_region_path(user))
    return Region.objects.none()


def in_jurisdiction(user, region: Region | None) -> bool:
    if region is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role in JURISDICTION_ROLES and user.region_id:
        return region.path.startswith(_region_path(user))
    return False


def _region_path(user) -> str:
    # Cache on the user object for the request: scoping runs many times per page.
    cached = getattr(user, "_scope_path", None)
    if cached is None:
        cached = user.region.path
        user._scope_path = cached
    return cached


def region_field_of(model) -> str:
    """Models name the path to their region as ``REGION_FIELD`` (default "region")."""
    return getattr(model, "REGION_FIELD", "region")


def scope_model(queryset: QuerySet, user) -> QuerySet:
    """Scope a queryset by its model's declared ``REGION_FIELD``."""
    return scope(queryset, user, region_field_of(queryset.model))
