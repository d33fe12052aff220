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


def test_the_job_stores_each_participants_place_and_the_report_marks_you(client, signed_in):
    conversation, planted, _ = _planted()
    someone = person()
    first = str(planted.votes[0][0])
    Participant.objects.filter(conversation=conversation, external_id=first).update(user=someone)
    result = results.do_recompute(conversation.pk)
    voters = Participant.objects.filter(conversation=conversation).exclude(external_id="")
    assert all(results.place_of(conversation.pk, voter) for voter in voters)
    # The opener has not voted: not on the map.
    opener = Participant.objects.get(conversation=conversation, external_id="")
    assert results.place_of(conversation.pk, opener) is None
    assert len(result.figures["map_extent"]) == 2
    # Someone on the map but not signed in sees no "You".
    url = reverse("conversations:report", args=[conversation.slug])
    assert ">You</text>" not in client.get(url).content.decode()
    signed_in(someone)
    page = client.get(url).content.decode()
    assert page.count(">You</text>") == 1
    assert "A black ring marked You shows where you are." in page


def test_a_second_recompute_with_no_new_votes_writes_no_participant():
    conversation, _, _ = _planted()
    results.do_recompute(conversation.pk)
    before = list(
        Participant.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("group", flat=True)
    )
    places = conversation.places.places
    m, _ = results.compute_map(conversation)
    assert results._store_places(conversation, m) == 0
    results.do_recompute(conversation.pk)
    after = list(
        Participant.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("group", flat=True)
    )
    assert after == before
    conversation.places.refresh_from_db()
    assert conversation.places.places == places


def test_the_report_page_query_count_does_not_grow_with_participants(client, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (40, 400):
        conversation = open_conversation(question=f"Size {size}")
        planted = planted_conversation(
            participants=size, statements=conversation.statements.count(), groups=2, seed=size
        )
        numbers = {s: n for n, s in enumerate(sorted(planted.statements), 1)}
        load_votes(conversation, ((str(p), numbers[s], v) for p, s, v in planted.votes))
        someone = person()
        Participant.objects.filter(
            conversation=conversation, external_id=str(planted.votes[0][0])
        ).update(user=someone)
        results.do_recompute(conversation.pk)
        signed_in(someone)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("conversations:report", args=[conversation.slug]))
        assert ">You</text>" in page.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_job_keeps_the_number_of_groups_until_a_new_one_wins_three_times():
    conversation, planted, _ = _planted()
    result = results.do_recompute(conversation.pk)
    assert result.figures["k"] == 3
    # Pretend the stored map had 2 groups: the job keeps 2 for two recomputes, then moves to 3.
    figures = result.figures | {"k": 2, "k_streak": {"k": 0, "wins": 0}}
    OpinionResult.objects.filter(pk=result.pk).update(figures=figures)
    ks = []
    for _ in range(3):
        result = results.do_recompute(conversation.pk)
        ks.append((result.figures["k"], result.figures["k_streak"]["wins"]))
    assert ks == [(2, 1), (2, 2), (3, 0)]
    groups = set(
        Participant.objects.filter(conversation=conversation, group__isnull=False).values_list(
            "group", flat=True
        )
    )
    assert groups == {0, 1, 2}


def test_group_letters_stay_with_their_people_across_recomputes():
    conversation, _, _ = _planted()
    results.do_recompute(conversation.pk)
    before = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "group"))
    # Scramble the stored letters, as an earlier map with its own numbering would have left
    # them: the next recompute follows the stored letters, not its own size order.
    swap = {0: 2, 1: 0, 2: 1, None: None}
    for pk, group in before.items():
        Participant.objects.filter(pk=pk).update(group=swap[group])
    results.do_recompute(conversation.pk)
    after = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "group"))
    assert after == {pk: swap[group] for pk, group in before.items()}


def test_storing_groups_and_places_takes_a_few_queries_not_one_a_person():
    from types import SimpleNamespace

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conversation = open_conversation()
    Participant.objects.bulk_create(
        Participant(conversation=conversation, number=n, external_id=str(n)) for n in range(2, 2002)
    )
    pks = list(Participant.objects.filter(conversation=conversation).values_list("pk", flat=True))
    m = SimpleNamespace(
        membership={pk: pk % 2 for pk in pks[1:]},
        coords={pk: (pk / 1000, -pk / 1000) for pk in pks[1:]},
    )
    with CaptureQueriesContext(connection) as queries:
        assert results._store_places(conversation, m) == 2000
    assert len(queries) <= 12
    assert Participant.objects.filter(conversation=conversation, group=1).count() == sum(
        1 for pk in pks[1:] if pk % 2
    )
    last = Participant.objects.get(pk=pks[-1])
    assert results.place_of(conversation.pk, last) == (
        round(pks[-1] / 1000, 4),
        round(-pks[-1] / 1000, 4),
    )
    assert results._store_places(conversation, m) == 0
