"""Referrals, outcomes, hires and the refusal sanction (against the database, real services)."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits.models import EnrolmentEvent, EnrolmentStatus
from jobs import selectors, services
from jobs.models import (
    Hire,
    ReferralStatus,
    SanctionKind,
    SanctionProposal,
    SanctionStatus,
    SeekerStatus,
    VacancyStatus,
)
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import AuditEvent, today
from tests.jobs.factories import add_vacancy, make_employer, make_household, make_member, oblige_rural

pytestmark = pytest.mark.django_db


@pytest.fixture
def rural_obliged(regions):
    # 炉桥村 is rural: this county extends the obligation and the sanction to rural households.
    return oblige_rural(regions["county"])


@pytest.fixture
def household(regions, rural_obliged):
    return make_household(regions["comm_b1"])


@pytest.fixture
def seeker(users, household):
    member = make_member(household, sex="M", age=35, name="李建国")
    return services.seeker_register(actor=users["community_b1"], member=member, skills="会电焊", certificates=["焊工证"],
                                    desired_occupations=["电焊工"], hours=["day"])


@pytest.fixture
def vacancies(regions):
    employer = make_employer(regions["town_b"])
    return [add_vacancy(employer, regions["town_b"], title=f"岗位{n}", openings=1) for n in range(4)]


def refuse(users, seeker, vacancy, *, valid):
    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
    return services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.REFUSED,
                                            refusal_reason="嫌远", refusal_valid=valid)


def test_hire_records_placement_marks_seeker_placed_and_fills_vacancy(users, seeker, vacancies):
    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0], reasons=["职业对口"])
    assert referral.status == ReferralStatus.PENDING and referral.match_reasons == ["职业对口"]
    services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.HIRED,
                                     start_date=today(), monthly_earnings="2600.5")
    hire = Hire.objects.get()
    assert (hire.member, hire.household, hire.vacancy) == (seeker.member, seeker.member.household, vacancies[0])
    assert hire.monthly_earnings == Decimal("2600.50")
    assert list(selectors.hires_for_member(seeker.member)) == [hire]
    seeker.refresh_from_db()
    vacancies[0].refresh_from_db()
    assert seeker.status == SeekerStatus.PLACED
    assert vacancies[0].status == VacancyStatus.FILLED  # openings = 1
    assert AuditEvent.objects.filter(action="hire.create").count() == 1
    with pytest.raises(Conflict):  # an outcome is recorded once
        services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.NO_SHOW)


def test_hire_needs_start_date_and_earnings(users, seeker, vacancies):
    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0])
    with pytest.raises(DomainError) as error:
        services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.HIRED)
    assert set(error.value.field_errors) == {"start_date", "monthly_earnings"}


def test_refusal_needs_a_reason_and_duplicates_conflict(users, seeker, vacancies):
    referral = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0])
    with pytest.raises(DomainError):
        services.referral_record_outcome(actor=users["labour"], referral=referral, outcome=ReferralStatus.REFUSED)
    with pytest.raises(Conflict):
        services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0])


def test_only_labour_staff_refer(users, seeker, vacancies):
    for key in ("community_b1", "county", "other_county"):
        with pytest.raises(PermissionDenied):
            services.referral_create(actor=users[key], seeker=seeker, vacancy=vacancies[0])


def test_closed_vacancy_cannot_be_referred(users, seeker, vacancies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.vacancy_set_status(actor=users["labour"], vacancy=vacancies[0], status=VacancyStatus.CLOSED)
    with pytest.raises(Conflict):
        services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0])


# refusals_before_sanction = 2: one unjustified refusal → nothing; a justified one does not count;
# the second unjustified refusal → a proposal to suspend (the household has an active enrolment).
def test_two_refusals_without_valid_reason_raise_a_suspension_proposal(users, seeker, vacancies):
    refuse(users, seeker, vacancies[0], valid=False)
    refuse(users, seeker, vacancies[1], valid=True)
    assert not SanctionProposal.objects.exists()
    refuse(users, seeker, vacancies[2], valid=False)
    proposal = SanctionProposal.objects.get()
    assert proposal.kind == SanctionKind.SUSPEND_BENEFIT and proposal.status == SanctionStatus.PROPOSED
    assert sorted(r.vacancy_id for r in proposal.refusals.all()) == [vacancies[0].pk, vacancies[2].pk]
    assert "2 次" in proposal.explanation
    # A third refusal while one is open raises no second proposal.
    refuse(users, seeker, vacancies[3], valid=False)
    assert SanctionProposal.objects.count() == 1


# The sanction applies only to people obliged on the day of the refusal [R4 男48岁以下]:
# a man of 48 is obliged (48 ≤ 48) → two refusals → proposal; a man of 49 (49 > 48) who registered
# voluntarily refuses twice → 0 refusals count, 0 < 2 → no proposal.
@pytest.mark.parametrize(("age", "proposed"), [(48, True), (49, False)])
def test_refusals_count_only_while_obliged(users, household, vacancies, age, proposed):
    member = make_member(household, sex="M", age=age, name="王大成")
    seeker = services.seeker_register(actor=users["community_b1"], member=member, skills="搬运",
                                      certificates=[], desired_occupations=["搬运工"], hours=["day"])
    refuse(users, seeker, vacancies[0], valid=False)
    refuse(users, seeker, vacancies[1], valid=False)
    assert SanctionProposal.objects.exists() is proposed


def test_unjudged_refusals_count_once_judged(users, seeker, vacancies):
    first = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[0])
    services.referral_record_outcome(actor=users["labour"], referral=first, outcome=ReferralStatus.REFUSED,
                                     refusal_reason="工资低")
    second = services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancies[1])
    services.referral_record_outcome(actor=users["labour"], referral=second, outcome=ReferralStatus.REFUSED,
                                     refusal_reason="不想去")
    assert not SanctionProposal.objects.exists()
    services.referral_judge_refusal(actor=users["labour"], referral=first, valid=False)
    assert not SanctionProposal.objects.exists()
    services.referral_judge_refusal(actor=users["labour"], referral=second, valid=False)
    assert SanctionProposal.objects.count() == 1


def test_county_confirms_and_the_enrolment_is_suspended(users, seeker, vacancies):
    refuse(users, seeker, vacancies[0], valid=False)
    refuse(users, seeker, vacancies[1], valid=False)
    proposal = SanctionProposal.objects.get()
    for key in ("labour", "township_b", "other_county"):
        with pytest.raises(PermissionDenied):
            services.sanction_confirm(actor=users[key], proposal=proposal)
    services.sanction_confirm(actor=users["county"], proposal=proposal, note="经核实")
    proposal.refresh_from_db()
    assert proposal.status == SanctionStatus.CONFIRMED and proposal.decided_by == users["county"]
    enrolment = seeker.member.household.enrolments.get()
    assert enrolment.status == EnrolmentStatus.SUSPENDED
    event = EnrolmentEvent.objects.get(enrolment=enrolment)
    assert "拒绝推荐岗位" in event.reason
    with pytest.raises(Conflict):
        services.sanction_dismiss(actor=users["county"], proposal=proposal)


def test_county_dismisses_and_the_enrolment_is_untouched(users, seeker, vacancies):
    refuse(users, seeker, vacancies[0], valid=False)
    refuse(users, seeker, vacancies[1], valid=False)
    proposal = services.sanction_dismiss(actor=users["county"], proposal=SanctionProposal.objects.get(), note="理由成立")
    assert proposal.status == SanctionStatus.DISMISSED
    assert seeker.member.household.enrolments.get().status == EnrolmentStatus.ACTIVE
    # The refusals used by the dismissed proposal do not count again.
    refuse(users, seeker, vacancies[2], valid=False)
    assert SanctionProposal.objects.count() == 1


# The obligation, and so the sanction, is an urban rule by default [R4 城市低保]: a 35-year-old man of
# a rural household (16 ≤ 35 ≤ 48, work ability) registered voluntarily refuses twice → his refusals
# do not count (0 < 2) → no proposal; in an urban household the same two refusals → 2 ≥ 2 → proposal.
@pytest.mark.parametrize(("region_key", "proposed"), [("comm_b1", False), ("comm_a1", True)])
def test_refusal_sanction_is_urban_by_default(users, regions, vacancies, region_key, proposed):
    household = make_household(regions[region_key])
    member = make_member(household, sex="M", age=35, name="赵志强")
    seeker = services.seeker_register(actor=users["county"], member=member, skills="搬运")
    refuse(users, seeker, vacancies[0], valid=False)
    refuse(users, seeker, vacancies[1], valid=False)
    assert SanctionProposal.objects.exists() is proposed


def test_applicant_household_gets_a_decline_proposal(users, regions, vacancies, rural_obliged):
    applicant = make_household(regions["comm_b1"], enrolled=False)
    member = make_member(applicant, sex="F", age=30, name="王芳")
    seeker = services.seeker_register(actor=users["community_b1"], member=member, skills="保洁")
    refuse(users, seeker, vacancies[0], valid=False)
    refuse(users, seeker, vacancies[1], valid=False)
    proposal = SanctionProposal.objects.get()
    assert proposal.kind == SanctionKind.DECLINE_APPLICATION
    proposal = services.sanction_confirm(actor=users["county"], proposal=proposal)
    assert proposal.status == SanctionStatus.CONFIRMED
    assert proposal.decision_note  # says what was (or could not be) done with the application


def test_expire_vacancies_is_set_based_and_idempotent(users, regions, django_capture_on_commit_callbacks):
    employer = make_employer(regions["town_b"])
    old = add_vacancy(employer, regions["town_b"], closes_on=today() - dt.timedelta(days=1))
    fresh = add_vacancy(employer, regions["town_b"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.vacancies_expire() == 1
    assert services.vacancies_expire() == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (VacancyStatus.EXPIRED, VacancyStatus.OPEN)
