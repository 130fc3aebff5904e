"""Cross-department checks (家庭经济状况核对), registered-poor roster reconciliation (建档立卡), reports and dashboard.

DESIGN.md §2 "Cross-department checks" [R3][R5]: files from other departments are matched by ID
number to household members; each contradiction becomes a :class:`Flag` on the household and
opens a review in the benefits workflow — never a silent change of the household's record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benefits.checks.sources import SOURCES
from reemployment.core.models import Region


class FileStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    PROCESSING = "processing", _("处理中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("已拒收")


# Allowed status changes (CONVENTIONS.md rule 7).
FILE_TRANSITIONS: dict[str, set[str]] = {
    FileStatus.PENDING: {FileStatus.PROCESSING, FileStatus.REJECTED},
    FileStatus.PROCESSING: {FileStatus.DONE, FileStatus.REJECTED},
    FileStatus.DONE: set(),
    FileStatus.REJECTED: set(),
}


class DepartmentFile(models.Model):
    """An uploaded department file (部门比对数据文件): one source, one county, one content hash."""

    REGION_FIELD = "region"

    source = models.CharField(_("数据来源"), max_length=32)
    region = models.ForeignKey(Region, verbose_name=_("比对辖区"), on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_path = models.CharField(_("存储路径"), max_length=500, blank=True)
    size = models.BigIntegerField(_("大小(字节)"), default=0)
    sha256 = models.CharField(_("内容摘要(SHA-256)"), max_length=64, db_index=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=FileStatus.choices, default=FileStatus.PENDING,
                              db_index=True)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    matched_rows = models.PositiveIntegerField(_("匹配行数"), default=0)
    flags_created = models.PositiveIntegerField(_("新增疑点"), default=0)
    errors = models.JSONField(_("错误报告"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误行数"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    message = models.CharField(_("处理说明"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("部门比对文件")
        verbose_name_plural = _("部门比对文件")
        ordering = ("-uploaded_at", "-id")
        permissions = (("upload_departmentfile", "Can upload department files (上传比对文件)"),)
        constraints = (
            # The same content is imported once; a rejected file may be corrected and sent again.
            models.UniqueConstraint(fields=["sha256"], condition=~Q(status="rejected"),
                                    name="department_file_sha256_once"),
        )

    def __str__(self) -> str:
        return f"{self.original_name} ({self.source})"

    def audit_label(self) -> str:
        return f"比对文件 {self.original_name}"

    @property
    def source_label(self) -> str:
        source = SOURCES.get(self.source)
        return str(source.label) if source else self.source


class FlagKind(models.TextChoices):
    DEATH = "death", _("成员已死亡")
    HUKOU_MOVE = "hukou_move", _("户籍迁出")
    EMPLOYMENT = "employment", _("就业收入高于申报")
    PENSION = "pension", _("养老金高于申报")
    PROPERTY = "property", _("房产超出限制")
    VEHICLE = "vehicle", _("车辆超出限制")
    DEPOSIT = "deposit", _("存款超出限额")
    BUSINESS = "business", _("有工商登记")
    POVERTY_PARTIAL = "poverty_partial", _("建档立卡户仅部分成员享受低保(一户保一人)")
    POVERTY_LEFT = "poverty_left", _("已脱贫仍享受低保")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    RESOLVED = "resolved", _("已处理")


FLAG_TRANSITIONS: dict[str, set[str]] = {
    FlagStatus.OPEN: {FlagStatus.RESOLVED},
    FlagStatus.RESOLVED: set(),
}


class Flag(models.Model):
    """A data-matching finding (比对疑点) on a household. Opens a review; resolved with a note."""

    REGION_FIELD = "household__region"

    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="check_flags")
    member = models.ForeignKey("benefits.Member", verbose_name=_("成员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="check_flags")
    kind = models.CharField(_("疑点类型"), max_length=20, choices=FlagKind.choices, db_index=True)
    # What makes two findings "the same" (member, or the household for aggregates): a re-check
    # of the same finding while the flag is open adds nothing.
    fingerprint = models.CharField(_("疑点标识"), max_length=64)
    details = models.JSONField(_("比对详情"), default=dict, blank=True)
    department_file = models.ForeignKey(DepartmentFile, verbose_name=_("来源文件"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="flags")
    review = models.ForeignKey("benefits.Review", verbose_name=_("复核"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN,
                              db_index=True)
    resolution_note = models.TextField(_("处理说明"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("比对疑点")
        verbose_name_plural = _("比对疑点")
        ordering = ("-created_at", "-id")
        permissions = (("resolve_flag", "Can resolve data-matching flags (处理比对疑点)"),
                       ("view_reports", "Can view reports and the dashboard (统计报表)"))
        constraints = (
            models.UniqueConstraint(fields=["household", "kind", "fingerprint"], condition=Q(status="open"),
                                    name="one_open_flag_per_finding"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def audit_label(self) -> str:
        return f"比对疑点 #{self.pk} {self.kind}"


class RosterStatus(models.TextChoices):
    POOR = "poor", _("未脱贫")
    LEFT = "left", _("已脱贫")


class PovertyRosterEntry(models.Model):
    """One person on the registered-poor roster (建档立卡), as loaded from a roster file.

    The roster in force for a county is the one of its latest processed roster file.
    """

    REGION_FIELD = "region"

    department_file = models.ForeignKey(DepartmentFile, verbose_name=_("来源文件"), on_delete=models.CASCADE,
                                        related_name="roster_entries")
    region = models.ForeignKey(Region, verbose_name=_("所在社区/村"), on_delete=models.PROTECT, related_name="+")
    poor_household_number = models.CharField(_("贫困户编号"), max_length=40, db_index=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20, blank=True)
    status = models.CharField(_("脱贫状态"), max_length=5, choices=RosterStatus.choices)
    left_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    member = models.ForeignKey("benefits.Member", verbose_name=_("匹配成员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("建档立卡人员")
        verbose_name_plural = _("建档立卡人员")
        ordering = ("poor_household_number", "id")


class FollowUpKind(models.TextChoices):
    REFERRAL = "referral", _("应保未保：转介申请")
    REVIEW = "review", _("复核低保待遇")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待跟进")
    DONE = "done", _("已办结")


FOLLOW_UP_TRANSITIONS: dict[str, set[str]] = {
    FollowUpStatus.OPEN: {FollowUpStatus.DONE},
    FollowUpStatus.DONE: set(),
}


class FollowUp(models.Model):
    """A follow-up task (跟进事项) from the roster reconciliation.

    For 应保未保 it is the referral: community/village staff acting on it take the application
    (``benefits.services.application_submit``) when the household is registered here; otherwise it is a
    note asking them to. For the other lists it points at the review opened.
    """

    REGION_FIELD = "region"

    kind = models.CharField(_("类型"), max_length=10, choices=FollowUpKind.choices)
    finding = models.CharField(_("比对结论"), max_length=20)
    region = models.ForeignKey(Region, verbose_name=_("社区/村"), on_delete=models.PROTECT, related_name="+")
    poor_household_number = models.CharField(_("贫困户编号"), max_length=40)
    household = models.ForeignKey("benefits.Household", verbose_name=_("低保家庭"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey("benefits.Review", verbose_name=_("复核"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"))
    status = models.CharField(_("状态"), max_length=5, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("建档立卡比对跟进")
        verbose_name_plural = _("建档立卡比对跟进")
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["poor_household_number", "finding"], condition=Q(status="open"),
                                    name="one_open_follow_up_per_finding"),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.poor_household_number}"
