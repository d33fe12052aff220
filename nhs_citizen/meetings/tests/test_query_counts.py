"""The Assembly Meeting's pages cost the same number of queries with 5 and with 50 of
everything: agenda items, workshop notes, remote posts and their authors."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.meetings.services import workshops
from nhs_citizen.meetings.tests.factories import (
    citizen_user,
    jury_chooses,
    make_cycle,
    make_meeting,
    secretariat_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _meeting(tag: str, n: int):
    """A meeting with n agenda items; its first item has n workshop notes and n posts, each
    by a different person."""
    secretariat = secretariat_user()
    cycle = make_cycle(name=f"{tag} 2027", slug=f"{tag.lower()}-2027", by=secretariat)
    jury_chooses(cycle, [f"{tag} flag {i}" for i in range(n)], by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    items = services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
    for i in range(n):
        workshops.check_record_workshop_note(
            facilitator=secretariat,
            item=items[0],
            question="now",
            table=f"Table {i}",
            text=f"Note {i}",
        )
        workshops.check_post_remotely(
            user=citizen_user(f"Person {i}"), item=items[0], body=f"Post {i}"
        )
    return meeting, items[0]


def _queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_the_meeting_and_item_pages_make_as_many_queries_with_50_of_everything_as_with_5(
    client,
):
    counts = {}
    for tag, n in (("Small", 5), ("Large", 50)):
        meeting, item = _meeting(tag, n)
        assert meeting.items.count() == n and item.remote_posts.count() == n
        counts[tag] = (
            _queries(client, meeting.get_absolute_url()),
            _queries(client, item.get_absolute_url()),
        )
    assert counts["Large"] == counts["Small"]
