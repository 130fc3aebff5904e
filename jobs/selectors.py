"""Reads of jobs records, scoped to the actor's jurisdiction, and the matching entry points.

Public (no personal data): :func:`open_vacancies`, :func:`search_vacancies`.
Staff/recipient: :func:`seekers_for`, :func:`matches_for_seeker`, :func:`obliged_unregistered`, …
Work-incentive rules and training placement: :func:`hires_for_member`, :func:`hires_started_between`.
Training: :func:`registered_seeker_member_ids` (who may answer the training-wish survey).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benefits.models import EnrolmentStatus, Household, Member, WorkAbility
from jobs import hooks
from jobs.matching.index import get_store
from jobs.matching.pipeline import query_for_seeker, query_for_text
from jobs.matching.ranking import LABEL_CONFLICT, LABEL_FAIR, LABEL_GOOD, rank_all
from jobs.models import (
    Employer,
    Hire,
    JobSeeker,
    Referral,
    SanctionProposal,
    SeekerStatus,
    Vacancy,
    VacancyStatus,
)
from jobs.rules import jobseeker_obligation
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, RegionLevel, Role, today
from reemployment.core.scoping import regions_for, scope_model
from reemployment.core.selectors import parameters_in_force, region_by_code
from reemployment.idcard import mask_id_number, mask_name

MAX_K = 50
# How well a vacancy fits, as people see it (the numeric score is for machines).
LABELS = {LABEL_GOOD: gettext_lazy("很合适"), LABEL_FAIR: gettext_lazy("可以考虑"),
          LABEL_CONFLICT: gettext_lazy("不符合您的条件")}


def open_vacancy_q(as_of: dt.date | None = None) -> Q:
    """Hard filter: open and not past the closing date."""
    return Q(status=VacancyStatus.OPEN, closes_on__gte=as_of or today())


def _vacancy_list_qs() -> QuerySet:
    return Vacancy.objects.select_related("employer", "region").defer("vector", "search_tokens")


def open_vacancies(region_code: str | None = None) -> QuerySet:
    """Open vacancies (public listing), newest first, optionally inside a region's subtree."""
    queryset = _vacancy_list_qs().filter(open_vacancy_q())
    if region_code:
        region = region_by_code(region_code)
        queryset = queryset.filter(region__path__startswith=region.path)
    return queryset.order_by("-created_at", "-id")


def _vacancy_dict(vacancy: Vacancy, result) -> dict:
    return {
        "vacancy": vacancy.pk,
        "id": vacancy.pk,
        "title": vacancy.title,
        "employer": vacancy.employer.name,
        "township": vacancy.region.name,
        "region": vacancy.region.code,
        "occupation": vacancy.occupation,
        "hours": vacancy.hours,
        "pay_min": vacancy.pay_min,
        "pay_max": vacancy.pay_max,
        "closes_on": vacancy.closes_on,
        "score": result.score,
        "label": str(LABELS.get(result.label, result.label)),
        "reasons": list(result.reasons),
        "conflicts": list(result.conflicts),
    }


def _materialise(results, k: int) -> list[dict]:
    """Results of the index re-checked against the database (open, not past closing), in order."""
    ids = [r.id for r in results]
    # Fetch by primary key only and apply the open filter here: with the status condition in SQL,
    # SQLite picks the (status, closes_on) index and scans every open vacancy (measured 7–20 ms at 50k).
    as_of = today()
    rows = {v.pk: v for v in _vacancy_list_qs().filter(pk__in=ids).order_by()
            if v.status == VacancyStatus.OPEN and v.closes_on >= as_of}
    out = []
    for result in results:
        vacancy = rows.get(result.id)
        if vacancy is not None:
            out.append(_vacancy_dict(vacancy, result))
        if len(out) == k:
            break
    return out


def _check_k(k) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise DomainError(_("k 须为整数"), field_errors={"k": [_("须为整数")]}) from None
    if not 1 <= k <= MAX_K:
        raise DomainError(_("k 须在 1 到 %(max)s 之间") % {"max": MAX_K}, field_errors={"k": [_("超出范围")]})
    return k


def search_suggestions(about_work: bool) -> list[str]:
    """What to try when a search finds nothing that fits (shown by the portal, returned by the API)."""
    tips = [
        _("写出想做的工种或会的手艺，例如：保洁、保安、电焊、开叉车、收银、厨房帮工"),
        _("可以加上能接受的条件，例如：只上白班、炉桥镇、不能久站"),
        _("去掉地区限制，或换一个说法再试"),
    ]
    if not about_work:
        tips.insert(0, _("您输入的内容看起来不是找工作。低保、医保等问题请咨询所在社区（村）或乡镇民政办。"))
    return [str(t) for t in tips]


def search(query: str, region_code: str | None = None, k: int = 10) -> dict:
    """Hybrid search of open vacancies for a free-text phrase (public; no personal data).

    ``results``: vacancies that fit, best first (id, title, employer name, township, pay range, a
    numeric ``score`` for machines, a ``label`` for people: 很合适 / 可以考虑, and reasons) — empty when
    nothing fits or the phrase is not about work; ``excluded``: vacancies that would have fitted but
    break a limit the phrase states (不能上夜班 …), with the reason first; ``suggestions``: what to try
    when ``results`` is empty.
    """
    k = _check_k(k)
    query = (query or "").strip()
    if not query:
        raise DomainError(_("请输入搜索内容"), field_errors={"query": [_("必填")]})
    if len(query) > 500:
        raise DomainError(_("搜索内容过长（最多 500 字）"))
    if region_code:
        region_by_code(region_code)
    snapshot = get_store().snapshot()
    match_query = query_for_text(query)
    ranking = rank_all(snapshot, match_query, k=k + 10, region_code=region_code or None)
    results = _materialise(ranking.results, k)
    return {"results": results, "excluded": _materialise(ranking.excluded, 5),
            "suggestions": [] if results else search_suggestions(match_query.about_work)}


def search_vacancies(query: str, region_code: str | None = None, k: int = 10) -> list[dict]:
    """The ``results`` of :func:`search`: the vacancies that fit, best first (empty when none does)."""
    return search(query, region_code=region_code, k=k)["results"]


def seeker_matches(seeker: JobSeeker, k: int = 10, *, region_code: str | None = None) -> dict:
    """Open vacancies ranked for a registered seeker (excluding ones already referred): ``results``
    that fit and ``excluded`` ones that break a limit of the profile (hours, age, licence …), with why."""
    k = _check_k(k)
    referred = list(seeker.referrals.values_list("vacancy_id", flat=True))
    snapshot = get_store().snapshot()
    ranking = rank_all(snapshot, query_for_seeker(seeker), k=k + 10, region_code=region_code,
                       exclude_ids=referred)
    return {"results": _materialise(ranking.results, k), "excluded": _materialise(ranking.excluded, 5)}


def matches_for_seeker(seeker: JobSeeker, k: int = 10, *, region_code: str | None = None) -> list[dict]:
    """The vacancies that fit a registered seeker, best first (see :func:`seeker_matches`)."""
    return seeker_matches(seeker, k, region_code=region_code)["results"]


# ---------------------------------------------------------------------- staff lists


def employers_for(user) -> QuerySet:
    return scope_model(Employer.objects.select_related("region"), user)


def vacancies_for(user) -> QuerySet:
    return scope_model(_vacancy_list_qs(), user)


def _seeker_qs() -> QuerySet:
    return JobSeeker.objects.select_related("member__household__region").prefetch_related("preferred_townships") \
        .defer("vector")


def seekers_for(user) -> QuerySet:
    """Seekers visible to the user: staff by jurisdiction, a recipient their own household's."""
    if getattr(user, "role", None) == Role.RECIPIENT:
        return _seeker_qs().filter(member__household__account=user)
    return scope_model(_seeker_qs(), user)


def with_training_certificates(seekers: QuerySet) -> QuerySet:
    """Seekers with the certificates their members earned in training, in one extra query for the
    whole list (read with :func:`training_certificates`; the source registers in :mod:`jobs.hooks`)."""
    return hooks.with_earned_certificates(seekers)


def training_certificates(member: Member) -> list:
    """Certificates the member earned in training (``training.selectors.EarnedCertificate``: name,
    matching name, course, number, date), oldest first — shown read-only on the seeker profile."""
    return hooks.earned_certificates(member)


def referrals_for(user) -> QuerySet:
    queryset = Referral.objects.select_related("seeker__member__household__region", "vacancy__employer",
                                               "vacancy__region", "referred_by")
    if getattr(user, "role", None) == Role.RECIPIENT:
        return queryset.filter(seeker__member__household__account=user)
    return scope_model(queryset, user)


def sanction_proposals_for(user) -> QuerySet:
    return scope_model(SanctionProposal.objects.select_related("seeker__member", "household__region", "decided_by")
                       .prefetch_related("refusals"), user)


def hires_for(user) -> QuerySet:
    return scope_model(Hire.objects.select_related("member", "household__region", "vacancy__employer"), user)


def hires_for_member(member: Member) -> QuerySet:
    """A member's placements (newest first), for the work-incentive rules and training placement."""
    return Hire.objects.filter(member=member).select_related("vacancy__employer").order_by("-start_date", "-id")


def hires_started_between(members, first_day: dt.date, last_day: dt.date) -> QuerySet:
    """Hires of these members (``Member`` objects, ids, or a queryset of member ids) whose job starts
    on ``first_day`` … ``last_day``, both days included; earliest start first. For training
    placement (输出): a hire recorded before a trainee's completion still counts once the
    completion is recorded."""
    ids = members if isinstance(members, QuerySet) else [getattr(m, "pk", m) for m in members]
    return (Hire.objects.filter(member_id__in=ids, start_date__gte=first_day, start_date__lte=last_day)
            .select_related("vacancy__employer").defer("vacancy__vector", "vacancy__search_tokens")
            .order_by("start_date", "id"))


def registered_seeker_member_ids(members) -> set[int]:
    """Which of these members (objects or ids) hold a job-seeker registration (求职登记) that has not
    been cancelled (status 求职中 or 已就业). The training-wish survey is for them only."""
    ids = [getattr(m, "pk", m) for m in members]
    return set(JobSeeker.objects.filter(member_id__in=ids).exclude(status=SeekerStatus.WITHDRAWN)
               .values_list("member_id", flat=True))


def registered_seekers_among(members: QuerySet) -> QuerySet:
    """The members of a ``Member`` queryset who hold a registration that has not been cancelled
    (one SQL query, for lists such as the demo survey)."""
    registered = JobSeeker.objects.filter(member=OuterRef("pk")).exclude(status=SeekerStatus.WITHDRAWN)
    return members.filter(Exists(registered))


def seeker_id_for_member(member) -> int | None:
    """The id of the member's job-seeker registration, if any (to re-encode the profile)."""
    return JobSeeker.objects.filter(member_id=getattr(member, "pk", member)).values_list("pk", flat=True).first()


def recipient_household(user) -> Household | None:
    if getattr(user, "role", None) != Role.RECIPIENT:
        return None
    return Household.objects.filter(account=user).select_related("region").first()


# ---------------------------------------------------------------------- obligation


@dataclass(frozen=True)
class ObligedMember:
    member_id: int
    household_id: int
    household_number: str
    region_code: str
    region_name: str
    name_masked: str
    id_number_masked: str
    sex: str
    age: int
    explanation: str
    phone: str = ""  # the household's contact phone: the labour bureau calls them in to register


def _counties_for(user) -> list[Region]:
    visible = regions_for(user)
    counties = list(visible.filter(level=RegionLevel.COUNTY))
    if not counties and user.region_id:
        county = user.region.county()
        if county:
            counties = [county]
    return counties


def obliged_unregistered(user, as_of: dt.date | None = None, *, region_code: str | None = None) -> list[ObligedMember]:
    """Members who must register as job seekers (§3 [R4]) and have not, in the user's jurisdiction.

    Obliged: current member with full work ability (有劳动能力), of working age under the county's
    parameters, in a household of one of the county's ``jobseeker_obligation_areas`` (urban only by
    default [R4 城市低保]) that receives the benefit (a current enrolment) or has applied
    (a household on record with no enrolment yet). Age bounds are turned into birth-date bounds
    for the query; the pure rule then confirms each row and gives the explanation.
    """
    as_of = as_of or today()
    registered = JobSeeker.objects.filter(member=OuterRef("pk"))
    base = scope_model(Member.objects.all(), user).filter(
        died_on__isnull=True, left_on__isnull=True, work_ability=WorkAbility.FULL,
    ).exclude(Exists(registered))
    base = base.filter(
        Q(household__enrolments__status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.TRANSITIONAL,
                                             EnrolmentStatus.SUSPENDED])
        | Q(household__enrolments__isnull=True)
    ).distinct()
    if region_code:
        region = region_by_code(region_code)
        base = base.filter(household__region__path__startswith=region.path)
    rows: list[ObligedMember] = []
    for county in _counties_for(user):
        params = parameters_in_force(county, as_of)
        youngest_birth = _years_before(as_of, params.jobseeker_min_age)  # born on/before this
        members = base.filter(household__region__path__startswith=county.path, birth_date__lte=youngest_birth,
                              household__area__in=params.jobseeker_obligation_areas).filter(
            # age ≤ max (以下 includes the age): born after the day max + 1 years before as_of
            Q(sex="M", birth_date__gt=_years_before(as_of, params.jobseeker_max_age_male + 1))
            | Q(sex="F", birth_date__gt=_years_before(as_of, params.jobseeker_max_age_female + 1))
        ).select_related("household__region").order_by("household__region__code", "household__number", "id")
        for member in members:
            obligation = jobseeker_obligation(member.birth_date, member.sex, True, as_of, params,
                                              area=member.household.area)
            if not obligation.obliged:
                continue
            rows.append(ObligedMember(
                member_id=member.pk, household_id=member.household_id, household_number=member.household.number,
                region_code=member.household.region.code, region_name=member.household.region.name,
                name_masked=mask_name(member.name), id_number_masked=mask_id_number(member.id_number),
                sex=member.sex, age=obligation.age, explanation=obligation.explanation,
                phone=member.household.phone,
            ))
    return rows


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def warm_up_search() -> float:
    """Load the embedding model and the current index snapshot in this process and run one search,
    so that the first visitor of a new web worker does not wait for it (6–7 s on the 2-core box).
    Called by gunicorn's ``post_worker_init`` hook (reemployment/gunicorn_conf.py). Returns seconds."""
    import time

    started = time.perf_counter()
    search_vacancies("电焊工", k=1)
    return time.perf_counter() - started
