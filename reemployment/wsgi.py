"""WSGI entry point (gunicorn reemployment.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
application = get_wsgi_application()
