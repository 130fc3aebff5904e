"""Shared records: regions (jurisdictions), users with roles, audit events, policy data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reemployment.core.append_only import AppendOnlyModel, AppendOnlyQuerySet


class Area(models.TextChoices):
    """Urban (城市) or rural (农村): decides the standard and the category rules."""

    URBAN = "urban", _("城市")
    RURAL = "rural", _("农村")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWNSHIP = "township", _("乡镇/街道")
    COMMUNITY = "community", _("社区/村")


CODE_LENGTH = {
    RegionLevel.PROVINCE: 6,
    RegionLevel.CITY: 6,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.COMMUNITY: 12,
}
LEVEL_ORDER = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY]
# The leading digits of a region's code that every code below it repeats (GB/T 2260 and the
# statistical division codes): province 34xxxx, city 3411xx, county 341125, township 341125100,
# community 341125100001. A region's code starts with its parent's prefix.
CODE_PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.COMMUNITY: 12,
}


def code_prefix(code: str, level: str) -> str:
    """The part of ``code`` that the codes of every region below it start with."""
    return code[: CODE_PREFIX_LENGTH.get(level, len(code))]


class Region(models.Model):
    """A jurisdiction (行政区划): county → township/street → community/village.

    ``path`` is the chain of codes from the root ("341125/341125100/"), so that a
    whole subtree is one indexed ``startswith`` filter: the scoping mechanism.
    """

    code = models.CharField(
        _("行政区划代码"), max_length=12, unique=True, validators=[RegexValidator(r"^\d{6}(\d{3}(\d{3})?)?$")]
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=12, choices=RegionLevel.choices)
    area = models.CharField(_("城乡"), max_length=5, choices=Area.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=200, editable=False, db_index=True)

    REGION_FIELD = ""  # scoping: a region is its own jurisdiction

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        expected = CODE_LENGTH.get(self.level)
        if expected and len(self.code) != expected:
            raise ValidationError({"code": _("%(level)s级代码应为%(n)s位") % {"level": self.get_level_display(), "n": expected}})
        if self.parent_id and self.parent.level in LEVEL_ORDER and self.level in LEVEL_ORDER:
            if self.pk and (self.parent_id == self.pk or (self.path and self.parent.path.startswith(self.path))):
                raise ValidationError({"parent": _("上级区划不能是本区划或其下级")})
            if LEVEL_ORDER.index(self.parent.level) >= LEVEL_ORDER.index(self.level):
                raise ValidationError({"parent": _("上级区划的级别必须高于本级")})
            prefix = code_prefix(self.parent.code, self.parent.level)
            if not self.code.startswith(prefix):
                raise ValidationError({"code": _("代码须以上级代码 %(prefix)s 开头") % {"prefix": prefix}})

    def compute_path(self) -> str:
        return (self.parent.path if self.parent_id else "") + self.code + "/"

    def save(self, *args, **kwargs):
        # The path is derived data (like a slug), not domain logic. Changing a region's parent or
        # code also changes every descendant's path: services.region_save rewrites them.
        self.path = self.compute_path()
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def ancestors(self, include_self: bool = True) -> list[Region]:
        codes = [c for c in self.path.split("/") if c]
        if not include_self:
            codes = codes[:-1]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def county(self) -> Region | None:
        for region in reversed(self.ancestors()):
            if region.level == RegionLevel.COUNTY:
                return region
        return None

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)

    def effective_area(self) -> str:
        """The area of this region, or of the nearest ancestor that has one."""
        for region in reversed(self.ancestors()):
            if region.area:
                return region.area
        return ""


class Role(models.TextChoices):
    """Staff roles (DESIGN.md §1). Each maps to a permission group (reemployment.core.roles)."""

    COMMUNITY = "community", _("社区/村工作人员")
    TOWNSHIP = "township", _("乡镇/街道工作人员")
    COUNTY = "county", _("县民政局工作人员")
    LABOUR = "labour", _("劳动就业局工作人员")
    EDITOR = "editor", _("网站编辑")
    ADMIN = "admin", _("系统管理员")
    RECIPIENT = "recipient", _("低保对象/申请人")


STAFF_ROLES = {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.LABOUR, Role.EDITOR, Role.ADMIN}


class User(AbstractUser):
    """A login. Staff carry a role and a home region; recipients link to one household."""

    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属辖区"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    def clean(self) -> None:
        if self.role in {Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY, Role.LABOUR} and not self.region_id:
            raise ValidationError({"region": _("工作人员必须有所属辖区")})


APPEND_ONLY_UPDATE = _("审计记录只能追加，不能修改")
APPEND_ONLY_DELETE = _("审计记录不能删除")


class AuditEventQuerySet(AppendOnlyQuerySet):
    """Audit events are append-only: bulk ``update()`` and ``delete()`` are refused too.

    Database triggers (migration 0002) refuse UPDATE and DELETE of audit rows from any other path.
    """


class AuditEvent(AppendOnlyModel):
    """One audited change (审计记录): who, when, what, before and after. Append-only."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("辖区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Where the request came from (None outside a web request: tasks, commands, migrations): the client's
    # address and a reference to the login session (a hash, never the session key: request_context).
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    session = models.CharField(_("会话"), max_length=40, null=True, blank=True)

    append_only_update_message = APPEND_ONLY_UPDATE
    append_only_delete_message = APPEND_ONLY_DELETE

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        # Local time (Asia/Shanghai), as the lists show it: this is the inspect page's title.
        at = timezone.localtime(self.at) if self.at else None
        return f"{at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"



class Standard(models.Model):
    """Guarantee standard (低保标准) per county and area, in force from ``valid_from``."""

    region = models.ForeignKey(Region, verbose_name=_("县/区"), on_delete=models.PROTECT, related_name="standards")
    area = models.CharField(_("城乡"), max_length=5, choices=Area.choices)
    monthly_amount = models.DecimalField(
        _("每人每月标准(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    valid_from = models.DateField(_("生效日期"))
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("低保标准")
        verbose_name_plural = _("低保标准")
        ordering = ["region__code", "area", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "area", "valid_from"], name="standard_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.get_area_display()} {self.monthly_amount} 元（{self.valid_from} 起）"


class ParameterSet(models.Model):
    """Rule parameters (政策参数) for a region from ``valid_from``.

    ``values`` holds only the keys this set overrides; the catalogue and defaults
    are in ``reemployment.policy.parameters``. A key's value in force on a date is
    the one from the most specific region, latest ``valid_from`` on or before it.
    """

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="parameter_sets")
    valid_from = models.DateField(_("生效日期"))
    values = models.JSONField(_("参数值"), default=dict)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["region__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="parameterset_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} 参数（{self.valid_from} 起）"

    def clean(self) -> None:
        from reemployment.policy.parameters import ParameterError, coerce_value

        if not isinstance(self.values, dict):
            raise ValidationError({"values": _("参数值必须是键值对")})
        errors = []
        for name, value in self.values.items():
            try:
                coerce_value(name, value)
            except ParameterError as exc:
                errors.append(gettext(exc.message) % exc.values)
        if errors:
            raise ValidationError({"values": errors})


def today() -> dt.date:
    """The local (Asia/Shanghai) date; the only place services read the calendar."""
    return timezone.localdate()
