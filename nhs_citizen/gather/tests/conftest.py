"""Gather test fixtures: a vector index of each test's own, and jobs run after commit."""

import pytest

from nhs_citizen.core import vectors


@pytest.fixture(autouse=True)
def _own_vector_index(settings, tmp_path):
    """An on-disk index (usearch) lives in a folder of this test's own."""
    settings.VECTOR_INDEX_DIR = tmp_path / "vectors"
    vectors.forget_indexes()
    yield
    vectors.forget_indexes()


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """``with run_jobs(): ...``: the jobs queued once the block's changes are saved run at its
    end (the test database never commits, so they would not run otherwise)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
