"""The pipeline: taking items in once, redacting, duplicates, topics that keep their identity,
and batches that lose nothing when a worker dies part way."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nhs_citizen.core.models import Icb, Region
from nhs_citizen.discover.models import Batch, BatchKind, BatchStatus, Item, Topic
from nhs_citizen.discover.services import pipeline
from nhs_citizen.discover.services.place import PlaceResolver
from nhs_citizen.discover.tests.helpers import (
    THEMES,
    all_theme_texts,
    incoming,
    ingest_texts,
    make_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_pipeline():
    pipeline.reset_caches()
    yield
    pipeline.reset_caches()


def test_taking_the_same_items_in_twice_adds_them_once():
    source = make_source()
    items = [
        incoming("The ward was clean", original_id="a"),
        incoming("Food was cold", original_id="b"),
    ]
    from nhs_citizen.discover.services.ingest import do_ingest

    first = do_ingest(source, items)
    second = do_ingest(source, items)
    assert (first.new, first.already_had) == (2, 0)
    assert (second.new, second.already_had) == (0, 2)
    assert Item.objects.count() == 2


def test_processing_redacts_before_anything_is_public():
    source = make_source()
    ingest_texts(
        source,
        [
            "Ring me on 07700 900123 or email jo.bloggs@example.com, my NHS number is 943 476 5919",
            "Dr Okafor at 12 High Street, Leeds LS1 4AP was brilliant",
        ],
    )
    assert Item.objects.public().count() == 0  # nothing public before processing
    assert pipeline.do_process_waiting() == 2
    texts = " ".join(Item.objects.public().values_list("text", flat=True))
    for secret in ("07700", "jo.bloggs", "943 476 5919", "LS1 4AP", "12 High Street", "Okafor"):
        assert secret not in texts
    assert "[phone number]" in texts and "[email address]" in texts and "[NHS number]" in texts
    item = Item.objects.get(raw_text__startswith="Ring")
    assert item.redactions.get("phone") == 1
    assert item.sentiment in {"positive", "neutral", "negative"}


def test_exact_and_near_duplicates_are_merged_with_a_count():
    source = make_source()
    ingest_texts(source, ["Parking at the hospital is far too expensive"])
    pipeline.do_process_waiting()
    ingest_texts(
        source,
        [
            "parking at the hospital is far too expensive!",  # the same, once normalised
            "Parking at the hospital is far too expensive.",
            "Parking at the hospital is much too expensive",  # near
        ],
    )
    pipeline.do_process_waiting()
    public = list(Item.objects.public())
    assert len(public) == 1
    assert public[0].weight == 4
    assert Item.objects.filter(duplicate_of=public[0]).count() == 3


def test_opposite_stances_are_never_merged():
    source = make_source()
    ingest_texts(
        source,
        [
            "Hospital parking should be free for patients",
            "Hospital parking should not be free for patients",
        ],
    )
    pipeline.do_process_waiting()
    assert Item.objects.public().count() == 2
    assert set(Item.objects.values_list("weight", flat=True)) == {1}


def test_a_batch_that_dies_before_writing_loses_nothing_and_duplicates_nothing():
    source = make_source()
    ingest_texts(source, THEMES["parking"][:5])

    def die(items):
        raise KeyboardInterrupt  # as if the worker were killed here

    with pytest.raises(KeyboardInterrupt):
        pipeline.do_process_batch(_before_write=die)
    # The batch is not left "running" forever, and every item is still waiting.
    assert Item.objects.waiting().count() == 5
    pipeline.do_process_waiting()
    assert Item.objects.waiting().count() == 0
    assert Item.objects.public().count() == 5
    assert sum(Item.objects.public().values_list("weight", flat=True)) == 5


def test_a_run_left_behind_by_a_dead_worker_is_marked_and_picked_up():
    source = make_source()
    ingest_texts(source, THEMES["waiting"][:3])
    # A worker on this machine whose process no longer exists.
    Batch.objects.create(
        kind=BatchKind.PROCESS,
        status=BatchStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:999999999",
    )
    assert pipeline.do_process_waiting() == 3
    assert Batch.objects.filter(status=BatchStatus.INTERRUPTED).count() == 1
    assert Batch.objects.filter(kind=BatchKind.PROCESS, status=BatchStatus.DONE).count() == 1


def test_a_live_worker_keeps_its_batch_and_another_worker_waits():
    source = make_source()
    ingest_texts(source, THEMES["waiting"][:2])
    Batch.objects.create(
        kind=BatchKind.PROCESS,
        status=BatchStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker="another-machine:1234",
    )
    assert pipeline.do_process_batch() is None
    assert Item.objects.waiting().count() == 2
    # A worker elsewhere that has not been heard of for a long time is taken over.
    Batch.objects.filter(worker="another-machine:1234").update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert pipeline.do_process_batch() is not None


def _process_themes():
    source = make_source()
    ingest_texts(source, all_theme_texts())
    pipeline.do_process_waiting()
    return source


def _topic_of(text: str) -> Topic:
    return Item.objects.get(raw_text=text).topic


def test_topics_are_found_and_keep_their_identity_and_names_when_found_again():
    _process_themes()
    assert Topic.objects.public().count() >= 2  # found on its own: most statements had no topic
    parking = _topic_of(THEMES["parking"][0])
    kindness = _topic_of(THEMES["kindness"][0])
    assert parking is not None and kindness is not None and parking != kindness
    parking.curator_name = "Hospital parking"
    parking.save()
    batch = pipeline.do_recluster()
    assert batch.status == BatchStatus.DONE
    again = _topic_of(THEMES["parking"][0])
    assert again.pk == parking.pk
    assert again.name == "Hospital parking"
    assert again.weight >= 8
    assert "kept from before" in batch.message


def test_new_statements_join_the_nearest_topic_between_re_clusterings():
    source = _process_themes()
    parking = _topic_of(THEMES["parking"][0])
    ingest_texts(source, ["The hospital car park charges are a rip off for visitors"])
    pipeline.do_process_waiting()
    item = Item.objects.get(raw_text__startswith="The hospital car park charges")
    assert item.topic_id == parking.pk
    assert item.topic_similarity >= pipeline.JOIN_TOPIC


def test_a_curators_merge_survives_finding_topics_again(django_user_model):
    from nhs_citizen.conftest import make_user
    from nhs_citizen.discover.services.curation import check_merge_topics

    curator = make_user("cur@example.com", roles=("curator",))
    _process_themes()
    parking = _topic_of(THEMES["parking"][0])
    waiting = _topic_of(THEMES["waiting"][0])
    assert parking != waiting
    check_merge_topics(curator=curator, source=parking, target=waiting, reason="Both about access")
    pipeline.do_recluster()
    assert _topic_of(THEMES["parking"][0]).pk == waiting.pk
    assert _topic_of(THEMES["waiting"][0]).pk == waiting.pk
    parking.refresh_from_db()
    assert parking.merged_into_id == waiting.pk


def test_topic_figures_count_duplicates_and_spot_a_rising_topic():
    source = make_source()
    # A quiet past: one a week for eight weeks, then a burst in the last 7 days.
    ingest_texts(source, all_theme_texts()[10:], days_ago=30)
    for week in range(1, 9):
        ingest_texts(
            source, [f"{THEMES['parking'][week % 10]} (week {week})"], days_ago=7 * week + 2
        )
    ingest_texts(source, THEMES["parking"], days_ago=1)
    ingest_texts(
        source,
        [f"Parking charges at the hospital are too high, visit {i}" for i in range(12)],
        days_ago=2,
    )
    pipeline.do_process_waiting()
    pipeline.do_recluster()
    parking = _topic_of(THEMES["parking"][0])
    assert parking.rising
    assert parking.recent_count > parking.expected_count
    kindness = _topic_of(THEMES["kindness"][0])
    assert not kindness.rising
    # Shares are weighted by how many times each statement was said.
    members = Item.objects.public().filter(topic=kindness)
    weight = sum(i.weight for i in members)
    positive = sum(i.weight for i in members if i.sentiment == "positive")
    assert kindness.weight == weight
    assert kindness.positive_share == pytest.approx(positive / weight)


def test_place_comes_from_the_source_the_place_given_or_a_postcode_area():
    resolver = PlaceResolver()
    leeds = Icb.objects.get(name="West Yorkshire")
    north_east = Region.objects.get(name="North East and Yorkshire")
    london = Region.objects.get(name="London")
    assert resolver.resolve("West Yorkshire").icb_id == leeds.pk
    assert resolver.resolve("LS6 3AB").region_id == north_east.pk
    assert resolver.resolve("ls6").region_id == north_east.pk
    assert resolver.resolve("somewhere in London").region_id == london.pk
    assert resolver.resolve("Cardiff CF10").region_id is None  # Wales: not an NHS England region
    from_source = resolver.resolve("", default_icb_id=leeds.pk)
    assert (from_source.region_id, from_source.icb_id) == (north_east.pk, leeds.pk)


def test_the_question_asked_is_the_items_own_or_else_the_sources():
    source = make_source(config={"question": "What was good?"})
    other = make_source("No question")
    from nhs_citizen.discover.services.ingest import do_ingest

    do_ingest(
        source,
        [
            incoming("Nothing", original_id="own", question="What could we do better?"),
            incoming("Nothing", original_id="none"),
        ],
    )
    do_ingest(other, [incoming("Nothing", original_id="neither")])
    asked = {i.original_id: pipeline.question_asked(i) for i in Item.objects.all()}
    assert asked == {
        "own": "What could we do better?",
        "none": "What was good?",
        "neither": None,
    }


def test_the_same_words_merge_only_when_they_answer_the_same_question():
    source = make_source(config={"question": "What was good?"})
    from nhs_citizen.discover.services.ingest import do_ingest

    do_ingest(source, [incoming("Nothing", original_id="first")])
    pipeline.do_process_waiting()
    do_ingest(
        source,
        [
            incoming("Nothing", original_id="same", question="What was good?"),
            incoming("Nothing", original_id="other", question="What could we do better?"),
            incoming("Nothing", original_id="other again", question="What could we do better?"),
        ],
    )
    pipeline.do_process_waiting()
    first = Item.objects.get(original_id="first")
    other = Item.objects.get(original_id="other")
    assert Item.objects.get(original_id="same").duplicate_of == first
    assert other.duplicate_of is None and first.sentiment != other.sentiment
    assert Item.objects.get(original_id="other again").duplicate_of == other
    assert (first.weight, other.weight) == (2, 2)


def test_saving_fields_in_chunks_saves_every_row_and_no_other(monkeypatch):
    source = make_source()
    ingest_texts(source, [f"Comment number {n} about the ward" for n in range(7)])
    items = list(Item.objects.order_by("pk"))
    monkeypatch.setattr(pipeline, "SAVE_CHUNK", 2)
    with CaptureQueriesContext(connection) as queries:
        pipeline.save_fields(
            ("text", "topic_similarity"),
            [(item.pk, f"Saved {n}", n / 10) for n, item in enumerate(items[:5])],
        )
    if connection.vendor == "postgresql":  # 5 rows, 2 at a time: 3 statements
        assert sum(q["sql"].startswith("UPDATE") for q in queries.captured_queries) == 3
    saved = list(Item.objects.order_by("pk").values_list("text", "topic_similarity"))
    assert saved[:5] == [(f"Saved {n}", pytest.approx(n / 10)) for n in range(5)]
    assert all(not text.startswith("Saved") for text, _ in saved[5:])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copying_items_in_keeps_their_order_and_skips_a_twin_added_meanwhile():
    from nhs_citizen.discover.services import ingest

    source = make_source()
    ingest_texts(source, ["Already here"])
    twin = Item.objects.get()
    new = [
        Item(source=source, original_id=twin.original_id, raw_text="A twin, added meanwhile"),
        *[Item(source=source, original_id=f"new-{n}", raw_text=f"New {n}") for n in range(3)],
    ]
    ingest._copy_in(new)
    rows = list(Item.objects.order_by("pk").values_list("original_id", "raw_text", "redactions"))
    assert rows == [
        (twin.original_id, "Already here", {}),
        *[(f"new-{n}", f"New {n}", {}) for n in range(3)],
    ]
