"""Our opinion maths against red-dwarf (the Python port of Pol.is's maths) on the same votes.

red-dwarf clusters every participant directly and starts k-means from the first distinct
points (Pol.is's own start); we group Pol.is-style base clusters with k-means++ starts, so the
groups can differ where the data is ambiguous. Where the groups agree, the projections, the
group-informed consensus and the representative statements must be the same numbers.
"""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from nhs_citizen.conversations.algorithms.opinion import opinion_map
from nhs_citizen.conversations.algorithms.planted import planted_conversation

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pydantic warns about red-dwarf's models on import
    from reddwarf.implementations.polis import run_pipeline


def _reddwarf(votes, seed):
    records = [
        {"participant_id": p, "statement_id": s, "vote": v, "modified": i}
        for i, (p, s, v) in enumerate(votes)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_pipeline(votes=records, random_state=seed, min_user_vote_threshold=7)


@pytest.mark.parametrize(
    "groups,missing,seed", [(2, 0.05, 0), (2, 0.3, 1), (3, 0.2, 0), (4, 0.2, 0), (4, 0.1, 2)]
)
def test_same_groups_projections_consensus_and_representative_statements(groups, missing, seed):
    c = planted_conversation(
        participants=240, statements=36, groups=groups, missing=missing, seed=seed
    )
    ours = opinion_map(c.votes, c.statements, seed=seed)
    theirs = _reddwarf(c.votes, seed)
    frame = theirs.participants_df
    their_groups = {
        p: int(frame.loc[p, "cluster_id"]) for p in frame.index if frame.loc[p, "to_cluster"]
    }

    # The same people are grouped, into the same groups.
    assert set(their_groups) == set(ours.membership)
    people = sorted(ours.membership)
    agreement = adjusted_rand_score(
        [their_groups[p] for p in people], [ours.membership[p] for p in people]
    )
    assert agreement >= 0.9
    assert len(set(their_groups.values())) == ours.k

    # The same projection (each axis may point the other way).
    mine = np.array([ours.coords[p] for p in frame.index])
    red = np.array([theirs.participant_projections[p] for p in frame.index])
    for axis in range(2):
        assert (
            min(
                np.abs(mine[:, axis] - red[:, axis]).max(),
                np.abs(mine[:, axis] + red[:, axis]).max(),
            )
            < 1e-6
        )

    # The same top consensus statements, in the same order.
    theirs_agreed = [s["tid"] for s in theirs.consensus["agree"]]
    assert list(ours.consensus[:3]) == theirs_agreed[:3]
    assert set(ours.consensus[:3]) == set(c.consensus)

    if agreement == 1.0:
        # Identical groups: identical group-informed consensus and repness, to the last digit.
        gac = theirs.statements_df["group-aware-consensus"]
        assert np.allclose([f.consensus for f in ours.statements], [gac[s] for s in c.statements])
        for group in ours.groups:
            theirs_index = Counter(their_groups[p] for p in group.members).most_common(1)[0][0]
            expected = theirs.repness[theirs_index]
            assert [r.statement for r in group.representative] == [s["tid"] for s in expected]
            assert [r.direction for r in group.representative] == [
                s["repful-for"] for s in expected
            ]


def test_where_we_differ_we_find_the_planted_groups():
    """On this conversation red-dwarf's silhouette picks 5 groups for 3 planted ones (its
    k-means starts from the first distinct points); ours finds the 3."""
    c = planted_conversation(participants=240, statements=36, groups=3, missing=0.2, seed=1)
    ours = opinion_map(c.votes, c.statements, seed=1)
    theirs = _reddwarf(c.votes, 1)
    frame = theirs.participants_df
    their_groups = {
        p: int(frame.loc[p, "cluster_id"]) for p in frame.index if frame.loc[p, "to_cluster"]
    }
    people = sorted(ours.membership)
    truth = [c.truth[p] for p in people]
    assert ours.k == 3
    assert adjusted_rand_score(truth, [ours.membership[p] for p in people]) == 1.0
    assert adjusted_rand_score(truth, [their_groups[p] for p in people]) < 0.9
