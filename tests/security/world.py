"""The permission matrix's world: small, purpose-built, and built in well under a second.

Two counties: 定远县 (two townships with two communities each, from ``make_region_tree``) and the
neighbouring 凤阳县. Every role has a login in it, as in the demo (the same usernames), plus a
county, labour and township login of the neighbour, and two recipients whose households lie in
different townships. Each household is of another category (A, B, C).

Every record type a staff screen or an API endpoint shows exists once inside 定城镇 (the township
the matrix tests with: township users of 炉桥镇 and the whole neighbour county are outside it), and
once in 炉桥镇 and once in the neighbour county, so that a list that leaks shows it.

Models are named by their app label ("benefits.Household"), never imported: the apps' modules may
move without this file changing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import factory
from django.apps import apps

from reemployment.core.models import Region, RegionLevel, Role, User
from tests.factories import (
    EnrolmentFactory,
    HouseholdFactory,
    MemberFactory,
    RegionFactory,
    UserFactory,
    make_region_tree,
)

# Records the matrix tests with lie under this path (定城镇).
INSIDE = "341125/341125100/"
MONTH = dt.date(2026, 3, 1)


def _model(label: str):
    return apps.get_model(label)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Employer"

    name = factory.Sequence(lambda n: f"测试企业{n}")


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Vacancy"

    title = "电焊工"
    occupation = "电焊工"
    description = "钢结构焊接"
    pay_min = Decimal(4000)
    pay_max = Decimal(6000)
    openings = 2
    closes_on = dt.date(2099, 12, 31)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Provider"

    name = factory.Sequence(lambda n: f"矩阵培训学校{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Course"

    provider = factory.SubFactory(ProviderFactory, region=factory.SelfAttribute("..region"))
    title = factory.Sequence(lambda n: f"电子装配班{n}")
    course_type = "electronics"
    occupation = "电子装配工"
    place = "县职教中心"
    starts_on = dt.date(2026, 3, 2)
    ends_on = dt.date(2026, 3, 31)
    capacity = 30
    subsidy_per_trainee = Decimal("800.00")
    certificate_name = "电子装配工（初级）"
    status = "open"


def _policy(county) -> None:
    standard = _model("core.Standard")
    for area, amount in (("urban", "260.00"), ("rural", "180.00")):
        standard.objects.create(region=county, area=area, monthly_amount=Decimal(amount),
                                valid_from=dt.date(2026, 1, 1))
    _model("core.ParameterSet").objects.create(region=county, valid_from=dt.date(2026, 1, 1), values={
        "urban_b_uplift": "0.30", "rural_amounts": {"A": "120.00", "B": "100.00", "C": "70.00"},
        "transition_months": 6, "transition_threshold": "800.00", "transition_high_share": "0.50",
        "review_interval_months_urban": 6, "review_interval_months_rural": 12,
        "earnings_disregard_fixed": "200.00", "earnings_disregard_rate": "0.00", "work_costs_deductible": True,
    })


def _records(community, county, *, category: str, account=None):
    """One household of ``category`` in ``community`` with one record of every type around it."""
    m = _model
    household = HouseholdFactory(region=community, account=account)
    head = MemberFactory(household=household)
    MemberFactory(household=household, relation="child", sex="F", birth_date=dt.date(2000, 6, 1))
    m("benefits.IncomeItem").objects.create(household=household, member=head, kind="wages",
                                            monthly_amount=Decimal("500.00"))
    m("benefits.Asset").objects.create(household=household, kind="deposit", value=Decimal("3000.00"),
                                       description="活期存款")
    m("benefits.Application").objects.create(number=f"SQ{household.number}", household=household,
                                             area=household.area, submitted_on=dt.date(2026, 1, 5))
    enrolment = EnrolmentFactory(household=household, category=category, persons=2)
    m("benefits.Review").objects.create(household=household, kind="periodic", reason="定期复核",
                                        due_on=dt.date(2026, 7, 1))
    run, _ = m("payroll.PayrollRun").objects.get_or_create(county=county, month=MONTH)
    m("payroll.PaymentLine").objects.create(
        run=run, enrolment=enrolment, household=household, region=community, month=MONTH,
        amount=enrolment.monthly_amount, persons=enrolment.persons, category=category, area=household.area)
    m("payroll.Overpayment").objects.create(household=household, amount=Decimal("300.00"), reason="death")
    m("integrity.TipOff").objects.create(channel="staff", text="举报：家中有车", region=community,
                                         household=household)
    m("integrity.FraudCase").objects.create(household=household, kind="wrongful_payment", summary="多领一个月")
    m("integrity.DeathReport").objects.create(member=head, household=household, died_on=dt.date(2026, 2, 10),
                                              report_month=MONTH)
    m("integrity.CadreRelative").objects.create(cadre_name="王村长", cadre_post="村主任", member=head,
                                                relation="sibling", registered_on=dt.date(2026, 1, 2))
    department_file = m("checks.DepartmentFile").objects.create(
        source="death", region=community, original_name="d.csv", sha256=f"{household.number:0>64}")
    m("checks.Flag").objects.create(household=household, member=head, kind="death",
                                    fingerprint=f"death:{head.id_number}", department_file=department_file)
    m("checks.FollowUp").objects.create(kind="review", finding="not_poor", region=community,
                                        poor_household_number=f"P{household.number}", household=household,
                                        note="比对发现")
    employer = EmployerFactory(region=community)
    vacancy = VacancyFactory(employer=employer, region=community)
    seeker = m("jobs.JobSeeker").objects.create(member=head, registered_on=dt.date(2026, 1, 5), skills="会开叉车")
    m("jobs.Referral").objects.create(seeker=seeker, vacancy=vacancy, referred_on=dt.date(2026, 2, 1))
    m("jobs.Hire").objects.create(seeker=seeker, member=head, household=household, vacancy=vacancy,
                                  start_date=dt.date(2026, 2, 15), monthly_earnings=Decimal("2000.00"))
    m("jobs.SanctionProposal").objects.create(seeker=seeker, household=household, kind="suspend",
                                              explanation="无正当理由拒绝两次推荐")
    m("incentives.TransitionProposal").objects.create(
        household=household, enrolment=enrolment, member=head, source_id=f"hire-{household.number}",
        job_start=dt.date(2026, 2, 15), monthly_earnings=Decimal("2000.00"), household_earnings=Decimal("2000.00"),
        previous_amount=enrolment.monthly_amount, transition_amount=enrolment.monthly_amount, months=6,
        start=dt.date(2026, 3, 1), until=dt.date(2026, 8, 31))
    m("incentives.PublicLabourRecord").objects.create(member=head, month=MONTH, kind="cleaning",
                                                      hours=Decimal("8.0"))
    m("incentives.RuleApplication").objects.create(household=household, rule="transition", as_of=MONTH,
                                                   parameters={}, inputs={}, result={}, actor_label="test")
    course = CourseFactory(region=community)
    m("training.TrainingEnrolment").objects.create(course=course, member=head)
    m("training.AccountabilityReview").objects.create(course=course, grounds="就业率低于三成")
    m("training.SubsidyPayment").objects.create(course=course, provider=course.provider, amount=Decimal("800.00"),
                                                completed_count=1, placed_count=1)
    m("training.TrainingWish").objects.create(member=head, region=community, course_type="electronics",
                                              survey_round="2026春", surveyed_on=dt.date(2026, 1, 10))
    m("core.AuditEvent").objects.create(action="test.create", object_type="benefits.household",
                                        object_id=str(household.pk), region=community)
    m("notifications.Notification").objects.create(
        event="application.step", event_key=f"application.step:world-{household.number}",
        recipient_key=f"household:{household.pk}", household=household, channel="inbox", language="zh-hans",
        title="低保申请进度", text="您户的低保申请已受理。", status="sent")
    caseload_import = m("onboarding.CaseloadImport").objects.create(county=county, original_name="caseload.csv",
                                                                    sha256=f"{household.number:0>64}")
    m("onboarding.ImportDiscrepancy").objects.create(
        caseload_import=caseload_import, row=2, household=household, region=community, head_name="张三", persons=2,
        category=category, recorded_amount=Decimal("300.00"), computed_amount=Decimal("280.00"),
        difference=Decimal("20.00"))
    return household


def build_world() -> dict[str, User]:
    """Create the world; returns every login by name (the matrix's rows)."""
    regions = make_region_tree()
    county, neighbour = regions["county"], regions["other_county"]
    neighbour_town = RegionFactory(code="341126100", name="府城镇", level=RegionLevel.TOWNSHIP, area="urban",
                                   parent=neighbour)
    neighbour_community = RegionFactory(code="341126100001", name="府城社区", level=RegionLevel.COMMUNITY,
                                        area="urban", parent=neighbour_town)
    _policy(county)
    _policy(neighbour)

    people = {
        "county": UserFactory(username="county", role=Role.COUNTY, region=county),
        "dingcheng": UserFactory(username="dingcheng", role=Role.TOWNSHIP, region=regions["town_a"]),
        "luqiao": UserFactory(username="luqiao", role=Role.TOWNSHIP, region=regions["town_b"]),
        "chengnan": UserFactory(username="chengnan", role=Role.COMMUNITY, region=regions["comm_a1"]),
        "luqiaocun": UserFactory(username="luqiaocun", role=Role.COMMUNITY, region=regions["comm_b1"]),
        "labour": UserFactory(username="labour", role=Role.LABOUR, region=county),
        "editor": UserFactory(username="editor", role=Role.EDITOR),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_superuser=True),  # the demo's admin
        "sysadmin": UserFactory(username="sysadmin", role=Role.ADMIN),  # the role alone, no superuser flag
        "county2": UserFactory(username="county2", role=Role.COUNTY, region=neighbour),
        "labour2": UserFactory(username="labour2", role=Role.LABOUR, region=neighbour),
        "township2": UserFactory(username="township2", role=Role.TOWNSHIP, region=neighbour),
        "recipient": UserFactory(username="recipient", role=Role.RECIPIENT),
        "recipient2": UserFactory(username="recipient2", role=Role.RECIPIENT),
    }
    # The recipient's household comes first inside 定城镇: it is the record the matrix tests with.
    _records(regions["comm_a1"], county, category="A", account=people["recipient"])
    _records(regions["comm_b1"], county, category="B", account=people["recipient2"])
    _records(neighbour_community, neighbour, category="C")
    assert Region.objects.filter(path__startswith=INSIDE).exists()
    return people


# ---------------------------------------------------------------- helpers of the tests that use the world


def _region_path(instance) -> str | None:
    field = getattr(type(instance), "REGION_FIELD", "region")
    target = instance
    if field == "":
        return target.path
    for part in field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target.path


def pick_instance(model):
    """A record inside 定城镇 (so township users of 炉桥镇 and the neighbour county are outside)."""
    candidates = model._default_manager.all().order_by("pk")[:400]
    fallback = None
    for instance in candidates:
        path = _region_path(instance)
        if path and path.startswith(INSIDE):
            return instance
        if path and fallback is None and path.startswith("341125/"):
            fallback = instance
    return fallback


def model_of_endpoint(callback):
    """The model an API endpoint (a resolved URL's callback) reads or writes, or None."""
    cls = getattr(callback, "cls", None)
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def detail_target(path: str, callback):
    """The URL of ``path`` for the record the matrix tests with (inside 定城镇), and that record."""
    model = model_of_endpoint(callback)
    if model is Region:
        instance = Region.objects.get(path=INSIDE)
    else:
        assert model is not None and hasattr(model, "REGION_FIELD"), f"API {path}: no scoped model"
        instance = pick_instance(model)
        assert instance is not None, f"API {path}: no {model._meta.label} in the world (tests/security/world.py)"
    lookup = re.search(r"\{(\w+)\}", path).group(1)
    value = getattr(instance, "code" if lookup == "code" else "pk")
    url = re.sub(r"\{\w+\}", str(value), path)
    return url, instance
