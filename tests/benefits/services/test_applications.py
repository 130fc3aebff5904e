"""Application workflow services: happy path, wrong role, wrong jurisdiction, skipped step,
double submission and concurrent steps, objections, rejection, fast track, attachments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from benefits import services
from benefits.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    Attachment,
    EnrolmentEventKind,
    EnrolmentStatus,
    ReviewKind,
)
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent
from tests.benefits.factories import add_policy, make_household

D = dt.date(2026, 3, 2)  # notice posted; appraisal notice runs 7 days: 03-02 … 03-08
GROUP = ["李主任", "王代表", "赵代表"]


def _submit(users, household, **kwargs):
    return services.application_submit(actor=users["community_a1"], household=household, reason="无固定收入",
                                       submitted_on=D, **kwargs)


def _survey(users, application):
    verified = {item.pk: item.monthly_amount for item in application.household.incomes.all()}
    return services.application_survey(actor=users["community_a1"], application=application,
                                       findings="住房简陋，收入属实", verified_incomes=verified, on=D)


def _to_notice(users, household):
    application = _survey(users, _submit(users, household))
    application = services.application_appraise(actor=users["community_a1"], application=application, group=GROUP,
                                                votes_for=3, votes_against=0, opinions="一致同意", on=D)
    return services.application_post_notice(actor=users["community_a1"], application=application, on=D)


def _to_approved(users, household):
    application = _to_notice(users, household)
    after = D + dt.timedelta(days=7)
    application = services.application_review(actor=users["township_a"], application=application,
                                              opinion="同意上报", on=after)
    return services.application_approve(actor=users["county"], application=application, reason="符合条件", on=after)


def test_urban_happy_path_enrols_with_certificate_and_history(users, urban_household):
    application = _to_approved(users, urban_household)
    # Wages 300 over 2 persons = 150/person < 260: urban C, (260 − 150) × 2 = 220.00
    assert (application.step, application.category, application.monthly_amount) == ("approved", "C",
                                                                                      Decimal("220.00"))
    # Approved list noticed for 3 days: 03-09 … 03-11; enrolment from 03-12
    assert application.notice_end == dt.date(2026, 3, 11)
    application = services.application_enrol(actor=users["county"], application=application,
                                             on=dt.date(2026, 3, 12), recipient_password="Start-2026-ok")
    enrolment = application.enrolment
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.monthly_amount == Decimal("220.00") and enrolment.persons == 2
    assert enrolment.certificate_number.startswith("城保341125-")
    assert enrolment.next_review_on == dt.date(2026, 9, 12)  # urban: every 6 months
    assert list(enrolment.events.values_list("kind", flat=True)) == [EnrolmentEventKind.ENTRY]
    assert urban_household.reviews.get(kind=ReviewKind.POST_ENTRY).due_on == dt.date(2026, 4, 12)
    actions = list(ApplicationEvent.objects.filter(application=application).values_list("action", flat=True))
    assert actions == ["submit", "survey", "appraise", "post_notice", "review", "approve", "enrol"]
    audited = set(AuditEvent.objects.filter(object_type="benefits.application").values_list("action", flat=True))
    assert {"application.submit", "application.survey", "application.enrol"} <= audited
    urban_household.refresh_from_db()
    assert urban_household.account.username == urban_household.head.id_number


def test_rural_certificate_is_a_rural_one(users, rural_household):
    community = users["community_b1"]
    application = services.application_submit(actor=community, household=rural_household, submitted_on=D)
    application = services.application_survey(actor=community, application=application, findings="无收入",
                                              verified_incomes={}, on=D)
    application = services.application_appraise(actor=community, application=application,
                                                group=["村民代表甲", "村民代表乙", "村民代表丙", "村民代表丁"],
                                                votes_for=4, votes_against=0, on=D)
    assert application.appraisal["rural_meeting"] is True
    application = services.application_post_notice(actor=community, application=application, on=D)
    after = D + dt.timedelta(days=7)
    application = services.application_review(actor=users["township_b"], application=application, opinion="同意",
                                              on=after)
    application = services.application_approve(actor=users["county"], application=application, on=after)
    assert (application.category, application.monthly_amount) == ("C", Decimal("70.00"))  # rural C 70 × 1
    application = services.application_enrol(actor=users["county"], application=application,
                                             on=after + dt.timedelta(days=3))
    assert application.enrolment.certificate_number.startswith("农保")
    assert application.enrolment.next_review_on == dt.date(2027, 3, 12)  # rural: every 12 months


@pytest.mark.parametrize("actor", ["township_a", "county", "admin"])
def test_survey_by_the_wrong_role_is_refused(users, urban_household, actor):
    application = _submit(users, urban_household)
    with pytest.raises(PermissionDenied):
        services.application_survey(actor=users[actor], application=application, findings="x", verified_incomes={})
    assert Application.objects.get(pk=application.pk).step == ApplicationStep.SUBMITTED


def test_approval_by_community_or_township_is_refused(users, urban_household):
    application = _to_notice(users, urban_household)
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=D + dt.timedelta(days=7))
    for actor in ("community_a1", "township_a"):
        with pytest.raises(PermissionDenied):
            services.application_approve(actor=users[actor], application=application)


def test_wrong_jurisdiction_is_refused(users, urban_household):
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=users["community_b1"], household=urban_household)
    application = _submit(users, urban_household)
    with pytest.raises(PermissionDenied):
        services.application_survey(actor=users["community_b1"], application=application, findings="x",
                                    verified_incomes={})
    application = _to_notice(users, make_household(users["community_a1"].region, members=1))
    with pytest.raises(PermissionDenied):
        services.application_review(actor=users["township_b"], application=application, opinion="x",
                                    on=D + dt.timedelta(days=7))


def test_steps_cannot_be_skipped(users, urban_household):
    application = _survey(users, _submit(users, urban_household))
    with pytest.raises(Conflict) as exc:
        services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    assert exc.value.code == "invalid_step"  # no appraisal yet, not fast track
    with pytest.raises(Conflict):
        services.application_review(actor=users["township_a"], application=application, opinion="x")
    with pytest.raises(Conflict):
        services.application_approve(actor=users["county"], application=application)


def test_review_waits_for_the_end_of_the_notice(users, urban_household):
    application = _to_notice(users, urban_household)
    with pytest.raises(Conflict) as exc:  # 03-08 is the notice's last day
        services.application_review(actor=users["township_a"], application=application, opinion="x",
                                    on=dt.date(2026, 3, 8))
    assert exc.value.code == "notice_running"


def test_double_submission_is_refused(users, urban_household):
    _submit(users, urban_household)
    with pytest.raises(Conflict) as exc:
        _submit(users, urban_household)
    assert exc.value.code == "duplicate_application"


def test_enrolled_household_cannot_apply_again(users, urban_household):
    application = _to_approved(users, urban_household)
    services.application_enrol(actor=users["county"], application=application, on=dt.date(2026, 3, 12))
    with pytest.raises(Conflict) as exc:
        _submit(users, urban_household)
    assert exc.value.code == "already_enrolled"


def test_two_staff_acting_on_the_same_step_cannot_both_advance_it(users, urban_household):
    application = _submit(users, urban_household)
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)  # both loaded at step "submitted"
    _survey(users, first)
    with pytest.raises(Conflict) as exc:
        _survey(users, second)
    assert exc.value.code == "stale_step"
    assert ApplicationEvent.objects.filter(application=application, action="survey").count() == 1


def test_objection_pauses_the_flow_until_resolved(users, urban_household):
    application = _to_notice(users, urban_household)
    objection = services.objection_raise(actor=users["community_a1"], application=application,
                                         text="该户子女有稳定工作", raised_by="匿名", on=D)
    after = D + dt.timedelta(days=7)
    with pytest.raises(Conflict) as exc:
        services.application_review(actor=users["township_a"], application=application, opinion="同意", on=after)
    assert exc.value.code == "objection_pending"
    services.objection_resolve(actor=users["community_a1"], objection=objection, upheld=False,
                               resolution="经核实子女无固定收入，异议不成立")
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=after)
    assert application.step == ApplicationStep.REVIEWED
    with pytest.raises(Conflict):  # resolved once only
        services.objection_resolve(actor=users["community_a1"], objection=objection, upheld=True, resolution="x")


def test_upheld_objection_sends_the_application_back_to_survey(users, urban_household):
    application = _to_notice(users, urban_household)
    objection = services.objection_raise(actor=users["community_a1"], application=application, text="隐瞒收入",
                                         on=D)
    services.objection_resolve(actor=users["township_a"], objection=objection, upheld=True, resolution="属实，重新调查")
    application.refresh_from_db()
    assert (application.step, application.notice_start) == (ApplicationStep.SUBMITTED, None)


def test_objection_only_during_a_notice(users, urban_household):
    application = _submit(users, urban_household)
    with pytest.raises(Conflict):
        services.objection_raise(actor=users["community_a1"], application=application, text="x")


def test_rejection_gives_a_written_notice_with_the_reason(users, urban_household):
    application = _to_notice(users, urban_household)
    application = services.application_review(actor=users["township_a"], application=application, opinion="不同意",
                                              agree=False, on=D + dt.timedelta(days=7))
    with pytest.raises(DomainError):
        services.application_reject(actor=users["county"], application=application, reason=" ")
    application = services.application_reject(actor=users["county"], application=application,
                                               reason="家庭拥有机动车一辆")
    assert application.step == ApplicationStep.REJECTED
    assert "理由：家庭拥有机动车一辆" in application.rejection_notice
    assert "不予批准" in application.rejection_notice
    _submit(users, urban_household)  # a rejected household may apply again


def test_ineligible_household_cannot_be_approved(users, policy):
    # Wages 900 for 1 person: 900 ≥ 260, not eligible
    household = make_household(policy["comm_a1"], members=1, incomes=[(0, "wages", "900.00")])
    application = _to_notice(users, household)
    application = services.application_review(actor=users["township_a"], application=application, opinion="x",
                                              on=D + dt.timedelta(days=7))
    with pytest.raises(Conflict) as exc:
        services.application_approve(actor=users["county"], application=application)
    assert exc.value.code == "not_eligible"


def test_appraisal_needs_a_group_of_at_least_three(users, urban_household):
    application = _survey(users, _submit(users, urban_household))
    with pytest.raises(DomainError):
        services.application_appraise(actor=users["community_a1"], application=application,
                                      group=["李主任", "王代表"], votes_for=2, votes_against=0)
    with pytest.raises(DomainError):  # more votes than members
        services.application_appraise(actor=users["community_a1"], application=application, group=GROUP,
                                      votes_for=3, votes_against=1)


# A failed democratic appraisal ends the application with a written reason [R1 书面通知申请人，并告知原因];
# it never goes on to public notice. Passed iff votes for × 2 > group size (a majority of the group):
@pytest.mark.parametrize(
    ("votes_for", "votes_against", "passed"),
    [
        (2, 1, True),  # 2 × 2 = 4 > 3 → passed, goes on to notice
        (1, 2, False),  # 1 × 2 = 2, not > 3 → not passed, application ends
        (1, 1, False),  # 1 for, 1 against, 1 absent: 2 not > 3 → not passed
    ],
)
def test_failed_appraisal_ends_the_application_with_a_written_reason(users, urban_household, votes_for,
                                                                      votes_against, passed):
    application = _survey(users, _submit(users, urban_household))
    application = services.application_appraise(actor=users["community_a1"], application=application, group=GROUP,
                                                votes_for=votes_for, votes_against=votes_against,
                                                opinions="家庭另有经营收入", on=D)
    if passed:
        assert application.step == "appraised" and not application.rejection_notice
        return
    assert application.step == "rejected"
    assert application.appraisal["result"] == "not_passed"
    assert application.decision_reason == (
        f"民主评议未通过：评议小组 3 人，赞成 {votes_for} 票，未过半数；评议意见：家庭另有经营收入")
    assert "经入户调查、民主评议，决定不予批准" in application.rejection_notice
    assert "理由：民主评议未通过" in application.rejection_notice
    with pytest.raises(Conflict):  # never goes on to public notice
        services.application_post_notice(actor=users["community_a1"], application=application, on=D)


def test_survey_verifies_every_income_item_and_corrects_it(users, urban_household):
    application = _submit(users, urban_household)
    item = urban_household.incomes.get()
    with pytest.raises(DomainError):
        services.application_survey(actor=users["community_a1"], application=application, findings="x",
                                    verified_incomes={})
    application = services.application_survey(actor=users["community_a1"], application=application,
                                              findings="工资实为 400 元", verified_incomes={item.pk: "400.00"}, on=D)
    item.refresh_from_db()
    assert item.monthly_amount == Decimal("400.00")
    # 400 / 2 = 200 per person; (260 − 200) × 2 = 120.00
    assert application.monthly_amount == Decimal("120.00")


def test_fast_track_skips_appraisal_and_shortens_the_notice(users, urban_household):
    application = _submit(users, urban_household, fast_track=True, job_start=dt.date(2025, 6, 1),
                          job_end=dt.date(2026, 2, 1))
    assert application.fast_track
    # Recorded as such: the window (job start 2025-06-01 + 12 months = 2026-06-01) and the rule application
    # with the parameters in force on the application date.
    submitted = application.events.get(action="submit")
    assert submitted.data["window_end"] == "2026-06-01" and submitted.data["window_months"] == 12
    from incentives.models import RuleApplication

    record = RuleApplication.objects.get(pk=submitted.data["rule_application"])
    assert (record.rule, record.as_of, record.result["eligible"]) == ("fast_track", D, True)
    assert record.parameters["fast_track_window_months"] == 12
    application = _survey(users, application)
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    # fast_track_notice_days 3: 03-02 … 03-04
    assert application.notice_end == dt.date(2026, 3, 4)
    event = application.events.get(action="post_notice")
    assert event.data["appraisal_skipped"] is True and event.data["fast_track"] is True


def test_fast_track_without_skip_parameter_keeps_the_appraisal(users, urban_household, regions):
    add_policy(regions["county"], valid_from=dt.date(2026, 1, 1), values={"fast_track_skip_appraisal": False})
    application = _survey(users, _submit(users, urban_household, fast_track=True, job_start=dt.date(2025, 6, 1),
                                         job_end=dt.date(2026, 2, 1)))
    with pytest.raises(Conflict):
        services.application_post_notice(actor=users["community_a1"], application=application, on=D)


def test_fast_track_outside_the_window_is_refused(users, urban_household):
    # job started 2024-01-01: window (12 months) ends 2025-01-01; ended 2025-06-01 → too late
    with pytest.raises(DomainError):
        _submit(users, urban_household, fast_track=True, job_start=dt.date(2024, 1, 1), job_end=dt.date(2025, 6, 1))


def test_fast_track_with_a_job_ending_before_it_starts_is_a_field_error(users, urban_household):
    with pytest.raises(DomainError) as excinfo:
        _submit(users, urban_household, fast_track=True, job_start=dt.date(2026, 1, 1), job_end=dt.date(2025, 6, 1))
    assert "job_end" in excinfo.value.field_errors


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"


def test_attachments_are_checked_for_size_and_type(users, urban_household, settings):
    application = _submit(users, urban_household)
    ok = services.attachment_add(actor=users["community_a1"], application=application,
                                 upload=SimpleUploadedFile("调查表.pdf", PDF, content_type="application/pdf"))
    assert ok.content_type == "application/pdf" and ok.size == len(PDF)
    with pytest.raises(DomainError):  # not an allowed type
        services.attachment_add(actor=users["community_a1"], application=application,
                                upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00"))
    with pytest.raises(DomainError):  # extension says PDF, content does not
        services.attachment_add(actor=users["community_a1"], application=application,
                                upload=SimpleUploadedFile("a.pdf", b"<html>"))
    settings.MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(DomainError):
        services.attachment_add(actor=users["community_a1"], application=application,
                                upload=SimpleUploadedFile("b.pdf", PDF))
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=users["community_b1"], application=application,
                                upload=SimpleUploadedFile("c.pdf", PDF))
    assert Attachment.objects.filter(application=application).count() == 1


def test_step_attachments_are_linked_to_the_step(users, urban_household):
    application = _submit(users, urban_household)
    verified = {item.pk: item.monthly_amount for item in urban_household.incomes.all()}
    services.application_survey(actor=users["community_a1"], application=application, findings="属实",
                                verified_incomes=verified, on=D,
                                attachments=[SimpleUploadedFile("survey.pdf", PDF)])
    attachment = Attachment.objects.get(application=application)
    assert attachment.event.action == "survey"


def test_decline_for_sanction_from_any_open_step(users, urban_household):
    application = _survey(users, _submit(users, urban_household))
    with pytest.raises(PermissionDenied):
        services.application_decline_for_sanction(actor=users["township_a"], household=urban_household,
                                                  reason="两次无正当理由拒绝推荐岗位")
    declined = services.application_decline_for_sanction(actor=users["county"], household=urban_household,
                                                         reason="两次无正当理由拒绝推荐岗位")
    assert declined.pk == application.pk and declined.step == ApplicationStep.REJECTED
    assert "两次无正当理由拒绝推荐岗位" in declined.rejection_notice
    assert services.application_decline_for_sanction(actor=users["county"], household=urban_household,
                                                     reason="x") is None  # nothing in progress


def test_periodic_review_task_is_scheduled():
    from reemployment.schedules import all_schedules

    assert all_schedules()["reemployment:benefits-open-periodic-reviews"][0] == "benefits.open_periodic_reviews"


def test_objection_to_the_approved_list_pauses_the_enrolment(users, urban_household):
    application = _to_approved(users, urban_household)
    # the approved list is noticed 03-09 … 03-11
    objection = services.objection_raise(actor=users["township_a"], application=application, text="有房产两套",
                                         on=dt.date(2026, 3, 10))
    with pytest.raises(Conflict) as exc:
        services.application_enrol(actor=users["county"], application=application, on=dt.date(2026, 3, 12))
    assert exc.value.code == "objection_pending"
    services.objection_resolve(actor=users["county"], objection=objection, upheld=False, resolution="经核实仅一套")
    application = services.application_enrol(actor=users["county"], application=application,
                                             on=dt.date(2026, 3, 12))
    assert application.step == ApplicationStep.ENROLLED


def test_objection_accepted_on_the_last_day_of_the_notice_and_refused_the_day_after(users, urban_household):
    application = _to_notice(users, urban_household)
    assert application.notice_end == dt.date(2026, 3, 8)  # 7 days: 03-02 … 03-08
    with pytest.raises(Conflict) as exc:
        services.objection_raise(actor=users["community_a1"], application=application, text="逾期异议",
                                 on=dt.date(2026, 3, 9))
    assert exc.value.code == "notice_over" and "2026-03-08" in exc.value.message
    objection = services.objection_raise(actor=users["community_a1"], application=application, text="最后一天的异议",
                                         on=dt.date(2026, 3, 8))
    assert objection.raised_on == dt.date(2026, 3, 8)


def test_objection_enrolment_and_resolution_keep_their_attachments(users, urban_household):
    application = _to_approved(users, urban_household)  # approved list noticed 03-09 … 03-11
    objection = services.objection_raise(actor=users["township_a"], application=application, text="有房产两套",
                                         on=dt.date(2026, 3, 10),
                                         attachments=[SimpleUploadedFile("举报信.pdf", PDF)])
    services.objection_resolve(actor=users["county"], objection=objection, upheld=False, resolution="经核实仅一套",
                               attachments=[SimpleUploadedFile("核查记录.png", b"\x89PNG\r\n\x1a\n" + b"0" * 8)])
    services.application_enrol(actor=users["county"], application=application, on=dt.date(2026, 3, 12),
                               attachments=[SimpleUploadedFile("发证回执.jpg", b"\xff\xd8\xff\xe0" + b"0" * 8)])
    linked = {a.original_name: a.event.action for a in Attachment.objects.filter(application=application)}
    assert linked == {"举报信.pdf": "objection", "核查记录.png": "objection_resolved", "发证回执.jpg": "enrol"}
    with pytest.raises(DomainError):  # the same checks as every step's attachment
        services.objection_raise(actor=users["township_a"], application=_to_notice(users, make_household(
            users["community_a1"].region, members=1)), text="x", on=D,
            attachments=[SimpleUploadedFile("a.pdf", b"<html>")])


def test_the_transition_table_decides_roles_and_steps(users, urban_household, monkeypatch):
    from benefits import selectors
    from benefits.models import APPLICATION_ACTIONS, ApplicationAction, Transition
    from reemployment.core.models import Role

    # submit, objection and the upheld objection's move back are in the one table
    assert APPLICATION_ACTIONS[ApplicationAction.SUBMIT].target == ApplicationStep.SUBMITTED
    # The table lists every step a notice may run at; the default stages ([R1]) notice at two of them.
    assert APPLICATION_ACTIONS[ApplicationAction.OBJECTION].sources == (ApplicationStep.NOTICE,
                                                                        ApplicationStep.REVIEWED,
                                                                        ApplicationStep.APPROVED)
    assert selectors.application_sources(_submit(users, urban_household), ApplicationAction.OBJECTION, D) == (
        ApplicationStep.NOTICE, ApplicationStep.APPROVED)
    assert APPLICATION_ACTIONS[ApplicationAction.OBJECTION_RESOLVED].upheld_target == ApplicationStep.SUBMITTED
    assert APPLICATION_ACTIONS[ApplicationAction.POST_NOTICE].fast_track_sources == (ApplicationStep.SURVEYED,)
    application = Application.objects.get(household=urban_household)
    assert selectors.application_actions_for(users["community_a1"], application) == {ApplicationAction.SURVEY}
    assert selectors.application_actions_for(users["township_a"], application) == set()
    # Give the survey to the township in the table: the service and the buttons follow.
    monkeypatch.setitem(APPLICATION_ACTIONS, ApplicationAction.SURVEY, Transition(
        (ApplicationStep.SUBMITTED,), ApplicationStep.SURVEYED, frozenset({Role.TOWNSHIP})))
    assert selectors.application_actions_for(users["township_a"], application) == {ApplicationAction.SURVEY}
    assert selectors.application_actions_for(users["community_a1"], application) == set()
    verified = {item.pk: item.monthly_amount for item in urban_household.incomes.all()}
    with pytest.raises(PermissionDenied):
        services.application_survey(actor=users["community_a1"], application=application, findings="x",
                                    verified_incomes=verified, on=D)
    application = services.application_survey(actor=users["township_a"], application=application, findings="属实",
                                              verified_incomes=verified, on=D)
    assert application.step == ApplicationStep.SURVEYED


def test_buttons_while_an_objection_is_pending_only_resolve_it(users, urban_household):
    from benefits import selectors
    from benefits.models import ApplicationAction

    application = _to_notice(users, urban_household)
    after = D + dt.timedelta(days=7)
    assert selectors.application_actions_for(users["community_a1"], application, on=D) == {
        ApplicationAction.OBJECTION}
    assert selectors.application_actions_for(users["township_a"], application, on=after) == {
        ApplicationAction.REVIEW}  # the notice is over: no objection any more
    services.objection_raise(actor=users["community_a1"], application=application, text="隐瞒收入", on=D)
    for user in ("community_a1", "township_a", "county"):
        assert selectors.application_actions_for(users[user], application, on=D) == {
            ApplicationAction.OBJECTION, ApplicationAction.OBJECTION_RESOLVED}
    assert selectors.application_actions_for(users["township_a"], application, on=after) == {
        ApplicationAction.OBJECTION_RESOLVED}


def test_fast_track_can_post_the_notice_right_after_the_survey(users, urban_household):
    from benefits import selectors
    from benefits.models import ApplicationAction

    application = _survey(users, _submit(users, urban_household, fast_track=True, job_start=dt.date(2025, 6, 1),
                                         job_end=dt.date(2026, 2, 1)))
    assert selectors.application_actions_for(users["community_a1"], application, on=D) == {
        ApplicationAction.APPRAISE, ApplicationAction.POST_NOTICE}
