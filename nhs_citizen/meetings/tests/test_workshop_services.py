"""Workshop notes, remote participants' posts, and moderators hiding posts."""

import pytest
from django.core.exceptions import ValidationError

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.meetings.models import RemotePost, WorkshopQuestion
from nhs_citizen.meetings.services import meetings as meeting_services
from nhs_citizen.meetings.services import workshops as services
from nhs_citizen.meetings.tests.factories import citizen_user, meeting_with_agenda, moderator_user
from nhs_citizen.moderation.presenters import log_rows, moderation_log_entries
from nhs_citizen.moderation.services import check_hide
from nhs_citizen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _open(meeting, secretariat):
    meeting_services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)


def test_a_facilitator_records_what_a_table_said_on_one_of_the_three_questions():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    note = services.check_record_workshop_note(
        facilitator=secretariat,
        item=items[0],
        question=WorkshopQuestion.BETTER,
        table="  Table   4 ",
        text="Appointments the same week.",
    )
    assert note.table == "Table 4" and note.recorded_by == secretariat
    entry = AuditEntry.objects.get(action="meetings.workshop_note_recorded")
    assert entry.is_public and "Table 4" in entry.summary


@pytest.mark.parametrize(
    "question, table, text, message",
    [
        ("later", "Table 1", "Text", "Select which question"),
        ("now", "", "Text", "Enter the table"),
        ("now", "T" * 51, "Text", "50 characters"),
        ("now", "Table 1", "  ", "Enter what the workshop said"),
        ("now", "Table 1", "x" * 5001, "5,000 characters"),
    ],
)
def test_a_workshop_note_needs_a_question_a_table_and_words(question, table, text, message):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    with pytest.raises(ValidationError, match=message):
        services.check_record_workshop_note(
            facilitator=secretariat, item=items[0], question=question, table=table, text=text
        )


def test_posting_is_refused_with_a_clear_message_while_the_threads_are_closed():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    with pytest.raises(ValidationError) as error:
        services.check_post_remotely(user=citizen_user(), item=items[0], body="Hello")
    assert error.value.messages == [services.POSTING_CLOSED]
    assert not RemotePost.objects.exists()


def test_anyone_signed_in_posts_while_the_threads_are_open_with_or_without_a_question():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    _open(meeting, secretariat)
    citizen = citizen_user()
    post = services.check_post_remotely(user=citizen, item=items[0], body="  From home  ")
    assert (post.body, post.question, post.author) == ("From home", "", citizen)
    post = services.check_post_remotely(
        user=citizen, item=items[0], body="Now", question=WorkshopQuestion.NOW
    )
    assert post.question == "now"
    entry = AuditEntry.objects.filter(action="meetings.remote_post_added").first()
    assert entry is not None and not entry.is_public  # the post itself is the public record
    with pytest.raises(ValidationError, match="Enter what you want to say"):
        services.check_post_remotely(user=citizen, item=items[0], body=" ")
    with pytest.raises(ValidationError, match="3,000 characters"):
        services.check_post_remotely(user=citizen, item=items[0], body="x" * 3001)
    with pytest.raises(ValidationError, match="one of the three questions"):
        services.check_post_remotely(user=citizen, item=items[0], body="x", question="other")


def test_posting_stops_when_the_secretariat_closes_the_threads_even_from_an_open_page():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    _open(meeting, secretariat)
    item = items[0]
    item.meeting.remote_posting_open = True  # what the page loaded
    meeting_services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=False)
    with pytest.raises(ValidationError, match="closed"):
        services.check_post_remotely(user=citizen_user(), item=item, body="Too late")


def test_a_moderator_hides_a_post_with_a_public_reason_and_the_author_is_told():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    _open(meeting, secretariat)
    author = citizen_user()
    post = services.check_post_remotely(user=author, item=items[0], body="Rude words")
    moderator = moderator_user()
    with pytest.raises(ValidationError, match="Enter why you are hiding it"):
        check_hide(moderator=moderator, kind="remote_post", object_id=post.pk, reason=" ")
    check_hide(moderator=moderator, kind="remote_post", object_id=post.pk, reason="It is rude")
    post.refresh_from_db()
    assert post.hidden_at is not None and post.hidden_reason == "It is rude"
    entry = AuditEntry.objects.get(action="moderation.hidden")
    assert entry.is_public and entry.reason == "It is rude"
    assert "Rude words" not in entry.summary
    assert entry.data["kind"] == "remote_post"
    notification = Notification.objects.get(user=author)
    assert "It is rude" in notification.body
    assert notification.link.endswith(f"#post-{post.pk}")
    # The public moderation log lists it, with a link to where it was.
    row = log_rows(moderation_log_entries())[0]
    assert row.outcome == "Hidden" and row.url == notification.link
    with pytest.raises(ValidationError, match="already been hidden"):
        check_hide(moderator=moderator, kind="remote_post", object_id=post.pk, reason="Again")
