"""Visitors' "Tell us" messages wait for a curator; curators put back words taken out by
mistake. Services, pages and permissions; bad input gets a clear error and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.discover.models import Item, Review
from nhs_citizen.discover.services import pipeline, review
from nhs_citizen.discover.services.ingest import check_tell_us, tell_us_source
from nhs_citizen.discover.tests.helpers import ingest_texts, make_source
from nhs_citizen.discover.views import curator_views as review_views

pytestmark = pytest.mark.django_db

WORRY = "The Airedale wait for a scan was far too long for my mum"


@pytest.fixture(autouse=True)
def _fresh_pipeline():
    pipeline.reset_caches()
    yield
    pipeline.reset_caches()


@pytest.fixture
def curator(db):
    return make_user("curator@example.com", display_name="Cora Curator", roles=("curator",))


@pytest.fixture
def citizen(db):
    return make_user("citizen@example.com", display_name="Chris Citizen")


class _Visitor:
    is_authenticated = False


def _wrongly_redacted(**extra) -> Item:
    """A statement as the pipeline leaves it when redaction took out a hospital's name as if
    it were a person's (made directly, so the test does not depend on the redaction rules)."""
    raw = "I was looked after at Airedale and Nurse Okonkwo was kind"
    spans = [[22, 30, "name"], [41, 48, "name"]]
    return Item.objects.create(
        source=tell_us_source(),
        original_id=f"tell-us-test-{Item.objects.count()}",
        said_at=timezone.now(),
        raw_text=raw,
        text="I was looked after at [name] and Nurse [name] was kind",
        redactions={"name": 2},
        redacted_spans=spans,
        processed_at=timezone.now(),
        **extra,
    )


def _snapshot(item: Item) -> tuple:
    item.refresh_from_db()
    return (
        item.text,
        item.redactions,
        item.redacted_spans,
        item.restored_spans,
        item.review,
        item.hidden_at,
        AuditEntry.objects.count(),
    )


# Visitors wait, signed-in people do not ----------------------------------------------------------
def test_a_visitors_message_waits_for_a_curator_after_redaction(curator):
    item = check_tell_us(user=_Visitor(), text=WORRY + ". Call me on 07700 900456")
    assert item.review == Review.WAITING
    pipeline.do_process_waiting()
    item.refresh_from_db()
    assert item.processed_at is not None
    assert "07700 900456" not in item.text
    assert item.redacted_spans, "where the phone number was is kept, privately"
    assert item.duplicate_of_id is None
    assert not Item.objects.public().filter(pk=item.pk).exists()
    assert not Item.objects.counted().filter(pk=item.pk).exists()
    assert list(Item.objects.to_review()) == [item]

    review.check_publish(curator=curator, item=item)
    item.refresh_from_db()
    assert item.review == Review.PUBLISHED and item.reviewed_by == curator
    assert Item.objects.public().filter(pk=item.pk).exists()
    assert not Item.objects.to_review().exists()
    entry = AuditEntry.objects.get(action="discover.item_published")
    assert entry.is_public and entry.actor_id == curator.pk


def test_a_signed_in_persons_message_is_public_once_redacted(citizen):
    item = check_tell_us(user=citizen, text=WORRY)
    assert item.review == Review.NOT_NEEDED
    pipeline.do_process_waiting()
    assert Item.objects.public().filter(pk=item.pk).exists()
    assert not Item.objects.to_review().exists()


def test_a_waiting_message_is_never_merged_with_others(curator):
    source = make_source()
    ingest_texts(source, [WORRY])
    waiting = check_tell_us(user=_Visitor(), text=WORRY)
    pipeline.do_process_waiting()
    waiting.refresh_from_db()
    public = Item.objects.public().get()
    assert waiting.duplicate_of_id is None and public.weight == 1
    review.check_publish(curator=curator, item=waiting)
    assert Item.objects.public().count() == 2


def test_a_curator_turns_a_message_down_with_a_reason(curator):
    item = _wrongly_redacted(review=Review.WAITING)
    review.check_reject(curator=curator, item=item, reason="  It names a member of staff  ")
    item.refresh_from_db()
    assert item.review == Review.REJECTED and item.hidden_at is not None
    assert not Item.objects.public().filter(pk=item.pk).exists()
    entry = AuditEntry.objects.get(action="discover.item_rejected")
    assert entry.reason == "It names a member of staff" and entry.is_public


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_turning_down_needs_a_short_reason_and_changes_nothing(curator, reason):
    item = _wrongly_redacted(review=Review.WAITING)
    before = _snapshot(item)
    with pytest.raises(ValidationError) as error:
        review.check_reject(curator=curator, item=item, reason=reason)
    assert "reason" in error.value.message_dict
    assert _snapshot(item) == before


def test_only_waiting_messages_can_be_published_or_turned_down(curator):
    item = _wrongly_redacted()
    before = _snapshot(item)
    with pytest.raises(ValidationError, match="not waiting"):
        review.check_publish(curator=curator, item=item)
    with pytest.raises(ValidationError, match="not waiting"):
        review.check_reject(curator=curator, item=item, reason="No")
    assert _snapshot(item) == before


def test_people_who_are_not_curators_cannot_publish_turn_down_or_restore(citizen):
    item = _wrongly_redacted(review=Review.WAITING)
    before = _snapshot(item)
    for call in (
        lambda: review.check_publish(curator=citizen, item=item),
        lambda: review.check_reject(curator=citizen, item=item, reason="No"),
        lambda: review.check_restore_span(curator=citizen, item=item, number=0, reason="Hospital"),
    ):
        with pytest.raises(ValidationError, match="Only curators"):
            call()
    assert _snapshot(item) == before


# Putting back a word ---------------------------------------------------------------------------------
def test_a_curator_puts_back_a_hospital_name_with_a_reason(curator):
    item = _wrongly_redacted()
    shown = review.taken_out(item)
    assert [(t.words, t.kind, t.restored) for t in shown] == [
        ("Airedale", "name", False),
        ("Okonkwo", "name", False),
    ]
    review.check_restore_span(
        curator=curator, item=item, number=0, reason="Airedale is a hospital, not a person"
    )
    item.refresh_from_db()
    assert item.text == "I was looked after at Airedale and Nurse [name] was kind"
    assert item.redactions == {"name": 1}
    assert item.restored_spans == [[22, 30]]
    assert [t.restored for t in review.taken_out(item)] == [True, False]
    entry = AuditEntry.objects.get(action="discover.words_restored")
    assert entry.is_public and entry.reason == "Airedale is a hospital, not a person"
    # The log never holds the words that were taken out (only the curator's reason might).
    assert "Okonkwo" not in f"{entry.summary} {entry.data}"
    assert "Airedale" not in f"{entry.summary} {entry.data}"
    assert Item.objects.public().get(pk=item.pk).text.startswith("I was looked after at Airedale")


@pytest.mark.parametrize(
    ("number", "reason", "message"),
    [
        (0, "", "reason"),
        (0, "   ", "reason"),
        (0, "x" * 501, "reason"),
        (2, "It is a hospital", "were not taken out"),
        (-1, "It is a hospital", "were not taken out"),
        ("first", "It is a hospital", "were not taken out"),
    ],
)
def test_putting_back_bad_input_changes_nothing(curator, number, reason, message):
    item = _wrongly_redacted()
    before = _snapshot(item)
    with pytest.raises(ValidationError) as error:
        review.check_restore_span(curator=curator, item=item, number=number, reason=reason)
    assert message in str(error.value)
    assert _snapshot(item) == before


def test_words_cannot_be_put_back_twice(curator):
    item = _wrongly_redacted()
    review.check_restore_span(curator=curator, item=item, number=0, reason="A hospital")
    before = _snapshot(item)
    with pytest.raises(ValidationError, match="already been put back"):
        review.check_restore_span(curator=curator, item=item, number=0, reason="A hospital")
    assert _snapshot(item) == before


def test_statements_processed_before_spans_were_kept_can_still_be_put_back(curator):
    source = make_source()
    ingest_texts(source, ["Call me on 07700 900456 about the parking"])
    pipeline.do_process_waiting()
    item = Item.objects.get()
    assert item.redacted_spans
    # As an item processed before this change: no spans stored.
    Item.objects.filter(pk=item.pk).update(redacted_spans=[])
    item.refresh_from_db()
    assert [t.words for t in review.taken_out(item)] == ["07700 900456"]
    review.check_restore_span(curator=curator, item=item, number=0, reason="A hospital's line")
    item.refresh_from_db()
    assert item.text == item.raw_text
    # If redaction has changed since, nothing is offered rather than the wrong words.
    Item.objects.filter(pk=item.pk).update(redacted_spans=[], restored_spans=[], text="Other")
    item.refresh_from_db()
    assert review.taken_out(item) == []


# Pages ----------------------------------------------------------------------------------------------
def test_visitors_are_told_a_person_will_check_their_message(client, citizen, signed_in):
    response = client.get(reverse("discover:tell_us_done"))
    assert "a person will check what you wrote" in response.content.decode()
    signed_in(citizen)
    response = client.get(reverse("discover:tell_us_done"))
    assert "a person will check" not in response.content.decode()


def test_a_waiting_message_is_not_found_by_anyone_but_curators(client, citizen, signed_in, curator):
    item = _wrongly_redacted(review=Review.WAITING)
    assert client.get(reverse("discover:item_detail", args=[item.pk])).status_code == 404
    signed_in(citizen)
    assert client.get(reverse("discover:item_detail", args=[item.pk])).status_code == 404
    for name, args in [
        ("discover:review_queue", []),
        ("discover:review_item", [item.pk]),
        ("discover:restore_words", [item.pk, 0]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    before = _snapshot(item)
    client.post(reverse("discover:review_item", args=[item.pk]), {"decision": "publish"})
    client.post(reverse("discover:restore_words", args=[item.pk, 0]), {"reason": "Hospital"})
    assert _snapshot(item) == before
    signed_in(curator)
    body = client.get(reverse("discover:item_detail", args=[item.pk])).content.decode()
    assert "Okonkwo" in body  # curators see the words taken out


def test_originals_never_reach_public_pages_or_open_data(client, curator):
    item = _wrongly_redacted()
    for url in (
        reverse("discover:item_detail", args=[item.pk]),
        reverse("discover:items_csv"),
        reverse("discover:items_jsonl"),
    ):
        response = client.get(url)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode("utf-8-sig")
        assert "Okonkwo" not in body and "Airedale" not in body


def test_the_queue_publishes_and_turns_down_from_its_pages(client, signed_in, curator):
    keep = _wrongly_redacted(review=Review.WAITING)
    drop = _wrongly_redacted(review=Review.WAITING)
    signed_in(curator)
    body = client.get(reverse("discover:review_queue")).content.decode()
    assert reverse("discover:review_item", args=[keep.pk]) in body
    response = client.post(reverse("discover:review_item", args=[drop.pk]), {"decision": "reject"})
    assert "Enter a reason" in response.content.decode()
    assert Item.objects.get(pk=drop.pk).review == Review.WAITING
    client.post(
        reverse("discover:review_item", args=[drop.pk]),
        {"decision": "reject", "reason": "It is about one person's care"},
    )
    client.post(reverse("discover:review_item", args=[keep.pk]), {"decision": "publish"})
    assert Item.objects.get(pk=drop.pk).review == Review.REJECTED
    assert Item.objects.get(pk=keep.pk).review == Review.PUBLISHED
    # Checking again says so, and changes nothing.
    response = client.post(
        reverse("discover:review_item", args=[keep.pk]), {"decision": "publish"}, follow=True
    )
    assert "not waiting for a check" in response.content.decode()
    assert AuditEntry.objects.filter(action="discover.item_published").count() == 1


def test_the_restore_page_puts_a_word_back_and_refuses_a_missing_one(client, signed_in, curator):
    item = _wrongly_redacted()
    signed_in(curator)
    url = reverse("discover:restore_words", args=[item.pk, 0])
    assert "Airedale" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert "Enter a reason" in response.content.decode()
    assert client.get(reverse("discover:restore_words", args=[item.pk, 5])).status_code == 404
    assert (
        client.post(
            reverse("discover:restore_words", args=[item.pk, 5]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert Item.objects.get(pk=item.pk).restored_spans == []
    response = client.post(url, {"reason": "Airedale is a hospital"})
    assert response.status_code == 302
    assert "at Airedale and" in Item.objects.get(pk=item.pk).text


def test_the_queue_costs_the_same_queries_however_long_it_grows(client, signed_in, curator):
    signed_in(curator)
    url = reverse("discover:review_queue")

    def queries(count: int) -> int:
        for _ in range(count):
            _wrongly_redacted(review=Review.WAITING)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    small = queries(3)
    large = queries(40)  # 43 waiting: more than two pages
    assert small == large
    body = client.get(url).content.decode()
    assert body.count(">Check this message<") == review_views.REVIEW_PER_PAGE
    assert "Next" in body


def test_a_visitors_message_is_not_hidden_or_shown_around_the_queue(curator):
    from nhs_citizen.discover.services.curation import check_hide_item

    waiting = _wrongly_redacted(review=Review.WAITING)
    rejected = _wrongly_redacted(review=Review.REJECTED, hidden_at=timezone.now())
    for item, hide in ((waiting, True), (rejected, False)):
        before = _snapshot(item)
        with pytest.raises(ValidationError, match="messages to check"):
            check_hide_item(curator=curator, item=item, hide=hide, reason="A reason")
        assert _snapshot(item) == before


def test_the_curators_review_pages_say_which_question_a_message_answers(client, signed_in, curator):
    item = _wrongly_redacted(review=Review.WAITING, question="What could we do better?")
    plain = _wrongly_redacted(review=Review.WAITING)
    signed_in(curator)
    marked = 'Answer to: <span class="app-user-text">What could we do better?</span>'
    queue = client.get(reverse("discover:review_queue")).content.decode()
    assert queue.count("Answer to:") == 1 and marked in queue
    page = client.get(reverse("discover:review_item", args=[item.pk])).content.decode()
    assert marked in page
    other = client.get(reverse("discover:review_item", args=[plain.pk])).content.decode()
    assert "Answer to:" not in other
