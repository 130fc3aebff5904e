"""A person's stated limits and a vacancy's demands, read from free text, and the conflicts between
them (DESIGN.md §3: a referral must be suitable; a person who cannot stand long is not sent to a
standing job). Pure Python: no Django, no database, no clock (the person's age is passed in).

Seeker side (:func:`seeker_limits`): 不能上夜班 / 只能白班, 不能久站, 腰不好 / 不能搬重物, 恐高, 没有驾照
or the licence class held, 不会电脑, 不会骑电动车, 不住家, 只能干半天, 要接孩子, 只在某镇 / 离家近, the
age (from the text or the profile) and the hours a profile accepts.

Vacancy side (:func:`vacancy_demands`): nights (夜班, 倒班 with nights, 24 小时), long standing, heavy
lifting, work at height, a driving licence (and its class), a computer, an e-bike, living in, working
in water, full-day hours, an age range and a sex stated as a requirement — from the hours field, the
title, description and requirements, and what the occupation implies (jobs/data/occupations.yaml,
``demands``) unless the text says otherwise ("坐着干", "不用登高").

:func:`conflicts` returns the hard conflicts, each with a reason that quotes both sides
("夜班：与您'不能上夜班'不符"), and the soft ones (a shift without nights for a day-only person, a
post outside the preferred townships, a post that only touches a limit "偶尔").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------- numbers

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """十八 → 18, 五十八 → 58, 六十 → 60, 58 → 58 (up to 99)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_DIGITS.get(tens, 0) if tens else 1) * 10
        if ones:
            if ones not in _DIGITS:
                return None
            value += _DIGITS[ones]
        return value
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS[text]
    return None


_NUM = r"([0-9]{1,2}|[一二三四五六七八九]?十[一二三四五六七八九]?)"

# ---------------------------------------------------------------------------------------------- seeker


@dataclass(frozen=True)
class SeekerLimits:
    """What a person cannot or will not do, each with the words they used (for the reason)."""

    limits: dict[str, str] = field(default_factory=dict)     # key → the person's phrase
    licence: str = ""            # the licence class held when stated (C1, B2 …); "驾照" when unspecified
    age: int | None = None
    age_phrase: str = ""
    sex: str = ""                # "M" / "F" when known
    accepted_hours: tuple[str, ...] = ()    # a profile's accepted hours (empty: any)
    strict_townships: tuple[str, ...] = ()  # codes the person will only work in
    strict_phrase: str = ""
    wants_housing: bool = False
    wants_sitting: bool = False
    wants_light: bool = False

    def __bool__(self) -> bool:
        return bool(self.limits or self.licence or self.age is not None or self.sex or self.accepted_hours
                    or self.strict_townships)


# key → patterns of the person's own words (first match is quoted in the reason)
SEEKER_PATTERNS: dict[str, tuple[str, ...]] = {
    "night": (r"不能上夜班", r"不上夜班", r"不想上夜班", r"上不了夜班", r"不想再?倒夜班", r"不倒夜班", r"不能熬夜",
              r"不熬夜", r"不想熬夜", r"只能上?白班", r"只上白班", r"只干白班", r"只做白班", r"只能白天", r"只想白天",
              r"晚上要[^，。,；;]{0,6}", r"晚上不能[^，。,；;]{0,4}", r"晚上不行", r"夜里不行", r"不能倒班", r"不倒班",
              r"不能值夜", r"不值夜", r"不要夜班", r"不要倒班", r"没法上夜班"),
    "stand": (r"不能[长久]时间站[立着]?", r"不能久站", r"站不久", r"站不了太?久", r"不能一直站", r"站久了[^，。,；;]{0,4}",
              r"腿脚不好", r"腿脚不便", r"腿不好", r"膝盖不好", r"腿有毛病", r"站不住", r"脚不好"),
    "lift": (r"腰不好", r"腰椎[^，。,；;]{0,4}", r"腰间盘[^，。,；;]{0,4}", r"腰肌劳损", r"腰受过伤", r"闪过腰",
             r"不能搬重[物东西]*", r"搬不[了动]重?[物东西]*", r"不能干重活", r"干不了重活", r"不能干体力活", r"干不了体力活",
             r"不能提重[物东西]*", r"不能扛", r"扛不动", r"力气小", r"没力气", r"不能干累活", r"干不了累活"),
    "height": (r"恐高", r"怕高", r"不能登高", r"不敢登高", r"不能爬高", r"不敢爬高", r"不能高空"),
    "drive": (r"没有驾[照驶证]+", r"没驾[照驶证]+", r"无驾照", r"不会开车", r"驾照被[扣吊]销?了?", r"不能再?开车", r"没考驾照"),
    "computer": (r"不会电脑", r"不会用电脑", r"不懂电脑", r"电脑不会", r"电脑不太会", r"不会打字", r"不会操作电脑",
                 r"电脑用不来", r"不识字", r"认字不多"),
    "ride": (r"不会骑电动车", r"不会骑车", r"不会骑电瓶车", r"没有电动车", r"没电动车"),
    "live_in": (r"不住家", r"不能住家", r"不要住家", r"不住雇主家", r"晚上要回家", r"不能住厂", r"不住厂", r"不住宿"),
    "water": (r"怕水", r"不会游泳", r"不能下水", r"不能碰水"),
    "half_day": (r"只能干半天", r"只能上半天", r"只有半天", r"只能干几个小时", r"每天只能干[^，。,；;]{0,4}小时",
                 r"只能上午", r"只能下午", r"只干半天"),
    "children": (r"接送孩子", r"接孩子", r"送孩子上学", r"带孩子", r"照顾孩子", r"看孩子", r"孩子小", r"宝妈", r"带娃"),
}
_SITTING = (r"坐着的活", r"坐着干", r"能坐着", r"坐班的", r"坐办公室")
_LIGHT = (r"轻松", r"轻活", r"不累", r"不太累", r"清闲")
_HOUSING = (r"包住", r"包吃住", r"要住宿", r"需要住宿", r"提供住宿", r"有宿舍", r"要宿舍", r"管住")
_STRICT_TOWNSHIP = (r"只[想能]?在", r"就在", r"离家近", r"家门口", r"附近", r"不想跑远", r"跑不远", r"不去外地", r"本镇")
_LICENCE = re.compile(r"(A1|A2|A3|B1|B2|C1|C2)", re.IGNORECASE)
_AGE_TEXT = (re.compile(r"今年" + _NUM + r"岁?"), re.compile(_NUM + r"周?岁"), re.compile(_NUM + r"多岁"),
             re.compile(r"年纪?" + _NUM))
_SEX_F = re.compile(r"(我是女|女的|女性|宝妈|妇女|大姐|家庭主妇)")
_SEX_M = re.compile(r"(我是男|男的|男性|退伍军人|当过兵)")


def _first(patterns: Iterable[str], text: str) -> str:
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found.group(0)
    return ""


def age_in_text(text: str) -> tuple[int | None, str]:
    """(age, phrase): 今年58 → 58; 五十多岁 → 55 (the middle of the decade)."""
    for pattern in _AGE_TEXT:
        found = pattern.search(text or "")
        if found:
            value = chinese_number(found.group(1))
            if value is None or not 16 <= value <= 90:
                continue
            if "多" in found.group(0) and value % 10 == 0:
                value += 5
            return value, found.group(0)
    return None, ""


def seeker_limits(text: str, *, accepted_hours: Sequence[str] = (), age: int | None = None, sex: str = "",
                  township_codes: Sequence[str] = (), named_townships: Sequence[str] = (),
                  certificates: Sequence[str] = ()) -> SeekerLimits:
    """Limits from the person's words (``text``: skills, experience, physical limits or a search
    phrase) and the structured profile (accepted hours, age and sex from the member record, preferred
    townships). Townships become strict when the words say so (只想在炉桥, 离家近)."""
    text = text or ""
    limits = {}
    for key, patterns in SEEKER_PATTERNS.items():
        phrase = _first(patterns, text)
        if phrase:
            limits[key] = phrase
    if "children" in limits and "night" not in limits:
        limits["night"] = limits["children"]
    licence = ""
    held = _LICENCE.findall(text)
    if held and "drive" not in limits:
        licence = _best_licence([h.upper() for h in held])
    elif "驾驶证" in certificates or "驾照" in text:
        licence = "驾照" if "drive" not in limits else ""
    text_age, age_phrase = age_in_text(text)
    if text_age is not None:
        age = text_age
    elif age is not None:
        age_phrase = f"{age}岁"
    if not sex:
        sex = "F" if _SEX_F.search(text) else "M" if _SEX_M.search(text) else ""
    strict: tuple[str, ...] = ()
    strict_phrase = _first(_STRICT_TOWNSHIP, text)
    codes = list(dict.fromkeys([*named_townships, *township_codes]))
    if strict_phrase and codes:
        strict = tuple(codes)
        # quote the clause that says it (只想在炉桥镇上找活)
        clause = re.search(r"[^，。,；;]*" + re.escape(strict_phrase) + r"[^，。,；;]*", text)
        strict_phrase = clause.group(0).strip() if clause else strict_phrase
    return SeekerLimits(
        limits=limits, licence=licence, age=age, age_phrase=age_phrase, sex=sex,
        accepted_hours=tuple(h for h in accepted_hours if h), strict_townships=strict, strict_phrase=strict_phrase,
        wants_housing=bool(_first(_HOUSING, text)), wants_sitting=bool(_first(_SITTING, text)),
        wants_light=bool(_first(_LIGHT, text)),
    )


# ---------------------------------------------------------------------------------------------- licences

# What each licence class also allows (道路交通安全法实施条例 准驾车型): A1 covers A3 B1 B2 C1 C2 …
LICENCE_COVERS = {
    "A1": {"A1", "A3", "B1", "B2", "C1", "C2"},
    "A2": {"A2", "B1", "B2", "C1", "C2"},
    "A3": {"A3", "C1", "C2"},
    "B1": {"B1", "C1", "C2"},
    "B2": {"B2", "C1", "C2"},
    "C1": {"C1", "C2"},
    "C2": {"C2"},
}


def _best_licence(classes: Sequence[str]) -> str:
    return max(classes, key=lambda c: len(LICENCE_COVERS.get(c, ())))


def licence_allows(held: str, accepted: Sequence[str]) -> bool:
    """Whether a held class allows driving what any of the ``accepted`` classes allows."""
    covered = LICENCE_COVERS.get(held, {held})
    return any(a in covered for a in accepted)


# ---------------------------------------------------------------------------------------------- vacancy


@dataclass(frozen=True)
class VacancyDemands:
    """What a post demands; each value is the phrase that says so ("" = not demanded). ``soft`` keys
    are demanded only occasionally (偶尔搬货)."""

    demands: dict[str, str] = field(default_factory=dict)
    soft: tuple[str, ...] = ()
    licence: tuple[str, ...] = ()       # accepted classes (A2或B2 → (A2, B2)); empty with "drive" = any licence
    age_min: int | None = None
    age_max: int | None = None
    age_phrase: str = ""
    sex: str = ""
    part_time: bool = False
    housing: bool = False
    sitting: bool = False
    skilled: bool = False      # asks for a certificate, experience or a skill (not "优先", not "可培训")

    def as_meta(self) -> dict:
        out: dict = {}
        if self.demands:
            out["d"] = self.demands
        if self.soft:
            out["s"] = list(self.soft)
        if self.licence:
            out["l"] = list(self.licence)
        if self.age_min is not None or self.age_max is not None:
            out["a"] = [self.age_min, self.age_max, self.age_phrase]
        if self.sex:
            out["x"] = self.sex
        if self.part_time:
            out["p"] = 1
        if self.housing:
            out["h"] = 1
        if self.sitting:
            out["z"] = 1
        if self.skilled:
            out["k"] = 1
        return out

    @classmethod
    def from_meta(cls, data: Mapping | None) -> VacancyDemands:
        if not data:
            return cls()
        age = data.get("a") or [None, None, ""]
        return cls(demands=dict(data.get("d") or {}), soft=tuple(data.get("s") or ()), licence=tuple(data.get("l") or ()),
                   age_min=age[0], age_max=age[1], age_phrase=age[2], sex=data.get("x", ""),
                   part_time=bool(data.get("p")), housing=bool(data.get("h")), sitting=bool(data.get("z")),
                   skilled=bool(data.get("k")))


VACANCY_PATTERNS: dict[str, tuple[str, ...]] = {
    "night": (r"四班三倒", r"三班倒", r"两班倒", r"倒夜班", r"夜班", r"晚班", r"值夜", r"通宵", r"24小时", r"二十四小时",
              r"做一休一", r"做二休一", r"夜间[^，。,；;]{0,4}", r"夜里[^，。,；;]{0,4}"),
    "stand": (r"全天站立", r"长时间站立", r"站立[^，。,；;]{0,2}", r"站着[^，。,；;]{0,2}", r"久站", r"一直站", r"站岗"),
    "lift": (r"搬运", r"装卸", r"搬货", r"搬砖", r"扛[^，。,；;]{0,2}", r"重物", r"体力活", r"重活", r"卸货", r"力气大",
             r"身体强壮", r"能干重活", r"码垛"),
    "height": (r"登高", r"高空", r"高处作业", r"脚手架", r"外墙", r"不恐高", r"爬高", r"上高楼"),
    "computer": (r"电脑", r"Excel", r"Word", r"办公软件", r"打字", r"录入", r"财务软件", r"office", r"系统操作"),
    "ride": (r"自备电动[车三轮]*", r"骑电动车", r"电动三轮", r"电瓶车", r"自备摩托车", r"会骑车"),
    "live_in": (r"住家", r"吃住在雇主家", r"住在雇主家", r"住雇主家", r"要求住厂", r"必须住厂"),
    "water": (r"下水", r"水塘", r"水田", r"下塘"),
}
_UNLESS = {
    "stand": (r"坐着", r"坐班", r"可以坐", r"坐在", r"不用站", r"无需站"),
    "lift": (r"不用搬", r"无需搬", r"不搬", r"不需要搬", r"轻活"),
    "height": (r"不用登高", r"不登高", r"无需登高", r"不需要登高", r"都在地面", r"地面作业"),
    "night": (r"无夜班", r"没有夜班", r"不上夜班", r"不用上夜班", r"不倒班", r"无需倒班"),
    "computer": (r"不需要电脑", r"不用电脑", r"无需电脑"),
}
_OCCASIONAL = re.compile(r"(偶尔|有时|少量|偶有)")
_PART_TIME = (r"每天[一二三四五六两1-6]个?半?小时", r"[一二三四五六两1-6]个?小时", r"半天", r"只上午", r"上午[^，。,；;]{0,4}小时",
              r"钟点", r"按小时", r"兼职", r"非全日制", r"时间自由", r"时间灵活", r"自己安排")
_HOUSING_OFFERED = (r"包住", r"包吃住", r"包吃包住", r"提供宿舍", r"可提供宿舍", r"免费住宿", r"有宿舍", r"管住")
_AGE_RANGE = re.compile(_NUM + r"\s*[-—–~～至到]\s*" + _NUM + r"\s*周?岁")
_AGE_MAX = (re.compile(_NUM + r"\s*周?岁(以下|以内|之内)"), re.compile(r"(不超过|不大于|未满|小于|低于)\s*" + _NUM + r"\s*周?岁?"),
            re.compile(r"年龄\s*" + _NUM + r"\s*(以下|以内)"))
_AGE_MIN = (re.compile(_NUM + r"\s*周?岁(以上)"), re.compile(r"(年满)\s*" + _NUM + r"\s*周?岁"))


def _age_range(text: str) -> tuple[int | None, int | None, str]:
    found = _AGE_RANGE.search(text)
    if found:
        low, high = chinese_number(found.group(1)), chinese_number(found.group(2))
        return low, high, found.group(0)
    high = low = None
    phrase = ""
    for pattern in _AGE_MAX:
        found = pattern.search(text)
        if found:
            number = next(g for g in found.groups() if g and chinese_number(g) is not None)
            high, phrase = chinese_number(number), found.group(0)
            break
    for pattern in _AGE_MIN:
        found = pattern.search(text)
        if found:
            number = next(g for g in found.groups() if g and chinese_number(g) is not None)
            low = chinese_number(number)
            phrase = f"{phrase}，{found.group(0)}" if phrase else found.group(0)
            break
    return low, high, phrase


def _required_sex(requirements: str) -> str:
    """A sex stated as a requirement (男，60岁以下 / 限女性), not a preference (女性优先)."""
    for clause in re.split(r"[，,；;。、\s]+", requirements or ""):
        clause = clause.strip()
        if not clause or "优先" in clause:
            continue
        if re.fullmatch(r"(限|仅限|只招|要求)?(男|男性|男士|男工)", clause):
            return "M"
        if re.fullmatch(r"(限|仅限|只招|要求)?(女|女性|女士|女工)", clause):
            return "F"
    return ""


_SKILL_CLAUSE = re.compile(r"(经验|熟练|熟手|持|证|会[^员]|懂|能看懂|驾龄|专业|以上学历|中专|大专)")
_NOT_REQUIRED = re.compile(r"(优先|无需|不需要|不要求|可培训|包教|学徒|无经验|没经验|零基础|健康证)")


def _skilled(requirements: str, certificates: Sequence[str]) -> bool:
    if any(c != "健康证" for c in certificates):
        return True
    for clause in re.split(r"[，,；;。、\s]+", requirements or ""):
        if _SKILL_CLAUSE.search(clause) and not _NOT_REQUIRED.search(clause):
            return True
    return False


def vacancy_demands(*, title: str = "", description: str = "", requirements: str = "", hours: str = "",
                    certificates: Sequence[str] = (), occupation_demands: Iterable[str] = ()) -> VacancyDemands:
    """The demands of a post from its fields and text (see the module docstring)."""
    text = "。".join(t for t in (title, description, requirements) if t)
    demands: dict[str, str] = {}
    soft: list[str] = []
    for key, patterns in VACANCY_PATTERNS.items():
        phrase = ""
        for pattern in patterns:
            found = re.search(pattern, text, re.IGNORECASE)
            if found:
                phrase = found.group(0)
                before = text[max(0, found.start() - 4):found.start()]
                if _OCCASIONAL.search(before):
                    soft.append(key)
                break
        if phrase and any(re.search(p, text) for p in _UNLESS.get(key, ())) and key != "night":
            phrase = ""
        if phrase:
            demands[key] = phrase
    for key in occupation_demands:
        if key == "drive" or key in demands:
            continue
        if any(re.search(p, text) for p in _UNLESS.get(key, ())):
            continue
        demands[key] = {"stand": "久站", "lift": "搬重物", "height": "登高作业", "computer": "用电脑", "ride": "骑电动车",
                        "live_in": "住家", "water": "下水作业"}.get(key, key)
    # Nights: the hours field first; a shift pattern counts as nights when the text says so.
    unless_night = any(re.search(p, text) for p in _UNLESS["night"])
    if hours == "night":
        demands["night"] = "夜班"
    elif hours == "shift" and unless_night or hours in ("day", "flexible") and "night" in demands and (
            unless_night or not re.search(r"夜班|值夜|通宵|24小时|夜间|夜里", demands["night"])):
        demands.pop("night", None)
    # A driving licence: required certificate 驾驶证, or the classes the text names.
    licence: tuple[str, ...] = ()
    needs_licence = "驾驶证" in certificates or bool(re.search(r"驾照|驾驶证|驾龄", text)) or "drive" in occupation_demands
    if needs_licence:
        classes = tuple(dict.fromkeys(c.upper() for c in _LICENCE.findall(text)))
        licence = classes
        demands["drive"] = ("、".join(classes) + "驾照") if classes else "驾照"
    low, high, age_phrase = _age_range(requirements or text)
    part_time = (hours == "flexible" or bool(_first(_PART_TIME, text))) and "live_in" not in demands
    return VacancyDemands(
        demands=demands, soft=tuple(k for k in dict.fromkeys(soft) if k in demands), licence=licence,
        age_min=low, age_max=high, age_phrase=age_phrase, sex=_required_sex(requirements),
        part_time=part_time, housing=bool(_first(_HOUSING_OFFERED, text)),
        sitting="stand" not in demands and bool(re.search(r"坐着|坐班|坐在|可以坐|坐办公室", text)),
        skilled=_skilled(requirements, certificates),
    )


# ---------------------------------------------------------------------------------------------- conflicts

HOURS_LABELS = {"day": "白班", "night": "夜班", "shift": "倒班", "flexible": "灵活/非全日制"}
_DEMAND_LABELS = {"night": "夜班", "stand": "久站", "lift": "搬重物", "height": "登高", "drive": "驾照",
                  "computer": "用电脑", "ride": "骑电动车", "live_in": "住家", "water": "下水", "half_day": "全天班"}


# Licences that cannot be had quickly and make the work illegal without them: a profile that does not
# list one cannot take a post that requires it (a short-course certificate is only a soft mismatch).
LICENCES = ("驾驶证", "护士执业证", "农机驾驶证", "教师资格证")


def wish_fit(limits: SeekerLimits, demands: VacancyDemands) -> float:
    """+1 for each wish the post meets (坐着的活, 包住, 只能干半天), −1 for each it plainly does not."""
    score = 0.0
    if limits.wants_sitting or "stand" in limits.limits:
        score += 1.0 if demands.sitting else -1.0 if "stand" in demands.demands else 0.0
    if limits.wants_light:
        heavy = any(k in demands.demands for k in ("lift", "stand", "height", "night"))
        score += -1.0 if heavy else 1.0 if (demands.sitting or demands.part_time) else 0.0
    if limits.wants_housing:
        score += 1.0 if demands.housing else 0.0
    if "half_day" in limits.limits or "children" in limits.limits:
        score += 1.0 if demands.part_time else 0.0
    return score


@dataclass(frozen=True)
class Conflict:
    key: str
    reason: str
    hard: bool = True


def conflicts(limits: SeekerLimits, demands: VacancyDemands, *, hours: str, region_codes: Sequence[str] = (),
              township: str = "") -> list[Conflict]:
    """Hard and soft conflicts between a person's limits and a post's demands, with reasons."""
    if not limits:
        return []
    out: list[Conflict] = []
    said = limits.limits

    def quote(key: str) -> str:
        return said.get(key, "")

    for key in ("night", "stand", "lift", "height", "computer", "ride", "live_in", "water"):
        if key in said and key in demands.demands:
            phrase = demands.demands[key]
            label = phrase if len(phrase) <= 8 else _DEMAND_LABELS[key]
            hard = key not in demands.soft
            out.append(Conflict(key, f"{label}：与您'{quote(key)}'不符", hard))
    if "night" in said and "night" not in demands.demands and hours == "shift":
        out.append(Conflict("night", f"倒班：与您'{quote('night')}'不完全相符", False))
    if "drive" in demands.demands:
        if "drive" in said:
            out.append(Conflict("drive", f"要求{demands.demands['drive']}：与您'{quote('drive')}'不符"))
        elif limits.licence and limits.licence != "驾照" and demands.licence \
                and not licence_allows(limits.licence, demands.licence):
            out.append(Conflict("drive", f"要求{demands.demands['drive']}：与您的{limits.licence}驾照不符"))
    if "half_day" in said and not demands.part_time:
        out.append(Conflict("half_day", f"全天班：与您'{quote('half_day')}'不符"))
    elif "children" in said and hours == "shift":
        out.append(Conflict("children", f"倒班：与您'{quote('children')}'不符"))
    if "children" in said and "live_in" in demands.demands and "live_in" not in said:
        out.append(Conflict("live_in", f"{demands.demands['live_in']}：与您'{quote('children')}'不符"))
    if limits.accepted_hours and hours and hours != "flexible" and hours not in limits.accepted_hours:
        accepted = "、".join(HOURS_LABELS.get(h, h) for h in limits.accepted_hours)
        if hours == "shift" and "night" not in demands.demands:
            out.append(Conflict("hours", f"倒班：不在您可接受的班次（{accepted}）内", False))
        elif not any(c.key == "night" and c.hard for c in out):
            out.append(Conflict("hours", f"{HOURS_LABELS.get(hours, hours)}：不在您可接受的班次（{accepted}）内"))
    if limits.age is not None and (demands.age_max is not None and limits.age > demands.age_max
                                   or demands.age_min is not None and limits.age < demands.age_min):
        out.append(Conflict("age", f"年龄要求（{demands.age_phrase}）：与您的年龄（{limits.age_phrase}）不符"))
    if limits.sex and demands.sex and limits.sex != demands.sex:
        out.append(Conflict("sex", f"岗位写明{'限男性' if demands.sex == 'M' else '限女性'}"))
    if limits.strict_townships and region_codes and not any(c in region_codes for c in limits.strict_townships):
        out.append(Conflict("township", f"工作地点在{township}：与您'{limits.strict_phrase}'不符"))
    return out
