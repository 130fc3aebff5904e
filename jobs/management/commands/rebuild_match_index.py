"""python manage.py rebuild_match_index — rebuild the vacancy index from stored vectors."""

from django.core.management.base import BaseCommand

from jobs.matching.pipeline import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the FAISS match index of open vacancies from the vectors stored in the database."

    def add_arguments(self, parser):
        parser.add_argument("--no-encode", action="store_true",
                            help="do not encode vacancies whose vector is missing or stale (leave them out)")

    def handle(self, *args, no_encode=False, **options):
        result = rebuild_index(encode_missing=not no_encode)
        self.stdout.write(
            f"match index v{result['version']}: {result['count']} open vacancies "
            f"({result['encoded']} encoded, {result['skipped']} without vector) in {result['seconds']} s"
        )
