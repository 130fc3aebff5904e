"""The Celery application.

With ``CELERY_BROKER_URL`` unset, tasks run in-process and eagerly (the embedded
default for ``make run`` and ``make test``); set it (e.g. redis://127.0.0.1:6379/0)
to send them to real workers. Periodic schedules live in ``reemployment.schedules``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")

app = Celery("reemployment")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
