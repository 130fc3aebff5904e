"""Demo data of benefits: a county shaped like report 1 [R1] in 定远县 (341125).

Called by ``python manage.py seed_demo`` (``make run``). Builds, with ``bulk_create``:

=====  ==========  =========  ========
area   category    households persons
=====  ==========  =========  ========
urban  A           186        186
urban  B           560        1,120
urban  C           5,313      7,801
rural  A           1,926      2,150
rural  B           3,391      9,444
rural  C           8,739      23,648
=====  ==========  =========  ========

spread over the demo communities (urban: 341125100001..008; rural: the villages of
341125101..107), with realistic names, valid unique ID numbers, incomes consistent with each
category (every household is assessed with ``assess_household`` as of the seed date and must
come out in its category — the seed stops otherwise) and active enrolments whose amounts come
from the rules. Then a handful of applications at different workflow steps and two recipient
logins. Idempotent: a seeded county is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from benefits import rules, services
from benefits.models import (
    Application,
    Enrolment,
    EnrolmentEvent,
    EnrolmentEventKind,
    Household,
    IncomeItem,
    Member,
    Relation,
    StudentStatus,
    WorkAbility,
)
from reemployment.core import audit
from reemployment.core.models import Region, RegionLevel, Standard, User, today
from reemployment.core.selectors import parameters_in_force, standard_in_force
from reemployment.dates import add_months
from reemployment.idcard import make_id_number

COUNTY = "341125"
URBAN_TOWNSHIP = "341125100"
RURAL_TOWNSHIPS = [f"341125{n}" for n in range(101, 108)]
CERTIFICATE_PREFIX = "D"  # demo certificates: 城保341125-D0000001
DEMO_PASSWORD = "demo-2026"
ACTOR = "system:seed_demo"

# (area, category) → list of (household size, number of households). Totals match [R1].
SHAPE = {
    ("urban", "A"): [(1, 186)],                    # 186 households, 186 persons
    ("urban", "B"): [(2, 560)],                    # 560, 1,120
    ("urban", "C"): [(1, 2825), (2, 2488)],        # 5,313, 2,825 + 4,976 = 7,801
    ("rural", "A"): [(1, 1702), (2, 224)],         # 1,926, 1,702 + 448 = 2,150
    ("rural", "B"): [(2, 729), (3, 2662)],         # 3,391, 1,458 + 7,986 = 9,444
    ("rural", "C"): [(2, 2569), (3, 6170)],        # 8,739, 5,138 + 18,510 = 23,648
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆建国庆春生福海山林文志永德"
FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美兰红梅琳素云莲真雪荣爱玉萍桂凤洁琴燕"


class _People:
    """Names and unique valid ID numbers (GB 11643) for generated persons."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[dt.date, int] = {}
        self.taken = set(Member.objects.values_list("id_number", flat=True))

    def name(self, sex: str, surname: str | None = None) -> str:
        surname = surname or self.rng.choice(SURNAMES)
        chars = MALE if sex == "M" else FEMALE
        return surname + "".join(self.rng.choice(chars) for _ in range(self.rng.choice((1, 2, 2))))

    def id_number(self, birth: dt.date, sex: str) -> str:
        while True:
            k = self.used.get(birth, 0)
            self.used[birth] = k + 1
            seq = 2 * k + (1 if sex == "M" else 2)
            if seq > 999:
                birth += dt.timedelta(days=1)
                continue
            number = make_id_number(COUNTY, birth, seq)
            if number not in self.taken:
                self.taken.add(number)
                return number

    def birth(self, as_of: dt.date, low: int, high: int) -> dt.date:
        return as_of - dt.timedelta(days=self.rng.randint(low * 365 + 1, high * 365 - 1))


def _person(people, as_of, *, sex, relation, low, high, surname=None, **facts):
    birth = people.birth(as_of, low, high)
    return {"sex": sex, "relation": relation, "birth_date": birth, "id_number": people.id_number(birth, sex),
            "name": people.name(sex, surname), **facts}


def _compose(rng, people, as_of, area, category, size):
    """Members (dicts) and income items (member index, kind, amount, quantity, unit) of one household."""
    surname = rng.choice(SURNAMES)
    head_sex = rng.choice("MMF")
    members, incomes = [], []
    if category == "A":  # every member a 三无 person, no income
        for i in range(size):
            members.append(_person(people, as_of, sex=head_sex if i == 0 else rng.choice("MF"),
                                   relation=Relation.HEAD if i == 0 else Relation.SIBLING, low=60, high=88,
                                   surname=surname, three_no=True, work_ability=WorkAbility.NONE))
        return members, incomes
    head = _person(people, as_of, sex=head_sex, relation=Relation.HEAD, low=35, high=75, surname=surname)
    members.append(head)
    if size >= 2:
        members.append(_person(people, as_of, sex="F" if head_sex == "M" else "M", relation=Relation.SPOUSE,
                               low=35, high=72))
    if size >= 3:
        members.append(_person(people, as_of, sex=rng.choice("MF"), relation=Relation.CHILD, low=6, high=17,
                               surname=surname, student_status=StudentStatus.SCHOOL))
    if category == "B":
        ground = rng.random()
        if ground < 0.6:
            head["serious_illness"] = True
            head["work_ability"] = WorkAbility.PARTIAL
        else:
            head["disability_grade"] = rng.choice((1, 2))
            head["work_ability"] = WorkAbility.NONE
    elif area == "rural" and rng.random() < 0.3:
        head["work_ability"] = WorkAbility.NONE  # rural C ground: no work ability
    # Incomes clearly below the standard (the standard × size minus a margin).
    if area == "urban":
        if category == "B":
            if size >= 2 and rng.random() < 0.7:
                incomes.append((1, "pension", Decimal(rng.randrange(100, 400)), None, ""))
        elif rng.random() < 0.75:
            # wages count net of the 200-yuan disregard (2026 parameters): 200 + up to 200 × size
            wage = 200 + rng.randrange(0, 200 * size - 40)
            incomes.append((0, "wages", Decimal(wage), None, ""))
    else:
        if rng.random() < 0.8:  # grain in kind: kg × published price (稻谷 2.60/kg)
            kilos = rng.randrange(10, 25 * size)
            incomes.append((0, "agricultural", Decimal(0), Decimal(kilos), "稻谷(公斤)"))
        if category == "C" and rng.random() < 0.4:
            incomes.append((0, "support", Decimal(rng.randrange(20, 60 * size)), None, ""))
    return members, incomes


def _rule_inputs(household_fields, members, incomes):
    rule_members = [rules.Member(
        birth_date=m["birth_date"], sex=m["sex"], three_no=m.get("three_no", False),
        serious_illness=m.get("serious_illness", False), severe_disability=m.get("disability_grade", 0) in (1, 2),
        single_parent=False, university_student=m.get("student_status") == StudentStatus.UNIVERSITY,
        work_ability=m.get("work_ability", WorkAbility.FULL) != WorkAbility.NONE, disaster=False,
    ) for m in members]
    rule_incomes = [rules.Income(member_index=i, kind=kind, monthly_amount=amount, quantity=quantity,
                                 unit=unit or None) for i, kind, amount, quantity, unit in incomes]
    return rule_members, rule_incomes


def already_seeded() -> bool:
    return Enrolment.objects.filter(certificate_number__contains=f"-{CERTIFICATE_PREFIX}").exists()


def seed(stdout=None, *, as_of: dt.date | None = None) -> dict:
    as_of = as_of or today()
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        if stdout:
            stdout.write("benefits: demo county 341125 missing (load the demo policy first)")
        return {}
    counts = {}
    if already_seeded():
        if stdout:
            stdout.write("benefits: demo county already seeded")
    else:
        counts = _seed_county(county, as_of, stdout)
    _seed_applications(as_of, stdout)
    _seed_logins(stdout)
    return counts


def _seed_county(county: Region, as_of: dt.date, stdout) -> dict:
    rng = random.Random(341125)
    people = _People(rng)
    urban = list(Region.objects.filter(parent__code=URBAN_TOWNSHIP, level=RegionLevel.COMMUNITY).order_by("code"))
    rural = list(Region.objects.filter(parent__code__in=RURAL_TOWNSHIPS, level=RegionLevel.COMMUNITY)
                 .order_by("code"))
    # The demo's history holds a standard raise (提标): households enrolled before the latest raise are
    # priced at the standards of the day before it, then re-priced by the real operation
    # (``standard_change_apply``) from the raise's month, as a county would have done it.
    raise_on = _latest_raise(county, as_of)
    priced_on = raise_on - dt.timedelta(days=1) if raise_on else as_of
    standards = {area: standard_in_force(county, area, as_of).monthly_amount for area in ("urban", "rural")}
    params = parameters_in_force(county, as_of)
    old_standards = {area: standard_in_force(county, area, priced_on).monthly_amount for area in ("urban", "rural")}
    old_params = parameters_in_force(county, priced_on)
    plan = []  # (community, area, category, members, incomes, assessment)
    for (area, category), sizes in SHAPE.items():
        communities = urban if area == "urban" else rural
        for size, count in sizes:
            for _ in range(count):
                members, incomes = _compose(rng, people, as_of, area, category, size)
                rule_members, rule_incomes = _rule_inputs({}, members, incomes)
                result = rules.assess_household(rule_members, rule_incomes, rules.Assets(), area, standards[area],
                                                params, as_of)
                if not result.eligible or result.category != category:
                    raise RuntimeError(f"demo household does not assess as {area} {category}: {result.explanation}")
                before = rules.assess_household(rule_members, rule_incomes, rules.Assets(), area,
                                                old_standards[area], old_params, priced_on)
                if not before.eligible or before.category != category:
                    raise RuntimeError(f"demo household does not assess as {area} {category} before the raise: "
                                       f"{before.explanation}")
                plan.append((rng.choice(communities), area, category, members, incomes, (before, result)))
    rng.shuffle(plan)
    with transaction.atomic():
        sequence: dict[str, int] = {}
        households = []
        for n, (community, area, _category, _members, _incomes, _result) in enumerate(plan, start=1):
            sequence[community.code] = sequence.get(community.code, 0) + 1
            households.append(Household(
                number=f"{community.code}{sequence[community.code]:06d}", region=community, area=area,
                address=f"{community.name}{rng.randint(1, 60)}组{rng.randint(1, 99)}号",
                phone=f"13{rng.randint(100000000, 999999999)}", bank_account=f"6230{n:015d}",
                bank_name="定远县农村商业银行"))
        Household.objects.bulk_create(households, batch_size=2000)
        member_rows, income_plan = [], []
        for household, (_c, area, _cat, members, incomes, _r) in zip(households, plan, strict=True):
            first = len(member_rows)
            for m in members:
                member_rows.append(Member(household=household, hukou_area=area, **m))
            income_plan.append((household, first, incomes))
        Member.objects.bulk_create(member_rows, batch_size=2000)
        income_rows = [
            IncomeItem(household=household, member=member_rows[first + i], kind=kind, monthly_amount=amount,
                       quantity=quantity, unit=unit)
            for household, first, incomes in income_plan for i, kind, amount, quantity, unit in incomes
        ]
        IncomeItem.objects.bulk_create(income_rows, batch_size=2000)
        enrolments = []
        for n, (household, (_c, area, category, members, _i, results)) in enumerate(zip(households, plan, strict=True),
                                                                                  start=1):
            start = as_of - dt.timedelta(days=rng.randint(30, 3 * 365))
            before_raise = raise_on is not None and start < raise_on
            result = results[0] if before_raise else results[1]
            interval = params.review_interval_months_urban if area == "urban" else params.review_interval_months_rural
            next_review = add_months(start, interval)
            while next_review < as_of - dt.timedelta(days=20):
                next_review = add_months(next_review, interval)
            prefix = "城" if area == "urban" else "农"
            enrolments.append(Enrolment(
                household=household, area=area, category=category, monthly_amount=result.monthly_amount,
                persons=len(members), start_date=start, next_review_on=next_review,
                priced_on=priced_on if before_raise else as_of,
                certificate_number=f"{prefix}保{COUNTY}-{CERTIFICATE_PREFIX}{n:07d}"))
        Enrolment.objects.bulk_create(enrolments, batch_size=2000)
        EnrolmentEvent.objects.bulk_create([
            EnrolmentEvent(enrolment=e, kind=EnrolmentEventKind.ENTRY, effective_on=e.start_date,
                           reason="审批纳入（演示数据）", status_after=e.status, category_after=e.category,
                           amount_after=e.monthly_amount) for e in enrolments], batch_size=2000)
        counts = {"households": len(households), "members": len(member_rows), "incomes": len(income_rows),
                  "enrolments": len(enrolments)}
        audit.record(actor=ACTOR, action="demo.seed", object_type="benefits.household", object_id="",
                     object_label="演示数据", region=county, after=counts)
    if raise_on is not None:
        repriced = services.standard_change_apply(actor=ACTOR, county=county, month=raise_on)
        counts["repriced"] = repriced["households_changed"]
    if stdout:
        stdout.write(f"benefits: {counts['households']} households, {counts['members']} persons, "
                     f"{counts['enrolments']} enrolments")
        if raise_on is not None:
            stdout.write(f"benefits: standard raise of {raise_on:%Y-%m} applied to {counts['repriced']} enrolments")
    return counts


def _latest_raise(county: Region, as_of: dt.date) -> dt.date | None:
    """The first day of the county's latest standard change on or before ``as_of`` that follows an
    earlier standard of the same area (a raise to re-price), or None."""
    rows = (Standard.objects.filter(region=county, valid_from__lte=as_of)
            .order_by("-valid_from").values_list("area", "valid_from"))
    seen: dict[str, list[dt.date]] = {}
    for area, valid_from in rows:
        seen.setdefault(area, []).append(valid_from)
    changes = [dates[0] for dates in seen.values() if len(dates) > 1]
    latest = max(changes, default=None)
    return latest.replace(day=1) if latest else None


# --- Applications at different steps, and recipient logins -----------------------------------

DEMO_APPLICATIONS = [
    # (community code, step to reach, size, wages)
    ("341125100001", "submitted", 2, "300.00"),
    ("341125100001", "surveyed", 3, "500.00"),
    ("341125100001", "appraised", 1, "0.00"),
    ("341125100001", "notice", 2, "250.00"),
    ("341125100001", "reviewed", 1, "100.00"),
    ("341125100001", "approved", 2, "0.00"),
    ("341125100001", "rejected", 1, "0.00"),
    ("341125101001", "notice", 3, "0.00"),
    ("341125101001", "submitted", 2, "0.00"),
]


def _demo_household(rng, people, community: Region, n: int, size: int, wages: str, as_of: dt.date) -> Household:
    household = services.household_save(actor=ACTOR, instance=Household(
        number=f"{community.code}9{n:05d}", region=community, address=f"{community.name}{n}号"))
    members, _ = _compose(rng, people, as_of, household.area, "C", size)
    saved = [services.member_save(actor=ACTOR, instance=Member(household=household, hukou_area=household.area, **m))
             for m in members]
    if Decimal(wages):
        services.income_save(actor=ACTOR, instance=IncomeItem(household=household, member=saved[0], kind="wages",
                                                              monthly_amount=Decimal(wages)))
    return household


def _seed_applications(as_of: dt.date, stdout) -> None:
    if Application.objects.filter(household__number__contains="9000").exists():
        return
    staff = {u.username: u for u in User.objects.filter(username__in=["chengnan", "dingcheng", "luqiaocun",
                                                                          "luqiao", "county"])}
    if len(staff) < 5:
        return
    rng = random.Random(2026)
    people = _People(rng)
    start = as_of - dt.timedelta(days=20)
    for n, (code, target, size, wages) in enumerate(DEMO_APPLICATIONS, start=1):
        community = Region.objects.get(code=code)
        household = _demo_household(rng, people, community, n, size, wages, as_of)
        local = staff["chengnan"] if community.effective_area() == "urban" else staff["luqiaocun"]
        township = staff["dingcheng"] if community.effective_area() == "urban" else staff["luqiao"]
        recent = target == "notice"
        day = as_of if recent else start
        application = services.application_submit(actor=local, household=household, reason="家庭收入低于当地低保标准",
                                                  submitted_on=day)
        if target == "submitted":
            continue
        verified = {i.pk: i.monthly_amount for i in household.incomes.all()}
        application = services.application_survey(actor=local, application=application, findings="入户核实，情况属实",
                                                  verified_incomes=verified, on=day)
        if target == "surveyed":
            continue
        application = services.application_appraise(actor=local, application=application,
                                                    group=["居委会主任", "居民代表甲", "居民代表乙", "党员代表"],
                                                    votes_for=4, votes_against=0, opinions="一致同意", on=day)
        if target == "appraised":
            continue
        application = services.application_post_notice(actor=local, application=application, on=day)
        if target == "notice":
            continue
        application = services.application_review(actor=township, application=application, opinion="同意上报",
                                                  on=start + dt.timedelta(days=10))
        if target == "reviewed":
            continue
        if target == "rejected":
            services.application_reject(actor=staff["county"], application=application,
                                        reason="经核查，家庭成员有稳定收入来源", on=as_of)
            continue
        services.application_approve(actor=staff["county"], application=application, reason="符合条件", on=as_of)
    if stdout:
        stdout.write(f"benefits: {len(DEMO_APPLICATIONS)} demo applications at different steps")


def _seed_logins(stdout) -> None:
    rows = []
    for township in (URBAN_TOWNSHIP, RURAL_TOWNSHIPS[0]):
        household = (Household.objects.filter(region__parent__code=township, enrolments__status="active")
                     .order_by("number").first())
        if household is None:
            continue
        if household.account_id is None:
            services.recipient_account_create(actor=ACTOR, household=household, password=DEMO_PASSWORD)
            household.refresh_from_db()
        rows.append((household.account.username, household.number, household.region.name))
    if stdout and rows:
        stdout.write(f"benefits: recipient logins (password {DEMO_PASSWORD}):")
        for username, number, place in rows:
            stdout.write(f"  {username}  户 {number} {place}")
