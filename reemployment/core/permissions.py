"""The one permission guard every app's services use.

An *actor* is who asks for a change: a logged-in ``User`` (staff or recipient), or the service
itself — a beat task, a command, an import — named by a ``SystemActor`` (a plain string such as
``"system:payroll"`` or ``None`` is accepted as the same thing, so tasks can pass their name).
Staff may act only inside their jurisdiction and only in the roles a service lists; the system
actor and superusers may always act. Scoping of *reads* lives in ``core.scoping``; this module
guards *writes*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.utils.translation import gettext as _

from .errors import PermissionDenied
from .scoping import in_jurisdiction

if TYPE_CHECKING:
    from .models import Region, User


@dataclass(frozen=True)
class SystemActor:
    """The service acting on its own behalf (beat, a command, an import)."""

    name: str = "system"

    def __str__(self) -> str:
        return self.name if self.name.startswith("system") else f"system:{self.name}"


Actor: TypeAlias = "User | SystemActor | str | None"


def is_system(actor: Actor) -> bool:
    """True for the service itself: ``None``, a ``SystemActor`` or a ``"system:…"`` string."""
    return actor is None or isinstance(actor, (str, SystemActor))


def actor_user(actor: Actor) -> User | None:
    """The user behind an actor (for foreign keys such as ``decided_by``), or None for the system."""
    return None if is_system(actor) or getattr(actor, "pk", None) is None else actor


def may_act(actor: Actor, region: Region | None, roles: Iterable[str]) -> bool:
    """Whether ``actor`` may change a record of ``region`` in one of ``roles``."""
    if is_system(actor) or actor.is_superuser:
        return True
    return actor.role in set(roles) and in_jurisdiction(actor, region)


def require(actor: Actor, region: Region | None, roles: Iterable[str], *, what: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may act on ``region`` in one of ``roles``.

    ``what`` names the thing refused ("该家庭", "this vacancy"…) so the message says what it was.
    """
    if may_act(actor, region, roles):
        return
    if what:
        raise PermissionDenied(_("%(what)s：不在您的辖区或您无此权限") % {"what": what})
    raise PermissionDenied(_("不在您的辖区或您无此权限"))


def require_role(actor: Actor, roles: Iterable[str]) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds one of ``roles`` (no region involved)."""
    if is_system(actor) or actor.is_superuser or getattr(actor, "role", None) in set(roles):
        return
    raise PermissionDenied(_("您的角色无权执行此操作"))
