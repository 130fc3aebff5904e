"""python manage.py seed_demo — the demo county, logins for each role, and each app's demo data.

Idempotent: running it again leaves the data as it was. Each app may provide
``<app>/demo.py`` with ``seed(stdout)``; they run in dependency order.
"""

import importlib
import time

from django.core.management.base import BaseCommand

from reemployment.core.demo import DEMO_PASSWORD, seed_policy, seed_users
from reemployment.schedules import sync_schedules

APP_SEEDERS = ("benefits", "benefits.payroll", "benefits.integrity", "benefits.checks", "jobs", "training",
               "incentives", "cms")


class Command(BaseCommand):
    help = "Load the demo policy, demo logins and demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--skip-apps", action="store_true", help="only the policy and the logins")

    def handle(self, *args, skip_apps=False, **options):
        started = time.monotonic()
        seed_policy(self.stdout)
        self.stdout.write(f"periodic schedules: {sync_schedules()}")
        rows = seed_users(self.stdout)
        if not skip_apps:
            for app in APP_SEEDERS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                t0 = time.monotonic()
                module.seed(self.stdout)
                self.stdout.write(f"{app}: demo data ready in {time.monotonic() - t0:.1f} s")
        self.stdout.write(f"demo ready in {time.monotonic() - started:.1f} s")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, region in rows:
            self.stdout.write(f"  {username:<11} {role:<14} {region}")
