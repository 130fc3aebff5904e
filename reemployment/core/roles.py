"""Roles → permission groups, defined in code and synced after every ``migrate``.

Each project app may declare ``ROLE_PERMISSIONS`` in its own ``roles.py``:
a mapping of :class:`Role` to permission names ("app_label.codename"). Groups are
named after the role's Chinese label; users get their group from their ``role``.
Model permissions say *what kind* of record a role may touch; scoping
(``reemployment.core.scoping``) says *which* records.
"""

from __future__ import annotations

import importlib

from django.apps import apps

from reemployment.core.models import Role

PROJECT_APPS = (
    "reemployment.core", "benefits", "benefits.payroll", "benefits.integrity", "benefits.checks", "benefits.onboarding",
    "incentives", "jobs", "training", "cms",
)

WAGTAIL_ADMIN = "wagtailadmin.access_admin"

# Permissions of the shared records.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COMMUNITY: [WAGTAIL_ADMIN, "core.view_region", "core.view_standard", "core.view_parameterset"],
    Role.TOWNSHIP: [WAGTAIL_ADMIN, "core.view_region", "core.view_standard", "core.view_parameterset"],
    Role.COUNTY: [
        WAGTAIL_ADMIN,
        "core.view_region",
        "core.view_standard",
        "core.add_standard",
        "core.change_standard",
        "core.view_parameterset",
        "core.add_parameterset",
        "core.change_parameterset",
        "core.view_auditevent",
    ],
    Role.LABOUR: [WAGTAIL_ADMIN, "core.view_region"],
    Role.EDITOR: [WAGTAIL_ADMIN],
    # Staff logins (Settings → Users) are managed by system administrators only, through an audited
    # service; nobody deletes them (deactivate instead).
    Role.ADMIN: [WAGTAIL_ADMIN, "core.view_region", "core.add_region", "core.change_region", "core.view_auditevent",
                 "core.view_user", "core.add_user", "core.change_user"],
    Role.RECIPIENT: [],
}


def all_role_permissions() -> dict[str, set[str]]:
    """Every app's ROLE_PERMISSIONS merged."""
    merged: dict[str, set[str]] = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for module_name in PROJECT_APPS[1:]:
        try:
            module = importlib.import_module(f"{module_name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{module_name}.roles":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, set()).update(perms)
    return merged


def group_name(role: str) -> str:
    return str(Role(role).label)


def sync_role_groups(using: str = "default") -> dict[str, int]:
    """Create/refresh one group per role with exactly the declared permissions. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    if not apps.is_installed("django.contrib.auth"):
        return {}
    counts = {}
    for role, perm_names in all_role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name(role))
        perms = []
        for name in sorted(perm_names):
            app_label, codename = name.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is not None:  # an app's model may not be migrated yet
                perms.append(perm)
        if role == Role.ADMIN:
            # The system administrator may read every project record (reads are scoped and audited
            # where they touch personal data) but changes only regions and users.
            labels = [name.rsplit(".", 1)[-1] for name in PROJECT_APPS]
            perms.extend(Permission.objects.using(using).filter(content_type__app_label__in=labels,
                                                                codename__startswith="view_"))
        group.permissions.set(perms)
        counts[str(role)] = len(perms)
    return counts


def assign_role_group(user) -> None:
    """Put a user in exactly the group of their role (call after setting ``role``)."""
    from django.contrib.auth.models import Group

    role_groups = {group_name(r) for r in Role.values}
    user.groups.remove(*user.groups.filter(name__in=role_groups))
    if user.role:
        group, _ = Group.objects.get_or_create(name=group_name(user.role))
        user.groups.add(group)
