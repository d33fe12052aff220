"""Generated conversations with planted opinion groups, for tests, the benchmark and demos.

Each planted group has a leaning on every statement: on most statements each group either
mostly agrees or mostly disagrees, and no statement is agreed by every group except the planted
consensus statements, which every group mostly agrees with. Each person votes on each statement unless the
vote is missing (``missing`` is the share of votes left out), and votes with their group's
leaning most of the time, otherwise the other way or pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Planted:
    votes: list  # (participant id, statement id, vote)
    statements: list  # statement ids, in order
    truth: dict  # participant id -> planted group
    consensus: tuple  # planted consensus statement ids
    leaning: tuple  # leaning[g][s]: 1 if planted group g mostly agrees with statement s, else -1


def planted_conversation(
    *,
    participants: int = 300,
    statements: int = 40,
    groups: int = 3,
    missing: float = 0.2,
    consensus: int = 3,
    loyalty: float = 0.85,
    pass_rate: float = 0.05,
    sizes: tuple[float, ...] | None = None,
    seed: int = 0,
    votes: int | None = None,
    as_arrays: bool = False,
):
    """A Planted conversation. ``votes`` asks for exactly that many votes, spread at random,
    instead of leaving out a share ``missing``. With ``as_arrays`` returns (rows, cols, votes,
    truth) arrays instead (for a million votes without building a million tuples)."""
    rng = np.random.default_rng(seed)
    if sizes is None:
        share = np.ones(groups) / groups
    else:
        share = np.asarray(sizes, dtype=float) / sum(sizes)
    truth = rng.choice(groups, size=participants, p=share)
    # Opinion space is two-dimensional, as Pol.is assumes: group g sits at angle 2*pi*g/groups
    # and each statement points in a random direction; a group leans agree (+1) when the
    # statement points its way and disagree (-1) otherwise. Groups spaced evenly round the
    # circle never all lean the same way, so only the planted consensus statements are
    # agreed by everyone.
    angles = 2 * np.pi * np.arange(groups) / groups
    directions = rng.uniform(0, 2 * np.pi, size=statements)
    leaning = np.where(np.cos(angles[:, None] - directions[None, :]) >= 0, 1, -1)
    if groups == 1:
        leaning = rng.choice([1, -1], size=(1, statements))
    consensus_ids = rng.choice(statements, size=consensus, replace=False) if consensus else []
    leaning[:, consensus_ids] = 1
    lean = leaning[truth]  # (participants, statements)
    u = rng.random((participants, statements))
    cast = np.where(u < loyalty, lean, np.where(u < loyalty + pass_rate, 0, -lean))
    if votes is None:
        keep = rng.random((participants, statements)) >= missing
        rows, cols = np.nonzero(keep)
    else:
        if not 0 <= votes <= participants * statements:
            raise ValueError("votes must be between 0 and participants * statements.")
        cells = np.sort(rng.choice(participants * statements, size=votes, replace=False))
        rows, cols = cells // statements, cells % statements
    vals = cast[rows, cols].astype(np.int8)
    order = rng.permutation(len(rows))  # votes arrive in no particular order
    rows, cols, vals = rows[order], cols[order], vals[order]
    if as_arrays:
        return rows, cols, vals, truth
    return Planted(
        votes=list(zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True)),
        statements=list(range(statements)),
        truth={p: int(truth[p]) for p in range(participants)},
        consensus=tuple(int(c) for c in consensus_ids),
        leaning=tuple(tuple(int(x) for x in row) for row in leaning),
    )
