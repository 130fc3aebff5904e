"""What benefits offers the public portal and the public API: typed, read-mostly contracts.

The portal (``cms``) calls only this module of benefits. Every function takes and returns frozen
dataclasses (or plain values), never model instances or dicts whose keys one must guess:

- ``estimate``: the one public estimator (自助测算), shared by the portal's self-check and
  POST /api/v1/eligibility/estimate (``estimate_payload``). Same rules as the case work
  (``benefits.rules.assess_household``) with the standard and parameters in force.
- ``public_notices``: the households in a notice period (公示), masked names only.
- ``tip_off_submit``: a tip-off from the portal, returning only its reference number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from benefits import rules
from benefits import selectors as _selectors
from benefits.integrity import services as _integrity_services
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, today
from reemployment.core.selectors import parameters_in_force, standard_in_force
from reemployment.dates import next_month_start
from reemployment.money import format_yuan

# The rule inputs of an estimate (frozen dataclasses of benefits.rules), re-exported for callers.
EstimateMember = rules.Member
EstimateIncome = rules.Income
EstimateAssets = rules.Assets

__all__ = [
    "Estimate", "EstimateAssets", "EstimateIncome", "EstimateMember", "EstimateRequest", "PublicNotice",
    "TransitionEstimate", "estimate", "estimate_as_json", "estimate_payload", "public_notices", "tip_off_submit",
]


# ---------------------------------------------------------------------------
# The public estimate (自助测算)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateRequest:
    """An anonymous description of a household (nothing identifying; nothing is stored).

    ``area`` is urban/rural. By default it is used only when the region has no area of its own
    (a county code: the API); with ``area_overrides_region`` the given area always applies (the
    portal asks for the household registration type, 户籍类型). ``current_monthly_amount`` and
    ``new_monthly_earnings`` together also estimate the transition benefit after a hire."""

    region_code: str
    members: tuple[rules.Member, ...]
    incomes: tuple[rules.Income, ...] = ()
    assets: rules.Assets = field(default_factory=rules.Assets)
    area: str | None = None
    area_overrides_region: bool = False
    as_of: dt.date | None = None
    current_monthly_amount: Decimal | None = None
    new_monthly_earnings: Decimal | None = None


@dataclass(frozen=True)
class TransitionEstimate:
    monthly_amount: Decimal
    months: int
    until: dt.date
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class Estimate:
    """The rules' assessment on ``as_of`` and, when asked, the transition benefit."""

    assessment: rules.Assessment
    as_of: dt.date
    transition: TransitionEstimate | None = None


def estimate(request: EstimateRequest) -> Estimate:
    """Estimate a household's benefit. Raises ``DomainError`` (with ``field_errors`` when the
    input is at fault): unknown region, no area, no standard in force, member/income mistakes."""
    region = Region.objects.filter(code=request.region_code).first()
    if region is None:
        raise DomainError(_("未知的行政区划代码"), field_errors={"region": [_("未知的行政区划代码")]})
    if request.area_overrides_region:
        area = request.area
    else:
        area = region.effective_area() or request.area
    if not area:
        raise DomainError(_("请选择乡镇或社区/村，或注明城乡"),
                          field_errors={"region": [_("该区划未区分城乡，请选择乡镇或社区/村，或填写 area")]})
    as_of = request.as_of or today()
    try:
        standard = standard_in_force(region, area, as_of).monthly_amount
    except DomainError as exc:
        raise DomainError(exc.message, field_errors={"as_of": [exc.message]}) from exc
    params = parameters_in_force(region, as_of)
    members = list(request.members)
    errors: dict = {}
    for i, member in enumerate(members):
        if member.birth_date > as_of:
            errors.setdefault("members", {})[i] = {"birth_date": [_("出生日期晚于测算日期")]}
    incomes = []
    for i, item in enumerate(request.incomes):
        if item.member_index >= len(members):
            errors.setdefault("incomes", {})[i] = {"member": [_("成员序号应在 0 到 %(last)s 之间") % {"last": len(members) - 1}]}
            continue
        incomes.append(item)
    if errors:
        raise DomainError(_("输入有误"), field_errors=errors)
    try:
        assessment = rules.assess_household(members, incomes, request.assets, area, standard, params, as_of)
    except rules.RuleInputError as exc:
        raise DomainError(str(exc), field_errors={"non_field_errors": [str(exc)]}) from exc
    transition = None
    if request.current_monthly_amount is not None and request.new_monthly_earnings is not None:
        result = rules.transition_benefit(request.current_monthly_amount, request.new_monthly_earnings,
                                          next_month_start(as_of), params)
        transition = TransitionEstimate(monthly_amount=result.monthly_amount, months=result.months,
                                        until=result.end_date, explanation=tuple(result.explanation))
    return Estimate(assessment=assessment, as_of=as_of, transition=transition)


def estimate_as_json(result: Estimate) -> dict:
    """An estimate as the API answers it: money as strings with two decimals."""
    assessment = result.assessment
    answer = {
        "eligible": assessment.eligible,
        "area": assessment.area,
        "as_of": result.as_of.isoformat(),
        "standard": format_yuan(assessment.standard),
        "household_size": assessment.household_size,
        "counted_monthly_income": format_yuan(assessment.counted_monthly_income),
        "per_capita_income": format_yuan(assessment.per_capita_income),
        "category": assessment.category,
        "monthly_amount": format_yuan(assessment.monthly_amount),
        "explanation": list(assessment.explanation),
    }
    if result.transition is not None:
        answer["transition"] = {
            "monthly_amount": format_yuan(result.transition.monthly_amount),
            "months": result.transition.months,
            "until": result.transition.until.isoformat(),
            "explanation": list(result.transition.explanation),
        }
    return answer


def estimate_payload(payload: dict) -> dict:
    """POST /api/v1/eligibility/estimate: check the JSON body (``benefits.forms.EstimateInput``),
    estimate, answer as JSON. Raises ``DomainError`` with ``field_errors`` on invalid input."""
    from benefits.forms import EstimateInput  # forms imports DRF serializers; only the API needs it

    form = EstimateInput(data=payload)
    if not form.is_valid():
        raise DomainError(_("输入有误"), field_errors=form.errors)
    data = form.validated_data
    members = tuple(
        rules.Member(
            birth_date=m["birth_date"], sex=m["sex"], three_no=m["three_no"], serious_illness=m["serious_illness"],
            severe_disability=m["severe_disability"], single_parent=m["single_parent"],
            university_student=m["university_student"], work_ability=m["work_ability"],
            disaster=m.get("disaster", False),
        )
        for m in data["members"]
    )
    incomes = tuple(
        rules.Income(member_index=item["member"], kind=item["kind"], monthly_amount=item["monthly_amount"])
        for item in data.get("incomes", [])
    )
    request = EstimateRequest(
        region_code=data["region"], members=members, incomes=incomes, area=data.get("area"),
        as_of=data.get("as_of"), current_monthly_amount=data.get("current_monthly_amount"),
        new_monthly_earnings=data.get("new_monthly_earnings"),
    )
    return estimate_as_json(estimate(request))


# ---------------------------------------------------------------------------
# Public notices (公示)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicNotice:
    """One application in its notice period: what may be shown publicly, nothing more.

    ``stage`` is "appraisal" (评议结果公示), "township" (审核结果公示, where the county's stages give the
    township a notice) or "approved" (审批结果公示); ``name`` is masked (张*三)."""

    number: str
    name: str
    community: str
    community_code: str
    area: str
    stage: str
    category: str | None
    monthly_amount: Decimal | None
    persons: int | None
    notice_start: dt.date
    notice_end: dt.date


def public_notices(region_code: str | None = None, as_of: dt.date | None = None) -> list[PublicNotice]:
    """Applications in a notice period on ``as_of`` (today by default) inside ``region_code``."""
    rows = _selectors.public_notices(region_code=region_code, as_of=as_of or today())
    return [
        PublicNotice(
            number=row["number"],
            name=row["name"],
            community=row["community"],
            community_code=row["community_code"],
            area=row["area"],
            stage=row["stage"],
            category=row["category"],
            monthly_amount=Decimal(row["monthly_amount"]) if row["monthly_amount"] is not None else None,
            persons=row["persons"],
            notice_start=dt.date.fromisoformat(row["notice_start"]),
            notice_end=dt.date.fromisoformat(row["notice_end"]),
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------
# Tip-offs (举报)
# ---------------------------------------------------------------------------


def tip_off_submit(*, text: str, region_code: str | None = None, household_number: str | None = None,
                   contact: str = "", anonymous: bool = True) -> str:
    """Record a tip-off from the portal; returns its random reference number (受理编号), never the
    sequential id. Raises ``DomainError`` (with ``field_errors``) on bad input."""
    tip_off = _integrity_services.tip_off_submit(
        text=text, region_code=region_code, household_number=household_number, contact=contact,
        anonymous=anonymous,
    )
    return str(tip_off.reference or "")
