"""Demo data for the joins between jobs and benefits, run after jobs and training by seed_demo.

In 定城镇 (the demo's urban township): two referrals ending in hires (one at 780 yuan, one at
1,500 — the transition keeps the full amount or half of it), a seeker who refused two posts
without a valid reason (a sanction proposal for the county to decide), a month of public-interest
labour hours, a fast-track check, a fraud case and the follow-ups of the 应保未保 roster list.
Idempotent: it runs once per database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from benefits.checks.models import FollowUp
from benefits.checks.services import FINDING_UNCOVERED, poverty_follow_up_all
from benefits.integrity.models import FraudCase, FraudKind
from benefits.integrity.services import fraud_case_open
from benefits.models import Household, Member, WorkAbility
from incentives.models import RuleApplication
from incentives.services import fast_track_assess, public_labour_record
from jobs import services as jobs_services
from jobs.models import JobSeeker, Vacancy, VacancyStatus
from reemployment.core.models import Region, User, today
from reemployment.dates import add_months, month_start

TOWNSHIP_PATH = "341125/341125100/"


def seed(stdout=None) -> dict:
    if RuleApplication.objects.exists() or not Region.objects.filter(code="341125100").exists():
        if stdout:
            stdout.write("incentives: demo already seeded (or no demo county)")
        return {}
    labour = User.objects.filter(username="labour").first()
    county = User.objects.filter(username="county").first()
    community = User.objects.filter(username="chengnan").first()
    seekers = list(JobSeeker.objects.filter(member__household__region__path__startswith=TOWNSHIP_PATH,
                                            member__household__enrolments__status="active")
                   .select_related("member__household").order_by("pk")[:3])
    vacancies = list(Vacancy.objects.filter(status=VacancyStatus.OPEN).order_by("pk")[:6])
    counts = {"hires": 0, "refusals": 0}
    if labour and len(seekers) == 3 and len(vacancies) >= 4:
        start = today()
        for seeker, vacancy, pay in ((seekers[0], vacancies[0], "780.00"), (seekers[1], vacancies[1], "1500.00")):
            with transaction.atomic():
                referral = jobs_services.referral_create(actor=labour, seeker=seeker, vacancy=vacancy,
                                                         reasons=["职业对口", "就近上班"])
                jobs_services.referral_record_outcome(actor=labour, referral=referral, outcome="hired",
                                                      start_date=start, monthly_earnings=pay)
            counts["hires"] += 1
        for vacancy in vacancies[2:4]:
            with transaction.atomic():
                referral = jobs_services.referral_create(actor=labour, seeker=seekers[2], vacancy=vacancy)
                jobs_services.referral_record_outcome(actor=labour, referral=referral, outcome="refused",
                                                      refusal_reason="嫌工作辛苦", refusal_valid=False)
            counts["refusals"] += 1
    labour_records = _seed_public_labour(community)
    if community:
        household = Household.objects.filter(region__path__startswith=TOWNSHIP_PATH).order_by("pk").first()
        if household:
            fast_track_assess(actor=community, household=household, job_start=add_months(today(), -8),
                              job_end=today() - dt.timedelta(days=10))
    _seed_fraud_case(county)
    _seed_follow_ups(county)
    if stdout:
        stdout.write(f"incentives: {counts['hires']} hires with transition proposals, {counts['refusals']} refusals "
                     f"(a sanction proposal), {labour_records} public-labour records")
    return {**counts, "public_labour": labour_records}


def _seed_public_labour(community) -> int:
    if community is None:
        return 0
    month = month_start(add_months(today(), -1))
    members = Member.objects.filter(household__region=community.region, work_ability=WorkAbility.FULL,
                                    household__enrolments__status="active", student_status="none",
                                    birth_date__lte=add_months(today(), -12 * 18),
                                    birth_date__gte=add_months(today(), -12 * 59)).order_by("pk")[:12]
    created = 0
    for i, member in enumerate(members):
        # Most do the 16 hours; every third one falls short, so the monthly list has something to show.
        hours = Decimal(8) if i % 3 == 0 else Decimal(16)
        public_labour_record(actor=community, member=member, month=month, kind="cleaning" if i % 2 else "patrol",
                             hours=hours, note="社区公益性岗位")
        created += 1
    return created


def _seed_fraud_case(county) -> None:
    if county is None or FraudCase.objects.exists():
        return
    household = Household.objects.filter(region__path__startswith=TOWNSHIP_PATH).order_by("-pk").first()
    if household:
        fraud_case_open(actor=county, household=household, kind=FraudKind.WRONGFUL_PAYMENT,
                        summary="隐瞒家庭成员工资性收入，多领低保金（演示案例）",
                        amount_wrongly_paid=Decimal("1260.00"))


def _seed_follow_ups(county) -> None:
    if county is None or FollowUp.objects.exists():
        return
    poverty_follow_up_all(actor=county, finding=FINDING_UNCOVERED)
