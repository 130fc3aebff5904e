"""Cadre close relatives at intake (干部近亲属备案 [R3]): an application or review whose household has a
member matching a registered cadre relative is flagged to the county when it is opened — visible on the
case (``cadre_relative``, ``cadre_relative_note``) and in the county's queue (integrity admin,
干部近亲属申请与复核) — not only listed in the register.

[R3]: 建立基层干部及其近亲属享受低保备案制度，极大限度杜绝“人情保”、“关系保”; [R1] tells of 优亲厚友.
Matching is by resident ID number (``benefits.integrity.selectors.cadre_registrations_matching``).
"""

from __future__ import annotations

from collections.abc import Iterable

from benefits.integrity.selectors import cadre_registrations_matching, registered_cadre_relative_ids
from benefits.models import OPEN_APPLICATION_STEPS, Application, Household, Member, Review, ReviewStatus
from reemployment.core import audit


def _current_id_numbers(household_ids: Iterable[int]) -> dict[int, list[str]]:
    rows = (Member.objects.filter(household_id__in=list(household_ids), died_on__isnull=True, left_on__isnull=True)
            .values_list("household_id", "id_number"))
    found: dict[int, list[str]] = {}
    for household_id, id_number in rows:
        found.setdefault(household_id, []).append(id_number)
    return found


def cadre_relative_note(household: Household) -> str:
    """Who in the household is a registered cadre relative, in one line ("" when nobody is)."""
    ids = _current_id_numbers([household.pk]).get(household.pk, [])
    registrations = cadre_registrations_matching(ids)
    parts = [f"{r.member.name} 为 {r.cadre_name}（{r.cadre_post}{'，' + r.cadre_unit if r.cadre_unit else ''}）的"
             f"{r.get_relation_display()}，{r.registered_on} 备案" for r in registrations]
    return ("干部近亲属：" + "；".join(parts))[:300] if parts else ""


def case_flag_cadre_relative(*, actor, case: Application | Review) -> bool:
    """Flag ``case`` (an application or a review, just opened) when its household has a registered cadre
    relative; audited as ``integrity.cadre_case_flag`` so the county sees who, when and why. Called inside
    the service's transaction. Returns whether it was flagged."""
    note = cadre_relative_note(case.household)
    if not note:
        return False
    type(case).objects.filter(pk=case.pk).update(cadre_relative=True, cadre_relative_note=note)
    case.cadre_relative, case.cadre_relative_note = True, note
    audit.record(actor=actor, action="integrity.cadre_case_flag", obj=case, region=case.household.region,
                 after={"cadre_relative": True}, note=note)
    return True


def reviews_flag_cadre_relatives(*, actor, kind: str) -> int:
    """Flag the open reviews of ``kind`` not yet flagged whose household has a registered cadre relative —
    after a bulk opening (the periodic reviews). Starts from the register (a few rows), so it costs the
    same for 100 or 100,000 new reviews. Returns the number flagged."""
    households = Member.objects.filter(died_on__isnull=True, left_on__isnull=True,
                                       id_number__in=registered_cadre_relative_ids()).values("household_id")
    reviews = (Review.objects.filter(kind=kind, status=ReviewStatus.OPEN, cadre_relative=False,
                                     household_id__in=households).select_related("household__region"))
    return sum(case_flag_cadre_relative(actor=actor, case=review) for review in reviews)


def household_open_cases_flag(*, actor, household: Household) -> int:
    """Flag the household's open application and open reviews (a registration made after intake)."""
    cases = [*Application.objects.filter(household=household, step__in=OPEN_APPLICATION_STEPS, cadre_relative=False)
             .select_related("household__region"),
             *Review.objects.filter(household=household, status=ReviewStatus.OPEN, cadre_relative=False)
             .select_related("household__region")]
    return sum(case_flag_cadre_relative(actor=actor, case=case) for case in cases)
