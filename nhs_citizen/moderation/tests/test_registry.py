"""Every kind of content the apps register can be reported, hidden with a public reason, put
back and appealed through the same service; appeals go to someone other than the moderator who
hid it; the queue is stored and read a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.moderation import services
from nhs_citizen.moderation.models import (
    Appeal,
    AppealStatus,
    QueueEntry,
    Report,
    ReportStatus,
)
from nhs_citizen.moderation.registry import all_kinds
from nhs_citizen.moderation.tests.kinds import make_remote_post, make_statement, make_story

pytestmark = pytest.mark.django_db

ALL_KINDS = ["flag", "comment", "evidence", "story", "remote_post", "statement", "conv_statement"]


@pytest.fixture
def citizen(db):
    return make_user("citizen@example.com", display_name="Chris Citizen")


def _make(kind, author, flag, comment, evidence):
    return {
        "flag": lambda: flag,
        "comment": lambda: comment,
        "evidence": lambda: evidence,
        "story": lambda: make_story(author),
        "remote_post": lambda: make_remote_post(author),
        "statement": lambda: make_statement(sent_by=author),
        "conv_statement": lambda: _conversation_statement(author, flag),
    }[kind]()


def _conversation_statement(author, flag):
    from nhs_citizen.conversations.services.statements import check_add_statement
    from nhs_citizen.conversations.tests.factories import open_conversation

    conversation = open_conversation(flag=flag)
    return check_add_statement(
        user=author, conversation=conversation, text="The car park should be free for carers"
    )


def test_each_app_registers_its_kinds_and_moderation_names_none_of_them():
    assert set(all_kinds()) == set(ALL_KINDS)
    source = (
        open(services.__file__).read()
        + open(services.__file__.replace("services", "presenters")).read()
    )
    for app in ("gather", "culture", "meetings", "discover", "conversations"):
        assert f"nhs_citizen.{app}" not in source


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_is_reported_hidden_appealed_and_put_back_the_same_way(
    kind, author, citizen, moderator, second_moderator, flag, comment, evidence
):
    item = _make(kind, author, flag, comment, evidence)
    model = type(item)
    # Reported: the queue has it.
    services.check_report(reporter=citizen, kind=kind, object_id=item.pk, reason="hate")
    entry = QueueEntry.objects.get(kind=kind, object_id=item.pk)
    assert entry.open_reports == 1 and entry.appeal is None
    # Hidden with a public reason, kept on the item; the reports are closed.
    services.check_hide(moderator=moderator, kind=kind, object_id=item.pk, reason="It is rude")
    item = model.objects.get(pk=item.pk)
    assert item.hidden_at is not None and item.hidden_reason == "It is rude"
    assert Report.objects.get().status == ReportStatus.UPHELD
    assert not QueueEntry.objects.exists()
    hidden = AuditEntry.objects.get(action="moderation.hidden")
    assert hidden.is_public and hidden.data["kind"] == kind and hidden.data["url"]
    assert hidden.actor_id == moderator.pk
    # Appealed: sent to the other moderator; the one who hid it cannot decide.
    appeal = services.check_appeal(
        appellant=author, kind=kind, object_id=item.pk, reason="It was not"
    )
    assert appeal.hidden_by == moderator and appeal.assigned_to == second_moderator
    assert QueueEntry.objects.get().hidden_by == moderator
    with pytest.raises(ValidationError, match="someone else must decide"):
        services.check_restore(moderator=moderator, kind=kind, object_id=item.pk, reason="Oops")
    # Put back by the other moderator: the appeal is upheld, the queue is empty.
    services.check_restore(
        moderator=second_moderator, kind=kind, object_id=item.pk, reason="Fair comment"
    )
    item = model.objects.get(pk=item.pk)
    assert item.hidden_at is None and item.hidden_reason == ""
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and appeal.handled_by == second_moderator
    assert not QueueEntry.objects.exists()
    assert AuditEntry.objects.get(action="moderation.restored").is_public


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_authors_cannot_report_their_own_content(kind, author, flag, comment, evidence):
    item = _make(kind, author, flag, comment, evidence)
    with pytest.raises(ValidationError, match="cannot report something you wrote yourself"):
        services.check_report(reporter=author, kind=kind, object_id=item.pk, reason="hate")
    assert not Report.objects.exists() and not QueueEntry.objects.exists()


def test_the_report_page_tells_the_author_they_cannot_report_their_own_story(
    client, signed_in, author
):
    story = make_story(author)
    signed_in(author)
    url = reverse("moderation:report", args=["story", story.pk])
    assert "you cannot report it" in client.get(url).content.decode()
    client.post(url, {"reason": "hate"})
    assert not Report.objects.exists()


def test_a_story_nobody_else_may_see_cannot_be_reported(client, author):
    from nhs_citizen.culture.services import stories

    waiting = stories.check_tell_story(
        author=author, title="Not yet", body="Waiting for a curator.", teller="patient"
    )
    assert client.get(reverse("moderation:report", args=["story", waiting.pk])).status_code == 404
    with pytest.raises(ValidationError, match="could not find"):
        services.check_report(reporter=None, kind="story", object_id=waiting.pk, reason="hate")


def test_a_visitors_message_waiting_for_a_curator_cannot_be_reported_or_hidden(moderator):
    from nhs_citizen.discover.models import Review

    item = make_statement(review=Review.WAITING)
    with pytest.raises(ValidationError, match="could not find"):
        services.check_report(reporter=None, kind="statement", object_id=item.pk, reason="hate")
    with pytest.raises(ValidationError, match="messages to check"):
        services.check_hide(moderator=moderator, kind="statement", object_id=item.pk, reason="x")


def test_an_unknown_kind_is_not_found(client):
    assert client.get(reverse("moderation:report", args=["poster", 1])).status_code == 404
    with pytest.raises(ValidationError, match="could not find"):
        services.check_report(reporter=None, kind="poster", object_id=1, reason="hate")


# Who decides an appeal ---------------------------------------------------------------------------
def test_with_one_moderator_an_appeal_goes_to_an_administrator(moderator, author, comment):
    administrator = make_user("admin@example.com", roles=("administrator",))
    services.check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    appeal = services.check_appeal(
        appellant=author, kind="comment", object_id=comment.pk, reason="Not rude"
    )
    assert appeal.assigned_to == administrator
    assert administrator.notifications.get().subject == "An appeal for you to decide"
    assert services.may_decide_appeal(administrator, appeal)
    assert not services.may_decide_appeal(moderator, appeal)
    services.check_refuse_appeal(moderator=administrator, appeal=appeal, reason="Still rude")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REFUSED
    assert not QueueEntry.objects.exists()


def test_a_moderator_who_is_also_the_only_administrator_is_not_chosen(author, comment):
    both = make_user("both@example.com", roles=("moderator", "administrator"))
    services.check_hide(moderator=both, kind="comment", object_id=comment.pk, reason="Rude")
    appeal = services.check_appeal(
        appellant=author, kind="comment", object_id=comment.pk, reason="Not rude"
    )
    assert appeal.assigned_to is None
    with pytest.raises(ValidationError, match="someone else must decide"):
        services.check_refuse_appeal(moderator=both, appeal=appeal, reason="Still rude")


def test_appeals_are_shared_out_to_the_moderator_with_fewest_waiting(flag):
    from nhs_citizen.gather.services.flags import check_add_comment

    hider = make_user("hider@example.com", roles=("moderator",))
    first = make_user("first@example.com", roles=("moderator",))
    second = make_user("second@example.com", roles=("moderator",))
    chosen = []
    for number in range(4):
        writer = make_user(f"writer{number}@example.com")
        comment = check_add_comment(user=writer, flag=flag, body=f"Comment {number}")
        services.check_hide(moderator=hider, kind="comment", object_id=comment.pk, reason="Rude")
        appeal = services.check_appeal(
            appellant=writer, kind="comment", object_id=comment.pk, reason="No"
        )
        chosen.append(appeal.assigned_to)
    assert chosen == [first, second, first, second]


def test_an_administrator_decides_the_appeal_sent_to_them_from_the_queue(
    client, signed_in, moderator, author, comment
):
    administrator = make_user("admin@example.com", roles=("administrator",))
    services.check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    services.check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Not rude")
    signed_in(administrator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "Sent to you" in page and "The author has appealed" in page
    decide = reverse("moderation:decide", args=["comment", comment.pk])
    page = client.get(decide).content.decode()
    assert "Keep it hidden" in page and "Hide it" not in page
    response = client.post(decide, {"decision": "restore", "reason": "It was fair"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is None
    # The moderator who hid it does not see the appeal in their queue.
    services.check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    services.check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="Again")
    signed_in(moderator)
    assert "The author has appealed" not in client.get(reverse("moderation:queue")).content.decode()


# The stored queue --------------------------------------------------------------------------------
def _report_comments(count, flag, author):
    from nhs_citizen.gather.services.flags import check_add_comment

    start = QueueEntry.objects.count()
    for number in range(start, start + count):
        comment = check_add_comment(user=author, flag=flag, body=f"Comment {number}")
        services.check_report(
            reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip=str(number)
        )


def test_the_queue_costs_the_same_queries_for_5_or_50_items(
    client, signed_in, moderator, author, flag, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One of every kind on the page in both cases: each kind costs one query, whatever the count.
    for kind, item in [
        ("flag", flag),
        ("story", make_story(author)),
        ("remote_post", make_remote_post(author)),
        ("statement", make_statement(sent_by=author)),
    ]:
        services.check_report(reporter=None, kind=kind, object_id=item.pk, reason="hate", ip="x")
    _report_comments(1, flag, author)
    assert QueueEntry.objects.count() == 5
    signed_in(moderator)
    url = reverse("moderation:queue")
    client.get(url)  # the session and the user's roles, as on any page
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).content.decode().count("Waiting since") == 5
    _report_comments(45, flag, author)
    assert QueueEntry.objects.count() == 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count("Waiting since") == 20
    last_page = client.get(url + client.get(url).context["pagination"]["next"]["href"])
    assert last_page.content.decode().count("Waiting since") == 20


def test_the_queue_pages_by_key_oldest_first_with_none_missed(
    client, signed_in, moderator, author, flag
):
    from nhs_citizen.gather.services.flags import check_add_comment

    for number in range(45):
        comment = check_add_comment(user=author, flag=flag, body=f"Comment {number}")
        services.check_report(
            reporter=None, kind="comment", object_id=comment.pk, reason="hate", ip=str(number)
        )
    signed_in(moderator)
    seen = []
    url = reverse("moderation:queue")
    while url:
        response = client.get(url)
        rows = response.context["rows"]
        seen += [row.object_id for row in rows]
        pagination = response.context["pagination"] or {}
        url = pagination.get("next", {}).get("href")
        if url:
            url = reverse("moderation:queue") + url
    expected = list(
        QueueEntry.objects.order_by("waiting_since", "pk").values_list("object_id", flat=True)
    )
    assert seen == expected and len(seen) == 45


def test_dismissing_reports_takes_the_item_off_the_queue(moderator, citizen, author, comment):
    services.check_report(reporter=citizen, kind="comment", object_id=comment.pk, reason="hate")
    services.check_dismiss_reports(
        moderator=moderator, kind="comment", object_id=comment.pk, reason="It is fine"
    )
    assert not QueueEntry.objects.exists()


# The same words twice --------------------------------------------------------------------------
def test_the_same_comment_twice_within_a_minute_is_refused(author, flag):
    from nhs_citizen.gather.models import Comment
    from nhs_citizen.gather.services.flags import check_add_comment

    first = check_add_comment(user=author, flag=flag, body="Open on Sundays too")
    with pytest.raises(ValidationError) as error:
        check_add_comment(user=author, flag=flag, body="  Open on Sundays too ")
    assert error.value.message_dict == {
        "body": ["You posted exactly this comment a moment ago. It is already on the flag"]
    }
    assert Comment.objects.count() == 1
    # Someone else may say the same; so may the author, a minute later.
    check_add_comment(user=make_user("other@example.com"), flag=flag, body="Open on Sundays too")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    check_add_comment(user=author, flag=flag, body="Open on Sundays too")
    assert Comment.objects.count() == 3


def test_the_same_remote_post_twice_within_a_minute_is_refused(author):
    from nhs_citizen.meetings.models import RemotePost
    from nhs_citizen.meetings.services import workshops

    post = make_remote_post(author, body="Parking is too dear")
    with pytest.raises(ValidationError, match="You posted exactly this a moment ago"):
        workshops.check_post_remotely(user=author, item=post.item, body="Parking is too dear")
    assert RemotePost.objects.count() == 1
    RemotePost.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    workshops.check_post_remotely(user=author, item=post.item, body="Parking is too dear")
    assert RemotePost.objects.count() == 2


# The old addresses -----------------------------------------------------------------------------
def test_the_old_hide_addresses_lead_to_the_moderation_page(client, signed_in, moderator, author):
    story = make_story(author)
    post = make_remote_post(author)
    signed_in(moderator)
    response = client.get(reverse("culture:hide_story", args=[story.pk]))
    assert response["Location"] == reverse("moderation:decide", args=["story", story.pk])
    response = client.get(reverse("culture:restore_story", args=[story.pk]))
    assert response["Location"] == reverse("moderation:decide", args=["story", story.pk])
    slug = post.item.meeting.cycle.slug
    response = client.get(reverse("meetings:hide_post", args=[slug, post.pk]))
    assert response["Location"] == reverse("moderation:decide", args=["remote_post", post.pk])


def test_curators_hide_statements_through_the_same_service(author):
    from nhs_citizen.discover.services.curation import check_hide_item

    curator = make_user("curator@example.com", roles=("curator",))
    item = make_statement(sent_by=author)
    check_hide_item(curator=curator, item=item, hide=True, reason="Names a nurse")
    item.refresh_from_db()
    assert item.hidden_reason == "Names a nurse"
    entry = AuditEntry.objects.get(action="moderation.hidden")
    assert entry.data["kind"] == "statement" and entry.actor_id == curator.pk
    assert author.notifications.get().subject == "A moderator hid your statement"
    check_hide_item(curator=curator, item=item, hide=False, reason="It was fine")
    item.refresh_from_db()
    assert item.hidden_at is None
    assert Appeal.objects.count() == 0


def test_posting_the_same_comment_twice_shows_the_error_on_the_comment_box(
    client, signed_in, author, flag
):
    from nhs_citizen.gather.models import Comment

    signed_in(author)
    url = reverse("gather:add_comment", args=[flag.pk])
    assert client.post(url, {"body": "Open on Sundays", "stance": "comment"}).status_code == 302
    response = client.post(url, {"body": "Open on Sundays", "stance": "comment"})
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [
        "You posted exactly this comment a moment ago. It is already on the flag"
    ]
    assert Comment.objects.count() == 1


def test_pages_offer_report_to_others_and_appeal_to_the_author(
    client, signed_in, author, moderator
):
    story = make_story(author)
    statement = make_statement(sent_by=author)
    report_story = reverse("moderation:report", args=["story", story.pk])
    report_statement = reverse("moderation:report", args=["statement", statement.pk])
    story_page = story.get_absolute_url()
    statement_page = reverse("discover:item_detail", args=[statement.pk])
    assert report_story in client.get(story_page).content.decode()
    assert report_statement in client.get(statement_page).content.decode()
    signed_in(author)
    assert report_story not in client.get(story_page).content.decode()
    assert report_statement not in client.get(statement_page).content.decode()
    services.check_hide(moderator=moderator, kind="story", object_id=story.pk, reason="Rude")
    services.check_hide(
        moderator=moderator, kind="statement", object_id=statement.pk, reason="Rude"
    )
    assert (
        reverse("moderation:appeal", args=["story", story.pk])
        in client.get(story_page).content.decode()
    )
    assert (
        reverse("moderation:appeal", args=["statement", statement.pk])
        in client.get(statement_page).content.decode()
    )
