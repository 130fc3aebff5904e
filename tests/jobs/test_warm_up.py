"""Each gunicorn worker warms vacancy search before it serves (reemployment/gunicorn_conf.py)."""

import logging

import pytest

from jobs.matching.encoder import get_encoder
from jobs.selectors import warm_up_search
from reemployment import gunicorn_conf
from tests.jobs.factories import add_vacancy, make_employer


class _Worker:
    """Stands in for gunicorn's worker object: the hook only uses its logger."""

    log = logging.getLogger("tests.gunicorn")


@pytest.mark.django_db
def test_warm_up_loads_the_model_and_the_index_and_runs_a_query(regions):
    add_vacancy(make_employer(regions["town_b"]), regions["town_b"], title="电焊工")
    seconds = warm_up_search()
    assert seconds > 0
    assert get_encoder()._model is not None


@pytest.mark.django_db
def test_the_hook_warms_and_logs(regions, monkeypatch, caplog):
    monkeypatch.delenv("WARM_UP_SEARCH", raising=False)
    with caplog.at_level(logging.INFO, logger="tests.gunicorn"):
        gunicorn_conf.post_worker_init(_Worker())
    assert "vacancy search warmed up in" in caplog.text


def test_the_hook_can_be_turned_off(monkeypatch, caplog):
    monkeypatch.setenv("WARM_UP_SEARCH", "0")
    with caplog.at_level(logging.INFO, logger="tests.gunicorn"):
        gunicorn_conf.post_worker_init(_Worker())
    assert caplog.text == ""


@pytest.mark.django_db
def test_a_failed_warm_up_never_stops_the_worker(monkeypatch, caplog, settings, tmp_path):
    """A model folder that is not there: the hook logs the failure and returns (pages still serve)."""
    settings.EMBEDDING_MODEL = str(tmp_path / "no-such-model")
    monkeypatch.delenv("WARM_UP_SEARCH", raising=False)
    with caplog.at_level(logging.INFO, logger="tests.gunicorn"):
        gunicorn_conf.post_worker_init(_Worker())
    assert "vacancy search warm-up failed" in caplog.text


def test_the_web_config_loads_with_production_defaults():
    assert gunicorn_conf.preload_app is True
    assert gunicorn_conf.timeout >= 60
    assert gunicorn_conf.workers >= 1
