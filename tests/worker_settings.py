"""Settings for a Celery worker that a test starts (tests/conftest.py puts this module in the
environment the worker inherits): the project's settings, with the test process's own queue."""

import os

from reemployment.settings import *

CELERY_TASK_DEFAULT_QUEUE = os.environ["TESTS_CELERY_QUEUE"]
