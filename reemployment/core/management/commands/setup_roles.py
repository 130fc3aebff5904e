"""python manage.py setup_roles — (re)create the permission group of every role. Also runs after migrate."""

from django.core.management.base import BaseCommand

from reemployment.core.roles import sync_role_groups


class Command(BaseCommand):
    help = "Create or refresh one permission group per role from the code's declarations."

    def handle(self, *args, **options):
        for role, count in sync_role_groups().items():
            self.stdout.write(f"{role}: {count} permissions")
