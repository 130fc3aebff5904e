"""python manage.py evaluate_matching — nDCG@5, MRR and recall@10 on the labelled dev set."""

from django.core.management.base import BaseCommand

from jobs.matching.encoder import get_encoder
from jobs.matching.evaluation import DEFAULT_DEVSET, DevsetEvaluation, load_devset
from jobs.matching.ranking import SIGNALS


class Command(BaseCommand):
    help = "Evaluate the hybrid ranking and each signal alone on the labelled Chinese dev set."

    def add_arguments(self, parser):
        parser.add_argument("--devset", default=str(DEFAULT_DEVSET))
        parser.add_argument("--per-query", action="store_true", help="also print nDCG@5 and top 5 per query")

    def handle(self, *args, devset, per_query=False, **options):
        data = load_devset(devset)
        evaluation = DevsetEvaluation(data, get_encoder())
        self.stdout.write(f"dev set: {len(data['vacancies'])} vacancies, {len(data['queries'])} queries ({devset})")
        self.stdout.write(f"{'ranking':<12}{'nDCG@5':>9}{'MRR':>9}{'recall@10':>11}")
        for signal in SIGNALS:
            metrics = evaluation.run(signal)
            self.stdout.write(f"{signal:<12}{metrics.ndcg5:>9.3f}{metrics.mrr:>9.3f}{metrics.recall10:>11.3f}")
        if per_query:
            for qid, ndcg, top in evaluation.per_query("hybrid"):
                self.stdout.write(f"  {qid}: nDCG@5 {ndcg:.3f}  {' '.join(top)}")
