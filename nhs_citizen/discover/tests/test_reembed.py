"""Embedding every statement again (after the embedding or feeling model changed): new vectors
and feelings, saved a chunk at a time, one run at a time, and a stopped run that can carry on."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from nhs_citizen.core import embeddings
from nhs_citizen.discover.algorithms import sentiment
from nhs_citizen.discover.models import Batch, BatchKind, BatchStatus, Item
from nhs_citizen.discover.services import pipeline, reembed
from nhs_citizen.discover.tests.helpers import THEMES, ingest_texts, make_source

pytestmark = pytest.mark.django_db

STALE = embeddings.to_bytes(np.zeros(embeddings.DIMENSIONS, dtype=np.float32))


@pytest.fixture(autouse=True)
def _fresh_pipeline():
    pipeline.reset_caches()
    yield
    pipeline.reset_caches()


def _processed(texts, **source):
    ingest_texts(make_source(**source), texts)
    pipeline.do_process_waiting()
    # As if made by an older model: every vector zero and every feeling "neutral".
    Item.objects.update(embedding=STALE, sentiment="neutral", sentiment_score=0.0)
    return list(Item.objects.order_by("pk"))


def _vector(item: Item) -> np.ndarray:
    return embeddings.from_bytes(Item.objects.get(pk=item.pk).embedding)


def test_every_statement_gets_the_vector_and_feeling_the_models_give_now():
    items = _processed(THEMES["kindness"][:3] + THEMES["waiting"][:3])
    batch = reembed.do_reembed(chunk=4)
    assert batch.kind == BatchKind.REEMBED and batch.status == BatchStatus.DONE
    assert batch.item_count == 6
    assert batch.message.startswith("6 statements embedded and scored again")
    texts = [i.text for i in items]
    expected = embeddings.embed(texts)
    feelings = sentiment.score(texts, expected, [None] * len(texts))
    for item, vector, feeling in zip(items, expected, feelings, strict=True):
        fresh = Item.objects.get(pk=item.pk)
        assert np.allclose(embeddings.from_bytes(fresh.embedding), vector, atol=1e-5)
        assert fresh.sentiment == feeling.label
        assert fresh.sentiment_score == pytest.approx(round(float(feeling.score), 4))
    # Kind words come out positive, long waits not: the old "neutral" is gone.
    assert {Item.objects.get(pk=i.pk).sentiment for i in items} != {"neutral"}


def test_the_question_asked_is_used_when_scoring_again():
    items = _processed(["Nothing"], config={"question": "What was good?"})
    reembed.do_reembed()
    assert Item.objects.get(pk=items[0].pk).sentiment == "negative"


def test_an_items_own_question_is_used_when_scoring_again():
    from nhs_citizen.discover.services.ingest import do_ingest
    from nhs_citizen.discover.tests.helpers import incoming

    source = make_source(config={"question": "What was good?"})
    do_ingest(
        source,
        [
            incoming("Nothing", question="What could we do better?"),
            incoming("Nothing"),
            incoming("Nothing", question="What was good?"),
        ],
    )
    pipeline.do_process_waiting()
    Item.objects.update(sentiment="neutral")
    reembed.do_reembed()
    assert [i.sentiment for i in Item.objects.order_by("pk")] == [
        "positive",
        "negative",
        "negative",
    ]


def test_vectors_only_keeps_the_feelings():
    items = _processed(THEMES["kindness"][:2])
    reembed.do_reembed(feeling=False)
    assert np.linalg.norm(_vector(items[0])) == pytest.approx(1.0, abs=1e-4)
    assert set(Item.objects.values_list("sentiment", flat=True)) == {"neutral"}


def test_a_stopped_run_keeps_each_chunk_whole_and_can_carry_on():
    items = _processed(THEMES["parking"][:5])
    seen = []

    def stop_after_first_chunk(done, last):
        seen.append((done, last))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reembed.do_reembed(chunk=2, progress=stop_after_first_chunk)
    assert seen == [(2, items[1].pk)]
    failed = Batch.objects.get(kind=BatchKind.REEMBED)
    assert failed.status == BatchStatus.FAILED
    assert f"run again from {items[1].pk}" in failed.message
    assert [np.linalg.norm(_vector(i)) > 0.5 for i in items] == [True, True, False, False, False]

    call_command("discover_reembed", "--from-id", str(items[1].pk), stdout=StringIO())
    assert all(np.linalg.norm(_vector(i)) > 0.5 for i in items)


def test_one_run_at_a_time():
    _processed(THEMES["parking"][:2])
    Batch.objects.create(
        kind=BatchKind.REEMBED,
        status=BatchStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker="another-machine:1234",
    )
    assert reembed.do_reembed() is None
    with pytest.raises(CommandError, match="Another run"):
        call_command("discover_reembed", stdout=StringIO())
    assert set(Item.objects.values_list("embedding", flat=True)) == {STALE}


def test_the_command_says_what_it_did_and_can_find_topics_again():
    texts = [t for theme in THEMES.values() for t in theme]
    _processed(texts)
    out = StringIO()
    call_command("discover_reembed", "--find-topics", "--chunk", "10", stdout=out)
    said = out.getvalue()
    assert "10 done, up to statement" in said
    assert f"{len(texts)} statements embedded and scored again" in said
    assert Batch.objects.filter(kind=BatchKind.RECLUSTER, status=BatchStatus.DONE).exists()


@pytest.mark.parametrize("argument", [["--chunk", "0"], ["--from-id", "-1"]])
def test_bad_arguments_get_a_plain_error_and_change_nothing(argument):
    _processed(THEMES["parking"][:2])
    with pytest.raises(CommandError):
        call_command("discover_reembed", *argument, stdout=StringIO())
    assert not Batch.objects.filter(kind=BatchKind.REEMBED).exists()
    assert set(Item.objects.values_list("embedding", flat=True)) == {STALE}
