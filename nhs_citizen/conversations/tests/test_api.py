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


def test_changed_since_sees_a_new_map_and_an_early_close_and_lists_filter_by_flag(client):
    import datetime

    import time_machine
    from django.utils import timezone

    from nhs_citizen.conversations.services.conversations import check_close_conversation
    from nhs_citizen.gather.tests.factories import raise_flag

    with time_machine.travel(timezone.now() - datetime.timedelta(days=5)):
        conversation = open_conversation()
        other = open_conversation(flag=raise_flag(title="Parking at the hospital"))
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    def changed():
        found = client.get("/api/v1/conversations", {"changed_since": since}).json()
        return [c["slug"] for c in found["results"]]

    assert changed() == []
    results.do_recompute(conversation.pk)
    assert changed() == [conversation.slug]
    check_close_conversation(
        actor=curator(), conversation=other, reason="The flag was answered by the trust."
    )
    assert changed() == [conversation.slug, other.slug]
    closed = client.get(f"/api/v1/conversations/{other.slug}").json()
    assert closed["closed_early_at"] and closed["closed_reason"].startswith("The flag")
    assert not closed["is_open"]
    on_flag = client.get("/api/v1/conversations", {"flag": other.flag_id}).json()["results"]
    assert [c["slug"] for c in on_flag] == [other.slug]
    assert on_flag[0]["flag_id"] == other.flag_id
