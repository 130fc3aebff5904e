"""Match queries from a search phrase or a seeker profile (pure: vectors are passed in).

Both read the occupations the words name (occupation vocabulary), the certificates, hours, townships
and the person's stated limits (:mod:`jobs.matching.limits`). A search phrase also says whether it is
about work at all: "今天天气怎么样", "我想申请低保" or random letters name no trade, no certificate,
no place and no wish for work, and get no vacancies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from jobs.matching.limits import seeker_limits
from jobs.matching.ranking import MatchQuery, OccupationWish
from jobs.matching.text import certificates_in, hours_in, normalise_certificates, tokenize, words
from jobs.matching.vocabulary import vocabulary

ALL_HOURS = ("day", "night", "shift", "flexible")

# Words that say the phrase is about finding work (找个活, 招工, 上班 …).
JOB_INTENT = re.compile(
    r"(工作|上班|招聘|招工|招人|岗位|打工|干活|找活|有活|的活|啥活|什么活|零活|轻活|重活|体力活|技术活|活儿|活干|"
    r"找事做|挣钱|赚钱|兼职|职位|就业|求职|应聘|做工|用工|进厂|学徒|学手艺|包吃住|包吃包住|包住|工资|月薪|日结|计件)"
)
# Topics of the benefit office that are not a job search (they must not be answered with vacancies).
OFF_TOPIC = re.compile(r"(低保|医保|社保|养老保险|养老金|医疗保险|报销|救助|补助金|补贴|残疾证|户口|身份证|天气|几号|星期几)")


def townships_named(text: str, township_names: Mapping[str, str]) -> list[str]:
    """Codes of townships whose name (with or without 镇/乡/街道) the text mentions."""
    codes = []
    for code, name in township_names.items():
        short = name.removesuffix("街道").rstrip("镇乡")
        if name in text or (len(short) >= 2 and short in text):
            codes.append(code)
    return codes


# Words that say the person wants a change from what they did ("想换个轻松点的", "不能再开车了").
CHANGE = re.compile(r"(换个|换一个|换份|换一份|换工作|换行|转行|改行|不能再|不想再|不再干|干不了了|不干了)")


def occupation_wishes(text: str, desired: Sequence[str] = ()) -> list[OccupationWish]:
    """What trades the person asks for, with weights: desired occupations (the profile field) and
    trades the words ask for ("想做保洁") count fully; trades only mentioned as experience count 0.6
    when something else is asked for, and 0.3 when the words say the person wants a change."""
    vocab = vocabulary()
    wishes: dict[str, OccupationWish] = {}
    for entry in desired:
        entry = (entry or "").strip()
        if not entry:
            continue
        # An entry the vocabulary does not know ("不限", a rare trade) asks for no coded occupation: it
        # must not count every vacancy as "asked for something else"; the words still match.
        names = [entry] if vocab.get(entry) else list(dict.fromkeys(m.occupation.name for m in vocab.mentions(entry)))
        for name in names:
            wishes.setdefault(name, OccupationWish(name, 1.0, entry))
    mentions = vocab.mentions(text)
    asked = bool(wishes) or any(m.wish for m in mentions)
    change = bool(CHANGE.search(text))
    for mention in mentions:
        weight = 1.0 if (mention.wish or not (asked or change)) else 0.3 if change else 0.6
        name = mention.occupation.name
        if name not in wishes or wishes[name].weight < weight:
            wishes[name] = OccupationWish(name, weight, mention.surface)
    return list(wishes.values())


def is_about_work(text: str, *, occupations: Sequence[OccupationWish], certificates: Sequence[str],
                  township_codes: Sequence[str], limits) -> bool:
    """Whether a search phrase asks for work at all (see the module docstring)."""
    if occupations or certificates:
        return True
    if JOB_INTENT.search(text):
        return True
    if OFF_TOPIC.search(text):
        return False
    wanted, _ = hours_in(text)
    return bool(township_codes or wanted or limits.limits)


def text_query(text: str, vector: np.ndarray, township_names: Mapping[str, str] | None = None) -> MatchQuery:
    """A free-text search phrase: occupations, certificates, hours, townships and limits are read from it."""
    wanted, ruled_out = hours_in(text)
    townships = townships_named(text, township_names or {})
    occupations = occupation_wishes(text)
    certificates = certificates_in(text)
    limits = seeker_limits(text, named_townships=townships, certificates=certificates)
    return MatchQuery(
        vector=vector, tokens=tokenize(text), words=words(text), occupations=[o.name for o in occupations],
        wishes=occupations, certificates=certificates, hours_wanted=wanted, hours_ruled_out=ruled_out,
        township_codes=townships, limits=limits,
        about_work=is_about_work(text, occupations=occupations, certificates=certificates, township_codes=townships,
                                 limits=limits),
    )


def profile_query(*, text: str, vector: np.ndarray, desired: Sequence[str] = (), certificates: Sequence[str] = (),
                  hours: Sequence[str] = (), township_codes: Sequence[str] = (), extra: str = "",
                  township_names: Mapping[str, str] | None = None, age: int | None = None,
                  sex: str = "") -> MatchQuery:
    """A registered seeker: the profile's fields are the structured signals, the words (skills,
    experience, ``extra`` = physical limits) add limits and trades.

    Hours the seeker did not list are ruled out (flexible work never is); certificates are all the
    person holds, so a vacancy requiring another one is a mismatch.
    """
    desired = [d for d in desired if d]
    wishes = occupation_wishes(text, desired)
    wanted = [h for h in hours if h in ALL_HOURS]
    words_said = f"{text} {extra}".strip()
    _, ruled_out = hours_in(words_said)
    if wanted:
        ruled_out = sorted((set(ruled_out) | (set(ALL_HOURS) - set(wanted))) - {"flexible"})
    held = normalise_certificates(certificates)
    named = townships_named(words_said, township_names or {})
    limits = seeker_limits(words_said, accepted_hours=wanted, age=age, sex=sex, township_codes=township_codes,
                           named_townships=named, certificates=held)
    return MatchQuery(
        vector=vector, tokens=tokenize(text), words=words(text), occupations=[w.name for w in wishes], wishes=wishes,
        certificates=held, hours_wanted=wanted, hours_ruled_out=ruled_out,
        township_codes=list(dict.fromkeys([*township_codes, *named])), holds_all_certificates=True, limits=limits,
        about_work=True, profile=True,
    )
