"""The panel pages cost the same number of queries with 5 rows as with 50."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.panels.models import JobKind, JobStatus
from nhs_citizen.panels.tests import factories

pytestmark = pytest.mark.django_db

ONE_QUOTA = [("sex", "female", 0, 60)]


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches that live for the whole process (content types and so on)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _drawn(secretariat, pool, size: int, title: str):
    """A drawn, revealed and checked panel of `size` people, with `size` stored checks."""
    panel = factories.drawn_panel(
        secretariat, pool, size=size, reserves=0, title=title, quotas_=ONE_QUOTA
    )
    for _ in range(size - 1):
        factories.job(panel, kind=JobKind.CHECK, status=JobStatus.FAILED, error="Stopped.")
    factories.job(
        panel,
        kind=JobKind.CHECK,
        status=JobStatus.DONE,
        result={"checks_out": True, "problems": [], "file_name": "f.json", "file_sha256": "0"},
    )
    return panel


def test_the_panel_list_costs_the_same_with_5_and_50_panels(client, secretariat):
    pool = factories.make_pool(60)
    for n in range(5):
        factories.make_panel(secretariat, pool, title=f"Panel {n}")
    url = reverse("panels:panel_list")
    with_5 = _queries(client, url)

    for n in range(5, 50):
        factories.make_panel(secretariat, pool, title=f"Panel {n}")
    with_50 = _queries(client, url)

    assert with_5 == with_50
    page = client.get(url).content.decode()
    assert "50 panels" in page and "Panel 49" in page and "Panel 0<" not in page
    assert "Panel 0<" in client.get(url + "?page=3").content.decode()


@pytest.mark.parametrize("signed_in_as_secretariat", [False, True])
def test_the_panel_and_check_pages_cost_the_same_with_5_and_50_members(
    client, secretariat, signed_in_as_secretariat
):
    if signed_in_as_secretariat:
        client.force_login(secretariat)
    pool = factories.make_pool(120)
    small = _drawn(secretariat, pool, 5, "Small")
    big = _drawn(secretariat, pool, 50, "Big")
    assert small.members.count() == 5 and big.members.count() == 50

    for name in ("panels:panel_detail", "panels:check_draw"):
        with_5 = _queries(client, reverse(name, args=[small.pk]))
        with_50 = _queries(client, reverse(name, args=[big.pk]))
        assert with_5 == with_50, name
    if signed_in_as_secretariat:
        with_5 = _queries(client, reverse("panels:manage_panel", args=[small.pk]))
        with_50 = _queries(client, reverse("panels:manage_panel", args=[big.pk]))
        assert with_5 == with_50
