"""Keeping opinion groups steady from one recompute to the next (ADR 0038).

Pure: numpy and scipy only, no Django. Two things, as Pol.is does:

- **The number of groups waits.** :class:`GroupCount` keeps the stored k until a different k
  has been the silhouette's choice at :data:`WINS_TO_CHANGE` recomputes in a row. A new k that
  wins once and then loses does not change the map, so groups do not flicker as votes arrive.
- **Group letters stay with their people.** :func:`stable_order` matches the new groups to the
  old ones by how many members they share (the Hungarian method on the overlap counts), and
  :func:`relabel` renumbers the map, so that "group A" stays group A. Group numbers stay
  0 to k-1; a new group (k grew) takes the first free number, largest first; when k shrinks,
  only the old groups numbered below the new k can pass on their letter.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import linear_sum_assignment

from .opinion import OpinionMap

#: A new number of groups must win this many recomputes in a row before it is used.
WINS_TO_CHANGE = 3


@dataclass
class GroupCount:
    """The k to use, given the stored k and the streak of a challenger.

    Pass its :meth:`choose` to ``opinion_map(choose_k=...)``; afterwards ``streak_k`` and
    ``streak`` are the streak to store for the next recompute."""

    stored_k: int = 0
    streak_k: int = 0
    streak: int = 0
    wins_to_change: int = WINS_TO_CHANGE

    def choose(self, best_k: int, possible: Sequence[int]) -> int:
        held = self.stored_k
        if not held or held not in possible or best_k == held:
            # Nothing to hold on to (first map, or the old k cannot be fitted now), or the
            # silhouette agrees with the stored k: no challenger.
            self.streak_k, self.streak = 0, 0
            return best_k
        self.streak = self.streak + 1 if self.streak_k == best_k else 1
        self.streak_k = best_k
        if self.streak >= self.wins_to_change:
            self.streak_k, self.streak = 0, 0
            return best_k
        return held


def stable_order(
    previous: Mapping[Hashable, int | None], membership: Mapping[Hashable, int], k: int
) -> list[int]:
    """For each new group g (0..k-1), the number it should have: the old group it shares most
    members with (one to one, the largest total overlap), else the first free number."""
    if k <= 0:
        return []
    overlap = np.zeros((k, k), dtype=np.int64)
    for person, new in membership.items():
        old = previous.get(person)
        if old is not None and 0 <= old < k and 0 <= new < k:
            overlap[new, old] += 1
    order = [-1] * k
    if overlap.any():
        rows, cols = linear_sum_assignment(overlap, maximize=True)
        for new, old in zip(rows, cols, strict=True):
            if overlap[new, old] > 0:
                order[new] = int(old)
    free = [g for g in range(k) if g not in order]
    # Groups with no old group to follow keep their size order (new group 0 is the largest).
    for new in range(k):
        if order[new] == -1:
            order[new] = free.pop(0)
    return order


def relabel(m: OpinionMap, order: Sequence[int]) -> OpinionMap:
    """The map with group g renumbered order[g] (groups listed by their new number)."""
    if not m.k or list(order) == list(range(m.k)):
        return m
    if sorted(order) != list(range(m.k)):
        raise ValueError("order must be a reordering of 0..k-1.")
    groups = sorted(
        (replace(group, index=order[group.index]) for group in m.groups), key=lambda g: g.index
    )
    return replace(
        m,
        groups=tuple(groups),
        membership={p: order[g] for p, g in m.membership.items()},
    )


__all__ = ["WINS_TO_CHANGE", "GroupCount", "relabel", "stable_order"]
