"""A throwaway database for a benchmark: Django set up with the test settings in a new
temporary data folder, a fresh test database (SQLite in that folder, or a throwaway test
database on the server DATABASE_URL names), destroyed again on the way out.

    from _fresh_db import fresh_database

    with fresh_database() as vendor:   # "sqlite" or "postgresql"
        ...
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def fresh_database(**environment: str) -> Iterator[str]:
    """Set up Django (extra environment variables first) and a fresh test database."""
    tmp = tempfile.mkdtemp(prefix="nhs-citizen-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhs_citizen.config.settings")
    os.environ["NHS_CITIZEN_ENV"] = "test"
    os.environ["DATA_DIR"] = tmp
    os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.update(environment)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        yield "postgresql" if connection.vendor == "postgresql" else "sqlite"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
