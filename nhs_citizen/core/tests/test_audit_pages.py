"""The audit log pages (keyset pages by entry number) and the streamed open data."""

import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.services.audit import do_write_audit_checkpoint, record_audit_entry

pytestmark = pytest.mark.django_db


def _record(n, public=True, actor=None):
    return [
        record_audit_entry(actor=actor, action="test.thing", summary=f"Thing {i}", public=public)
        for i in range(n)
    ]


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _numbers(response):
    return [row.entry.sequence for row in response.context["rows"]]


@pytest.mark.parametrize("query", ["", "?before=4", "?after=1", "?entry=3"])
def test_the_public_page_costs_the_same_queries_with_5_and_50_entries(client, query):
    actor = make_user(display_name="Pat Decider")
    _record(5, actor=actor)
    do_write_audit_checkpoint()
    url = reverse("core:audit_log") + query
    small = _queries(client, url)
    _record(45, actor=actor)
    do_write_audit_checkpoint()
    assert _queries(client, url) == small


def test_the_full_log_costs_the_same_queries_with_5_and_50_entries(
    client, signed_in, administrator
):
    _record(5, public=False, actor=administrator)
    signed_in(administrator)
    url = reverse("core:full_audit_log")
    small = _queries(client, url)
    _record(45, public=False, actor=administrator)
    assert _queries(client, url) == small
    assert _queries(client, url + "?before=30") == _queries(client, url + "?before=3")


def test_pages_go_by_entry_number_newest_first(client):
    _record(60)
    url = reverse("core:audit_log")
    first = client.get(url)
    assert _numbers(first) == list(range(60, 35, -1))
    assert first.context["pagination"] == {"next": {"href": "?before=36", "text": "Older entries"}}
    second = client.get(url + "?before=36")
    assert _numbers(second) == list(range(35, 10, -1))
    assert second.context["pagination"]["previous"]["href"] == "?after=35"
    assert client.get(url + "?after=35").context["rows"][0].entry.sequence == 60
    last = client.get(url + "?before=11")
    assert _numbers(last) == list(range(10, 0, -1))
    assert "next" not in last.context["pagination"]


def test_the_public_pages_skip_private_entries(client):
    _record(3)
    _record(3, public=False)
    _record(3)
    response = client.get(reverse("core:audit_log") + "?before=8")
    assert _numbers(response) == [7, 3, 2, 1]


def test_going_to_an_entry_number_shows_the_page_starting_there(client):
    _record(60)
    response = client.get(reverse("core:audit_log") + "?entry=40")
    assert _numbers(response)[0] == 40
    assert response.context["pagination"]["previous"]["href"] == "?after=40"


@pytest.mark.parametrize(
    "query", ["?entry=abc", "?before=-1", "?after=x", "?before=99999999999999999999999"]
)
def test_bad_page_numbers_show_the_newest_page_not_an_error(client, query):
    _record(3)
    response = client.get(reverse("core:audit_log") + query)
    assert response.status_code == 200
    assert _numbers(response) == [3, 2, 1]
    if "entry" in query:
        assert "Enter an entry number using digits only" in response.content.decode()


def test_the_page_shows_the_head_and_the_signed_checkpoints(client):
    entries = _record(4)
    do_write_audit_checkpoint()
    _record(1)
    content = client.get(reverse("core:audit_log")).content.decode()
    assert "The log has 5 entries" in content
    assert entries[3].entry_hash in content  # the checkpoint at entry 4


def _stream(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def test_the_json_export_streams_every_link_with_the_head_and_checkpoints(client):
    actor = make_user(display_name="Pat Decider")
    _record(3, actor=actor)
    do_write_audit_checkpoint()
    record_audit_entry(actor=actor, action="test.private", summary="Private detail")
    response = client.get(reverse("core:audit_log_json"))
    assert response["Content-Type"].startswith("application/json")
    body = _stream(response)
    data = json.loads(body)
    assert [entry["sequence"] for entry in data["entries"]] == [1, 2, 3, 4]
    # An action no app registered is credited to the service, never to a person (ADR 0026).
    assert data["entries"][0]["actor"] == "NHS Citizen staff"
    assert "Pat Decider" not in body
    assert data["head"]["sequence"] == 4
    assert data["head"]["entry_hash"] == data["entries"][-1]["entry_hash"]
    assert data["checkpoints"][0]["sequence"] == 3
    assert data["checkpoints"][0]["entry_hash"] == data["entries"][2]["entry_hash"]
    assert "Private detail" not in body


def test_the_json_lines_export_streams_one_entry_per_line(client):
    _record(2)
    record_audit_entry(actor=None, action="test.private", summary="Private detail")
    response = client.get(reverse("core:audit_log_jsonl"))
    assert response["Content-Type"].startswith("application/x-ndjson")
    body = _stream(response)
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["sequence"] for line in lines] == [1, 2, 3]
    assert lines[1]["previous_hash"] == lines[0]["entry_hash"]
    assert lines[2] == {
        "sequence": 3,
        "previous_hash": lines[1]["entry_hash"],
        "entry_hash": lines[2]["entry_hash"],
        "is_public": False,
    }
    assert "Private detail" not in body


def test_the_exports_of_an_empty_log_parse(client):
    data = json.loads(_stream(client.get(reverse("core:audit_log_json"))))
    assert data["entries"] == [] and data["head"]["sequence"] == 0
    assert _stream(client.get(reverse("core:audit_log_jsonl"))) == ""


def test_moderators_are_not_named_in_the_export(client):
    moderator = make_user("mod@example.com", display_name="Morgan Moderator")
    record_audit_entry(actor=moderator, action="moderation.hide", summary="Hid a post", public=True)
    body = _stream(client.get(reverse("core:audit_log_json")))
    entry = json.loads(body)["entries"][0]
    assert entry["actor"] == "A moderator"
    # The number stays: the entry's hash covers it, so anyone can check the entry (ADR 0026).
    assert entry["actor_id"] == moderator.pk
    assert "Morgan" not in body


def test_the_exports_read_the_log_chunk_by_chunk_without_losing_a_row(client, monkeypatch):
    from nhs_citizen.core import queries

    monkeypatch.setattr(queries, "_EXPORT_CHUNK", 2)
    _record(3)
    _record(2, public=False)
    body = _stream(client.get(reverse("core:audit_log_jsonl")))
    assert [json.loads(line)["sequence"] for line in body.splitlines()] == [1, 2, 3, 4, 5]
    data = json.loads(_stream(client.get(reverse("core:audit_log_json"))))
    assert [entry["sequence"] for entry in data["entries"]] == [1, 2, 3, 4, 5]
