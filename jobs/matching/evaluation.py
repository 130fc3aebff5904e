"""Offline evaluation of the ranking on the labelled dev set (tests/jobs/devset/matching_devset.yaml).

Metrics per query, averaged: nDCG@5 (graded gains 2^g − 1), MRR (first result with grade ≥ 2),
recall@10 (share of the grade ≥ 2 vacancies in the top 10). Computed for the hybrid ranking and for
each signal alone. Needs no database: the dev vacancies are encoded and indexed in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from jobs.matching.index import IndexedVacancy, build_snapshot
from jobs.matching.queries import profile_query, text_query
from jobs.matching.ranking import DEFAULT_WEIGHTS, SIGNALS, Weights, rank
from jobs.matching.text import HOURS_LABELS, seeker_text, tokenize, vacancy_text

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "tests" / "jobs" / "devset" / "matching_devset.yaml"
COUNTY = "341125"
TOWNSHIP_NAMES = {"341125100": "定城镇", "341125101": "炉桥镇", "341125102": "藕塘镇", "341125103": "池河镇",
                  "341125104": "连江镇", "341125105": "吴圩镇", "341125106": "张桥镇", "341125107": "朱湾镇"}
RELEVANT_GRADE = 2


@dataclass(frozen=True)
class Metrics:
    ndcg5: float
    mrr: float
    recall10: float

    def as_dict(self) -> dict:
        return {"nDCG@5": round(self.ndcg5, 4), "MRR": round(self.mrr, 4), "recall@10": round(self.recall10, 4)}


def load_devset(path: str | Path = DEFAULT_DEVSET) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    for i, key in enumerate(ranked):
        if grades.get(key, 0) >= RELEVANT_GRADE:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    relevant = {key for key, g in grades.items() if g >= RELEVANT_GRADE}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


class DevsetEvaluation:
    """The dev set encoded once; ``run(signal, weights)`` ranks every query and scores it."""

    def __init__(self, devset: dict, encoder):
        self.devset = devset
        self.keys = list(devset["vacancies"])
        records = []
        texts = []
        for key in self.keys:
            v = devset["vacancies"][key]
            texts.append(vacancy_text(title=v["title"], occupation=v.get("occupation", ""),
                                      description=v.get("description", ""), requirements=v.get("requirements", ""),
                                      certificates=v.get("certificates", []),
                                      hours_label=HOURS_LABELS.get(v.get("hours", ""), "")))
        vectors = encoder.encode_for_matching(texts)
        for n, key in enumerate(self.keys):
            v = devset["vacancies"][key]
            token_text = " ".join([v["title"], v["title"], v.get("occupation", ""), v.get("description", ""),
                                   v.get("requirements", ""), " ".join(v.get("certificates", []))])
            records.append(IndexedVacancy(
                id=n + 1, region_codes=[COUNTY, v["township"]], township=TOWNSHIP_NAMES.get(v["township"], ""),
                occupation=v.get("occupation", ""), certificates=list(v.get("certificates", [])),
                hours=v.get("hours", ""), tokens=tokenize(token_text), vector=vectors[n],
            ))
        self.snapshot = build_snapshot(records, dim=vectors.shape[1])
        self.queries = []
        query_texts = []
        for q in devset["queries"]:
            if q["mode"] == "profile":
                query_texts.append(seeker_text(skills=q["text"], desired_occupations=q.get("desired", []),
                                               certificates=q.get("certificates", [])))
            else:
                query_texts.append(q["text"])
        query_vectors = encoder.encode_queries(query_texts)
        for q, text, vector in zip(devset["queries"], query_texts, query_vectors, strict=True):
            if q["mode"] == "profile":
                query = profile_query(text=text, vector=vector, desired=q.get("desired", []),
                                      certificates=q.get("certificates", []), hours=q.get("hours", []),
                                      township_codes=q.get("townships", []))
            else:
                query = text_query(text, vector, TOWNSHIP_NAMES)
            self.queries.append((q["id"], query, {k: int(g) for k, g in q["relevant"].items()}))

    def ranked_keys(self, query, signal: str, weights: Weights, k: int = 10) -> list[str]:
        results = rank(self.snapshot, query, k=k, signal=signal, weights=weights)
        return [self.keys[r.id - 1] for r in results]

    def run(self, signal: str = "hybrid", weights: Weights = DEFAULT_WEIGHTS) -> Metrics:
        ndcg = mrr = recall = 0.0
        for _, query, grades in self.queries:
            ranked = self.ranked_keys(query, signal, weights)
            ndcg += ndcg_at(ranked, grades, 5)
            mrr += reciprocal_rank(ranked, grades)
            recall += recall_at(ranked, grades, 10)
        n = len(self.queries)
        return Metrics(ndcg / n, mrr / n, recall / n)

    def per_query(self, signal: str = "hybrid", weights: Weights = DEFAULT_WEIGHTS) -> list[tuple[str, float, list]]:
        return [(qid, ndcg_at(r := self.ranked_keys(query, signal, weights), grades, 5), r[:5])
                for qid, query, grades in self.queries]


def evaluate(devset_path: str | Path = DEFAULT_DEVSET, encoder=None, weights: Weights = DEFAULT_WEIGHTS) -> dict:
    """{signal: Metrics} for the hybrid ranking and each signal alone."""
    if encoder is None:
        from jobs.matching.encoder import get_encoder

        encoder = get_encoder()
    evaluation = DevsetEvaluation(load_devset(devset_path), encoder)
    return {signal: evaluation.run(signal, weights) for signal in SIGNALS}


__all__ = ["DEFAULT_DEVSET", "DevsetEvaluation", "Metrics", "evaluate", "load_devset", "ndcg_at",
           "recall_at", "reciprocal_rank"]
