"""Topics: clustering, labels, assigning new comments and keeping topic identities. No database."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from nhs_citizen.discover.algorithms.topics import (
    TopicLabel,
    TopicModel,
    _k_range,
    assign,
    cluster,
    describe,
    match,
)

DIMS = 384


def _unit(x):
    x = np.asarray(x, dtype=np.float32)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def blobs(sizes, noise=0.35, seed=0):
    """Groups of unit vectors around random centres, and the group of each vector."""
    rng = np.random.default_rng(seed)
    centres = _unit(rng.normal(size=(len(sizes), DIMS)))
    vectors, truth = [], []
    for g, size in enumerate(sizes):
        points = centres[g] + noise * rng.normal(size=(size, DIMS)) / np.sqrt(DIMS)
        vectors.append(_unit(points))
        truth += [g] * size
    return np.vstack(vectors), np.array(truth), centres


def test_k_range_scales_with_the_number_of_comments():
    assert _k_range(10_000) == (8, 40)
    assert _k_range(500) == (2, 9)
    assert _k_range(100) == (2, 4)
    assert _k_range(5) == (2, 2)


def test_cluster_finds_well_separated_groups():
    vectors, truth, _ = blobs([80, 70, 60, 50, 40, 30])
    model = cluster(vectors, seed=0)
    assert isinstance(model, TopicModel)
    assert model.centroids.shape == (6, DIMS)
    assert adjusted_rand_score(truth, model.labels) == pytest.approx(1.0)
    assert np.allclose(np.linalg.norm(model.centroids, axis=1), 1.0, atol=1e-5)


def test_topics_are_numbered_from_the_largest_and_every_item_has_one():
    vectors, _, _ = blobs([30, 90, 60])
    model = cluster(vectors, seed=0)
    sizes = np.bincount(model.labels)
    assert list(sizes) == sorted(sizes, reverse=True)
    assert (model.labels >= 0).all()
    assert model.labels.dtype.kind == "i"


def test_cluster_is_deterministic_for_a_seed():
    vectors, _, _ = blobs([50, 50, 50, 50], noise=1.2, seed=3)
    first = cluster(vectors, seed=7)
    again = cluster(vectors.copy(), seed=7)
    assert np.array_equal(first.labels, again.labels)
    assert np.array_equal(first.centroids, again.centroids)


def test_small_topics_are_dissolved():
    vectors, _, _ = blobs([60, 60, 60, 3], seed=2)
    model = cluster(vectors, seed=0, min_size=5)
    assert np.bincount(model.labels).min() >= 5
    assert (model.labels >= 0).all()


def test_weights_count_as_repeated_items():
    vectors, truth, centres = blobs([40, 40, 40], seed=4)
    weights = np.ones(len(vectors))
    weights[0] = 0.0  # an item standing for nobody still gets a topic
    model = cluster(vectors, weights, seed=0)
    assert adjusted_rand_score(truth, model.labels) == pytest.approx(1.0)
    assert model.labels[0] >= 0
    # Centroids are weighted means: a heavy item pulls its topic's centroid towards it.
    heavy = np.ones(len(vectors))
    heavy[1] = 1000.0
    pulled = cluster(vectors, heavy, seed=0)
    topic = pulled.labels[1]
    assert float(pulled.centroids[topic] @ vectors[1]) > float(model.centroids[topic] @ vectors[1])
    with pytest.raises(ValueError):
        cluster(vectors, np.ones(3))


@pytest.mark.parametrize("n", [0, 1, 2, 4, 9])
def test_tiny_inputs(n):
    vectors, _, _ = blobs([max(n, 1)])
    vectors = vectors[:n]
    model = cluster(vectors, seed=0)
    assert model.labels.shape == (n,)
    if n:
        assert (model.labels == 0).all()
        assert model.centroids.shape == (1, DIMS)
    else:
        assert model.centroids.shape == (0, DIMS)


def test_assign_gives_nearest_topic_and_minus_one_below_threshold():
    centroids = _unit(np.eye(3, DIMS))
    vectors = _unit([np.eye(1, DIMS, 1)[0] + 0.1 * np.eye(1, DIMS, 0)[0], np.eye(1, DIMS, 5)[0]])
    labels, cosines = assign(vectors, centroids, threshold=0.5)
    assert labels.tolist() == [1, -1]
    assert cosines[0] == pytest.approx(1 / np.sqrt(1.01), abs=1e-5)
    assert cosines[1] == pytest.approx(0.0, abs=1e-6)
    labels, _ = assign(vectors, centroids, threshold=-1.0)
    assert labels[1] >= 0
    empty, _ = assign(vectors, np.zeros((0, DIMS)), threshold=0.0)
    assert empty.tolist() == [-1, -1]


def test_match_pairs_topics_one_to_one():
    rng = np.random.default_rng(5)
    old = _unit(rng.normal(size=(5, DIMS)))
    permutation = [3, 0, 4, 1]  # new topic i is old topic permutation[i]; old 2 has gone
    new = _unit(old[permutation] + 0.05 * rng.normal(size=(4, DIMS)) / np.sqrt(DIMS))
    brand_new = _unit(rng.normal(size=(1, DIMS)))
    new = np.vstack([new, brand_new])
    assert match(old, new) == {0: 3, 1: 0, 2: 4, 3: 1}  # topic 4 is new: no identity
    assert match(old, new, min_similarity=-1.0)[4] == 2  # forced pairing takes the leftover
    assert match(old, np.zeros((0, DIMS))) == {}
    assert match(np.zeros((0, DIMS)), new) == {}


def test_match_keeps_identities_through_a_reclustering():
    vectors, _, _ = blobs([60, 50, 40, 30], seed=6)
    before = cluster(vectors[::2], seed=0)
    after = cluster(vectors, seed=1)
    pairs = match(before.centroids, after.centroids)
    assert len(pairs) == 4
    for new_topic, old_topic in pairs.items():
        members = after.labels[::2] == new_topic
        assert (before.labels[members] == old_topic).all()


TEXTS = [
    "The waiting times for an appointment are far too long",
    "Long waiting times to get an appointment with [name]",
    "Waiting times were long and appointments kept being moved",
    "I waited weeks for an appointment, waiting times are awful",
    "Car parking charges are too high at the hospital",
    "Parking charges are a disgrace and there is never a car parking space",
    "The car parking is expensive, parking charges should go",
    "The food was cold and the meals had no choice",
    "Hospital food was awful, cold meals every day",
    "Meals were cold, the food needs to improve",
    "No",
    "No",
    "Nope",
    "No",
]
TRUTH = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3]


def _model_from_truth(vectors, truth):
    truth = np.asarray(truth)
    centroids = _unit([vectors[truth == t].mean(axis=0) for t in range(truth.max() + 1)])
    return TopicModel(truth, centroids)


def test_describe_finds_distinctive_words_and_a_typical_comment():
    rng = np.random.default_rng(0)
    centres = _unit(rng.normal(size=(4, DIMS)))
    vectors = _unit(centres[TRUTH] + 0.3 * rng.normal(size=(len(TEXTS), DIMS)) / np.sqrt(DIMS))
    vectors[2] = centres[0]  # the most typical comment of topic 0
    labels = describe(TEXTS, _model_from_truth(vectors, TRUTH), vectors)
    assert len(labels) == 4
    assert all(isinstance(label, TopicLabel) for label in labels)
    waiting, parking, food, no = labels
    assert "waiting times" in waiting.words
    assert any("appointment" in w for w in waiting.words)
    assert waiting.typical == 2
    assert waiting.name.startswith("Waiting times") or "Waiting" in waiting.name
    assert any("parking" in w for w in parking.words)
    assert any("charges" in w for w in parking.words)
    assert any("meals" in w or "food" in w for w in food.words)
    for label in labels:
        assert "name" not in " ".join(label.words)  # the placeholder [name] is ignored
        assert not {"the", "and", "hospital", "are", "were"} & set(label.words)
        assert 1 <= len(label.words) <= 6
        assert label.name and label.name[0].isupper()
        assert TRUTH[label.typical] == labels.index(label)
    assert "no" in no.words  # very short comments stand for themselves


def test_describe_with_an_empty_topic_and_outliers():
    vectors = _unit(np.random.default_rng(1).normal(size=(3, DIMS)))
    model = TopicModel(np.array([0, -1, 0]), _unit(np.random.default_rng(2).normal(size=(2, DIMS))))
    labels = describe(["Car parking charges", "Food", "Car parking charges again"], model, vectors)
    assert len(labels) == 2
    assert labels[1].typical == -1
    assert labels[1].words == ()


@pytest.fixture(scope="module")
def embedded():
    from nhs_citizen.core.embeddings import embed

    return embed(TEXTS), embed(
        [
            "It took months to get an appointment",
            "Parking costs a fortune",
            "The meals were not hot enough",
        ]
    )


def test_real_embeddings_new_comments_join_the_right_topic(embedded):
    vectors, new = embedded
    model = _model_from_truth(vectors, TRUTH)
    labels, cosines = assign(new, model.centroids, threshold=0.3)
    assert labels.tolist() == [0, 1, 2]
    assert (cosines > 0.3).all()
    labels, _ = assign(new, model.centroids, threshold=0.99)
    assert labels.tolist() == [-1, -1, -1]


def test_real_embeddings_describe(embedded):
    vectors, _ = embedded
    labels = describe(TEXTS, _model_from_truth(vectors, TRUTH), vectors)
    assert TRUTH[labels[1].typical] == 1
    assert "parking charges" in labels[1].words or "car parking" in labels[1].words


def test_many_identical_vectors():
    vectors, _, _ = blobs([2])
    vectors = np.repeat(vectors, 60, axis=0)
    model = cluster(vectors, seed=0)
    assert model.labels.shape == (120,)
    assert (model.labels >= 0).all()
    assert np.isfinite(model.centroids).all()


def test_same_topics_whatever_the_seed_or_the_order_of_the_items():
    # ADR 0029: no randomness is left, so neither the seed nor the order the items arrive in
    # changes the topics.
    vectors, truth, _ = blobs([70, 60, 50, 40, 30], noise=1.0, seed=5)
    first = cluster(vectors, seed=0)
    for seed in (1, 2, 3):
        assert np.array_equal(cluster(vectors, seed=seed).labels, first.labels)
    order = np.random.default_rng(9).permutation(len(vectors))
    shuffled = cluster(vectors[order])
    back = np.empty_like(shuffled.labels)
    back[order] = shuffled.labels
    assert adjusted_rand_score(first.labels, back) == pytest.approx(1.0)


def test_the_first_split_has_no_randomness():
    from nhs_citizen.discover.algorithms.topics import _split_by_principal_direction

    vectors, truth, _ = blobs([40, 40], noise=0.3, seed=6)
    weights = np.ones(len(vectors))
    labels = _split_by_principal_direction(vectors.astype(np.float64), weights, 2)
    assert adjusted_rand_score(truth, labels) == pytest.approx(1.0)
    again = _split_by_principal_direction(vectors.astype(np.float64), weights, 2)
    assert np.array_equal(labels, again)
    # Identical items cannot be split: fewer groups than asked for, no error.
    same = np.repeat(vectors[:1].astype(np.float64), 6, axis=0)
    assert _split_by_principal_direction(same, np.ones(6), 3).max() == 0
