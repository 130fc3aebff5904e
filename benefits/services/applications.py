"""Application workflow (申请审批): submit, survey, appraise, notice, review, approve, reject, enrol.
The transition table is ``APPLICATION_ACTIONS`` in models.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits import hooks
from benefits.models import (
    APPLICATION_ACTIONS,
    OPEN_APPLICATION_STEPS,
    Application,
    ApplicationAction,
    ApplicationStep,
    EnrolmentStatus,
    Household,
    IncomeItem,
    ReviewKind,
)
from benefits.selectors import application_plan, assess, assessment_json
from benefits.services._workflow import (
    _advance,
    _check_move,
    _lock_application,
    _require_step_role,
    _start_notice,
    _step_event,
    _workflow_params,
    attachment_add,
)
from benefits.services.accounts import recipient_account_create
from benefits.services.cadre import case_flag_cadre_relative
from benefits.services.enrolments import enrolment_start, next_review_date
from benefits.services.households import household_refresh_flags
from benefits.services.reviews import review_open
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError
from reemployment.core.models import today
from reemployment.core.permissions import actor_user
from reemployment.dates import add_months
from reemployment.money import round_yuan
from reemployment.policy.stages import stages_jsonable


@transaction.atomic
def application_submit(*, actor, household: Household, reason: str = "", submitted_on: dt.date | None = None,
                       fast_track: bool = False, job_start: dt.date | None = None, job_end: dt.date | None = None,
                       attachments=()):
    """Take an application at the community/village (受理). A household has one current application or
    enrolment at a time. ``fast_track`` (就业后再次纳入 §4 [R4]) needs a job that ended inside the window."""
    household = Household.objects.select_for_update(of=("self",)).select_related("region").get(pk=household.pk)
    submitted_on = submitted_on or today()
    application = Application(household=household, area=household.area, submitted_on=submitted_on,
                              reason=reason, step=APPLICATION_ACTIONS[ApplicationAction.SUBMIT].target,
                              submitted_by=actor_user(actor))
    _require_step_role(actor, application, ApplicationAction.SUBMIT)
    if household.enrolments.exclude(status=EnrolmentStatus.ENDED).exists():
        raise Conflict(_("该家庭已在保，不能重复申请"), code="already_enrolled")
    if household.applications.filter(step__in=OPEN_APPLICATION_STEPS).exists():
        raise Conflict(_("该家庭已有办理中的申请"),
                       code="duplicate_application")
    if not household.members.filter(died_on__isnull=True, left_on__isnull=True).exists():
        raise DomainError(_("请先登记家庭成员"))
    data = {}
    if fast_track:
        if job_start is None or job_end is None:
            raise DomainError(_("快速通道须填写就业起止日期"),
                              field_errors={"job_end": [_("必填")]})
        # Assessed and recorded (parameters used, the job it follows) as a work-incentive rule application.
        assessment = hooks.fast_track_assess(actor=actor, household=household, job_start=job_start, job_end=job_end,
                                       as_of=submitted_on)
        if not assessment["eligible"]:
            raise DomainError(_("就业结束超出 %(window_months)s 个月快速通道期限") % {
                "window_months": assessment['window_months']}, field_errors={"job_end": [_("超出期限")]})
        application.fast_track = True
        application.fast_track_job_start, application.fast_track_job_end = job_start, job_end
        data = {"fast_track": True, "job_start": job_start, "job_end": job_end,
                "window_end": assessment["window_end"], "window_months": assessment["window_months"],
                "rule_application": assessment["rule_application"],
                "transition_proposal": assessment["transition_proposal"]}
    # The review and notice stages in force on the submission date stay with the application.
    application.stages = stages_jsonable(_workflow_params(household, submitted_on).application_stages)
    data["stages"] = application.stages
    household_refresh_flags(household=household, actor=actor)
    try:
        with transaction.atomic():
            application.number = f"SQ{household.region.code}{timezone.now():%Y%m%d%H%M%S%f}"[:30]
            application.save()
    except IntegrityError as exc:
        raise Conflict(_("该家庭已有办理中的申请"),
                       code="duplicate_application") from exc
    application.number = f"SQ{household.region.code[:9]}{application.pk:08d}"
    application.save(update_fields=["number"])
    _step_event(application, action=ApplicationAction.SUBMIT, actor=actor, step_before="", findings=reason, data=data)
    case_flag_cadre_relative(actor=actor, case=application)  # 干部近亲属备案 [R3]: flagged to the county at intake
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload)
    audit.record(actor=actor, action="application.submit", obj=application, region=household.region,
                 after=audit.snapshot(application), note=reason)
    return application


@transaction.atomic
def application_survey(*, actor, application, findings: str, verified_incomes: dict | None = None,
                       expected_step: str | None = None, on: dt.date | None = None, attachments=()):
    """Home survey (入户调查): findings, and every declared income item verified one by one
    (``verified_incomes`` maps each IncomeItem id to the verified monthly amount). The household is then
    assessed with the rules and the result kept with the application."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.SURVEY)
    target = _check_move(application, ApplicationAction.SURVEY, on)
    if not findings.strip():
        raise DomainError(_("请填写入户调查情况"), field_errors={"findings": [_("必填")]})
    verified_incomes = {int(k): v for k, v in (verified_incomes or {}).items()}
    items = list(IncomeItem.objects.filter(household=application.household).order_by("id"))
    missing = [item.pk for item in items if item.pk not in verified_incomes]
    if missing:
        raise DomainError(_("收入须逐项核实，尚未核实：%(missing)s") % {"missing": missing},
                          field_errors={"verified_incomes": [_("未核实的收入项：%(missing)s") % {"missing": missing}]})
    unknown = set(verified_incomes) - {item.pk for item in items}
    if unknown:
        raise DomainError(_("收入项不属于该家庭：%(unknown)s") % {"unknown": sorted(unknown)},
                          field_errors={"verified_incomes": [_("收入项不属于该家庭")]})
    checks = []
    for item in items:
        declared = item.monthly_amount
        verified = round_yuan(Decimal(str(verified_incomes[item.pk])))
        if verified < 0:
            raise DomainError(_("核实金额不能为负"))
        if item.quantity is None and verified != declared:
            before = audit.snapshot(item)
            item.monthly_amount = verified
            item.note = (item.note + f"；入户核实 {verified}")[:200]
            item.save(update_fields=["monthly_amount", "note"])
            audit.record(actor=actor, action="income.verify", obj=item, region=application.household.region,
                         before=before, after=audit.snapshot(item))
        checks.append({"income": item.pk, "kind": item.kind, "declared": declared, "verified": verified})
    assessment = assess(application.household, on)
    before_step = application.step
    application.step = target
    application.survey_findings = findings
    application.assessment = assessment_json(assessment)
    application.category = assessment.category or ""
    application.monthly_amount = assessment.monthly_amount
    application.persons = assessment.household_size
    return _advance(application, action=ApplicationAction.SURVEY, actor=actor, before_step=before_step,
                    findings=findings, data={"incomes": checks, "eligible": assessment.eligible,
                                             "category": assessment.category,
                                             "monthly_amount": assessment.monthly_amount},
                    attachments=attachments)


@transaction.atomic
def application_appraise(*, actor, application, group: list[str], votes_for: int, votes_against: int,
                         abstentions: int = 0, opinions: str = "", expected_step: str | None = None,
                         on: dt.date | None = None, attachments=()):
    """Democratic appraisal (民主评议; rural: 村民代表会议): a group of at least ``appraisal_group_min``
    representatives; votes and opinions recorded. Passed iff a majority of the group votes for
    (votes for × 2 > group size). A failed appraisal ends the application (step ``rejected``) with a
    written reason and notice (书面通知申请人，并告知原因 [R1]); it never goes on to public notice."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.APPRAISE)
    target = _check_move(application, ApplicationAction.APPRAISE, on)
    params = _workflow_params(application.household, on)
    group = [name.strip() for name in group if name and name.strip()]
    if len(set(group)) < params.appraisal_group_min:
        raise DomainError(_("评议小组至少 %(appraisal_group_min)s 人") % {
            "appraisal_group_min": params.appraisal_group_min}, field_errors={"group": [_("人数不足")]})
    votes = (votes_for, votes_against, abstentions)
    if any(v < 0 for v in votes) or sum(votes) > len(set(group)):
        raise DomainError(_("票数与评议人数不符"),
                          field_errors={"votes_for": [_("票数有误")]})
    result = "passed" if votes_for * 2 > len(set(group)) else "not_passed"
    before_step = application.step
    application.step = target
    application.appraisal = {"group": group, "votes_for": votes_for, "votes_against": votes_against,
                             "abstentions": abstentions, "opinions": opinions, "result": result,
                             "rural_meeting": application.area == "rural", "on": on.isoformat()}
    data = dict(application.appraisal)
    if result == "not_passed":
        # A failed appraisal ends the application with a written reason (书面通知申请人，并告知原因 [R1]);
        # it never goes on to public notice.
        reason = (f"民主评议未通过：评议小组 {len(set(group))} 人，赞成 {votes_for} 票，未过半数"
                  + (f"；评议意见：{opinions.strip()}" if opinions.strip() else ""))
        application.step = ApplicationStep.REJECTED
        application.decision_reason = reason[:300]
        application.rejection_notice = rejection_notice_text(application, reason, on, stage="民主评议")
        data["notice"] = application.rejection_notice
    return _advance(application, action=ApplicationAction.APPRAISE, actor=actor, before_step=before_step,
                    findings=opinions, data=data, attachments=attachments)


@transaction.atomic
def application_post_notice(*, actor, application, expected_step: str | None = None, on: dt.date | None = None,
                            attachments=()):
    """Post the public notice at the community (张榜公示) when the county's stages give the community one,
    for the stage's ``notice_days`` or ``appraisal_notice_days`` (fast track: ``fast_track_notice_days``;
    with ``fast_track_skip_appraisal`` the appraisal is skipped)."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.POST_NOTICE)
    target = _check_move(application, ApplicationAction.POST_NOTICE, on)
    params = _workflow_params(application.household, on)
    days = (params.fast_track_notice_days if application.fast_track
            else application_plan(application).notice_days(target, params))
    skipped = application.step in APPLICATION_ACTIONS[ApplicationAction.POST_NOTICE].fast_track_sources
    before_step = application.step
    application.step = target
    notice = _start_notice(application, on, days)
    return _advance(application, action=ApplicationAction.POST_NOTICE, actor=actor, before_step=before_step,
                    data={**notice, "fast_track": application.fast_track, "appraisal_skipped": skipped},
                    attachments=attachments)


@transaction.atomic
def application_review(*, actor, application, opinion: str, agree: bool = True, expected_step: str | None = None,
                       on: dt.date | None = None, attachments=()):
    """Township/street review (乡镇/街道审核) after the community stage (and its notice), with its opinion
    for the county. Where the county's stages give the township a notice ([R5] 三审核三公示), the review
    posts it (审核结果公示) for the stage's ``notice_days`` or ``appraisal_notice_days``, whatever the opinion:
    the county decides after it."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.REVIEW)
    target = _check_move(application, ApplicationAction.REVIEW, on)
    if not opinion.strip():
        raise DomainError(_("请填写审核意见"), field_errors={"opinion": [_("必填")]})
    before_step = application.step
    application.step = target
    application.township_opinion = opinion
    data = {"agree": agree, **_stage_notice(application, target, on)}
    return _advance(application, action=ApplicationAction.REVIEW, actor=actor, before_step=before_step,
                    findings=opinion, data=data, attachments=attachments)


def _stage_notice(application, step: str, on: dt.date) -> dict:
    """The notice of the stage that has just decided (the township's review, the county's approval), when
    the application's stages give it one; otherwise no notice dates at this step (the previous notice's
    are cleared: it is recorded in its own event)."""
    plan = application_plan(application)
    if plan.notice_stage(step) is None:
        application.notice_start = application.notice_end = None
        return {}
    return _start_notice(application, on, plan.notice_days(step, _workflow_params(application.household, on)))


@transaction.atomic
def application_approve(*, actor, application, reason: str = "", expected_step: str | None = None,
                        on: dt.date | None = None, attachments=()):
    """County approval (县级审批): re-assesses with the rules on the day; the approved list is then noticed
    (审批结果公示) for the county stage's ``notice_days`` or ``approval_notice_days`` — when the county's stages
    give the county a notice (the default). An ineligible household cannot be approved."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.APPROVE)
    target = _check_move(application, ApplicationAction.APPROVE, on)
    assessment = assess(application.household, on)
    if not assessment.eligible:
        raise Conflict(_("按规则核算不符合条件，不能批准：%(reasons)s") % {"reasons": "；".join(assessment.reasons)},
                       code="not_eligible")
    before_step = application.step
    application.step = target
    application.decision_reason = reason
    application.assessment = assessment_json(assessment)
    application.category = assessment.category
    application.monthly_amount = assessment.monthly_amount
    application.persons = assessment.household_size
    _stage_notice(application, target, on)
    return _advance(application, action=ApplicationAction.APPROVE, actor=actor, before_step=before_step,
                    findings=reason, data={"category": assessment.category,
                                           "monthly_amount": assessment.monthly_amount,
                                           "notice_start": application.notice_start,
                                           "notice_end": application.notice_end}, attachments=attachments)


def rejection_notice_text(application, reason: str, on: dt.date, stage: str = "") -> str:
    """The written notice (书面通知) with the reason; ``stage`` names the step that ended the
    application when it is not the county's decision after notice and review (e.g. "民主评议")."""
    head = application.household.head
    name = head.name if head else application.household.number
    steps = f"经入户调查、{stage}" if stage else "经入户调查、民主评议、公示和审核"
    return (
        f"不予批准最低生活保障通知书\n\n{name}：\n"
        f"你户于 {application.submitted_on:%Y年%m月%d日} 提出的最低生活保障申请（编号 {application.number}），"
        f"{steps}，决定不予批准。\n理由：{reason}\n"
        f"如对本决定有异议，可自收到本通知之日起60日内申请行政复议，或6个月内提起行政诉讼。\n\n"
        f"{on:%Y年%m月%d日}"
    )


@transaction.atomic
def application_reject(*, actor, application, reason: str, expected_step: str | None = None,
                       on: dt.date | None = None, attachments=()):
    """County rejection (不予批准) with a written notice that states the reason."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.REJECT)
    target = _check_move(application, ApplicationAction.REJECT, on)
    if not reason.strip():
        raise DomainError(_("不予批准须说明理由"), field_errors={"reason": [_("必填")]})
    before_step = application.step
    application.step = target
    application.decision_reason = reason
    application.rejection_notice = rejection_notice_text(application, reason, on)
    return _advance(application, action=ApplicationAction.REJECT, actor=actor, before_step=before_step,
                    findings=reason, data={"notice": application.rejection_notice}, attachments=attachments)


@transaction.atomic
def application_decline_for_sanction(*, actor, household: Household, reason: str, on: dt.date | None = None):
    """Decline the household's application in progress because offered jobs were refused twice without
    a valid reason ([R4]; proposed by the jobs app, confirmed by a county user). Any open step; a written
    notice with the reason is produced. Returns None when the household has no application in progress."""
    on = on or today()
    current = Application.objects.filter(household=household, step__in=OPEN_APPLICATION_STEPS).first()
    if current is None:
        return None
    application = _lock_application(current, None)
    _require_step_role(actor, application, ApplicationAction.DECLINE)
    target = _check_move(application, ApplicationAction.DECLINE, on)
    before_step = application.step
    application.step = target
    application.decision_reason = reason
    application.rejection_notice = rejection_notice_text(application, reason, on)
    return _advance(application, action=ApplicationAction.DECLINE, actor=actor, before_step=before_step,
                    findings=reason, data={"notice": application.rejection_notice})


def certificate_number_for(application) -> str:
    prefix = "城" if application.area == "urban" else "农"
    return f"{prefix}保{application.household.region.code[:6]}-{application.pk:08d}"


@transaction.atomic
def application_enrol(*, actor, application, expected_step: str | None = None, on: dt.date | None = None,
                      recipient_password: str | None = None, attachments=()):
    """After the approved list's notice (when the county's stages have one): the enrolment starts (``enrolment_start``), the certificate
    (城市低保证 / 农村低保证) number is issued, a post-entry follow-up review is opened and, when a
    password is given, the household's recipient login is created."""
    on = on or today()
    application = _lock_application(application, expected_step)
    _require_step_role(actor, application, ApplicationAction.ENROL)
    target = _check_move(application, ApplicationAction.ENROL, on)
    household = application.household
    params = _workflow_params(household, on)
    enrolment = enrolment_start(
        actor=actor, household=household, category=application.category, monthly_amount=application.monthly_amount,
        persons=application.persons or 1, start_date=on, certificate_number=certificate_number_for(application),
        next_review_on=next_review_date(household.area, on, params),
        reason=f"申请 {application.number} 审批纳入" + ("（快速通道）" if application.fast_track else ""),
    )
    before_step = application.step
    application.step = target
    application.enrolment = enrolment
    _advance(application, action=ApplicationAction.ENROL, actor=actor, before_step=before_step,
             data={"certificate_number": enrolment.certificate_number, "enrolment": enrolment.pk},
             attachments=attachments)
    review_open(actor=actor, household=household, kind=ReviewKind.POST_ENTRY, enrolment=enrolment,
                reason="纳入后跟踪回访", due_on=add_months(on, 1), source_type="enrolment",
                source_id=str(enrolment.pk))
    if recipient_password:
        recipient_account_create(actor=actor, household=household, password=recipient_password)
    return application



