"""Content to report, and the people who report and moderate it."""

from __future__ import annotations

import pytest

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Topic
from nhs_citizen.gather.models import Flag
from nhs_citizen.gather.services.flags import check_add_comment, check_add_evidence


@pytest.fixture
def author(db):
    return make_user("author@example.com", display_name="Ann Author")


@pytest.fixture
def moderator(db):
    return make_user("moderator@example.com", display_name="Mo Moderator", roles=("moderator",))


@pytest.fixture
def second_moderator(db):
    return make_user("moderator2@example.com", display_name="Max Moderator", roles=("moderator",))


@pytest.fixture
def flag(author):
    # Made directly: raising a flag through the service loads the sentence-embedding model.
    return Flag.objects.create(
        title="Open the walk-in centre at weekends",
        what_should_change="The walk-in centre should open on Saturdays and Sundays.",
        why="People who work all week cannot get there.",
        topic=Topic.objects.first(),
        raised_by=author,
    )


@pytest.fixture
def comment(flag, author):
    return check_add_comment(user=author, flag=flag, body="You are all idiots for disagreeing.")


@pytest.fixture
def evidence(flag, author):
    return check_add_evidence(
        user=author, flag=flag, title="Buy cheap pills here", url="https://spam.example.com/"
    )


@pytest.fixture
def content(request, flag, comment, evidence):
    """One of each kind, for tests that apply to all three."""
    return {"flag": flag, "comment": comment, "evidence": evidence}
