"""Reads go to the read replica, writes and reads after a write go to the primary.

The replica here is a second connection to the test database (as ``TEST: {"MIRROR": "default"}``
would give), so tests can see which connection each query went to.
"""

import pytest
from django.contrib.sites.models import Site
from django.db import connections, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from nhs_citizen.config import db_router
from nhs_citizen.config.db_router import (
    PrimaryReplicaRouter,
    replica_reads,
)

pytestmark = pytest.mark.django_db

ROUTER = "nhs_citizen.config.db_router.PrimaryReplicaRouter"
SEEN: list[str] = []


def reads(request):
    SEEN.append(Site.objects.all()[:1].get()._state.db)
    return HttpResponse("read")


def writes_then_reads(request):
    Site.objects.filter(pk=1).update(name="Changed")
    SEEN.append(Site.objects.all()[:1].get()._state.db)
    return HttpResponse("wrote")


urlpatterns = [
    path("_test/reads/", reads),
    path("_test/writes/", writes_then_reads),
    path("", include("nhs_citizen.config.urls")),
]


@pytest.fixture
def replica(settings, monkeypatch):
    """A ``replica`` connection to the test database, and the router."""
    settings_dict = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "replica")
    connections["replica"] = connection
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    settings.DATABASE_ROUTERS = [ROUTER]
    SEEN.clear()
    yield connection
    connection.close()
    del connections["replica"]


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_reads_in_a_request_go_to_the_replica(replica):
    with replica_reads(), queries_on("default") as primary, queries_on("replica") as copy:
        assert Site.objects.filter(pk=1).exists()
    assert len(copy) == 1
    assert len(primary) == 0


def test_writes_go_to_the_primary_and_later_reads_follow_them(replica):
    with replica_reads() as state, queries_on("default") as primary, queries_on("replica") as copy:
        Site.objects.create(domain="new.example", name="New")
        assert Site.objects.get(domain="new.example").name == "New"
    assert state.wrote
    assert len(copy) == 0
    assert any("INSERT" in q["sql"] for q in primary.captured_queries)
    assert any("SELECT" in q["sql"] for q in primary.captured_queries)


def test_reads_inside_a_transaction_go_to_the_primary(replica):
    with replica_reads(), queries_on("replica") as copy:
        with transaction.atomic():
            assert Site.objects.filter(pk=1).exists()
        assert len(copy) == 0
        Site.objects.filter(pk=1).exists()
    assert len(copy) == 1


def test_reads_outside_a_web_request_go_to_the_primary(replica):
    with queries_on("replica") as copy:
        assert Site.objects.filter(pk=1).exists()
    assert len(copy) == 0


def test_a_get_request_reads_from_the_replica(replica, settings):
    settings.ROOT_URLCONF = __name__
    response = Client().get("/_test/reads/")
    assert response.status_code == 200
    assert SEEN == ["replica"]
    assert settings.REPLICA_PIN_COOKIE_NAME not in response.cookies


def test_a_request_that_writes_reads_its_own_write_and_stays_on_the_primary(replica, settings):
    settings.ROOT_URLCONF = __name__
    browser = Client()
    response = browser.get("/_test/writes/")
    assert SEEN == ["default"]
    assert response.cookies[settings.REPLICA_PIN_COOKIE_NAME]["max-age"] == 10
    browser.get("/_test/reads/")
    assert SEEN == ["default", "default"]
    Client().get("/_test/reads/")
    assert SEEN[-1] == "replica"


def test_a_post_request_reads_from_the_primary(replica, settings):
    settings.ROOT_URLCONF = __name__
    Client().post("/_test/reads/")
    assert SEEN == ["default"]


def test_without_a_replica_every_query_uses_the_primary_and_no_cookie_is_set(settings):
    settings.ROOT_URLCONF = __name__
    SEEN.clear()
    response = Client().get("/_test/writes/")
    assert SEEN == ["default"]
    assert settings.REPLICA_PIN_COOKIE_NAME not in response.cookies


def test_migrations_run_only_on_the_primary_and_relations_cross_aliases():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("replica", "core") is False
    assert router.allow_migrate("default", "core") is None
    on_replica, on_primary = Site(pk=1), Site(pk=2)
    on_replica._state.db, on_primary._state.db = "replica", "default"
    assert router.allow_relation(on_replica, on_primary) is True


def test_a_replica_url_adds_the_replica_and_the_router(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "r = settings.DATABASES['replica'];"
        "print(json.dumps([r['ENGINE'], r['TEST'], r['CONN_HEALTH_CHECKS'],"
        " settings.DATABASE_ROUTERS]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="nhs_citizen.config.settings",
        PYTHONPATH=str(root),
        DATA_DIR=str(tmp_path),
        DATABASE_REPLICA_URL="postgres://u:p@replica.example.org:5432/citizen",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    engine, test, health_checks, routers = json.loads(result.stdout)
    assert engine == "django.db.backends.postgresql"
    assert test["MIRROR"] == "default"
    assert health_checks is True
    assert routers == [ROUTER]
