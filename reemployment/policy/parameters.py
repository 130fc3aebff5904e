"""The catalogue of policy parameters (政策参数) and their defaults.

Every rule parameter a county can set lives here, with its type and its default
(the defaults are the figures in the field reports, DESIGN.md §2, §3, §4, §5 — except the
parameters listed in :data:`NOT_FROM_REPORTS`, whose values the reports do not give: set by the
county; the default is not from the reports).
Pure Python: the database stores overrides per region and date
(``reemployment.core.models.ParameterSet``); :func:`build_parameters` turns a
mapping of overrides into a frozen, typed :class:`PolicyParameters` that rule
code receives as an argument.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from reemployment.money import to_decimal
from reemployment.policy.stages import DEFAULT_STAGES, ApplicationStage, coerce_stages, stages_jsonable


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages`` (the kernel's catalogue, reemployment/core/locale) without
    importing Django: the Django code that reports a :class:`ParameterError` translates it."""
    return message


class ParameterError(ValueError):
    """A parameter name or value is not acceptable; the message names the key.

    ``message`` is the Chinese msgid and ``values`` fill its %(name)s fields; ``str()`` is the Chinese
    text. Django code shows it in the request's language: ``gettext(exc.message) % exc.values``."""

    def __init__(self, message: str, values: dict | None = None, index: int | None = None):
        self.message = message
        self.values = values or {}
        self.index = index  # the item of a list value at fault (the policy loader reports its line)
        super().__init__(message % self.values)


def _frozen_map(values: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class PolicyParameters:
    """Rule parameters in force for one county on one date."""

    # Classification and amount (分类施保) [R1]
    urban_b_uplift: Decimal = Decimal("0.30")
    # How a rural household's amount is computed: "flat" — rural_amounts per person by category
    # [R1 月人均补助120/100/70元]; "gap" — the per-capita gap like urban [R3 人均补差]: A the full
    # standard per person, B and C (standard − per-capita income) × persons (no uplift: [R3] states
    # only 人均补差, and [R1]'s 30% is for urban B).
    rural_amount_method: str = "flat"
    rural_amounts: Mapping[str, Decimal] = field(
        default_factory=lambda: _frozen_map(
            {"A": Decimal("120.00"), "B": Decimal("100.00"), "C": Decimal("70.00")}
        )
    )
    # Class-B conditions per area (B类条件) [R1]: urban B 重病、重残、单亲家庭、子女上大学;
    # rural B 大病、重残、单亲困难家庭 only (a rural household with only a university student is C).
    # Values are member flags: serious_illness, severe_disability, single_parent, university_student.
    class_b_conditions_urban: tuple[str, ...] = (
        "serious_illness",
        "severe_disability",
        "single_parent",
        "university_student",
    )
    class_b_conditions_rural: tuple[str, ...] = ("serious_illness", "severe_disability", "single_parent")
    # Asset limits; None means no limit, the default: the reports state none, and [R2] brought
    # 三小车 (three-wheeler) owners and their families into dibao on purpose. A county that sets a
    # limit does so in its policy file, with a note citing its basis.
    deposit_limit_per_capita: Decimal | None = None
    max_vehicles: int | None = None
    max_properties: int | None = None
    # Income kinds that are not counted at all (e.g. "transfer" for some counties).
    income_kinds_not_counted: tuple[str, ...] = ()
    # Published cash prices for income in kind (粮食等实物收入折算), yuan per unit [R1].
    agricultural_prices: Mapping[str, Decimal] = field(
        default_factory=lambda: _frozen_map(
            {"稻谷(公斤)": Decimal("2.60"), "小麦(公斤)": Decimal("2.40"), "玉米(公斤)": Decimal("2.20")}
        )
    )
    # Work incentives [R4]
    earnings_disregard_fixed: Decimal = Decimal("0.00")
    earnings_disregard_rate: Decimal = Decimal("0.00")
    work_costs_deductible: bool = False
    # Areas whose households get the transition benefit [R4 speaks of 城市低保]: urban by default;
    # a county may add "rural".
    transition_areas: tuple[str, ...] = ("urban",)
    transition_months: int = 6
    transition_threshold: Decimal = Decimal("800.00")
    transition_high_share: Decimal = Decimal("0.50")
    fast_track_window_months: int = 12
    fast_track_skip_appraisal: bool = True
    fast_track_notice_days: int = 3
    public_labour_hours_per_month: int = 16
    # Application workflow [R1][R2][R5]
    appraisal_notice_days: int = 7
    approval_notice_days: int = 3
    appraisal_group_min: int = 3
    # Review and notice stages (审核公示环节) [R1] default; [R5] 三审核三公示 (reemployment/policy/stages.py)
    application_stages: tuple[ApplicationStage, ...] = DEFAULT_STAGES
    # Dynamic management [R1]
    review_interval_months_urban: int = 6
    review_interval_months_rural: int = 12
    # Job seekers [R4]. The obligation (and so the refusal sanction) is an urban rule by default:
    # [R4] speaks of 对已享受城市低保或正在申请城市低保 …; a county may add "rural".
    jobseeker_obligation_areas: tuple[str, ...] = ("urban",)
    jobseeker_min_age: int = 16
    jobseeker_max_age_male: int = 48
    jobseeker_max_age_female: int = 38
    refusals_before_sanction: int = 2
    # Training accountability [R4]
    placement_window_months: int = 6
    output_rate_review_below: Decimal = Decimal("0.60")
    output_rate_reward_above: Decimal = Decimal("0.95")
    basic_operations_fail_share_review: Decimal = Decimal("0.50")
    training_subsidy_completion_share: Decimal = Decimal("0.60")
    training_subsidy_output_share: Decimal = Decimal("0.40")
    # Integrity [R2]
    fraud_fine_multiplier_min: Decimal = Decimal(1)
    fraud_fine_multiplier_max: Decimal = Decimal(3)
    false_certificate_fine_max: Decimal = Decimal("1000.00")


# Parameters whose value the five field reports do not give: set by the county; the default is not from
# the reports (it is a working value so the system runs). Checked against
# ../shared/reference/dibao-field-reports.zh.txt; docs/policy-file.md marks the same rows, and
# docs/policy-fidelity.md says for each what the reports do say. Every other default is a figure or a
# rule the reports state (or, for the asset limits and the earnings disregard, the "none" they describe).
NOT_FROM_REPORTS = frozenset({
    "agricultural_prices",  # [R1] 实物收入…折算成现金时有很大的随意性: no price is given
    "fast_track_window_months",  # [R4] 就业失败的…放宽低保申请条件，简化审批程序: no window
    "fast_track_skip_appraisal",  # [R4] 简化审批程序: which steps are skipped is not said
    "fast_track_notice_days",  # nor how long the shortened notice is
    "public_labour_hours_per_month",  # [R2] 定期组织…参加治安巡逻、卫生保洁等公益性劳动: no hours
    "appraisal_notice_days",  # [R1][R2] 张榜公示 after the appraisal: no number of days (the approval notice is 三天)
    "jobseeker_min_age",  # [R4] gives only the upper ages 男48岁以下、女38岁以下; 16 is the legal working age
    "placement_window_months",  # [R4] 输出比率: within how many months of completion is not said
    "training_subsidy_completion_share",  # [R4] 将培训补贴与培训质量挂钩、与输出比例挂钩: no split
    "training_subsidy_output_share",
})

_FIELDS = {f.name: f for f in dataclasses.fields(PolicyParameters)}
# The member flags a class-B condition list may name (benefits.rules.household.Member).
CLASS_B_CONDITIONS = ("serious_illness", "severe_disability", "single_parent", "university_student")
# Parameters whose value is one of a few words.
CHOICES = {"rural_amount_method": ("flat", "gap")}
PARAMETER_NAMES = frozenset(_FIELDS)
DEFAULTS = PolicyParameters()


def _is_decimal_map(name: str) -> bool:
    return name in {"rural_amounts", "agricultural_prices"}


def coerce_value(name: str, value: object) -> object:
    """Check and convert one raw value (from YAML/JSON/admin) to the parameter's type."""
    if name not in _FIELDS:
        raise ParameterError(gettext_noop("未知参数 %(name)r"), {"name": name})
    default = getattr(DEFAULTS, name)
    try:
        if _is_decimal_map(name):
            if not isinstance(value, Mapping):
                raise ParameterError(gettext_noop("%(name)s：应为名称到金额的映射"), {"name": name})
            result = {str(k): to_decimal(str(v) if isinstance(v, int) else v) for k, v in value.items()}
            if any(v < 0 for v in result.values()):
                raise ParameterError(gettext_noop("%(name)s：金额不能为负"), {"name": name})
            if name == "rural_amounts" and set(result) != {"A", "B", "C"}:
                raise ParameterError(gettext_noop("%(name)s：须恰好包含 A、B、C 三类"), {"name": name})
            return _frozen_map(result)
        if name == "application_stages":
            return coerce_stages(name, value)
        if name == "income_kinds_not_counted":
            if not isinstance(value, (list, tuple)):
                raise ParameterError(gettext_noop("%(name)s：应为收入类别的列表"), {"name": name})
            return tuple(str(v) for v in value)
        if name in {"transition_areas", "jobseeker_obligation_areas"}:
            if not isinstance(value, (list, tuple)) or any(v not in ("urban", "rural") for v in value):
                raise ParameterError(
                    gettext_noop("%(name)s：应为以下条件的列表：%(allowed)s"), {"name": name, "allowed": "urban、rural"}
                )
            return tuple(dict.fromkeys(str(v) for v in value))
        if name in {"class_b_conditions_urban", "class_b_conditions_rural"}:
            if not isinstance(value, (list, tuple)) or any(v not in CLASS_B_CONDITIONS for v in value):
                raise ParameterError(
                    gettext_noop("%(name)s：应为以下条件的列表：%(allowed)s"),
                    {"name": name, "allowed": "、".join(CLASS_B_CONDITIONS)},
                )
            return tuple(dict.fromkeys(str(v) for v in value))
        if name in CHOICES:
            if value not in CHOICES[name]:
                raise ParameterError(
                    gettext_noop("%(name)s：应为以下之一：%(allowed)s"),
                    {"name": name, "allowed": "、".join(CHOICES[name])},
                )
            return str(value)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ParameterError(gettext_noop("%(name)s：应为 true 或 false"), {"name": name})
            return value
        if value is None:
            if default is None or name in {"deposit_limit_per_capita", "max_vehicles", "max_properties"}:
                return None
            raise ParameterError(gettext_noop("%(name)s：必须填写"), {"name": name})
        if isinstance(default, int) or name in {"max_vehicles", "max_properties"}:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ParameterError(gettext_noop("%(name)s：应为整数"), {"name": name})
            if value < 0:
                raise ParameterError(gettext_noop("%(name)s：不能为负"), {"name": name})
            return value
        # Decimal parameters: accept strings and ints, never floats.
        number = to_decimal(str(value) if isinstance(value, int) else value)
        if number < 0:
            raise ParameterError(gettext_noop("%(name)s：不能为负"), {"name": name})
        if name.endswith(("_rate", "_share", "_below", "_above", "_uplift")) and number > 1:
            raise ParameterError(gettext_noop("%(name)s：应为 0 到 1 之间的比例"), {"name": name})
        return number
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ParameterError):
            raise
        raise ParameterError(gettext_noop("%(name)s：%(error)s"), {"name": name, "error": exc}) from exc


def build_parameters(overrides: Mapping[str, object] | None = None) -> PolicyParameters:
    """Defaults overlaid with ``overrides`` (raw values are coerced and checked)."""
    if not overrides:
        return DEFAULTS
    coerced = {name: coerce_value(name, value) for name, value in overrides.items()}
    return dataclasses.replace(DEFAULTS, **coerced)


def to_jsonable(name: str, value: object) -> object:
    """The stored (JSON) form of a coerced value: Decimals as strings."""
    if name == "application_stages":
        return stages_jsonable(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: str(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    return value
