"""Production settings refuse unsafe starts (run in a fresh interpreter each time)."""

import os
import subprocess
import sys

PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _start(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="liaison.settings")
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    result = _start()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_by_default():
    result = _start(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_deploy_check_passes_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    env.update(SECRET_KEY="k" * 60 + "-Liaison-2026!", ALLOWED_HOSTS="liaison.example.org")
    result = subprocess.run(
        [sys.executable, "-m", "liaison.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lease_shorter_than_a_send_refuses_to_start():
    result = _start(SECRET_KEY="x" * 50, NOTIFICATIONS_LEASE_SECONDS="15")
    assert result.returncode != 0
    assert "NOTIFICATIONS_LEASE_SECONDS=15 must be more than twice" in result.stderr
    short = _start(
        SECRET_KEY="x" * 50,
        NOTIFICATIONS_LEASE_SECONDS="3",
        LIAISON_SMS_TIMEOUT_SECONDS="1",
        EMAIL_TIMEOUT="1",
    )
    assert short.returncode == 0, short.stderr


def test_sessions_are_read_through_the_cache_only_when_it_is_shared():
    probe = "import django; django.setup(); from django.conf import settings; "
    probe += "print(settings.SESSION_ENGINE)"
    engines = {}
    for redis in ("", "redis://127.0.0.1:6379/15"):
        clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
        clean.update(
            SECRET_KEY="x" * 50, REDIS_URL=redis, DJANGO_SETTINGS_MODULE="liaison.settings"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], env=clean, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        engines[redis] = result.stdout.strip()
    assert engines == {
        "": "django.contrib.sessions.backends.db",
        "redis://127.0.0.1:6379/15": "django.contrib.sessions.backends.cached_db",
    }
