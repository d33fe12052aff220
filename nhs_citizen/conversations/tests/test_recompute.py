"""The opinion map is worked out in a job, debounced as votes arrive, and shown on the report
page with the group a signed-in participant is in (issue 17)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nhs_citizen.conversations.algorithms.planted import planted_conversation
from nhs_citizen.conversations.models import Conversation, OpinionResult, Participant, Statement
from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services import votes as vote_services
from nhs_citizen.conversations.services.bulk import load_votes
from nhs_citizen.conversations.tests.factories import open_conversation, person

pytestmark = pytest.mark.django_db


def _queued():
    return DBTaskResult.objects.filter(task_path__endswith="recompute_opinions", status="READY")


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CONVERSATION_RECOMPUTE_DELAY = 60
    settings.CONVERSATION_RECOMPUTE_AFTER_VOTES = 50


def test_many_votes_queue_one_recompute(queue, django_capture_on_commit_callbacks):
    conversation = open_conversation()
    voters = [person() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for voter in voters:
            for statement in conversation.statements.all()[:3]:
                vote_services.check_vote(user=voter, statement=statement, choice=1)
    assert _queued().count() == 1
    # No map yet, so the first one runs at once.
    assert _queued().get().task_result.task.run_after is None
    conversation.refresh_from_db()
    assert conversation.recompute_queued_at is not None


def test_after_a_map_exists_the_next_recompute_waits(queue, django_capture_on_commit_callbacks):
    conversation = open_conversation()
    OpinionResult.objects.create(
        conversation=conversation, computed_at=timezone.now(), vote_count=0, figures={}
    )
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        vote_services.check_vote(
            user=person(), statement=conversation.statements.first(), choice=-1
        )
        vote_services.check_vote(user=person(), statement=conversation.statements.first(), choice=1)
    queued = _queued().get()
    assert queued.run_after >= before + datetime.timedelta(seconds=59)


def test_enough_waiting_votes_recompute_at_once(
    queue, settings, django_capture_on_commit_callbacks
):
    settings.CONVERSATION_RECOMPUTE_AFTER_VOTES = 3
    conversation = open_conversation()
    OpinionResult.objects.create(
        conversation=conversation, computed_at=timezone.now(), vote_count=0, figures={}
    )
    Conversation.objects.filter(pk=conversation.pk).update(vote_count=5)
    with django_capture_on_commit_callbacks(execute=True):
        vote_services.check_vote(user=person(), statement=conversation.statements.first(), choice=0)
    assert _queued().get().task_result.task.run_after is None


def test_a_vote_during_a_recompute_queues_the_next_one(queue, django_capture_on_commit_callbacks):
    conversation = open_conversation()
    assert results.queue_recompute(conversation.pk) is True
    assert results.queue_recompute(conversation.pk) is False
    results.do_recompute(conversation.pk)  # clears the mark as it starts
    assert results.queue_recompute(conversation.pk) is True
    assert _queued().count() == 2


def _planted(conversation_question="Planted"):
    conversation = open_conversation(question=conversation_question)
    planted = planted_conversation(
        participants=120,
        statements=len(list(conversation.statements.all())) + 12,
        groups=3,
        missing=0.2,
        seed=3,
    )
    numbers = sorted(planted.statements)
    # Enough statements for the planted ones: add the rest as imported statements.
    for position in range(conversation.statements.count() + 1, len(numbers) + 1):
        Statement.objects.create(
            conversation=conversation, number=position, text=f"Planted statement {position}"
        )
    to_number = {statement: position for position, statement in enumerate(numbers, 1)}
    load_votes(
        conversation,
        ((str(p), to_number[s], v) for p, s, v in planted.votes),
    )
    return conversation, planted, to_number


def test_the_job_stores_the_map_and_each_participants_group():
    conversation, planted, to_number = _planted()
    result = results.do_recompute(conversation.pk)
    assert result.vote_count == len({(p, s) for p, s, _ in planted.votes})
    assert result.figures["k"] == 3
    assert result.svg.lstrip().startswith("<svg")
    grouped = dict(
        Participant.objects.filter(conversation=conversation).values_list("external_id", "group")
    )
    # Nearly everyone planted in the same group is in the same computed group.
    found: dict[int, list] = {}
    for participant, truth in planted.truth.items():
        if grouped.get(str(participant)) is not None:
            found.setdefault(truth, []).append(grouped[str(participant)])
    assert len(found) == 3
    for members in found.values():
        most = max(set(members), key=members.count)
        assert members.count(most) >= 0.9 * len(members)
    assert len({max(set(m), key=m.count) for m in found.values()}) == 3
    top = result.figures["consensus"][: len(planted.consensus)]
    assert set(top) == {to_number[s] for s in planted.consensus}


def test_the_report_page_shows_groups_consensus_and_your_group(client, signed_in):
    conversation, planted, to_number = _planted()
    someone = person()
    first = str(planted.votes[0][0])
    Participant.objects.filter(conversation=conversation, external_id=first).update(user=someone)
    results.do_recompute(conversation.pk)
    signed_in(someone)
    page = client.get(reverse("conversations:report", args=[conversation.slug])).content.decode()
    group = Participant.objects.get(conversation=conversation, external_id=first).group
    assert f"You are in group {'ABC'[group]}" in page
    assert "Where people agree" in page and "<svg" in page
    consensus_text = Statement.objects.get(
        conversation=conversation, number=to_number[planted.consensus[0]]
    ).text
    assert page.index(consensus_text) < page.index("Where people are divided")
    assert "Most of group A (" in page


def test_a_map_with_too_few_people_for_groups_still_shows_the_votes(client):
    conversation = open_conversation()
    for voter in (person(), person()):
        for statement in conversation.statements.all():
            vote_services.check_vote(user=voter, statement=statement, choice=1)
    result = results.do_recompute(conversation.pk)
    assert result.figures["k"] == 0
    page = client.get(reverse("conversations:report", args=[conversation.slug])).content.decode()
    assert "Not enough people have voted on enough statements to find groups yet" in page
    assert conversation.statements.get(number=1).text in page
