"""Reads of department checks, scoped to the user's jurisdiction."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Exists, Max, OuterRef, QuerySet

from benefits.checks.models import (
    DepartmentFile,
    FileStatus,
    Flag,
    FollowUp,
    PovertyRosterEntry,
    RosterStatus,
)
from benefits.checks.sources import ROSTER_SOURCE
from benefits.models import PAYABLE_STATUSES, Enrolment
from reemployment.core.models import Region
from reemployment.core.scoping import regions_for, scope_model


def files_for(user) -> QuerySet[DepartmentFile]:
    return scope_model(DepartmentFile.objects.select_related("region", "uploaded_by"), user)


def flags_for(user, *, status: str | None = None) -> QuerySet[Flag]:
    queryset = scope_model(
        Flag.objects.select_related("household__region", "member", "department_file", "review", "resolved_by"), user)
    return queryset.filter(status=status) if status else queryset


def flag_counts_by_region(user) -> list[dict]:
    """Open flags per community/village and kind (for the jurisdiction overview)."""
    return list(flags_for(user, status="open").order_by().values("household__region__name", "kind")
                .annotate(n=Count("id")).order_by("household__region__name", "kind"))


def follow_ups_for(user) -> QuerySet[FollowUp]:
    return scope_model(FollowUp.objects.select_related("region", "household", "review", "created_by"), user)


def roster_file_ids() -> list[int]:
    """The roster in force per county: each county's latest processed roster file."""
    latest = (DepartmentFile.objects.filter(source=ROSTER_SOURCE, status=FileStatus.DONE).order_by()
              .values("region_id").annotate(last=Max("id")))
    return [row["last"] for row in latest]


def roster_entries_for(user) -> QuerySet[PovertyRosterEntry]:
    return scope_model(PovertyRosterEntry.objects.filter(department_file_id__in=roster_file_ids()), user)


def roster_reconciliation(user) -> dict[str, list[dict]]:
    """Reconcile the registered-poor roster (建档立卡) with the dibao roster, per poor household.

    - ``uncovered`` (应保未保): not yet out of poverty and no member in a household receiving dibao;
    - ``partial`` (一户保一人): not out of poverty and only some members covered;
    - ``left_receiving``: out of poverty (已脱贫) and members still covered.
    Each row: poor_household_number, region (of the household head's line), persons, covered_persons,
    dibao_household_ids (households receiving dibao), registered_household_ids (households on file). Computed with one query and pandas.
    """
    covered = Exists(Enrolment.objects.filter(household_id=OuterRef("member__household_id"),
                                              status__in=PAYABLE_STATUSES))
    rows = list(roster_entries_for(user).annotate(covered=covered).values(
        "poor_household_number", "region_id", "region__name", "status", "covered", "member__household_id"))
    result: dict[str, list[dict]] = {"uncovered": [], "partial": [], "left_receiving": []}
    if not rows:
        return result
    frame = pd.DataFrame.from_records(rows)
    grouped = frame.groupby("poor_household_number", sort=True).agg(
        region_id=("region_id", "first"), region_name=("region__name", "first"),
        left=("status", lambda s: bool((s == RosterStatus.LEFT).all())),
        persons=("status", "size"), covered_persons=("covered", "sum"),
    )
    dibao = (frame[frame["covered"]].groupby("poor_household_number")["member__household_id"]
             .agg(lambda s: sorted({int(v) for v in s})))
    grouped["dibao_household_ids"] = dibao.reindex(grouped.index)
    registered = (frame[frame["member__household_id"].notna()].groupby("poor_household_number")["member__household_id"]
                  .agg(lambda s: sorted({int(v) for v in s})))
    grouped["registered_household_ids"] = registered.reindex(grouped.index)
    for number, r in grouped.iterrows():
        item = {"poor_household_number": number, "region_id": int(r.region_id), "region_name": r.region_name,
                "persons": int(r.persons), "covered_persons": int(r.covered_persons),
                "dibao_household_ids": r.dibao_household_ids if isinstance(r.dibao_household_ids, list) else [],
                "registered_household_ids": (r.registered_household_ids
                                             if isinstance(r.registered_household_ids, list) else [])}
        if r.left and r.covered_persons > 0:
            result["left_receiving"].append(item)
        elif not r.left and r.covered_persons == 0:
            result["uncovered"].append(item)
        elif not r.left and r.covered_persons < r.persons:
            result["partial"].append(item)
    return result


FINDING_LABELS = {"uncovered": "应保未保", "partial": "一户保一人", "left_receiving": "已脱贫仍享受低保"}


def reconciliation_counts(lists: dict[str, list[dict]]) -> list[dict]:
    """Counts per community/village and list (households and persons)."""
    out = []
    for finding, rows in lists.items():
        by_region: dict[str, dict] = {}
        for row in rows:
            entry = by_region.setdefault(row["region_name"], {"finding": finding, "label": FINDING_LABELS[finding],
                                                              "region": row["region_name"],
                                                              "households": 0, "persons": 0})
            entry["households"] += 1
            entry["persons"] += row["persons"]
        out.extend(sorted(by_region.values(), key=lambda e: e["region"]))
    return out


def region_choices_for(user) -> QuerySet[Region]:
    return regions_for(user).filter(level__in=["province", "city", "county", "township", "community"])
