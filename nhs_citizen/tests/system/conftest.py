"""Browser journeys: the fixtures and the axe check live in nhs_citizen/tests/browser.py, a
plugin loaded by the root conftest, so that every app's browser tests share one browser."""

from nhs_citizen.tests.browser import _new_context, assert_accessible, axe_violations  # noqa: F401
