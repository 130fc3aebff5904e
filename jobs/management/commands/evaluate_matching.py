"""python manage.py evaluate_matching [--set PATH] — nDCG@5, MRR, recall@10, nonsense answered empty and
stated-limit violations in the top 5, for the hybrid ranking and each signal alone, on a labelled set
(the dev set by default; the held-out set by path: evaluation/matching/heldout.yaml)."""

from django.core.management.base import BaseCommand, CommandError

from jobs.matching.encoder import get_encoder
from jobs.matching.evaluation import DEFAULT_DEVSET, SetEvaluation, load_set
from jobs.matching.ranking import FEATURES, SIGNALS


def _share(value) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = "Evaluate the hybrid ranking and each signal alone on a labelled set (dev set by default)."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="path", default=str(DEFAULT_DEVSET),
                            help="labelled set (YAML); default the dev set in tests/jobs/devset/")
        parser.add_argument("--devset", dest="path", help="the same as --set (older name)")
        parser.add_argument("--per-query", action="store_true", help="also print nDCG@5 and top 5 per query")
        parser.add_argument("--by-kind", action="store_true", help="also print the hybrid's figures per query kind")
        parser.add_argument("--fit", action="store_true",
                            help="fit the fusion weights, threshold and 很合适 cut-off on this set and print them "
                                 "(for jobs/matching/ranking.py; only ever on the dev set)")

    def handle(self, *args, path, per_query=False, by_kind=False, fit=False, **options):
        data = load_set(path)
        if fit and "heldout" in str(path):
            raise CommandError("the held-out set is for measuring only: fit on the dev set")
        evaluation = SetEvaluation(data, get_encoder())
        if fit:
            fusion = evaluation.fit()
            threshold, good = evaluation.choose_threshold(fusion)
            self.stdout.write(f"FUSION = {fusion!r}\nTHRESHOLD = {threshold}\nGOOD = {good}")
            self.stdout.write("features: " + ", ".join(FEATURES))
        nonsense = sum(1 for q in evaluation.queries if q.nonsense)
        self.stdout.write(f"set: {len(data['vacancies'])} vacancies, {len(data['queries'])} queries "
                          f"({nonsense} nonsense), relevant from grade {evaluation.relevant_grade} ({path})")
        self.stdout.write(f"{'ranking':<12}{'nDCG@5':>9}{'MRR':>9}{'recall@10':>11}{'nonsense empty':>16}"
                          f"{'limit violations@5':>20}")
        metrics = {}
        for signal in SIGNALS:
            m = metrics[signal] = evaluation.run(signal)
            violations = "—" if m.limit_violations is None else f"{m.limit_violations} / {m.limit_queries} q"
            self.stdout.write(f"{signal:<12}{m.ndcg5:>9.3f}{m.mrr:>9.3f}{m.recall10:>11.3f}"
                              f"{_share(m.nonsense_empty):>16}{violations:>20}")
        if by_kind:
            for kind, m in metrics["hybrid"].by_kind.items():
                self.stdout.write(f"  hybrid, {kind:<9} ({m.graded_queries:>3} q){m.ndcg5:>9.3f}{m.mrr:>9.3f}"
                                  f"{m.recall10:>11.3f}")
        if per_query:
            for qid, kind, ndcg, top in evaluation.per_query("hybrid"):
                self.stdout.write(f"  {qid} [{kind}]: nDCG@5 {ndcg:.3f}  {' '.join(top)}")
