"""Benefit records (DESIGN.md §2): households, members, income, assets, enrolments.

The household is the unit (保户不保人 [R1]). Application workflow, reviews, payroll,
integrity and department checks build on these (see benefits/README.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reemployment.core.append_only import AppendOnlyModel
from reemployment.core.models import Area, Region, Role, today
from reemployment.idcard import InvalidIdNumber, mask_id_number, mask_name, parse_id_number
from reemployment.policy.stages import COMMUNITY, COUNTY, TOWNSHIP, ApplicationStage, coerce_stages

MONEY = {"max_digits": 12, "decimal_places": 2}
# Monthly amounts above this are not plausible for a household's income item (typing errors).
MAX_MONTHLY_INCOME = Decimal("1000000.00")


def validate_id_number(value: str) -> None:
    try:
        parse_id_number(value)
    except InvalidIdNumber as exc:
        raise ValidationError(gettext(exc.message) % exc.values) from exc


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    GRANDPARENT = "grandparent", _("祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class WorkAbility(models.TextChoices):
    FULL = "full", _("有劳动能力")
    PARTIAL = "partial", _("部分丧失劳动能力")
    NONE = "none", _("无劳动能力")


class StudentStatus(models.TextChoices):
    NONE = "none", _("非在校生")
    SCHOOL = "school", _("中小学/中职在校")
    UNIVERSITY = "university", _("大学在校")


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("工资性收入")
    BUSINESS = "business", _("经营性收入")
    PENSION = "pension", _("养老金/退休金")
    AGRICULTURAL = "agricultural", _("农业实物收入")
    SUPPORT = "support", _("赡养/抚养/扶养费")
    TRANSFER = "transfer", _("转移性收入")
    OTHER = "other", _("其他收入")


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("存款/有价证券")
    VEHICLE = "vehicle", _("机动车辆")
    PROPERTY = "property", _("房产")


class Household(models.Model):
    """A household (家庭/户): the unit of the guarantee, registered at a community or village."""

    REGION_FIELD = "region"

    number = models.CharField(_("户编号"), max_length=20, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("户籍所在社区/村"), on_delete=models.PROTECT,
                               related_name="households")
    area = models.CharField(_("城乡"), max_length=5, choices=Area.choices)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    single_parent = models.BooleanField(_("单亲家庭"), default=False)
    disaster = models.BooleanField(_("因灾/意外致困"), default=False)
    bank_account = models.CharField(_("低保金账户(一卡通)"), max_length=32, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("对象登录账号"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="household")
    flags = models.JSONField(_("提示标记"), default=list, blank=True,
                             help_text=_("例如 person_in_two_households, carve_out (人户分离)"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        ordering = ["number"]
        indexes = [models.Index(fields=["region", "area"])]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"户 {self.number}"

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members.all() if m.relation == Relation.HEAD), None)


class Member(models.Model):
    """A household member (家庭成员) with the facts the rules look at."""

    REGION_FIELD = "household__region"

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="members")
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True, validators=[validate_id_number])
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    hukou_area = models.CharField(_("户口性质"), max_length=5, choices=Area.choices)
    serious_illness = models.BooleanField(_("重病"), default=False)
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), default=0, validators=[MaxValueValidator(4)], help_text=_("0 无；1、2 级为重度残疾")
    )
    work_ability = models.CharField(_("劳动能力"), max_length=8, choices=WorkAbility.choices, default=WorkAbility.FULL)
    student_status = models.CharField(_("在校情况"), max_length=10, choices=StudentStatus.choices,
                                      default=StudentStatus.NONE)
    three_no = models.BooleanField(_("三无人员"), default=False,
                                   help_text=_("无劳动能力、无生活来源、无法定赡养抚养扶养义务人"))
    died_on = models.DateField(_("死亡日期"), null=True, blank=True)
    left_on = models.DateField(_("迁出/离户日期"), null=True, blank=True)
    previous_household = models.ForeignKey(
        Household, verbose_name=_("原家庭"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("从另一户迁入时记录原户，用于发现“拆户单保”(人户分离)"),
    )

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household", "id"]

    def __str__(self) -> str:
        return mask_name(self.name)

    def human_label(self) -> str:
        """A person in a record's title: masked name and the ID number's region code, 王** (341125…)."""
        return f"{mask_name(self.name)} ({self.id_number[:6]}…)"

    def audit_label(self) -> str:
        return f"{mask_name(self.name)} {mask_id_number(self.id_number)}"

    @property
    def severe_disability(self) -> bool:
        return self.disability_grade in (1, 2)

    @property
    def is_current(self) -> bool:
        return self.died_on is None and self.left_on is None

    def clean(self) -> None:
        try:
            parsed = parse_id_number(self.id_number)
        except InvalidIdNumber as exc:
            raise ValidationError({"id_number": gettext(exc.message) % exc.values}) from exc
        errors = {}
        if self.birth_date and self.birth_date != parsed.birth_date:
            errors["birth_date"] = _("出生日期与身份证号码不一致（应为 %(d)s）") % {"d": parsed.birth_date}
        if self.sex and self.sex != parsed.sex:
            errors["sex"] = _("性别与身份证号码不一致")
        if self.died_on and self.birth_date and self.died_on < self.birth_date:
            errors["died_on"] = _("死亡日期早于出生日期")
        if errors:
            raise ValidationError(errors)


class IncomeItem(models.Model):
    """One declared monthly income item (家庭收入) of a member, by kind."""

    REGION_FIELD = "household__region"
    STR_RELATED = ("member",)  # what __str__ follows (admin lists fetch it with the rows)

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.CASCADE, related_name="incomes")
    member = models.ForeignKey(Member, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("收入类型"), max_length=12, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(_("月收入(元)"), **MONEY, default=Decimal("0.00"),
                                         validators=[MinValueValidator(Decimal("0.00")),
                                                     MaxValueValidator(MAX_MONTHLY_INCOME)])
    quantity = models.DecimalField(_("实物数量(每月)"), max_digits=12, decimal_places=3, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal(0))])
    unit = models.CharField(_("实物单位"), max_length=30, blank=True, help_text=_("须为公布折算价格的品种，如 稻谷(公斤)"))
    work_costs = models.DecimalField(_("就业必要成本(元/月)"), **MONEY, default=Decimal("0.00"),
                                     validators=[MinValueValidator(Decimal("0.00"))])
    away_from_home = models.BooleanField(_("外出务工"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("收入")
        verbose_name_plural = _("收入")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()}"

    def clean(self) -> None:
        if self.member_id and self.household_id and self.member.household_id != self.household_id:
            raise ValidationError({"member": _("成员不属于该家庭")})
        if self.kind == IncomeKind.AGRICULTURAL and self.quantity is not None and not self.unit:
            raise ValidationError({"unit": _("实物收入须注明品种单位")})


class Asset(models.Model):
    """Household assets (家庭财产) checked against the limits."""

    REGION_FIELD = "household__region"
    STR_RELATED = ("household",)  # what __str__ follows (admin lists fetch it with the rows)

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(_("财产类型"), max_length=10, choices=AssetKind.choices)
    value = models.DecimalField(_("金额/估值(元)"), **MONEY, default=Decimal("0.00"),
                                validators=[MinValueValidator(Decimal("0.00"))])
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("家庭财产")
        verbose_name_plural = _("家庭财产")

    def __str__(self) -> str:
        return f"{self.household.number} · {self.get_kind_display()}"


class Category(models.TextChoices):
    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("正常享受")
    SUSPENDED = "suspended", _("暂停")
    TRANSITIONAL = "transitional", _("就业过渡期")
    ENDED = "ended", _("已退出")


# Allowed status changes (CONVENTIONS.md rule 7): the one transition table of an enrolment.
ENROLMENT_TRANSITIONS: dict[str, set[str]] = {
    EnrolmentStatus.ACTIVE: {EnrolmentStatus.SUSPENDED, EnrolmentStatus.TRANSITIONAL, EnrolmentStatus.ENDED},
    EnrolmentStatus.SUSPENDED: {EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED},
    EnrolmentStatus.TRANSITIONAL: {EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED, EnrolmentStatus.SUSPENDED},
    EnrolmentStatus.ENDED: set(),
}
PAYABLE_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.TRANSITIONAL)


class Enrolment(models.Model):
    """An approved household's benefit (低保待遇): category, amount, status, history."""

    REGION_FIELD = "household__region"

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="enrolments")
    area = models.CharField(_("城乡"), max_length=5, choices=Area.choices)
    category = models.CharField(_("类别"), max_length=1, choices=Category.choices)
    monthly_amount = models.DecimalField(_("月保障金(元)"), **MONEY, validators=[MinValueValidator(Decimal("0.00"))])
    persons = models.PositiveSmallIntegerField(_("保障人数"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE,
                              db_index=True)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    certificate_number = models.CharField(_("低保证号"), max_length=30, unique=True)
    next_review_on = models.DateField(_("下次复核日期"), null=True, blank=True, db_index=True)
    # Transition benefit (就业过渡期, §4): what is paid, until when.
    transition_amount = models.DecimalField(_("过渡期月发放(元)"), **MONEY, null=True, blank=True)
    transition_from = models.DateField(_("过渡期起始"), null=True, blank=True)
    transition_until = models.DateField(_("过渡期截止"), null=True, blank=True)
    # The policy date the amount was priced at (标准/参数 of that date); empty: the start date.
    # A standard or amount parameter in force later makes the amount stale until apply_standard_change.
    priced_on = models.DateField(_("核定金额所依据的政策日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("低保待遇")
        verbose_name_plural = _("低保待遇")
        ordering = ["-start_date", "id"]
        constraints = [
            # A household has at most one current (not ended) enrolment.
            models.UniqueConstraint(fields=["household"], condition=~Q(status="ended"),
                                    name="one_current_enrolment_per_household"),
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="enrolment_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "area", "category"])]

    def __str__(self) -> str:
        return self.certificate_number

    def audit_label(self) -> str:
        return f"低保证 {self.certificate_number}"

    def in_transition(self, month: dt.date) -> bool:
        """Whether the month starting ``month`` lies inside the transition period.

        Months before the period starts (the job's own month) and after it ends (until the
        end-of-transition review has run) are paid the normal amount.
        """
        return (
            self.status == EnrolmentStatus.TRANSITIONAL
            and self.transition_amount is not None
            and (self.transition_from is None or self.transition_from <= month)
            and (self.transition_until is None or month <= self.transition_until)
        )

    def amount_for_month(self, month: dt.date) -> Decimal:
        """What the payroll pays for the month starting ``month`` (SQL twin in payroll.services)."""
        return self.transition_amount if self.in_transition(month) else self.monthly_amount

    @property
    def payable_amount(self) -> Decimal:
        """What this month's payroll pays: the transition amount inside the transition period."""
        from reemployment.dates import month_start

        return self.amount_for_month(month_start(today()))


class EnrolmentEventKind(models.TextChoices):
    ENTRY = "entry", _("纳入")
    EXIT = "exit", _("退出")
    SUSPENSION = "suspension", _("暂停")
    RESUMPTION = "resumption", _("恢复")
    AMOUNT_CHANGE = "amount_change", _("金额/类别调整")
    TRANSITION_START = "transition_start", _("进入就业过渡期")
    TRANSITION_END = "transition_end", _("过渡期结束")
    REPRICING = "repricing", _("提标调整")


class EnrolmentEvent(AppendOnlyModel):
    """Append-only history of an enrolment (有进有出 [R1]): entries, exits, changes."""

    append_only_update_message = _("待遇变动记录只能追加")
    append_only_delete_message = _("待遇变动记录不能删除")

    REGION_FIELD = "enrolment__household__region"
    STR_RELATED = ("enrolment",)  # what __str__ follows (admin lists fetch it with the rows)

    enrolment = models.ForeignKey(Enrolment, verbose_name=_("待遇"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=EnrolmentEventKind.choices, db_index=True)
    effective_on = models.DateField(_("生效日期"), db_index=True)
    status_before = models.CharField(_("变更前状态"), max_length=12, blank=True)
    status_after = models.CharField(_("变更后状态"), max_length=12, blank=True)
    category_before = models.CharField(_("变更前类别"), max_length=1, blank=True)
    category_after = models.CharField(_("变更后类别"), max_length=1, blank=True)
    amount_before = models.DecimalField(_("变更前金额"), **MONEY, null=True, blank=True)
    amount_after = models.DecimalField(_("变更后金额"), **MONEY, null=True, blank=True)
    # While transitional: what is paid instead of ``amount_after``, and until when.
    transition_amount_after = models.DecimalField(_("过渡期月发放"), **MONEY, null=True, blank=True)
    transition_until_after = models.DateField(_("过渡期截止"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待遇变动记录")
        verbose_name_plural = _("待遇变动记录")
        ordering = ["enrolment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.get_kind_display()} {self.effective_on:%Y-%m-%d}"


class ReviewKind(models.TextChoices):
    PERIODIC = "periodic", _("定期复核")
    POST_ENTRY = "post_entry", _("纳入后跟踪")
    DATA_FLAG = "data_flag", _("数据比对疑点")
    TRANSITION_END = "transition_end", _("过渡期届满")
    CHANGE_REPORT = "change_report", _("对象报告变化")
    TIP_OFF = "tip_off", _("举报核查")
    DEATH = "death", _("死亡报告")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("待复核")
    DECIDED = "decided", _("已处理")


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", _("维持")
    CHANGE = "change", _("调整")
    END = "end", _("停保")


class Review(models.Model):
    """A review (复核) of an enrolled household: periodic, after entry, or prompted by a finding.

    Opened by services (beat schedules, department checks, transitions, reports); decided by
    staff through ``review_decide``, which keeps, changes or ends the benefit.
    """

    REGION_FIELD = "household__region"

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="reviews")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("待遇"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="reviews")
    kind = models.CharField(_("复核类型"), max_length=16, choices=ReviewKind.choices)
    status = models.CharField(_("状态"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.OPEN,
                              db_index=True)
    reason = models.CharField(_("事由"), max_length=300)
    due_on = models.DateField(_("应完成日期"), db_index=True)
    source_type = models.CharField(_("来源类型"), max_length=60, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    outcome = models.CharField(_("结论"), max_length=8, choices=ReviewOutcome.choices, blank=True)
    findings = models.TextField(_("核查情况"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    new_category = models.CharField(_("调整后类别"), max_length=1, choices=Category.choices, blank=True)
    new_amount = models.DecimalField(_("调整后金额"), **MONEY, null=True, blank=True)
    assessment = models.JSONField(_("复核测算"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household.number}"

    def audit_label(self) -> str:
        return f"复核 {self.get_kind_display()} 户 {self.household_id}"

    class Meta:
        verbose_name = _("复核")
        verbose_name_plural = _("复核")
        ordering = ["due_on", "id"]
        constraints = [
            # One open review per household, kind and source: re-running a check opens no duplicate.
            models.UniqueConstraint(fields=["household", "kind", "source_type", "source_id"],
                                    condition=Q(status="open"), name="one_open_review_per_source"),
        ]


# ---------------------------------------------------------------------------
# Application workflow (申请审批, DESIGN.md §2 [R1][R2][R5])
# ---------------------------------------------------------------------------


class ApplicationStep(models.TextChoices):
    """Where an application stands. The allowed moves are ``APPLICATION_ACTIONS`` below."""

    SUBMITTED = "submitted", _("已受理，待入户调查")
    SURVEYED = "surveyed", _("已入户调查，待民主评议")
    APPRAISED = "appraised", _("已民主评议，待公示")
    NOTICE = "notice", _("评议结果公示中")
    REVIEWED = "reviewed", _("乡镇/街道已审核，待县级审批")
    APPROVED = "approved", _("县级已批准，名单公示中")
    ENROLLED = "enrolled", _("已纳入，已发证")
    REJECTED = "rejected", _("不予批准")


OPEN_APPLICATION_STEPS = (
    ApplicationStep.SUBMITTED, ApplicationStep.SURVEYED, ApplicationStep.APPRAISED, ApplicationStep.NOTICE,
    ApplicationStep.REVIEWED, ApplicationStep.APPROVED,
)
# The steps at which a stage's public notice runs: the community's appraisal notice (评议结果公示), the
# township's review notice (审核结果公示) and the county's approved list (审批结果公示). Which of them an
# application has is its ``StagePlan``'s business (the county's ``application_stages``).
NOTICE_STEPS = (ApplicationStep.NOTICE, ApplicationStep.REVIEWED, ApplicationStep.APPROVED)


class ApplicationAction(models.TextChoices):
    SUBMIT = "submit", _("受理申请")
    SURVEY = "survey", _("入户调查")
    APPRAISE = "appraise", _("民主评议")
    POST_NOTICE = "post_notice", _("张榜公示")
    REVIEW = "review", _("乡镇/街道审核")
    APPROVE = "approve", _("县级批准")
    REJECT = "reject", _("县级不予批准")
    DECLINE = "decline", _("拒绝就业不予受理")
    ENROL = "enrol", _("纳入并发证")
    OBJECTION = "objection", _("公示异议")
    OBJECTION_RESOLVED = "objection_resolved", _("异议处理")


@dataclass(frozen=True)
class Transition:
    """One move of an application in the transition table below.

    ``sources``: the steps it may start from (empty: it creates the application). ``target``: the step it
    leads to (``None``: the step stays — an objection pauses the flow where it is). ``roles``: the staff
    roles that do it (exactly: not even the system administrator, separation of duties).
    ``fast_track_sources``: further start steps of a fast-track application when the parameter
    ``fast_track_skip_appraisal`` is on. ``upheld_target``: where an upheld objection sends the application.
    """

    sources: tuple[str, ...]
    target: str | None
    roles: frozenset[str]
    fast_track_sources: tuple[str, ...] = ()
    upheld_target: str | None = None


_COMMUNITY = frozenset({Role.COMMUNITY})
_TOWNSHIP = frozenset({Role.TOWNSHIP})
_COUNTY = frozenset({Role.COUNTY})
_STAFF = frozenset({Role.COMMUNITY, Role.TOWNSHIP, Role.COUNTY})

# The one transition table of an application (CONVENTIONS.md rule 7): services check every move against
# it and the admin derives its buttons from it. Rural applications follow the same table (村委会 /
# 村民代表会议 / 乡镇 / 县). It is written for every stage a county may have; an application's
# ``StagePlan`` (below) leaves out the steps its county's stages do not have (``OPTIONAL_STEPS``), says at
# which steps a notice runs (a move from such a step waits for the notice's end; objections only there).
APPLICATION_ACTIONS: dict[str, Transition] = {
    ApplicationAction.SUBMIT: Transition((), ApplicationStep.SUBMITTED, _COMMUNITY),
    ApplicationAction.SURVEY: Transition((ApplicationStep.SUBMITTED,), ApplicationStep.SURVEYED, _COMMUNITY),
    ApplicationAction.APPRAISE: Transition((ApplicationStep.SURVEYED,), ApplicationStep.APPRAISED, _COMMUNITY),
    # Fast track (§4 [R4]): with ``fast_track_skip_appraisal`` the appraisal is skipped (the notice then
    # lasts ``fast_track_notice_days``).
    ApplicationAction.POST_NOTICE: Transition((ApplicationStep.APPRAISED,), ApplicationStep.NOTICE, _COMMUNITY,
                                              fast_track_sources=(ApplicationStep.SURVEYED,)),
    ApplicationAction.REVIEW: Transition((ApplicationStep.NOTICE,), ApplicationStep.REVIEWED, _TOWNSHIP),
    ApplicationAction.APPROVE: Transition((ApplicationStep.REVIEWED,), ApplicationStep.APPROVED, _COUNTY),
    ApplicationAction.REJECT: Transition((ApplicationStep.REVIEWED,), ApplicationStep.REJECTED, _COUNTY),
    ApplicationAction.ENROL: Transition((ApplicationStep.APPROVED,), ApplicationStep.ENROLLED, _COUNTY),
    # Refusing offered jobs twice without a valid reason ([R4], jobs app's sanction, confirmed by the county).
    ApplicationAction.DECLINE: Transition(OPEN_APPLICATION_STEPS, ApplicationStep.REJECTED, _COUNTY),
    # An objection during a notice period (until its last day; at the steps where the plan has a notice)
    # pauses the flow; dismissed, the flow goes on from the same step; upheld, the application goes back to
    # a new home survey.
    ApplicationAction.OBJECTION: Transition(NOTICE_STEPS, None, _STAFF),
    ApplicationAction.OBJECTION_RESOLVED: Transition(NOTICE_STEPS, None, _STAFF,
                                                     upheld_target=ApplicationStep.SUBMITTED),
}


# The step at which each level's notice runs.
STAGE_NOTICE_STEPS = {COMMUNITY: ApplicationStep.NOTICE, TOWNSHIP: ApplicationStep.REVIEWED,
                      COUNTY: ApplicationStep.APPROVED}
# Steps a county's stages may leave out, each with the move into it. A move whose source is left out starts
# where the move into it would have started: without a community notice the township reviews the appraised
# application; without a township stage the county decides after the community stage.
OPTIONAL_STEPS = {ApplicationStep.NOTICE: ApplicationAction.POST_NOTICE,
                  ApplicationStep.REVIEWED: ApplicationAction.REVIEW}


@dataclass(frozen=True)
class StagePlan:
    """The review and notice stages (审核公示环节) one application follows: the county's
    ``application_stages`` in force on its submission date (``reemployment/policy/stages.py``). Together with
    ``APPLICATION_ACTIONS`` it decides every move (``selectors.application_sources``)."""

    stages: tuple[ApplicationStage, ...]

    @classmethod
    def from_json(cls, data) -> StagePlan:
        return cls(coerce_stages("application_stages", data))

    def stage(self, level: str) -> ApplicationStage | None:
        return next((stage for stage in self.stages if stage.level == level), None)

    def has_step(self, step: str) -> bool:
        """Whether the application passes through ``step``: the community's notice step only when the
        community posts a notice, the township's review only when the township is a stage."""
        if step == ApplicationStep.NOTICE:
            community = self.stage(COMMUNITY)
            return community is not None and community.notice
        if step == ApplicationStep.REVIEWED:
            return self.stage(TOWNSHIP) is not None
        return True

    def notice_stage(self, step: str) -> ApplicationStage | None:
        """The stage whose notice runs at ``step`` (None: no notice at that step)."""
        return next((stage for stage in self.stages
                     if stage.notice and STAGE_NOTICE_STEPS[stage.level] == step), None)

    def notice_days(self, step: str, params) -> int:
        """Days of the notice at ``step``: the stage's ``notice_days``, else ``approval_notice_days`` for the
        county and ``appraisal_notice_days`` for the community and the township (``params``: in force on the
        day the notice is posted)."""
        stage = self.notice_stage(step)
        if stage.notice_days is not None:
            return stage.notice_days
        return params.approval_notice_days if stage.level == COUNTY else params.appraisal_notice_days

    def label(self) -> str:
        """e.g. "社区/村评议并公示 → 乡镇/街道审核 → 县级审批并公示" (in the active language)."""
        names = {COMMUNITY: gettext("社区/村评议"), TOWNSHIP: gettext("乡镇/街道审核"), COUNTY: gettext("县级审批")}

        def one(stage: ApplicationStage) -> str:
            if not stage.notice:
                return names[stage.level]
            if stage.notice_days is None:
                return gettext("%(stage)s并公示") % {"stage": names[stage.level]}
            return gettext("%(stage)s并公示%(days)s天") % {"stage": names[stage.level], "days": stage.notice_days}

        return " → ".join(one(stage) for stage in self.stages)


class Application(models.Model):
    """An application for the benefit (低保申请) of one household, moved step by step by staff."""

    REGION_FIELD = "household__region"

    number = models.CharField(_("申请编号"), max_length=30, unique=True)
    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="applications")
    area = models.CharField(_("城乡"), max_length=5, choices=Area.choices)
    step = models.CharField(_("办理环节"), max_length=10, choices=ApplicationStep.choices,
                            default=ApplicationStep.SUBMITTED, db_index=True)
    reason = models.TextField(_("申请理由"), blank=True)
    fast_track = models.BooleanField(_("快速通道(就业后再次纳入)"), default=False)
    fast_track_job_start = models.DateField(_("就业开始日期"), null=True, blank=True)
    fast_track_job_end = models.DateField(_("就业结束日期"), null=True, blank=True)
    survey_findings = models.TextField(_("入户调查情况"), blank=True)
    appraisal = models.JSONField(_("民主评议"), null=True, blank=True)
    township_opinion = models.TextField(_("乡镇/街道审核意见"), blank=True)
    decision_reason = models.TextField(_("审批意见/不予批准理由"), blank=True)
    rejection_notice = models.TextField(_("不予批准书面通知"), blank=True)
    assessment = models.JSONField(_("核算结果"), null=True, blank=True)
    category = models.CharField(_("拟定类别"), max_length=1, choices=Category.choices, blank=True)
    monthly_amount = models.DecimalField(_("拟定月保障金(元)"), **MONEY, null=True, blank=True)
    persons = models.PositiveSmallIntegerField(_("保障人数"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    # The county's application_stages on the submission date, kept so that a policy change does not alter
    # an application under way (null for applications made before they were kept: then read from the
    # parameters in force on ``submitted_on``, selectors.application_plan).
    stages = models.JSONField(_("审核公示环节"), null=True, blank=True)
    enrolment = models.OneToOneField(Enrolment, verbose_name=_("待遇"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="application")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("受理日期"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("低保申请")
        verbose_name_plural = _("低保申请")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            # A household has at most one application in progress.
            models.UniqueConstraint(
                fields=["household"], name="one_open_application_per_household",
                condition=Q(step__in=["submitted", "surveyed", "appraised", "notice", "reviewed", "approved"]),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"申请 {self.number}"

    @property
    def is_open(self) -> bool:
        return self.step in OPEN_APPLICATION_STEPS

    def has_open_objection(self) -> bool:
        return self.objections.filter(status=ObjectionStatus.OPEN).exists()


class ApplicationEvent(AppendOnlyModel):
    """Append-only record of each step of an application: who, when, what was found."""

    append_only_update_message = _("办理记录只能追加")
    append_only_delete_message = _("办理记录不能删除")

    REGION_FIELD = "application__household__region"

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="events")
    action = models.CharField(_("环节"), max_length=20, choices=ApplicationAction.choices)
    step_before = models.CharField(_("办理前"), max_length=10, blank=True)
    step_after = models.CharField(_("办理后"), max_length=10, blank=True)
    findings = models.TextField(_("情况/意见"), blank=True)
    data = models.JSONField(_("记录"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("经办人名称"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请办理记录")
        verbose_name_plural = _("申请办理记录")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


def attachment_path(instance, filename: str) -> str:
    return f"benefits/applications/{instance.application_id}/{filename}"


class PrivateStorage(FileSystemStorage):
    """Case files (survey forms, ID copies…) live outside MEDIA_ROOT, so no web server serves them:
    they are read through the scoped admin view only. Location: settings.PRIVATE_MEDIA_ROOT, or
    ``VAR_DIR/private``."""

    @cached_property
    def base_location(self):
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.VAR_DIR) / "private")

    @cached_property
    def base_url(self):
        return None


def private_storage():
    return PrivateStorage()


class Attachment(models.Model):
    """A file attached to a step (调查表、评议记录、公示照片…); size and type are checked by the service."""

    REGION_FIELD = "application__household__region"

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="attachments")
    event = models.ForeignKey(ApplicationEvent, verbose_name=_("办理环节"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["application", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


class Objection(models.Model):
    """An objection (公示异议) raised during a notice period: it pauses the flow until resolved."""

    REGION_FIELD = "application__household__region"

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT,
                                    related_name="objections")
    raised_on = models.DateField(_("提出日期"))
    raised_by = models.CharField(_("提出人(可匿名)"), max_length=100, blank=True)
    text = models.TextField(_("异议内容"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN, db_index=True)
    resolution = models.TextField(_("处理结果"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"{self.application.number} {self.raised_on}"
