"""Production settings pass `manage.py check --deploy` and refuse to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_extra, timeout=120):
    # A clean production-like environment: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for
    # Playwright in this process, which must not leak into a deployment check.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)  # callers assert on the return code


def test_check_deploy_is_clean():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"DEBUG": "0", "SECRET_KEY": "x" * 60 + "production-like-secret-k3y!", "ALLOWED_HOSTS": "dibao.example.cn"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_required_when_debug_off():
    result = _manage("check", env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "dibao.example.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_language_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_collectstatic_with_production_storage(tmp_path):
    # Production serves hashed, compressed static files (whitenoise manifest storage); a vendored
    # file that points at a missing source map would make collectstatic fail at deploy time.
    result = _manage(
        "collectstatic", "--noinput", "-v0",
        env_extra={"DEBUG": "0", "SECRET_KEY": "x" * 60 + "production-like-secret-k3y!",
                   "ALLOWED_HOSTS": "dibao.example.cn", "STATIC_ROOT": str(tmp_path / "static")},
        # Hashing and compressing every static file took 154 s on a loaded 2-core machine.
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
