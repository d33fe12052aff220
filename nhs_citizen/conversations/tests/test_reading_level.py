"""Every conversations page's own words read at Flesch-Kincaid grade 6 or below (reading age
11), measured with the same checker as bench/readability.py and the Easy Read tests: the text
of <main>, without what people wrote themselves. Pages are seen as a visitor, a person who
voted and is on the map, and the curator who opened the conversation."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from nhs_citizen.conversations.algorithms.planted import planted_conversation
from nhs_citizen.conversations.models import Participant, Statement
from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services.bulk import load_votes
from nhs_citizen.conversations.tests.factories import curator, open_conversation, person

BENCH = Path(__file__).resolve().parents[3] / "bench" / "readability.py"
TARGET = 6

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def readability():
    spec = importlib.util.spec_from_file_location("bench_readability", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    module._syllables_by_hyphenation()
    return module


def _world():
    opener = curator()
    conversation = open_conversation(opener=opener)
    planted = planted_conversation(
        participants=60, statements=conversation.statements.count(), groups=2, seed=2
    )
    numbers = {s: n for n, s in enumerate(sorted(planted.statements), 1)}
    load_votes(conversation, ((str(p), numbers[s], v) for p, s, v in planted.votes))
    voter = person()
    Participant.objects.filter(
        conversation=conversation, external_id=str(planted.votes[0][0])
    ).update(user=voter)
    results.do_recompute(conversation.pk)
    return opener, voter, conversation


def test_every_conversations_page_reads_at_grade_6_or_below(readability, client, signed_in):
    opener, voter, conversation = _world()
    slug = conversation.slug
    statement = Statement.objects.filter(conversation=conversation).first()
    flag = conversation.flag
    pages = {
        None: [
            reverse("conversations:list"),
            reverse("conversations:detail", args=[slug]),
            reverse("conversations:report", args=[slug]),
            reverse("conversations:statement", args=[slug, statement.number]),
        ],
        voter: [
            reverse("conversations:detail", args=[slug]),
            reverse("conversations:report", args=[slug]),
        ],
        opener: [
            reverse("conversations:detail", args=[slug]),
            reverse("conversations:change", args=[slug]),
            reverse("conversations:close", args=[slug]),
            reverse("conversations:hide_statement", args=[slug, statement.number]),
            reverse("conversations:open_on_flag", args=[flag.pk]),
        ],
    }
    grades, over = [], []
    for who, addresses in pages.items():
        if who is not None:
            signed_in(who)
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            everything, ours = readability.main_text(response.content.decode())
            scored = readability.score("page", address, address, everything, ours)
            grades.append((address, who and who.email, scored.grade, scored.words))
            if scored.held_to_target and scored.grade > TARGET:
                over.append(f"{address} ({who and who.email}): grade {scored.grade}")
    # Closed early, with its final map; and a form sent back with errors.
    from nhs_citizen.conversations.services.conversations import check_close_conversation

    check_close_conversation(actor=opener, conversation=conversation, reason="We have enough")
    results.do_recompute(conversation.pk)
    signed_in(voter)
    for address in (
        reverse("conversations:detail", args=[slug]),
        reverse("conversations:report", args=[slug]),
    ):
        response = client.get(address)
        everything, ours = readability.main_text(response.content.decode())
        scored = readability.score("page", address, address, everything, ours)
        grades.append((address + " (closed)", voter.email, scored.grade, scored.words))
        if scored.held_to_target and scored.grade > TARGET:
            over.append(f"{address} (closed): grade {scored.grade}")
    signed_in(opener)
    address = reverse("conversations:open_on_flag", args=[flag.pk])
    response = client.post(address, {"question": "", "seeds": "One", "closes_on": "soon"})
    everything, ours = readability.main_text(response.content.decode())
    scored = readability.score("page", address, address, everything, ours)
    grades.append((address + " (errors)", opener.email, scored.grade, scored.words))
    if scored.held_to_target and scored.grade > TARGET:
        over.append(f"{address} (errors): grade {scored.grade}")
    print("\n".join(f"{g:5} {w:4} {a} {who}" for a, who, g, w in grades))
    assert not over, "\n".join(over)
