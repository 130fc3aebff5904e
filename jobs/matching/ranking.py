"""Hybrid ranking of open vacancies for a search phrase or a seeker profile (DESIGN.md §3).

Signals, per candidate vacancy:

* semantic — cosine similarity of E5 vectors (FAISS inner product over unit vectors), taken
  relative to the typical vacancy of the snapshot (how many standard deviations above the mean
  cosine of a spread sample), so that it means the same for every query;
* lexical — BM25 over jieba tokens, and the share of the query's words (weighted by idf) that the
  vacancy contains;
* structured — the occupation (exact or a neighbouring trade, from the occupation vocabulary), the
  certificates held / asked for / required, the preferred township, the hours, and the person's
  stated limits against the post's demands (:mod:`jobs.matching.limits`).

The hybrid combines them with a logistic model fitted on the dev set (``FUSION``; refit with
``python manage.py evaluate_matching --fit``): its output is a calibrated relevance ``score`` in
[0, 1]. Results below ``THRESHOLD`` are not returned, so a query that fits nothing gets an empty
list; a phrase that is not about work at all (random letters, 今天天气怎么样, 我想申请低保) gets none
either. A vacancy that breaks a hard limit of the person is placed below every compatible one and says
why ("夜班：与您'不能上夜班'不符"). People see a label (很合适 / 可以考虑 / 不符合您的条件), never the
raw number. Every reason quotes whole words (the query's phrase and the vacancy's occupation or words).

Candidates are the semantic top-N, the lexical top-N and the vacancies coded with an occupation the
query asks for, after the hard filters (only open vacancies are in the snapshot; the region filter
when asked). Pure: no Django, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import faiss
import numpy as np

from jobs.matching.index import Snapshot
from jobs.matching.limits import LICENCES, Conflict, SeekerLimits, conflicts, wish_fit
from jobs.matching.text import HOURS_LABELS
from jobs.matching.vocabulary import vocabulary

SIGNALS = ("hybrid", "semantic", "lexical", "structured")

# Feature order of the fusion model (see ``features``).
# The semantic and lexical features are split by whether the query names a trade: with a trade the
# occupation match carries most of the evidence; without one ("找个轻松点的活", "炉桥镇招工") the
# words and the place are all there is, and an entry-level post fits better than a skilled one.
FEATURES = ("semantic_z", "semantic_z_open", "lexical_coverage", "lexical_coverage_open", "lexical_bm25",
            "occupation_exact", "occupation_related", "occupation_miss", "certificates", "township", "hours",
            "soft_conflicts", "wishes", "skilled_open")


@dataclass(frozen=True)
class Fusion:
    """Logistic fusion: score = σ(bias + Σ weight × feature). Fitted on the dev set."""

    weights: tuple[float, ...]
    bias: float

    def score(self, matrix: np.ndarray) -> np.ndarray:
        z = self.bias + matrix @ np.asarray(self.weights, dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-z))


# Fitted on tests/jobs/devset/matching_devset.yaml (python manage.py evaluate_matching --fit).
FUSION = Fusion(weights=(0.587, 0.692, 0.402, 0.147, 1.027, 2.823, 1.139, -2.951, 1.13, 2.76, 0.594, -1.241, 1.663,
                              -0.504), bias=-3.818)
# A result is returned when its score reaches THRESHOLD; it is "很合适" from GOOD (both fitted on the dev set).
THRESHOLD = 0.16
GOOD = 0.35
LABEL_GOOD = "很合适"
LABEL_FAIR = "可以考虑"
LABEL_CONFLICT = "不符合您的条件"


@dataclass(frozen=True)
class Weights:
    """Kept for callers of the first version (a linear blend of min–max normalised signals)."""

    semantic: float = 0.45
    lexical: float = 0.25
    structured: float = 0.30


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class OccupationWish:
    """An occupation the query asks for, how strongly (1 = asked for, 0.6 = only mentioned as
    experience) and the words it used ("开叉车")."""

    name: str
    weight: float
    surface: str


@dataclass
class MatchQuery:
    """What is being matched: a search phrase or a seeker profile, already encoded and tokenised."""

    vector: np.ndarray
    tokens: list[str]
    occupations: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)
    hours_wanted: list[str] = field(default_factory=list)
    hours_ruled_out: list[str] = field(default_factory=list)
    township_codes: list[str] = field(default_factory=list)
    # A seeker profile lists every certificate the person holds: a required one missing is a
    # mismatch. A search phrase that names no certificate says nothing about them.
    holds_all_certificates: bool = False
    words: list[str] = field(default_factory=list)
    wishes: list[OccupationWish] = field(default_factory=list)
    limits: SeekerLimits = field(default_factory=SeekerLimits)
    about_work: bool = True
    profile: bool = False

    def __post_init__(self):
        if not self.wishes and self.occupations:
            self.wishes = [OccupationWish(name, 1.0, name) for name in self.occupations]


@dataclass
class RankedVacancy:
    id: int
    score: float
    semantic: float
    lexical: float
    structured: float
    reasons: list[str]
    label: str = ""
    conflicts: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.conflicts


@dataclass
class Scored:
    """Features and reasons of the candidates of one query (``features`` is n × len(FEATURES))."""

    positions: np.ndarray
    cosine: np.ndarray
    bm25: np.ndarray
    features: np.ndarray
    structured: np.ndarray
    hard: list[list[Conflict]]
    reasons: list[list[str]]


def _occupation(doc, query: MatchQuery, memo: dict) -> tuple[float, float, float, list[str]]:
    """(exact, related, miss, reasons) for one vacancy; ``memo`` caches by the vacancy's occupations."""
    if not query.wishes:
        return 0.0, 0.0, 0.0, []
    names = tuple(doc.occupations or ([doc.occupation] if doc.occupation else []))
    cached = memo.get(names)
    if cached is not None:
        return cached
    vocab = vocabulary()
    exact = related = 0.0
    exact_reason = related_reason = ""
    for wish in query.wishes:
        for name in names:
            relation = vocab.relation(wish.name, name)
            if relation == "exact" and wish.weight > exact:
                exact = wish.weight
                exact_reason = f"职业对口：{name}" + (f"（您说“{wish.surface}”）" if wish.surface != name else "")
            elif relation == "related" and wish.weight > related:
                related = wish.weight
                related_reason = f"相近工种：{name}（与您说的“{wish.surface}”相近）"
    miss = 1.0 if not exact and not related and any(w.weight >= 1.0 and vocab.get(w.name) for w in query.wishes) \
        else 0.0
    if exact:
        result = (exact, 0.0, 0.0, [exact_reason])
    else:
        result = (0.0, related, miss, [related_reason] if related else [])
    memo[names] = result
    return result


def _certificates(doc, query: MatchQuery, demands) -> tuple[float, list[str], list[Conflict]]:
    """(score, reasons, hard conflicts): certificates held / asked for that the post requires count; for
    a profile (which lists all the person holds) a missing short-course certificate costs, a missing
    licence (驾驶证, 护士执业证 …) rules the post out."""
    score = 0.0
    reasons = []
    hard: list[Conflict] = []
    held = [c for c in doc.certificates if c in query.certificates]
    if held:
        score += min(1.0, 0.5 * len(held))
        reasons.append(("持有岗位要求的证书：" if query.holds_all_certificates else "证书相符：") + "、".join(held))
    if query.holds_all_certificates:
        required = list(doc.certificates)
        if "drive" in demands.demands and "驾驶证" not in required:
            required.append("驾驶证")
        missing = [c for c in required if c not in query.certificates and c != "健康证"]
        licences = [c for c in missing if c in LICENCES and not (c == "驾驶证" and query.limits.licence)]
        soft = [c for c in missing if c not in licences and not (c == "驾驶证" and query.limits.licence)]
        if soft:
            score -= 0.5 * len(soft)
            reasons.append("岗位要求证书（未登记持有）：" + "、".join(soft))
        for licence in licences:
            hard.append(Conflict("licence", f"要求{licence}：您登记的证书中没有{licence}"))
    return score, reasons, hard


def features(snapshot: Snapshot, query: MatchQuery, positions: np.ndarray) -> Scored:
    """The fusion features, the structured score and the reasons for the vacancies at ``positions``."""
    vector = np.ascontiguousarray(query.vector.reshape(-1), dtype=np.float32)
    vectors = snapshot.vectors()
    cosine = vectors[positions] @ vector
    sample = snapshot.cosine_sample() @ vector
    mean, spread = float(sample.mean()), float(sample.std()) or 1.0
    semantic_z = np.clip((cosine - mean) / spread, -3.0, 6.0)

    bm25_all = snapshot.lexical.score(query.tokens)
    bm25 = bm25_all[positions]
    top = float(bm25.max()) if len(bm25) else 0.0
    bm25_rel = bm25 / top if top > 0 else np.zeros_like(bm25)
    # Coverage: the idf-weighted share of the query's distinct tokens the vacancy contains (a token no
    # vacancy has counts with the highest idf, so "今天天气怎么样" covers nothing).
    max_idf = math.log(1.0 + (snapshot.size + 0.5) / 0.5) if snapshot.size else 1.0
    coverage_all = snapshot.lexical.coverage(query.tokens, max_idf)
    memo: dict = {}

    rows: list[tuple] = []
    structured: list[float] = []
    hard_all: list[list[Conflict]] = []
    reasons_all: list[list[str]] = []
    trade = 1.0 if query.wishes else 0.0
    open_ = 1.0 - trade
    limits = query.limits
    has_limits = bool(limits)
    townships = query.township_codes
    semantic_list, bm25_list = semantic_z.tolist(), bm25_rel.tolist()
    for i, p in enumerate(positions.tolist()):
        doc = snapshot.docs[p]
        coverage = float(coverage_all[p])
        exact, related, miss, occupation_reasons = _occupation(doc, query, memo)
        reasons: list[str] = list(occupation_reasons)
        demands = snapshot.demands(p)
        certificate_score, certificate_reasons, licence_conflicts = _certificates(doc, query, demands)
        town = 1.0 if townships and any(c in doc.region_codes for c in townships) else 0.0
        hours = 1.0 if doc.hours and doc.hours in query.hours_wanted else 0.0
        found = conflicts(limits, demands, hours=doc.hours, region_codes=doc.region_codes,
                          township=doc.township) if has_limits else []
        hard = [c for c in found if c.hard]
        if licence_conflicts and not any(c.key == "drive" for c in hard):
            hard += licence_conflicts
        soft = [c for c in found if not c.hard]
        wishes = wish_fit(limits, demands)
        sem = semantic_list[i]
        rows.append((sem * trade, sem * open_, coverage * trade, coverage * open_, bm25_list[i], exact, related, miss,
                     certificate_score, town, hours, len(soft), wishes, float(demands.skilled) * open_))
        structured.append(exact + 0.5 * related - miss + certificate_score + 0.5 * town + 0.3 * hours
                          - 0.5 * len(soft) + 0.3 * wishes - 2.0 * len(hard))
        reasons += certificate_reasons
        if town:
            reasons.append(f"工作地点在意向乡镇：{doc.township}")
        if hours:
            reasons.append(f"班次相符：{HOURS_LABELS.get(doc.hours, doc.hours)}")
        reasons += [c.reason for c in soft]
        hard_all.append(hard)
        reasons_all.append(reasons)
    matrix = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    return Scored(positions=positions, cosine=cosine, bm25=bm25, features=matrix,
                  structured=np.asarray(structured, dtype=np.float64), hard=hard_all, reasons=reasons_all)


def _keyword_reason(snapshot: Snapshot, doc, query: MatchQuery, already: str) -> str:
    """Whole words both sides share (the query's words found among the vacancy's words)."""
    if not query.words or not doc.words:
        return ""
    doc_words = set(doc.words)
    hits = [w for w in dict.fromkeys(query.words) if w in doc_words and w not in already]
    hits.sort(key=lambda w: -snapshot.lexical.term_idf(w))
    return "关键词匹配：" + "、".join(hits[:4]) if hits else ""


def candidates(snapshot: Snapshot, query: MatchQuery, *, pool: int, allowed: np.ndarray | None) -> np.ndarray:
    size = snapshot.size
    vector = np.ascontiguousarray(query.vector.reshape(1, -1), dtype=np.float32)
    n_sem = min(pool, size if allowed is None else int(allowed.size))
    params = None
    if allowed is not None:
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(snapshot.ids[allowed]))
    # One query: a single OpenMP thread. Faiss's default (all cores) spins on barriers and was 4×
    # slower for nq = 1 on a busy 2-core machine (10.7 ms vs 46 ms at 50,000 vacancies).
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        _, found = snapshot.index.search(vector, n_sem, params=params)
    finally:
        faiss.omp_set_num_threads(threads)
    chosen = {snapshot.position[int(i)] for i in found[0][found[0] >= 0]}

    bm25_all = snapshot.lexical.score(query.tokens)
    masked = bm25_all
    if allowed is not None:
        masked = np.full(size, -1.0, dtype=np.float32)
        masked[allowed] = bm25_all[allowed]
    positive = int((masked > 0).sum())
    if positive:
        n_lex = min(pool, positive)
        top = np.argpartition(-masked, n_lex - 1)[:n_lex]
        chosen.update(int(p) for p in top if masked[p] > 0)

    # Vacancies coded with an asked-for occupation, then neighbouring ones (slang the model does not
    # know), up to ``pool`` more; the newest first when there are more (positions follow insertion).
    vocab = vocabulary()
    names: list[str] = [w.name for w in query.wishes]
    for wish in query.wishes:
        occupation = vocab.get(wish.name)
        names += [n for n in (occupation.related if occupation else ()) if n not in names]
    added = 0
    for name in names:
        positions = snapshot.positions_of_occupation(name)
        if allowed is not None and positions.size:
            positions = positions[np.isin(positions, allowed)]
        for p in positions[::-1][:pool - added].tolist():
            if p not in chosen:
                chosen.add(p)
                added += 1
        if added >= pool:
            break
    return np.fromiter(sorted(chosen), dtype=np.int64)


def label_for(score: float, fits: bool) -> str:
    if not fits:
        return LABEL_CONFLICT
    return LABEL_GOOD if score >= GOOD else LABEL_FAIR


@dataclass
class Ranking:
    """The answer to a query: ``results`` (compatible vacancies, best first) and ``excluded`` (vacancies
    that would have ranked but break a hard limit of the person, with the reason: shown apart, never
    among the results)."""

    results: list[RankedVacancy] = field(default_factory=list)
    excluded: list[RankedVacancy] = field(default_factory=list)


def rank(snapshot: Snapshot, query: MatchQuery, *, k: int = 10, region_code: str | None = None,
         pool: int = 200, weights: Weights = DEFAULT_WEIGHTS, signal: str = "hybrid",
         exclude_ids: Sequence[int] = (), fusion: Fusion | None = None,
         threshold: float | None = None) -> list[RankedVacancy]:
    """The top ``k`` vacancies of ``snapshot`` for ``query`` (see :func:`rank_all`)."""
    return rank_all(snapshot, query, k=k, region_code=region_code, pool=pool, signal=signal,
                    exclude_ids=exclude_ids, fusion=fusion, threshold=threshold).results


def _allowed(snapshot: Snapshot, region_code: str | None, exclude_ids: Sequence[int]) -> np.ndarray | None | bool:
    allowed = None
    if region_code:
        allowed = snapshot.positions_in_region(region_code)
        if allowed.size == 0:
            return False
    if exclude_ids:
        excluded = {snapshot.position[i] for i in exclude_ids if i in snapshot.position}
        if excluded:
            base = allowed if allowed is not None else np.arange(snapshot.size)
            allowed = base[~np.isin(base, list(excluded))]
            if allowed.size == 0:
                return False
    return allowed


def rank_all(snapshot: Snapshot, query: MatchQuery, *, k: int = 10, region_code: str | None = None,
             pool: int = 200, signal: str = "hybrid", exclude_ids: Sequence[int] = (),
             fusion: Fusion | None = None, threshold: float | None = None, excluded_k: int = 5) -> Ranking:
    """The top ``k`` compatible vacancies of ``snapshot`` for ``query`` with a score ≥ the threshold,
    and up to ``excluded_k`` that break a hard limit. ``signal`` ranks by one signal alone (for the
    evaluation: every candidate, no threshold, no exclusion). ``fusion`` and ``threshold`` default to
    the fitted ones."""
    if signal not in SIGNALS:
        raise ValueError(f"signal must be one of {SIGNALS}")
    if snapshot.size == 0 or k <= 0:
        return Ranking()
    if signal == "hybrid" and not query.about_work:
        return Ranking()
    fusion = fusion or FUSION
    threshold = THRESHOLD if threshold is None else threshold
    allowed = _allowed(snapshot, region_code, exclude_ids)
    if allowed is False:
        return Ranking()
    positions = candidates(snapshot, query, pool=max(pool, k * 5), allowed=allowed)
    if positions.size == 0:
        return Ranking()
    scored = features(snapshot, query, positions)
    score = fusion.score(scored.features)
    final = {"semantic": scored.cosine.astype(np.float64), "lexical": scored.bm25.astype(np.float64),
             "structured": scored.structured}.get(signal, score)
    ids = snapshot.ids[positions]
    order = [int(n) for n in np.lexsort((-ids, -final))]  # by score, then vacancy id (newer first)
    if signal != "hybrid":
        return Ranking([_result(snapshot, query, scored, score, n) for n in order[:k]])
    passing = [n for n in order if final[n] >= threshold]
    results = [_result(snapshot, query, scored, score, n) for n in passing if not scored.hard[n]][:k]
    excluded = [_result(snapshot, query, scored, score, n) for n in passing if scored.hard[n]][:excluded_k]
    return Ranking(results, excluded)


def _result(snapshot: Snapshot, query: MatchQuery, scored: Scored, score: np.ndarray, n: int) -> RankedVacancy:
    p = int(scored.positions[n])
    doc = snapshot.docs[p]
    reasons = list(scored.reasons[n])
    keyword = _keyword_reason(snapshot, doc, query, "".join(reasons[:1]))
    if keyword:
        reasons.insert(1 if reasons and reasons[0].startswith(("职业对口", "相近工种")) else 0, keyword)
    if max(scored.features[n][0], scored.features[n][1]) >= 2.0 and not reasons:
        reasons.append("岗位描述与您的情况相近")
    hard = [c.reason for c in scored.hard[n]]
    if not reasons and not hard:
        reasons.append("岗位描述有一定相关")
    return RankedVacancy(
        id=int(snapshot.ids[p]), score=round(float(score[n]), 4), semantic=round(float(scored.cosine[n]), 4),
        lexical=round(float(scored.features[n][2] + scored.features[n][3]), 4),
        structured=round(float(scored.structured[n]), 4),
        reasons=hard + reasons, label=label_for(float(score[n]), not hard), conflicts=hard,
    )
