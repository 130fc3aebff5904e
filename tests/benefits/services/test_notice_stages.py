"""Review and notice stages per county (审核公示环节, ``application_stages``): the [R5] 三审核三公示 flow end to
end, other sequences a county may set ([R2], no township, no county notice), fast track under them, and an
application that keeps its stages when the policy changes while it is under way."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import selectors, services
from benefits.models import Application, ApplicationAction, ApplicationEvent, ApplicationStep
from reemployment.core.errors import Conflict
from reemployment.core.models import AuditEvent
from tests.benefits.factories import add_policy

D = dt.date(2026, 3, 2)
GROUP = ["李主任", "王代表", "赵代表"]
R5 = [  # 三审核三公示 [R5]: community, street and district each review and post a notice
    {"level": "community", "notice": True},
    {"level": "township", "notice": True, "notice_days": 5},
    {"level": "county", "notice": True},
]
A = ApplicationAction


def _stages(regions, stages, valid_from=dt.date(2026, 1, 1)):
    add_policy(regions["county"], valid_from=valid_from, values={"application_stages": stages})


def _submit(users, household, on=D, **kwargs):
    return services.application_submit(actor=users["community_a1"], household=household, reason="无固定收入",
                                       submitted_on=on, **kwargs)


def _survey_and_appraise(users, application, on=D, appraise=True):
    verified = {item.pk: item.monthly_amount for item in application.household.incomes.all()}
    application = services.application_survey(actor=users["community_a1"], application=application,
                                              findings="住房简陋，收入属实", verified_incomes=verified, on=on)
    if not appraise:
        return application
    return services.application_appraise(actor=users["community_a1"], application=application, group=GROUP,
                                         votes_for=3, votes_against=0, opinions="一致同意", on=on)


def _notices_on(day):
    return {(row["number"], row["stage"], row["stage_label"], row["notice_end"])
            for row in selectors.public_notices(as_of=day)}


def test_three_reviews_three_notices_end_to_end_with_an_objection_in_the_second(users, policy, urban_household):
    _stages(policy, R5)
    application = _survey_and_appraise(users, _submit(users, urban_household))
    assert application.stages == R5  # kept with the application, and recorded with its submission
    assert application.events.get(action="submit").data["stages"] == R5
    county, township, community = users["county"], users["township_a"], users["community_a1"]

    # 1. Community notice (评议结果公示), appraisal_notice_days 7: 03-02 … 03-08.
    application = services.application_post_notice(actor=community, application=application, on=D)
    assert (application.notice_start, application.notice_end) == (D, dt.date(2026, 3, 8))
    assert _notices_on(dt.date(2026, 3, 5)) == {(application.number, "appraisal", "评议结果公示", "2026-03-08")}
    with pytest.raises(Conflict) as exc:  # the township reviews only after the community's notice
        services.application_review(actor=township, application=application, opinion="同意", on=dt.date(2026, 3, 8))
    assert exc.value.code == "notice_running"

    # 2. Township review posts the township's notice (审核结果公示), notice_days 5: 03-09 + 5 − 1 = 03-13.
    application = services.application_review(actor=township, application=application, opinion="入户复核属实",
                                              on=dt.date(2026, 3, 9))
    assert application.step == ApplicationStep.REVIEWED
    assert (application.notice_start, application.notice_end) == (dt.date(2026, 3, 9), dt.date(2026, 3, 13))
    assert application.events.get(action="review").data == {
        "agree": True, "notice_start": "2026-03-09", "notice_end": "2026-03-13", "days": 5}
    assert _notices_on(dt.date(2026, 3, 10)) == {(application.number, "township", "审核结果公示", "2026-03-13")}
    with pytest.raises(Conflict) as exc:  # no county decision while the township's notice runs
        services.application_approve(actor=county, application=application, on=dt.date(2026, 3, 13))
    assert exc.value.code == "notice_running"
    with pytest.raises(Conflict) as exc:
        services.application_reject(actor=county, application=application, reason="x", on=dt.date(2026, 3, 13))
    assert exc.value.code == "notice_running"

    # An objection during the second notice (a letter received by the portal) pauses the flow.
    assert selectors.application_actions_for(community, application, on=dt.date(2026, 3, 11)) == {A.OBJECTION}
    objection = services.objection_raise(actor="public:portal", application=application, text="家中有经营收入",
                                         raised_by="匿名", on=dt.date(2026, 3, 11))
    with pytest.raises(Conflict) as exc:
        services.application_approve(actor=county, application=application, on=dt.date(2026, 3, 14))
    assert exc.value.code == "objection_pending"
    assert selectors.application_actions_for(county, application, on=dt.date(2026, 3, 14)) == {
        A.OBJECTION_RESOLVED}
    services.objection_resolve(actor=township, objection=objection, upheld=False, resolution="经核实无经营收入",
                               on=dt.date(2026, 3, 12))
    application.refresh_from_db()
    assert application.step == ApplicationStep.REVIEWED  # dismissed: the flow goes on where it was
    # The county's buttons wait for the notice's end (an objection or a decline may come any day).
    assert selectors.application_actions_for(county, application, on=dt.date(2026, 3, 13)) == {
        A.OBJECTION, A.DECLINE}
    with pytest.raises(Conflict) as exc:  # the notice still runs its full period
        services.application_approve(actor=county, application=application, on=dt.date(2026, 3, 13))
    assert exc.value.code == "notice_running"
    with pytest.raises(Conflict) as exc:  # and takes no objection after its last day
        services.objection_raise(actor=community, application=application, text="逾期", on=dt.date(2026, 3, 14))
    assert exc.value.code == "notice_over"

    # 3. County approval posts the approved list (审批结果公示), approval_notice_days 3: 03-14 … 03-16.
    assert selectors.application_actions_for(county, application, on=dt.date(2026, 3, 14)) == {
        A.APPROVE, A.REJECT, A.DECLINE}
    application = services.application_approve(actor=county, application=application, reason="符合条件",
                                               on=dt.date(2026, 3, 14))
    # Wages 300 over 2 persons = 150/person < 260: urban C, (260 − 150) × 2 = 220.00
    assert (application.category, application.monthly_amount) == ("C", Decimal("220.00"))
    assert application.notice_end == dt.date(2026, 3, 16)
    assert _notices_on(dt.date(2026, 3, 15)) == {(application.number, "approved", "审批结果公示", "2026-03-16")}
    with pytest.raises(Conflict) as exc:
        services.application_enrol(actor=county, application=application, on=dt.date(2026, 3, 16))
    assert exc.value.code == "notice_running"
    application = services.application_enrol(actor=county, application=application, on=dt.date(2026, 3, 17))
    assert application.step == ApplicationStep.ENROLLED and application.enrolment.monthly_amount == Decimal("220.00")

    steps = list(ApplicationEvent.objects.filter(application=application).order_by("at", "id")
                 .values_list("action", "step_before", "step_after"))
    assert steps == [
        ("submit", "", "submitted"), ("survey", "submitted", "surveyed"), ("appraise", "surveyed", "appraised"),
        ("post_notice", "appraised", "notice"), ("review", "notice", "reviewed"),
        ("objection", "reviewed", "reviewed"), ("objection_resolved", "reviewed", "reviewed"),
        ("approve", "reviewed", "approved"), ("enrol", "approved", "enrolled"),
    ]
    audited = list(AuditEvent.objects.filter(object_type="benefits.application", object_id=str(application.pk))
                   .order_by("id").values_list("action", flat=True))
    assert audited == ["application.submit", "application.survey", "application.appraise",
                       "application.post_notice", "application.review", "application.objection",
                       "application.objection_resolve", "application.approve", "application.enrol"]


def test_an_objection_upheld_in_the_township_notice_sends_the_application_back_to_survey(
        users, policy, urban_household):
    _stages(policy, R5)
    application = _survey_and_appraise(users, _submit(users, urban_household))
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=dt.date(2026, 3, 9))
    objection = services.objection_raise(actor=users["county"], application=application, text="隐瞒房产",
                                         on=dt.date(2026, 3, 10))
    services.objection_resolve(actor=users["county"], objection=objection, upheld=True, resolution="异议属实，重新调查")
    application.refresh_from_db()
    assert (application.step, application.notice_start, application.notice_end) == (
        ApplicationStep.SUBMITTED, None, None)
    assert _notices_on(dt.date(2026, 3, 10)) == set()


def test_the_default_stages_post_no_township_notice(users, policy, urban_household):
    """[R1]: the township reviews without a notice; the county may decide the same day; the community
    notice's dates do not linger on the reviewed application (they are in the post_notice event)."""
    application = _survey_and_appraise(users, _submit(users, urban_household))
    assert application.stages == [{"level": "community", "notice": True}, {"level": "township", "notice": False},
                                   {"level": "county", "notice": True}]
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    after = dt.date(2026, 3, 9)
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=after)
    assert (application.notice_start, application.notice_end) == (None, None)
    assert application.events.get(action="review").data == {"agree": True}
    with pytest.raises(Conflict) as exc:
        services.objection_raise(actor=users["community_a1"], application=application, text="x", on=after)
    assert exc.value.code == "not_in_notice"
    application = services.application_approve(actor=users["county"], application=application, on=after)
    assert application.notice_end == dt.date(2026, 3, 11)  # 03-09 + 3 − 1


def test_an_application_keeps_its_stages_when_the_policy_changes_mid_way(users, policy, urban_household):
    """Submitted on 03-02 under the default stages; from 03-05 the county adopts 三审核三公示. The first
    application goes on without a township notice, one submitted on 03-05 has it."""
    from tests.benefits.factories import make_household

    first = _survey_and_appraise(users, _submit(users, urban_household))
    _stages(policy, R5, valid_from=dt.date(2026, 3, 5))
    later_household = make_household(policy["comm_a1"], members=2, incomes=[(0, "wages", "300.00")])
    later = _survey_and_appraise(users, _submit(users, later_household, on=dt.date(2026, 3, 5)),
                                 on=dt.date(2026, 3, 5))
    assert later.stages == R5
    first = services.application_post_notice(actor=users["community_a1"], application=first, on=D)
    later = services.application_post_notice(actor=users["community_a1"], application=later, on=dt.date(2026, 3, 5))
    day = dt.date(2026, 3, 12)  # both community notices are over (03-08, 03-11)
    first = services.application_review(actor=users["township_a"], application=first, opinion="同意", on=day)
    later = services.application_review(actor=users["township_a"], application=later, opinion="同意", on=day)
    assert first.notice_end is None and later.notice_end == dt.date(2026, 3, 16)  # 03-12 + 5 − 1
    first = services.application_approve(actor=users["county"], application=first, on=day)
    assert first.step == ApplicationStep.APPROVED
    with pytest.raises(Conflict) as exc:
        services.application_approve(actor=users["county"], application=later, on=day)
    assert exc.value.code == "notice_running"
    # The county goes back to the default from 03-20: the later application still has its township notice.
    _stages(policy, [{"level": "community", "notice": True}, {"level": "township", "notice": False},
                     {"level": "county", "notice": True}], valid_from=dt.date(2026, 3, 20))
    later.refresh_from_db()
    assert selectors.application_plan(later).notice_stage(ApplicationStep.REVIEWED) is not None
    with pytest.raises(Conflict):
        services.application_approve(actor=users["county"], application=later, on=dt.date(2026, 3, 16))


def test_an_application_without_kept_stages_reads_those_in_force_on_its_submission_date(
        users, policy, urban_household):
    """Applications made before the stages were kept (``stages`` null) follow the parameters in force on
    their submission date, not those of today."""
    _stages(policy, R5, valid_from=dt.date(2026, 3, 1))
    application = _submit(users, urban_household)
    Application.objects.filter(pk=application.pk).update(stages=None)
    _stages(policy, [{"level": "community", "notice": True}, {"level": "county", "notice": True}],
            valid_from=dt.date(2026, 3, 3))
    application.refresh_from_db()
    assert [stage.level for stage in selectors.application_plan(application).stages] == [
        "community", "township", "county"]


def test_r2_sequence_township_reviews_the_appraised_application_and_notices(users, policy, urban_household):
    """[R2] 社区调查—街道审核—张榜公布—上报审批, with 审前、审后公示: no community notice; the township's notice
    lasts appraisal_notice_days (7): 03-02 … 03-08."""
    _stages(policy, [{"level": "community", "notice": False}, {"level": "township", "notice": True},
                     {"level": "county", "notice": True}])
    application = _survey_and_appraise(users, _submit(users, urban_household))
    assert selectors.application_actions_for(users["community_a1"], application, on=D) == set()
    assert selectors.application_actions_for(users["township_a"], application, on=D) == {A.REVIEW}
    with pytest.raises(Conflict) as exc:
        services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    assert exc.value.code == "invalid_step"
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=D)
    assert application.notice_end == dt.date(2026, 3, 8)
    application = services.application_approve(actor=users["county"], application=application,
                                               on=dt.date(2026, 3, 9))
    assert application.notice_end == dt.date(2026, 3, 11)


def test_without_a_township_stage_the_county_decides_after_the_community_notice(users, policy, urban_household):
    _stages(policy, [{"level": "community", "notice": True, "notice_days": 10}, {"level": "county", "notice": True}])
    application = _survey_and_appraise(users, _submit(users, urban_household))
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    assert application.notice_end == dt.date(2026, 3, 11)  # notice_days 10: 03-02 + 10 − 1
    after = dt.date(2026, 3, 12)
    assert selectors.application_actions_for(users["township_a"], application, on=after) == set()
    assert selectors.application_actions_for(users["county"], application, on=after) == {
        A.APPROVE, A.REJECT, A.DECLINE}
    with pytest.raises(Conflict) as exc:
        services.application_review(actor=users["township_a"], application=application, opinion="同意", on=after)
    assert exc.value.code == "invalid_step"
    with pytest.raises(Conflict) as exc:
        services.application_approve(actor=users["county"], application=application, on=dt.date(2026, 3, 11))
    assert exc.value.code == "notice_running"
    application = services.application_approve(actor=users["county"], application=application, on=after)
    assert application.step == ApplicationStep.APPROVED


def test_without_a_county_notice_the_enrolment_follows_the_approval(users, policy, urban_household):
    _stages(policy, [{"level": "community", "notice": True}, {"level": "township", "notice": False},
                     {"level": "county", "notice": False}])
    application = _survey_and_appraise(users, _submit(users, urban_household))
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    after = dt.date(2026, 3, 9)
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=after)
    application = services.application_approve(actor=users["county"], application=application, on=after)
    assert (application.notice_start, application.notice_end) == (None, None)
    assert _notices_on(after) == set()
    with pytest.raises(Conflict) as exc:
        services.objection_raise(actor=users["county"], application=application, text="x", on=after)
    assert exc.value.code == "not_in_notice"
    application = services.application_enrol(actor=users["county"], application=application, on=after)
    assert application.step == ApplicationStep.ENROLLED


def test_fast_track_under_three_notices_shortens_only_the_community_notice(users, policy, urban_household):
    """Fast track [R4]: the appraisal is skipped and the community notice lasts fast_track_notice_days (3:
    03-02 … 03-04); the township's (5) and the county's (3) notices run as for everyone."""
    _stages(policy, R5)
    application = _submit(users, urban_household, fast_track=True, job_start=dt.date(2025, 6, 1),
                          job_end=dt.date(2026, 2, 1))
    application = _survey_and_appraise(users, application, appraise=False)
    application = services.application_post_notice(actor=users["community_a1"], application=application, on=D)
    assert application.notice_end == dt.date(2026, 3, 4)
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=dt.date(2026, 3, 5))
    assert application.notice_end == dt.date(2026, 3, 9)  # 03-05 + 5 − 1
    application = services.application_approve(actor=users["county"], application=application,
                                               on=dt.date(2026, 3, 10))
    assert application.notice_end == dt.date(2026, 3, 12)
    application = services.application_enrol(actor=users["county"], application=application,
                                             on=dt.date(2026, 3, 13))
    assert application.step == ApplicationStep.ENROLLED


def test_fast_track_without_a_community_notice_goes_from_the_survey_to_the_township(users, policy, urban_household):
    _stages(policy, [{"level": "community", "notice": False}, {"level": "township", "notice": False},
                     {"level": "county", "notice": True}])
    application = _submit(users, urban_household, fast_track=True, job_start=dt.date(2025, 6, 1),
                          job_end=dt.date(2026, 2, 1))
    application = _survey_and_appraise(users, application, appraise=False)
    assert selectors.application_actions_for(users["township_a"], application, on=D) == {A.REVIEW}
    application = services.application_review(actor=users["township_a"], application=application, opinion="同意",
                                              on=D)
    assert application.step == ApplicationStep.REVIEWED
