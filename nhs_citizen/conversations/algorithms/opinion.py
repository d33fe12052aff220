"""Opinion groups, representative statements and consensus for a conversation, after Pol.is.

Pure: numpy and scikit-learn only, no Django. One call, :func:`opinion_map`, takes the votes
as ``(participant id, statement id, vote)`` with the Pol.is export convention ``AGREE = 1``,
``DISAGREE = -1``, ``PASS = 0`` and returns an :class:`OpinionMap`.

The method is Pol.is's (Small et al., "Polis: Scaling deliberation by mapping high dimensional
opinion spaces", 2021, and the polismath source as ported by red-dwarf), step by step:

1. **Vote matrix.** One row per participant who voted, one column per statement with at least
   one vote; a later vote by the same person on the same statement replaces the earlier one.
2. **PCA with missing votes.** Each missing vote is filled with the statement's mean vote
   (column-mean imputation), the matrix is centred, and the first two principal components
   are found (eigenvectors of the 'statement by statement' covariance, signs fixed so the
   largest loading is positive). Each participant's projection is then multiplied by
   ``sqrt(n_statements / n_voted)`` so that people who voted on few statements are not all
   squashed into the middle.
3. **Who is grouped.** Participants with at least ``min(min_votes, n_statements)`` votes.
4. **Groups.** As in Pol.is, the grouped participants are first summarised by up to 100
   "base clusters" (k-means; below 100 people each distinct position is its own base
   cluster), then the base clusters are grouped by weighted k-means for every k from 2 to
   ``max_k`` and the k with the best (weighted) silhouette is kept; ties go to the smaller k.
   Groups are numbered by size, largest first.
5. **Representative statements** (Pol.is "repness") for each group: the Laplace-smoothed
   probability that a member agrees (``pa = (na + 1) / (n + 2)``), the ratio of that to the
   same probability among everyone else (``ra``), and z-scores for both (a one-proportion
   test against one half and a two-proportion test against the rest). A statement counts when
   both z-scores pass 90% confidence; they are ranked by ``ra * rat * pa * pat`` (or the
   disagree versions), with the group's best agreed statement put first, at most five.
6. **Group-informed consensus**: for each statement, the product over groups of ``pa``. It is
   high only when every group agrees. A statement is listed as consensus when a majority of
   every group agrees (``pa > 0.5`` in each) and the overall agreement is significant at 90%.
7. **Bridging**: the agree probability in the group that agrees least (``min pa``): a
   statement bridges when even its least convinced group mostly agrees. **Divisive**: half
   the spread between the groups' net agreement ``pa - pd``; listed when it is at least 0.3
   and at least one group differs from the rest significantly (90%).

Deterministic for a given ``seed``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

AGREE, DISAGREE, PASS = 1, -1, 0

#: One-sided 90% critical value of the standard normal (scipy.stats.norm.ppf(0.9)).
Z_90 = 1.2815515655446004
#: Pol.is summarises participants by this many base clusters before grouping.
BASE_CLUSTERS = 100
#: At most this many representative statements per group (Pol.is pick-max).
REPRESENTATIVE_MAX = 5
#: Minimum divisive score for a statement to be listed as divisive.
DIVISIVE_MIN = 0.3

_VALID_VOTES = (AGREE, DISAGREE, PASS)


@dataclass(frozen=True)
class RepStatement:
    statement: Hashable
    direction: str  # "agree" | "disagree"
    share: float  # share of the group's voters on this statement who voted that way, 0-1
    score: float  # Pol.is representativeness metric (ratio * ratio-z * probability * probability-z)


@dataclass(frozen=True)
class Group:
    index: int  # 0-based, groups ordered by size, largest first
    members: tuple  # participant ids
    representative: tuple[RepStatement, ...]  # up to 5, best first


@dataclass(frozen=True)
class StatementFigures:
    statement: Hashable
    agree: int
    disagree: int
    passed: int
    consensus: float  # group-informed consensus, 0-1, higher = all groups agree
    bridging: float  # agree probability in the group that agrees least, 0-1
    divisive: float  # half the spread of the groups' net agreement, 0-1


@dataclass(frozen=True)
class OpinionMap:
    k: int  # 0 when too few participants to group
    groups: tuple[Group, ...]
    membership: dict  # participant id -> group index (clustered participants only)
    coords: dict  # participant id -> (x, y) for every participant who voted
    statements: tuple[StatementFigures, ...]  # every statement, input order
    consensus: tuple  # statement ids agreed across all groups, strongest first
    divisive: tuple  # statement ids that split groups, most divisive first
    participants_clustered: int
    votes: int
    # The k the silhouette chose; ``k`` differs from it when ``choose_k`` held on to another.
    best_k: int = 0


# --------------------------------------------------------------------------- the matrix


def _factorize(values: list):
    """(distinct values in first-seen order, position of each value among them), with numpy;
    None unless the values are all plain ints or all strings."""
    kinds = set(map(type, values))
    if not (kinds <= {int} or kinds == {str}):
        return None
    try:
        arr = np.asarray(values) if kinds == {str} else np.asarray(values, dtype=np.int64)
    except OverflowError:
        return None
    distinct, first, inverse = np.unique(arr, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return distinct[order].tolist(), rank[inverse.reshape(-1)]


def _collect(votes, statements):
    """Map ids to rows and columns; return (participants, statements, rows, cols, values).

    A million votes with int or str ids go through numpy (about ten times faster than a
    Python loop); anything else, and any bad vote, goes through :func:`_collect_slow`.
    """
    votes = votes if isinstance(votes, list) else list(votes)
    try:
        shaped = set(map(type, votes)) <= {tuple, list} and set(map(len, votes)) == {3}
    except TypeError:
        shaped = False
    if not shaped:
        return _collect_slow(votes, statements)
    ps, ss, vs = (list(map(itemgetter(i), votes)) for i in range(3))
    if not set(map(type, vs)) <= {int}:
        return _collect_slow(votes, statements)
    vals = np.asarray(vs, dtype=np.int64)
    if not np.isin(vals, _VALID_VOTES).all():
        return _collect_slow(votes, statements)
    people = _factorize(ps)
    said = _factorize(ss)
    if people is None or said is None:
        return _collect_slow(votes, statements)
    participant_ids, rows = people
    seen_statements, cols = said
    if statements is not None:
        statement_ids = list(statements)
        column = {}
        for s in statement_ids:
            if s in column:
                raise ValueError(f"Statement {s!r} is listed twice.")
            column[s] = len(column)
        to_column = np.array([column.get(s, -1) for s in seen_statements], dtype=np.int64)
        cols = to_column[cols]
        counted = cols >= 0  # votes on statements not in the list (hidden) do not count
        if not counted.all():
            rows, cols, vals = rows[counted], cols[counted], vals[counted]
            # Keep only people who still have a vote, in first-seen order.
            used, first = np.unique(rows, return_index=True)
            order = used[np.argsort(first, kind="stable")]
            renumber = np.full(len(participant_ids), -1, dtype=np.int64)
            renumber[order] = np.arange(len(order))
            participant_ids = [participant_ids[i] for i in order.tolist()]
            rows = renumber[rows]
    else:
        statement_ids = seen_statements
    return participant_ids, statement_ids, rows, cols, vals.astype(np.int8)


def _collect_slow(votes, statements):
    """Map ids to rows and columns one vote at a time (any hashable ids); also the place
    where bad votes are found and named."""
    if statements is not None:
        statement_ids = list(statements)
        column = {}
        for s in statement_ids:
            if s in column:
                raise ValueError(f"Statement {s!r} is listed twice.")
            column[s] = len(column)
        fixed = True
    else:
        statement_ids = []
        column = {}
        fixed = False
    row: dict = {}
    participant_ids: list = []
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    valid = _VALID_VOTES
    for item in votes:
        try:
            p, s, v = item
        except (TypeError, ValueError):
            raise ValueError(
                f"Each vote must be (participant, statement, vote), not {item!r}."
            ) from None
        if v not in valid or isinstance(v, bool):
            raise ValueError(f"A vote must be 1 (agree), -1 (disagree) or 0 (pass), not {v!r}.")
        c = column.get(s)
        if c is None:
            if fixed:
                continue  # a statement not in the list (hidden): its votes do not count
            c = column[s] = len(statement_ids)
            statement_ids.append(s)
        r = row.get(p)
        if r is None:
            r = row[p] = len(participant_ids)
            participant_ids.append(p)
        rows.append(r)
        cols.append(c)
        vals.append(int(v))
    return (
        participant_ids,
        statement_ids,
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(vals, dtype=np.int8),
    )


def vote_matrix(
    votes: Iterable[tuple[Hashable, Hashable, int]],
    statements: Sequence[Hashable] | None = None,
) -> tuple[list, list, np.ndarray]:
    """(participant ids, statement ids, float matrix with NaN for no vote); last vote wins."""
    participant_ids, statement_ids, rows, cols, vals = _collect(votes, statements)
    n_p, n_s = len(participant_ids), len(statement_ids)
    matrix = np.full((n_p, n_s), np.nan)
    if len(rows):
        # The last vote for each (participant, statement) wins: note the position of the
        # latest vote in each cell (ufunc.at is unbuffered, so repeats are all seen).
        wide = np.int32 if len(rows) < 2**31 else np.int64
        latest = np.full((n_p, n_s), -1, dtype=wide)
        np.maximum.at(latest, (rows, cols), np.arange(len(rows), dtype=wide))
        keep = latest[latest >= 0]
        matrix[rows[keep], cols[keep]] = vals[keep]
    return participant_ids, statement_ids, matrix


# --------------------------------------------------------------------------- PCA


def project(matrix: np.ndarray) -> np.ndarray:
    """Pol.is projection of each row into two dimensions (see the module docstring).

    Columns without any vote are ignored. Returns an (n, 2) array.
    """
    n_p = matrix.shape[0]
    voted_cols = ~np.all(np.isnan(matrix), axis=0) if n_p else np.zeros(matrix.shape[1], bool)
    m = matrix if voted_cols.all() else matrix[:, voted_cols]
    n_s = m.shape[1]
    out = np.zeros((n_p, 2))
    if n_p == 0 or n_s == 0:
        return out
    missing = np.isnan(m)
    counts = n_p - missing.sum(axis=0)
    means = np.nansum(m, axis=0) / counts
    centred = m - means
    centred[missing] = 0.0  # imputed votes sit exactly on the mean
    cov = centred.T @ centred
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    order = np.argsort(eigenvalues)[::-1][:2]
    components = eigenvectors[:, order]
    # Fix the sign so that the largest loading of each component is positive.
    for j in range(components.shape[1]):
        big = np.argmax(np.abs(components[:, j]))
        if components[big, j] < 0:
            components[:, j] = -components[:, j]
        if eigenvalues[order[j]] <= 1e-12 * max(1.0, float(eigenvalues.max(initial=0.0))):
            components[:, j] = 0.0  # no spread along this direction
    xy = centred @ components
    n_voted = n_s - missing.sum(axis=1)
    xy *= np.sqrt(n_s / np.maximum(n_voted, 1))[:, None]
    out[:, : xy.shape[1]] = xy
    # Tiny rounding noise would otherwise make identical voters look different.
    return np.round(out, 9) + 0.0


# --------------------------------------------------------------------------- clustering


def _weighted_silhouette(points: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette of the expanded data set where point i stands for weights[i] identical people."""
    k = int(labels.max()) + 1
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    onehot = np.zeros((len(points), k))
    onehot[np.arange(len(points)), labels] = 1.0
    sums = d @ (onehot * weights[:, None])  # (n, k): weighted distance to each cluster
    sizes = (onehot * weights[:, None]).sum(axis=0)  # people per cluster
    own = sizes[labels]
    a = np.where(own > 1, sums[np.arange(len(points)), labels] / np.maximum(own - 1, 1), 0.0)
    other = np.where(onehot > 0, np.inf, sums / np.maximum(sizes, 1e-300)[None, :])
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
    return float((s * weights).sum() / weights.sum())


def _base_clusters(xy: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(base points, their weights, base index of each participant)."""
    unique, inverse, counts = np.unique(xy, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    if len(unique) <= BASE_CLUSTERS:
        return unique, counts.astype(float), inverse
    km = KMeans(n_clusters=BASE_CLUSTERS, n_init=1, random_state=seed)
    base_of_unique = km.fit_predict(unique, sample_weight=counts.astype(float))
    base_of = base_of_unique[inverse]
    weights = np.bincount(base_of, minlength=BASE_CLUSTERS).astype(float)
    used = weights > 0
    remap = np.cumsum(used) - 1
    centres = np.zeros((BASE_CLUSTERS, 2))
    np.add.at(centres, base_of, xy)
    centres = centres[used] / weights[used][:, None]
    return centres, weights[used], remap[base_of]


def cluster(
    xy: np.ndarray, *, max_k: int = 5, seed: int = 0, choose_k=None
) -> tuple[int, np.ndarray]:
    """(k, labels) for the rows of xy; k = 0 (labels all -1) when they cannot be grouped.

    ``choose_k(best_k, possible_ks)``, when given, picks the k to use from those that could be
    fitted, knowing the one the silhouette chose (see stability.GroupCount)."""
    k, labels, _ = _cluster(xy, max_k=max_k, seed=seed, choose_k=choose_k)
    return k, labels


def _cluster(xy: np.ndarray, *, max_k: int, seed: int, choose_k) -> tuple[int, np.ndarray, int]:
    """(k used, labels, k the silhouette chose)."""
    n = len(xy)
    labels = np.full(n, -1, dtype=np.int64)
    if n < 3:
        return 0, labels, 0
    points, weights, base_of = _base_clusters(xy, seed)
    k_max = min(max_k, len(points), n - 1)
    best_k, best_score = 0, -np.inf
    fitted: dict[int, np.ndarray] = {}
    for k in range(2, k_max + 1):
        km = KMeans(n_clusters=k, n_init=4, random_state=seed)
        base_labels = km.fit_predict(points, sample_weight=weights)
        if len(np.unique(base_labels)) < k:
            continue
        fitted[k] = base_labels
        score = _weighted_silhouette(points, weights, base_labels)
        if score > best_score + 1e-12:
            best_k, best_score = k, score
    if not fitted:
        return 0, labels, 0
    use_k = best_k
    if choose_k is not None:
        chosen = choose_k(best_k, tuple(sorted(fitted)))
        if chosen in fitted:
            use_k = chosen
    person_labels = fitted[use_k][base_of]
    # Number groups by size, largest first; ties by who comes first.
    sizes = np.bincount(person_labels, minlength=use_k)
    first = np.array([np.argmax(person_labels == g) for g in range(use_k)])
    order = sorted(range(use_k), key=lambda g: (-sizes[g], first[g]))
    rank = np.empty(use_k, dtype=np.int64)
    rank[order] = np.arange(use_k)
    return use_k, rank[person_labels], best_k


# --------------------------------------------------------------------------- statistics


def _prob(success, n):
    return (success + 1.0) / (n + 2.0)


def _one_prop_z(success, n):
    return 2.0 * np.sqrt(n + 1.0) * ((success + 1.0) / (n + 1.0) - 0.5)


def _two_prop_z(s_in, s_out, n_in, n_out):
    s_in, s_out, n_in, n_out = s_in + 1.0, s_out + 1.0, n_in + 1.0, n_out + 1.0
    p1, p2 = s_in / n_in, s_out / n_out
    pooled = (s_in + s_out) / (n_in + n_out)
    denom = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n_in + 1.0 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / denom
    return np.where((pooled >= 1.0) | (denom == 0), 0.0, z)


def _group_counts(matrix: np.ndarray, labels: np.ndarray, k: int):
    """(agree, disagree, voted) counts per group: arrays of shape (k, n_statements)."""
    agree = np.zeros((k, matrix.shape[1]))
    disagree = np.zeros_like(agree)
    voted = np.zeros_like(agree)
    for g in range(k):
        rows = matrix[labels == g]
        agree[g] = (rows == AGREE).sum(axis=0)
        disagree[g] = (rows == DISAGREE).sum(axis=0)
        voted[g] = (~np.isnan(rows)).sum(axis=0)
    return agree, disagree, voted


def _representative(g, statement_ids, na, nd, ns, ta, td, tn) -> tuple[RepStatement, ...]:
    """Pol.is repness selection for group g (counts in group: na, nd, ns; totals ta, td, tn)."""
    oa, od, on = ta - na, td - nd, tn - ns
    pa, pd = _prob(na, ns), _prob(nd, ns)
    pat, pdt = _one_prop_z(na, ns), _one_prop_z(nd, ns)
    ra, rd = pa / _prob(oa, on), pd / _prob(od, on)
    rat, rdt = _two_prop_z(na, oa, ns, on), _two_prop_z(nd, od, ns, on)
    agree_metric = ra * rat * pa * pat
    disagree_metric = rd * rdt * pd * pdt
    voted = (na + nd) > 0

    def entry(c, direction):
        if direction == "agree":
            share = na[c] / ns[c] if ns[c] else 0.0
            return RepStatement(statement_ids[c], "agree", float(share), float(agree_metric[c]))
        share = nd[c] / ns[c] if ns[c] else 0.0
        return RepStatement(statement_ids[c], "disagree", float(share), float(disagree_metric[c]))

    # The group's best agreed statement (Pol.is "best-agree"), walked in statement order.
    best = None
    for c in np.flatnonzero(voted):
        if best is None:
            ok = pat[c] > Z_90 or (ra[c] > 1.0 and pa[c] > 0.5)
        elif ra[best] > 1.0:
            ok = agree_metric[c] > agree_metric[best]
        else:
            ok = pa[c] * pat[c] > pa[best] * pat[best]
        if ok:
            best = c
    significant_agree = (pat > Z_90) & (rat > Z_90)
    significant_disagree = (pdt > Z_90) & (rdt > Z_90)
    chosen = []
    for c in np.flatnonzero(significant_agree | significant_disagree):
        direction = "agree" if rat[c] > rdt[c] else "disagree"
        metric = agree_metric[c] if direction == "agree" else disagree_metric[c]
        chosen.append((-metric, c, direction))
    chosen.sort()
    if best is not None:
        head = [(best, "agree")]
    elif not chosen and voted.any():
        cands = np.flatnonzero(voted)
        top = cands[np.argmax(np.maximum(rat, rdt)[cands])]
        head = [(top, "agree" if rat[top] > rdt[top] else "disagree")]
    else:
        head = []
    picked = head + [(c, d) for _, c, d in chosen if not head or c != head[0][0]]
    picked = picked[:REPRESENTATIVE_MAX]
    # Pol.is lists agreements before disagreements (stable, so best first within each).
    picked.sort(key=lambda cd: cd[1] != "agree")
    return tuple(entry(c, d) for c, d in picked)


# --------------------------------------------------------------------------- the map


def opinion_map(
    votes: Iterable[tuple[Hashable, Hashable, int]],
    statements: Sequence[Hashable] | None = None,
    *,
    min_votes: int = 7,
    max_k: int = 5,
    seed: int = 0,
    choose_k=None,
) -> OpinionMap:
    """The opinion map of a conversation (see the module docstring for the method).

    ``statements``, when given, fixes the statements and their order; votes on statements not
    in it (for example hidden ones) are ignored. Otherwise statements are taken in the order
    their first vote appears. Raises ValueError for a vote that is not 1, -1 or 0.

    ``choose_k(best_k, possible_ks) -> k`` may hold the number of groups steady between
    recomputes (see :class:`stability.GroupCount`); by default the silhouette's k is used.
    """
    if min_votes < 1:
        raise ValueError("min_votes must be at least 1.")
    if max_k < 2:
        raise ValueError("max_k must be at least 2.")
    # One thread for BLAS and OpenMP: k-means runs on at most 100 base points, where threads
    # cost far more than they save (40 ms against 2 ms per fit), and on a busy server one
    # thread did the whole map in half the time of two (the recompute job shares the machine
    # with the web workers).
    with threadpool_limits(limits=1):
        return _opinion_map(
            votes, statements, min_votes=min_votes, max_k=max_k, seed=seed, choose_k=choose_k
        )


def _opinion_map(
    votes, statements, *, min_votes: int, max_k: int, seed: int, choose_k=None
) -> OpinionMap:
    participant_ids, statement_ids, matrix = vote_matrix(votes, statements)
    n_p, n_s = matrix.shape
    present = ~np.isnan(matrix)
    n_votes = int(present.sum())

    xy = project(matrix)
    coords = {p: (float(xy[i, 0]), float(xy[i, 1])) for i, p in enumerate(participant_ids)}

    voted_statements = int(present.any(axis=0).sum())
    threshold = min(min_votes, voted_statements) if voted_statements else min_votes
    per_person = present.sum(axis=1)
    clustered = np.flatnonzero(per_person >= threshold) if n_p else np.zeros(0, np.int64)
    k, labels, best_k = _cluster(xy[clustered], max_k=max_k, seed=seed, choose_k=choose_k)

    agree_all = (matrix == AGREE).sum(axis=0)
    disagree_all = (matrix == DISAGREE).sum(axis=0)
    voted_all = present.sum(axis=0)

    if k:
        sub = matrix[clustered]
        na, nd, ns = _group_counts(sub, labels, k)
    else:
        na, nd, ns = (
            agree_all[None, :].astype(float),
            disagree_all[None, :].astype(float),
            voted_all[None, :].astype(float),
        )
    ta, td, tn = na.sum(axis=0), nd.sum(axis=0), ns.sum(axis=0)

    pa, pd = _prob(na, ns), _prob(nd, ns)
    consensus_score = pa.prod(axis=0) if n_s else np.zeros(0)
    bridging = pa.min(axis=0) if n_s else np.zeros(0)
    net = pa - pd
    divisive = (net.max(axis=0) - net.min(axis=0)) / 2.0 if n_s else np.zeros(0)
    # A statement nobody (grouped) voted on has no figures to speak of: show 0, not the
    # smoothed 0.5 that would look like half-hearted agreement.
    unvoted = tn == 0
    consensus_score = np.where(unvoted, 0.0, consensus_score)
    bridging = np.where(unvoted, 0.0, bridging)
    divisive = np.where(unvoted, 0.0, divisive)

    groups: list[Group] = []
    membership: dict = {}
    if k:
        for g in range(k):
            idx = clustered[labels == g]
            members = tuple(participant_ids[i] for i in idx)
            for p in members:
                membership[p] = g
            rep = _representative(g, statement_ids, na[g], nd[g], ns[g], ta, td, tn)
            groups.append(Group(index=g, members=members, representative=rep))

    figures = tuple(
        StatementFigures(
            statement=statement_ids[c],
            agree=int(agree_all[c]),
            disagree=int(disagree_all[c]),
            passed=int(voted_all[c] - agree_all[c] - disagree_all[c]),
            consensus=float(consensus_score[c]),
            bridging=float(bridging[c]),
            divisive=float(divisive[c]) if k >= 2 else 0.0,
        )
        for c in range(n_s)
    )

    overall_z = _one_prop_z(ta, tn)
    is_consensus = (pa > 0.5).all(axis=0) & (overall_z > Z_90) & (tn > 0)
    consensus_ids = tuple(
        statement_ids[c]
        for c in sorted(np.flatnonzero(is_consensus), key=lambda c: (-consensus_score[c], c))
    )
    divisive_ids: tuple = ()
    if k >= 2:
        rat = _two_prop_z(na, ta - na, ns, tn - ns)
        rdt = _two_prop_z(nd, td - nd, ns, tn - ns)
        differs = (np.maximum(rat, rdt) > Z_90).any(axis=0)
        is_divisive = (divisive >= DIVISIVE_MIN) & differs
        divisive_ids = tuple(
            statement_ids[c]
            for c in sorted(np.flatnonzero(is_divisive), key=lambda c: (-divisive[c], c))
        )

    return OpinionMap(
        k=k,
        groups=tuple(groups),
        membership=membership,
        coords=coords,
        statements=figures,
        consensus=consensus_ids,
        divisive=divisive_ids,
        participants_clustered=len(membership),
        votes=n_votes,
        best_k=best_k,
    )


# --------------------------------------------------------------------------- storing


def to_dict(m: OpinionMap) -> dict:
    """The map as plain JSON-ready data (lists, not dicts keyed by id, so int ids stay ints).
    Participant and statement ids must be ints or strings."""
    return {
        "k": m.k,
        "groups": [
            {
                "index": g.index,
                "members": list(g.members),
                "representative": [
                    [r.statement, r.direction, r.share, r.score] for r in g.representative
                ],
            }
            for g in m.groups
        ],
        "membership": [[p, g] for p, g in m.membership.items()],
        "coords": [[p, x, y] for p, (x, y) in m.coords.items()],
        "statements": [
            [f.statement, f.agree, f.disagree, f.passed, f.consensus, f.bridging, f.divisive]
            for f in m.statements
        ],
        "consensus": list(m.consensus),
        "divisive": list(m.divisive),
        "participants_clustered": m.participants_clustered,
        "votes": m.votes,
        "best_k": m.best_k,
    }


def from_dict(data: dict) -> OpinionMap:
    """The map back from :func:`to_dict` (after a trip through JSON)."""
    return OpinionMap(
        k=data["k"],
        groups=tuple(
            Group(
                index=g["index"],
                members=tuple(g["members"]),
                representative=tuple(
                    RepStatement(statement=s, direction=d, share=sh, score=sc)
                    for s, d, sh, sc in g["representative"]
                ),
            )
            for g in data["groups"]
        ),
        membership={p: g for p, g in data["membership"]},
        coords={p: (x, y) for p, x, y in data["coords"]},
        statements=tuple(
            StatementFigures(
                statement=s, agree=a, disagree=d, passed=ps, consensus=c, bridging=b, divisive=v
            )
            for s, a, d, ps, c, b, v in data["statements"]
        ),
        consensus=tuple(data["consensus"]),
        divisive=tuple(data["divisive"]),
        participants_clustered=data["participants_clustered"],
        votes=data["votes"],
        best_k=data.get("best_k", data["k"]),
    )


__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "Group",
    "OpinionMap",
    "RepStatement",
    "StatementFigures",
    "cluster",
    "from_dict",
    "opinion_map",
    "project",
    "to_dict",
    "vote_matrix",
]
