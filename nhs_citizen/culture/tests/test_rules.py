"""Who may tell, check, read and hide stories of change."""

import pytest
from django.contrib.auth.models import AnonymousUser

from nhs_citizen.conftest import make_user
from nhs_citizen.culture.services import stories
from nhs_citizen.culture.tests.factories import hide_story, next_email, tell_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "visitor": AnonymousUser(),
        "teller": make_user(next_email("teller")),
        "citizen": make_user(next_email("citizen")),
        "curator": make_user(next_email("curator"), roles=("curator",)),
        "moderator": make_user(next_email("moderator"), roles=("moderator",)),
    }


def allowed(people, perm, obj=None):
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


def test_anyone_signed_in_may_tell_a_story(people):
    assert allowed(people, "culture.tell_story") == {"teller", "citizen", "curator", "moderator"}


def test_only_curators_check_stories(people):
    assert allowed(people, "culture.curate_stories") == {"curator"}


def test_only_moderators_hide_stories(people):
    assert allowed(people, "culture.hide_story") == {"moderator"}


def test_a_waiting_story_is_seen_only_by_its_teller_and_curators(people):
    story = tell_story(people["teller"])
    assert allowed(people, "culture.view_story", story) == {"teller", "curator"}


def test_a_published_story_is_seen_by_everyone(people):
    story = stories.check_publish_story(
        curator=people["curator"], story=tell_story(people["teller"])
    )
    assert allowed(people, "culture.view_story", story) == set(people)


def test_a_hidden_story_s_text_is_seen_only_by_its_teller_and_moderators(people):
    story = stories.check_publish_story(
        curator=people["curator"], story=tell_story(people["teller"])
    )
    hide_story(moderator=people["moderator"], story=story, reason="Advert")
    assert allowed(people, "culture.see_hidden_story", story) == {"teller", "moderator"}
