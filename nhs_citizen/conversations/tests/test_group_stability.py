"""Groups stay steady between recomputes (ADR 0038): the number of groups waits for a new k to
win three recomputes in a row, and group letters follow their people. Pure, no database."""

from __future__ import annotations

import random

import pytest

from nhs_citizen.conversations.algorithms.opinion import opinion_map
from nhs_citizen.conversations.algorithms.planted import planted_conversation
from nhs_citizen.conversations.algorithms.stability import (
    WINS_TO_CHANGE,
    GroupCount,
    relabel,
    stable_order,
)


def test_a_new_k_must_win_three_times_in_a_row():
    count = GroupCount(stored_k=2)
    assert count.choose(3, (2, 3, 4)) == 2
    assert (count.streak_k, count.streak) == (3, 1)
    assert count.choose(3, (2, 3, 4)) == 2
    assert count.choose(3, (2, 3, 4)) == 3
    assert (count.streak_k, count.streak) == (0, 0)


def test_a_streak_starts_again_when_another_k_wins_or_the_stored_k_wins():
    count = GroupCount(stored_k=2, streak_k=3, streak=2)
    assert count.choose(4, (2, 3, 4)) == 2  # 4 is a new challenger: its first win
    assert (count.streak_k, count.streak) == (4, 1)
    assert count.choose(2, (2, 3, 4)) == 2
    assert (count.streak_k, count.streak) == (0, 0)


def test_nothing_stored_or_a_k_that_cannot_be_fitted_takes_the_silhouettes_k():
    assert GroupCount().choose(4, (2, 3, 4)) == 4
    assert GroupCount(stored_k=5).choose(3, (2, 3)) == 3


def test_opinion_map_holds_the_stored_k_until_the_new_one_has_won_three_times():
    c = planted_conversation(participants=240, statements=30, groups=3, missing=0.2, seed=4)
    assert opinion_map(c.votes, c.statements).k == 3
    count = GroupCount(stored_k=2)
    ks = []
    for _ in range(WINS_TO_CHANGE):
        m = opinion_map(c.votes, c.statements, choose_k=count.choose)
        assert m.best_k == 3
        ks.append(m.k)
        count.stored_k = m.k
    assert ks == [2, 2, 3]
    assert len(m.groups) == 3


def _shifted(c, seed):
    """The same people with some votes dropped and others re-cast: the next recompute."""
    rng = random.Random(seed)
    kept = [vote for vote in c.votes if rng.random() > 0.1]
    return kept


@pytest.mark.parametrize("groups", [2, 3, 4])
def test_group_letters_follow_their_people_between_recomputes(groups):
    c = planted_conversation(participants=300, statements=40, groups=groups, missing=0.15, seed=7)
    first = opinion_map(c.votes, c.statements, seed=1)
    # The next map numbers its groups its own way (another seed and fewer votes), here
    # scrambled on purpose so that at least one group's number changes.
    second = opinion_map(_shifted(c, 2), c.statements, seed=5)
    scramble = list(range(second.k))[1:] + [0]
    scrambled = relabel(second, scramble)
    assert any(
        scrambled.membership[p] != first.membership[p]
        for p in first.membership
        if p in scrambled.membership
    )
    order = stable_order(first.membership, scrambled.membership, scrambled.k)
    steady = relabel(scrambled, order)
    both = [p for p in first.membership if p in steady.membership]
    same = sum(first.membership[p] == steady.membership[p] for p in both)
    assert same >= 0.95 * len(both)
    # Each group keeps its members and statements under its new number.
    for group in steady.groups:
        assert all(steady.membership[p] == group.index for p in group.members)
    assert [g.index for g in steady.groups] == list(range(steady.k))


def test_a_new_group_takes_a_free_letter_and_old_letters_stay():
    previous = {p: 0 for p in range(10)} | {p: 1 for p in range(10, 20)}
    # Old group 1 is now the largest new group (0); a brand new group appears (2).
    now = {p: 1 for p in range(10)} | {p: 0 for p in range(10, 20)} | {20: 2, 21: 2}
    assert stable_order(previous, now, 3) == [1, 0, 2]


def test_with_no_overlap_the_size_order_stands():
    assert stable_order({}, {1: 0, 2: 1}, 2) == [0, 1]
    assert stable_order({1: 4}, {1: 0, 2: 1}, 2) == [0, 1]


def test_relabel_checks_its_order():
    c = planted_conversation(participants=60, statements=20, groups=2, seed=1)
    m = opinion_map(c.votes, c.statements)
    with pytest.raises(ValueError):
        relabel(m, [0, 0])
    assert relabel(m, list(range(m.k))) is m
