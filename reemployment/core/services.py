"""State changes of shared records. Each runs in a transaction and writes its audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from reemployment.core import audit
from reemployment.core.errors import DomainError, PermissionDenied
from reemployment.core.models import ParameterSet, Region, Role, Standard, User
from reemployment.core.roles import assign_role_group
from reemployment.core.scoping import in_jurisdiction


def _require_county_staff(actor, region: Region) -> None:
    if actor.is_superuser or actor.role == Role.ADMIN:
        return
    if actor.role != Role.COUNTY or not in_jurisdiction(actor, region):
        raise PermissionDenied("只有本县民政局工作人员可以修改标准和参数 / only county civil-affairs staff of this county")


def _full_clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise DomainError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
                          field_errors=exc.message_dict) from exc


@transaction.atomic
def standard_save(*, actor, standard: Standard) -> Standard:
    """Create or edit a guarantee standard (admin). Audited with before/after."""
    _require_county_staff(actor, standard.region)
    _full_clean(standard)
    before = None
    if standard.pk:
        before = audit.snapshot(Standard.objects.select_for_update().get(pk=standard.pk))
    standard.save()
    audit.record(actor=actor, action="standard.update" if before else "standard.create", obj=standard,
                 region=standard.region, before=before, after=audit.snapshot(standard))
    return standard


@transaction.atomic
def parameter_set_save(*, actor, parameter_set: ParameterSet) -> ParameterSet:
    """Create or edit a parameter set (admin). Values are checked against the catalogue."""
    _require_county_staff(actor, parameter_set.region)
    _full_clean(parameter_set)
    before = None
    if parameter_set.pk:
        before = audit.snapshot(ParameterSet.objects.select_for_update().get(pk=parameter_set.pk))
    parameter_set.save()
    audit.record(actor=actor, action="parameters.update" if before else "parameters.create", obj=parameter_set,
                 region=parameter_set.region, before=before, after=audit.snapshot(parameter_set))
    return parameter_set


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, role: str, region: Region | None,
                display_name: str = "", is_superuser: bool = False) -> User:
    """Create a login with a role (and the role's group). Idempotent by username."""
    if role and role not in Role.values:
        raise DomainError(f"未知角色 {role} / unknown role {role}")
    user, created = User.objects.get_or_create(username=username)
    unchanged = (
        not created
        and (user.role, user.region_id, user.display_name, user.is_superuser)
        == (role, region.pk if region else None, display_name, is_superuser)
        and (password is None or user.check_password(password))
    )
    if unchanged:
        return user
    before = None if created else audit.snapshot(user, ["role", "region", "display_name", "is_superuser"])
    user.role = role
    user.region = region
    user.display_name = display_name
    user.is_superuser = is_superuser
    user.is_staff = is_superuser  # Django admin is for superusers only
    if password:
        user.set_password(password)
    _full_clean_user(user)
    user.save()
    assign_role_group(user)
    audit.record(actor=actor, action="user.create" if created else "user.update", obj=user, region=region,
                 object_label=username, before=before,
                 after=audit.snapshot(user, ["role", "region", "display_name", "is_superuser"]))
    return user


def _full_clean_user(user: User) -> None:
    try:
        user.clean()
    except ValidationError as exc:
        raise DomainError(str(exc.message_dict), field_errors=exc.message_dict) from exc
