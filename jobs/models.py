"""Job seekers, employers, vacancies, referrals, hires and sanction proposals (DESIGN.md §3).

Vectors for matching are stored on the rows (``vector``: float32 bytes, unit length) with the
hash of the text they encode (``vector_text_hash``) and the model fingerprint, so a vector is
computed once and re-computed only when the text or the model changes; the FAISS index
(jobs/matching/index.py) is rebuilt from these bytes without re-encoding.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reemployment.core.models import Region

MONEY = {"max_digits": 12, "decimal_places": 2}


class Hours(models.TextChoices):
    """Working hours (班次)."""

    DAY = "day", _("白班")
    NIGHT = "night", _("夜班")
    SHIFT = "shift", _("倒班")
    FLEXIBLE = "flexible", _("灵活/非全日制")


class Education(models.TextChoices):
    NONE = "none", _("未上学")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专/技校")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科及以上")


class SeekerStatus(models.TextChoices):
    ACTIVE = "active", _("求职中")
    PLACED = "placed", _("已就业")
    WITHDRAWN = "withdrawn", _("已注销")


class EncodedMixin(models.Model):
    """The stored sentence vector of a row and what it was computed from."""

    vector = models.BinaryField(_("语义向量"), null=True, blank=True, editable=False)
    vector_text_hash = models.CharField(max_length=64, blank=True, editable=False)
    vector_model = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True


class JobSeeker(EncodedMixin):
    """A job-seeker registration (求职登记) of one household member."""

    REGION_FIELD = "member__household__region"
    STR_RELATED = ("member",)  # what __str__ follows (admin lists fetch it with the rows)

    member = models.OneToOneField("benefits.Member", verbose_name=_("家庭成员"), on_delete=models.PROTECT,
                                  related_name="job_seeker")
    status = models.CharField(_("状态"), max_length=10, choices=SeekerStatus.choices, default=SeekerStatus.ACTIVE,
                              db_index=True)
    skills = models.TextField(_("技能"), blank=True, help_text=_("自由填写，如：会电焊，做过三年钢结构"))
    experience = models.TextField(_("工作经历"), blank=True)
    education = models.CharField(_("文化程度"), max_length=10, choices=Education.choices, default=Education.JUNIOR)
    certificates = models.JSONField(_("证书"), default=list, blank=True, help_text=_("如 焊工证、电工证、叉车证、健康证"))
    desired_occupations = models.JSONField(_("意向职业"), default=list, blank=True)
    preferred_townships = models.ManyToManyField(Region, verbose_name=_("意向乡镇"), blank=True, related_name="+")
    hours = models.JSONField(_("可接受班次"), default=list, blank=True, help_text=_("day / night / shift / flexible"))
    physical_limits = models.CharField(_("身体限制"), max_length=200, blank=True)
    registered_on = models.DateField(_("登记日期"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("求职登记")
        verbose_name_plural = _("求职登记")
        ordering = ["-registered_on", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.member.human_label()}"

    def audit_label(self) -> str:
        return f"求职登记 #{self.pk} {self.member.audit_label()}"


class Employer(models.Model):
    """An employer (用人单位) registered by labour-bureau staff."""

    REGION_FIELD = "region"

    name = models.CharField(_("单位名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="employers")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="employer_unique_name_region")]

    def __str__(self) -> str:
        return self.name


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("招聘中")
    CLOSED = "closed", _("已关闭")
    FILLED = "filled", _("已招满")
    EXPIRED = "expired", pgettext_lazy("岗位状态", "已过期")


# Allowed status changes (CONVENTIONS.md rule 7). Only OPEN vacancies are in the match index.
VACANCY_TRANSITIONS: dict[str, set[str]] = {
    VacancyStatus.OPEN: {VacancyStatus.CLOSED, VacancyStatus.FILLED, VacancyStatus.EXPIRED},
    VacancyStatus.CLOSED: {VacancyStatus.OPEN},
    VacancyStatus.FILLED: {VacancyStatus.OPEN},
    VacancyStatus.EXPIRED: {VacancyStatus.OPEN},
}


class Vacancy(EncodedMixin):
    """A vacancy (岗位) posted by labour-bureau staff; open vacancies are matched and searchable."""

    REGION_FIELD = "region"

    employer = models.ForeignKey(Employer, verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="vacancies")
    title = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("岗位描述"), blank=True)
    occupation = models.CharField(_("职业"), max_length=50, blank=True, help_text=_("如 电焊工、保安员、保洁员"))
    region = models.ForeignKey(Region, verbose_name=_("工作地点(乡镇/县)"), on_delete=models.PROTECT,
                               related_name="vacancies")
    pay_min = models.DecimalField(_("月薪下限(元)"), **MONEY, validators=[MinValueValidator(Decimal(0))])
    pay_max = models.DecimalField(_("月薪上限(元)"), **MONEY, validators=[MinValueValidator(Decimal(0))])
    hours = models.CharField(_("班次"), max_length=10, choices=Hours.choices, default=Hours.DAY)
    openings = models.PositiveIntegerField(_("招聘人数"), default=1, validators=[MinValueValidator(1)])
    requirements = models.TextField(_("任职要求"), blank=True)
    certificates = models.JSONField(_("要求证书"), default=list, blank=True)
    closes_on = models.DateField(_("截止日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN,
                              db_index=True)
    search_tokens = models.TextField(editable=False, blank=True, help_text="jieba tokens, space separated")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("岗位记录", "岗位")
        verbose_name_plural = _("岗位")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(pay_max__gte=models.F("pay_min")), name="vacancy_pay_range"),
        ]
        indexes = [
            models.Index(fields=["status", "closes_on"]),
            # Newest first (the default ordering, the portal listing and the staff list): with 50,000
            # open vacancies the listing walks this index and stops at its page instead of sorting all.
            models.Index(fields=["-created_at", "-id"], name="jobs_vacancy_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("已推荐，待反馈")
    HIRED = "hired", _("已录用")
    REFUSED = "refused", _("求职者拒绝")
    REJECTED = "rejected", _("用人单位未录用")
    NO_SHOW = "no_show", _("未到岗/未面试")


# Outcomes are recorded once (CONVENTIONS.md rule 7).
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.PENDING: {ReferralStatus.HIRED, ReferralStatus.REFUSED, ReferralStatus.REJECTED,
                             ReferralStatus.NO_SHOW},
    ReferralStatus.HIRED: set(),
    ReferralStatus.REFUSED: set(),
    ReferralStatus.REJECTED: set(),
    ReferralStatus.NO_SHOW: set(),
}


class Referral(models.Model):
    """A referral (推荐岗位) of a seeker to a vacancy, and its outcome."""

    REGION_FIELD = "seeker__member__household__region"
    STR_RELATED = ("seeker__member", "vacancy")  # what __str__ follows (admin lists fetch it with the rows)

    seeker = models.ForeignKey(JobSeeker, verbose_name=_("求职者"), on_delete=models.PROTECT, related_name="referrals")
    vacancy = models.ForeignKey(Vacancy, verbose_name=pgettext_lazy("岗位记录", "岗位"), on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(pgettext_lazy("推荐记录", "结果"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.PENDING, db_index=True)
    referred_on = models.DateField(_("推荐日期"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    match_reasons = models.JSONField(_("推荐理由"), default=list, blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=300, blank=True)
    refusal_valid = models.BooleanField(_("拒绝理由是否正当"), null=True, blank=True)
    refusal_judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位推荐")
        verbose_name_plural = _("岗位推荐")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "vacancy"], name="one_referral_per_seeker_vacancy"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.seeker.member.human_label()} → {self.vacancy}"


class Hire(models.Model):
    """A placement (就业登记): who started which job, when, for how much. Read by the work-incentive
    rules (§4) and training placement (§5) through ``jobs.selectors.hires_for_member``."""

    REGION_FIELD = "household__region"
    STR_RELATED = ("member", "vacancy")  # what __str__ follows (admin lists fetch it with the rows)

    referral = models.OneToOneField(Referral, verbose_name=_("推荐"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="hire")
    seeker = models.ForeignKey(JobSeeker, verbose_name=_("求职者"), on_delete=models.PROTECT, related_name="hires")
    member = models.ForeignKey("benefits.Member", verbose_name=_("家庭成员"), on_delete=models.PROTECT,
                               related_name="hires")
    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="hires")
    vacancy = models.ForeignKey(Vacancy, verbose_name=pgettext_lazy("岗位记录", "岗位"), on_delete=models.PROTECT, related_name="hires")
    start_date = models.DateField(_("上岗日期"))
    monthly_earnings = models.DecimalField(_("月收入(元)"), **MONEY, validators=[MinValueValidator(Decimal(0))])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("就业登记")
        verbose_name_plural = _("就业登记")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.member.human_label()} → {self.vacancy}"


class SanctionKind(models.TextChoices):
    SUSPEND_BENEFIT = "suspend", _("停发低保金")
    DECLINE_APPLICATION = "decline", _("不予受理申请")


class SanctionStatus(models.TextChoices):
    PROPOSED = "proposed", _("待民政部门确认")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("已驳回")


SANCTION_TRANSITIONS: dict[str, set[str]] = {
    SanctionStatus.PROPOSED: {SanctionStatus.CONFIRMED, SanctionStatus.DISMISSED},
    SanctionStatus.CONFIRMED: set(),
    SanctionStatus.DISMISSED: set(),
}


class SanctionProposal(models.Model):
    """A proposal (处理建议) to suspend the benefit or decline the application after refusals [R4];
    a county civil-affairs user confirms or dismisses it."""

    REGION_FIELD = "household__region"
    STR_RELATED = ("seeker__member",)  # what __str__ follows (admin lists fetch it with the rows)

    seeker = models.ForeignKey(JobSeeker, verbose_name=_("求职者"), on_delete=models.PROTECT,
                               related_name="sanction_proposals")
    household = models.ForeignKey("benefits.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="job_sanction_proposals")
    kind = models.CharField(_("建议"), max_length=10, choices=SanctionKind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=SanctionStatus.choices,
                              default=SanctionStatus.PROPOSED, db_index=True)
    refusals = models.ManyToManyField(Referral, verbose_name=_("所依据的拒绝"), related_name="+")
    explanation = models.CharField(_("依据"), max_length=300)
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("拒绝就业处理建议")
        verbose_name_plural = _("拒绝就业处理建议")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["seeker"], condition=Q(status="proposed"),
                                    name="one_open_sanction_proposal_per_seeker"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.seeker.member.human_label()}"
