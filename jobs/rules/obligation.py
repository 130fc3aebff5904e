"""Job-seeker obligation and the refusal sanction (求职登记义务, 拒绝就业的处理).

DESIGN.md §3 "Obligation" and "Referrals", from report [R4]: urban recipients and applicants with
work ability, men aged 48 and under and women aged 38 and under (男48岁以下、女38岁以下,
“以下” including the age itself, like “以上” in 两次以上; 民法典 art. 1259), must register as job seekers; refusing the
offered posts twice or more without a valid reason (两次以上不接受 … 岗位, “以上” including
two) lets staff propose to suspend the benefit or decline the application — a proposal that
a civil-affairs user confirms. The areas the obligation covers are a county parameter
(``jobseeker_obligation_areas``, urban by default: [R4] speaks of 城市低保).
Pure Python: no Django, no database, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from reemployment.dates import age_on
from reemployment.policy.parameters import PolicyParameters

__all__ = ("Obligation", "Refusal", "SanctionCheck", "jobseeker_obligation", "sanction_due")


@dataclass(frozen=True)
class Obligation:
    """Whether one person must register as a job seeker on ``as_of``, and why."""

    obliged: bool
    age: int
    min_age: int
    max_age: int
    explanation: str


AREA_NAMES = {"urban": "城市", "rural": "农村"}


def jobseeker_obligation(
    birth_date: dt.date, sex: str, work_ability: bool, as_of: dt.date, params: PolicyParameters, *, area: str
) -> Obligation:
    """Job-seeker obligation (DESIGN.md §3 [R4]).

    Only in a household whose ``area`` ("urban"/"rural", the household's 城乡) is one of the
    county's ``jobseeker_obligation_areas``: urban only by default, because [R4] speaks of
    对已享受城市低保或正在申请城市低保 …的人员. Then obliged iff ``work_ability`` and
    ``jobseeker_min_age`` ≤ age ≤ the upper limit for the person's sex (``jobseeker_max_age_male`` 48 for ``"M"``, ``jobseeker_max_age_female`` 38
    for ``"F"``): 以下 includes the figure itself (民法典 art. 1259), so a man of exactly 48 is
    obliged and one of 49 is not. Age is in completed years on ``as_of``, and a birthday on
    ``as_of`` counts: a man turning 49 that day is no longer obliged; someone turning 16 is.
    """
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not isinstance(work_ability, bool):
        raise TypeError(f"work_ability must be True or False, got {work_ability!r}")
    if area not in AREA_NAMES:
        raise ValueError(f"area must be 'urban' or 'rural', got {area!r}")
    age = age_on(birth_date, as_of)
    min_age = params.jobseeker_min_age
    max_age = params.jobseeker_max_age_male if sex == "M" else params.jobseeker_max_age_female
    sex_name = "男" if sex == "M" else "女"
    if area not in params.jobseeker_obligation_areas:
        return Obligation(False, age, min_age, max_age,
                          f"{AREA_NAMES[area]}低保家庭：本县求职登记义务不适用于{AREA_NAMES[area]}低保")
    if not work_ability:
        return Obligation(False, age, min_age, max_age, f"{age} 岁，无劳动能力：无求职登记义务")
    if age < min_age:
        return Obligation(False, age, min_age, max_age, f"{age} 岁，未满 {min_age} 岁：无求职登记义务")
    if age > max_age:
        return Obligation(
            False, age, min_age, max_age, f"{sex_name}，{age} 岁，超过 {max_age} 岁：无求职登记义务"
        )
    return Obligation(
        True,
        age,
        min_age,
        max_age,
        f"{sex_name}，{age} 岁（{min_age} 岁以上、{max_age} 岁以下），有劳动能力：应进行求职登记",
    )


@dataclass(frozen=True)
class Refusal:
    """One offered post refused by the seeker; ``valid_reason`` if staff accepted the reason.

    ``obliged`` says whether the seeker had the job-seeker obligation on ``refused_on``
    (:func:`jobseeker_obligation` on that day): a refusal by someone not obliged that day
    never counts towards the sanction."""

    valid_reason: bool
    refused_on: dt.date | None = None
    reason: str = ""
    obliged: bool = True


@dataclass(frozen=True)
class SanctionCheck:
    """Whether a sanction proposal (停发或不予受理的建议) is due, with the count it rests on."""

    due: bool
    refusals_without_valid_reason: int
    threshold: int
    explanation: str


def sanction_due(refusals: Iterable[Refusal], params: PolicyParameters) -> SanctionCheck:
    """Refusal sanction (DESIGN.md §3 "Referrals" [R4]).

    Due iff the number of refusals without a valid reason, made on a day the seeker was obliged
    (``Refusal.obliged``), ≥ ``refusals_before_sanction`` (2).
    The caller passes the refusals that count (e.g. those of the current enrolment or
    application); the result is only a proposal, confirmed by a civil-affairs user.
    """
    refusals = tuple(refusals)
    for refusal in refusals:
        if not isinstance(refusal, Refusal):
            raise TypeError(f"expected Refusal, got {refusal!r}")
    count = sum(1 for refusal in refusals if not refusal.valid_reason and refusal.obliged)
    threshold = params.refusals_before_sanction
    due = count >= threshold
    text = (
        f"无正当理由拒绝推荐岗位 {count} 次（共拒绝 {len(refusals)} 次），达到 {threshold} 次应提出处理建议："
        + ("应提出停发或不予受理的建议" if due else "暂不处理")
    )
    return SanctionCheck(due, count, threshold, text)
