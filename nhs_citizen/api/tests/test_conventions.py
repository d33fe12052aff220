"""What every response of the open API shares: licence, CORS, caching, rate limit, paging and
plain-English errors."""

from __future__ import annotations

import pytest

from nhs_citizen.api.tests.data import build
from nhs_citizen.gather.tests.factories import raise_flag

pytestmark = pytest.mark.django_db

LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def test_every_response_carries_the_licence_and_cors(client):
    raise_flag()
    for path in ("/api/v1/flags", "/api/v1/openapi.json", "/api/v1/flags/999999"):
        response = client.get(path)
        assert response["Link"] == f'<{LICENCE_URL}>; rel="license"', path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response
    body = client.get("/api/v1/flags").json()
    assert body["licence"] == {"name": "Open Government Licence v3.0", "url": LICENCE_URL}


def test_preflight_allows_get_only(client):
    response = client.options(
        "/api/v1/flags", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_etag_and_304(client):
    flag = raise_flag()
    first = client.get(f"/api/v1/flags/{flag.pk}")
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(f"/api/v1/flags/{flag.pk}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    # A change makes a new ETag.
    from nhs_citizen.gather.models import Flag

    Flag.objects.filter(pk=flag.pk).update(support_count=7)
    changed = client.get(f"/api/v1/flags/{flag.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_rate_limit_answers_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = 3
    codes = [client.get("/api/v1/flags").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/flags")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Wait" in response.json()["detail"]
    # Another client is counted on its own.
    assert client.get("/api/v1/flags", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_next_links_walk_to_the_end(client):
    flags = [raise_flag(title=f"Flag {i}") for i in range(7)]
    seen, url, pages = [], "/api/v1/flags?limit=3", 0
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert seen == sorted(f.pk for f in flags)
    assert pages == 3


@pytest.mark.parametrize(
    "query,field",
    [
        ("cursor=not-a-cursor", "cursor"),
        ("changed_since=yesterday", "changed_since"),
        ("changed_since=2026-13-45", "changed_since"),
        ("limit=0", "limit"),
        ("limit=lots", "limit"),
        ("status=sleeping", "status"),
        ("area=Leeds", "area"),
    ],
)
def test_bad_parameters_get_a_plain_400(client, query, field):
    response = client.get(f"/api/v1/flags?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert body["detail"][0].isupper() or body["detail"].startswith(field)
    assert "Input should" not in body["detail"]


def test_a_cursor_from_another_list_is_refused(client):
    for i in range(3):
        raise_flag(title=f"Flag {i}")
    next_link = client.get("/api/v1/flags?limit=1").json()["next"]
    cursor = next_link.split("cursor=")[1]
    assert client.get(f"/api/v1/audit-log?cursor={cursor}").status_code == 400


def test_changed_since(client):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    # Raised three days ago (its timeline says so too), so nothing about it changed since.
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        raise_flag(title="Old")
    new = raise_flag(title="New")
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    ids = [
        row["id"] for row in client.get(f"/api/v1/flags?changed_since={since}").json()["results"]
    ]
    assert ids == [new.pk]


def test_docs_page_lists_every_address_without_javascript(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script src" not in html.split("</main>")[0].split("<main")[1]
    doc = client.get("/api/v1/openapi.json").json()
    for path in doc["paths"]:
        assert path in html, path
    assert "Open Government Licence v3.0" in html
    assert "/api/v1/openapi.json" in html


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/flags",
        "/api/v1/flags/{id}",
        "/api/v1/commitments",
        "/api/v1/bodies",
        "/api/v1/discover/topics",
        "/api/v1/discover/statements",
        "/api/v1/audit-log",
    ):
        assert path in doc["paths"], path


def test_signed_in_or_not_the_same_answer(client):
    data = build(2)
    anonymous = client.get("/api/v1/flags").content
    client.force_login(data["flags"][0].raised_by)
    assert client.get("/api/v1/flags").content == anonymous


def test_every_schema_name_is_unique():
    """The OpenAPI document names each shape once: two shapes of one name would silently
    share one description, and one of them would be wrong."""
    from collections import Counter

    from ninja import Schema

    import nhs_citizen.api.api  # noqa: F401 - loads every resource

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    names = Counter(c.__name__ for c in walk(Schema) if c.__module__.startswith("nhs_citizen.api"))
    assert [name for name, count in names.items() if count > 1] == []
