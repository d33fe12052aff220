"""The tracker's Atom feeds: updates on commitments, and one body's answers and commitments."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.gather.models import Flag
from nhs_citizen.tests.atom import ATOM, entries, parse
from nhs_citizen.tracker.models import Commitment, CommitmentStatus, CommitmentUpdate
from nhs_citizen.tracker.services import commitments as tracker_services
from nhs_citizen.tracker.tests.factories import answered_referral, draft

pytestmark = pytest.mark.django_db


def clone_rows(row, n, **changes):
    """``n`` more rows like ``row``, newer each time (straight into the table)."""
    clones = []
    for i in range(n):
        clone = copy.copy(row)
        clone.pk = None
        clone.created_at = timezone.now() + timezone.timedelta(seconds=i + 1)
        for field, value in changes.items():
            setattr(clone, field, value.format(i=i) if isinstance(value, str) else value)
        clones.append(clone)
    type(row).objects.bulk_create(clones)


@pytest.fixture
def commitment():
    answer, responder = answered_referral()
    made = tracker_services.check_add_commitment(
        by=responder, to=answer, draft=draft("Run a shuttle bus for a year", owner="Transport lead")
    )
    return made, responder


def test_updates_feed_shows_each_update_credited_to_the_body(client, commitment):
    made, responder = commitment
    tracker_services.check_update_commitment(
        by=responder,
        commitment=made,
        status=CommitmentStatus.IN_PROGRESS,
        note="The first bus runs on Monday.",
    )
    response = client.get(reverse("tracker:updates_feed"))
    got = entries(parse(response))
    assert len(got) == 1
    assert got[0]["title"] == "Run a shuttle bus for a year: in progress"
    assert "The first bus runs on Monday." in got[0]["summary"]
    update = CommitmentUpdate.objects.get()
    assert got[0]["link"].endswith(f"{made.get_absolute_url()}#update-{update.pk}")
    assert f"Posted by {update.posted_as or made.organisation.name}" in got[0]["summary"]
    # Nobody is named: not the person who posted it.
    assert responder.display_name.encode() not in response.content
    assert responder.email.encode() not in response.content


def test_updates_feed_stops_at_50_with_flat_queries(
    client, commitment, django_assert_max_num_queries
):
    made, responder = commitment
    tracker_services.check_update_commitment(
        by=responder, commitment=made, status=CommitmentStatus.IN_PROGRESS, note="Started."
    )
    update = CommitmentUpdate.objects.get()
    clone_rows(update, 4, note="Update {i}")
    url = reverse("tracker:updates_feed")
    with django_assert_max_num_queries(10) as five:
        assert len(entries(parse(client.get(url)))) == 5
    clone_rows(update, 60, note="Later update {i}")
    with django_assert_max_num_queries(len(five.captured_queries)):
        got = entries(parse(client.get(url)))
    assert len(got) == 50
    assert "Later update 59" in got[0]["summary"]


def test_body_feed_shows_its_answers_and_commitments(client, commitment):
    made, responder = commitment
    organisation = made.organisation
    response = client.get(reverse("tracker:body_feed", args=[organisation.slug]))
    root = parse(response)
    assert organisation.name in root.findtext(f"{ATOM}title")
    got = entries(root)
    titles = [e["title"] for e in got]
    assert "Commitment: Run a shuttle bus for a year" in titles
    assert any(t.startswith("Answer to a flag: A bus to Airedale Hospital") for t in titles)
    assert len({e["id"] for e in got}) == len(got)
    assert responder.display_name.encode() not in response.content


def test_body_feed_keeps_a_hidden_flag_hidden(client, commitment):
    made, _responder = commitment
    flag = made.flag
    Flag.objects.filter(pk=flag.pk).update(hidden_at=timezone.now(), hidden_reason="Rude")
    response = client.get(reverse("tracker:body_feed", args=[made.organisation.slug]))
    titles = [e["title"] for e in entries(parse(response))]
    assert "Answer to a flag: A flag hidden by a moderator" in titles
    assert flag.title.encode() not in response.content


def test_body_feed_of_another_body_is_empty_and_a_missing_body_is_not_found(client, commitment):
    from nhs_citizen.core.models import Organisation

    made, _responder = commitment
    other = Organisation.objects.filter(type="icb").exclude(pk=made.organisation_id).first()
    assert entries(parse(client.get(reverse("tracker:body_feed", args=[other.slug])))) == []
    assert client.get(reverse("tracker:body_feed", args=["no-such-body"])).status_code == 404


def test_body_feed_stops_at_50_with_flat_queries(client, commitment, django_assert_max_num_queries):
    made, _responder = commitment
    clone_rows(made, 4, what="Thing {i}")
    url = reverse("tracker:body_feed", args=[made.organisation.slug])
    client.get(url)
    with django_assert_max_num_queries(15) as five:
        assert len(entries(parse(client.get(url)))) == 6  # 5 commitments and the answer
    clone_rows(made, 60, what="Later thing {i}")
    with django_assert_max_num_queries(len(five.captured_queries)):
        got = entries(parse(client.get(url)))
    assert len(got) == 50
    assert got[0]["title"] == "Commitment: Later thing 59"
    assert Commitment.objects.filter(organisation=made.organisation).count() == 65
