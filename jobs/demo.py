"""Demo data for jobs: ~40 vacancies from 12 employers in 定远县, and job-seeker registrations for
working-age members of the benefits demo households (bounded; none if there are no households).

Idempotent: employers by (name, region), vacancies by (employer, title), seekers by member.
Everything goes through the services (audited as ``system:seed_demo``); vectors are computed
in batches and the index is rebuilt once at the end.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from benefits.models import EnrolmentStatus, Member, WorkAbility
from jobs import services
from jobs.matching.pipeline import ensure_vectors, rebuild_index, seeker_matching_text
from jobs.models import Employer, JobSeeker, Vacancy
from jobs.rules import jobseeker_obligation
from reemployment.core.models import Region, today
from reemployment.core.selectors import parameters_in_force

ACTOR = "system:seed_demo"
COUNTY = "341125"
MAX_SEEKERS = 300

# name, township code, contact
EMPLOYERS = [
    ("安徽炉桥盐化有限公司", "341125101", "人事部 刘经理"),
    ("定远县华艺服饰有限公司", "341125100", "办公室 王主任"),
    ("定远县鑫科电子有限公司", "341125100", "人事部 陈主管"),
    ("定远县宏达物业管理有限公司", "341125100", "项目部 张经理"),
    ("定远县平安保安服务有限公司", "341125100", "调度室 赵队长"),
    ("定远县老街坊饭店", "341125100", "店长 孙师傅"),
    ("滁州顺通物流有限公司定远分公司", "341125105", "仓储部 周主管"),
    ("安徽皖中钢结构工程有限公司", "341125103", "项目部 吴工"),
    ("定远县惠民超市", "341125100", "店长 郑女士"),
    ("定远县夕阳红养老院", "341125100", "院长 何女士"),
    ("定远县洁美保洁服务有限公司", "341125100", "经理 马女士"),
    ("定远县藕塘农业发展有限公司", "341125102", "场长 朱先生"),
]

# employer index, title, occupation, township (None = employer's), hours, pay, openings, certificates, description, requirements
VACANCIES = [
    (0, "盐化生产操作工", "化工操作工", None, "shift", (4200, 5600), 10, [], "蒸发制盐车间操作工，四班三倒，包吃住，入职培训", "初中以上文化，45岁以下"),
    (0, "包装工", "化工操作工", None, "shift", (3600, 4500), 8, [], "包装线封口机操作、码垛", "能适应倒班"),
    (0, "维修电工", "电工", None, "shift", (5000, 6500), 2, ["电工证"], "厂区配电设备巡检、电机和照明线路维修", "持低压电工证"),
    (0, "叉车司机", "叉车司机", None, "shift", (4500, 5500), 3, ["叉车证"], "成品仓库叉车装卸", "持叉车证，一年以上经验"),
    (0, "工厂门卫", "保安员", None, "night", (2800, 3200), 2, [], "厂区大门值守、来访登记，夜班为主", "60岁以下，责任心强"),
    (0, "食堂帮厨", "厨师", None, "day", (2800, 3300), 2, ["健康证"], "职工食堂切配、洗碗、打饭", "需健康证"),
    (1, "平车工", "缝纫工", None, "day", (3500, 6000), 20, [], "服装平车、锁边，计件工资，熟手月入五千以上", "有缝纫经验者优先"),
    (1, "缝纫学徒", "缝纫工", None, "day", (2600, 3200), 10, [], "包教包会，学徒期保底工资", "无经验可培训，适合女工"),
    (1, "整烫包装工", "缝纫工", None, "day", (3000, 3800), 5, [], "成衣整烫、检验、包装", "细心"),
    (2, "电子插件工", "电子装配工", None, "day", (3200, 4200), 30, [], "电子元件插件、线路板目检，坐着干活，长白班", "视力良好，无需经验"),
    (2, "电子产品组装工", "电子装配工", None, "shift", (3800, 4800), 20, [], "流水线组装充电器、耳机，两班倒", "18-45岁"),
    (2, "贴片机操作员", "电子装配工", None, "shift", (4200, 5200), 4, [], "SMT贴片机上料、看机、换料", "有电子厂经验优先"),
    (3, "小区物业维修工", "物业维修工", None, "day", (3500, 4500), 3, [], "小区水电维修、门窗五金维修、管道疏通", "有电工证优先"),
    (3, "物业电工", "电工", None, "day", (4000, 5000), 1, ["电工证"], "配电房值守、公共照明及电路故障维修", "持电工证"),
    (3, "小区保洁员", "保洁员", None, "day", (2200, 2600), 6, [], "楼道、电梯和公共区域清扫，早上六点上班", "勤快"),
    (3, "小区保安", "保安员", None, "shift", (2800, 3400), 6, ["保安员证"], "门岗值守、夜间巡逻、车辆登记，做二休一", "持保安员证"),
    (3, "物业客服", "物业维修工", None, "day", (2800, 3500), 1, [], "业主报修登记、收费、接待", "会用电脑"),
    (4, "商场安保员", "保安员", None, "day", (3000, 3600), 8, [], "商场超市防损巡查，维护秩序", "身体健康"),
    (4, "押运员", "保安员", "341125100", "day", (3800, 4500), 4, ["保安员证"], "银行款箱押运", "退伍军人优先，持保安员证"),
    (4, "医院保安", "保安员", "341125100", "shift", (2800, 3300), 5, [], "县医院门诊秩序维护、巡逻", "五十岁以下"),
    (5, "中餐厨师", "厨师", None, "day", (4500, 6500), 2, ["健康证"], "炒锅，会做本地家常菜", "三年以上厨师经验"),
    (5, "餐厅服务员", "餐厅服务员", None, "day", (2600, 3200), 6, ["健康证"], "点菜、传菜、收台", "需健康证"),
    (5, "洗碗工", "餐厅服务员", None, "day", (2300, 2700), 2, ["健康证"], "后厨洗碗、清洁", "需健康证"),
    (6, "快递分拣员", "仓储物流员", None, "night", (3800, 4800), 15, [], "快递分拨中心夜班分拣、扫码、装车", "能上夜班"),
    (6, "物流叉车工", "叉车司机", None, "day", (4500, 5500), 3, ["叉车证"], "物流园区货物叉车搬运、上下架", "持叉车证"),
    (6, "送货司机", "货车司机", "341125100", "day", (4500, 6000), 3, ["驾驶证"], "县城超市门店配送", "C1驾照，三年驾龄"),
    (6, "仓库装卸工", "仓储物流员", None, "day", (3500, 5000), 10, [], "货物装卸搬运，计件", "身体强壮"),
    (7, "电焊工（钢结构）", "电焊工", None, "day", (5500, 8000), 6, ["焊工证"], "钢结构厂房构件焊接，二保焊、手工电弧焊，包吃住", "持焊工证，两年以上经验"),
    (7, "氩弧焊工", "电焊工", None, "shift", (6000, 8500), 2, ["焊工证"], "不锈钢管道氩弧焊接", "能看懂简单图纸"),
    (7, "钢筋工", "建筑工", None, "day", (4500, 6500), 8, [], "工地钢筋绑扎、下料", "有工地经验"),
    (7, "建筑水电安装工", "电工", None, "day", (5000, 7000), 3, ["电工证"], "住宅水电预埋、电线敷设、开关插座安装", "持电工证"),
    (8, "超市收银员", "收银员", None, "shift", (2600, 3200), 6, [], "超市收银，早晚两班轮换", "会用收银机优先"),
    (8, "理货员", "理货员", None, "day", (2500, 3000), 6, [], "商品上架、理货、补货", "勤快"),
    (8, "生鲜区营业员", "理货员", None, "day", (2800, 3400), 3, ["健康证"], "生鲜称重、整理、促销", "需健康证"),
    (9, "养老护理员", "养老护理员", None, "shift", (3200, 4200), 8, [], "照料老人起居、喂饭、翻身，包吃住", "有爱心，有护理员证优先"),
    (9, "居家养老上门护理员", "养老护理员", "341125103", "flexible", (2000, 3000), 5, [], "上门为失能老人助浴、助餐、陪护", "有照顾老人经验"),
    (10, "医院保洁", "保洁员", "341125100", "shift", (2400, 2900), 8, ["健康证"], "县医院病房及走廊清洁消毒，三班倒", "需健康证"),
    (10, "写字楼钟点保洁", "保洁员", "341125100", "flexible", (1200, 1800), 6, [], "办公楼清洁，每天四小时", "无"),
    (10, "道路清扫员", "保洁员", "341125101", "day", (2200, 2600), 10, [], "镇区道路清扫保洁", "身体健康"),
    (11, "大棚种植工", "农业工人", None, "day", (2400, 3200), 15, [], "蔬菜大棚种植、采摘、打包", "能吃苦，本地优先"),
    (11, "农机手", "货车司机", None, "day", (3500, 5000), 2, ["驾驶证"], "拖拉机、收割机驾驶", "有农机驾驶经验"),
]

# Seeker profiles handed out in turn: skills, experience, certificates, desired occupations, hours
PROFILES = [
    ("会电焊，二保焊、手工焊都行", "在外地钢结构厂干过五年电焊", ["焊工证"], ["电焊工"], ["day", "shift"]),
    ("手脚麻利，眼神好，能坐得住", "在服装厂做过两年", [], ["电子装配工", "缝纫工"], ["day"]),
    ("身体好，能上夜班", "退伍军人，当过保安", ["保安员证"], ["保安员"], ["day", "night", "shift"]),
    ("会打扫卫生，干活仔细", "在宾馆做过保洁", ["健康证"], ["保洁员"], ["day", "flexible"]),
    ("会开叉车", "在仓库开过两年叉车", ["叉车证"], ["叉车司机"], ["day", "shift"]),
    ("会修水电、通下水道", "在小区干过维修", [], ["物业维修工"], ["day"]),
    ("力气大，能吃苦", "在工地干过杂工", [], ["仓储物流员", "建筑工"], ["day", "night"]),
    ("会平车、锁边", "服装厂熟练工", [], ["缝纫工"], ["day"]),
    ("会炒菜", "在饭店帮过厨", ["健康证"], ["厨师", "餐厅服务员"], ["day"]),
    ("照顾过瘫痪的老人，有耐心", "", [], ["养老护理员"], ["day", "shift", "flexible"]),
    ("会用收银机，会用电脑", "在超市做过收银", ["健康证"], ["收银员", "理货员"], ["day", "shift"]),
    ("有低压电工证，会看电路图", "在工厂做过维修电工", ["电工证"], ["电工"], ["day", "shift"]),
    ("初中毕业，想进厂", "", [], ["化工操作工"], ["shift"]),
    ("有C1驾照，开过面包车", "送过货", ["驾驶证"], ["货车司机"], ["day"]),
]


def _seed_employers_and_vacancies(stdout) -> int:
    county = Region.objects.get(code=COUNTY)
    regions = {r.code: r for r in Region.objects.filter(path__startswith=county.path)}

    def region(code):  # a smaller region tree (tests) falls back to the county
        return regions.get(code) or county

    employers = []
    for name, code, contact in EMPLOYERS:
        employer = Employer.objects.filter(name=name, region=region(code)).first()
        if employer is None:
            employer = services.employer_create(actor=ACTOR, name=name, region=region(code), contact=contact)
        employers.append(employer)
    created = 0
    start = today()
    with transaction.atomic():
        for n, (e, title, occupation, code, hours, (low, high), openings, certs, description, requirements) in \
                enumerate(VACANCIES):
            employer = employers[e]
            if Vacancy.objects.filter(employer=employer, title=title).exists():
                continue
            services.vacancy_save(actor=ACTOR, instance=Vacancy(
                employer=employer, title=title, occupation=occupation, region=region(code) if code else employer.region,
                hours=hours, pay_min=Decimal(low), pay_max=Decimal(high), openings=openings, certificates=certs,
                description=description, requirements=requirements, closes_on=start + dt.timedelta(days=45 + n * 3),
            ))
            created += 1
    return created


def _obliged_members(limit: int) -> list[Member]:
    """Working-age members with work ability in enrolled (or applying) demo households; households
    with a recipient login first, so the demo recipients see their own registrations."""
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        return []
    params = parameters_in_force(county, today())
    candidates = (
        Member.objects.filter(household__region__path__startswith=county.path, died_on__isnull=True,
                              left_on__isnull=True, work_ability=WorkAbility.FULL, job_seeker__isnull=True)
        .filter(Q(household__enrolments__status=EnrolmentStatus.ACTIVE) | Q(household__enrolments__isnull=True))
        .select_related("household").order_by("-household__account_id", "id").distinct()
    )
    chosen = []
    for member in candidates[: limit * 20].iterator():
        if jobseeker_obligation(member.birth_date, member.sex, True, today(), params,
                                area=member.household.area).obliged:
            chosen.append(member)
            if len(chosen) >= limit:
                break
    return chosen


def _seed_seekers(stdout) -> int:
    room = MAX_SEEKERS - JobSeeker.objects.count()
    if room <= 0:
        return 0
    members = _obliged_members(room)
    if not members:
        return 0
    townships = {r.code: r for r in Region.objects.filter(code__in=["341125100", "341125101", "341125105"])}
    seekers = []
    with transaction.atomic():
        for member in members:
            skills, experience, certs, desired, hours = PROFILES[member.pk % len(PROFILES)]
            township = member.household.region.parent if member.household.region.parent_id else None
            seekers.append(services.seeker_register(
                actor=ACTOR, member=member, skills=skills, experience=experience, certificates=certs,
                desired_occupations=desired, hours=hours,
                preferred_townships=[township] if township and township.code in townships else [],
            ))
        # Encode in batches now; the per-seeker tasks that run on commit then find nothing to do.
        ensure_vectors(seekers, seeker_matching_text)
    return len(seekers)


def seed(stdout=None) -> dict:
    if not Region.objects.filter(code=COUNTY).exists():
        if stdout:
            stdout.write("jobs: demo county 341125 missing; nothing seeded")
        return {}
    vacancies = _seed_employers_and_vacancies(stdout)
    seekers = _seed_seekers(stdout)
    index = rebuild_index()
    if stdout:
        stdout.write(f"jobs: {len(EMPLOYERS)} employers, {vacancies} new vacancies, {seekers} new job seekers; "
                     f"match index holds {index['count']} open vacancies")
    return {"vacancies": vacancies, "seekers": seekers, "indexed": index["count"]}
