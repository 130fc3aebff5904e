"""The occupation vocabulary (jobs/data/occupations.yaml): 职业分类大典 codes, formal names and the
everyday words people use for a trade, and the coding of free text with it. Pure Python (no Django).

* :func:`vocabulary` — the loaded vocabulary (cached per process).
* :meth:`Vocabulary.mentions` — every occupation a text names, with the words it used
  ("会开叉车" → 叉车司机 via "开叉车"), longest words first, skipping negated ones ("不想再干电焊").
* :meth:`Vocabulary.code_vacancy` — the occupation(s) of a vacancy: the staff-entered occupation
  first, then formal names in the title, then the description.
* :meth:`Vocabulary.relation` — exact / related (a neighbouring trade) / none.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "occupations.yaml"

# Words before a mention that turn it into "not this" (不想再干电焊了, 除了保安都行, 不做保洁).
_NEGATION = re.compile(r"(不想再?|不愿意?再?|不要再?|不再|不干|不做|不当|除了|不能再?|干不了|做不了|不去|别)(干|做|当|去|找|开|跑)?[^，。,；;！!？?\s]{0,2}$")
# Words that make a mention what the person wants (想做保洁, 找个保安的活, 求职意向：…).
_WISH = re.compile(r"(想|要|找|应聘|求职意向|意向|希望|愿意|打算|能做|可以做|可以干)")
# Everyday words that are as often a family duty as a trade ("晚上要带孩子", "家里要照顾老人"): they
# name an occupation only with a work cue in the clause ("带过孩子的活", "做过照顾老人的工作", "想找带孩子的活").
DUTY_WORDS = frozenset({"带孩子", "带小孩", "带娃", "看孩子", "照看孩子", "照顾小孩", "照顾孩子", "照顾老人", "做饭",
                        "做家务", "家务活", "伺候老人", "接孩子"})
_WORK_CUE = re.compile(r"(做过|干过|当过|想做|想找|想干|找个|找份|经验|会|的活|工作|上班|雇主|月薪|工资)")


@dataclass(frozen=True)
class Occupation:
    name: str
    code: str
    confidence: str
    names: tuple[str, ...]
    colloquial: tuple[str, ...]
    related: tuple[str, ...] = ()
    demands: tuple[str, ...] = ()
    certificate: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}）"


@dataclass(frozen=True)
class Mention:
    """An occupation named in a text: by which words, where, and whether as a wish."""

    occupation: Occupation
    surface: str
    start: int
    formal: bool          # a formal name (电焊工) rather than an everyday word (烧电焊)
    wish: bool = False    # inside a clause that says what the person wants (想做…, 找…)


@dataclass
class Vocabulary:
    occupations: dict[str, Occupation]
    _words: dict[str, list[tuple[Occupation, bool]]] = field(default_factory=dict)

    def __post_init__(self):
        for occupation in self.occupations.values():
            for word, formal in [(occupation.name, True), *[(w, True) for w in occupation.names],
                                 *[(w, False) for w in occupation.colloquial]]:
                entries = self._words.setdefault(word, [])
                if all(o.name != occupation.name for o, _ in entries):
                    entries.append((occupation, formal))
                elif formal:
                    entries[:] = [(o, f or o.name == occupation.name) for o, f in entries]

    @cached_property
    def _pattern(self) -> re.Pattern:
        words = sorted(self._words, key=lambda w: (-len(w), w))
        return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    @cached_property
    def _lower(self) -> dict[str, str]:
        return {w.lower(): w for w in self._words}

    def get(self, name: str) -> Occupation | None:
        return self.occupations.get(name)

    def by_code(self, code: str) -> list[Occupation]:
        return [o for o in self.occupations.values() if o.code == code]

    def words(self) -> list[str]:
        """Every word of the vocabulary (for the jieba dictionary)."""
        return list(self._words)

    def mentions(self, text: str) -> list[Mention]:
        """Occupations a text names, in order of appearance; negated mentions are left out."""
        text = text or ""
        found: list[Mention] = []
        for match in self._pattern.finditer(text):
            word = self._lower.get(match.group(0).lower(), match.group(0))
            before = text[max(0, match.start() - 8):match.start()]
            clause = re.split(r"[，。,；;！!？?\n]", before)[-1]
            if _NEGATION.search(clause):
                continue
            if word in DUTY_WORDS:
                after = re.split(r"[，。,；;！!？?\n]", text[match.end():match.end() + 6])[0]
                if not (_WORK_CUE.search(clause) or _WORK_CUE.search(after)) or re.search(r"(要|得|还要|家里|家中)$", clause):
                    continue
            wish = bool(_WISH.search(clause))
            for occupation, formal in self._words.get(word, []):
                found.append(Mention(occupation, word, match.start(), formal, wish))
        return found

    def occupations_in(self, text: str) -> list[str]:
        """Names of the occupations a text names (first mention first, each once)."""
        return list(dict.fromkeys(m.occupation.name for m in self.mentions(text)))

    def code_vacancy(self, *, occupation: str = "", title: str = "", description: str = "") -> list[str]:
        """The occupations of a vacancy, primary first: what staff entered as the occupation (its first
        coded name), else the formal names in the title, else the first mention in title or description.
        Formal names in the title are added (食堂帮厨 with occupation 厨师 → 厨师, 帮厨); everyday words in
        the title are not (盐化园区…招电焊工 is a welding post, not a 盐化 one)."""
        codes: list[str] = []
        from_field = self.mentions(occupation)
        if from_field:
            formal = [m for m in from_field if m.formal]
            codes.append((formal or from_field)[0].occupation.name)
        title_mentions = self.mentions(title)
        for mention in title_mentions:
            if mention.formal and mention.occupation.name not in codes:
                codes.append(mention.occupation.name)
        if not codes:
            for mention in [*title_mentions, *self.mentions(description)]:
                codes.append(mention.occupation.name)
                break
        return codes

    def relation(self, a: str, b: str) -> str:
        """"exact", "related" (either lists the other as a neighbouring trade) or ""."""
        if a == b:
            return "exact"
        first, second = self.occupations.get(a), self.occupations.get(b)
        if first and second and (b in first.related or a in second.related):
            return "related"
        return ""


CODE_FORMAT = re.compile(r"^[1-8](-[0-9]{2}){1,3}$")


def valid_code(code: str) -> bool:
    """A 大典 code at 中类, 小类 or 细类 level: 4-03, 4-03-02, 4-03-02-01."""
    return bool(CODE_FORMAT.match(code or ""))


def code_vacancy_text(*, title: str, occupation: str = "", description: str = "") -> str:
    """The 大典 code a vacancy gets automatically ("" when nothing in its text is in the vocabulary)."""
    vocab = vocabulary()
    names = vocab.code_vacancy(occupation=occupation, title=title, description=description)
    return vocab.occupations[names[0]].code if names else ""


def code_seeker_text(*, desired: Sequence[str] = (), skills: str = "", experience: str = "") -> list[str]:
    """The 大典 codes of a seeker profile: the desired occupations first, then trades the skills and
    experience name (each code once)."""
    vocab = vocabulary()
    names: list[str] = []
    for entry in desired:
        occupation = vocab.get(entry)
        names += [occupation.name] if occupation else vocab.occupations_in(entry)
    names += vocab.occupations_in(f"{skills}。{experience}")
    return list(dict.fromkeys(vocab.occupations[n].code for n in names))


_lock = threading.Lock()
_cached: Vocabulary | None = None


def load_vocabulary(path: str | Path = DATA_FILE) -> Vocabulary:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    occupations = {}
    for row in data["occupations"]:
        occupation = Occupation(
            name=row["name"], code=str(row["code"]), confidence=row.get("confidence", "low"),
            names=tuple(row.get("names") or ()), colloquial=tuple(row.get("colloquial") or ()),
            related=tuple(row.get("related") or ()), demands=tuple(row.get("demands") or ()),
            certificate=row.get("certificate", "") or "",
        )
        if occupation.name in occupations:
            raise ValueError(f"occupation {occupation.name} listed twice in {path}")
        occupations[occupation.name] = occupation
    for occupation in occupations.values():
        for other in occupation.related:
            if other not in occupations:
                raise ValueError(f"{occupation.name}: related occupation {other} is not in {path}")
    return Vocabulary(occupations)


def vocabulary() -> Vocabulary:
    """The vocabulary of jobs/data/occupations.yaml (loaded once per process)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_vocabulary()
    return _cached
