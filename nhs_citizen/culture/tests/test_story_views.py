"""The story pages: the list and its filters, telling one, the curators' queue and decision,
and moderators hiding and putting back."""

import pytest
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.culture.models import Story, StoryStatus
from nhs_citizen.culture.services import stories
from nhs_citizen.culture.tests.factories import (
    hide_story,
    next_email,
    published_story,
    tell_story,
)

pytestmark = pytest.mark.django_db

LIST = "/culture-change/stories/"
TELL = "/culture-change/stories/tell/"


@pytest.fixture
def teller(db):
    return make_user(next_email("teller"), display_name="Tess Teller")


@pytest.fixture
def curator(db):
    return make_user(next_email("curator"), display_name="Cora Curator", roles=("curator",))


@pytest.fixture
def moderator(db):
    return make_user(next_email("moderator"), display_name="Mo Moderator", roles=("moderator",))


def detail(story):
    return reverse("culture:story_detail", args=[story.pk])


# The list --------------------------------------------------------------------------------------
def test_the_list_shows_published_stories_only(client, teller, curator):
    published_story(curator, title="Published story")
    tell_story(teller, title="Waiting story")
    html = client.get(LIST).content.decode()
    assert "Published story" in html and "Waiting story" not in html
    assert "1 story" in html


def test_the_list_filters_by_organisation_and_by_who_told_it(client, curator):
    england = Organisation.objects.get(slug="nhs-england")
    published_story(curator, title="About England", organisation=england, teller="staff")
    published_story(curator, title="From a patient", teller="patient")
    response = client.get(LIST, {"organisation": "nhs-england"})
    assert [s.title for s in response.context["page"].object_list] == ["About England"]
    response = client.get(LIST, {"teller": "patient"})
    assert [s.title for s in response.context["page"].object_list] == ["From a patient"]


def test_a_filter_that_is_not_understood_shows_an_error(client, curator):
    published_story(curator)
    response = client.get(LIST, {"teller": "robot"})
    assert response.status_code == 200
    assert "Select one of the options" in response.content.decode()
    assert len(response.context["page"].object_list) == 1


def test_the_list_shows_you_your_own_stories_with_their_status(client, signed_in, teller):
    tell_story(teller, title="Mine, waiting")
    html = signed_in(teller).get(LIST).content.decode()
    assert "Stories you told" in html and "Mine, waiting" in html
    assert "Waiting for a curator" in html


def test_curators_see_how_many_stories_are_waiting(client, signed_in, teller, curator):
    tell_story(teller)
    html = signed_in(curator).get(LIST).content.decode()
    assert "1 story is waiting for a curator" in html


def test_the_list_takes_a_fixed_number_of_queries(client, curator, django_assert_max_num_queries):
    for n in range(12):
        published_story(curator, title=f"Story {n}", organisation=Organisation.objects.first())
    with django_assert_max_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 12


# Telling a story -------------------------------------------------------------------------------
def test_you_must_sign_in_to_tell_a_story(client, db):
    response = client.get(TELL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_telling_a_story_with_nothing_filled_in_shows_errors(client, signed_in, teller):
    response = signed_in(teller).post(TELL, {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "Enter a title for your story" in html and "Select who you are" in html
    assert not Story.objects.exists()


def test_a_citizen_tells_a_story_and_sees_it_waiting(client, signed_in, teller):
    response = signed_in(teller).post(
        TELL,
        {
            "title": "They asked us first",
            "body": "The trust now asks patients before it changes visiting hours.",
            "teller": "patient",
            "organisation": "nhs-england",
        },
        follow=True,
    )
    story = Story.objects.get()
    assert story.author == teller and story.organisation.slug == "nhs-england"
    assert response.redirect_chain[-1][0] == detail(story)
    html = response.content.decode()
    assert "We have your story" in html and "Waiting for a curator to check it" in html


def test_telling_a_story_about_a_body_starts_with_the_body_chosen(client, signed_in, teller):
    response = signed_in(teller).get(TELL, {"about": "nhs-england"})
    assert 'value="nhs-england" selected' in response.content.decode()


# Reading one -----------------------------------------------------------------------------------
def test_a_waiting_story_is_not_found_by_anyone_but_its_teller_and_curators(
    client, signed_in, teller, curator
):
    story = tell_story(teller)
    assert client.get(detail(story)).status_code == 404
    assert signed_in(make_user(next_email())).get(detail(story)).status_code == 404
    assert signed_in(teller).get(detail(story)).status_code == 200
    html = signed_in(curator).get(detail(story)).content.decode()
    assert "Check this story" in html


def test_a_declined_story_shows_its_teller_the_reason(client, signed_in, teller, curator):
    story = tell_story(teller)
    stories.check_decline_story(curator=curator, story=story, reason="It names a nurse.")
    html = signed_in(teller).get(detail(story)).content.decode()
    assert "Not published" in html and "It names a nurse." in html


def test_a_published_story_is_public(client, curator):
    story = published_story(curator, title="Visiting hours changed")
    html = client.get(detail(story)).content.decode()
    assert "Visiting hours changed" in html and "Tess Teller" in html
    assert "Hide this story" not in html


def test_a_hidden_story_shows_only_the_reason_to_the_public(client, signed_in, curator, moderator):
    story = published_story(curator, body="Buy cheap pills here")
    hide_story(moderator=moderator, story=story, reason="It is an advert")
    html = client.get(detail(story)).content.decode()
    assert "This story has been hidden" in html and "It is an advert" in html
    assert "Buy cheap pills here" not in html and "The ward started listening" not in html
    html = signed_in(moderator).get(detail(story)).content.decode()
    assert "Buy cheap pills here" in html and "Put this story back" in html


# Curators --------------------------------------------------------------------------------------
def test_only_curators_see_the_queue_and_decide(client, signed_in, teller):
    story = tell_story(teller)
    signed_in(make_user(next_email()))
    assert client.get(reverse("culture:story_queue")).status_code == 403
    assert client.get(reverse("culture:decide_story", args=[story.pk])).status_code == 403
    assert (
        client.post(
            reverse("culture:decide_story", args=[story.pk]), {"decision": "publish"}
        ).status_code
        == 403
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.WAITING


def test_the_queue_lists_waiting_stories_oldest_first(client, signed_in, teller, curator):
    tell_story(teller, title="First")
    tell_story(teller, title="Second")
    published_story(curator, title="Already out")
    response = signed_in(curator).get(reverse("culture:story_queue"))
    assert [s.title for s in response.context["page"].object_list] == ["First", "Second"]


def test_a_curator_publishes_a_story(client, signed_in, teller, curator):
    story = tell_story(teller)
    response = signed_in(curator).post(
        reverse("culture:decide_story", args=[story.pk]), {"decision": "publish", "reason": ""}
    )
    assert response.status_code == 302 and response["Location"] == reverse("culture:story_queue")
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED


def test_not_publishing_needs_a_reason(client, signed_in, teller, curator):
    story = tell_story(teller)
    response = signed_in(curator).post(
        reverse("culture:decide_story", args=[story.pk]), {"decision": "decline", "reason": ""}
    )
    assert "Enter why the story cannot be published" in response.content.decode()
    story.refresh_from_db()
    assert story.status == StoryStatus.WAITING


def test_a_curator_s_own_story_cannot_be_decided_by_them(client, signed_in, curator):
    story = tell_story(curator)
    response = signed_in(curator).post(
        reverse("culture:decide_story", args=[story.pk]), {"decision": "publish"}
    )
    assert "You cannot decide about your own story" in response.content.decode()


def test_a_decided_story_is_not_decided_again(client, signed_in, curator):
    story = published_story(curator)
    assert (
        signed_in(curator).get(reverse("culture:decide_story", args=[story.pk])).status_code == 404
    )


# Moderators ------------------------------------------------------------------------------------
def test_only_moderators_hide_stories(client, signed_in, curator):
    story = published_story(curator)
    response = signed_in(curator).post(
        reverse("culture:hide_story", args=[story.pk]), {"reason": "No"}
    )
    assert response.status_code == 403


def test_a_moderator_hides_a_story_with_a_reason_and_puts_it_back(
    client, signed_in, curator, moderator
):
    story = published_story(curator)
    other = make_user(next_email("moderator"), roles=("moderator",))
    signed_in(moderator)
    # The old address leads to the moderation app's page for the story.
    decide = reverse("moderation:decide", args=["story", story.pk])
    assert client.get(reverse("culture:hide_story", args=[story.pk]))["Location"] == decide
    assert "Hide it" in client.get(decide).content.decode()
    page = client.post(decide, {"decision": "hide", "reason": ""}).content.decode()
    assert "Enter the reason for your decision" in page
    response = client.post(decide, {"decision": "hide", "reason": "It is an advert"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.hidden_reason == "It is an advert"
    assert "Put this story back" in client.get(detail(story)).content.decode()

    assert client.get(reverse("culture:restore_story", args=[story.pk]))["Location"] == decide
    signed_in(other)
    client.post(decide, {"decision": "restore", "reason": "It was not an advert"})
    story.refresh_from_db()
    assert story.hidden_at is None
