"""Monthly payroll (发放): one payment line per payable enrolment and month, bank files, locking,
overpayment recovery (追回). DESIGN.md §2 "Payroll".

Payment lines are written set-based (INSERT ... SELECT ... ON CONFLICT DO NOTHING) and the
database refuses a second line for the same enrolment and month (``one_line_per_enrolment_month``).
A locked month is immutable: the services refuse, and database triggers (migration 0002) refuse
any insert, update or delete of a locked run's lines and any change to a locked run.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reemployment.core.models import Region

MONEY = {"max_digits": 12, "decimal_places": 2}


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMPUTED = "computed", _("已计算")
    REVIEWED = "reviewed", _("已审核")
    LOCKED = "locked", _("已锁定(已发放)")


# The one transition table of a payroll run (CONVENTIONS.md rule 7). A computed run may be
# computed again (it only adds what is missing); review can be withdrawn; locking is final. Who may
# take the review and lock steps (not the person who computed): services._four_eyes_refusal.
RUN_TRANSITIONS: dict[str, set[str]] = {
    RunStatus.DRAFT: {RunStatus.COMPUTED},
    RunStatus.COMPUTED: {RunStatus.COMPUTED, RunStatus.REVIEWED},
    RunStatus.REVIEWED: {RunStatus.COMPUTED, RunStatus.LOCKED},
    RunStatus.LOCKED: set(),
}


class PayrollRun(models.Model):
    """The payroll of one county for one month (月度发放批次)."""

    REGION_FIELD = "county"

    county = models.ForeignKey(Region, verbose_name=_("县/区"), on_delete=models.PROTECT, related_name="payroll_runs")
    month = models.DateField(_("发放月份"), help_text=_("月份的第一天"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    lines = models.PositiveIntegerField(_("发放笔数"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    persons = models.PositiveIntegerField(_("人数"), default=0)
    total_amount = models.DecimalField(_("发放总额(元)"), **MONEY, default=Decimal("0.00"))
    # Progress of the current computation (for the admin progress bar).
    progress_done = models.PositiveIntegerField(_("已完成批次"), default=0)
    progress_total = models.PositiveIntegerField(_("总批次"), default=0)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    # Maker–checker (制单与审核分离): who computed the lines as they stand (None: the system, e.g. the
    # beat's draft); the reviewer and the locker must be someone else (services._four_eyes_refusal).
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计算人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("锁定人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度发放")
        verbose_name_plural = _("月度发放")
        ordering = ["-month", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "month"], name="one_payroll_run_per_county_month"),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.month:%Y-%m}"

    def audit_label(self) -> str:
        return f"发放 {self.county.code} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == RunStatus.LOCKED

    @property
    def is_running(self) -> bool:
        """Queued or being computed (the progress bar polls until this is false)."""
        return (bool(self.progress_total) and self.progress_done < self.progress_total and not self.last_error
                and self.status != RunStatus.LOCKED)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status != RunStatus.DRAFT else 0
        return min(100, int(self.progress_done * 100 / self.progress_total))


class PaymentLine(models.Model):
    """One payment (发放明细) of one enrolment for one month. Written by ``payroll_run_compute`` only."""

    REGION_FIELD = "region"

    # The enrolment is the line's identity: a foreign key in the database. The run, household and region
    # are checked once per statement instead (migration 0003; PostgreSQL checks a foreign key row by row,
    # which cost more than the 200,000-row insert itself): the payroll writes them from the locked run and
    # the enrolment's household in the same INSERT … SELECT, and PROTECT still refuses deleting them.
    run = models.ForeignKey(PayrollRun, verbose_name=_("发放批次"), on_delete=models.PROTECT, related_name="payment_lines",
                            db_constraint=False)
    # No single-column indexes on these three: the unique (enrolment, month) and the (household, month) and
    # (region, month) indexes lead with them, and every index costs time on the 200,000-row insert.
    enrolment = models.ForeignKey("benefits.Enrolment", verbose_name=_("待遇"), on_delete=models.PROTECT,
                                  related_name="payment_lines", db_index=False)
    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="payment_lines", db_index=False, db_constraint=False)
    region = models.ForeignKey(Region, verbose_name=_("社区/村"), on_delete=models.PROTECT, related_name="+",
                               db_index=False, db_constraint=False)
    month = models.DateField(_("月份"))
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    persons = models.PositiveSmallIntegerField(_("保障人数"))
    category = models.CharField(_("类别"), max_length=1)
    area = models.CharField(_("城乡"), max_length=5)
    # Where the money went, as it was when the month was computed (the bank file of a locked month
    # must not change when a household later changes its account).
    bank_account = models.CharField(_("账号"), max_length=32, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["run", "household_id"]
        constraints = [
            # Never pay an enrolment twice for a month: reruns, retries and parallel runs hit this.
            models.UniqueConstraint(fields=["enrolment", "month"], name="one_line_per_enrolment_month"),
        ]
        indexes = [models.Index(fields=["household", "month"]), models.Index(fields=["region", "month"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.month:%Y-%m} {self.amount}"


class OverpaymentReason(models.TextChoices):
    DEATH = "death", _("死亡后继续发放")
    FRAUD = "fraud", _("骗取/冒领")
    OTHER = "other", _("其他不应发放")


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", _("待追回")
    RECOVERED = "recovered", _("已追回")
    WAIVED = "waived", _("核销/免于追回")


OVERPAYMENT_TRANSITIONS: dict[str, set[str]] = {
    OverpaymentStatus.OPEN: {OverpaymentStatus.RECOVERED, OverpaymentStatus.WAIVED},
    OverpaymentStatus.RECOVERED: set(),
    OverpaymentStatus.WAIVED: set(),
}


class Overpayment(models.Model):
    """An amount paid that was not due (追回款), to be recovered or waived with a decision."""

    REGION_FIELD = "household__region"

    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="overpayments")
    enrolment = models.ForeignKey("benefits.Enrolment", verbose_name=_("待遇"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="overpayments")
    payment_line = models.ForeignKey(PaymentLine, verbose_name=_("发放明细"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="overpayments")
    month = models.DateField(_("所属月份"), null=True, blank=True)
    amount = models.DecimalField(_("应追回金额(元)"), **MONEY)
    reason = models.CharField(_("原因"), max_length=8, choices=OverpaymentReason.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    source_type = models.CharField(_("来源类型"), max_length=60, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=OverpaymentStatus.choices,
                              default=OverpaymentStatus.OPEN, db_index=True)
    recovered_amount = models.DecimalField(_("实际追回(元)"), **MONEY, default=Decimal("0.00"))
    decision = models.TextField(_("处理决定"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("追回款")
        verbose_name_plural = _("追回款")
        ordering = ["-created_at", "id"]
        constraints = [
            # A paid line is claimed back at most once per source (re-running a death report adds nothing).
            models.UniqueConstraint(fields=["payment_line", "source_type", "source_id"],
                                    condition=Q(payment_line__isnull=False), name="one_overpayment_per_line_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="overpayment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.amount}"

    def audit_label(self) -> str:
        return f"追回 #{self.pk} {self.amount}"
