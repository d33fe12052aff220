"""manage.py import_polis and opinion_groups, and downloads in Pol.is's format (issue 17)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from nhs_citizen.conversations.algorithms.planted import planted_conversation
from nhs_citizen.conversations.algorithms.polis_format import PolisComment, PolisVote, write_export
from nhs_citizen.conversations.models import Conversation, Participant, Statement, Vote
from nhs_citizen.conversations.services import statements as statement_services
from nhs_citizen.conversations.services import votes as vote_services
from nhs_citizen.conversations.tests.factories import curator, open_conversation, person
from nhs_citizen.moderation.services import check_hide

pytestmark = pytest.mark.django_db


def _write_folder(folder, planted):
    comments = [
        PolisComment(id=s, author=0, body=f"Planted statement number {s}")
        for s in planted.statements
    ]
    votes = [PolisVote(participant=p, comment=s, vote=v) for p, s, v in planted.votes]
    for name, text in write_export(comments, votes).items():
        (folder / name).write_text(text)
    return folder


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_then_opinion_groups_round_trip(tmp_path):
    planted = planted_conversation(participants=150, statements=30, groups=3, missing=0.15, seed=7)
    (tmp_path / "nhs-gp-access").mkdir()
    folder = _write_folder(tmp_path / "nhs-gp-access", planted)
    output = _run("import_polis", str(folder))
    slug = output.split()[-1]
    conversation = Conversation.objects.get(slug=slug)
    assert not conversation.is_open() and conversation.has_started()
    assert conversation.statements.count() == 30
    assert conversation.vote_count == Vote.objects.filter(conversation=conversation).count()
    found = json.loads(_run("opinion_groups", slug, "--json"))
    assert set(found) == {"participants", "consensus"}
    # Participant ids are the export's.
    assert set(found["participants"]) <= {str(p) for p in planted.truth}
    assert len(found["participants"]) >= 0.9 * len(planted.truth)
    assert set(found["consensus"][: len(planted.consensus)]) == set(planted.consensus)
    by_truth: dict[int, list[int]] = {}
    for participant, group in found["participants"].items():
        by_truth.setdefault(planted.truth[int(participant)], []).append(group)
    assert len({max(set(g), key=g.count) for g in by_truth.values()}) == 3

    # Downloading it gives the same statements and votes back.
    files = {
        name: _client_get(conversation, name)
        for name in ("comments.csv", "votes.csv", "participants-votes.csv")
    }
    rows = list(csv.DictReader(io.StringIO(files["comments.csv"])))
    assert [int(r["comment-id"]) for r in rows] == sorted(planted.statements)
    latest = {(p, s): v for p, s, v in planted.votes}
    exported = {
        (int(r["voter-id"]), int(r["comment-id"])): int(r["vote"])
        for r in csv.DictReader(io.StringIO(files["votes.csv"]))
    }
    assert exported == latest


def _client_get(conversation, name) -> str:
    from django.test import Client

    response = Client().get(reverse("conversations:download", args=[conversation.slug, name]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_bad_folder_imports_nothing(tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported. There is no folder"):
        _run("import_polis", str(tmp_path / "missing"))
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        ",,1,0,0,0,1,Longer opening hours\n,,2,0,0,0,1,More parking\n"
    )
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n,,1,5,1\n,,2,5,yes\n"
    )
    with pytest.raises(CommandError, match="Nothing was imported"):
        _run("import_polis", str(folder))
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n,,1,5,1\n,,9,5,1\n"
    )
    with pytest.raises(CommandError, match="Nothing was imported"):
        _run("import_polis", str(folder))
    assert Conversation.objects.count() == 0 and Statement.objects.count() == 0
    with pytest.raises(CommandError, match="no conversation called"):
        _run("opinion_groups", "nothing-here", "--json")


def test_downloads_leave_out_hidden_statements_and_names(client):
    conversation = open_conversation()
    voter = person()
    voter.display_name = "Priya Unusualname"
    voter.save()
    added = statement_services.check_add_statement(
        user=voter, conversation=conversation, text="Pharmacies should open later in the evening"
    )
    for statement in conversation.statements.all():
        vote_services.check_vote(user=voter, statement=statement, choice=1)
    check_hide(
        moderator=curator(),
        kind="conv_statement",
        object_id=conversation.statements.get(number=1).pk,
        reason="It names a member of staff.",
    )
    text = "".join(
        client.get(
            reverse("conversations:download", args=[conversation.slug, name])
        ).content.decode()
        for name in ("comments.csv", "votes.csv", "participants-votes.csv")
    )
    assert "Priya" not in text and voter.email not in text
    assert conversation.statements.get(number=1).text not in text
    assert added.text in text
    comments = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("conversations:download", args=[conversation.slug, "comments.csv"])
                ).content.decode()
            )
        )
    )
    assert 1 not in [int(r["comment-id"]) for r in comments]
    number = Participant.objects.get(conversation=conversation, user=voter).number
    votes = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("conversations:download", args=[conversation.slug, "votes.csv"])
                ).content.decode()
            )
        )
    )
    assert {int(r["voter-id"]) for r in votes} == {number}
    assert (
        client.get(
            reverse("conversations:download", args=[conversation.slug, "summary.csv"])
        ).status_code
        == 404
    )


def test_a_large_conversations_files_are_the_jobs_and_never_show_a_hidden_statement(
    client, settings, tmp_path
):
    from nhs_citizen.conversations import tasks
    from nhs_citizen.conversations.services import results

    def recompute_and_write_files(pk):
        # The map, then the files: a job of their own, queued by the recompute.
        results.do_recompute(pk)
        tasks.write_conversation_files.call(pk)

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CONVERSATION_LARGE_VOTES = 5
    settings.CONVERSATION_EXPORT_DIR = tmp_path / "exports"
    conversation = open_conversation()
    for voter in [person() for _ in range(2)]:
        for statement in conversation.statements.all():
            vote_services.check_vote(user=voter, statement=statement, choice=1)
    url = reverse("conversations:download", args=[conversation.slug, "comments.csv"])
    waiting = client.get(url)
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    results.do_recompute(conversation.pk)
    assert client.get(url).status_code == 503  # the map is fresh; the files job has not run
    tasks.write_conversation_files.call(conversation.pk)
    served = client.get(url)
    assert served.status_code == 200
    text = b"".join(served.streaming_content).decode()
    first = conversation.statements.get(number=1)
    assert first.text in text
    check_hide(
        moderator=curator(),
        kind="conv_statement",
        object_id=first.pk,
        reason="It is off the subject.",
    )
    assert client.get(url).status_code == 503
    recompute_and_write_files(conversation.pk)
    again = b"".join(client.get(url).streaming_content).decode()
    assert first.text not in again and conversation.statements.get(number=2).text in again
    api = client.get(f"/api/v1/conversations/{conversation.slug}/files/comments.csv")
    assert api.status_code == 200
