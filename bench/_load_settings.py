"""Settings for the load benchmarks: the app's own settings, with the static files collected into
the benchmark's temporary folder instead of the project's ``staticfiles/``.

Used as ``DJANGO_SETTINGS_MODULE=_load_settings`` with ``bench/`` on the Python path."""

import os

from nhs_citizen.config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
