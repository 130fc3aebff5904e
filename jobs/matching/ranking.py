"""Hybrid ranking of open vacancies for a search phrase or a seeker profile (DESIGN.md §3).

Three signals, each normalised to about [0, 1] within the candidate pool, then weighted:

* semantic — cosine similarity of E5 vectors (FAISS inner product over unit vectors);
* lexical  — BM25 over jieba tokens (so 叉车证 and 焊工 count as words, not characters);
* structured — occupation match, certificates held/required/asked for, preferred township, hours.

Candidates are the union of the semantic top-N and the lexical top-N, after the hard filters
(only open vacancies are in the snapshot; the region filter when asked). Every result carries
reasons in Chinese saying which signals put it there. Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import faiss
import numpy as np

from jobs.matching.index import Snapshot
from jobs.matching.text import HOURS_LABELS

SIGNALS = ("hybrid", "semantic", "lexical", "structured")


@dataclass(frozen=True)
class Weights:
    semantic: float = 0.45
    lexical: float = 0.25
    structured: float = 0.30


DEFAULT_WEIGHTS = Weights()


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


@dataclass
class RankedVacancy:
    id: int
    score: float
    semantic: float
    lexical: float
    structured: float
    reasons: list[str]


def _structured(doc, query: MatchQuery) -> tuple[float, list[str]]:
    score = 0.0
    reasons: list[str] = []
    if doc.occupation and doc.occupation in query.occupations:
        score += 1.0
        reasons.append(f"职业对口：{doc.occupation}")
    held = [c for c in doc.certificates if c in query.certificates]
    if held:
        score += min(1.0, 0.5 * len(held))
        reasons.append(("持有岗位要求的证书：" if query.holds_all_certificates else "证书相符：") + "、".join(held))
    if query.holds_all_certificates:
        missing = [c for c in doc.certificates if c not in query.certificates]
        if missing:
            score -= 0.5 * len(missing)
            reasons.append("岗位要求证书（未登记持有）：" + "、".join(missing))
    if query.township_codes and any(code in doc.region_codes for code in query.township_codes):
        score += 0.5
        reasons.append(f"工作地点在意向乡镇：{doc.township}")
    if doc.hours and doc.hours in query.hours_ruled_out:
        score -= 1.0
        reasons.append(f"班次不符：{HOURS_LABELS.get(doc.hours, doc.hours)}")
    elif doc.hours and doc.hours in query.hours_wanted:
        score += 0.3
        reasons.append(f"班次相符：{HOURS_LABELS.get(doc.hours, doc.hours)}")
    return score, reasons


def rank(snapshot: Snapshot, query: MatchQuery, *, k: int = 10, region_code: str | None = None,
         pool: int = 200, weights: Weights = DEFAULT_WEIGHTS, signal: str = "hybrid",
         exclude_ids: Sequence[int] = ()) -> list[RankedVacancy]:
    """The top ``k`` vacancies of ``snapshot`` for ``query``; ``signal`` ranks by one signal alone
    (for the evaluation)."""
    if signal not in SIGNALS:
        raise ValueError(f"signal must be one of {SIGNALS}")
    size = snapshot.size
    if size == 0 or k <= 0:
        return []
    allowed = None
    if region_code:
        allowed = snapshot.positions_in_region(region_code)
        if allowed.size == 0:
            return []
    if exclude_ids:
        excluded = {snapshot.position[i] for i in exclude_ids if i in snapshot.position}
        if excluded:
            base = allowed if allowed is not None else np.arange(size)
            allowed = base[~np.isin(base, list(excluded))]
            if allowed.size == 0:
                return []
    pool = max(pool, k * 5)
    vector = np.ascontiguousarray(query.vector.reshape(1, -1), dtype=np.float32)

    # Semantic candidates from FAISS (restricted to the allowed ids when filtering).
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
    sem_ids = found[0][found[0] >= 0]
    candidates = {snapshot.position[int(i)] for i in sem_ids}

    # Lexical candidates: BM25 over every allowed vacancy.
    bm25_all = snapshot.lexical.score(query.tokens)
    if allowed is not None:
        masked = np.full(size, -1.0, dtype=np.float32)
        masked[allowed] = bm25_all[allowed]
    else:
        masked = bm25_all
    positive = int((masked > 0).sum())
    if positive:
        n_lex = min(pool, positive)
        top = np.argpartition(-masked, n_lex - 1)[:n_lex]
        candidates.update(int(p) for p in top if masked[p] > 0)

    positions = np.fromiter(candidates, dtype=np.int64)
    vectors = snapshot.vectors()
    semantic = vectors[positions] @ vector[0]
    lexical = bm25_all[positions]
    structured_scores = np.zeros(len(positions), dtype=np.float32)
    structured_reasons: list[list[str]] = []
    for n, p in enumerate(positions):
        s, r = _structured(snapshot.docs[int(p)], query)
        structured_scores[n] = s
        structured_reasons.append(r)

    sem_lo, sem_hi = float(semantic.min()), float(semantic.max())
    sem_norm = (semantic - sem_lo) / (sem_hi - sem_lo) if sem_hi > sem_lo else np.ones_like(semantic)
    lex_hi = float(lexical.max())
    lex_norm = lexical / lex_hi if lex_hi > 0 else np.zeros_like(lexical)
    struct_norm = np.clip(structured_scores / 2.0, -1.0, 1.0)

    if signal == "semantic":
        final = semantic
    elif signal == "lexical":
        final = lexical
    elif signal == "structured":
        final = structured_scores
    else:
        final = weights.semantic * sem_norm + weights.lexical * lex_norm + weights.structured * struct_norm

    # Stable order: score, then vacancy id (newer first) so equal scores are deterministic.
    order = sorted(range(len(positions)), key=lambda n: (-float(final[n]), -int(snapshot.ids[positions[n]])))[:k]
    query_terms = sorted(set(query.tokens), key=lambda t: -snapshot.lexical.term_idf(t))
    results = []
    for n in order:
        p = int(positions[n])
        doc = snapshot.docs[p]
        reasons = []
        if sem_norm[n] >= 0.5:
            reasons.append(f"内容语义相近（相似度 {float(semantic[n]):.2f}）")
        if lexical[n] > 0:
            doc_tokens = set(doc.tokens)
            hits = [t for t in query_terms if t in doc_tokens and len(t) > 1][:5]
            if hits:
                reasons.append("关键词匹配：" + "、".join(hits))
        reasons.extend(structured_reasons[n])
        if not reasons:
            reasons.append(f"内容有一定相关（相似度 {float(semantic[n]):.2f}）")
        results.append(RankedVacancy(
            id=int(snapshot.ids[p]), score=round(float(final[n]), 4), semantic=round(float(semantic[n]), 4),
            lexical=round(float(lex_norm[n]), 4), structured=round(float(structured_scores[n]), 4), reasons=reasons,
        ))
    return results
