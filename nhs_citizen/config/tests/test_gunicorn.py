"""Production web workers are recycled so that their memory cannot grow without limit."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _config(**env: str) -> dict[str, str]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    base = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    result = subprocess.run(
        [str(gunicorn), "-c", "python:nhs_citizen.config.gunicorn", "--print-config"],
        env={**base, "PYTHONPATH": str(ROOT), "NHS_CITIZEN_ENV": "test", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_there_are_two_workers_per_core_unless_told_otherwise():
    assert _config()["workers"] == str(2 * (os.cpu_count() or 1))
    assert _config(WEB_CONCURRENCY="3")["workers"] == "3"


def test_the_gunicorn_settings_recycle_workers_with_jitter():
    config = _config()
    assert config["wsgi_app"] == "nhs_citizen.config.wsgi:application"
    assert int(config["max_requests"]) > 0
    assert 0 < int(config["max_requests_jitter"]) < int(config["max_requests"])
