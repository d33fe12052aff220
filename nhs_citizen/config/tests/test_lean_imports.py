"""A web worker loads no model, solver or data-science library just to serve pages.

Each gunicorn worker imports the WSGI application and every view (through the URL conf). Heavy
libraries imported there cost every worker memory (scipy.stats about 80 MB, scikit-learn with
pandas about 60 MB) and start-up time, although only background jobs use them: import them
inside the functions that need them instead.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

LOAD_EVERY_VIEW = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
import nhs_citizen.config.wsgi
from django.urls import get_resolver

def walk(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            walk(pattern.url_patterns)
        else:
            pattern.callback

walk(get_resolver().url_patterns)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""

MODELS = {"torch", "sentence_transformers", "transformers", "bertopic"}
# NumPy too: pages read stored results, so a web worker has no arrays to work on.
SOLVERS_AND_SCIENCE = {"sklearn", "scipy", "highspy", "pandas", "numpy", "usearch"}


@pytest.fixture(scope="module")
def loaded_by_a_web_worker() -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NHS_CITIZEN_ENV": "test"}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_VIEW],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "django" in modules and "nhs_citizen" in modules
    return modules


def test_a_web_worker_does_not_load_any_model(loaded_by_a_web_worker):
    assert loaded_by_a_web_worker & MODELS == set()


def test_a_web_worker_does_not_load_solvers_or_data_science_libraries(loaded_by_a_web_worker):
    assert loaded_by_a_web_worker & SOLVERS_AND_SCIENCE == set()
