"""The feeling model: shipped weights, the train/test split rule and the held-out figure."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from nhs_citizen.discover.algorithms import sentiment, train_sentiment

CLEAR = [
    ("The staff were wonderful and kind", "positive"),
    ("Excellent service, thank you to the ambulance crew.", "positive"),
    ("I waited nine hours and nobody told me anything", "negative"),
    ("The call handler was rude and the ambulance never came.", "negative"),
]


@pytest.fixture(scope="module")
def clear_vectors():
    from nhs_citizen.core.embeddings import embed

    return embed([text for text, _ in CLEAR])


def test_shipped_weights_load():
    model = sentiment._model()
    assert model.dense_w.shape == (384 + 6, 3)
    assert model.hash_w.shape == (1 << model.bits, 3)
    assert 0.0 <= model.blend <= 1.0


def test_clear_sentences(clear_vectors):
    results = sentiment.score([text for text, _ in CLEAR], clear_vectors)
    assert [r.label for r in results] == [label for _, label in CLEAR]
    for r in results:
        assert r.label in sentiment.LABELS
        assert -1.0 <= r.score <= 1.0
    assert all(r.score > 0 for r in results[:2])
    assert all(r.score < 0 for r in results[2:])


def test_with_and_without_vectors_agree(clear_vectors):
    texts = [text for text, _ in CLEAR]
    given = sentiment.score(texts, clear_vectors)
    worked_out = sentiment.score(texts)
    assert [r.label for r in given] == [r.label for r in worked_out]
    assert np.allclose([r.score for r in given], [r.score for r in worked_out], atol=1e-4)


def test_empty_input():
    assert sentiment.score([]) == []
    assert sentiment.score([], np.zeros((0, 384), dtype=np.float32)) == []


def test_vectors_must_match_texts():
    with pytest.raises(ValueError):
        sentiment.score(["one", "two"], np.zeros((1, 384), dtype=np.float32))


def test_hashed_features_are_stable():
    index, values = sentiment.hashed_features("Nobody told me anything", 18)
    again, same = sentiment.hashed_features("  NOBODY told me   anything ", 18)
    assert np.array_equal(index, again) and np.allclose(values, same)
    assert index.max() < 1 << 18
    assert sentiment.hashed_features("", 18)[0].size == 0


def test_split_rule_is_the_documented_one():
    for comment_id in ("NEAS PTS 528 - Q1", "NEAS PTS 534 - Q1", "x", "y"):
        head = int.from_bytes(hashlib.sha256(comment_id.encode()).digest()[:8], "big")
        assert train_sentiment.is_test_id(comment_id) == (head >= 0.75 * 2**64)
    assert train_sentiment.is_test_id("NEAS PTS 534 - Q1")
    assert not train_sentiment.is_test_id("NEAS PTS 528 - Q1")
    share = np.mean([train_sentiment.is_test_id(f"id {i}") for i in range(4000)])
    assert 0.22 < share < 0.28


def test_labels_from_ratings():
    assert [train_sentiment.label_of(v) for v in ("1", "2", "3", "4", "5", "", " ")] == [
        0,
        0,
        1,
        2,
        2,
        None,
        None,
    ]


needs_data = pytest.mark.skipif(
    not (train_sentiment.fft_dir() / "v6_neas.csv").exists(),
    reason=f"no labelled FFT comments at {train_sentiment.fft_dir()} (set NHS_CITIZEN_FFT_DIR)",
)


@needs_data
def test_no_test_comment_is_in_training():
    train = train_sentiment.load_labelled("train")
    test = train_sentiment.load_labelled("test")
    assert train.ids and test.ids
    assert not set(train.ids) & set(test.ids)
    assert all(train_sentiment.is_test_id(i) for i in test.ids)
    assert not any(train_sentiment.is_test_id(i) for i in train.ids)
    everything = train_sentiment.load_labelled()
    assert len(everything.ids) == len(train.ids) + len(test.ids)


@needs_data
def test_held_out_macro_f1_reaches_target():
    from nhs_citizen.core.embeddings import embed

    test = train_sentiment.load_labelled("test")
    results = sentiment.score(test.texts, embed(test.texts))
    predicted = np.array([sentiment.LABELS.index(r.label) for r in results])
    ours = train_sentiment.macro_f1(test.labels, predicted)
    vader = train_sentiment.macro_f1(test.labels, train_sentiment.vader_labels(test.texts))
    assert ours >= 0.65, f"held-out macro-F1 {ours:.3f} (VADER {vader:.3f})"
    assert ours > vader
