"""Exact and near duplicates, and the stance check that keeps opposites apart. No database."""

from __future__ import annotations

import numpy as np
import pytest

from nhs_citizen.discover.algorithms.dedupe import (
    exact_key,
    near_duplicates,
    normalise,
    same_stance,
    stance,
)


def test_normalise_casefolds_collapses_space_and_strips_end_punctuation():
    assert normalise("  Waiting   TIMES\tare\nlong!!! ") == "waiting times are long"
    assert normalise("\u201cStraße\u201d") == "strasse"
    assert normalise("ｆｕｌｌ width") == "full width"  # NFKC
    assert normalise("A&E, then 111.") == "a&e, then 111"
    assert normalise("...") == ""
    assert normalise("Can\u2019t think of anything.") == "can't think of anything"


def test_exact_key_is_sha256_of_the_normalised_text():
    assert exact_key("Nothing.") == exact_key("  nothing ")
    assert exact_key("Nothing") != exact_key("Nothing at all")
    assert len(exact_key("x")) == 64
    int(exact_key("x"), 16)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cannabis should be legal", 1),
        ("Cannabis should not be legal", -1),
        ("Cannabis shouldn't be legal", -1),
        ("Cannabis shouldn\u2019t be legal", -1),
        ("Cannabis shouldnt be legal", -1),
        ("I was happy", 1),
        ("I was not happy", -1),
        ("I was never happy", -1),
        ("The clinic is no longer open on Saturdays", -1),
        ("Staff don't listen", -1),
        ("It isn't clean", -1),
        ("Not only quick but kind too", 1),
        ("I don't think it is not fair", 1),  # two negations
        ("The patient went to the appointment", 1),  # words ending in "nt" are not "n't"
    ],
)
def test_stance(text, expected):
    assert stance(text) == expected


def test_same_stance():
    assert same_stance("X should be legal", "x SHOULD be legal!")
    assert not same_stance("X should be legal", "X should not be legal")


def _vectors(*rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_exact_duplicates_always_merge_even_with_different_vectors():
    texts = ["Nothing.", "Long wait", "nothing"]
    vectors = _vectors([1, 0, 0], [0, 1, 0], [0, 0, 1])
    assert near_duplicates(texts, vectors) == [0, 1, 0]


def test_near_duplicates_merge_above_threshold_with_the_same_stance():
    texts = ["The wait was long", "The wait was far too long", "Parking costs too much"]
    vectors = _vectors([1, 0.1, 0], [1, 0.12, 0], [0, 0, 1])
    assert near_duplicates(texts, vectors) == [0, 0, 2]
    assert near_duplicates(texts, vectors, threshold=1.01) == [0, 1, 2]


def test_opposite_statements_never_merge_even_with_identical_vectors():
    texts = ["X should be legal", "X should not be legal", "I was happy", "I was not happy"]
    vectors = _vectors([1, 0], [1, 0], [0, 1], [0, 1])
    assert near_duplicates(texts, vectors) == [0, 1, 2, 3]


def test_an_item_joins_a_representative_never_a_chain():
    # b is close to a and to c, but a and c are not close: c must not join a through b.
    angle = np.deg2rad(20)
    texts = ["a", "b", "c"]
    vectors = _vectors(
        [1, 0], [np.cos(angle), np.sin(angle)], [np.cos(2 * angle), np.sin(2 * angle)]
    )
    reps = near_duplicates(texts, vectors, threshold=0.9)
    assert reps == [0, 0, 2]


def test_joins_the_most_similar_earlier_representative():
    # "two" is 16 degrees from "one" (separate at 0.97); "three" is close to both, closer to two.
    texts = ["one", "two", "three"]
    vectors = _vectors(*[[np.cos(np.deg2rad(a)), np.sin(np.deg2rad(a))] for a in (0, 16, 10)])
    assert near_duplicates(texts, vectors, threshold=0.97) == [0, 1, 1]


def test_many_vectors_across_blocks():
    rng = np.random.default_rng(1)
    base = _vectors(*rng.normal(size=(1500, 16)))
    noise = rng.normal(scale=0.01, size=base.shape)
    vectors = np.vstack([base, _vectors(*(base + noise))])
    texts = [f"comment {i}" for i in range(1500)] * 2
    texts = [f"{t} copy" if i >= 1500 else t for i, t in enumerate(texts)]
    reps = near_duplicates(texts, vectors, threshold=0.99)
    assert reps[:1500] == list(range(1500))
    assert reps[1500:] == list(range(1500))


def test_empty_and_mismatched_input():
    assert near_duplicates([], np.zeros((0, 384), dtype=np.float32)) == []
    with pytest.raises(ValueError):
        near_duplicates(["a"], np.zeros((2, 3)))


@pytest.fixture(scope="module")
def embedded():
    from nhs_citizen.core.embeddings import embed

    texts = [
        "Cannabis should be legal",
        "Cannabis should not be legal",
        "I was happy with my care",
        "I was not happy with my care",
        "The waiting time for an appointment was far too long",
        "The waiting time for appointments is far too long",
        "Car parking at the hospital is too expensive",
    ]
    return texts, embed(texts)


def test_real_embeddings_opposites_are_close_but_do_not_merge(embedded):
    texts, vectors = embedded
    # The model sees the opposites as near-identical: the stance check is what keeps them apart.
    assert float(vectors[0] @ vectors[1]) > 0.85
    assert float(vectors[2] @ vectors[3]) > 0.85
    reps = near_duplicates(texts, vectors, threshold=0.85)
    assert reps[1] == 1
    assert reps[3] == 3
    assert reps[5] == 4  # a true rewording merges
    assert reps[6] == 6


# --- stance between two texts (ADR 0024) -------------------------------------------------

from nhs_citizen.discover.algorithms.dedupe import is_duplicate, opposite, words  # noqa: E402


def test_words_spell_out_contractions_and_join_phrases():
    assert words("I didnt go, it's no longer open any more") == [
        "i", "did", "not", "go", "it", "nolonger", "open", "anymore",
    ]  # fmt: skip
    assert words("Can't get rid of the non-existent well-run unit") == [
        "can", "not", "scrap", "the", "nonexistent", "well", "run", "unit",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I agree with the plan", "I disagree with the plan"),
        ("We need more nurses", "We need fewer nurses"),
        ("We need more nurses", "We need less nurses"),
        ("The unit feels safe", "The unit feels unsafe"),
        ("Merging is a good idea", "Merging is a bad idea"),
        ("The centre should stay open", "The centre should close"),
        ("The clinic was well organised", "The clinic was badly organised"),
        ("I support the closure", "I oppose the closure"),
        ("Keep the community hospital", "Scrap the community hospital"),
        ("Keep the beds", "Get rid of the beds"),
        ("Funding should increase", "Funding should be cut"),
        ("The pharmacy is open on Sundays", "The pharmacy is no longer open on Sundays"),
        ("There are enough dentists", "There aren't enough dentists"),
        ("There is plenty of seating", "There is hardly any seating"),
        ("The smear test was painless", "The smear test was painful"),
        ("The unit is properly staffed", "The unit is understaffed"),
        ("Things got easier", "Things got harder"),
        ("The clinic runs on time", "The clinic runs late"),
        ("Staff have enough training", "Staff lack training"),
        ("The clinic was helpful and friendly", "The clinic was neither helpful nor friendly"),
    ],
)
def test_opposites(a, b):
    assert opposite(a, b) and opposite(b, a)
    assert not same_stance(a, b)
    assert not is_duplicate(a, b, similarity=0.99)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The receptionist was unhelpful", "The receptionist wasn't helpful"),
        ("I am unhappy with the care", "I'm not happy with the care"),
        ("The app is useless", "The app is no use"),
        ("Couldn't fault the care", "The care was faultless"),
        ("I was unable to book", "I wasn't able to book"),
        ("The pharmacy is no longer open", "The pharmacy isn't open any more"),
        ("Staff were kind and helpful", "The staff were helpful and kind"),
        ("The wards are far too cold", "The wards are way too cold"),
    ],
)
def test_same_stance_rewordings(a, b):
    assert not opposite(a, b)
    assert same_stance(a, b)


def test_light_word_differences_merge_a_little_below_the_threshold():
    a, b = "The staff were incompetent.", "The staff were completely incompetent."
    assert is_duplicate(a, b, similarity=0.83)
    assert not is_duplicate(a, b, similarity=0.79)  # below threshold - margin
    assert is_duplicate(
        "Prescription charges should be scrapped", "Prescription charges should be abolished", 0.85
    )
    assert is_duplicate("The receptionist was unhelpful", "The receptionist wasn't helpful", 0.81)
    # A content word, not a light one: needs the full threshold.
    assert not is_duplicate("The wait was long", "The wait for a scan was long", 0.85)
    assert is_duplicate("The wait was long", "The wait for a scan was long", 0.93)
    # Exact duplicates whatever the similarity.
    assert is_duplicate("Nothing.", "nothing", 0.0)


def test_near_duplicates_uses_the_light_word_rule_and_stance():
    texts = ["The staff were incompetent", "The staff were totally incompetent",
             "The staff were competent"]  # fmt: skip
    angle = np.deg2rad(30)  # cosine 0.866: under 0.92, over 0.80
    vectors = _vectors([1, 0], [np.cos(angle), np.sin(angle)], [1, 0.01])
    assert near_duplicates(texts, vectors) == [0, 0, 2]
