"""Demo data of training in 定远县 (341125), called by ``python manage.py seed_demo``.

Three providers and eight courses matching the survey categories, driven through the real
services (enrol → start → complete/assess/certify → end → place → assess):

- 缝纫工 (ended ~9 months ago): every completer placed → output rate 100 % > 95 % → reward;
- 电子装配工 (ended ~8 months ago): 4 of 10 placed → 40 % < 60 % → accountability review;
- 焊工 (ended ~7½ months ago): 8 of 10 placed → 80 % → normal;
- 计算机操作与维修 (ended 2 months ago): placement window still open → provisional;
- 物业管理 (running now, with attendance); 中式烹调, 保安员, 创业(SYB) open for sign-up.

Trainees are working-age members from the benefits demo data; with none, the courses are
created without trainees (the ended ones then have no completers and go to review). Courses whose
certificate vacancies also ask for name it (焊工证, 厨师证, 保安员证: ``standard_certificate``).
Also a training-wish survey of up to ~300 registered job seekers (the jobs demo registers them
first). Idempotent: a seeded county is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from benefits.models import Member, WorkAbility
from jobs.selectors import registered_seekers_among
from reemployment.core.models import Region, Role, User, today
from training import services
from training.models import (
    Course,
    CourseStatus,
    CourseType,
    Provider,
    SubsidyPayment,
    SubsidyStatus,
    TrainingWish,
)

COUNTY = "341125"
ACTOR = "system:seed_demo"

PROVIDERS = [
    ("定远县职业技能培训学校", "皖人社培字 341125001", "刘老师", "0550-4021001", "定城镇东大街 18 号"),
    ("定远县就业训练中心", "皖人社培字 341125002", "何主任", "0550-4021002", "定城镇人民路 56 号"),
    ("滁州华泰职业培训学校定远分校", "皖人社培字 341100087", "马校长", "0550-4021003", "炉桥镇工业园"),
]

# title, type, occupation, provider index, region code, place, start offset (days from today),
# length (days), capacity, subsidy, certificate, plan (completed, placed, failed) for ended courses
COURSES = [
    ("缝纫工培训班（第一期）", CourseType.SEWING, "缝纫工", 0, "341125", "县职业技能培训学校实训楼", -300, 30, 30,
     "800.00", "缝纫工（初级）职业技能等级证书", (10, 10, 0)),
    ("电子装配工培训班", CourseType.ELECTRONICS, "电子装配工", 2, "341125101", "炉桥镇工业园实训车间", -280, 30, 30,
     "900.00", "电子装配工（初级）职业技能等级证书", (10, 4, 1)),
    ("焊工培训班", CourseType.MACHINING, "焊工", 0, "341125", "县职业技能培训学校焊接实训室", -260, 30, 25,
     "1200.00", "焊工（初级）职业技能等级证书", (10, 8, 0)),
    ("计算机操作与维修培训班", CourseType.COMPUTER, "计算机维修工", 1, "341125100", "定城镇就业训练中心机房", -90, 30,
     30, "700.00", "计算机维修工（初级）职业技能等级证书", (8, 3, 0)),
    ("物业管理员培训班", CourseType.PROPERTY, "物业管理员", 1, "341125100", "定城镇就业训练中心", -10, 30, 30,
     "600.00", "物业管理员（五级）证书", None),
    ("中式烹调师培训班", CourseType.CATERING, "中式烹调师", 0, "341125", "县职业技能培训学校烹饪实训室", 21, 30, 40,
     "900.00", "中式烹调师（初级）职业技能等级证书", None),
    ("保安员培训班", CourseType.SECURITY, "保安员", 1, "341125", "县就业训练中心", 35, 15, 40, "500.00", "保安员证",
     None),
    ("创业培训（SYB）班", CourseType.STARTUP, "创业", 1, "341125", "县就业训练中心", 60, 10, 30, "1000.00",
     "创业培训合格证书", None),
]
# Course certificate → the certificate name vacancies use (jobs.matching.text.CERTIFICATES).
STANDARD_CERTIFICATES = {
    "焊工（初级）职业技能等级证书": "焊工证",
    "中式烹调师（初级）职业技能等级证书": "厨师证",
    "保安员证": "保安员证",
}
ENDED_ENROLMENT = 12  # each ended course: 12 trainees, the plan's "completed" finish
UPCOMING_ENROLMENT = 6

WISH_WEIGHTS = [
    (CourseType.SEWING, 18), (CourseType.ELECTRONICS, 16), (CourseType.MACHINING, 14), (CourseType.COMPUTER, 12),
    (CourseType.PROPERTY, 8), (CourseType.CATERING, 12), (CourseType.SECURITY, 8), (CourseType.STARTUP, 6),
    (CourseType.MINING, 4), (CourseType.OTHER, 2),
]


def seed(stdout=None, *, as_of: dt.date | None = None) -> dict:
    as_of = as_of or today()
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        _say(stdout, "training: demo county 341125 missing (load the demo policy first)")
        return {}
    if Course.objects.filter(region__path__startswith=county.path, title=COURSES[0][0]).exists():
        _say(stdout, "training: demo courses already seeded")
        return {"wishes": _seed_wishes(county, as_of)}
    actor = User.objects.filter(username="labour", role=Role.LABOUR).first() or ACTOR
    with transaction.atomic():
        counts = _seed_courses(county, actor, as_of, stdout)
    counts["wishes"] = _seed_wishes(county, as_of)
    _say(stdout, f"training: {counts}")
    return counts


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _members(county: Region, as_of: dt.date, n: int, *, registered_seekers: bool = False) -> list:
    """Working-age members (18–50) with full work ability, in a stable order; with
    ``registered_seekers`` only those with a job-seeker registration (the survey is of them)."""
    oldest = as_of.replace(year=as_of.year - 50)
    youngest = as_of.replace(year=as_of.year - 18)
    members = Member.objects.filter(household__region__path__startswith=county.path, died_on__isnull=True,
                                    left_on__isnull=True, work_ability=WorkAbility.FULL,
                                    birth_date__gte=oldest, birth_date__lte=youngest)
    if registered_seekers:
        members = registered_seekers_among(members)
    return list(members.select_related("household__region").order_by("id")[:n])


def _seed_courses(county: Region, actor, as_of: dt.date, stdout) -> dict:
    providers = []
    for name, licence, contact, phone, address in PROVIDERS:
        provider = Provider.objects.filter(region=county, name=name).first() or services.provider_save(
            actor=actor, provider=Provider(name=name, region=county, licence_number=licence, contact=contact,
                                           phone=phone, address=address))
        providers.append(provider)
    pool = _members(county, as_of, len(COURSES) * ENDED_ENROLMENT)
    regions = {r.code: r for r in Region.objects.filter(code__in={c[4] for c in COURSES})}
    counts = {"providers": len(providers), "courses": 0, "enrolments": 0, "placements": 0}
    cursor = 0
    for index, (title, kind, occupation, provider_index, region_code, place, offset, length, capacity, subsidy,
                certificate, plan) in enumerate(COURSES):
        starts_on = as_of + dt.timedelta(days=offset)
        course = services.course_save(actor=actor, course=Course(
            provider=providers[provider_index], title=title, course_type=kind, occupation=occupation,
            region=regions[region_code], place=place, starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=length - 1), capacity=capacity,
            subsidy_per_trainee=Decimal(subsidy), certificate_name=certificate,
            standard_certificate=STANDARD_CERTIFICATES.get(certificate, ""),
            description=f"{occupation}技能培训，结业考核合格者颁发{certificate}。低保对象和登记失业人员免费参加。"))
        counts["courses"] += 1
        size = ENDED_ENROLMENT if offset < 0 else UPCOMING_ENROLMENT
        trainees, cursor = pool[cursor:cursor + size], cursor + size
        enrolments = [services.enrolment_create(actor=actor, course=course, member=m) for m in trainees]
        counts["enrolments"] += len(enrolments)
        if offset >= 0:
            continue
        services.course_transition(actor=actor, course=course, to_status=CourseStatus.RUNNING)
        days = [course.starts_on + dt.timedelta(days=d) for d in range(0, min(length, as_of.toordinal() -
                                                                                course.starts_on.toordinal()), 7)]
        for day_number, day in enumerate(days):
            present = {e.pk for i, e in enumerate(enrolments) if (i + day_number) % 9}
            services.attendance_record(actor=actor, course=course, day=day, present_ids=present)
        if plan is None:
            continue  # running
        completed, placed, failed = plan
        completers = enrolments[:completed]
        for number, enrolment in enumerate(completers):
            services.enrolment_complete(actor=actor, enrolment=enrolment)
            passed = number >= failed
            services.enrolment_assess(actor=actor, enrolment=enrolment, passed=passed,
                                      note="" if passed else "实操考核未达标")
            if passed:
                services.enrolment_certify(actor=actor, enrolment=enrolment,
                                           certificate_number=f"DY{course.starts_on:%Y}{index:02d}{number + 1:04d}")
        services.course_transition(actor=actor, course=course, to_status=CourseStatus.ENDED)
        employers = ["定远县天成服饰有限公司", "安徽盐化集团定远园区", "定远县城南物业公司", "滁州华强电子有限公司"]
        for number, enrolment in enumerate(completers[:placed]):
            enrolment.refresh_from_db()
            start = enrolment.completed_on + dt.timedelta(days=10 + 9 * number)
            if start > as_of:
                continue
            services.placement_record(actor=actor, enrolment=enrolment, start_date=start,
                                      employer_name=employers[number % len(employers)],
                                      evidence="演示数据：劳动合同及社保参保记录",
                                      monthly_earnings=Decimal(1600 + 100 * (number % 5)))
            counts["placements"] += 1
        course = services.course_assess(actor=actor, course=course, as_of=as_of)
        _say(stdout, f"training: {course.title} → {course.get_outcome_display()}"
                     f"{'' if course.outcome_final else '（暂定）'}, 输出率 {course.output_rate}")
    # Pay the subsidy of the reward course so the report shows money paid.
    for payment in SubsidyPayment.objects.filter(course__region__path__startswith=county.path,
                                                 course__marked_for_reward=True, status=SubsidyStatus.PROPOSED):
        services.subsidy_pay(actor=actor, payment=payment, paid_on=as_of - dt.timedelta(days=20),
                             voucher=f"DYPX-{payment.course_id:05d}")
    return counts


def _seed_wishes(county: Region, as_of: dt.date) -> int:
    """Up to ~300 survey answers from working-age registered job seekers (the survey is of them,
    as ``training_wish_save`` enforces), bulk-inserted (idempotent by the constraint)."""
    members = _members(county, as_of, 2000, registered_seekers=True)
    if not members:
        return 0
    rng = random.Random(341125)
    chosen = rng.sample(members, min(300, len(members)))
    kinds = [kind for kind, _ in WISH_WEIGHTS]
    weights = [weight for _, weight in WISH_WEIGHTS]
    survey_round = str(as_of.year)
    rows = [TrainingWish(member=m, region=m.household.region, course_type=rng.choices(kinds, weights)[0],
                         survey_round=survey_round, surveyed_on=as_of.replace(month=1, day=15))
            for m in chosen]
    TrainingWish.objects.bulk_create(rows, ignore_conflicts=True)
    return TrainingWish.objects.filter(region__path__startswith=county.path, survey_round=survey_round).count()
