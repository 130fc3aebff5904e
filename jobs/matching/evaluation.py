"""Offline evaluation of the ranking on a labelled set: the dev set in tests/ or any set of the same
format (e.g. the held-out set, evaluation/matching/heldout.yaml).

A set is YAML: ``vacancies`` (key → title, occupation, township, hours, certificates, description,
requirements), ``queries`` (id, mode ``profile``/``search``, ``kind`` normal/limit/vague/slang/
nonsense, text, and for profiles desired/certificates/hours/townships; ``relevant`` key → grade,
unlisted = 0) and optionally ``relevant_grade`` (the lowest grade that counts as relevant for the
binary metrics; 2 when absent, as in the dev set's 3/2/1 grading).

Metrics, averaged over the queries that have at least one graded vacancy:

* nDCG@5 — graded gains 2^g − 1, the ideal order of the query's grades as denominator;
* MRR — reciprocal rank of the first relevant result (grade ≥ ``relevant_grade``);
* recall@10 — share of the relevant vacancies in the top 10.

Two more, for what a good answer must *not* contain:

* nonsense answered empty — share of the queries with ``relevant: {}`` (random letters, weather,
  benefit questions) that get an empty list;
* limit violations — for ``kind: limit`` queries (a stated limit such as 不能上夜班), the number of
  top-5 results graded 0. The set's grading makes a post that breaks the stated limit a 0 even when
  the trade matches, so a 0 in the top 5 of a limit query is a broken limit or an unrelated post.

Every vacancy and query goes through the same code as in production (features of the vacancy
text, the search phrase or the profile); the vacancies are encoded and indexed in memory.
No database.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from jobs.matching.index import build_snapshot
from jobs.matching.queries import profile_query, text_query
from jobs.matching.ranking import FEATURES, GOOD, SIGNALS, THRESHOLD, Fusion, features, rank
from jobs.matching.records import vacancy_record
from jobs.matching.text import HOURS_LABELS, seeker_text, vacancy_text

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DEVSET = ROOT / "tests" / "jobs" / "devset" / "matching_devset.yaml"
HELDOUT_SET = ROOT / "evaluation" / "matching" / "heldout.yaml"
COUNTY = "341125"
TOWNSHIP_NAMES = {"341125100": "定城镇", "341125101": "炉桥镇", "341125102": "藕塘镇", "341125103": "池河镇",
                  "341125104": "连江镇", "341125105": "吴圩镇", "341125106": "张桥镇", "341125107": "朱湾镇"}
DEFAULT_RELEVANT_GRADE = 2
# In choosing the threshold: what an unrelated result in the top 5 costs, against nDCG@5 (a list that
# shows three good posts and stops is better than one padded with two unrelated ones).
IRRELEVANT_PENALTY = 0.25
# Kept for callers of the first version (the dev set grades 3/2/1, relevant from 2).
RELEVANT_GRADE = DEFAULT_RELEVANT_GRADE


@dataclass(frozen=True)
class Metrics:
    ndcg5: float
    mrr: float
    recall10: float
    graded_queries: int = 0
    nonsense_queries: int = 0
    nonsense_empty: float | None = None      # share of nonsense queries answered with an empty list
    limit_queries: int = 0
    limit_violations: int | None = None     # top-5 results graded 0 over all limit queries
    by_kind: dict = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        out = {"nDCG@5": round(self.ndcg5, 4), "MRR": round(self.mrr, 4), "recall@10": round(self.recall10, 4)}
        if self.nonsense_empty is not None:
            out["nonsense empty"] = round(self.nonsense_empty, 4)
        if self.limit_violations is not None:
            out["limit violations@5"] = self.limit_violations
        return out


def load_set(path: str | Path = DEFAULT_DEVSET) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


load_devset = load_set


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int], relevant_grade: int = DEFAULT_RELEVANT_GRADE) -> float:
    for i, key in enumerate(ranked):
        if grades.get(key, 0) >= relevant_grade:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranked: list[str], grades: dict[str, int], k: int = 10,
              relevant_grade: int = DEFAULT_RELEVANT_GRADE) -> float:
    relevant = {key for key, g in grades.items() if g >= relevant_grade}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


@dataclass
class EvalQuery:
    id: str
    kind: str
    query: object          # MatchQuery
    grades: dict[str, int]

    @property
    def nonsense(self) -> bool:
        return not any(g > 0 for g in self.grades.values())


def vacancy_encoded_text(v: dict) -> str:
    return vacancy_text(title=v["title"], occupation=v.get("occupation", "") or "",
                        description=v.get("description", "") or "", requirements=v.get("requirements", "") or "",
                        certificates=v.get("certificates", []) or [],
                        hours_label=HOURS_LABELS.get(v.get("hours", ""), ""))


def profile_text(q: dict) -> str:
    return seeker_text(skills=q["text"], desired_occupations=q.get("desired", []) or [],
                       certificates=q.get("certificates", []) or [])


class SetEvaluation:
    """A labelled set encoded once; ``run(signal)`` ranks every query and scores it."""

    def __init__(self, data: dict, encoder):
        self.data = data
        self.relevant_grade = int(data.get("relevant_grade") or DEFAULT_RELEVANT_GRADE)
        self.keys = list(data["vacancies"])
        vectors = encoder.encode_for_matching([vacancy_encoded_text(data["vacancies"][k]) for k in self.keys])
        records = []
        for n, key in enumerate(self.keys):
            v = data["vacancies"][key]
            records.append(vacancy_record(
                id=n + 1, region_codes=[COUNTY, v["township"]], township=TOWNSHIP_NAMES.get(v["township"], ""),
                title=v["title"], occupation=v.get("occupation", "") or "", description=v.get("description", "") or "",
                requirements=v.get("requirements", "") or "", certificates=v.get("certificates", []) or [],
                hours=v.get("hours", "") or "", vector=vectors[n],
            ))
        self.snapshot = build_snapshot(records, dim=vectors.shape[1])
        texts = [profile_text(q) if q["mode"] == "profile" else q["text"] for q in data["queries"]]
        query_vectors = encoder.encode_queries(texts)
        self.queries: list[EvalQuery] = []
        for q, text, vector in zip(data["queries"], texts, query_vectors, strict=True):
            if q["mode"] == "profile":
                query = profile_query(text=text, vector=vector, desired=q.get("desired", []) or [],
                                      certificates=q.get("certificates", []) or [], hours=q.get("hours", []) or [],
                                      township_codes=q.get("townships", []) or [], township_names=TOWNSHIP_NAMES)
            else:
                query = text_query(text, vector, TOWNSHIP_NAMES)
            grades = {k: int(g) for k, g in (q.get("relevant") or {}).items()}
            self.queries.append(EvalQuery(q["id"], q.get("kind", "normal"), query, grades))

    def ranked_keys(self, query, signal: str = "hybrid", k: int = 10, fusion: Fusion | None = None,
                    threshold: float | None = None) -> list[str]:
        results = rank(self.snapshot, query, k=k, signal=signal, fusion=fusion, threshold=threshold)
        return [self.keys[r.id - 1] for r in results]

    # ------------------------------------------------------------------ fitting the fusion (dev set only)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Features and targets of every (query, vacancy) pair that the fusion decides: queries about
        work, vacancies without a hard conflict (those are set apart whatever their score). Target =
        grade ÷ the set's top grade (3/2/1 → 1, ⅔, ⅓)."""
        top = max([g for q in self.queries for g in q.grades.values()] or [1])
        positions = np.arange(self.snapshot.size, dtype=np.int64)
        rows, targets = [], []
        for q in self.queries:
            if not q.query.about_work:
                continue
            scored = features(self.snapshot, q.query, positions)
            for n, p in enumerate(positions):
                if scored.hard[n]:
                    continue
                rows.append(scored.features[n])
                targets.append(q.grades.get(self.keys[int(self.snapshot.ids[p]) - 1], 0) / top)
        return np.asarray(rows), np.asarray(targets)

    def fit(self, ridge: float = 1.0, iterations: int = 50) -> Fusion:
        """Logistic regression with soft targets (Newton's method, L2 ridge on the weights)."""
        x, y = self.pairs()
        design = np.hstack([np.ones((len(x), 1)), x])
        beta = np.zeros(design.shape[1])
        penalty = np.eye(design.shape[1]) * ridge
        penalty[0, 0] = 0.0
        for _ in range(iterations):
            p = 1.0 / (1.0 + np.exp(-(design @ beta)))
            gradient = design.T @ (p - y) + penalty @ beta
            hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
            step = np.linalg.solve(hessian, gradient)
            beta -= step
            if np.abs(step).max() < 1e-8:
                break
        return Fusion(weights=tuple(round(float(b), 3) for b in beta[1:]), bias=round(float(beta[0]), 3))

    def choose_threshold(self, fusion: Fusion, grid: np.ndarray | None = None) -> tuple[float, float]:
        """(threshold, good): the threshold maximises the mean over all queries of nDCG@5 less
        ``IRRELEVANT_PENALTY`` × the share of the top 5 graded 0 (graded queries), and 1/0 for an empty
        answer (nonsense queries); "很合适" starts at the lowest score
        above which ≥ 75 % of the returned results are relevant."""
        grid = np.round(np.arange(0.02, 0.61, 0.02), 2) if grid is None else grid
        best = (-1.0, THRESHOLD)
        for tau in grid:
            total = 0.0
            for q in self.queries:
                ranked = self.ranked_keys(q.query, "hybrid", fusion=fusion, threshold=float(tau))
                if q.nonsense:
                    total += not ranked
                else:
                    unrelated = sum(1 for key in ranked[:5] if q.grades.get(key, 0) == 0)
                    total += ndcg_at(ranked, q.grades, 5) - IRRELEVANT_PENALTY * unrelated / 5
            value = total / len(self.queries)
            if value > best[0] + 1e-9:
                best = (value, float(tau))
        threshold = best[1]
        returned = []
        for q in self.queries:
            for r in rank(self.snapshot, q.query, k=10, fusion=fusion, threshold=threshold):
                returned.append((r.score, q.grades.get(self.keys[r.id - 1], 0) >= self.relevant_grade))
        good = GOOD
        for candidate in sorted({round(s, 2) for s, _ in returned}):
            above = [ok for s, ok in returned if s >= candidate]
            if above and sum(above) / len(above) >= 0.75:
                good = max(candidate, threshold)
                break
        return threshold, good

    def run(self, signal: str = "hybrid", fusion: Fusion | None = None, threshold: float | None = None) -> Metrics:
        sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
        ndcg = mrr = recall = 0.0
        graded = nonsense = nonsense_empty = limit_queries = violations = 0
        for q in self.queries:
            ranked = self.ranked_keys(q.query, signal, fusion=fusion, threshold=threshold)
            if q.nonsense:
                nonsense += 1
                nonsense_empty += not ranked
                continue
            graded += 1
            n, m, r = (ndcg_at(ranked, q.grades, 5), reciprocal_rank(ranked, q.grades, self.relevant_grade),
                       recall_at(ranked, q.grades, 10, self.relevant_grade))
            ndcg, mrr, recall = ndcg + n, mrr + m, recall + r
            bucket = sums[q.kind]
            bucket[0] += n
            bucket[1] += m
            bucket[2] += r
            bucket[3] += 1
            if q.kind == "limit":
                limit_queries += 1
                violations += sum(1 for key in ranked[:5] if q.grades.get(key, 0) == 0)
        by_kind = {kind: Metrics(s[0] / s[3], s[1] / s[3], s[2] / s[3], graded_queries=s[3])
                   for kind, s in sorted(sums.items())}
        n = graded or 1
        return Metrics(ndcg / n, mrr / n, recall / n, graded_queries=graded, nonsense_queries=nonsense,
                       nonsense_empty=(nonsense_empty / nonsense) if nonsense else None,
                       limit_queries=limit_queries, limit_violations=violations if limit_queries else None,
                       by_kind=by_kind)

    def per_query(self, signal: str = "hybrid") -> list[tuple[str, str, float, list[str]]]:
        out = []
        for q in self.queries:
            ranked = self.ranked_keys(q.query, signal)
            out.append((q.id, q.kind, ndcg_at(ranked, q.grades, 5), ranked[:5]))
        return out


# The first version's name (the dev set was the only set).
DevsetEvaluation = SetEvaluation


def evaluate(path: str | Path = DEFAULT_DEVSET, encoder=None) -> dict:
    """{signal: Metrics} for the hybrid ranking and each signal alone."""
    if encoder is None:
        from jobs.matching.encoder import get_encoder

        encoder = get_encoder()
    evaluation = SetEvaluation(load_set(path), encoder)
    return {signal: evaluation.run(signal) for signal in SIGNALS}


__all__ = [
    "DEFAULT_DEVSET",
    "FEATURES",
    "HELDOUT_SET",
    "DevsetEvaluation",
    "Metrics",
    "SetEvaluation",
    "evaluate",
    "load_devset",
    "load_set",
    "ndcg_at",
    "recall_at",
    "reciprocal_rank",
]
