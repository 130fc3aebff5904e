"""Reads of benefit records: scoped lists, the household's assessment, the public estimate and notices.

Staff reads are limited to the user's jurisdiction (``scope_model``). ``estimate`` and
``public_notices`` are public: they take no user and return no personal data beyond a masked name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, When
from django.utils.translation import gettext as _

from benefits import rules
from benefits.models import (
    APPLICATION_ACTIONS,
    NOTICE_STEPS,
    OPTIONAL_STEPS,
    Application,
    ApplicationAction,
    ApplicationStep,
    Asset,
    AssetKind,
    Enrolment,
    EnrolmentStatus,
    Household,
    IncomeItem,
    Member,
    Relation,
    Review,
    ReviewKind,
    ReviewStatus,
    StagePlan,
    StudentStatus,
    WorkAbility,
)
from benefits.payroll.selectors import payments_for_household
from reemployment.core.audit import jsonable
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, today
from reemployment.core.scoping import scope_model
from reemployment.core.selectors import parameters_in_force, policy_in_force, standard_in_force
from reemployment.idcard import mask_name
from reemployment.money import format_yuan

# ---------------------------------------------------------------------------
# Staff lists (scoped)
# ---------------------------------------------------------------------------


def households_for(user) -> QuerySet:
    return scope_model(Household.objects.select_related("region"), user)


def applications_for(user) -> QuerySet:
    return scope_model(Application.objects.select_related("household__region"), user)


def enrolments_for(user) -> QuerySet:
    return scope_model(Enrolment.objects.select_related("household__region"), user)


def reviews_for(user) -> QuerySet:
    return scope_model(Review.objects.select_related("household__region", "enrolment"), user)


def post_entry_queue(user) -> QuerySet:
    """Post-entry follow-up (纳入后跟踪 [R5]): open POST_ENTRY reviews, oldest entry first."""
    return reviews_for(user).filter(kind=ReviewKind.POST_ENTRY, status=ReviewStatus.OPEN).order_by(
        "enrolment__start_date", "id")


def application_plan(application: Application) -> StagePlan:
    """The review and notice stages the application follows: those kept at its submission, or (an
    application made before they were kept) the county's ``application_stages`` on ``submitted_on``."""
    if application.stages is not None:
        return StagePlan.from_json(application.stages)
    return StagePlan(parameters_in_force(application.household.region, application.submitted_on).application_stages)


def application_sources(application: Application, action: str, on: dt.date,
                        plan: StagePlan | None = None) -> tuple[str, ...]:
    """The steps ``action`` may start from for this application: ``APPLICATION_ACTIONS`` read through its
    ``StagePlan`` — no move into a step the plan leaves out, a move from such a step starts where the move
    into it would have, objections only at the plan's notice steps. A fast-track application also starts
    from its ``fast_track_sources`` while ``fast_track_skip_appraisal`` is in force."""
    plan = plan or application_plan(application)
    target = APPLICATION_ACTIONS[action].target
    if target is not None and not plan.has_step(target):
        return ()
    return _plan_sources(application, action, on, plan)


def _plan_sources(application: Application, action: str, on: dt.date, plan: StagePlan) -> tuple[str, ...]:
    transition = APPLICATION_ACTIONS[action]
    sources = transition.sources
    if (transition.fast_track_sources and application.fast_track
            and parameters_in_force(application.household.region, on).fast_track_skip_appraisal):
        sources = (*transition.fast_track_sources, *sources)
    if action in (ApplicationAction.OBJECTION, ApplicationAction.OBJECTION_RESOLVED):
        return tuple(step for step in sources if plan.notice_stage(step) is not None)
    steps: list[str] = []
    for step in sources:
        if plan.has_step(step):
            steps.append(step)
        else:
            steps.extend(_plan_sources(application, OPTIONAL_STEPS[step], on, plan))
    return tuple(dict.fromkeys(steps))


def application_actions_for(user, application: Application, on: dt.date | None = None) -> frozenset[str]:
    """The moves of ``APPLICATION_ACTIONS`` the user may make on the application now (the admin's step
    buttons): their role does it and the application is at a step it starts from (``application_sources``)
    and not while the step's notice runs (a decline excepted); while an objection is pending only resolving
    it; an objection only until the notice's last day. The services check all of
    this again (and the jurisdiction: the caller has fetched the application through the user's scope)."""
    role = getattr(user, "role", None)
    on = on or today()
    pending = application.has_open_objection()
    plan = application_plan(application)
    allowed = set()
    for action, transition in APPLICATION_ACTIONS.items():
        if role not in transition.roles or not transition.sources:
            continue  # a submission starts from the household, not from an application
        if action == ApplicationAction.OBJECTION_RESOLVED:
            ok = pending
        elif action == ApplicationAction.OBJECTION:
            ok = (application.step in application_sources(application, action, on, plan)
                  and application.notice_end is not None
                  and (application.notice_start or on) <= on <= application.notice_end)
        else:
            ok = (not pending and application.step in application_sources(application, action, on, plan)
                  and (action == ApplicationAction.DECLINE or not _notice_running(application, plan, on)))
        if ok:
            allowed.add(action)
    return frozenset(allowed)


def _notice_running(application: Application, plan: StagePlan, on: dt.date) -> bool:
    """A notice runs at the application's step until its last day: the next move waits for it."""
    return (plan.notice_stage(application.step) is not None
            and (application.notice_end is None or on <= application.notice_end))


def enrolments_due_for_review(as_of: dt.date) -> QuerySet:
    """Current enrolments whose ``next_review_on`` has come and that have no open periodic review."""
    open_periodic = Review.objects.filter(enrolment=OuterRef("pk"), kind=ReviewKind.PERIODIC,
                                          status=ReviewStatus.OPEN)
    return (Enrolment.objects.exclude(status=EnrolmentStatus.ENDED)
            .filter(next_review_on__lte=as_of).filter(~Exists(open_periodic)))


# ---------------------------------------------------------------------------
# The household as the rules see it
# ---------------------------------------------------------------------------


def current_members(household: Household, as_of: dt.date) -> list[Member]:
    return [m for m in household.members.all().order_by("id")
            if (m.died_on is None or m.died_on > as_of) and (m.left_on is None or m.left_on > as_of)
            and m.birth_date <= as_of]


def rule_inputs(household: Household, as_of: dt.date) -> tuple[list, list, rules.Assets]:
    """Members, income items and assets of a household as rule dataclasses (current members only)."""
    members = current_members(household, as_of)
    index = {m.pk: i for i, m in enumerate(members)}
    rule_members = [
        rules.Member(
            birth_date=m.birth_date, sex=m.sex, three_no=m.three_no, serious_illness=m.serious_illness,
            severe_disability=m.severe_disability, single_parent=household.single_parent,
            university_student=m.student_status == StudentStatus.UNIVERSITY,
            work_ability=m.work_ability != WorkAbility.NONE, disaster=household.disaster, relation=m.relation,
        )
        for m in members
    ]
    incomes = []
    for item in IncomeItem.objects.filter(household=household, member_id__in=list(index)).order_by("id"):
        if item.quantity is not None:
            incomes.append(rules.Income(member_index=index[item.member_id], kind=item.kind,
                                        monthly_amount=Decimal(0), quantity=item.quantity, unit=item.unit))
        else:
            incomes.append(rules.Income(member_index=index[item.member_id], kind=item.kind,
                                        monthly_amount=item.monthly_amount, work_costs=item.work_costs
                                        if item.kind == "wages" else Decimal(0)))
    deposits = Decimal(0)
    vehicles = properties = 0
    for asset in Asset.objects.filter(household=household):
        if asset.kind == AssetKind.DEPOSIT:
            deposits += asset.value
        elif asset.kind == AssetKind.VEHICLE:
            vehicles += 1
        elif asset.kind == AssetKind.PROPERTY:
            properties += 1
    return rule_members, incomes, rules.Assets(deposits=deposits, vehicles=vehicles, properties=properties)


@dataclass(frozen=True)
class HouseholdInputs:
    """One recorded household as the rules see it (current members only): ``rule_inputs`` for many."""

    household_id: int
    number: str
    region_id: int
    area: str
    members: tuple[rules.Member, ...]
    incomes: tuple[rules.Income, ...]
    assets: rules.Assets


def rule_inputs_bulk(households: QuerySet, as_of: dt.date) -> tuple[list[HouseholdInputs], dict[int, Region]]:
    """``rule_inputs`` for every household of ``households`` (a queryset of ``Household``), in five queries
    whatever their number: households, their regions, current members, income items and assets.

    Returns the households in id order (those without a current member too, with ``members == ()``)
    and their regions by id. The same conversion as ``rule_inputs``: members born by ``as_of``, neither
    dead nor gone by then, in id order; income items of those members only, in id order; severe
    disability = grade 1 or 2 (``Member.severe_disability``); assets summed by kind.
    """
    ids = households.values("pk")
    rows = list(Household.objects.filter(pk__in=ids).order_by("id")
                .values_list("id", "number", "region_id", "area", "single_parent", "disaster"))
    regions = Region.objects.in_bulk({row[2] for row in rows})
    members_of: dict[int, list] = defaultdict(list)
    for row in (Member.objects.filter(household__in=ids, birth_date__lte=as_of)
                .exclude(died_on__lte=as_of).exclude(left_on__lte=as_of).order_by("id")
                .values_list("household_id", "id", "birth_date", "sex", "three_no", "serious_illness",
                             "disability_grade", "student_status", "work_ability", "relation")
                .iterator(chunk_size=10_000)):
        members_of[row[0]].append(row)
    incomes_of: dict[int, list] = defaultdict(list)
    for row in (IncomeItem.objects.filter(household__in=ids).order_by("id")
                .values_list("household_id", "member_id", "kind", "monthly_amount", "quantity", "unit", "work_costs")
                .iterator(chunk_size=10_000)):
        incomes_of[row[0]].append(row)
    assets_of: dict[int, list] = {}
    for household_id, kind, value in (Asset.objects.filter(household__in=ids)
                                      .values_list("household_id", "kind", "value").iterator(chunk_size=10_000)):
        totals = assets_of.setdefault(household_id, [Decimal(0), 0, 0])
        if kind == AssetKind.DEPOSIT:
            totals[0] += value
        elif kind == AssetKind.VEHICLE:
            totals[1] += 1
        elif kind == AssetKind.PROPERTY:
            totals[2] += 1

    result = []
    no_assets = rules.Assets()
    for household_id, number, region_id, area, single_parent, disaster in rows:
        members = members_of.get(household_id, ())
        index = {row[1]: i for i, row in enumerate(members)}
        rule_members = tuple(
            rules.Member(
                birth_date=birth_date, sex=sex, three_no=three_no, serious_illness=serious_illness,
                severe_disability=disability_grade in (1, 2), single_parent=single_parent,
                university_student=student_status == StudentStatus.UNIVERSITY,
                work_ability=work_ability != WorkAbility.NONE, disaster=disaster, relation=relation,
            )
            for (_h, _id, birth_date, sex, three_no, serious_illness, disability_grade, student_status,
                 work_ability, relation) in members
        )
        incomes = []
        for _h, member_id, kind, monthly_amount, quantity, unit, work_costs in incomes_of.get(household_id, ()):
            if member_id not in index:
                continue  # a member who has left or died: not counted
            if quantity is not None:
                incomes.append(rules.Income(member_index=index[member_id], kind=kind, monthly_amount=Decimal(0),
                                            quantity=quantity, unit=unit))
            else:
                incomes.append(rules.Income(member_index=index[member_id], kind=kind, monthly_amount=monthly_amount,
                                            work_costs=work_costs if kind == "wages" else Decimal(0)))
        totals = assets_of.get(household_id)
        assets = no_assets if totals is None else rules.Assets(deposits=totals[0], vehicles=totals[1],
                                                                properties=totals[2])
        result.append(HouseholdInputs(household_id, number, region_id, area, rule_members, tuple(incomes), assets))
    return result, regions


class BulkAssessor:
    """``assess`` for many households on one date (``HouseholdInputs`` from ``rule_inputs_bulk``): the same
    rule (``rules.assess_household``) and the same errors, with the standards and parameters in force for
    all the regions read at once (``policy_in_force``: two queries) instead of once per household."""

    def __init__(self, regions: dict[int, Region], as_of: dt.date):
        self.regions = regions
        self.as_of = as_of
        self._policy: dict[tuple[int, str], tuple] | None = None

    def preload(self) -> None:
        """Read the policy of every region now (e.g. inside a savepoint holding a draft policy)."""
        self._policy = policy_in_force(self.regions.values(), self.as_of)

    def policy(self, region_id: int, area: str) -> tuple:
        """(standard amount, parameters) in force for the region and area; raises ``DomainError`` as
        ``standard_in_force`` does when no standard is in force."""
        if self._policy is None:
            self.preload()
        found = self._policy.get((region_id, area))
        if found is None:  # not an area the bulk read covers: as one household would be looked up
            region = self.regions[region_id]
            found = (standard_in_force(region, area, self.as_of), parameters_in_force(region, self.as_of))
        standard, params = found
        if isinstance(standard, DomainError):
            raise DomainError(standard.message, code=standard.code)
        return standard.monthly_amount, params

    def __call__(self, household: HouseholdInputs) -> rules.Assessment:
        if not household.members:
            raise DomainError(_("家庭没有在册成员"))
        standard, params = self.policy(household.region_id, household.area)
        try:
            return rules.assess_household(household.members, household.incomes, household.assets, household.area,
                                          standard, params, self.as_of)
        except rules.RuleInputError as exc:
            raise DomainError(_("无法核算：%(exc)s") % {"exc": exc}) from exc


def assess(household: Household, as_of: dt.date | None = None) -> rules.Assessment:
    """Assess a recorded household with the rules (standard and parameters in force on ``as_of``)."""
    as_of = as_of or today()
    members, incomes, assets = rule_inputs(household, as_of)
    if not members:
        raise DomainError(_("家庭没有在册成员"))
    standard = standard_in_force(household.region, household.area, as_of).monthly_amount
    params = parameters_in_force(household.region, as_of)
    try:
        return rules.assess_household(members, incomes, assets, household.area, standard, params, as_of)
    except rules.RuleInputError as exc:
        raise DomainError(_("无法核算：%(exc)s") % {"exc": exc}) from exc


def assessment_json(assessment: rules.Assessment) -> dict:
    """An assessment as stored with the case (and shown by the API): money as strings."""
    return {
        "eligible": assessment.eligible,
        "area": assessment.area,
        "as_of": assessment.as_of.isoformat(),
        "standard": format_yuan(assessment.standard),
        "household_size": assessment.household_size,
        "counted_monthly_income": format_yuan(assessment.counted_monthly_income),
        "per_capita_income": format_yuan(assessment.per_capita_income),
        "category": assessment.category,
        "monthly_amount": format_yuan(assessment.monthly_amount),
        "reasons": list(assessment.reasons),
        "explanation": list(assessment.explanation),
        "parameters_used": jsonable(dict(assessment.parameters_used)),
    }


# ---------------------------------------------------------------------------
# Public notices (公示): masked names, no ID number, no income
# ---------------------------------------------------------------------------


# The public stage of each notice step: (stage, label). A step carries notice dates only while its stage
# posts a notice (application_review and _approve clear them otherwise).
NOTICE_STAGES = {
    ApplicationStep.NOTICE: ("appraisal", "评议结果公示"),
    ApplicationStep.REVIEWED: ("township", "审核结果公示"),
    ApplicationStep.APPROVED: ("approved", "审批结果公示"),
}


def public_notices(region_code: str | None = None, as_of: dt.date | None = None) -> list[dict]:
    """Applications in a notice period on ``as_of``: the appraisal notice (评议结果公示), the township's
    review notice where the county's stages have one (审核结果公示, [R5]) and the approved list (审批结果公示).
    Each row: masked head name, community, area, category, amount, persons, stage and dates."""
    as_of = as_of or today()
    qs = Application.objects.filter(step__in=NOTICE_STEPS, notice_start__lte=as_of, notice_end__gte=as_of)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            return []
        qs = qs.filter(household__region__path__startswith=region.path)
    qs = qs.select_related("household__region").prefetch_related(
        Prefetch("household__members", queryset=Member.objects.filter(relation=Relation.HEAD),
                 to_attr="heads")).order_by("household__region__code", "notice_start", "id")
    rows = []
    for application in qs:
        household = application.household
        head = household.heads[0] if household.heads else None
        rows.append({
            "number": application.number,
            "name": mask_name(head.name) if head else "",
            "community": household.region.name,
            "community_code": household.region.code,
            "area": household.area,
            "stage": NOTICE_STAGES[application.step][0],
            "stage_label": NOTICE_STAGES[application.step][1],
            "category": application.category or None,
            "monthly_amount": format_yuan(application.monthly_amount) if application.monthly_amount is not None
            else None,
            "persons": application.persons,
            "notice_start": application.notice_start.isoformat(),
            "notice_end": application.notice_end.isoformat(),
        })
    return rows


# ---------------------------------------------------------------------------
# The recipient's own view (本人查询)
# ---------------------------------------------------------------------------


def household_of(user) -> Household | None:
    """The household a recipient login belongs to (None for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Household.objects.select_related("region").filter(account=user).first()


def recipient_overview(household: Household) -> dict:
    enrolment = household.enrolments.exclude(status=EnrolmentStatus.ENDED).first() or \
        household.enrolments.order_by("-start_date").first()
    application = household.applications.order_by("-submitted_on", "-id").first()
    events = list(enrolment.events.order_by("effective_on", "id")) if enrolment else []
    payments = list(payments_for_household(household))
    reports = household.reviews.filter(kind=ReviewKind.CHANGE_REPORT).order_by("-opened_at")[:10]
    return {"household": household, "enrolment": enrolment, "application": application, "events": events,
            "payments": payments, "reports": list(reports)}


# ---------------------------------------------------------------------------
# Statistics (统计): households and persons by area and category
# ---------------------------------------------------------------------------


def benefit_stats(county: Region, as_of: dt.date | None = None) -> dict:
    """Current enrolments of a county by area and category (SQL aggregates)."""
    qs = Enrolment.objects.filter(household__region__path__startswith=county.path).filter(
        Q(status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.TRANSITIONAL, EnrolmentStatus.SUSPENDED]))
    payable = Case(When(status=EnrolmentStatus.TRANSITIONAL, transition_amount__isnull=False,
                        then=F("transition_amount")), default=F("monthly_amount"))
    rows = qs.values("area", "category", "status").annotate(households=Count("id"), persons=Sum("persons"),
                                                           amount=Sum("monthly_amount"), payable=Sum(payable))
    table: dict = {}
    for row in rows:
        cell = table.setdefault(row["area"], {}).setdefault(
            row["category"], {"households": 0, "persons": 0, "monthly_amount": Decimal(0), "payable": Decimal(0)})
        cell["households"] += row["households"]
        cell["persons"] += row["persons"] or 0
        cell["monthly_amount"] += row["amount"] or Decimal(0)
        if row["status"] != EnrolmentStatus.SUSPENDED:
            cell["payable"] += row["payable"] or Decimal(0)
    return table
