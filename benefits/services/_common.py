"""Shared pieces of the benefit services: the jurisdiction guard and model validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from benefits.models import (
    Household,
)
from reemployment.core.errors import DomainError, PermissionDenied
from reemployment.core.models import Role
from reemployment.core.scoping import in_jurisdiction

CASEWORK_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN}


def require_in_jurisdiction(actor, household: Household, roles=CASEWORK_ROLES) -> None:
    """Staff may act only on households inside their jurisdiction and only in a casework role.
    A string actor ("system:...") is the service itself (beat, imports) and is allowed."""
    if isinstance(actor, str) or actor is None:
        return
    if actor.is_superuser:
        return
    if actor.role not in roles or not in_jurisdiction(actor, household.region):
        raise PermissionDenied("该家庭不在您的辖区或您无此权限 / this household is outside your jurisdiction or role")


def _actor_user(actor):
    return actor if getattr(actor, "pk", None) else None


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {"__all__": exc.messages})
        raise DomainError("；".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()),
                          field_errors=errors) from exc





def now():
    return timezone.now()
