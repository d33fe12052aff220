"""Telling, publishing, declining, hiding and putting back stories of change; "Your data" and
deleting an account."""

import pytest
from django.core.exceptions import ValidationError

from nhs_citizen.accounts.services import build_data_export, do_delete_account
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry, Organisation
from nhs_citizen.culture.models import Story, StoryStatus
from nhs_citizen.culture.services import stories
from nhs_citizen.culture.tests.factories import (
    hide_story,
    next_email,
    published_story,
    restore_story,
    tell_story,
)
from nhs_citizen.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def teller(db):
    return make_user(next_email("teller"), display_name="Tess Teller")


@pytest.fixture
def curator(db):
    return make_user(next_email("curator"), display_name="Cora Curator", roles=("curator",))


@pytest.fixture
def moderator(db):
    return make_user(next_email("moderator"), display_name="Mo Moderator", roles=("moderator",))


def test_a_told_story_waits_for_a_curator_and_is_not_public(teller):
    organisation = Organisation.objects.get(slug="nhs-england")
    story = tell_story(teller, organisation=organisation, teller="staff")
    assert story.status == StoryStatus.WAITING
    assert story.organisation == organisation and story.teller == "staff"
    assert not Story.objects.published().exists()
    entry = AuditEntry.objects.get(action="culture.story_told")
    assert entry.actor == teller and not entry.is_public
    assert story.title not in entry.summary


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("title", {"title": "   "}, "Enter a title for your story"),
        ("body", {"body": ""}, "Enter your story"),
        ("teller", {"teller": "robot"}, "Select who you are"),
        ("body", {"body": "x" * 5001}, "5,000 characters or fewer"),
    ],
)
def test_a_story_needs_a_title_a_story_and_who_is_telling_it(teller, field, values, message):
    kwargs = {"title": "A title", "body": "A story", "teller": "patient", **values}
    with pytest.raises(ValidationError) as error:
        stories.check_tell_story(author=teller, **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    assert not Story.objects.exists()


def test_publishing_makes_it_public_records_it_and_tells_the_teller(teller, curator):
    story = stories.check_publish_story(curator=curator, story=tell_story(teller), reason="")
    assert story.status == StoryStatus.PUBLISHED and story.published_at is not None
    assert story.decided_by == curator
    assert list(Story.objects.published()) == [story]
    entry = AuditEntry.objects.get(action="culture.story_published")
    assert entry.is_public and entry.summary == f"Published story of change {story.pk}"
    note = Notification.objects.get(user=teller)
    assert note.subject == "Your story of change is published"
    assert note.link == f"/culture-change/stories/{story.pk}/"


def test_declining_needs_a_reason_that_the_teller_is_told(teller, curator):
    story = tell_story(teller)
    with pytest.raises(ValidationError):
        stories.check_decline_story(curator=curator, story=story, reason="  ")
    stories.check_decline_story(curator=curator, story=story, reason="It names a member of staff.")
    story.refresh_from_db()
    assert story.status == StoryStatus.NOT_PUBLISHED
    assert story.decision_reason == "It names a member of staff."
    assert not Story.objects.published().exists()
    entry = AuditEntry.objects.get(action="culture.story_not_published")
    assert not entry.is_public and entry.reason == "It names a member of staff."
    assert "It names a member of staff." in Notification.objects.get(user=teller).body


def test_a_curator_cannot_decide_about_their_own_story(curator):
    story = tell_story(curator)
    with pytest.raises(ValidationError, match="your own story"):
        stories.check_publish_story(curator=curator, story=story)


def test_a_story_is_decided_only_once(teller, curator):
    story = published_story(curator)
    with pytest.raises(ValidationError, match="already decided"):
        stories.check_decline_story(curator=curator, story=story, reason="Changed my mind")


def test_a_moderator_hides_a_published_story_with_a_public_reason(curator, moderator):
    story = published_story(curator)
    hide_story(moderator=moderator, story=story, reason="It is an advert")
    story.refresh_from_db()
    assert story.hidden_at is not None and story.hidden_reason == "It is an advert"
    assert not Story.objects.published().exists()
    entry = AuditEntry.objects.get(action="moderation.hidden")
    assert entry.is_public and entry.reason == "It is an advert"
    assert story.title not in entry.summary
    assert Notification.objects.filter(
        user=story.author, subject="A moderator hid your story"
    ).exists()
    with pytest.raises(ValidationError, match="already been hidden"):
        hide_story(moderator=moderator, story=story, reason="Again")


def test_a_moderator_can_put_a_hidden_story_back(curator, moderator):
    story = published_story(curator)
    hide_story(moderator=moderator, story=story, reason="Looked like an advert")
    restore_story(moderator=moderator, story=story, reason="It was not an advert")
    story.refresh_from_db()
    assert story.hidden_at is None and story.hidden_reason == ""
    assert list(Story.objects.published()) == [story]
    assert AuditEntry.objects.get(action="moderation.restored").is_public


def test_only_published_stories_can_be_hidden(teller, moderator):
    with pytest.raises(ValidationError, match="Only a published story"):
        hide_story(moderator=moderator, story=tell_story(teller), reason="No")


def test_hiding_needs_a_reason(curator, moderator):
    with pytest.raises(ValidationError):
        hide_story(moderator=moderator, story=published_story(curator), reason="")


def test_your_data_includes_your_stories(teller, curator):
    stories.check_publish_story(curator=curator, story=tell_story(teller, title="Published one"))
    tell_story(teller, title="Waiting one")
    export = build_data_export(teller)["stories_of_change"]
    assert [s["title"] for s in export] == ["Published one", "Waiting one"]
    assert export[0]["status"] == "Published" and export[0]["published"]
    assert export[1]["story"].startswith("Before, nobody asked us")


def test_deleting_an_account_keeps_published_stories_as_a_former_member_s(teller, curator):
    published = stories.check_publish_story(curator=curator, story=tell_story(teller))
    waiting = tell_story(teller, title="Never seen")
    declined = tell_story(teller, title="Declined")
    stories.check_decline_story(curator=curator, story=declined, reason="Off topic")

    do_delete_account(user=teller)

    assert list(Story.objects.filter(author=teller)) == [published]
    assert not Story.objects.filter(pk__in=[waiting.pk, declined.pk]).exists()
    assert Story.objects.published().get().author.public_name == "Former member"
