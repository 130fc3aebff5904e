"""Matching a checked caseload file to what the service already records, and planning every change.

Reads only (a few set-based queries, ID numbers looked up ``LOOKUP_CHUNK`` at a time). A household is
found by its 户编号 when the file gives one, else by its head's ID number; a member by their ID number.
The checks that need the database are here: a person already in another household of the service
(allowed only when the row declares 人户分离), a household or person of another county, a person the
service records as dead or gone, a 户编号 or 低保证号 that belongs to another household, and a community
without a guarantee standard in force (the discrepancies cannot be computed without one).

:func:`plan` returns a :class:`Plan`: for households, members, income items and enrolments, the final
values of every row and, for existing records, which fields change. Nothing is written here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from benefits.models import (
    Enrolment,
    EnrolmentStatus,
    Household,
    IncomeItem,
    Member,
    Relation,
    StudentStatus,
    WorkAbility,
)
from benefits.onboarding import columns as cols
from benefits.onboarding.validation import UNSTATED, Errors, FileCheck
from reemployment.core.errors import DomainError
from reemployment.core.models import ParameterSet, Region, Standard
from reemployment.core.selectors import parameters_in_force, standard_in_force
from reemployment.dates import add_months
from reemployment.idcard import mask_id_number

LOOKUP_CHUNK = 5000
HOUSEHOLD_FIELDS = ("number", "region_id", "area", "address", "phone", "single_parent", "bank_account", "bank_name")
MEMBER_FIELDS = ("household_id", "name", "sex", "birth_date", "relation", "serious_illness", "disability_grade",
                 "work_ability", "student_status", "three_no", "previous_household_id")
ENROLMENT_FIELDS = ("area", "category", "monthly_amount", "persons", "start_date", "certificate_number")


@dataclass
class Plan:
    """Every change an import would make (final values; existing ids; changed fields)."""

    households: pd.DataFrame  # index head_id
    members: pd.DataFrame
    incomes_new: pd.DataFrame  # one per member whose income is (re)written
    incomes_deleted: pd.DataFrame  # existing items replaced
    incomes_moved: pd.DataFrame  # existing items of members moving in (人户分离) kept, household changed
    enrolments: pd.DataFrame  # index head_id
    policy: dict  # (region_id, area) -> (standard amount, parameters)
    regions: dict[int, Region]
    moved_households: set = field(default_factory=set)  # households a member moved out of

    @property
    def counts(self) -> dict:
        status = self.households["status"]
        return {"households": len(self.households), "persons": len(self.members),
                "created": int((status == "created").sum()), "updated": int((status == "updated").sum()),
                "unchanged": int((status == "unchanged").sum())}


def tuples(frame: pd.DataFrame, columns=None, *, index: bool = False):
    """``frame.itertuples()`` without pandas' per-cell boxing (its string arrays are slow to iterate):
    each column (all, or ``columns``) is taken as one numpy object array first. ``index=True`` adds the
    index as ``Index``."""
    columns = list(frame.columns if columns is None else columns)
    names = [str(name) for name in columns]
    arrays = [frame[name].to_numpy(dtype=object) for name in columns]
    if index:
        names, arrays = ["Index", *names], [frame.index.to_numpy(dtype=object), *arrays]
    row = namedtuple("Row", names, rename=True)
    return (row._make(values) for values in zip(*arrays, strict=True))


def column(frame: pd.DataFrame | pd.Series, name: str | None = None) -> np.ndarray:
    """One column as a numpy object array (fast to iterate)."""
    return (frame if name is None else frame[name]).to_numpy(dtype=object)


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=list(columns))


def lookup(queryset, field: str, values: list, names: tuple) -> list[tuple]:
    """``queryset.filter(<field>__in=values).values_list(*names)`` for many values: on PostgreSQL one
    ``= ANY(array)`` parameter per 100,000 values (an IN list of that many parameters is slow to send),
    elsewhere IN lists of ``LOOKUP_CHUNK``."""
    rows: list[tuple] = []
    if connection.vendor == "postgresql":
        model = queryset.model
        target = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(model._meta.get_field(field).column)}"
        for chunk in _chunks(values, 100_000):
            rows.extend(queryset.extra(where=[f"{target} = ANY(%s)"], params=[list(chunk)]).values_list(*names))
        return rows
    for chunk in _chunks(values):
        rows.extend(queryset.filter(**{f"{field}__in": chunk}).values_list(*names))
    return rows


def existing_members(id_numbers: list[str]) -> pd.DataFrame:
    names = ("id", "id_number", "household_id", "name", "sex", "birth_date", "relation", "hukou_area",
             "serious_illness", "disability_grade", "work_ability", "student_status", "three_no", "died_on",
             "left_on", "previous_household_id")
    return _frame(lookup(Member.objects.all(), "id_number", id_numbers, names), names).set_index("id_number", drop=False)


def existing_households(ids: set[int], numbers: list[str]) -> pd.DataFrame:
    names = ("id", "number", "region_id", "region__path", "area", "address", "phone", "single_parent",
             "bank_account", "bank_name", "disaster")
    rows = lookup(Household.objects.all(), "id", sorted(ids), names)
    rows += lookup(Household.objects.all(), "number", numbers, names)
    frame = _frame(rows, names).drop_duplicates("id")
    return frame.set_index("id", drop=False)


def _regions_and_areas(region_ids: set[int]) -> tuple[dict[int, Region], dict[int, str]]:
    """The file's communities and the area of each: its own, or its nearest ancestor's (as
    ``Region.effective_area``), from two queries."""
    regions = Region.objects.in_bulk(list(region_ids))
    codes = {code for region in regions.values() for code in region.path.split("/") if code}
    area_of = dict(Region.objects.filter(code__in=codes).values_list("code", "area"))
    areas = {}
    for pk, region in regions.items():
        chain = [code for code in region.path.split("/") if code]
        areas[pk] = next((area_of[code] for code in reversed(chain) if area_of.get(code)), "") or "rural"
    return regions, areas


def _policy(regions: dict[int, Region], areas: dict[int, str], as_of: dt.date) -> dict:
    """(region id, area) → (standard, parameters) or the DomainError of a missing standard: the selectors
    (``standard_in_force``, ``parameters_in_force``) asked once per distinct chain of ancestors that hold
    policy rows (usually once for a whole county), since those rows are all they read."""
    codes = {code for region in regions.values() for code in region.path.split("/") if code}
    with_policy = (set(Standard.objects.filter(region__code__in=codes).values_list("region__code", flat=True))
                   | set(ParameterSet.objects.filter(region__code__in=codes).values_list("region__code", flat=True)))
    by_chain: dict[tuple, object] = {}
    policy = {}
    for pk, region in regions.items():
        area = areas[pk]
        chain = (tuple(code for code in region.path.split("/") if code in with_policy), area)
        if chain not in by_chain:
            try:
                by_chain[chain] = (standard_in_force(region, area, as_of).monthly_amount,
                                   parameters_in_force(region, as_of))
            except DomainError as exc:
                by_chain[chain] = exc
        policy[(pk, area)] = by_chain[chain]
    return policy


def _stated(values: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(values) != UNSTATED


def plan(check: FileCheck, *, county: Region, as_of: dt.date) -> tuple[Plan | None, Errors]:
    """Match the checked file to the database and plan the changes; the errors found doing so.

    Returns ``(None, errors)`` when the file or the database check found any error."""
    errors = Errors()
    members = check.members
    households = check.households
    if members.empty:
        return None, errors
    H = cols.header
    ids = members["id_number"]
    valid_ids = sorted({i for i in ids if len(i) == 18})
    em = existing_members(valid_ids)
    heads_known = em[(em["relation"] == Relation.HEAD) & em["id_number"].isin(households.index)]
    stated_numbers = sorted({n for n in households["household_number"] if n})
    eh = existing_households(set(em["household_id"]), stated_numbers)
    by_number = pd.Series(eh["id"].to_numpy(), index=eh["number"].to_numpy())
    by_head = pd.Series(heads_known["household_id"].to_numpy(), index=heads_known["id_number"].to_numpy())

    h = households
    matched_head = h["head_id"].map(by_head)
    matched_number = h["household_number"].map(by_number).where(h["household_number"] != "")
    conflict = matched_head.notna() & matched_number.notna() & (matched_head != matched_number)
    number_of = eh["number"]
    errors.add(h["row"][conflict].to_numpy(), H("household_number"),
               [_("户编号 %(number)s 是另一户的；户主所在的家庭户编号为 %(other)s") % {
                   "number": n, "other": number_of.get(o, "")}
                for n, o in zip(h["household_number"][conflict], matched_head[conflict], strict=True)])
    household_id = matched_number.fillna(matched_head)
    path_of = eh["region__path"]
    outside = household_id.notna() & ~household_id.map(path_of).astype(object).fillna("").str.startswith(county.path)
    errors.add(h["row"][outside].to_numpy(), H("head_id"),
               [_("该户已登记在其他县（区）（户编号 %(number)s）") % {"number": number_of.get(i, "")}
                for i in household_id[outside]])
    twice = household_id.notna() & household_id.duplicated(keep="first")
    if twice.any():
        first = h["row"].groupby(household_id).transform("first")
        errors.add(h["row"][twice].to_numpy(), H("head_id"),
                   [_("与第 %(row)s 行户主是本系统中的同一户") % {"row": r} for r in first[twice]])

    # Members: the household of each row, and where the service already has the person.
    row_household = members["head_id"].map(household_id)
    known = members["id_number"].map(em["id"]).notna().to_numpy()
    current_household = members["id_number"].map(em["household_id"])
    elsewhere = known & ~(current_household == row_household).to_numpy() & members["head_id"].isin(h.index).to_numpy()
    moved_in = members["moved_in"].to_numpy() == 1
    other_path = current_household.map(path_of)
    missing_path = other_path.isna() & pd.Series(elsewhere)
    if missing_path.any():  # households of people found only through their ID number
        extra = existing_households(set(current_household[missing_path.to_numpy()].astype(int)), [])
        eh = pd.concat([eh, extra[~extra.index.isin(eh.index)]])
        path_of, number_of = eh["region__path"], eh["number"]
        other_path = current_household.map(path_of)
    other_number = current_household.map(number_of).astype(object).fillna("")
    other_county = ~other_path.astype(object).fillna("").str.startswith(county.path).to_numpy()
    row_numbers = members["row"].to_numpy()
    errors.add_masked(elsewhere & ~moved_in, row_numbers, H("id_number"),
                      lambda i: _("此人已是本系统另一户（户编号 %(number)s）的成员；确属分户迁入本户的，“人户分离”填“是”")
                      % {"number": other_number.iloc[i]})
    errors.add_masked(elsewhere & moved_in & other_county, row_numbers, H("id_number"),
                      lambda i: _("此人属于其他县（区）的家庭（户编号 %(number)s），本县不能迁入") % {
                          "number": other_number.iloc[i]})
    died = members["id_number"].map(em["died_on"])
    left = members["id_number"].map(em["left_on"])
    errors.add_masked(died.notna().to_numpy(), row_numbers, H("id_number"),
                      lambda i: _("本系统记录此人已于 %(date)s 死亡") % {"date": died.iloc[i]})
    errors.add_masked(left.notna().to_numpy() & died.isna().to_numpy(), row_numbers, H("id_number"),
                      lambda i: _("本系统记录此人已于 %(date)s 离户") % {"date": left.iloc[i]})

    # Policy: every community of the file needs a standard in force (to compute the discrepancies).
    region_ids = {int(r) for r in column(h, "region_id") if r >= 0}
    regions, areas = _regions_and_areas(region_ids)
    policy = _policy(regions, areas, as_of)
    first_row_of_region = h.groupby("region_id")["row"].min()
    for region_id in sorted(region_ids):
        region, area = regions[region_id], areas[region_id]
        if isinstance(policy[(region_id, area)], DomainError):
            errors.add([int(first_row_of_region[region_id])], H("region_code"),
                       _("%(name)s 在 %(date)s 没有生效的%(area)s低保标准：请先导入政策文件（load_policy）") % {
                           "name": region.name, "date": as_of, "area": _("城市") if area == "urban" else _("农村")})

    # 低保证号 stated in the file: not another household's.
    stated_certificates = sorted({c for c in h["certificate_number"] if c})
    if stated_certificates:
        taken = {}
        taken.update(lookup(Enrolment.objects.all(), "certificate_number", stated_certificates,
                            ("certificate_number", "household_id")))
        owner = h["certificate_number"].map(taken)
        foreign = owner.notna() & (owner != household_id)
        errors.add(h["row"][foreign].to_numpy(), H("certificate_number"),
                   [_("低保证号 %(number)s 已属于本系统另一户") % {"number": c} for c in h["certificate_number"][foreign]])

    if errors or check.errors:
        return None, errors
    result = _build(check, county=county, as_of=as_of, em=em, eh=eh, household_id=household_id, areas=areas,
                    regions=regions, policy=policy)
    return result, errors


def _objects(values) -> np.ndarray:
    """An object array with None where pandas has a missing value (NA, NaN, NaT)."""
    array = np.asarray(values, dtype=object).copy()
    array[pd.isna(array)] = None
    return array


def _pick(stated: np.ndarray, value, exists: np.ndarray, existing, default) -> np.ndarray:
    """The final value: what the file states, else what is recorded, else the default."""
    return np.where(stated, _objects(value), np.where(exists, _objects(existing), _objects(default)))


def _changed(exists: np.ndarray, final: dict, before: pd.DataFrame, names) -> list[list[str]]:
    """Per row: the fields whose final value differs from the recorded one (existing rows only)."""
    out: list = [None] * len(exists)  # None: nothing changes (most rows); else the changed fields
    if not exists.any():
        return out
    for name in names:
        old = _objects(before[name])
        new = _objects(final[name])
        differs = exists & (new != old).astype(bool)
        for i in np.flatnonzero(differs):
            if out[i] is None:
                out[i] = []
            out[i].append(name)
    return out


def _new_numbers(h: pd.DataFrame, need: np.ndarray, regions: dict[int, Region], taken: set[str]) -> list[str]:
    """户编号 for new households the file gives none: the community's code and a sequence, as
    ``household_save`` numbers a household, skipping numbers in use."""
    counts = defaultdict(int)
    counts.update(Household.objects.filter(region_id__in=list(regions)).order_by().values("region_id")
                  .annotate(n=Count("id")).values_list("region_id", "n"))
    numbers = []
    for region_id, needed in zip(h["region_id"].to_numpy(), need, strict=True):
        if not needed:
            numbers.append("")
            continue
        code = regions[region_id].code
        while True:
            counts[region_id] += 1
            candidate = f"{code}{counts[region_id]:06d}"
            if candidate not in taken:
                break
        taken.add(candidate)
        numbers.append(candidate)
    return numbers


def _taken_numbers(candidates: list[str]) -> set[str]:
    return {row[0] for row in lookup(Household.objects.all(), "number", candidates, ("number",))}


def next_review_on(start: dt.date, months: int, as_of: dt.date) -> dt.date:
    """The first review date from the start month, every ``months``, that is not before ``as_of``: an
    imported enrolment keeps the rhythm it had (urban 6, rural 12 months [R1])."""
    elapsed = (as_of.year - start.year) * 12 + as_of.month - start.month
    steps = max(1, -(-elapsed // months)) if elapsed > 0 else 1
    date = add_months(start, steps * months)
    while date < as_of:
        steps += 1
        date = add_months(start, steps * months)
    return date


def _build(check: FileCheck, *, county: Region, as_of: dt.date, em: pd.DataFrame, eh: pd.DataFrame,
           household_id: pd.Series, areas: dict, regions: dict, policy: dict) -> Plan:
    h = check.households  # the checked frames are extended in place (no copy of 450,000 rows)
    m = check.members
    present = check.present

    # ---- households --------------------------------------------------------------------------------
    h["household_id"] = household_id.astype("Int64")
    exists_h = h["household_id"].notna().to_numpy()
    before_h = eh.reindex(h["household_id"].fillna(-1).astype(int).to_numpy())
    h["area"] = h["region_id"].map(areas)
    final_h = {"region_id": h["region_id"].to_numpy(dtype=object), "area": h["area"].to_numpy(dtype=object)}
    for name in ("address", "phone", "bank_account", "bank_name", "number"):
        source = "household_number" if name == "number" else name
        stated = (h[source] != "").to_numpy() if source in present else np.zeros(len(h), dtype=bool)
        final_h[name] = _pick(stated, h[source], exists_h, before_h[name], "")
    final_h["single_parent"] = _pick(_stated(h["single_parent"]), h["single_parent"] == 1, exists_h,
                                     before_h["single_parent"], False).astype(bool)
    need_number = final_h["number"] == ""
    if need_number.any():
        numbers = _new_numbers(h, need_number, regions, set(h["household_number"]) - {""})
        taken = _taken_numbers([n for n in numbers if n])
        if taken:  # a number another county's household already uses: draw again past it
            numbers = _new_numbers(h, need_number, regions, (set(h["household_number"]) - {""}) | taken)
        final_h["number"] = np.where(need_number, np.asarray(numbers, dtype=object), final_h["number"])
    changed_h = _changed(exists_h, final_h, before_h, HOUSEHOLD_FIELDS)
    for name, values in final_h.items():
        h[f"new_{name}"] = values
        h[f"old_{name}"] = before_h[name].to_numpy(dtype=object)
    h["disaster"] = np.where(exists_h, before_h["disaster"].to_numpy(dtype=object), False).astype(bool)
    h["changed"] = changed_h

    # ---- members -----------------------------------------------------------------------------------
    hh_of_row = m["head_id"].map(h["household_id"])
    m["household_id"] = hh_of_row.astype("Int64")
    m["member_id"] = m["id_number"].map(em["id"]).astype("Int64")
    exists_m = m["member_id"].notna().to_numpy()
    before_m = em.reindex(m["id_number"].to_numpy())
    area_of_row = m["head_id"].map(h["area"]).to_numpy(dtype=object)
    current_household = _objects(before_m["household_id"])
    target = _objects(m["household_id"])
    moving = exists_m & np.array([a != b for a, b in zip(current_household, target, strict=True)])
    final_m = {
        "household_id": target,
        "name": m["name"].to_numpy(dtype=object),
        "sex": m["sex_from_id"].to_numpy(dtype=object),
        "birth_date": _dates(m["birth_key"]),
        "relation": m["relation"].to_numpy(dtype=object),
        "hukou_area": _pick(np.zeros(len(m), dtype=bool), None, exists_m, before_m["hukou_area"], area_of_row),
        "serious_illness": _pick(_stated(m["serious_illness"]), m["serious_illness"] == 1, exists_m,
                                 before_m["serious_illness"], False).astype(bool),
        "three_no": _pick(_stated(m["three_no"]), m["three_no"] == 1, exists_m, before_m["three_no"], False).astype(bool),
        "work_ability": _pick((m["work_ability"] != "").to_numpy(), m["work_ability"], exists_m,
                              before_m["work_ability"], WorkAbility.FULL),
        "previous_household_id": np.where(moving, current_household,
                                          np.where(exists_m, before_m["previous_household_id"].to_numpy(dtype=object),
                                                   None)),
    }
    grade_before = before_m["disability_grade"].fillna(0).to_numpy(dtype=np.int64)
    severe_before = np.isin(grade_before, [1, 2])
    severe = m["severe_disability"].to_numpy()
    grade = m["disability_grade"].to_numpy()
    final_grade = np.where(
        grade >= 0, grade,
        np.where(severe == 1, np.where(exists_m & severe_before, grade_before, cols.DEFAULT_SEVERE_GRADE),
                 np.where(severe == 0, np.where(exists_m & ~severe_before, grade_before, 0),
                          np.where(exists_m, grade_before, 0))))
    final_m["disability_grade"] = final_grade.astype(object)
    university = m["university"].to_numpy()
    student_before = before_m["student_status"].fillna(StudentStatus.NONE).to_numpy(dtype=object)
    final_m["student_status"] = np.where(
        university == 1, StudentStatus.UNIVERSITY,
        np.where(university == 0,
                 np.where(exists_m & (student_before != StudentStatus.UNIVERSITY), student_before, StudentStatus.NONE),
                 np.where(exists_m, student_before, StudentStatus.NONE))).astype(object)
    changed_m = _changed(exists_m, final_m, before_m, MEMBER_FIELDS)
    for name, values in final_m.items():
        m[f"new_{name}"] = values
        if name in MEMBER_FIELDS:
            m[f"old_{name}"] = before_m[name].to_numpy(dtype=object)
    m["changed"] = changed_m
    m["moving"] = moving

    # ---- income ------------------------------------------------------------------------------------
    known_member_ids = [int(i) for i in m["member_id"].dropna()]
    item_names = ("id", "member_id", "household_id", "kind", "monthly_amount", "quantity", "unit", "work_costs")
    item_rows = lookup(IncomeItem.objects.all(), "member_id", known_member_ids, item_names)
    items = _frame(item_rows, item_names)
    cents_by_member = (items.assign(cents=(items["monthly_amount"].astype(object) * 100).map(int))
                       .groupby("member_id")["cents"].sum() if len(items) else pd.Series(dtype="int64"))
    kinds_by_member = items.groupby("member_id")["kind"].agg(lambda k: frozenset(k)) if len(items) else pd.Series(
        dtype=object)
    member_ids = m["member_id"].fillna(-1).astype(int)
    recorded_cents = member_ids.map(cents_by_member).fillna(0).astype(np.int64).to_numpy()
    recorded_kinds = member_ids.map(kinds_by_member)
    file_cents = m["income_cents"].to_numpy()
    file_kind = m["income_kind"].to_numpy(dtype=object)
    same_kind = np.array([
        kind == "" or (isinstance(kinds, frozenset) and kinds <= {kind}) or (not isinstance(kinds, frozenset))
        for kind, kinds in zip(file_kind, recorded_kinds, strict=True)])
    has_items = recorded_kinds.notna().to_numpy()
    income_same = exists_m & (recorded_cents == file_cents) & (same_kind | (file_cents == 0))
    m["income_rewritten"] = ~income_same & ((file_cents > 0) | has_items)
    m["income_kind_final"] = np.where(file_kind == "", cols.DEFAULT_INCOME_KIND, file_kind).astype(object)
    rewritten_ids = set(m["member_id"][m["income_rewritten"].to_numpy() & exists_m].astype(int))
    incomes_deleted = items[items["member_id"].isin(rewritten_ids)] if len(items) else items
    new_income = m["income_rewritten"].to_numpy() & (file_cents > 0) | (~exists_m & (file_cents > 0))
    incomes_new = pd.DataFrame({"position": np.flatnonzero(new_income)})
    moved_ids = set(m["member_id"][moving].astype(int))
    incomes_moved = (items[items["member_id"].isin(moved_ids) & ~items["member_id"].isin(rewritten_ids)]
                     if len(items) else items)
    m["income_rewritten"] = m["income_rewritten"] | (~exists_m & (file_cents > 0))
    # The member's income items after the import, for the rules.
    kept: dict[int, list] = defaultdict(list)
    for item in tuples(items):
        if item.member_id not in rewritten_ids:
            kept[item.member_id].append(item)
    m["kept_items"] = [kept.get(i) for i in column(member_ids)]

    # ---- enrolments --------------------------------------------------------------------------------
    known_households = [int(i) for i in h["household_id"].dropna()]
    enrolment_names = ("id", "household_id", "area", "category", "monthly_amount", "persons", "start_date",
                       "certificate_number", "status", "next_review_on", "priced_on")
    enrolment_rows = lookup(Enrolment.objects.exclude(status=EnrolmentStatus.ENDED), "household_id", known_households,
                            enrolment_names)
    ee = _frame(enrolment_rows, enrolment_names).set_index("household_id", drop=False)
    before_e = ee.reindex(h["household_id"].fillna(-1).astype(int).to_numpy())
    exists_e = before_e["id"].notna().to_numpy()
    amounts = [cents_to_yuan(c) for c in h["amount_cents"]]
    final_e = {
        "area": h["area"].to_numpy(dtype=object),
        "category": h["category"].to_numpy(dtype=object),
        "monthly_amount": np.array(amounts, dtype=object),
        "persons": h["persons"].to_numpy(dtype=object),
        # The file gives a month: a recorded start date inside that month stays as it is.
        "start_date": np.array([
            recorded if isinstance(recorded, dt.date) and recorded.replace(day=1) == month else month
            for month, recorded in zip(column(h, "start_month"), column(before_e, "start_date"), strict=True)],
            dtype=object),
        "certificate_number": _pick((h["certificate_number"] != "").to_numpy(), h["certificate_number"], exists_e,
                                    before_e["certificate_number"], ""),
    }
    prefix = np.where(h["area"].to_numpy(dtype=object) == "urban", "城", "农")
    generated = [f"{p}保{county.code}-{n}" for p, n in zip(prefix, final_h["number"], strict=True)]
    final_e["certificate_number"] = np.where(final_e["certificate_number"] == "", np.asarray(generated, dtype=object),
                                             final_e["certificate_number"])
    final_e["certificate_number"] = _unique_certificates(final_e["certificate_number"], exists_e,
                                                         before_e["certificate_number"].to_numpy(dtype=object))
    changed_e = _changed(exists_e, final_e, before_e, ENROLMENT_FIELDS)
    e = pd.DataFrame(index=h.index)
    e["enrolment_id"] = before_e["id"].astype("Int64").to_numpy()
    for name, values in final_e.items():
        e[f"new_{name}"] = values
    e["changed"] = changed_e
    e["status"] = before_e["status"].fillna(EnrolmentStatus.ACTIVE).to_numpy()
    e["before"] = [before_e.iloc[i][list(ENROLMENT_FIELDS)].to_dict() if changed_e[i] else None
                   for i in range(len(h))]
    params_months = {}
    reviews = []
    for region_id, area, start in zip(column(h, "region_id"), column(h, "area"), column(h, "start_month"),
                                      strict=True):
        key = (region_id, area)
        if key not in params_months:
            params = policy[key][1]
            params_months[key] = (params.review_interval_months_urban if area == "urban"
                                  else params.review_interval_months_rural)
        reviews.append(next_review_on(start, params_months[key], as_of))
    e["new_next_review_on"] = np.where(exists_e, before_e["next_review_on"].to_numpy(dtype=object),
                                       np.asarray(reviews, dtype=object))

    # ---- what each household's import does ---------------------------------------------------------
    member_touched = pd.Series([bool(c) for c in changed_m], index=m.index) | ~pd.Series(exists_m) | pd.Series(
        m["income_rewritten"].to_numpy())
    touched_households = set(m["head_id"][member_touched.to_numpy()])
    status = np.where(~exists_h, "created",
                      np.where(np.array([bool(c) for c in changed_h]) | np.array([bool(c) for c in changed_e])
                               | ~exists_e | h.index.isin(touched_households), "updated", "unchanged"))
    h["status"] = status
    moved_from = {int(x) for x in current_household[moving]}
    return Plan(households=h, members=m, incomes_new=incomes_new, incomes_deleted=incomes_deleted,
                incomes_moved=incomes_moved, enrolments=e, policy=policy, regions=regions,
                moved_households=moved_from)


@lru_cache(maxsize=65536)
def _yuan(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def cents_to_yuan(cents) -> Decimal:
    """Integer fen → yuan (Decimal, two places); amounts repeat, so each is built once."""
    return _yuan(int(cents))


def _dates(keys: pd.Series) -> np.ndarray:
    """yyyymmdd integers → dates, each distinct one built once."""
    codes, uniques = pd.factorize(keys)
    dates = np.array([dt.date(k // 10000, k // 100 % 100, k % 100) for k in uniques.tolist()], dtype=object)
    return dates[codes]


def _unique_certificates(numbers: np.ndarray, exists: np.ndarray, recorded: np.ndarray) -> np.ndarray:
    """A generated 低保证号 that an ended enrolment already holds gets a suffix (-2, -3 …)."""
    candidates = [n for n, e, r in zip(numbers, exists, recorded, strict=True) if not (e and n == r)]
    taken = {row[0] for row in lookup(Enrolment.objects.all(), "certificate_number", candidates,
                                      ("certificate_number",))}
    if not taken:
        return numbers
    out = numbers.copy()
    for i, number in enumerate(numbers):
        if number in taken and not (exists[i] and number == recorded[i]):
            suffix = 2
            while f"{number}-{suffix}" in taken:
                suffix += 1
            out[i] = f"{number}-{suffix}"[:30]
            taken.add(out[i])
    return out


__all__ = ["Plan", "existing_households", "existing_members", "mask_id_number", "next_review_on", "plan"]
