"""Production web workers are recycled so that their memory cannot grow without limit."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_gunicorn_settings_recycle_workers_with_jitter():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "-c", "python:nhs_citizen.config.gunicorn", "--print-config"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NHS_CITIZEN_ENV": "test"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert config["wsgi_app"] == "nhs_citizen.config.wsgi:application"
    assert config["workers"] == "2"
    assert int(config["max_requests"]) > 0
    assert 0 < int(config["max_requests_jitter"]) < int(config["max_requests"])
