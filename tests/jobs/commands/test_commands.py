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


def test_hybrid_beats_every_single_signal_on_the_dev_set(encoder):
    devset = load_devset()
    assert len(devset["vacancies"]) >= 30 and len(devset["queries"]) >= 20
    evaluation = DevsetEvaluation(devset, encoder)
    metrics = {signal: evaluation.run(signal) for signal in SIGNALS}
    best_single = max(metrics[s].ndcg5 for s in SIGNALS if s != "hybrid")
    assert metrics["hybrid"].ndcg5 > best_single, metrics
    assert metrics["hybrid"].mrr >= max(metrics[s].mrr for s in SIGNALS if s != "hybrid")
    assert metrics["hybrid"].recall10 >= max(metrics[s].recall10 for s in SIGNALS if s != "hybrid")


def test_evaluate_matching_command_prints_the_table(encoder):
    out = io.StringIO()
    call_command("evaluate_matching", stdout=out)
    text = out.getvalue()
    for signal in SIGNALS:
        assert signal in text
    assert "nDCG@5" in text and "recall@10" in text
