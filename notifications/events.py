"""The events people are told about, and their texts (Chinese msgids; English in locale/en).

Each event the domain reports (``reemployment.core.notify.notify(event, key=…, **context)``) has an
:class:`EventSpec`: ``build(key, context)`` returns the :class:`Draft` messages (recipient, occurrence
key, title, text template and values) of a single occurrence; an event about thousands of households
(payroll lock, a standard raise, the periodic reviews) instead gives ``payload(context)`` — plain ids —
and ``expand(payload)``, which the ``notifications.expand_event`` task runs after the reporting
transaction commits, set-based. The daily reminders (course starting, transition ending) are expanded
by beat tasks with the same drafts.

Values are formatted in the recipient's language when the text is rendered (``render``): dates,
months and amounts by the language's conventions, lazy labels (steps, categories) through their
app's catalogue. Names of members are masked (张*): a text may go to a shared phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reemployment.idcard import mask_name
from reemployment.money import format_yuan

# --- values formatted in the recipient's language -----------------------------------------------

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


@dataclass(frozen=True)
class Month:
    """A benefit month (the first of the month), shown as 2026年11月 / November 2026."""

    first: dt.date


@dataclass(frozen=True)
class InSentence:
    """A label used inside an English sentence: its first letter in lower case ("a periodic review")."""

    label: Any


def format_value(value: Any) -> str:
    language = get_language() or "zh-hans"
    english = language.startswith("en")
    if isinstance(value, InSentence):
        text = str(value.label)
        return text[:1].lower() + text[1:] if english else text
    if isinstance(value, Month):
        day = value.first
        return f"{EN_MONTHS[day.month - 1]} {day.year}" if english else f"{day.year}年{day.month}月"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}" if english else \
            f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return format_yuan(value)
    if value is None or value == "":
        return "—"
    return str(value)


# --- drafts ---------------------------------------------------------------------------------------

@dataclass
class Draft:
    """One message of an event to one recipient (a household or a staff user), before rendering."""

    key: str  # the occurrence: with the event and the recipient, what makes it one notification
    title: Any
    template: Any
    values: dict = field(default_factory=dict)
    household_id: int | None = None
    user_id: int | None = None
    member_id: int | None = None

    @property
    def recipient_key(self) -> str:
        return f"household:{self.household_id}" if self.household_id else f"user:{self.user_id}"


@dataclass(frozen=True)
class EventSpec:
    build: Callable[[str, dict], list[Draft]] | None = None
    # For events about many households: the ids the expansion needs (None: build now instead) …
    payload: Callable[[dict], dict | None] | None = None
    # … and the drafts from them, run by a task after the reporting transaction has committed.
    expand: Callable[[dict], Iterable[Draft]] | None = None


HOW_TO_OBJECT = _("如对决定有异议，可自收到通知之日起60日内向县级人民政府申请行政复议，或在6个月内向人民法院提起行政诉讼。")


def _member(member) -> str:
    return mask_name(member.name) if member is not None else ""


# --- applications (申请审批) ----------------------------------------------------------------------

TITLE_APPLICATION = _("低保申请进度")
TITLE_APPROVED = _("低保申请已批准")
TITLE_DECLINED = _("低保申请不予批准")
TITLE_ENROLLED = _("已纳入低保")
TITLE_NOTICE = _("低保申请公示")

T_SUBMITTED = _("您户的低保申请（编号 %(number)s）已于 %(date)s 受理。下一步：社区（村）工作人员入户调查，"
                "请如实提供家庭人口、收入和财产情况。")
T_STEP = _("您户的低保申请（编号 %(number)s）已完成“%(action)s”，当前环节：%(step)s。")
T_NOTICE_STARTED = _("您户的低保申请（编号 %(number)s）的%(what)s正在张榜公示，公示期 %(start)s 至 %(end)s。"
                     "公示期内任何人都可以提出异议。")
# What a notice started by a step shows (the county's stages decide which steps post one, [R5]).
NOTICE_WHAT = {"post_notice": _("民主评议结果"), "review": _("乡镇（街道）审核结果")}
T_APPROVED = _("您户的低保申请（编号 %(number)s）已经县民政局批准：%(category)s，保障 %(persons)s 人，每月 %(amount)s 元。"
               "批准名单公示至 %(end)s，期满无异议后发放低保证。")
T_APPROVED_NO_NOTICE = _("您户的低保申请（编号 %(number)s）已经县民政局批准：%(category)s，保障 %(persons)s 人，"
                         "每月 %(amount)s 元。")
T_DECLINED = _("您户的低保申请（编号 %(number)s）不予批准。理由：%(reason)s。%(how_to_object)s")
T_ENROLLED = _("您户已纳入最低生活保障，低保证号 %(certificate)s，每月 %(amount)s 元，自 %(start)s 起按月发放到您的账户。")
T_OBJECTION = _("您户的低保申请（编号 %(number)s）在公示期间收到异议，暂停办理；社区（村）核实后会继续办理并告知您。")
T_OBJECTION_DISMISSED = _("您户的低保申请（编号 %(number)s）公示期间收到的异议经核实不成立，申请继续办理，"
                          "当前环节：%(step)s。")
T_OBJECTION_UPHELD = _("您户的低保申请（编号 %(number)s）公示期间收到的异议经核实成立，将重新入户调查。")


def _application_step(key: str, context: dict) -> list[Draft]:
    """Every step of an application (``ApplicationEvent``): submitted, each step, the notice period,
    approval with the amount, refusal with the reason and how to object, enrolment, objections."""
    from benefits.models import ApplicationAction, ApplicationStep, Category

    application, action = context["application"], context["action"]
    values = {"number": application.number}
    step_label = ApplicationStep(application.step).label
    if action == ApplicationAction.SUBMIT:
        title, template = TITLE_APPLICATION, T_SUBMITTED
        values["date"] = application.submitted_on
    elif application.step == ApplicationStep.REJECTED:  # rejected, declined, or a failed appraisal
        title, template = TITLE_DECLINED, T_DECLINED
        values.update(reason=(application.decision_reason or "").strip().rstrip("。"), how_to_object=HOW_TO_OBJECT)
    elif action in NOTICE_WHAT and application.notice_end is not None:  # a step that posted a notice
        title, template = TITLE_NOTICE, T_NOTICE_STARTED
        values.update(what=InSentence(NOTICE_WHAT[action]), start=application.notice_start,
                      end=application.notice_end)
    elif action == ApplicationAction.APPROVE:  # with the approved list's notice when the stages give one
        title, template = TITLE_APPROVED, (T_APPROVED if application.notice_end is not None else T_APPROVED_NO_NOTICE)
        values.update(category=Category(application.category).label if application.category else "",
                      persons=application.persons, amount=application.monthly_amount, end=application.notice_end)
    elif action == ApplicationAction.ENROL:
        enrolment = application.enrolment
        title, template = TITLE_ENROLLED, T_ENROLLED
        values.update(certificate=enrolment.certificate_number, amount=enrolment.monthly_amount,
                      start=enrolment.start_date)
    elif action == ApplicationAction.OBJECTION:
        title, template = TITLE_NOTICE, T_OBJECTION
    elif action == ApplicationAction.OBJECTION_RESOLVED:
        upheld = application.step == ApplicationStep.SUBMITTED
        title, template = TITLE_NOTICE, (T_OBJECTION_UPHELD if upheld else T_OBJECTION_DISMISSED)
        values["step"] = step_label
    else:  # survey, appraisal passed, township review
        title, template = TITLE_APPLICATION, T_STEP
        values.update(action=ApplicationAction(action).label, step=step_label)
    return [Draft(key=key, title=title, template=template, values=values, household_id=application.household_id)]


# --- the enrolment (待遇) -------------------------------------------------------------------------

TITLE_BENEFIT = _("低保待遇变动")
TITLE_TRANSITION = _("就业过渡期")
T_AMOUNT_CHANGED = _("您户的月保障金自 %(date)s 起由 %(before)s 元调整为 %(after)s 元。原因：%(reason)s。%(how_to_object)s")
T_TRANSITION_AMOUNT = _("就业过渡期内您户每月发放的金额自 %(date)s 起调整为 %(amount)s 元，过渡期至 %(until)s。"
                        "原因：%(reason)s。")
T_SUSPENDED = _("您户的低保金自 %(date)s 起暂停发放。原因：%(reason)s。%(how_to_object)s")
T_RESUMED = _("您户的低保金自 %(date)s 起恢复发放，每月 %(amount)s 元。")
T_ENDED = _("您户的最低生活保障自 %(date)s 起停止。原因：%(reason)s。%(how_to_object)s")
T_TRANSITION_STARTED = _("您户进入就业过渡期：%(start)s 至 %(until)s 每月发放 %(amount)s 元（原月保障金 %(normal)s 元）。"
                         "过渡期满后将复核家庭收入。")
T_TRANSITION_ENDED = _("您户的就业过渡期已于 %(date)s 结束，恢复按月保障金 %(amount)s 元发放；社区（村）将复核家庭收入。")
T_TRANSITION_ENDING = _("您户的就业过渡期将于 %(until)s 结束（还有 %(days)s 天）。结束后将复核家庭收入，并按复核结果发放低保金。")
T_REPRICED = _("因低保标准调整（提标），您户的月保障金自 %(month)s 起由 %(before)s 元调整为 %(after)s 元。")


def _reason(text: str) -> str:
    return (text or "").strip().rstrip("。")[:200]


def _enrolment_changed(key: str, context: dict) -> list[Draft]:
    """A change of an enrolment (``enrolments._transition``): amount, suspension, resumption, end,
    the transition benefit starting or ending."""
    enrolment, event, action = context["enrolment"], context["event"], context["action"]
    values = {"date": event.effective_on, "reason": _reason(event.reason), "how_to_object": HOW_TO_OBJECT}
    title = TITLE_BENEFIT
    if action == "change":
        if event.amount_before == event.amount_after and event.category_before == event.category_after:
            return []
        template = T_AMOUNT_CHANGED
        values.update(before=event.amount_before, after=event.amount_after)
    elif action == "transition_amount_change":
        title, template = TITLE_TRANSITION, T_TRANSITION_AMOUNT
        values.update(amount=enrolment.transition_amount, until=enrolment.transition_until)
    elif action == "suspend":
        template = T_SUSPENDED
    elif action == "resume":
        template = T_RESUMED
        values["amount"] = enrolment.monthly_amount
    elif action == "end":
        template = T_ENDED
    elif action == "transition_start":
        title, template = TITLE_TRANSITION, T_TRANSITION_STARTED
        values.update(start=enrolment.transition_from, until=enrolment.transition_until,
                      amount=enrolment.transition_amount, normal=enrolment.monthly_amount)
    elif action == "transition_end":
        title, template = TITLE_TRANSITION, T_TRANSITION_ENDED
        values["amount"] = enrolment.monthly_amount
    else:
        return []
    return [Draft(key=key, title=title, template=template, values=values, household_id=enrolment.household_id)]


def _repriced_payload(context: dict) -> dict:
    return {"county_id": context["county"].pk, "month": context["month"].isoformat()}


def _repriced_expand(payload: dict) -> Iterator[Draft]:
    """One message per re-priced enrolment (its ``repricing`` event) of the county and month."""
    from benefits.models import EnrolmentEvent, EnrolmentEventKind
    from reemployment.core.models import Region

    county = Region.objects.get(pk=payload["county_id"])
    month = dt.date.fromisoformat(payload["month"])
    rows = (EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.REPRICING, effective_on=month,
                                          enrolment__household__region__path__startswith=county.path)
            .order_by("pk").values_list("pk", "enrolment__household_id", "amount_before", "amount_after"))
    for pk, household_id, before, after in rows.iterator(chunk_size=2000):
        yield Draft(key=f"enrolment-event:{pk}", title=TITLE_BENEFIT, template=T_REPRICED,
                    values={"month": Month(month), "before": before, "after": after}, household_id=household_id)


def transition_ending_drafts(as_of: dt.date, days: int) -> Iterator[Draft]:
    """Households whose transition benefit ends within ``days`` days (daily beat; once per period)."""
    from benefits.models import Enrolment, EnrolmentStatus

    rows = (Enrolment.objects.filter(status=EnrolmentStatus.TRANSITIONAL, transition_until__gte=as_of,
                                     transition_until__lte=as_of + dt.timedelta(days=days))
            .order_by("pk").values_list("pk", "household_id", "transition_until"))
    for pk, household_id, until in rows.iterator(chunk_size=2000):
        yield Draft(key=f"enrolment:{pk}:{until.isoformat()}", title=TITLE_TRANSITION, template=T_TRANSITION_ENDING,
                    values={"until": until, "days": (until - as_of).days}, household_id=household_id)


# --- reviews (复核) -------------------------------------------------------------------------------

TITLE_REVIEW = _("低保复核")
T_REVIEW_DUE = _("您户的低保将进行%(kind)s，请在 %(due)s 前配合社区（村）工作人员核查家庭人口、收入和财产情况。")
T_REVIEW_KEPT = _("您户的低保复核已完成：维持原待遇，每月 %(amount)s 元。")
T_REVIEW_CHANGED = _("您户的低保复核已完成：自 %(date)s 起为%(category)s，每月 %(amount)s 元（原 %(before)s 元）。%(how_to_object)s")
T_REVIEW_ENDED = _("您户的低保复核已完成：自 %(date)s 起停止发放低保金。理由：%(reason)s。%(how_to_object)s")

# Reviews announced to the household. Not announced before a decision: those prompted by a tip-off,
# a department data flag or a death (investigations); the follow-up after entry and the review at the
# end of a transition are told by the enrolment and transition messages themselves.
ANNOUNCED_REVIEW_KINDS = ("periodic", "change_report")


def _review_draft(pk: int, household_id: int, kind: str, due_on: dt.date) -> Draft:
    from benefits.models import ReviewKind

    return Draft(key=f"review:{pk}", title=TITLE_REVIEW, template=T_REVIEW_DUE,
                 values={"kind": InSentence(ReviewKind(kind).label), "due": due_on}, household_id=household_id)


def _review_due(key: str, context: dict) -> list[Draft]:
    review = context["review"]
    if review.kind not in ANNOUNCED_REVIEW_KINDS:
        return []
    return [_review_draft(review.pk, review.household_id, review.kind, review.due_on)]


def _reviews_due_payload(context: dict) -> dict | None:
    if "review" in context:
        return None  # one review: written now, in the reporting transaction
    return {"as_of": context["as_of"].isoformat()}


def _reviews_due_expand(payload: dict) -> Iterator[Draft]:
    """The periodic reviews opened by the nightly run (opened on or after the day before ``as_of``:
    a run repeated or late finds them again and the keys keep it to one message each)."""
    from benefits.models import Review, ReviewKind, ReviewStatus
    from reemployment.core.models import today

    as_of = dt.date.fromisoformat(payload["as_of"])
    since = min(as_of, today()) - dt.timedelta(days=1)
    rows = (Review.objects.filter(kind=ReviewKind.PERIODIC, status=ReviewStatus.OPEN, opened_at__date__gte=since)
            .order_by("pk").values_list("pk", "household_id", "kind", "due_on"))
    for pk, household_id, kind, due_on in rows.iterator(chunk_size=2000):
        yield _review_draft(pk, household_id, kind, due_on)


def _review_decided(key: str, context: dict) -> list[Draft]:
    """The result of a review (it tells of the change or end it made: those send nothing themselves)."""
    from benefits.models import Category, EnrolmentEvent, ReviewOutcome

    review = context["review"]
    enrolment = review.enrolment
    if enrolment is None:
        return []
    enrolment.refresh_from_db()
    if review.outcome == ReviewOutcome.KEEP:
        template, values = T_REVIEW_KEPT, {"amount": enrolment.monthly_amount}
    elif review.outcome == ReviewOutcome.CHANGE:
        latest = EnrolmentEvent.objects.filter(enrolment=enrolment).order_by("-id").first()
        template = T_REVIEW_CHANGED
        values = {"date": latest.effective_on if latest else review.decided_at, "amount": enrolment.monthly_amount,
                  "category": Category(enrolment.category).label,
                  "before": latest.amount_before if latest else enrolment.monthly_amount,
                  "how_to_object": HOW_TO_OBJECT}
    else:
        template = T_REVIEW_ENDED
        values = {"date": enrolment.end_date, "reason": _reason(review.findings), "how_to_object": HOW_TO_OBJECT}
    return [Draft(key=key, title=TITLE_REVIEW, template=template, values=values, household_id=review.household_id)]


# --- payroll (发放) -------------------------------------------------------------------------------

TITLE_PAID = _("低保金发放")
T_PAID = _("%(month)s低保金 %(amount)s 元已发放到您的账户（%(bank)s，尾号 %(tail)s），请查收。")


def _paid_payload(context: dict) -> dict:
    return {"run_id": context["run"].pk}


def _paid_expand(payload: dict) -> Iterator[Draft]:
    """One message per payment line of the locked month."""
    from benefits.payroll.models import PaymentLine

    rows = (PaymentLine.objects.filter(run_id=payload["run_id"]).order_by("pk")
            .values_list("pk", "household_id", "month", "amount", "bank_name", "bank_account"))
    for pk, household_id, month, amount, bank_name, bank_account in rows.iterator(chunk_size=2000):
        yield Draft(key=f"payment-line:{pk}", title=TITLE_PAID, template=T_PAID,
                    values={"month": Month(month), "amount": amount, "bank": bank_name or "—",
                            "tail": (bank_account or "")[-4:] or "—"}, household_id=household_id)


# --- jobs: referrals and sanctions (推荐岗位、拒绝就业处理) ------------------------------------------

TITLE_REFERRAL = _("岗位推荐")
TITLE_REFUSAL = _("拒绝推荐岗位提醒")
TITLE_SANCTION = _("拒绝就业处理建议")
T_REFERRAL = _("%(member)s 已被推荐到“%(employer)s”的“%(title)s”岗位（月薪 %(pay)s 元，工作地点 %(place)s）。"
               "单位地址：%(address)s；联系电话：%(phone)s。推荐日期 %(date)s，请在 %(closes)s 前与用人单位联系面试。")
T_REFUSAL_WARNING = _("%(member)s 于 %(date)s 拒绝了推荐岗位“%(title)s”，经认定没有正当理由。这是第 %(count)s 次；"
                      "再有 %(left)s 次无正当理由拒绝推荐岗位，将%(consequence)s。如有正当理由（如患病、需要照料家人），"
                      "请尽快告知劳动就业局或社区（村）。")
CONSEQUENCE_SUSPEND = _("暂停发放您户的低保金")
CONSEQUENCE_DECLINE = _("不予批准您户的低保申请")
T_SANCTION_PROPOSED = _("因 %(member)s 无正当理由拒绝推荐岗位 %(count)s 次，劳动就业局已提出处理建议：%(kind)s，"
                        "待县民政局确认。确认前您可以向县民政局说明情况。")
T_SANCTION_TO_STAFF = _("待确认：户 %(household)s 的拒绝就业处理建议 #%(proposal)s（%(kind)s）。")
T_SANCTION_SUSPENDED = _("县民政局已确认处理建议：因 %(member)s 无正当理由拒绝推荐岗位，您户的低保金暂停发放。%(how_to_object)s")
T_SANCTION_DECLINED = _("县民政局已确认处理建议：因 %(member)s 无正当理由拒绝推荐岗位，您户的低保申请不予批准。%(how_to_object)s")
T_SANCTION_CONFIRMED = _("县民政局已确认关于 %(member)s 拒绝推荐岗位的处理建议；您户目前没有可暂停的待遇或在办的申请，未作变更。")
T_SANCTION_DISMISSED = _("县民政局未采纳关于 %(member)s 拒绝推荐岗位的处理建议，您户的低保待遇不受影响。")


def _referral_created(key: str, context: dict) -> list[Draft]:
    referral = context["referral"]
    vacancy, member = referral.vacancy, referral.seeker.member
    employer = vacancy.employer
    values = {"member": _member(member), "employer": employer.name, "title": vacancy.title,
              "pay": f"{format_yuan(vacancy.pay_min)}–{format_yuan(vacancy.pay_max)}", "place": vacancy.region.name,
              "address": employer.address or employer.region.name, "phone": employer.phone,
              "date": referral.referred_on, "closes": vacancy.closes_on}
    return [Draft(key=key, title=TITLE_REFERRAL, template=T_REFERRAL, values=values,
                  household_id=member.household_id, member_id=member.pk)]


def _refusal_warning(key: str, context: dict) -> list[Draft]:
    """The first refusal without a valid reason (before any sanction): one more suspends the benefit."""
    referral, count, threshold = context["referral"], context["count"], context["threshold"]
    member = referral.seeker.member
    values = {"member": _member(member), "date": referral.outcome_on, "title": referral.vacancy.title,
              "count": count, "left": max(threshold - count, 1),
              "consequence": CONSEQUENCE_SUSPEND if context.get("enrolled") else CONSEQUENCE_DECLINE}
    return [Draft(key=key, title=TITLE_REFUSAL, template=T_REFUSAL_WARNING, values=values,
                  household_id=member.household_id, member_id=member.pk)]


def _sanction_proposed(key: str, context: dict) -> list[Draft]:
    """To the household; and to the county civil-affairs staff whose decision it awaits."""
    from jobs.models import SanctionKind
    from reemployment.core.models import Role, User

    proposal = context["proposal"]
    member = proposal.seeker.member
    kind = SanctionKind(proposal.kind).label
    drafts = [Draft(key=key, title=TITLE_SANCTION, template=T_SANCTION_PROPOSED,
                    values={"member": _member(member), "count": proposal.refusals.count(), "kind": kind},
                    household_id=proposal.household_id, member_id=member.pk)]
    region_path = proposal.household.region.path
    for user_id, user_region_path in User.objects.filter(role=Role.COUNTY, is_active=True).values_list(
            "pk", "region__path"):
        if user_region_path and region_path.startswith(user_region_path):
            drafts.append(Draft(key=key, title=TITLE_SANCTION, template=T_SANCTION_TO_STAFF,
                                values={"household": proposal.household.number, "proposal": proposal.pk, "kind": kind},
                                user_id=user_id))
    return drafts


def _sanction_decided(key: str, context: dict) -> list[Draft]:
    """Confirmed (the suspension or refusal it made is told here, not separately) or dismissed."""
    from jobs.models import SanctionKind, SanctionStatus

    proposal = context["proposal"]
    member = proposal.seeker.member
    values = {"member": _member(member), "how_to_object": HOW_TO_OBJECT}
    if proposal.status == SanctionStatus.DISMISSED:
        template = T_SANCTION_DISMISSED
    elif not context.get("changed", True):
        template = T_SANCTION_CONFIRMED
    elif proposal.kind == SanctionKind.SUSPEND_BENEFIT:
        template = T_SANCTION_SUSPENDED
    else:
        template = T_SANCTION_DECLINED
    return [Draft(key=key, title=TITLE_SANCTION, template=template, values=values,
                  household_id=proposal.household_id, member_id=member.pk)]


# --- training (培训) ------------------------------------------------------------------------------

TITLE_TRAINING = _("培训")
T_TRAINING_ENROLLED = _("%(member)s 已报名培训班“%(course)s”：%(start)s 至 %(end)s，地点：%(place)s。")
T_COURSE_STARTING = _("培训班“%(course)s”将于 %(start)s 开班，地点：%(place)s。请 %(member)s 按时参加。")
T_CERTIFIED = _("%(member)s 已获得“%(certificate)s”（证书编号 %(number)s），证书已记入求职档案，用于岗位匹配。")


def _training_enrolled(key: str, context: dict) -> list[Draft]:
    enrolment = context["enrolment"]
    course, member = enrolment.course, enrolment.member
    values = {"member": _member(member), "course": course.title, "start": course.starts_on, "end": course.ends_on,
              "place": course.place}
    return [Draft(key=key, title=TITLE_TRAINING, template=T_TRAINING_ENROLLED, values=values,
                  household_id=member.household_id, member_id=member.pk)]


def _training_certified(key: str, context: dict) -> list[Draft]:
    enrolment = context["enrolment"]
    course, member = enrolment.course, enrolment.member
    values = {"member": _member(member), "certificate": course.certificate_name or course.title,
              "number": enrolment.certificate_number}
    return [Draft(key=key, title=TITLE_TRAINING, template=T_CERTIFIED, values=values,
                  household_id=member.household_id, member_id=member.pk)]


def course_starting_drafts(as_of: dt.date, days: int) -> Iterator[Draft]:
    """Trainees of courses that start within ``days`` days (daily beat; once per course start)."""
    from training.models import CourseStatus, EnrolmentStatus, TrainingEnrolment

    rows = (TrainingEnrolment.objects.filter(status=EnrolmentStatus.ENROLLED,
                                             course__status__in=[CourseStatus.OPEN, CourseStatus.RUNNING],
                                             course__starts_on__gte=as_of,
                                             course__starts_on__lte=as_of + dt.timedelta(days=days))
            .order_by("pk").values_list("pk", "member_id", "member__name", "member__household_id", "course__title",
                                        "course__starts_on", "course__place"))
    for pk, member_id, name, household_id, title, starts_on, place in rows.iterator(chunk_size=2000):
        yield Draft(key=f"training-enrolment:{pk}:{starts_on.isoformat()}", title=TITLE_TRAINING,
                    template=T_COURSE_STARTING,
                    values={"course": title, "start": starts_on, "place": place, "member": mask_name(name)},
                    household_id=household_id, member_id=member_id)


# --- the catalogue --------------------------------------------------------------------------------

EVENTS: dict[str, EventSpec] = {
    "application.step": EventSpec(build=_application_step),
    "enrolment.changed": EventSpec(build=_enrolment_changed),
    "enrolment.repriced": EventSpec(payload=_repriced_payload, expand=_repriced_expand),
    "review.due": EventSpec(build=_review_due, payload=_reviews_due_payload, expand=_reviews_due_expand),
    "review.decided": EventSpec(build=_review_decided),
    "payroll.paid": EventSpec(payload=_paid_payload, expand=_paid_expand),
    "referral.created": EventSpec(build=_referral_created),
    "referral.refusal_warning": EventSpec(build=_refusal_warning),
    "sanction.proposed": EventSpec(build=_sanction_proposed),
    "sanction.decided": EventSpec(build=_sanction_decided),
    "training.enrolled": EventSpec(build=_training_enrolled),
    "training.certified": EventSpec(build=_training_certified),
    # Written by this app's daily beat task (tasks.send_daily_reminders), not reported by a service.
    "training.course_starting": EventSpec(),
    "transition.ending": EventSpec(),
}
