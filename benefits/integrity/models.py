"""Integrity [R2][R3] (DESIGN.md §2 Integrity): cadre-relative registrations (干部近亲属备案),
tip-offs (举报), fraud cases (骗保案件) and death reports (死亡报告).

Every change goes through ``benefits.integrity.services`` and is audited (who, when, before, after).
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reemployment.core.models import Region

MONEY = {"max_digits": 12, "decimal_places": 2}


class CadreRelation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    PARENT = "parent", _("父母")
    CHILD = "child", _("子女")
    SIBLING = "sibling", _("兄弟姐妹")
    PARENT_IN_LAW = "parent_in_law", _("岳父母/公婆")
    OTHER = "other", _("其他近亲属")


class CadreRelative(models.Model):
    """Registration (备案) of a recipient who is a close relative of a village/community or government cadre."""

    REGION_FIELD = "member__household__region"

    cadre_name = models.CharField(_("干部姓名"), max_length=50)
    cadre_post = models.CharField(_("干部职务"), max_length=100)
    cadre_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    member = models.ForeignKey("benefits.Member", verbose_name=_("享受低保的亲属"), on_delete=models.PROTECT,
                               related_name="cadre_registrations")
    relation = models.CharField(_("与干部关系"), max_length=14, choices=CadreRelation.choices)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("备案人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField(_("备案日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("干部近亲属备案")
        verbose_name_plural = _("干部近亲属备案")
        ordering = ["-registered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "cadre_name", "cadre_post"], name="one_cadre_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_name}（{self.cadre_post}）— {self.member}"

    def audit_label(self) -> str:
        return f"干部近亲属备案 #{self.pk}"


class TipOffChannel(models.TextChoices):
    PORTAL = "portal", _("网站举报")
    STAFF = "staff", _("工作人员登记(来信来访/电话)")


class TipOffStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已分派")
    INVESTIGATING = "investigating", _("核查中")
    CLOSED = "closed", _("已办结")


# The transition table of a tip-off (CONVENTIONS.md rule 7). Closing straight from "received" is for
# tip-offs with nothing to check (no household, no facts).
TIP_OFF_TRANSITIONS: dict[str, set[str]] = {
    TipOffStatus.RECEIVED: {TipOffStatus.ASSIGNED, TipOffStatus.CLOSED},
    TipOffStatus.ASSIGNED: {TipOffStatus.ASSIGNED, TipOffStatus.INVESTIGATING, TipOffStatus.CLOSED},
    TipOffStatus.INVESTIGATING: {TipOffStatus.CLOSED},
    TipOffStatus.CLOSED: set(),
}


class TipOffOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")
    NOT_ACTIONABLE = "not_actionable", _("无法核查/不予受理")


TIP_OFF_TEXT_MAX = 2000
TIP_OFF_TEXT_MIN = 10

# Reference numbers (受理编号) use Crockford's base32: no I, L, O or U to misread over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tip_off_reference() -> str:
    """A random reference number told to the person who sent a tip-off, e.g. ``JB-7K3MQ-9XD2T``.

    50 random bits: not guessable and not sequential, so it reveals neither how many tip-offs there
    are nor anyone else's; the sequential id stays internal."""
    characters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    return f"JB-{characters[:5]}-{characters[5:]}"


class TipOff(models.Model):
    """A tip-off (举报) about a household receiving the benefit, from the public or taken by staff."""

    REGION_FIELD = "region"

    reference = models.CharField(_("受理编号"), max_length=16, unique=True, default=new_tip_off_reference,
                                 editable=False)
    channel = models.CharField(_("来源"), max_length=8, choices=TipOffChannel.choices)
    text = models.TextField(_("举报内容"), max_length=TIP_OFF_TEXT_MAX)
    region = models.ForeignKey(Region, verbose_name=_("所涉辖区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    household = models.ForeignKey("benefits.Household", verbose_name=_("被举报家庭"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="tip_offs")
    household_number = models.CharField(_("举报所填户编号"), max_length=20, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=True)
    contact = models.CharField(_("举报人联系方式"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=14, choices=TipOffStatus.choices, default=TipOffStatus.RECEIVED,
                              db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("核查情况"), blank=True)
    outcome = models.CharField(_("办理结果"), max_length=16, choices=TipOffOutcome.choices, blank=True)
    review = models.ForeignKey("benefits.Review", verbose_name=_("核查复核"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("受理时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(outcome=""), name="closed_tip_off_has_outcome"),
        ]

    def __str__(self) -> str:
        return f"举报 #{self.pk}"

    def audit_label(self) -> str:
        return f"举报 #{self.pk}"


class FraudKind(models.TextChoices):
    WRONGFUL_PAYMENT = "wrongful_payment", _("骗取/冒领低保金")
    FALSE_CERTIFICATE = "false_certificate", _("出具虚假证明")


class FraudStatus(models.TextChoices):
    OPEN = "open", _("立案调查")
    DECIDED = "decided", _("已作出处理决定")


FRAUD_TRANSITIONS: dict[str, set[str]] = {
    FraudStatus.OPEN: {FraudStatus.DECIDED},
    FraudStatus.DECIDED: set(),
}


class FraudCase(models.Model):
    """A fraud case (骗保案件): the amount wrongly paid is recovered; serious cases are fined 1–3× that
    amount; a false certificate is fined up to 1,000 yuan [R2] (parameters ``fraud_fine_multiplier_min``/
    ``_max``, ``false_certificate_fine_max``)."""

    REGION_FIELD = "household__region"

    household = models.ForeignKey("benefits.Household", verbose_name=_("涉案家庭"), on_delete=models.PROTECT,
                                  related_name="fraud_cases")
    kind = models.CharField(_("案件类型"), max_length=18, choices=FraudKind.choices)
    summary = models.TextField(_("案情"))
    tip_off = models.ForeignKey(TipOff, verbose_name=_("来源举报"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="fraud_cases")
    amount_wrongly_paid = models.DecimalField(_("违规领取金额(元)"), **MONEY, default=Decimal("0.00"),
                                              validators=[MinValueValidator(Decimal("0.00"))])
    serious = models.BooleanField(_("情节严重"), default=False)
    fine_amount = models.DecimalField(_("罚款(元)"), **MONEY, default=Decimal("0.00"),
                                      validators=[MinValueValidator(Decimal("0.00"))])
    status = models.CharField(_("状态"), max_length=8, choices=FraudStatus.choices, default=FraudStatus.OPEN)
    decision = models.TextField(_("处理决定"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    overpayment = models.OneToOneField("payroll.Overpayment", verbose_name=_("追回记录"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="fraud_case")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("立案人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("骗保案件")
        verbose_name_plural = _("骗保案件")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"案件 #{self.pk}"

    def audit_label(self) -> str:
        return f"骗保案件 #{self.pk}"


class DeathOutcome(models.TextChoices):
    ENROLMENT_ENDED = "ended", _("次月起停发")
    REVIEW_OPENED = "review", _("家庭仍有成员，已发起复核调整")
    NO_ENROLMENT = "none", _("无在保待遇")


class DeathReportStatus(models.TextChoices):
    """Where a death report stands. Staff reports are recorded at once (confirmed); a death that comes
    from a department file (公安死亡数据) waits for staff to confirm it — or to reject it as a data error."""

    PENDING = "pending", _("待核实确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回(数据有误)")


# The transition table of a death report (CONVENTIONS.md rule 7): only a pending report moves, once.
DEATH_REPORT_TRANSITIONS: dict[str, set[str]] = {
    DeathReportStatus.PENDING: {DeathReportStatus.CONFIRMED, DeathReportStatus.REJECTED},
    DeathReportStatus.CONFIRMED: set(),
    DeathReportStatus.REJECTED: set(),
}


class DeathReport(models.Model):
    """A death report (死亡报告) of a recipient household's member: payment stops from the next month.

    Reported by staff, it is recorded at once. Received from a department file, it is *pending*: the
    member's record, the enrolment and the payments change only when staff confirm it; a rejected report
    (the department's data was wrong) changes nothing. One report per member that is not rejected.
    """

    REGION_FIELD = "household__region"

    member = models.ForeignKey("benefits.Member", verbose_name=_("死亡成员"), on_delete=models.PROTECT,
                               related_name="death_reports")
    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="death_reports")
    died_on = models.DateField(_("死亡日期"))
    report_month = models.DateField(_("报告月份"), db_index=True, help_text=_("月份的第一天"))
    source = models.CharField(_("信息来源"), max_length=100, blank=True, help_text=_("如 公安户籍注销、殡葬、村居报告"))
    # What the report came from when it is not a staff report (e.g. "checks.flag" and the flag's id).
    source_type = models.CharField(_("来源类型"), max_length=40, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeathReportStatus.choices,
                              default=DeathReportStatus.PENDING, db_index=True)
    outcome = models.CharField(_("处理"), max_length=8, choices=DeathOutcome.choices, blank=True)
    stop_from = models.DateField(_("停发起始月"), null=True, blank=True)
    overpayment_count = models.PositiveIntegerField(_("追回笔数"), default=0)
    overpayment_amount = models.DecimalField(_("追回金额(元)"), **MONEY, default=Decimal("0.00"))
    review = models.ForeignKey("benefits.Review", verbose_name=_("复核"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认/驳回人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("确认/驳回时间"), null=True, blank=True)
    decision_note = models.TextField(_("核实说明"), blank=True)

    class Meta:
        verbose_name = _("死亡报告")
        verbose_name_plural = _("死亡报告")
        ordering = ["-report_month", "-died_on", "id"]
        permissions = (("confirm_deathreport", "Can confirm or reject imported deaths (确认/驳回部门比对死亡信息)"),)
        constraints = [
            # A member dies once; a rejected report (a data error) does not block a later, true one.
            models.UniqueConstraint(fields=["member"], condition=~Q(status="rejected"),
                                    name="one_death_report_per_member"),
            # Only a confirmed report has an outcome (what the death changed).
            models.CheckConstraint(condition=Q(status="confirmed", outcome__in=["ended", "review", "none"])
                                   | (~Q(status="confirmed") & Q(outcome="")),
                                   name="death_report_outcome_when_confirmed"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.died_on}"

    def audit_label(self) -> str:
        return f"死亡报告 #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == DeathReportStatus.PENDING
