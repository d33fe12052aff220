"""The Atom feeds of Gather: new flags with the list's filters, and one flag's timeline."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.models import Region
from nhs_citizen.gather.models import Flag, FlagStatus, Scope
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.gather.tests.factories import raise_flag
from nhs_citizen.tests.atom import ATOM, entries, parse

pytestmark = pytest.mark.django_db


def more_flags(like: Flag, n: int) -> None:
    """``n`` more flags like ``like``, newer each time (straight into the table: the feed only
    reads them)."""
    clones = []
    for i in range(n):
        clone = copy.copy(like)
        clone.pk = None
        clone.title = f"Clone {i}"
        clone.created_at = timezone.now() + timezone.timedelta(seconds=i + 1)
        clones.append(clone)
    Flag.objects.bulk_create(clones)


def test_new_flags_feed_lists_the_newest_first_and_links_each_flag(client):
    older = raise_flag(title="Longer opening hours at the pharmacy")
    newer = raise_flag(title="Free parking for carers at hospitals")
    root = parse(client.get(reverse("gather:flags_feed")))
    got = entries(root)
    assert [e["title"] for e in got] == [newer.title, older.title]
    assert got[0]["link"].endswith(newer.get_absolute_url())
    assert "Every surgery should offer online booking." in got[0]["summary"]


def test_new_flags_feed_uses_the_list_filters(client):
    london = Region.objects.order_by("code").first()
    in_london = raise_flag(
        title="More dentists in the region", place=Place(Scope.REGION, region=london)
    )
    mental = raise_flag(title="Shorter waits for talking therapies", topic="mental-health")
    raise_flag(title="Online booking everywhere")
    url = reverse("gather:flags_feed")
    by_topic = entries(parse(client.get(url, {"topic": "mental-health"})))
    assert [e["title"] for e in by_topic] == [mental.title]
    by_area = entries(parse(client.get(url, {"area": f"region:{london.code}"})))
    assert [e["title"] for e in by_area] == [in_london.title]
    by_words = entries(parse(client.get(url, {"q": "dentists"})))
    assert [e["title"] for e in by_words] == [in_london.title]
    Flag.objects.filter(pk=mental.pk).update(status=FlagStatus.CLOSED)
    by_status = entries(parse(client.get(url, {"status": "closed"})))
    assert [e["title"] for e in by_status] == [mental.title]


@pytest.mark.parametrize(
    "query",
    [
        {"topic": "no-such-topic"},
        {"area": "region:ZZZ"},
        {"status": "nonsense"},
        {"sort": "sideways"},
        {"q": "x" * 500},
    ],
)
def test_bad_filters_behave_as_on_the_list_page(client, query):
    raise_flag(title="Online booking everywhere")
    assert client.get(reverse("gather:flag_list"), query).status_code == 200
    got = entries(parse(client.get(reverse("gather:flags_feed"), query)))
    # Like the list page: an invalid filter filters nothing.
    assert [e["title"] for e in got] == ["Online booking everywhere"]


def test_hidden_and_merged_flags(client):
    hidden = raise_flag(title="Something rude about a named nurse", what="Private words")
    kept = raise_flag(title="Online booking everywhere")
    merged = raise_flag(title="Booking online please")
    Flag.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Rude")
    Flag.objects.filter(pk=merged.pk).update(status=FlagStatus.MERGED, merged_into=kept)
    response = client.get(reverse("gather:flags_feed"))
    got = entries(parse(response))
    assert [e["title"] for e in got] == [kept.title, "This flag has been hidden"]
    assert got[1]["summary"] == ""
    assert b"named nurse" not in response.content
    assert b"Private words" not in response.content


def test_new_flags_feed_stops_at_50_with_flat_queries(client, django_assert_max_num_queries):
    first = raise_flag()
    more_flags(first, 4)
    url = reverse("gather:flags_feed")
    with django_assert_max_num_queries(10) as five:
        assert len(entries(parse(client.get(url)))) == 5
    more_flags(first, 60)
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert len(entries(parse(client.get(url)))) == 50


def test_flag_timeline_feed_shows_the_public_timeline_newest_first(client, citizen):
    from nhs_citizen.core.models import AuditEntry

    flag = raise_flag(title="Online booking everywhere")
    public = list(
        AuditEntry.objects.public()
        .filter(target_type="gather.flag", target_id=str(flag.pk))
        .order_by("-sequence")
    )
    assert public, "raising a flag writes a public timeline entry"
    root = parse(client.get(reverse("gather:flag_feed", args=[flag.pk])))
    assert flag.title in root.findtext(f"{ATOM}title")
    got = entries(root)
    assert [e["title"] for e in got] == [entry.summary for entry in public]
    assert len({e["id"] for e in got}) == len(got)
    private = AuditEntry.objects.filter(
        target_type="gather.flag", target_id=str(flag.pk), is_public=False
    )
    for entry in private:
        assert entry.summary not in [e["title"] for e in got]


def test_flag_timeline_feed_of_a_hidden_flag_shows_nothing(client):
    flag = raise_flag(title="Something rude", what="Private words")
    Flag.objects.filter(pk=flag.pk).update(hidden_at=timezone.now(), hidden_reason="Rude")
    response = client.get(reverse("gather:flag_feed", args=[flag.pk]))
    root = parse(response)
    assert "This flag has been hidden" in root.findtext(f"{ATOM}title")
    assert entries(root) == []
    assert b"Something rude" not in response.content


def test_flag_timeline_feed_of_a_missing_flag_is_not_found(client):
    assert client.get(reverse("gather:flag_feed", args=[999999])).status_code == 404


def alternate_links(response) -> list[str]:
    """The hrefs of <link rel="alternate" type="application/atom+xml"> in the page."""
    import re

    html = response.content.decode()
    return [
        m.group(1).replace("&amp;", "&")
        for m in re.finditer(
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">',
            html,
        )
    ]


def test_pages_point_to_their_feeds(client):
    flag = raise_flag(title="Online booking everywhere")
    listing = client.get(reverse("gather:flag_list"), {"topic": "mental-health", "cursor": "x"})
    assert alternate_links(listing) == [f"{reverse('gather:flags_feed')}?topic=mental-health"]
    assert b"Follow new flags like these with a feed reader" in listing.content
    bad = client.get(reverse("gather:flag_list"), {"topic": "no-such-topic"})
    assert alternate_links(bad) == [reverse("gather:flags_feed")]
    page = client.get(flag.get_absolute_url())
    assert alternate_links(page) == [reverse("gather:flag_feed", args=[flag.pk])]
    assert b"Follow what happens to this flag with a feed reader" in page.content
    tracker = client.get(reverse("tracker:index"))
    assert alternate_links(tracker) == [reverse("tracker:updates_feed")]
    from nhs_citizen.core.models import Organisation

    body = Organisation.objects.filter(type="icb").first()
    body_page = client.get(reverse("tracker:body_detail", args=[body.slug]))
    assert alternate_links(body_page) == [reverse("tracker:body_feed", args=[body.slug])]


def test_flag_timeline_feed_stops_at_50_with_flat_queries(
    client, citizen, django_assert_max_num_queries
):
    from nhs_citizen.core.services.audit import record_audit_entry

    flag = raise_flag(title="Online booking everywhere")

    def events(n, start):
        for i in range(start, start + n):
            record_audit_entry(
                actor=citizen,
                action="gather.test_event",
                summary=f"Something public happened ({i})",
                target=flag,
                public=True,
            )
        record_audit_entry(
            actor=citizen,
            action="gather.test_private",
            summary="Something private happened",
            target=flag,
        )

    events(4, 0)
    url = reverse("gather:flag_feed", args=[flag.pk])
    with django_assert_max_num_queries(10) as few:
        response = client.get(url)
    assert len(entries(parse(response))) >= 5
    events(60, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    got = entries(parse(response))
    assert len(got) == 50
    assert got[0]["title"] == "Something public happened (63)"
    assert b"Something private happened" not in response.content
    assert citizen.display_name.encode() not in response.content


def test_a_merged_flags_timeline_feed_follows_the_flag_it_became(client):
    kept = raise_flag(title="Online booking everywhere")
    merged = raise_flag(title="Booking online please")
    Flag.objects.filter(pk=merged.pk).update(status=FlagStatus.MERGED, merged_into=kept)
    root = parse(client.get(reverse("gather:flag_feed", args=[merged.pk])))
    assert f"flag {kept.pk}: {kept.title}" in root.findtext(f"{ATOM}title")
