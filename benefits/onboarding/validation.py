"""Checking a caseload file row by row, vectorised: every error of every row, nothing written.

:func:`check_file` takes the DataFrame of strings that the shared reader
(``reemployment.core.tables.read_table``) made of the upload and returns the normalised members and
households and the error report. Row numbers are those a spreadsheet shows (the header is row 1);
the column is the header as the file names it. Checks that need the database (a person already in
another household, a household of another county, the policy in force) are in ``matching``.

Work is per column with pandas/numpy (ID numbers as a byte matrix, ``benefits.checks.parsing``),
and per distinct value where a value must be parsed (amounts, months): 450,000 rows in seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from benefits.checks.parsing import parse_amount_cents, valid_id_numbers
from benefits.models import MAX_MONTHLY_INCOME, Relation
from benefits.onboarding import columns as cols
from reemployment.idcard import InvalidIdNumber, mask_id_number, parse_id_number

MAX_INCOME_CENTS = int(MAX_MONTHLY_INCOME * 100)
TEXT_LIMITS = {"name": 50, "bank_name": 50, "bank_account": 32, "phone": 20, "household_number": 20,
               "certificate_number": 30, "address": 200}
UNSTATED = -1  # a yes/no or grade cell left empty (or the column absent): keep what is recorded
_INVISIBLE = re.compile(r"[\ufeff\u200b\u3000\s]+")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")  # what the formula-safe export put before a value


class Errors:
    """The error report: ``{"row", "column", "message"}`` entries, sorted by row then by column."""

    def __init__(self):
        self._parts: list[tuple[np.ndarray, str, object]] = []

    def add(self, rows: Iterable[int], column: str, message) -> None:
        """``message``: one text for every row, or one text per row (same length as ``rows``)."""
        rows = np.asarray(list(rows) if not isinstance(rows, np.ndarray) else rows, dtype=np.int64)
        if len(rows):
            self._parts.append((rows, column, message))

    def add_masked(self, mask: np.ndarray, row_numbers: np.ndarray, column: str, message) -> None:
        """Errors on the rows where ``mask`` holds. ``message``: a text, a Series of texts (one per row),
        or a callable giving the text of row position ``i`` (called only for the rows in error)."""
        if mask.any():
            positions = np.flatnonzero(mask)
            if callable(message):
                message = [message(int(i)) for i in positions]
            elif isinstance(message, (pd.Series, np.ndarray, list)):
                message = list(np.asarray(message, dtype=object)[positions])
            self.add(row_numbers[positions], column, message)

    def __len__(self) -> int:
        return sum(len(rows) for rows, _column, _message in self._parts)

    def __bool__(self) -> bool:
        return bool(self._parts)

    def extend(self, other: Errors) -> None:
        self._parts.extend(other._parts)

    def as_list(self) -> list[dict]:
        order = {column.header: position for position, column in enumerate(cols.COLUMNS)}
        entries = []
        for rows, column, message in self._parts:
            texts = message if isinstance(message, list) else [message] * len(rows)
            entries.extend({"row": int(row), "column": column, "message": str(text)}
                           for row, text in zip(rows.tolist(), texts, strict=True))
        entries.sort(key=lambda e: (e["row"], order.get(e["column"], len(order)), e["column"], e["message"]))
        return entries


@dataclass
class FileCheck:
    """What :func:`check_file` found: normalised rows, households, the errors, the columns present."""

    members: pd.DataFrame
    households: pd.DataFrame
    errors: Errors
    present: set[str] = field(default_factory=set)
    rows: int = 0


def _clean_header(text: object) -> str:
    return _INVISIBLE.sub("", str(text))


def _by_unique(series: pd.Series, parse) -> pd.Series:
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    parsed = pd.Series([parse(value) for value in uniques], dtype=object)
    out = parsed.take(codes)
    out.index = series.index
    return out


def id_number_reason(value: str) -> str:
    """Why an ID number is invalid, in the request's language (the reasons of ``reemployment.idcard``;
    a wrong check character is "校验位不符")."""
    try:
        parse_id_number(value)
    except InvalidIdNumber as exc:
        if exc.message == "校验位应为%(check)s":
            return _("校验位不符")
        return _(exc.message) % exc.values
    return ""


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_month(text: str) -> dt.date | None:
    """2019-03, 2019/3, 2019.03, 201903, 2019年3月, or a whole date (an XLSX cell) → the month's first day."""
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12 and year >= 1:
                return dt.date(year, month, 1)
            return None
    return None


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+00:00(?::00)?)?$|^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text)
    if not match:
        return None
    parts = [p for p in match.groups() if p is not None]
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _signed_cents(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Yuan text → (cents, negative mask, unreadable mask). Thousands separators and 元 are accepted."""
    negative_text = values.str.startswith("-")
    cents = parse_amount_cents(values.where(~negative_text, values.str.slice(1)))
    unreadable = cents.isna().to_numpy(dtype=bool)
    negative = negative_text.to_numpy(dtype=bool) & ~unreadable & (cents.fillna(0).to_numpy() > 0)
    return cents.fillna(0).astype("int64"), negative, unreadable


def _yuan(cents: int) -> str:
    return f"{int(cents) // 100}.{int(cents) % 100:02d}"


def _map(values: pd.Series, mapping: dict, *, lower: bool = False) -> pd.Series:
    key = values.str.lower() if lower else values
    return key.map(mapping)


def check_file(frame: pd.DataFrame, *, communities: dict[str, int], as_of: dt.date) -> FileCheck:
    """Check every row of a caseload file (see the module docstring).

    ``communities`` maps the 12-digit code of each community or village of the county to its region id;
    ``as_of`` is the import's date (start months after its month and people born after it are refused).
    """
    errors = Errors()
    header_row = int(frame.attrs.get("header_row", 1))
    rename: dict[str, str] = {}
    for original in frame.columns:
        name = _clean_header(original)
        column = cols.BY_HEADER.get(name)
        if column is None:
            errors.add([header_row], str(original), _("不是模板中的列（列名须与模板一致）"))
        elif column.field in rename.values():
            errors.add([header_row], name, _("列重复"))
        else:
            rename[original] = column.field
    present = set(rename.values())
    for column in cols.REQUIRED:
        if column.field not in present:
            errors.add([header_row], column.header, _("缺少必填列"))
    if errors:  # rows cannot be read meaningfully without the right header
        return FileCheck(members=pd.DataFrame(), households=pd.DataFrame(), errors=errors, present=present,
                         rows=len(frame))

    data = frame[list(rename)].rename(columns=rename).reset_index(drop=True)
    for name in data.columns:  # a value the formula-safe export protected comes back as written
        if data[name].str.startswith("'").any():
            data[name] = data[name].str.replace(_FORMULA_GUARD, "", regex=True)
    n = len(data)
    row_numbers = frame.index.to_numpy(dtype=np.int64) + 2
    out = pd.DataFrame({"row": row_numbers})
    H = cols.header

    def text(name: str) -> pd.Series:
        return data[name] if name in data else pd.Series([""] * n, dtype=str)

    def blank(name: str) -> np.ndarray:
        return (text(name) == "").to_numpy(dtype=bool)

    # --- ID numbers -------------------------------------------------------------------------------
    ids = text("id_number").str.upper()
    head_ids = text("head_id").str.upper()
    id_ok = valid_id_numbers(ids)
    head_ok = valid_id_numbers(head_ids)
    errors.add_masked(blank("id_number"), row_numbers, H("id_number"), _("不能为空"))
    bad_id = ~id_ok & ~blank("id_number")
    if bad_id.any():
        errors.add_masked(bad_id, row_numbers, H("id_number"), _by_unique(ids, id_number_reason))
    errors.add_masked(blank("head_id"), row_numbers, H("head_id"), _("不能为空"))
    bad_head = ~head_ok & ~blank("head_id") & (head_ids != ids).to_numpy(dtype=bool)
    if bad_head.any():
        errors.add_masked(bad_head, row_numbers, H("head_id"), _by_unique(head_ids, id_number_reason))
    birth_key = np.where(id_ok, pd.to_numeric(ids.str.slice(6, 14), errors="coerce").fillna(0), 0).astype(np.int64)
    head_birth_key = np.where(head_ok, pd.to_numeric(head_ids.str.slice(6, 14), errors="coerce").fillna(0),
                              0).astype(np.int64)
    today_key = as_of.year * 10000 + as_of.month * 100 + as_of.day
    errors.add_masked(id_ok & (birth_key > today_key), row_numbers, H("id_number"), _("出生日期在今天之后"))
    # The same person twice: every row after the first names the first.
    duplicated = ids.duplicated(keep="first").to_numpy(dtype=bool) & id_ok
    if duplicated.any():
        first_row = pd.Series(row_numbers).groupby(ids.to_numpy()).transform("first").to_numpy()
        errors.add_masked(duplicated, row_numbers, H("id_number"),
                          lambda i: _("与第 %(row)s 行重复") % {"row": first_row[i]})
    out["id_number"] = ids
    out["head_id"] = head_ids
    out["birth_key"] = birth_key
    out["head_birth_key"] = head_birth_key
    out["sex_from_id"] = np.where(
        id_ok, np.where(pd.to_numeric(ids.str.slice(16, 17), errors="coerce").fillna(0).astype(int) % 2 == 1, "M", "F"),
        "")

    # --- name, relation ---------------------------------------------------------------------------
    errors.add_masked(blank("name"), row_numbers, H("name"), _("不能为空"))
    out["name"] = text("name")
    relation = _map(text("relation"), cols.RELATIONS)
    errors.add_masked(blank("relation"), row_numbers, H("relation"), _("不能为空"))
    errors.add_masked(relation.isna().to_numpy(dtype=bool) & ~blank("relation"), row_numbers, H("relation"),
                      _("应为 户主、配偶、子女、父母、兄弟姐妹、孙子女、祖父母 或 其他"))
    relation = relation.fillna("").astype(str)
    is_head_relation = (relation == Relation.HEAD).to_numpy(dtype=bool)
    same_as_head = (ids == head_ids).to_numpy(dtype=bool) & id_ok
    errors.add_masked(is_head_relation & ~same_as_head & id_ok & head_ok, row_numbers, H("relation"),
                      _("户主行的身份证号应与户主身份证号相同"))
    errors.add_masked(~is_head_relation & same_as_head & (relation != "").to_numpy(dtype=bool), row_numbers,
                      H("relation"), _("本人即户主（身份证号与户主身份证号相同），与户主关系应为“户主”"))
    is_head = is_head_relation & same_as_head & ~duplicated
    out["relation"] = relation
    out["is_head"] = is_head

    # A household is the rows sharing a head ID number; it needs the head's own row.
    has_head = pd.Series(is_head).groupby(head_ids.to_numpy()).transform("any").to_numpy(dtype=bool)
    first_of_group = ~head_ids.duplicated(keep="first").to_numpy(dtype=bool)
    headless = ~has_head & first_of_group & head_ok
    if headless.any():
        errors.add_masked(headless, row_numbers, H("head_id"),
                          lambda i: _("没有户主本人的行（身份证号为 %(id)s、与户主关系为“户主”的行）") % {
                              "id": mask_id_number(head_ids.iloc[i])})
    # Positions of each row's head row (-1 without one), to compare household values and ages.
    head_position = pd.Series(np.arange(n))[is_head]
    head_position.index = head_ids[is_head].to_numpy()
    head_of_row = head_ids.map(head_position).fillna(-1).astype(np.int64).to_numpy()
    out["head_position"] = head_of_row
    has_head_row = head_of_row >= 0

    # Relation impossible for the ages (from the ID numbers' birth dates).
    ages_known = id_ok & head_ok & ~is_head

    def years_after(key: np.ndarray, years: int) -> np.ndarray:
        return key + years * 10000

    gap = cols.GENERATION_GAP_YEARS
    checks = (
        (Relation.CHILD, birth_key < years_after(head_birth_key, gap),
         _("子女应比户主至少小 %(years)s 岁：请核对身份证号或与户主关系（可填“其他”）") % {"years": gap}),
        (Relation.GRANDCHILD, birth_key < years_after(head_birth_key, 2 * gap),
         _("孙子女应比户主至少小 %(years)s 岁：请核对身份证号或与户主关系（可填“其他”）") % {"years": 2 * gap}),
        (Relation.PARENT, birth_key > years_after(head_birth_key, -gap),
         _("父母应比户主至少大 %(years)s 岁：请核对身份证号或与户主关系（可填“其他”）") % {"years": gap}),
        (Relation.GRANDPARENT, birth_key > years_after(head_birth_key, -2 * gap),
         _("祖父母应比户主至少大 %(years)s 岁：请核对身份证号或与户主关系（可填“其他”）") % {"years": 2 * gap}),
        (Relation.SPOUSE, birth_key > years_after(np.full(n, today_key), -cols.MIN_SPOUSE_AGE),
         _("配偶未满 %(years)s 岁：请核对身份证号或与户主关系") % {"years": cols.MIN_SPOUSE_AGE}),
    )
    for code, impossible, message in checks:
        errors.add_masked(ages_known & (relation == code).to_numpy(dtype=bool) & impossible, row_numbers,
                          H("relation"), message)

    # --- community or village ---------------------------------------------------------------------
    codes = text("region_code")
    region_id = codes.map(communities)
    errors.add_masked(blank("region_code"), row_numbers, H("region_code"), _("不能为空"))
    errors.add_masked(region_id.isna().to_numpy(dtype=bool) & ~blank("region_code"), row_numbers,
                      H("region_code"), _("不是本县（区）的社区或村代码"))
    out["region_id"] = region_id.fillna(-1).astype(np.int64)

    # --- member values ----------------------------------------------------------------------------
    income_cents, negative, unreadable = _signed_cents(text("income"))
    errors.add_masked(blank("income"), row_numbers, H("income"), _("不能为空（没有收入填 0）"))
    errors.add_masked(negative, row_numbers, H("income"), _("不能为负数"))
    errors.add_masked(unreadable & ~blank("income"), row_numbers, H("income"), _("不是金额（元，最多两位小数）"))
    errors.add_masked((income_cents > MAX_INCOME_CENTS).to_numpy(dtype=bool), row_numbers, H("income"),
                      _("金额不合理：超过每月 %(limit)s 元") % {"limit": MAX_MONTHLY_INCOME})
    out["income_cents"] = income_cents.to_numpy()

    def choice(name: str, mapping: dict, message: str, *, lower: bool = False) -> pd.Series:
        if name not in data:
            return pd.Series([""] * n, dtype=object)
        mapped = _map(text(name), mapping, lower=lower)
        errors.add_masked(mapped.isna().to_numpy(dtype=bool) & ~blank(name), row_numbers, H(name), message)
        return mapped.fillna("").astype(object)

    out["income_kind"] = choice("income_kind", cols.INCOME_KINDS,
                                _("应为 工资性收入、经营性收入、养老金/退休金、农业收入、赡养/抚养/扶养费、转移性收入 或 其他收入"))
    out["work_ability"] = choice("work_ability", cols.WORK_ABILITIES,
                                 _("应为 有劳动能力、部分丧失劳动能力 或 无劳动能力"))

    def yes_no(name: str) -> np.ndarray:
        if name not in data:
            return np.full(n, UNSTATED, dtype=np.int8)
        lowered = text(name).str.lower()
        yes = lowered.isin(cols.YES).to_numpy(dtype=bool)
        no = lowered.isin(cols.NO).to_numpy(dtype=bool)
        errors.add_masked(~yes & ~no & ~blank(name), row_numbers, H(name), _("应为“是”或“否”"))
        return np.where(yes, 1, np.where(no, 0, UNSTATED)).astype(np.int8)

    for name in ("serious_illness", "severe_disability", "university", "three_no", "moved_in", "single_parent"):
        out[name] = yes_no(name)
    grade = np.full(n, UNSTATED, dtype=np.int8)
    if "disability_grade" in data:
        grade_text = text("disability_grade").str.replace(r"级$", "", regex=True)
        ok = grade_text.str.fullmatch(r"[0-4]").to_numpy(dtype=bool)
        errors.add_masked(~ok & ~blank("disability_grade"), row_numbers, H("disability_grade"),
                          _("应为 0 到 4 的整数"))
        grade = np.where(ok, pd.to_numeric(grade_text.where(ok, "0")), UNSTATED).astype(np.int8)
        severe = out["severe_disability"].to_numpy()
        disagree = ((severe == 1) & (grade >= 0) & ~np.isin(grade, [1, 2])) | ((severe == 0) & np.isin(grade, [1, 2]))
        errors.add_masked(disagree, row_numbers, H("disability_grade"), _("与“重残”不一致：重残为一、二级残疾"))
    out["disability_grade"] = grade

    if "sex" in data:
        sex = _map(text("sex"), cols.SEXES, lower=True)
        errors.add_masked(sex.isna().to_numpy(dtype=bool) & ~blank("sex"), row_numbers, H("sex"), _("应为“男”或“女”"))
        wrong = sex.notna().to_numpy(dtype=bool) & id_ok & (sex.fillna("") != out["sex_from_id"]).to_numpy(dtype=bool)
        errors.add_masked(wrong, row_numbers, H("sex"),
                          lambda i: _("与身份证号不一致（身份证号为%(sex)s性）") % {
                              "sex": cols.SEX_LABELS.get(out["sex_from_id"].iloc[i], "")})
    if "birth_date" in data:
        stated = _by_unique(text("birth_date"), parse_date)
        unreadable_date = stated.isna().to_numpy(dtype=bool) & ~blank("birth_date")
        errors.add_masked(unreadable_date, row_numbers, H("birth_date"), _("应为日期，如 1980-01-31"))
        stated_key = np.array([d.year * 10000 + d.month * 100 + d.day if d else 0 for d in stated], dtype=np.int64)
        wrong = (stated_key > 0) & id_ok & (stated_key != birth_key)
        errors.add_masked(wrong, row_numbers, H("birth_date"),
                          lambda i: _("与身份证号不一致（身份证号为 %(date)s）") % {
                              "date": f"{birth_key[i] // 10000}-{birth_key[i] // 100 % 100:02d}-{birth_key[i] % 100:02d}"})

    for name, limit in TEXT_LIMITS.items():
        if name in data:
            errors.add_masked((text(name).str.len() > limit).to_numpy(dtype=bool), row_numbers, H(name),
                              _("超过 %(limit)s 个字符") % {"limit": limit})
            out[name] = text(name).str.slice(0, limit)
        else:
            out[name] = ""

    # --- household values, from the head's row ----------------------------------------------------
    head_rows = is_head
    for name in ("category", "amount", "start_month"):
        errors.add_masked(head_rows & blank(name), row_numbers, H(name), _("户主行不能为空"))
    category = _map(text("category").str.upper(), cols.CATEGORIES)
    errors.add_masked(head_rows & category.isna().to_numpy(dtype=bool) & ~blank("category"), row_numbers,
                      H("category"), _("应为 A、B 或 C"))
    out["category"] = category.fillna("").astype(object)
    amount_cents, negative, unreadable = _signed_cents(text("amount"))
    errors.add_masked(head_rows & negative, row_numbers, H("amount"), _("不能为负数"))
    errors.add_masked(head_rows & unreadable & ~blank("amount"), row_numbers, H("amount"),
                      _("不是金额（元，最多两位小数）"))
    persons = pd.Series(np.ones(n, dtype=np.int64)).groupby(head_ids.to_numpy()).transform("sum").to_numpy()
    absurd = head_rows & (amount_cents.to_numpy() > persons * cols.MAX_AMOUNT_PER_PERSON_CENTS)
    errors.add_masked(absurd, row_numbers, H("amount"),
                      lambda i: _("金额不合理：%(persons)s 人每月 %(amount)s 元，超过每人每月 %(limit)s 元") % {
                          "persons": persons[i], "amount": _yuan(amount_cents.iloc[i]),
                          "limit": cols.MAX_AMOUNT_PER_PERSON_CENTS // 100})
    out["amount_cents"] = amount_cents.to_numpy()
    start = _by_unique(text("start_month"), parse_month)
    unreadable_month = start.isna().to_numpy(dtype=bool) & ~blank("start_month")
    errors.add_masked(head_rows & unreadable_month, row_numbers, H("start_month"), _("应为年月，如 2019-03"))
    this_month = as_of.replace(day=1)
    start_key = np.array([d.year * 100 + d.month if d else 0 for d in start], dtype=np.int64)
    errors.add_masked(head_rows & (start_key > this_month.year * 100 + this_month.month), row_numbers,
                      H("start_month"), _("在未来：晚于本月（%(month)s）") % {"month": f"{this_month:%Y-%m}"})
    errors.add_masked(head_rows & (start_key > 0) & (start_key < 199001), row_numbers, H("start_month"),
                      _("不合理：早于 1990 年"))
    out["start_month"] = start.to_numpy()

    # A household's values sit on the head's row; a member's row leaves them empty or repeats them.
    where = np.flatnonzero(has_head_row & ~is_head)
    head_row_numbers = row_numbers[np.clip(head_of_row, 0, None)]
    region_values = out["region_id"].to_numpy()
    different_region = (has_head_row & ~is_head & (region_values != region_values[np.clip(head_of_row, 0, None)])
                        & (region_values >= 0))
    errors.add_masked(different_region, row_numbers, H("region_code"),
                      lambda i: _("与户主行（第 %(row)s 行）不同：同一户登记在同一个社区或村") % {"row": head_row_numbers[i]})
    if len(where):
        for column in cols.COLUMNS:
            if column.level != cols.HOUSEHOLD or column.field not in data:
                continue
            values = text(column.field).to_numpy(dtype=object)
            heads = values[head_of_row[where]]
            mine = values[where]
            differs = np.zeros(n, dtype=bool)
            differs[where] = (mine != "") & (mine != heads)
            errors.add_masked(differs, row_numbers, column.header,
                              lambda i: _("家庭的信息填在户主行：与户主行（第 %(row)s 行）不一致") % {
                                  "row": head_row_numbers[i]})

    households = out[is_head].copy()
    households["persons"] = persons[is_head]
    households = households.set_index("head_id", drop=False)
    # 户编号 and 低保证号 identify one household each.
    for name in ("household_number", "certificate_number"):
        given = households[households[name] != ""]
        again = given[name].duplicated(keep="first")
        if again.any():
            first = given.groupby(name)["row"].transform("first")
            errors.add(given["row"][again].to_numpy(), H(name),
                       [_("与第 %(row)s 行户主的相同：每户一个") % {"row": r} for r in first[again]])
    return FileCheck(members=out, households=households, errors=errors, present=present, rows=n)
