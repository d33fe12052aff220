import pytest


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    # Tests of the limit itself set their own.
    settings.API_RATE_LIMIT = 100_000
