"""The opinion map maths (conversations.algorithms.opinion) on planted conversations and edge cases."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from nhs_citizen.conversations.algorithms.opinion import (
    AGREE,
    DISAGREE,
    PASS,
    OpinionMap,
    from_dict,
    opinion_map,
    project,
    to_dict,
    vote_matrix,
)
from nhs_citizen.conversations.algorithms.planted import planted_conversation


def _ari(m: OpinionMap, truth: dict) -> float:
    ids = list(m.membership)
    return adjusted_rand_score([truth[p] for p in ids], [m.membership[p] for p in ids])


def _planted_group_of(m: OpinionMap, truth: dict) -> dict[int, int]:
    """Our group index -> the planted group most of its members came from."""
    return {g.index: Counter(truth[p] for p in g.members).most_common(1)[0][0] for g in m.groups}


@pytest.mark.parametrize("groups", [2, 3, 4])
@pytest.mark.parametrize("missing", [0.05, 0.15, 0.3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_groups_are_recovered_and_consensus_ranks_first(groups, missing, seed):
    c = planted_conversation(
        participants=240, statements=36, groups=groups, missing=missing, consensus=3, seed=seed
    )
    m = opinion_map(c.votes, c.statements, seed=seed)
    assert m.k == groups
    assert _ari(m, c.truth) >= 0.9
    # Everyone with at least 7 votes is grouped, and all voters have a place on the map.
    assert m.participants_clustered == len(m.membership) >= 0.95 * 240
    assert set(m.coords) == {p for p, _, _ in c.votes}
    # The planted consensus statements are the top of the consensus list.
    assert set(m.consensus[: len(c.consensus)]) == set(c.consensus)
    by_consensus = sorted(m.statements, key=lambda f: -f.consensus)
    assert {f.statement for f in by_consensus[:3]} == set(c.consensus)
    by_bridging = sorted(m.statements, key=lambda f: -f.bridging)
    assert {f.statement for f in by_bridging[:3]} == set(c.consensus)
    # No planted consensus statement is divisive, and divisive statements split the groups.
    assert not set(m.divisive) & set(c.consensus)
    assert len(m.divisive) >= 0.5 * (36 - 3)
    for s in m.divisive:
        assert len({c.leaning[g][s] for g in range(groups)}) == 2


@pytest.mark.parametrize("sizes", [(1, 4), (1, 3, 6), (1, 2, 3, 4)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unequal_groups_are_recovered_too(sizes, seed):
    c = planted_conversation(
        participants=300, statements=40, groups=len(sizes), sizes=sizes, missing=0.2, seed=seed
    )
    m = opinion_map(c.votes, c.statements, seed=seed)
    assert m.k == len(sizes)
    assert _ari(m, c.truth) >= 0.9
    assert set(m.consensus[:3]) == set(c.consensus)


@pytest.mark.parametrize("groups", [2, 3, 4])
def test_representative_statements_follow_the_planted_leanings(groups):
    c = planted_conversation(participants=300, statements=40, groups=groups, missing=0.2, seed=7)
    m = opinion_map(c.votes, c.statements)
    origin = _planted_group_of(m, c.truth)
    assert sorted(origin.values()) == list(range(groups))
    for g in m.groups:
        assert 1 <= len(g.representative) <= 5
        for rep in g.representative:
            planted = c.leaning[origin[g.index]][rep.statement]
            assert rep.direction == ("agree" if planted == 1 else "disagree")
            assert 0.6 <= rep.share <= 1.0
            assert rep.score > 0


def test_groups_are_numbered_by_size_largest_first():
    c = planted_conversation(
        participants=400, statements=30, groups=3, sizes=(1, 3, 2), missing=0.1, seed=4
    )
    m = opinion_map(c.votes, c.statements)
    sizes = [len(g.members) for g in m.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert [g.index for g in m.groups] == [0, 1, 2]
    for g in m.groups:
        assert all(m.membership[p] == g.index for p in g.members)
    assert sum(sizes) == len(m.membership)


def test_same_seed_same_map_and_vote_order_does_not_matter():
    c = planted_conversation(participants=200, statements=30, groups=3, missing=0.2, seed=5)
    a = opinion_map(c.votes, c.statements, seed=3)
    b = opinion_map(c.votes, c.statements, seed=3)
    assert a == b
    shuffled = list(c.votes)
    random.Random(1).shuffle(shuffled)
    d = opinion_map(shuffled, c.statements, seed=3)
    assert d.membership == a.membership
    assert d.consensus == a.consensus
    assert d.statements == a.statements


def test_a_later_vote_replaces_the_earlier_one():
    base = [(p, s, AGREE) for p in range(10) for s in range(8)]
    changed = base + [(0, 0, DISAGREE), (0, 0, PASS)]
    m = opinion_map(changed)
    first = m.statements[0]
    assert (first.agree, first.disagree, first.passed) == (9, 0, 1)
    assert m.votes == 80
    participants, statements, matrix = vote_matrix(changed)
    assert matrix[participants.index(0), statements.index(0)] == PASS


def test_statement_order_is_kept_and_unvoted_statements_have_zero_figures():
    votes = [(p, "b", AGREE) for p in range(9)] + [(p, "a", DISAGREE) for p in range(9)]
    m = opinion_map(votes, ["c", "a", "b"])
    assert [f.statement for f in m.statements] == ["c", "a", "b"]
    c, a, b = m.statements
    assert not any((c.agree, c.disagree, c.passed, c.consensus, c.bridging, c.divisive))
    assert b.agree == 9 and a.disagree == 9
    assert "c" not in m.consensus and "b" in m.consensus
    # Without a list, statements come in the order of their first vote.
    assert [f.statement for f in opinion_map(votes).statements] == ["b", "a"]


def test_votes_on_statements_not_listed_are_ignored():
    votes = [(p, s, AGREE) for p in range(5) for s in ("kept", "hidden")]
    m = opinion_map(votes, ["kept"])
    assert [f.statement for f in m.statements] == ["kept"]
    assert m.votes == 5


@pytest.mark.parametrize(
    "bad", [("p", "s", 2), ("p", "s", "1"), ("p", "s", None), ("p", "s", True), ("p", "s")]
)
def test_bad_votes_are_refused_in_plain_english(bad):
    with pytest.raises(ValueError, match="vote"):
        opinion_map([("q", "s", AGREE), bad])


def test_bad_settings_and_repeated_statements_are_refused():
    with pytest.raises(ValueError, match="min_votes"):
        opinion_map([], min_votes=0)
    with pytest.raises(ValueError, match="max_k"):
        opinion_map([], max_k=1)
    with pytest.raises(ValueError, match="twice"):
        opinion_map([], ["a", "a"])


def test_no_votes():
    m = opinion_map([])
    assert m == OpinionMap(
        k=0,
        groups=(),
        membership={},
        coords={},
        statements=(),
        consensus=(),
        divisive=(),
        participants_clustered=0,
        votes=0,
    )
    m = opinion_map([], ["a", "b"])
    assert m.k == 0 and [f.consensus for f in m.statements] == [0.0, 0.0]


def test_one_participant():
    m = opinion_map([("only", s, AGREE) for s in range(10)])
    assert m.k == 0 and m.groups == () and m.membership == {}
    assert m.coords == {"only": (0.0, 0.0)}
    assert m.participants_clustered == 0 and m.votes == 10


def test_everyone_votes_the_same():
    votes = [(p, s, AGREE if s % 2 else DISAGREE) for p in range(30) for s in range(10)]
    m = opinion_map(votes)
    assert m.k == 0
    assert set(m.coords.values()) == {(0.0, 0.0)}
    assert set(m.consensus) == {1, 3, 5, 7, 9}
    assert m.divisive == ()


def test_more_groups_asked_for_than_people():
    votes = [(p, s, AGREE if (p + s) % 3 else DISAGREE) for p in range(3) for s in range(9)]
    m = opinion_map(votes, max_k=5)
    assert 0 <= m.k <= 2
    assert len(m.groups) == m.k
    votes = [(p, s, AGREE if p < 4 else DISAGREE) for p in range(8) for s in range(9)]
    m = opinion_map(votes, max_k=5)
    assert m.k == 2  # two camps of identical voters, however many groups are allowed
    assert {frozenset(g.members) for g in m.groups} == {frozenset(range(4)), frozenset(range(4, 8))}


def test_people_with_too_few_votes_are_placed_but_not_grouped():
    c = planted_conversation(participants=120, statements=20, groups=2, missing=0.05, seed=2)
    few = [("newcomer", s, AGREE) for s in range(3)]
    m = opinion_map(c.votes + few, c.statements)
    assert "newcomer" in m.coords and "newcomer" not in m.membership
    # With fewer statements than min_votes, voting on all of them is enough (as in Pol.is).
    small = [(p, s, AGREE if p < 5 else DISAGREE) for p in range(10) for s in range(4)]
    assert len(opinion_map(small).membership) == 10


def test_projection_scales_by_share_of_statements_voted():
    # Participant 2 votes like participant 0 but on half the statements; Pol.is scales their
    # projection by sqrt(4 / 2) so they are not pulled into the middle.
    nan = np.nan
    matrix = np.array(
        [[1, 1, -1, -1], [-1, -1, 1, 1], [1, nan, -1, nan], [-1, 1, 1, -1], [1, -1, -1, 1.0]]
    )
    xy = project(matrix)
    present = ~np.isnan(matrix)
    means = np.nanmean(matrix, axis=0)
    centred = np.where(present, matrix - means, 0.0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    raw = centred @ vt[:2].T
    scale = np.sqrt(4 / present.sum(axis=1))[:, None]
    assert np.allclose(np.abs(xy), np.abs(raw * scale), atol=1e-6)


def test_results_are_plain_frozen_data():
    m = opinion_map([(p, s, AGREE if p % 2 else DISAGREE) for p in range(10) for s in range(8)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.k = 3  # type: ignore[misc]
    assert all(isinstance(x, float) for xy in m.coords.values() for x in xy)
    assert all(0.0 <= f.consensus <= 1.0 and 0.0 <= f.divisive <= 1.0 for f in m.statements)


def test_any_hashable_ids_give_the_same_map_as_ints():
    """Int and str ids take a numpy path; other ids (here numpy ints and tuples) a loop."""
    c = planted_conversation(participants=150, statements=25, groups=3, missing=0.2, seed=9)
    votes = c.votes + [(0, 0, DISAGREE), (0, 0, AGREE)]  # a changed vote
    fast = opinion_map(votes)
    as_str = opinion_map([(f"p{p}", f"s{s}", v) for p, s, v in votes])
    slow = opinion_map([(np.int64(p), ("s", s), v) for p, s, v in votes])
    assert [g.members for g in as_str.groups] == [
        tuple(f"p{p}" for p in g.members) for g in fast.groups
    ]
    assert [g.members for g in slow.groups] == [g.members for g in fast.groups]
    assert [f.consensus for f in slow.statements] == [f.consensus for f in fast.statements]
    assert [f.agree for f in as_str.statements] == [f.agree for f in fast.statements]
    # Hidden statements are dropped the same way on both paths, and so are people whose
    # only votes were on them.
    hidden = votes + [("ghost", 99, AGREE)]
    listed = list(range(25))
    a = opinion_map(hidden, listed)
    b = opinion_map([(str(p), str(s), v) for p, s, v in hidden], [str(s) for s in listed])
    assert "ghost" not in b.coords and len(a.coords) == len(b.coords)
    assert a.votes == b.votes == fast.votes


def test_stored_as_json_and_read_back_unchanged():
    c = planted_conversation(participants=120, statements=20, groups=3, missing=0.1, seed=3)
    m = opinion_map(c.votes + [("late", 0, AGREE)], c.statements)
    assert from_dict(json.loads(json.dumps(to_dict(m)))) == m
    assert from_dict(json.loads(json.dumps(to_dict(opinion_map([]))))) == opinion_map([])
