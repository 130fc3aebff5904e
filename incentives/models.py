"""Work-incentive records (DESIGN.md §4 [R4][R2])."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class RuleName(models.TextChoices):
    TRANSITION = "transition", _("就业过渡期")
    FAST_TRACK = "fast_track", _("快速再纳入")
    PUBLIC_LABOUR = "public_labour", _("公益性劳动")
    EARNINGS_DISREGARD = "earnings_disregard", _("就业收入扣减")


class RuleApplication(models.Model):
    """One application of a work-incentive rule to a household, with the parameters it used,
    its inputs and its result — so a decision can be explained later. Append-only."""

    REGION_FIELD = "household__region"

    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="rule_applications")
    rule = models.CharField(_("规则"), max_length=20, choices=RuleName.choices, db_index=True)
    as_of = models.DateField(_("适用日期"))
    parameters = models.JSONField(_("所用参数"))
    inputs = models.JSONField(_("输入"))
    result = models.JSONField(_("结果"))
    explanation = models.JSONField(_("计算说明"), default=list)
    actor_label = models.CharField(_("经办"), max_length=150)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规则适用记录")
        verbose_name_plural = _("规则适用记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.as_of}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("不予适用")


PROPOSAL_TRANSITIONS = {
    ProposalStatus.PROPOSED: {ProposalStatus.CONFIRMED, ProposalStatus.DISMISSED},
    ProposalStatus.CONFIRMED: set(),
    ProposalStatus.DISMISSED: set(),
}


class TransitionProposal(models.Model):
    """A transition benefit proposed when a recipient household's member starts work [R4].

    Raised by a hire (jobs) or by staff; a county civil-affairs user confirms or dismisses it.
    Amounts are computed with the parameters in force on the job's start date and kept here,
    so a later parameter change does not alter a running transition.
    """

    REGION_FIELD = "household__region"

    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="transition_proposals")
    enrolment = models.ForeignKey("benefits.Enrolment", verbose_name=_("待遇"), on_delete=models.PROTECT,
                                  related_name="transition_proposals")
    member = models.ForeignKey("benefits.Member", verbose_name=_("就业成员"), on_delete=models.PROTECT,
                               related_name="+")
    source_type = models.CharField(_("来源"), max_length=40, default="staff")
    source_id = models.CharField(_("来源编号"), max_length=64)
    job_start = models.DateField(_("就业开始日期"))
    employer_name = models.CharField(_("用人单位"), max_length=120, blank=True)
    monthly_earnings = models.DecimalField(_("月工资(元)"), **MONEY, validators=[MinValueValidator(Decimal(0))])
    household_earnings = models.DecimalField(_("本户新增月工资合计(元)"), **MONEY)
    previous_amount = models.DecimalField(_("原月保障金(元)"), **MONEY)
    transition_amount = models.DecimalField(_("过渡期月保障金(元)"), **MONEY)
    months = models.PositiveSmallIntegerField(_("过渡月数"))
    start = models.DateField(_("过渡期开始"))
    until = models.DateField(_("过渡期截止"))
    status = models.CharField(_("状态"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED, db_index=True)
    explanation = models.JSONField(_("计算说明"), default=list)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("就业过渡期申请")
        verbose_name_plural = _("就业过渡期申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_proposal_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.get_status_display()}"


class LabourKind(models.TextChoices):
    PATROL = "patrol", _("治安巡逻")
    CLEANING = "cleaning", _("环境卫生")
    GREENING = "greening", _("绿化养护")
    OTHER = "other", _("其他公益服务")


class PublicLabourRecord(models.Model):
    """Hours of public-interest labour (公益性劳动) by an able recipient in a month [R2]."""

    REGION_FIELD = "member__household__region"

    member = models.ForeignKey("benefits.Member", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="public_labour")
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    kind = models.CharField(_("内容"), max_length=10, choices=LabourKind.choices)
    hours = models.DecimalField(_("小时"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(200))])
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公益性劳动记录")
        verbose_name_plural = _("公益性劳动记录")
        ordering = ["-month", "member_id"]
