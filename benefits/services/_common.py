"""Shared pieces of the benefit services: the roles that may edit a household's case, and model validation.

Permission checks use the one guard in ``reemployment.core.permissions`` (``require``/``actor_user``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from reemployment.core.errors import DomainError
from reemployment.core.models import Role

CASEWORK_ROLES = frozenset({Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.ADMIN})
HOUSEHOLD = gettext_lazy("该家庭")  # names what a refused actor asked for: "该家庭：不在您的辖区或您无此权限"


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", {"__all__": exc.messages})
        raise DomainError("；".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()),
                          field_errors=errors) from exc


def now():
    return timezone.now()
