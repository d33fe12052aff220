"""Whoever opened a conversation (or someone in the same role) can change its question and
closing date, or close it early, with a reason, in the public audit log. A closed
conversation stays readable with its final map (issue 17, ADR 0039)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conversations.models import Conversation
from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services import votes as vote_services
from nhs_citizen.conversations.services.conversations import (
    check_change_conversation,
    check_close_conversation,
)
from nhs_citizen.conversations.tests.factories import curator, open_conversation, person
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _later(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_the_opener_changes_the_question_and_closing_date_with_a_reason():
    opener = curator()
    conversation = open_conversation(opener=opener)
    old_question = conversation.question
    check_change_conversation(
        actor=opener,
        conversation=conversation,
        question="How could GP surgeries make booking easier?",
        closes_at=_later(40),
        reason="The meeting moved to next month",
    )
    conversation.refresh_from_db()
    assert conversation.question == "How could GP surgeries make booking easier?"
    entry = AuditEntry.objects.get(action="conversations.changed")
    assert entry.is_public and entry.data["reason"] == "The meeting moved to next month"
    assert entry.data["before"]["question"] == old_question


def test_another_curator_may_manage_a_flag_conversation_but_a_citizen_may_not():
    conversation = open_conversation()
    assert curator().has_perm("conversations.manage", conversation)
    citizen = person()
    assert not citizen.has_perm("conversations.manage", conversation)
    with pytest.raises(ValidationError):
        check_close_conversation(actor=citizen, conversation=conversation, reason="Because")
    conversation.refresh_from_db()
    assert conversation.is_open()
    assert not AuditEntry.objects.filter(action="conversations.closed_early").exists()


@pytest.mark.parametrize(
    "question, days, reason, field",
    [
        ("", 10, "A reason", "question"),
        ("x" * 201, 10, "A reason", "question"),
        ("A question?", -1, "A reason", "closes_at"),
        ("A question?", 400, "A reason", "closes_at"),
        ("A question?", 10, "   ", "reason"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(question, days, reason, field):
    opener = curator()
    conversation = open_conversation(opener=opener)
    before = Conversation.objects.values("question", "closes_at").get(pk=conversation.pk)
    with pytest.raises(ValidationError) as error:
        check_change_conversation(
            actor=opener,
            conversation=conversation,
            question=question,
            closes_at=_later(days),
            reason=reason,
        )
    assert field in error.value.message_dict
    assert Conversation.objects.values("question", "closes_at").get(pk=conversation.pk) == before
    assert not AuditEntry.objects.filter(action="conversations.changed").exists()


def test_a_change_that_changes_nothing_is_refused():
    opener = curator()
    conversation = open_conversation(opener=opener)
    with pytest.raises(ValidationError, match="not changed"):
        check_change_conversation(
            actor=opener,
            conversation=conversation,
            question=conversation.question,
            closes_at=conversation.closes_at,
            reason="No reason",
        )


def test_closing_early_stops_votes_keeps_the_map_and_is_audited(
    client, django_capture_on_commit_callbacks
):
    opener = curator()
    conversation = open_conversation(opener=opener)
    voters = [person() for _ in range(3)]
    for voter in voters:
        for statement in conversation.statements.all():
            vote_services.check_vote(user=voter, statement=statement, choice=1)
    with django_capture_on_commit_callbacks(execute=True):
        check_close_conversation(
            actor=opener, conversation=conversation, reason="The Board has decided"
        )
    conversation.refresh_from_db()
    assert not conversation.is_open()
    assert conversation.closed_reason == "The Board has decided"
    entry = AuditEntry.objects.get(action="conversations.closed_early")
    assert entry.is_public and entry.data["reason"] == "The Board has decided"
    with pytest.raises(ValidationError):
        vote_services.check_vote(user=person(), statement=conversation.statements.first(), choice=1)
    with pytest.raises(ValidationError, match="already closed"):
        check_close_conversation(actor=opener, conversation=conversation, reason="Again")
    with pytest.raises(ValidationError, match="closed"):
        check_change_conversation(
            actor=opener,
            conversation=conversation,
            question="New?",
            closes_at=_later(5),
            reason="Open it again",
        )
    results.do_recompute(conversation.pk)
    page = client.get(reverse("conversations:report", args=[conversation.slug])).content.decode()
    assert "This is the final map" in page and "The Board has decided" in page
    assert conversation.statements.first().text in page
    detail = client.get(conversation.get_absolute_url()).content.decode()
    assert "closed early" in detail


def test_the_pages_change_and_close_for_the_opener_only(client, signed_in):
    opener = curator()
    conversation = open_conversation(opener=opener)
    change = reverse("conversations:change", args=[conversation.slug])
    close = reverse("conversations:close", args=[conversation.slug])
    assert client.get(change).status_code == 302  # sign in first
    signed_in(person())
    assert client.get(change).status_code == 404
    assert client.post(close, {"reason": "Mine now"}).status_code == 404
    signed_in(opener)
    detail = client.get(conversation.get_absolute_url()).content.decode()
    assert change in detail and close in detail
    page = client.get(change).content.decode()
    assert conversation.question in page
    # The closing date is filled in as words the form reads back.
    assert f'value="{when_words(conversation.last_day)}"' in page
    bad = client.post(change, {"question": "", "closes_on": "31 2 2027", "reason": ""})
    assert bad.status_code == 400
    last_day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        change,
        {
            "question": "What would make GP booking easier?",
            "closes_on": f"{last_day.day} {last_day.month} {last_day.year}",
            "reason": "Clearer words",
        },
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.question == "What would make GP booking easier?"
    # The page names the last day to vote, not the midnight after it.
    assert conversation.last_day == last_day
    detail = client.get(conversation.get_absolute_url()).content.decode()
    assert f"Open until the end of {when_words(last_day)}." in detail
    assert client.post(close, {"reason": ""}).status_code == 400
    assert client.post(close, {"reason": "We have enough views"}).status_code == 302
    conversation.refresh_from_db()
    assert not conversation.is_open() and conversation.closed_early_at is not None
    # Closed: both pages send people back to the conversation.
    assert client.get(close).status_code == 302
    assert client.get(change).status_code == 302
