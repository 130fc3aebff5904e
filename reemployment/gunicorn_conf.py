"""gunicorn settings for the web process: ``gunicorn -c python:reemployment.gunicorn_conf reemployment.wsgi``.

Every value can be overridden on the command line or with ``GUNICORN_CMD_ARGS``. Each worker warms
vacancy search (model, index snapshot, one query) before it accepts its first request, so a restart
or a new worker never hands a visitor the 6–7 s model load (``WARM_UP_SEARCH=0`` skips it, e.g. on a
host that serves no search).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 120
preload_app = True
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    if os.environ.get("WARM_UP_SEARCH", "1") != "1":
        return
    try:
        from jobs.selectors import warm_up_search

        worker.log.info("vacancy search warmed up in %.1f s", warm_up_search())
    except Exception:  # never keep a worker from serving pages: the first search will load the model
        worker.log.exception("vacancy search warm-up failed")
