"""A hire recorded by jobs proposes the transition benefit and places completed trainees (§4, §5)."""

import datetime as dt
from decimal import Decimal

import pytest

from incentives.models import ProposalStatus, TransitionProposal
from jobs import services as job_services
from jobs.models import ReferralStatus
from reemployment.core.models import today
from tests.jobs.factories import add_vacancy, make_employer, make_household, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def hired(users, regions):
    household = make_household(regions["comm_a1"])  # active enrolment of 300.00
    member = make_member(household)
    seeker = job_services.seeker_register(actor=users["community_a1"], member=member, skills="焊接", certificates=["焊工证"], desired_occupations=["电焊工"],
                                          hours=["day"])
    vacancy = add_vacancy(make_employer(regions["county"]), regions["town_a"], openings=1)
    referral = job_services.referral_create(actor=users["labour"], seeker=seeker, vacancy=vacancy)
    return household, member, referral


def _hire(users, referral, earnings):
    return job_services.referral_record_outcome(actor=users["labour"], referral=referral,
                                                outcome=ReferralStatus.HIRED, start_date=today(),
                                                monthly_earnings=earnings)


@pytest.mark.parametrize("earnings, expected", [("780.00", "300.00"), ("800.00", "150.00")])
def test_hire_proposes_transition(users, hired, earnings, expected):
    household, member, referral = hired
    _hire(users, referral, earnings)
    proposal = TransitionProposal.objects.get(household=household)
    # 780 < 800 → the previous 300.00 in full; exactly 800 → 300.00 × 0.5 = 150.00.
    assert proposal.transition_amount == Decimal(expected)
    assert proposal.status == ProposalStatus.PROPOSED and proposal.member == member
    assert proposal.source_type == "jobs.hire"


def test_hire_places_a_completed_trainee_and_certificate_counts_in_matching(users, regions, hired):
    from jobs.matching.pipeline import seeker_certificates
    from tests.training.factories import CourseFactory
    from training import services as training_services
    from training.models import CourseStatus, Placement

    _household, member, referral = hired
    course = CourseFactory(region=regions["county"], starts_on=today() - dt.timedelta(days=60),
                           ends_on=today() - dt.timedelta(days=30), certificate_name="叉车司机证")
    enrolment = training_services.enrolment_create(actor=users["labour"], course=course, member=member)
    training_services.course_transition(actor=users["labour"], course=course, to_status=CourseStatus.RUNNING)
    training_services.enrolment_complete(actor=users["labour"], enrolment=enrolment,
                                         completed_on=today() - dt.timedelta(days=30))
    training_services.enrolment_certify(actor=users["labour"], enrolment=enrolment, certificate_number="CC-0001")
    # The certificate earned in training is a matching signal beside those on the profile.
    assert seeker_certificates(referral.seeker) == ["焊工证", "叉车司机证"]
    _hire(users, referral, "2000.00")
    placement = Placement.objects.get(enrolment=enrolment)
    assert placement.start_date == today()
