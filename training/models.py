"""Providers, courses, enrolments, completion, placement, output rates (DESIGN.md §5, [R4]).

Trainees are household members (``benefits.Member``); the jobs app links its job seekers
to the same members, so training does not depend on jobs models. Integrity that must hold
under concurrency is in the database, not only in code:

- a course never has more enrolled trainees than places (``enrolled_count <= capacity``,
  kept by ``enrolment_create`` under a row lock on the course);
- a member is enrolled at most once per course (withdrawals excepted);
- an enrolment has at most one placement; one open accountability review per course; one
  subsidy payment per course.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reemployment.core.models import Region

MONEY = {"max_digits": 12, "decimal_places": 2}
RATE = {"max_digits": 7, "decimal_places": 4}


class CourseType(models.TextChoices):
    """Course types of the training-wish survey (培训意愿调查, [R4])."""

    SEWING = "sewing", _("缝纫")
    ELECTRONICS = "electronics", _("电子装配")
    MACHINING = "machining", _("车工/焊工/钳工")
    COMPUTER = "computer", _("计算机操作与维修")
    PROPERTY = "property", _("物业管理")
    CATERING = "catering", _("餐饮")
    SECURITY = "security", _("保安")
    STARTUP = "startup", _("创业")
    MINING = "mining", _("采矿")
    OTHER = "other", _("其他")


class TrainingWish(models.Model):
    """One answer of the training-wish survey (培训意愿): a member would like a course type."""

    REGION_FIELD = "region"

    member = models.ForeignKey("benefits.Member", verbose_name=_("求职人员"), on_delete=models.PROTECT,
                               related_name="training_wishes")
    region = models.ForeignKey(Region, verbose_name=_("所在社区/村"), on_delete=models.PROTECT, related_name="+",
                               help_text=_("登记时成员家庭所在社区/村"))
    course_type = models.CharField(_("希望培训类别"), max_length=16, choices=CourseType.choices)
    survey_round = models.CharField(_("调查批次"), max_length=20, help_text=_("例如 2026"))
    surveyed_on = models.DateField(_("调查日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("培训意愿")
        verbose_name_plural = _("培训意愿调查")
        ordering = ["-surveyed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "course_type", "survey_round"], name="one_wish_per_type_round"),
        ]
        indexes = [models.Index(fields=["survey_round", "course_type"])]

    def __str__(self) -> str:
        return f"{self.member} {self.get_course_type_display()}"

    def audit_label(self) -> str:
        return f"培训意愿 {self.member} {self.get_course_type_display()}"


class Provider(models.Model):
    """A training provider (培训机构) registered with the labour bureau."""

    REGION_FIELD = "region"

    name = models.CharField(_("机构名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("所属县/区"), on_delete=models.PROTECT, related_name="+")
    licence_number = models.CharField(_("办学许可证号"), max_length=50, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="provider_unique_name_per_region")]

    def __str__(self) -> str:
        return self.name


class CourseStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    RUNNING = "running", _("培训中")
    ENDED = "ended", _("已结业")
    CANCELLED = "cancelled", _("已取消")


# The one transition table of a course (CONVENTIONS.md rule 7).
COURSE_TRANSITIONS: dict[str, set[str]] = {
    CourseStatus.OPEN: {CourseStatus.RUNNING, CourseStatus.CANCELLED},
    CourseStatus.RUNNING: {CourseStatus.ENDED, CourseStatus.CANCELLED},
    CourseStatus.ENDED: set(),
    CourseStatus.CANCELLED: set(),
}


class CourseOutcome(models.TextChoices):
    """Accountability outcome (training.rules.assess_course)."""

    REVIEW = "review", _("责任倒查")
    REWARD = "reward", _("奖励")
    NORMAL = "normal", _("正常")


class Course(models.Model):
    """A training course (培训班): occupation, dates, place, capacity, subsidy, certificate.

    The assessment fields (``completed_count`` … ``assessment``) are written only by
    ``training.services.course_assess``: counts are computed set-based from the enrolments.
    """

    REGION_FIELD = "region"

    provider = models.ForeignKey(Provider, verbose_name=_("培训机构"), on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("课程名称"), max_length=120)
    course_type = models.CharField(_("培训类别"), max_length=16, choices=CourseType.choices)
    occupation = models.CharField(_("职业(工种)"), max_length=60)
    region = models.ForeignKey(Region, verbose_name=_("举办地(县/乡镇)"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("培训地点"), max_length=200)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    subsidy_per_trainee = models.DecimalField(_("每人培训补贴(元)"), **MONEY,
                                              validators=[MinValueValidator(Decimal("0.00"))])
    certificate_name = models.CharField(_("结业可获证书"), max_length=100, blank=True,
                                        help_text=_("例如 电子装配工（初级）职业技能等级证书"))
    # The name vacancies use for the same certificate (jobs.matching.text.CERTIFICATES): a course
    # certificate such as 焊工（初级）职业技能等级证书 must equal the 焊工证 a vacancy requires.
    standard_certificate = models.CharField(
        _("对应岗位证书"), max_length=30, blank=True,
        help_text=_("岗位“要求证书”所用的标准名称（如 焊工证、电工证、保安员证）；学员获证后按此名称参与岗位匹配。"
                    "留空时按证书名称自动识别"))
    description = models.TextField(_("课程介绍"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.OPEN,
                              db_index=True)
    enrolled_count = models.PositiveIntegerField(_("已报名"), default=0, editable=False)
    # Assessment (training.services.course_assess)
    completed_count = models.PositiveIntegerField(_("结业人数"), default=0, editable=False)
    placed_count = models.PositiveIntegerField(_("输出人数"), default=0, editable=False)
    basic_fail_count = models.PositiveIntegerField(_("不能从事基本操作人数"), default=0, editable=False)
    completion_rate = models.DecimalField(_("结业率"), **RATE, null=True, blank=True, editable=False)
    output_rate = models.DecimalField(_("输出率"), **RATE, null=True, blank=True, editable=False)
    outcome = models.CharField(_("考核结果"), max_length=8, choices=CourseOutcome.choices, blank=True, editable=False)
    outcome_final = models.BooleanField(_("考核已定"), default=False, editable=False,
                                        help_text=_("输出期届满后考核结果才最终确定"))
    marked_for_reward = models.BooleanField(_("列入奖励"), default=False, editable=False)
    subsidy_amount = models.DecimalField(_("应付培训补贴(元)"), **MONEY, null=True, blank=True, editable=False)
    assessed_at = models.DateTimeField(_("考核时间"), null=True, blank=True, editable=False)
    assessment = models.JSONField(_("考核明细"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   editable=False, on_delete=models.PROTECT, related_name="+",
                                   help_text=_("开班的劳动就业局工作人员；责任倒查默认由其承办"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(enrolled_count__lte=F("capacity")), name="course_within_capacity"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start"),
            models.CheckConstraint(condition=Q(subsidy_per_trainee__gte=0), name="course_subsidy_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.starts_on:%Y-%m-%d}）"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    COMPLETED = "completed", _("已结业")
    DROPPED = "dropped", _("未结业")
    WITHDRAWN = "withdrawn", _("已退出报名")


# The one transition table of a training enrolment. DROPPED ↔ COMPLETED are corrections.
ENROLMENT_TRANSITIONS: dict[str, set[str]] = {
    EnrolmentStatus.ENROLLED: {EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED, EnrolmentStatus.WITHDRAWN},
    EnrolmentStatus.COMPLETED: {EnrolmentStatus.DROPPED},
    EnrolmentStatus.DROPPED: {EnrolmentStatus.COMPLETED},
    EnrolmentStatus.WITHDRAWN: set(),
}
# Statuses that hold a place on the course (count towards capacity and "enrolled").
HOLDS_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED)


class TrainingEnrolment(models.Model):
    """A member's place on a course (报名), with attendance, completion, assessment, certificate."""

    REGION_FIELD = "member__household__region"

    course = models.ForeignKey(Course, verbose_name=_("培训班"), on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey("benefits.Member", verbose_name=_("学员"), on_delete=models.PROTECT,
                               related_name="training_enrolments")
    status = models.CharField(_("状态"), max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED, db_index=True)
    enrolled_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报名经办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    self_enrolled = models.BooleanField(_("本人网上报名"), default=False)
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    basic_operations_passed = models.BooleanField(
        _("能从事基本操作"), null=True, blank=True, help_text=_("结业考核：能否从事本工种基本操作；空=未考核"))
    assessment_note = models.CharField(_("考核说明"), max_length=200, blank=True)
    certificate_number = models.CharField(_("证书编号"), max_length=50, blank=True)
    certificate_issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("退出原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        ordering = ["course", "id"]
        constraints = [
            # No double enrolment: one place per member and course (a withdrawal frees it).
            models.UniqueConstraint(fields=["course", "member"], condition=~Q(status="withdrawn"),
                                    name="one_enrolment_per_member_course"),
            models.UniqueConstraint(fields=["certificate_number"], condition=~Q(certificate_number=""),
                                    name="certificate_number_unique"),
            models.CheckConstraint(condition=Q(status="completed", completed_on__isnull=False) | ~Q(status="completed"),
                                   name="completed_has_date"),
            models.CheckConstraint(condition=Q(certificate_number="") | Q(status="completed"),
                                   name="certificate_only_when_completed"),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.member} @ {self.course.title}"

    def audit_label(self) -> str:
        return f"培训学员 {self.member.audit_label()} #{self.course_id}"


class Attendance(models.Model):
    """Attendance (考勤) of one trainee on one course day."""

    REGION_FIELD = "enrolment__course__region"
    STR_RELATED = ("enrolment__member", "enrolment__course")  # what __str__ follows (admin lists fetch it with the rows)

    enrolment = models.ForeignKey(TrainingEnrolment, verbose_name=_("学员"), on_delete=models.CASCADE,
                                  related_name="attendance")
    day = models.DateField(_("日期"))
    present = models.BooleanField(_("出勤"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        ordering = ["day", "enrolment"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="one_attendance_per_day")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.day:%Y-%m-%d}"


class PlacementSource(models.TextChoices):
    HIRE = "hire", _("就业登记(录用)")
    STAFF = "staff", _("工作人员录入")


class Placement(models.Model):
    """Placement (输出): a completer in work within ``placement_window_months`` of completion."""

    REGION_FIELD = "enrolment__course__region"

    enrolment = models.OneToOneField(TrainingEnrolment, verbose_name=_("学员"), on_delete=models.PROTECT,
                                     related_name="placement")
    start_date = models.DateField(_("上岗日期"))
    employer_name = models.CharField(_("用人单位"), max_length=120)
    monthly_earnings = models.DecimalField(_("月收入(元)"), **MONEY, null=True, blank=True,
                                           validators=[MinValueValidator(Decimal("0.00"))])
    source = models.CharField(_("来源"), max_length=8, choices=PlacementSource.choices)
    source_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    evidence = models.CharField(_("证明材料"), max_length=300, blank=True,
                                help_text=_("劳动合同、社保缴费记录等；工作人员录入时必填"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训输出(就业)")
        verbose_name_plural = _("培训输出(就业)")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source="staff") | ~Q(evidence=""), name="staff_placement_has_evidence"),
        ]
        indexes = [models.Index(fields=["source", "source_id"])]

    def __str__(self) -> str:
        return f"{self.employer_name} {self.start_date}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("倒查中")
    CLOSED = "closed", _("已办结")


class ReviewOutcome(models.TextChoices):
    NO_FAULT = "no_fault", _("无责任")
    RECTIFY = "rectify", _("限期整改")
    SUBSIDY_REDUCED = "subsidy_reduced", _("核减补贴")
    DISQUALIFIED = "disqualified", _("取消培训资格")


class AccountabilityReview(models.Model):
    """Accountability review (责任倒查) of a course whose output or quality fell short [R4]."""

    REGION_FIELD = "course__region"

    course = models.ForeignKey(Course, verbose_name=_("培训班"), on_delete=models.PROTECT,
                               related_name="accountability_reviews")
    status = models.CharField(_("状态"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.OPEN,
                              db_index=True)
    grounds = models.TextField(_("倒查事由"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人(承办)"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("倒查情况"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=ReviewOutcome.choices, blank=True)
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("责任倒查")
        verbose_name_plural = _("责任倒查")
        ordering = ["status", "-opened_at"]
        constraints = [
            # One review per course: re-assessing a course never opens a second one.
            models.UniqueConstraint(fields=["course"], name="one_review_per_course"),
            models.CheckConstraint(condition=Q(status="open") | (~Q(outcome="") & Q(owner__isnull=False)),
                                   name="closed_review_has_owner_and_outcome"),
        ]

    def __str__(self) -> str:
        return f"责任倒查 {self.course.title}"


class SubsidyStatus(models.TextChoices):
    PROPOSED = "proposed", _("待支付")
    PAID = "paid", _("已支付")


class SubsidyPayment(models.Model):
    """The provider's training subsidy (培训补贴) for a course: computed, shown, then paid."""

    REGION_FIELD = "course__region"

    course = models.OneToOneField(Course, verbose_name=_("培训班"), on_delete=models.PROTECT,
                                  related_name="subsidy_payment")
    provider = models.ForeignKey(Provider, verbose_name=_("培训机构"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("补贴金额(元)"), **MONEY, validators=[MinValueValidator(Decimal("0.00"))])
    completed_count = models.PositiveIntegerField(_("结业人数"))
    placed_count = models.PositiveIntegerField(_("输出人数"))
    explanation = models.JSONField(_("计算过程"), default=list)
    parameters = models.JSONField(_("所用参数"), default=dict)
    status = models.CharField(_("状态"), max_length=8, choices=SubsidyStatus.choices, default=SubsidyStatus.PROPOSED,
                              db_index=True)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    voucher = models.CharField(_("支付凭证号"), max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("支付经办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("培训补贴")
        verbose_name_plural = _("培训补贴")
        ordering = ["status", "-computed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="subsidy_not_negative"),
            models.CheckConstraint(condition=Q(status="proposed") | Q(paid_on__isnull=False), name="paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} {self.amount} 元"
