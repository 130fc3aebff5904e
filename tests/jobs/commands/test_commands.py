"""rebuild_match_index (from stored vectors) and evaluate_matching (the hybrid beats each signal)."""

import io

import pytest
from django.core.management import call_command

from jobs import services
from jobs.matching.evaluation import DevsetEvaluation, load_devset, ndcg_at, recall_at, reciprocal_rank
from jobs.matching.index import get_store
from jobs.matching.ranking import SIGNALS
from jobs.models import Vacancy
from tests.jobs.factories import make_employer, vacancy_fields


@pytest.mark.django_db
def test_rebuild_uses_stored_vectors_and_encodes_only_missing(users, regions, encoder, match_index_dir,
                                                              django_capture_on_commit_callbacks):
    employer = make_employer(regions["town_b"])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.vacancy_create(actor=users["labour"], **vacancy_fields(employer, regions["town_b"]))
    stored = Vacancy.objects.get(pk=first.pk).vector
    # A row inserted without the service (e.g. restored from a dump) has no vector and no tokens.
    second = Vacancy.objects.create(**vacancy_fields(employer, regions["town_b"], title="保安"))
    out = io.StringIO()
    call_command("rebuild_match_index", "--no-encode", stdout=out)
    assert "1 open vacancies" in out.getvalue() and "1 without vector" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_match_index", stdout=out)
    assert "2 open vacancies (1 encoded" in out.getvalue()
    assert bytes(Vacancy.objects.get(pk=first.pk).vector) == bytes(stored)  # not re-encoded
    assert sorted(get_store().snapshot().ids.tolist()) == [first.pk, second.pk]
    assert Vacancy.objects.get(pk=second.pk).search_tokens


def test_metrics_arithmetic():
    grades = {"a": 3, "b": 2, "c": 1}
    # ideal order a, b, c: DCG = 7/1 + 3/log2(3) + 1/2 = IDCG → 1.0
    assert ndcg_at(["a", "b", "c"], grades, 5) == pytest.approx(1.0)
    # c, x, a: DCG = 1 + 0 + 7/2 = 4.5; IDCG = 7 + 1.8928 + 0.5 = 9.3928 → 0.4791
    assert ndcg_at(["c", "x", "a"], grades, 5) == pytest.approx(4.5 / (7 + 3 / 1.5849625 + 0.5), rel=1e-4)
    assert reciprocal_rank(["c", "x", "b"], grades) == pytest.approx(1 / 3)  # first grade ≥ 2 at rank 3
    assert recall_at(["b", "x"], grades, 10) == 0.5  # b of {a, b}


@pytest.fixture(scope="module")
def dev_metrics(encoder):
    devset = load_devset()
    evaluation = DevsetEvaluation(devset, encoder)
    return devset, {signal: evaluation.run(signal) for signal in SIGNALS}


# Floors a little below what the dev set gave when the fusion was fitted (docs/matching.md, "Dev set"):
# nDCG@5 0.915, MRR 0.937, recall@10 0.905, every nonsense query empty, 10 unrelated results in the
# top 5 of the 16 limit queries.
FLOORS = {"nDCG@5": 0.89, "MRR": 0.90, "recall@10": 0.87}


def test_hybrid_stays_above_its_floors_on_the_dev_set(dev_metrics):
    devset, metrics = dev_metrics
    assert len(devset["vacancies"]) >= 70 and len(devset["queries"]) >= 100
    hybrid = metrics["hybrid"]
    assert hybrid.ndcg5 >= FLOORS["nDCG@5"] and hybrid.mrr >= FLOORS["MRR"] and hybrid.recall10 >= FLOORS["recall@10"], \
        hybrid.as_dict()
    assert hybrid.nonsense_queries >= 10 and hybrid.nonsense_empty == 1.0  # 今天天气怎么样, 我想申请低保 … → []
    assert hybrid.limit_queries >= 15 and hybrid.limit_violations <= 14


def test_hybrid_beats_every_single_signal_on_the_dev_set(dev_metrics):
    _, metrics = dev_metrics
    best_single = max(metrics[s].ndcg5 for s in SIGNALS if s != "hybrid")
    assert metrics["hybrid"].ndcg5 > best_single, {s: m.as_dict() for s, m in metrics.items()}
    assert metrics["hybrid"].mrr >= max(metrics[s].mrr for s in SIGNALS if s != "hybrid")
    # a single signal never answers "nothing fits" and breaks stated limits far more often
    for signal in ("semantic", "lexical", "structured"):
        assert metrics[signal].nonsense_empty == 0.0
        assert metrics[signal].limit_violations > metrics["hybrid"].limit_violations


def test_metrics_of_a_set_with_nonsense_and_limit_queries():
    """Nonsense queries (relevant: {}) are not averaged into nDCG; they count as answered when empty.
    Limit violations: top-5 results graded 0 of `kind: limit` queries."""
    from jobs.matching.evaluation import EvalQuery, SetEvaluation

    evaluation = SetEvaluation.__new__(SetEvaluation)
    evaluation.relevant_grade = 1
    answers = {"n1": [], "n2": ["a"], "l1": ["a", "x", "y"], "g1": ["b", "a"]}
    evaluation.queries = [EvalQuery("n1", "nonsense", "n1", {}), EvalQuery("n2", "nonsense", "n2", {}),
                          EvalQuery("l1", "limit", "l1", {"a": 2}), EvalQuery("g1", "normal", "g1", {"a": 2, "b": 1})]
    evaluation.ranked_keys = lambda query, signal="hybrid", k=10, fusion=None, threshold=None: answers[query]
    metrics = evaluation.run()
    assert metrics.nonsense_queries == 2 and metrics.nonsense_empty == 0.5
    assert metrics.limit_queries == 1 and metrics.limit_violations == 2   # x and y are graded 0
    assert metrics.graded_queries == 2
    # g1: DCG = 1/1 + 3/log2(3) = 2.8928; IDCG = 3 + 1/log2(3) = 3.6309 → 0.7967; l1: 1.0 → mean 0.8984
    assert metrics.ndcg5 == pytest.approx((1.0 + (1 + 3 / 1.5849625) / (3 + 1 / 1.5849625)) / 2, rel=1e-4)
    assert metrics.mrr == pytest.approx(1.0)   # grade ≥ 1 counts: "b" (grade 1) is first in g1


def test_evaluate_matching_command_prints_the_table(encoder, tmp_path):
    """--set takes any labelled set (here a small one written for the test)."""
    small = tmp_path / "small.yaml"
    small.write_text(
        "relevant_grade: 1\n"
        "vacancies:\n"
        "  w: {title: 电焊工, occupation: 电焊工, township: '341125101', hours: day, certificates: [焊工证],"
        " description: 钢结构焊接, requirements: 有焊工证}\n"
        "  g: {title: 工厂门卫, occupation: 保安员, township: '341125101', hours: night, certificates: [],"
        " description: 夜班门卫, requirements: 60岁以下}\n"
        "queries:\n"
        "  - {id: a, mode: search, kind: slang, text: 烧电焊, relevant: {w: 2}}\n"
        "  - {id: b, mode: search, kind: limit, text: 看大门 不能上夜班, relevant: {}}\n"
        "  - {id: c, mode: search, kind: nonsense, text: 今天天气怎么样, relevant: {}}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("evaluate_matching", "--set", str(small), "--by-kind", stdout=out)
    text = out.getvalue()
    for signal in SIGNALS:
        assert signal in text
    assert "nDCG@5" in text and "recall@10" in text and "nonsense empty" in text and "limit violations@5" in text
    hybrid = next(line for line in text.splitlines() if line.startswith("hybrid "))
    # 烧电焊 → the welding post first (nDCG 1); nonsense: 2 of 2 empty (b has nothing relevant either)
    assert hybrid.split()[1:5] == ["1.000", "1.000", "1.000", "1.000"], text


def test_fitting_refuses_the_held_out_set():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("evaluate_matching", "--set", "evaluation/matching/heldout.yaml", "--fit")
