"""Taking part in a conversation: voting one statement at a time, changing a vote, adding a
statement (with its limits), closed conversations, and who may open and hide (issue 17)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.accounts.models import Role
from nhs_citizen.conftest import make_user
from nhs_citizen.conversations.models import Choice, Conversation, Participant, Vote
from nhs_citizen.conversations.services import conversations as opening
from nhs_citizen.conversations.services import statements as statement_services
from nhs_citizen.conversations.services import votes as vote_services
from nhs_citizen.conversations.tests.factories import SEEDS, curator, open_conversation, person
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.gather.tests.factories import next_email, raise_flag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue_jobs(settings):
    # Recomputes are queued, not run, so these tests look at votes alone.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _vote_url(conversation, number):
    return reverse("conversations:vote", args=[conversation.slug, number])


def test_opening_needs_the_right_role_for_what_it_is_about():
    flag = raise_flag()
    citizen = person()
    closes = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="Only a curator"):
        opening.check_open_conversation(
            opener=citizen, question="Q?", seeds=SEEDS, closes_at=closes, flag=flag
        )
    secretariat = make_user(next_email("sec"), roles=(Role.SECRETARIAT,))
    with pytest.raises(ValidationError, match="Only a curator"):
        opening.check_open_conversation(
            opener=secretariat, question="Q?", seeds=SEEDS, closes_at=closes, flag=flag
        )
    conversation = open_conversation(flag=flag)
    assert conversation.flag == flag
    assert [s.text for s in conversation.statements.order_by("number")] == SEEDS
    assert all(s.is_seed for s in conversation.statements.all())
    assert AuditEntry.objects.filter(action="conversations.opened").count() == 1


def test_opening_refuses_bad_input_and_saves_nothing():
    with pytest.raises(ValidationError) as caught:
        opening.check_open_conversation(
            opener=curator(),
            question="",
            seeds=["x" * 141, "Fine statement here"],
            closes_at=timezone.now() - datetime.timedelta(days=1),
            flag=raise_flag(),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"question", "seeds", "closes_at"}
    assert "140 characters" in errors["seeds"][0]
    assert Conversation.objects.count() == 0


def test_a_vote_is_one_per_person_and_can_be_changed(client, signed_in):
    conversation = open_conversation()
    voter = person()
    signed_in(voter)
    statement = conversation.statements.get(number=1)
    response = client.post(_vote_url(conversation, 1), {"choice": "1"})
    assert response.status_code == 302
    client.post(_vote_url(conversation, 1), {"choice": "1"})
    assert Vote.objects.filter(statement=statement).count() == 1
    client.post(_vote_url(conversation, 1), {"choice": "-1"})
    vote = Vote.objects.get(statement=statement)
    assert vote.choice == Choice.DISAGREE and vote.changed_at is not None
    statement.refresh_from_db()
    conversation.refresh_from_db()
    assert statement.vote_count == 1 and conversation.vote_count == 1
    assert Participant.objects.filter(conversation=conversation, user=voter).count() == 1


def test_the_next_statement_has_the_fewest_votes_and_skips_ones_already_voted():
    conversation = open_conversation()
    first, second = person(), person()
    for number in (1, 2, 3):
        vote_services.check_vote(
            user=first, statement=conversation.statements.get(number=number), choice=1
        )
    participant = vote_services.participant_for(conversation, second)
    assert participant is None
    assert vote_services.next_statement(conversation, None).number == 4
    vote_services.check_vote(user=second, statement=conversation.statements.get(number=4), choice=0)
    participant = vote_services.participant_for(conversation, second)
    assert vote_services.next_statement(conversation, participant).number == 5
    mine = vote_services.participant_for(conversation, first)
    assert vote_services.next_statement(conversation, mine).number == 5


def test_bad_votes_are_refused_and_change_nothing(client, signed_in):
    conversation = open_conversation()
    signed_in(person())
    for bad in ("2", "yes", ""):
        response = client.post(_vote_url(conversation, 1), {"choice": bad})
        assert response.status_code == 302
        page = client.get(conversation.get_absolute_url())
        assert "Select agree, disagree or pass" in page.content.decode()
    assert client.post(_vote_url(conversation, 99), {"choice": "1"}).status_code == 404
    assert Vote.objects.count() == 0


def test_people_who_are_not_signed_in_cannot_vote_or_add(client):
    conversation = open_conversation()
    response = client.post(_vote_url(conversation, 1), {"choice": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(
        reverse("conversations:add_statement", args=[conversation.slug]), {"text": "More buses"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert Vote.objects.count() == 0
    assert conversation.statements.count() == len(SEEDS)


def test_a_closed_conversation_is_read_only(client, signed_in):
    conversation = open_conversation()
    Conversation.objects.filter(pk=conversation.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    signed_in(person())
    client.post(_vote_url(conversation, 1), {"choice": "1"})
    assert Vote.objects.count() == 0
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "This conversation closed" in page
    assert "Add your statement" not in page
    response = client.post(
        reverse("conversations:add_statement", args=[conversation.slug]),
        {"text": "Evening clinics please"},
    )
    assert response.status_code == 400
    assert "has closed" in response.content.decode()


def test_adding_a_statement_cleans_it_and_refuses_what_the_rules_do_not_allow(client, signed_in):
    conversation = open_conversation()
    signed_in(person())
    url = reverse("conversations:add_statement", args=[conversation.slug])
    response = client.post(url, {"text": "  Surgeries   should open on Saturday mornings  "})
    assert response.status_code == 302
    added = conversation.statements.get(number=len(SEEDS) + 1)
    assert added.text == "Surgeries should open on Saturday mornings" and not added.is_seed
    for bad, says in [
        ("x" * 141, "140 characters or fewer"),
        ("", "Enter your statement"),
        ("See https://example.com for more", "cannot contain links"),
        ("surgeries should open on saturday mornings", "already added"),
    ]:
        response = client.post(url, {"text": bad})
        assert response.status_code == 400, bad
        assert says in response.content.decode(), bad
    assert conversation.statements.count() == len(SEEDS) + 1


def test_personal_data_is_taken_out_of_a_statement():
    conversation = open_conversation()
    statement = statement_services.check_add_statement(
        user=person(), conversation=conversation, text="Call me on 07700 900123 about this"
    )
    assert "07700" not in statement.text and statement.redacted


def test_adding_statements_is_rate_limited(settings):
    settings.CONVERSATION_STATEMENTS_PER_HOUR = 2
    conversation = open_conversation()
    author = person()
    for text in ("More evening appointments", "Longer appointments for older people"):
        statement_services.check_add_statement(user=author, conversation=conversation, text=text)
    with pytest.raises(ValidationError, match="in the last hour"):
        statement_services.check_add_statement(
            user=author, conversation=conversation, text="A third idea about parking"
        )
    # Someone else is not held back by it.
    statement_services.check_add_statement(
        user=person(), conversation=conversation, text="A third idea about parking"
    )


def test_a_curator_hides_a_statement_and_it_drops_out_of_voting(client, signed_in):
    conversation = open_conversation()
    hider = curator()
    citizen = person()
    signed_in(citizen)
    url = reverse("conversations:hide_statement", args=[conversation.slug, 1])
    assert client.get(url).status_code == 404
    signed_in(hider)
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "It is about one named receptionist."})
    assert response.status_code == 302
    statement = conversation.statements.get(number=1)
    assert statement.hidden_at is not None
    assert AuditEntry.objects.filter(action="moderation.hidden").count() == 1
    assert vote_services.next_statement(conversation, None).number == 2
    with pytest.raises(ValidationError, match="hidden"):
        vote_services.check_vote(user=citizen, statement=statement, choice=1)
    client.logout()
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "This statement has been hidden" in page
    assert statement.text not in page


def test_anyone_signed_in_can_report_a_statement(client, signed_in):
    conversation = open_conversation()
    signed_in(person())
    statement = conversation.statements.get(number=2)
    page = client.get(statement.get_absolute_url()).content.decode()
    report_url = reverse("moderation:report", args=["conv_statement", statement.pk])
    assert report_url in page
    assert client.get(report_url).status_code == 200


def test_the_vote_page_costs_the_same_queries_however_many_votes(client, signed_in):
    conversation = open_conversation()
    voter = person()
    signed_in(voter)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(conversation.get_absolute_url()).status_code == 200
        return len(queries)

    vote_services.check_vote(user=voter, statement=conversation.statements.get(number=1), choice=1)
    before = page_queries()
    others = [person() for _ in range(6)]
    for other in others:
        for statement in conversation.statements.all():
            vote_services.check_vote(user=other, statement=statement, choice=1)
    for number in (2, 3, 4):
        vote_services.check_vote(
            user=voter, statement=conversation.statements.get(number=number), choice=-1
        )
    assert page_queries() == before


def test_voting_with_the_script_returns_the_next_statement(client, signed_in):
    conversation = open_conversation()
    signed_in(person())
    response = client.post(
        _vote_url(conversation, 1), {"choice": "0"}, HTTP_X_REQUESTED_WITH="conversation-vote"
    )
    assert response.status_code == 200
    answer = response.json()
    assert "Statement 2" in answer["html"]
    assert "pass or unsure" in answer["message"]
    bad = client.post(
        _vote_url(conversation, 2), {"choice": "7"}, HTTP_X_REQUESTED_WITH="conversation-vote"
    )
    assert bad.status_code == 400 and "Select agree" in bad.json()["error"]


def test_your_data_has_your_statements_and_votes_and_leaving_unlinks_them():
    from nhs_citizen.accounts.services import _deletion_steps, _export_sections

    conversation = open_conversation()
    voter = person()
    statement_services.check_add_statement(
        user=voter, conversation=conversation, text="More evening appointments please"
    )
    vote_services.check_vote(user=voter, statement=conversation.statements.get(number=2), choice=-1)
    mine = _export_sections["conversations"](voter)
    assert [s["statement"] for s in mine["statements"]] == ["More evening appointments please"]
    assert [(v["statement"], v["vote"]) for v in mine["votes"]] == [(SEEDS[1], "Disagree")]
    for step in _deletion_steps:
        step(voter)
    assert _export_sections["conversations"](voter)["votes"] == []
    assert (
        Vote.objects.filter(statement__number=2, statement__conversation=conversation).count() == 1
    )
