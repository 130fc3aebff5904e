"""Records of county onboarding: each caseload import (the file, its counts, its errors) and the
discrepancies it found between the amounts the old system recorded and what this service's rules give.

The households, members, income items and enrolments an import writes are ordinary ``benefits`` records;
what ties them to the import is the audit event of each (``onboarding.create`` / ``onboarding.update``,
naming the import, its file, the file's SHA-256 and the user) and, for a discrepancy, the review it opened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from benefits.models import MONEY
from reemployment.core.models import Region


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("待校验")
    CHECKING = "checking", _("校验中")
    READY = "ready", _("校验通过，待确认导入")
    QUEUED = "queued", _("已确认，等待导入")
    IMPORTING = "importing", _("导入中")
    DONE = "done", _("已导入")
    REJECTED = "rejected", _("已拒收（未导入任何数据）")
    FAILED = "failed", _("导入失败（未导入任何数据）")


# Allowed status changes (CONVENTIONS.md rule 7). The admin goes pending → checking → ready (the preview)
# → queued → importing → done; the command goes pending → importing → done. Any check that fails rejects
# the file; an unexpected error fails it. Both end states leave the caseload as it was.
IMPORT_TRANSITIONS: dict[str, set[str]] = {
    ImportStatus.PENDING: {ImportStatus.CHECKING, ImportStatus.IMPORTING, ImportStatus.REJECTED},
    ImportStatus.CHECKING: {ImportStatus.READY, ImportStatus.REJECTED, ImportStatus.FAILED},
    ImportStatus.READY: {ImportStatus.QUEUED, ImportStatus.REJECTED},
    ImportStatus.QUEUED: {ImportStatus.IMPORTING, ImportStatus.REJECTED},
    ImportStatus.IMPORTING: {ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED},
    ImportStatus.DONE: set(),
    ImportStatus.REJECTED: set(),
    ImportStatus.FAILED: set(),
}
FINAL_STATUSES = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


class CaseloadImport(models.Model):
    """One caseload file (存量对象导入) of one county: what it held, what it did, what was wrong with it."""

    REGION_FIELD = "county"

    county = models.ForeignKey(Region, verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_path = models.CharField(_("存储路径"), max_length=500, blank=True)
    size = models.BigIntegerField(_("大小(字节)"), default=0)
    sha256 = models.CharField(_("内容摘要(SHA-256)"), max_length=64, db_index=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING,
                              db_index=True)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    persons = models.PositiveIntegerField(_("人数"), default=0)
    created = models.PositiveIntegerField(_("新建户数"), default=0)
    updated = models.PositiveIntegerField(_("更新户数"), default=0)
    unchanged = models.PositiveIntegerField(_("未变户数"), default=0)
    discrepancy_count = models.PositiveIntegerField(_("金额不一致户数"), default=0)
    reviews_opened = models.PositiveIntegerField(_("发起复核数"), default=0)
    errors = models.JSONField(_("错误报告"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    message = models.CharField(_("处理说明"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认导入人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("存量对象导入")
        verbose_name_plural = _("存量对象导入")
        ordering = ("-created_at", "-id")
        permissions = (("import_caseload", "Can import a county's caseload (导入存量对象)"),
                       ("export_caseload", "Can export a county's caseload (导出在保对象)"))

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def audit_label(self) -> str:
        return f"存量导入 #{self.pk} {self.original_name}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def note(self) -> str:
        """How the audit events of the records it wrote name the import."""
        return f"存量导入 #{self.pk}「{self.original_name}」SHA-256 {self.sha256}"


class ImportDiscrepancy(models.Model):
    """A household whose recorded amount differs from what this service's rules give (金额不一致).

    The recorded amount is imported as it is (it is what the household is paid today); the difference
    opens a review (``review``) for staff to decide. Written by the preview (no household yet) and again
    by the import (with the household and its review)."""

    REGION_FIELD = "region"

    caseload_import = models.ForeignKey(CaseloadImport, verbose_name=_("导入"), on_delete=models.CASCADE,
                                        related_name="discrepancies")
    row = models.PositiveIntegerField(_("户主所在行"))
    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    household_number = models.CharField(_("户编号"), max_length=20, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("社区/村"), on_delete=models.PROTECT, related_name="+")
    head_name = models.CharField(_("户主"), max_length=50)
    persons = models.PositiveSmallIntegerField(_("人数"))
    category = models.CharField(_("在保类别"), max_length=1)
    recorded_amount = models.DecimalField(_("原系统月保障金"), **MONEY)
    computed_category = models.CharField(_("核算类别"), max_length=1, blank=True,
                                         help_text=_("空：按本系统规则不符合条件"))
    computed_amount = models.DecimalField(_("按本系统规则核算"), **MONEY)
    difference = models.DecimalField(_("差额（原系统 − 核算）"), **MONEY)
    explanation = models.TextField(_("核算说明"), blank=True)
    review = models.ForeignKey("benefits.Review", verbose_name=_("复核"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("导入金额不一致")
        verbose_name_plural = _("导入金额不一致")
        ordering = ("caseload_import", "row")

    def __str__(self) -> str:
        return f"{self.household_number or self.row} {self.recorded_amount} ≠ {self.computed_amount}"
