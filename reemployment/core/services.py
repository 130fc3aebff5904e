"""State changes of shared records. Each runs in a transaction and writes its audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Replace, Substr
from django.utils.translation import gettext as _

from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import (
    LEVEL_ORDER,
    ParameterSet,
    Region,
    RegionLevel,
    Role,
    Standard,
    User,
    code_prefix,
)
from reemployment.core.roles import assign_role_group
from reemployment.core.scoping import in_jurisdiction


def _require_county_staff(actor, region: Region) -> None:
    if actor.is_superuser or actor.role == Role.ADMIN:
        return
    if actor.role != Role.COUNTY or not in_jurisdiction(actor, region):
        raise PermissionDenied(_("只有本县民政局工作人员可以修改标准和参数"))


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


def _require_system_admin(actor, refusal: str) -> None:
    """Regions and logins are managed by system administrators (and superusers), else ``refusal``; a string actor
    is the command line or the policy loader ("system:load_policy"), run by the operator."""
    if isinstance(actor, str):
        return
    if actor is not None and actor.is_active and (actor.is_superuser or actor.role == Role.ADMIN):
        return
    raise PermissionDenied(refusal)


# ---------------------------------------------------------------- regions


@transaction.atomic
def region_save(*, actor, region: Region) -> Region:
    """Create or edit a region (行政区划). Audited with before/after.

    Scoping matches on the materialised ``path``, so moving a region (a new parent) or renumbering
    it (a new code) rewrites its whole subtree in the same transaction: every descendant's path,
    and — for a new code — every descendant's code, whose leading digits repeat this region's
    (``CODE_PREFIX_LENGTH``: a township 341125100's villages are 341125100xxx). One UPDATE per
    change, whatever the size of the subtree.
    """
    _require_system_admin(actor, _("只有系统管理员可以管理行政区划"))
    if region.parent_id:
        # The parent's path as stored now (an earlier step of this transaction may have moved it).
        region.parent = Region.objects.get(pk=region.parent_id)
    old = Region.objects.select_for_update().get(pk=region.pk) if region.pk else None
    if old is not None:
        region.path = old.path  # what clean() compares the new parent with (no cycles)
    _full_clean(region)
    if old is None:
        region.save()
        audit.record(actor=actor, action="region.create", obj=region, region=region, object_label=str(region),
                     after=audit.snapshot(region))
        return region

    before = audit.snapshot(old)
    new_path = region.compute_path()
    if new_path == old.path and audit.snapshot(region) == before:
        return region  # nothing changed: nothing written, nothing audited
    descendants = Region.objects.filter(path__startswith=old.path).exclude(pk=old.pk)
    children = list(Region.objects.filter(parent_id=old.pk).only("code", "level"))
    new_prefix = code_prefix(region.code, region.level)
    old_prefix = old.code[: len(new_prefix)]
    renumbered = new_prefix != old_prefix
    if renumbered:
        _check_renumbering(old, descendants, old_prefix, new_prefix)
    for child in children:
        child_code = new_prefix + child.code[len(new_prefix):] if renumbered else child.code
        if child.level in LEVEL_ORDER and LEVEL_ORDER.index(child.level) <= LEVEL_ORDER.index(region.level):
            raise DomainError(_("下级区划 %(code)s 的级别须低于本级") % {"code": child.code},
                              field_errors={"level": [_("下级区划的级别须低于本级")]})
        if not child_code.startswith(new_prefix):
            raise DomainError(_("下级区划 %(code)s 的代码不以 %(prefix)s 开头") % {"code": child.code, "prefix": new_prefix},
                              field_errors={"code": [_("下级区划代码须以 %(prefix)s 开头") % {"prefix": new_prefix}]})

    region.save()
    moved = 0
    if new_path != old.path:
        # The part of each descendant's path below this region ("341125100001/"), re-rooted.
        below = Substr("path", len(old.path) + 1)
        changes = {}
        if renumbered:
            # Codes are digits, so "/" + prefix matches only at the start of a path segment.
            below = Substr(Replace(Concat(Value("/"), below), Value("/" + old_prefix), Value("/" + new_prefix)), 2)
            changes["code"] = Concat(Value(new_prefix), Substr("code", len(old_prefix) + 1))
        changes["path"] = Concat(Value(new_path), below)
        moved = descendants.update(**changes)
    note = ""
    if moved:
        # The audit note is data, kept in the project's language (Chinese) whoever made the change.
        note = (f"下级区划 {moved} 个随之更新：路径 {old.path} → {new_path}"
                + (f"；代码 {old_prefix}… → {new_prefix}…" if renumbered else ""))
    audit.record(actor=actor, action="region.update", obj=region, region=region, object_label=str(region),
                 before=before, after=audit.snapshot(region), note=note)
    return region


def _check_renumbering(old: Region, descendants, old_prefix: str, new_prefix: str) -> None:
    stray = descendants.exclude(code__startswith=old_prefix).values_list("code", flat=True).first()
    if stray is not None:
        raise DomainError(_("下级区划 %(code)s 的代码不以 %(prefix)s 开头，无法随之改码") % {"code": stray, "prefix": old_prefix},
                          field_errors={"code": [stray]})
    # Every code under the new prefix must be free (outside this subtree, which is being renumbered).
    taken = (Region.objects.filter(code__startswith=new_prefix).exclude(path__startswith=old.path)
             .values_list("code", flat=True).first())
    if taken is not None:
        raise Conflict(_("代码段 %(prefix)s 已被区划 %(code)s 使用") % {"prefix": new_prefix, "code": taken})


# ---------------------------------------------------------------- logins

# The level of a staff member's home region, by role (labour bureau staff work for a county).
ROLE_REGION_LEVELS = {
    Role.COMMUNITY: {RegionLevel.COMMUNITY},
    Role.TOWNSHIP: {RegionLevel.TOWNSHIP},
    Role.COUNTY: {RegionLevel.COUNTY},
    Role.LABOUR: {RegionLevel.COUNTY},
}


def role_region_problem(role: str, region: Region | None) -> str | None:
    """Why this home region does not suit this staff role, or None."""
    if role not in ROLE_REGION_LEVELS:
        return None
    if region is None:
        return _("该角色必须有所属辖区")
    if region.level not in ROLE_REGION_LEVELS[role]:
        levels = "/".join(str(RegionLevel(level).label) for level in ROLE_REGION_LEVELS[role])
        return _("%(role)s的所属辖区应为%(levels)s级") % {"role": Role(role).label, "levels": levels}
    return None


USER_AUDIT_FIELDS = ["username", "role", "region", "display_name", "email", "first_name", "last_name",
                     "is_active", "is_superuser", "is_staff"]


@transaction.atomic
def user_save(*, actor, user: User, password: str | None = None) -> User:
    """Create or edit a staff login (admin, ``create_staff_user``): role, home region, the role's
    permission group. Audited with before/after (never the password: only that it was set).

    Staff roles other than editor and system administrator need a home region of their level.
    Recipient logins are created with their household (benefits), never here. Only a superuser
    may make or change a superuser; Django's admin (``is_staff``) is for superusers only.
    """
    _require_system_admin(actor, _("只有系统管理员可以管理登录账号"))
    old = User.objects.select_for_update().get(pk=user.pk) if user.pk else None
    _check_user_change(actor, user, old)
    return _write_user(actor=actor, user=user, old=old, password=password)


def _check_user_change(actor, user: User, old: User | None) -> None:
    was_recipient = old is not None and old.role == Role.RECIPIENT
    if (user.role == Role.RECIPIENT) != was_recipient:
        raise DomainError(_("低保对象的登录账号随家庭建立，不能在此创建或改为工作人员"),
                          field_errors={"role": [_("低保对象账号不能在此创建或更改角色")]})
    actor_is_superuser = not isinstance(actor, str) and actor.is_superuser
    if not isinstance(actor, str) and not actor_is_superuser and (user.is_superuser or (old and old.is_superuser)):
        raise PermissionDenied(_("只有超级用户可以设置或修改超级用户"))


def _write_user(*, actor, user: User, old: User | None, password: str | None) -> User:
    user.is_staff = user.is_superuser  # Django admin is for superusers only
    if password:
        user.set_password(password)
    elif not user.password:
        user.set_unusable_password()  # a login without a password cannot be used until one is set
    _full_clean_user(user)
    before = audit.snapshot(old, USER_AUDIT_FIELDS) if old is not None else None
    user.save()
    assign_role_group(user)
    audit.record(actor=actor, action="user.update" if old is not None else "user.create", obj=user,
                 region=user.region, object_label=user.username, before=before,
                 after=audit.snapshot(user, USER_AUDIT_FIELDS), note="密码已设置" if password else "")  # data: Chinese
    return user


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, role: str, region: Region | None,
                display_name: str = "", is_superuser: bool = False) -> User:
    """Create a login with a role (and the role's group), or bring an existing one in step.
    Idempotent by username (the demo seeder runs it on every ``make run``)."""
    _require_system_admin(actor, _("只有系统管理员可以管理登录账号"))
    if role and role not in Role.values:
        raise DomainError(_("未知角色 %(role)s") % {"role": role}, field_errors={"role": [role]})
    user = User.objects.select_for_update().filter(username=username).first()
    if user is not None and (
        (user.role, user.region_id, user.display_name, user.is_superuser)
        == (role, region.pk if region else None, display_name, is_superuser)
        and (password is None or user.check_password(password))
    ):
        return user
    old = User.objects.get(pk=user.pk) if user is not None else None
    user = user or User(username=username)
    user.role, user.region, user.display_name, user.is_superuser = role, region, display_name, is_superuser
    _check_user_change(actor, user, old)
    return _write_user(actor=actor, user=user, old=old, password=password)


def _full_clean_user(user: User) -> None:
    try:
        problem = role_region_problem(user.role, user.region)
        if problem:
            raise ValidationError({"region": problem})
        user.full_clean(exclude=["password", "groups", "user_permissions"])
    except ValidationError as exc:
        raise DomainError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()),
                          field_errors=exc.message_dict) from exc
