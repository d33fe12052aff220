"""Settings come from the environment; production refuses to start unsafely."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "REFERRER": settings.SECURE_REFERRER_POLICY,
    "CSP": "default-src" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "nonprod": "nhs_citizen.nonprod" in settings.INSTALLED_APPS,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "journal": settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", ""),
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


def _run(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "REDIS_URL",
            "NHS_CITIZEN_ENV",
            "EMAIL_HOST",
            "ALLOWED_HOSTS",
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "nhs_citizen.config.settings", "PYTHONPATH": str(ROOT)})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=clean, capture_output=True, text=True, cwd=ROOT
    )


PRODUCTION = {
    "NHS_CITIZEN_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "citizen.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "postgres://u:p@db.example.org:5432/citizen",
}


def test_production_refuses_to_start_without_a_secret_key():
    result = _run({**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run({**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts_or_email():
    assert "ALLOWED_HOSTS must be set" in _run({**PRODUCTION, "ALLOWED_HOSTS": ""}).stderr
    assert "EMAIL_HOST must be set" in _run({**PRODUCTION, "EMAIL_HOST": ""}).stderr


def test_production_is_secure_and_has_no_demo_data():
    result = _run(PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["HSTS"] >= 31_536_000
    assert (
        values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SSL_REDIRECT"]
    )
    assert values["REFERRER"] == "strict-origin-when-cross-origin"
    assert values["CSP"]
    assert values["nonprod"] is False
    assert values["engine"] == "django.db.backends.postgresql"


def test_debug_cannot_be_switched_on_in_production():
    values = json.loads(_run({**PRODUCTION, "DEBUG": "true"}).stdout)
    assert values["DEBUG"] is False


def test_the_default_is_sqlite_in_write_ahead_log_mode_and_redis_is_chosen_by_url(tmp_path):
    values = json.loads(_run({"DATA_DIR": str(tmp_path)}).stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in values["journal"]
    assert values["nonprod"] is True
    values = json.loads(
        _run({"DATA_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:6379/0"}).stdout
    )
    assert values["cache"] == "nhs_citizen.core.cache.RedisCache"


def test_an_unknown_environment_name_is_refused():
    result = _run({"NHS_CITIZEN_ENV": "staging"})
    assert "must be development, test or production" in result.stderr


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """The NHS.UK CSS points at /assets/images/…; collectstatic must rewrite those to the
    hashed names, or icons would break in production."""
    script = (
        "import django, json; from django.conf import settings; django.setup();"
        "from django.core.management import call_command;"
        f"settings.STATIC_ROOT = {str(tmp_path)!r};"
        "call_command('collectstatic', interactive=False, verbosity=0);"
        f"print(json.load(open({str(tmp_path / 'staticfiles.json')!r}))['paths']['nhsuk/nhsuk-frontend.min.css'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    clean.update(
        PRODUCTION, DJANGO_SETTINGS_MODULE="nhs_citizen.config.settings", PYTHONPATH=str(ROOT)
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    css = (tmp_path / result.stdout.strip()).read_text()
    assert "/assets/images/nhsuk-icon-cross." in css
    assert "/assets/images/nhsuk-icon-cross.svg" not in css
