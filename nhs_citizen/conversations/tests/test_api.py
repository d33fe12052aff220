"""The open API's conversations: list, one conversation with its figures, and its files."""

from __future__ import annotations

import csv
import io

import pytest

from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services import votes as vote_services
from nhs_citizen.conversations.tests.factories import curator, open_conversation, person
from nhs_citizen.moderation.services import check_hide

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_list_detail_and_files(client):
    conversation = open_conversation()
    voters = [person() for _ in range(9)]
    for position, voter in enumerate(voters):
        for statement in conversation.statements.all():
            choice = 1 if statement.number in (1, 2) else (1 if position % 2 else -1)
            vote_services.check_vote(user=voter, statement=statement, choice=choice)
    check_hide(
        moderator=curator(),
        kind="conv_statement",
        object_id=conversation.statements.get(number=8).pk,
        reason="It is off the subject.",
    )
    results.do_recompute(conversation.pk)

    listed = client.get("/api/v1/conversations").json()
    assert [c["slug"] for c in listed["results"]] == [conversation.slug]
    assert listed["results"][0]["votes"] == conversation.statements.count() * 9

    detail = client.get(f"/api/v1/conversations/{conversation.slug}")
    assert detail.status_code == 200 and detail["ETag"]
    body = detail.json()
    assert body["about_kind"] == "flag"
    assert 8 not in [s["id"] for s in body["statements"]]
    assert len(body["statements"]) == 7
    assert body["consensus"][:2] and set(body["consensus"][:2]) == {1, 2}
    assert sum(g["size"] for g in body["groups"]) == 9
    text = body.__repr__()
    assert voters[0].email not in text and voters[0].display_name not in text

    files = {f["name"]: f["url"] for f in body["files"]}
    assert set(files) == {"comments.csv", "votes.csv", "participants-votes.csv"}
    path = "/api/v1/conversations/" + conversation.slug + "/files/comments.csv"
    assert files["comments.csv"].endswith(path)
    comments = client.get(path)
    assert comments.status_code == 200
    ids = [int(r["comment-id"]) for r in csv.DictReader(io.StringIO(comments.content.decode()))]
    assert ids == [1, 2, 3, 4, 5, 6, 7]
    assert (
        client.get(f"/api/v1/conversations/{conversation.slug}/files/secret.csv").status_code == 404
    )
    assert client.get("/api/v1/conversations/no-such-one").status_code == 404
