"""Matching department rows to household members and finding contradictions (pandas).

The members' ID number → household map is read once per file (one query, streamed); file rows
are merged with it in chunks, so a 1,000,000-row file against 200,000 households stays small in
memory. Each source has a checker that turns matched rows into :class:`Finding` objects — what
the services write as flags and reviews. Pure reads: nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db.models import Count, Sum

from benefits.checks.models import FlagKind
from benefits.models import Asset, AssetKind, EnrolmentStatus, IncomeItem, IncomeKind, Member, ReviewKind
from reemployment.core.models import Region
from reemployment.policy.parameters import PolicyParameters

MERGE_CHUNK_ROWS = 200_000
CURRENT_ENROLMENT = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED, EnrolmentStatus.TRANSITIONAL)


@dataclass(frozen=True)
class Finding:
    household_id: int
    member_id: int | None
    kind: str
    fingerprint: str
    details: dict = field(default_factory=dict)
    review_kind: str = ReviewKind.DATA_FLAG
    reason: str = ""


@dataclass(frozen=True)
class CheckContext:
    region: Region
    params: PolicyParameters
    as_of: dt.date
    members: pd.DataFrame | None = None  # the member map the rows were matched with


def member_map(region: Region, *, enrolled_only: bool = True) -> pd.DataFrame:
    """id_number → member_id, household_id (+ died_on, left_on) for members in the region.

    ``enrolled_only`` limits it to households on the dibao roster (a current enrolment): the
    households a contradiction can concern.
    """
    queryset = Member.objects.filter(household__region__path__startswith=region.path)
    if enrolled_only:
        queryset = queryset.filter(household__enrolments__status__in=CURRENT_ENROLMENT)
    rows = queryset.values_list("id_number", "id", "household_id", "died_on", "left_on").iterator(chunk_size=50_000)
    frame = pd.DataFrame.from_records(rows, columns=["id_number", "member_id", "household_id", "died_on", "left_on"])
    if frame.empty:
        frame = pd.DataFrame({"id_number": pd.Series(dtype=str), "member_id": pd.Series(dtype="int64"),
                              "household_id": pd.Series(dtype="int64"), "died_on": pd.Series(dtype=object),
                              "left_on": pd.Series(dtype=object)})
    return frame


def match(rows: pd.DataFrame, members: pd.DataFrame, *, chunk_rows: int = MERGE_CHUNK_ROWS,
          progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Inner-join file rows to members by ID number, ``chunk_rows`` file rows at a time."""
    keyed = members.set_index("id_number")
    parts = []
    total = max(len(rows), 1)
    for start in range(0, len(rows), chunk_rows):
        chunk = rows.iloc[start:start + chunk_rows]
        parts.append(chunk.join(keyed, on="id_number", how="inner"))
        if progress:
            progress(min(1.0, (start + chunk_rows) / total))
    if not parts:
        return rows.iloc[0:0].join(keyed, on="id_number", how="inner")
    return pd.concat(parts, ignore_index=True)


def _yuan(cents: int) -> str:
    return str((Decimal(int(cents)) / 100).quantize(Decimal("0.01")))


def _cents(amount: Decimal | None) -> int:
    return int((amount or Decimal(0)) * 100)


def _declared_income_cents(ctx: CheckContext, member_ids, kind: str) -> pd.Series:
    """Declared monthly income of ``kind`` per member: one grouped query over the region."""
    totals = (IncomeItem.objects.filter(household__region__path__startswith=ctx.region.path, kind=kind).order_by()
              .values_list("member_id").annotate(total=Sum("monthly_amount")))
    declared = pd.Series({member_id: _cents(total) for member_id, total in totals.iterator(chunk_size=50_000)},
                         dtype="int64")
    return declared.reindex(member_ids).fillna(0).astype("int64")


def _current_persons(ctx: CheckContext, household_ids) -> pd.Series:
    """Living, not moved-out members per household, from the member map (no query)."""
    members = ctx.members if ctx.members is not None else member_map(ctx.region)
    current = members[members["died_on"].isna() & members["left_on"].isna()]
    return current.groupby("household_id").size().reindex(household_ids).fillna(0).astype("int64")


def _iso(value) -> str:
    return value.date().isoformat() if hasattr(value, "date") and not pd.isna(value) else ""


def check_death(matched: pd.DataFrame, ctx: CheckContext) -> list[Finding]:
    fresh = matched[matched["died_on"].isna()].drop_duplicates("member_id")
    return [
        Finding(int(r.household_id), int(r.member_id), FlagKind.DEATH, f"m{r.member_id}",
                {"died_on": _iso(r.died_on_file), "name": r.name, "note": getattr(r, "note", "")},
                ReviewKind.DEATH, f"公安死亡数据：成员于 {_iso(r.died_on_file)} 死亡（待核实确认）")
        for r in fresh.itertuples()
    ]


def check_hukou_move(matched: pd.DataFrame, ctx: CheckContext) -> list[Finding]:
    fresh = matched[matched["left_on"].isna()].drop_duplicates("member_id")
    return [
        Finding(int(r.household_id), int(r.member_id), FlagKind.HUKOU_MOVE, f"m{r.member_id}",
                {"moved_on": _iso(r.moved_on), "destination": getattr(r, "destination", ""), "name": r.name},
                ReviewKind.DATA_FLAG, f"户籍迁出：{_iso(r.moved_on)} 迁往 {getattr(r, 'destination', '')}".strip())
        for r in fresh.itertuples()
    ]


def _income_check(matched, ctx, *, amount_field: str, income_kind: str, flag_kind: str, label: str,
                  extra: str | None) -> list[Finding]:
    if matched.empty:
        return []
    grouped = matched.groupby("member_id", sort=False)
    per_member = pd.DataFrame({"household_id": grouped["household_id"].first(),
                               "reported": grouped[amount_field].sum().astype("int64")})
    per_member["declared"] = _declared_income_cents(ctx, per_member.index, income_kind).to_numpy()
    over = per_member[per_member["reported"] > per_member["declared"]]
    if over.empty:
        return []
    # Details only for the members found over what they declared (a few, not every matched row).
    rows = matched[matched["member_id"].isin(over.index)]
    names = rows.groupby("member_id")["name"].first()
    detail = (rows.groupby("member_id")[extra].agg(lambda s: "、".join(sorted({v for v in s if v}))[:200])
              if extra else None)
    findings = []
    for member_id, r in over.iterrows():
        details = {"reported_monthly": _yuan(r.reported), "declared_monthly": _yuan(r.declared),
                   "name": names.get(member_id, "")}
        if extra:
            details[extra] = detail.get(member_id, "")
        findings.append(Finding(int(r.household_id), int(member_id), flag_kind, f"m{member_id}", details,
                                ReviewKind.DATA_FLAG,
                                f"{label}月 {_yuan(r.reported)} 元，高于申报 {_yuan(r.declared)} 元"))
    return findings


def check_employment(matched, ctx):
    return _income_check(matched, ctx, amount_field="monthly_wage_cents", income_kind=IncomeKind.WAGES,
                         flag_kind=FlagKind.EMPLOYMENT, label="社保参保工资", extra="employer"
                         if "employer" in matched else None)


def check_pension(matched, ctx):
    return _income_check(matched, ctx, amount_field="monthly_pension_cents", income_kind=IncomeKind.PENSION,
                         flag_kind=FlagKind.PENSION, label="养老金", extra=None)


def _count_check(matched, ctx, *, key: str, limit: int | None, flag_kind: str, label: str,
                 asset_kind: str) -> list[Finding]:
    if limit is None or matched.empty:
        return []
    per_household = matched.groupby("household_id")[key].agg(lambda s: sorted(set(s)))
    counts = per_household.map(len)
    over = per_household[counts > limit]
    if over.empty:
        return []
    declared = dict(Asset.objects.filter(household_id__in=list(over.index), kind=asset_kind)
                    .values_list("household_id").annotate(n=Count("id")))
    return [
        Finding(int(household_id), None, flag_kind, "h", {"count": len(items), "limit": limit, key: items[:20],
                                                          "declared": declared.get(household_id, 0)},
                ReviewKind.DATA_FLAG, f"{label} {len(items)} 处/辆，超过限制 {limit}")
        for household_id, items in over.items()
    ]


def check_property(matched, ctx):
    return _count_check(matched, ctx, key="certificate", limit=ctx.params.max_properties,
                        flag_kind=FlagKind.PROPERTY, label="登记房产", asset_kind=AssetKind.PROPERTY)


def check_vehicle(matched, ctx):
    return _count_check(matched, ctx, key="plate", limit=ctx.params.max_vehicles,
                        flag_kind=FlagKind.VEHICLE, label="登记机动车", asset_kind=AssetKind.VEHICLE)


def check_deposit(matched, ctx):
    limit = ctx.params.deposit_limit_per_capita
    if limit is None or matched.empty:
        return []
    totals = matched.groupby("household_id")["balance_cents"].sum().astype("int64")
    persons = _current_persons(ctx, totals.index).clip(lower=1)
    limit_cents = persons * _cents(limit)
    over = totals[totals > limit_cents]
    if over.empty:
        return []
    declared = {row["household_id"]: _cents(row["total"]) for row in
                Asset.objects.filter(household_id__in=list(over.index), kind=AssetKind.DEPOSIT)
                .values("household_id").annotate(total=Sum("value"))}
    return [
        Finding(int(household_id), None, FlagKind.DEPOSIT, "h",
                {"total": _yuan(total), "persons": int(persons[household_id]), "limit_per_capita": str(limit),
                 "declared": _yuan(declared.get(household_id, 0))},
                ReviewKind.DATA_FLAG,
                f"存款合计 {_yuan(total)} 元，超过人均限额 {limit} 元 × {int(persons[household_id])} 人")
        for household_id, total in over.items()
    ]


def check_business(matched, ctx):
    findings = []
    for r in matched.drop_duplicates(["member_id", "business_name"]).itertuples():
        code = getattr(r, "credit_code", "") or r.business_name
        findings.append(Finding(int(r.household_id), int(r.member_id), FlagKind.BUSINESS,
                                f"m{r.member_id}:{code}"[:64],
                                {"business_name": r.business_name, "credit_code": getattr(r, "credit_code", ""),
                                 "name": r.name}, ReviewKind.DATA_FLAG, f"成员登记有企业/个体户：{r.business_name}"))
    return findings


CHECKERS: dict[str, Callable[[pd.DataFrame, CheckContext], list[Finding]]] = {
    "death": check_death,
    "hukou_move": check_hukou_move,
    "employment": check_employment,
    "pension": check_pension,
    "property": check_property,
    "vehicle": check_vehicle,
    "deposit": check_deposit,
    "business": check_business,
}


def prepare_rows(frame: pd.DataFrame, source_key: str) -> pd.DataFrame:
    """Column renames that keep file facts apart from member facts after the merge."""
    if "name" not in frame:
        frame = frame.assign(name="")
    if source_key == "death":
        frame = frame.rename(columns={"died_on": "died_on_file"})
    return frame

