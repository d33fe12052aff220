"""Topics for Discover: cluster comment embeddings, name the clusters, keep their identities.

No Django here. Items arrive already redacted and embedded (unit-length 384-d vectors from
all-MiniLM-L6-v2, `nhs_citizen.core.embeddings.embed`).

- `cluster`: a deterministic divisive split refined by k-means, merged by Ward's method, the
  number of topics chosen by the silhouette; the same input always gives the same topics
  (why: docs/adr/0016-discover-topics.md and 0029; figures from bench/discover.py).
- `describe`: c-TF-IDF words per topic (the words a topic uses much more than the others),
  with English stop words, NHS filler words and placeholders like "[name]" left out, plus the
  most typical comment (the one nearest the topic's centre).
- `assign`: puts new comments into the existing topics between re-clusterings.
- `match`: pairs the topics of a new clustering with the old ones (Hungarian method), so topic
  identities, names a curator gave and merges survive a full re-clustering.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass

import numpy as np

__all__ = ["TopicLabel", "TopicModel", "assign", "cluster", "describe", "match"]


@dataclass(frozen=True)
class TopicModel:
    labels: np.ndarray  # topic index per item, -1 = no topic
    centroids: np.ndarray  # (k, dims), unit length


@dataclass(frozen=True)
class TopicLabel:
    words: tuple[str, ...]  # 3-6 distinctive words or phrases
    typical: int  # index (into texts) of the most typical comment
    name: str  # short readable name from the words, e.g. "Waiting times, appointments"


def _unit_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError("expected a 2-D array of vectors")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


# --- clustering ---------------------------------------------------------------------------

# How many dimensions k-means works in. 50 principal components keep the structure that
# matters for topics and make each k-means run 5-10 times faster than in 384 dimensions.
_PCA_DIMS = 50
# The number of topics is picked by the silhouette (how much closer items are to their own
# topic than to the next one), measured on a fixed sample of this many items.
_SAMPLE = 3000


def _k_range(n: float) -> tuple[int, int]:
    """Smallest and largest number of topics worth trying for n items (weighted).

    About sqrt(n / 6), at most 40: 40 for 10,000 comments, 9 for 500, 4 for 100. The lower
    end is a quarter of that, at least 2 and at most 8.
    """
    k_hi = int(min(40, max(2, round((n / 6) ** 0.5))))
    k_lo = int(max(2, min(8, k_hi // 4)))
    return k_lo, k_hi


def _split_by_principal_direction(x: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """A first grouping into up to k groups with no randomness (principal direction divisive
    partitioning, Boley 1998): start with one group; again and again split the group with the
    largest weighted sum of squares in two, by which side of its centre each item lies along
    the group's own principal direction. The same items give the same groups in any order."""
    groups: list[np.ndarray] = [np.arange(x.shape[0])]
    costs: list[float] = []
    unsplittable: set[int] = set()

    def centre_and_cost(idx: np.ndarray) -> tuple[np.ndarray, float]:
        ww = w[idx]
        centre = (x[idx] * ww[:, None]).sum(axis=0) / max(float(ww.sum()), 1e-12)
        return centre, float((ww * ((x[idx] - centre) ** 2).sum(axis=1)).sum())

    costs.append(centre_and_cost(groups[0])[1])
    while len(groups) < k:
        candidates = [g for g in range(len(groups)) if g not in unsplittable and groups[g].size > 1]
        if not candidates:
            break
        g = max(candidates, key=lambda g: (costs[g], -g))
        idx = groups[g]
        centre, _ = centre_and_cost(idx)
        centred = x[idx] - centre
        _, _, vt = np.linalg.svd(centred * np.sqrt(w[idx])[:, None], full_matrices=False)
        side = centred @ vt[0] >= 0
        if side.all() or not side.any():
            unsplittable.add(g)
            continue
        groups[g], new = idx[~side], idx[side]
        groups.append(new)
        costs[g] = centre_and_cost(groups[g])[1]
        costs.append(centre_and_cost(new)[1])
    labels = np.zeros(x.shape[0], dtype=np.int64)
    for g, idx in enumerate(groups):
        labels[idx] = g
    return labels


def _fine_groups(x: np.ndarray, k: int, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k small groups (labels, centres): the divisive split above, then Lloyd's k-means
    iterations started from its centres (a single deterministic run, no random start)."""
    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    start = _split_by_principal_direction(x, weights, k)
    found = int(start.max()) + 1
    sums = np.zeros((found, x.shape[1]))
    np.add.at(sums, start, x * weights[:, None])
    mass = np.bincount(start, weights=weights, minlength=found)
    centres = sums / np.maximum(mass, 1e-12)[:, None]
    if found < 2:
        return start, centres
    with warnings.catch_warnings():
        # Fewer distinct points than k (many duplicates) is fine: some groups stay empty.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(n_clusters=found, init=centres, n_init=1, algorithm="lloyd")
        model.fit(x, sample_weight=weights)
    return model.labels_.astype(np.int64), model.cluster_centers_


def _ward_merges(centres: np.ndarray, sizes: np.ndarray) -> list[tuple[int, int]]:
    """Ward's method on weighted points: the order in which to merge them, as (kept, gone).

    Merging a and b costs sizes[a] * sizes[b] / (sizes[a] + sizes[b]) * |centre a - b|^2,
    the growth in the within-topic sum of squares. Fine for the few dozen k-means centres.
    """
    centres = np.asarray(centres, dtype=np.float64).copy()
    sizes = np.asarray(sizes, dtype=np.float64).copy()
    alive = list(range(len(centres)))
    merges: list[tuple[int, int]] = []
    while len(alive) > 1:
        c = centres[alive]
        s = np.maximum(sizes[alive], 1e-12)
        d2 = ((c[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
        cost = s[:, None] * s[None, :] / (s[:, None] + s[None, :]) * d2
        np.fill_diagonal(cost, np.inf)
        i, j = np.unravel_index(int(np.argmin(cost)), cost.shape)
        a, b = sorted((alive[i], alive[j]))
        total = sizes[a] + sizes[b]
        if total > 0:
            centres[a] = (centres[a] * sizes[a] + centres[b] * sizes[b]) / total
        sizes[a] = total
        alive.remove(b)
        merges.append((a, b))
    return merges


def _cut(merges: list[tuple[int, int]], n_leaves: int, k: int) -> np.ndarray:
    """Leaf -> group (0..k-1) after applying merges until k groups are left."""
    parent = np.arange(n_leaves)
    for a, b in merges[: max(n_leaves - k, 0)]:
        parent[parent == b] = a
    _, groups = np.unique(parent, return_inverse=True)
    return groups


def cluster(
    vectors: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    seed: int = 0,
    min_size: int = 5,
) -> TopicModel:
    """Group unit vectors into topics, with no randomness: the same vectors (in any order)
    always give the same topics (docs/adr/0029-deterministic-topics-one-embedding.md).

    1. Project onto the first 50 principal components; rows back to unit length.
    2. Split into twice the largest number of topics wanted (80 for 10,000 items) by
       principal direction divisive partitioning, then refine with Lloyd's k-means iterations
       from those centres; items weighted (for example by how many duplicates each stands for).
    3. Merge those small groups with Ward's method (weighted by their sizes), one pair at a
       time, which gives a nested series of clusterings.
    4. Choose the number of topics k, between `_k_range` bounds (8 to 40 for 10,000 items),
       by the silhouette on 3,000 items spread evenly along the first principal component:
       the smallest k within one standard error of the best. Nothing here looks at any
       human labels.
    5. Topics smaller than min_size (by weight) are dissolved into their nearest neighbours
       (outliers go to the nearest centroid).
    6. Centroids are the weighted means of the members' ORIGINAL vectors, at unit length;
       topics are numbered from the largest down.

    Every item gets a topic (no -1). `seed` is accepted for callers written for the earlier
    randomised method and has no effect.
    """
    from sklearn.decomposition import PCA
    from sklearn.metrics import pairwise_distances, silhouette_samples

    del seed  # deterministic: nothing random is left to seed
    vectors = _unit_rows(vectors)
    n, dims = vectors.shape
    if weights is None:
        w = np.ones(n, dtype=np.float64)
    else:
        w = np.asarray(weights, dtype=np.float64).reshape(-1)
        if w.shape[0] != n or np.any(w < 0) or not np.all(np.isfinite(w)):
            raise ValueError("weights must be one non-negative number per vector")
        if n and w.sum() == 0:
            w = np.ones(n, dtype=np.float64)
    if n == 0:
        return TopicModel(np.zeros(0, dtype=np.int64), np.zeros((0, dims), dtype=np.float32))

    k_lo, k_hi = _k_range(float(w.sum()))
    k_hi = min(k_hi, max(1, int(w.sum() // max(min_size, 1))), n - 1)
    k_lo = min(k_lo, k_hi)
    if k_hi < 2:
        return _finish(vectors, np.zeros(n, dtype=np.int64), w)

    components = min(_PCA_DIMS, dims, n - 1)
    x = vectors.astype(np.float64)
    if components >= 2:
        # The full SVD is exact and deterministic (scikit-learn fixes the signs).
        projected = PCA(n_components=components, svd_solver="full").fit_transform(x)
        x = _unit_rows(projected).astype(np.float64)
    else:
        projected = x

    fine_labels, fine_centres = _fine_groups(x, min(2 * k_hi, n - 1), w)
    fine_k = fine_centres.shape[0]
    sizes = np.bincount(fine_labels, weights=w, minlength=fine_k)
    merges = _ward_merges(fine_centres, sizes)

    # Items at evenly spaced ranks along the first principal component: a fixed sample that
    # covers the whole spread and does not depend on the order the items came in.
    order = np.lexsort((np.arange(n), projected[:, 0]))
    sample = np.unique(order[np.linspace(0, n - 1, min(n, _SAMPLE)).round().astype(int)])
    distances = pairwise_distances(x[sample])
    scores: dict[int, tuple[float, float]] = {}  # k -> (mean silhouette, its standard error)
    for k in range(k_lo, min(k_hi, fine_k) + 1):
        labels = _cut(merges, fine_k, k)[fine_labels[sample]]
        if not 2 <= len(np.unique(labels)) < len(sample):
            continue
        values = silhouette_samples(distances, labels, metric="precomputed")
        scores[k] = (float(values.mean()), float(values.std() / np.sqrt(values.size)))
    best_k = min(k_lo, fine_k)
    if scores:
        # The fewest topics whose silhouette is within one standard error of the best: the
        # silhouette is nearly flat over a wide range of k, and this keeps the dashboard short.
        top_mean, top_se = max(scores.values())
        best_k = min(k for k, (mean, _) in scores.items() if mean >= top_mean - top_se)

    labels = _cut(merges, fine_k, best_k)[fine_labels]
    labels = _dissolve_small(x, labels, w, min_size)
    return _finish(vectors, labels, w)


def _dissolve_small(x: np.ndarray, labels: np.ndarray, w: np.ndarray, min_size: int) -> np.ndarray:
    """Move the items of topics smaller than min_size to the nearest remaining topic."""
    while True:
        topics = np.unique(labels)
        sizes = np.array([w[labels == t].sum() for t in topics])
        small = topics[sizes < min_size]
        if small.size == 0 or small.size == topics.size:
            return labels
        # Dissolve the smallest one, then look again (its items may rescue another).
        victim = small[np.argmin(sizes[sizes < min_size])]
        keep = topics[topics != victim]
        centres = _unit_rows(np.stack([x[labels == t].mean(axis=0) for t in keep]))
        moving = np.flatnonzero(labels == victim)
        labels[moving] = keep[np.argmax(x[moving] @ centres.T, axis=1)]


def _finish(vectors: np.ndarray, labels: np.ndarray, w: np.ndarray) -> TopicModel:
    """Renumber topics by size (largest first) and compute unit-length centroids."""
    topics = np.unique(labels[labels >= 0])
    sizes = np.array([w[labels == t].sum() for t in topics])
    order = topics[np.lexsort((topics, -sizes))]
    remap = np.full(int(labels.max()) + 1 if labels.size else 0, -1, dtype=np.int64)
    remap[order] = np.arange(order.size)
    new = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1).astype(np.int64)
    centroids = np.zeros((order.size, vectors.shape[1]), dtype=np.float32)
    for t in range(order.size):
        members = new == t
        centroids[t] = (vectors[members] * w[members, None]).sum(axis=0)
    if order.size:
        # A topic whose members all weigh 0 falls back to their plain mean.
        empty = np.linalg.norm(centroids, axis=1) == 0
        for t in np.flatnonzero(empty):
            centroids[t] = vectors[new == t].mean(axis=0)
        centroids = _unit_rows(centroids)
    return TopicModel(new, centroids)


# --- assigning and matching ---------------------------------------------------------------


def assign(
    vectors: np.ndarray, centroids: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest topic for each vector and its cosine; topic -1 where the cosine < threshold."""
    vectors = _unit_rows(vectors)
    centroids = _unit_rows(centroids)
    n = vectors.shape[0]
    if n == 0 or centroids.shape[0] == 0:
        return np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.float32)
    sims = vectors @ centroids.T
    best = np.argmax(sims, axis=1).astype(np.int64)
    cos = sims[np.arange(n), best].astype(np.float32)
    best[cos < threshold] = -1
    return best, cos


def match(
    old_centroids: np.ndarray, new_centroids: np.ndarray, min_similarity: float = 0.8
) -> dict[int, int]:
    """{new topic index: old topic index} for pairs whose centroids are alike.

    A one-to-one pairing that maximises the total cosine (scipy's linear_sum_assignment);
    pairs below min_similarity are dropped, so those new topics get new identities.
    """
    from scipy.optimize import linear_sum_assignment

    old = _unit_rows(old_centroids) if len(old_centroids) else np.zeros((0, 1), np.float32)
    new = _unit_rows(new_centroids) if len(new_centroids) else np.zeros((0, 1), np.float32)
    if old.shape[0] == 0 or new.shape[0] == 0:
        return {}
    sims = new @ old.T
    rows, cols = linear_sum_assignment(sims, maximize=True)
    return {int(r): int(c) for r, c in zip(rows, cols, strict=True) if sims[r, c] >= min_similarity}


# --- describing ---------------------------------------------------------------------------

# "[name]", "[phone number]", "<redacted>", "{name}", and "XXXX" style blanks.
_PLACEHOLDER = re.compile(r"\[[^\]\n]{0,40}\]|<[^>\n]{0,40}>|\{[^}\n]{0,40}\}|\b[xX]{3,}\b|\*{3,}")
_TOKEN = re.compile(r"[a-z][a-z&]*[a-z]|\b111\b|\b999\b")
_SHORT_WORDS = frozenset({"gp", "a&e", "111", "999", "ae"})
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_APOSTROPHE = re.compile(r"['\u2019`]")

# Words that say nothing about what a comment is about: common English words, and words that
# nearly every NHS comment uses.
_FILLER = frozenset(
    """
    nhs service services hospital trust patient patients people person really very just also
    would could should might must shall may can will get got getting go going went gone make
    made making thing things lot lots bit way well much many etc thank
    thanks thankyou please everything anything something everyone anyone someone
    overall generally always never often sometimes usually think thought felt feel feeling
    know knew one two first last like liked good great nice fine excellent ok okay yes no
    dont didnt doesnt isnt wasnt werent arent cant couldnt wont wouldnt shouldnt havent hasnt
    hadnt ive im id youre theyre thats theres whats itll
    """.split()
)
# Stop words that ARE what some comments are about ("Nothing to improve").
_KEEP = frozenset({"nothing", "none"})


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) | _FILLER) - _KEEP


def _clean(text: str) -> str:
    text = _PLACEHOLDER.sub(" ", text or "").lower()
    return _APOSTROPHE.sub("", _POSSESSIVE.sub("", text))  # "don't" -> "dont" (a stop word)


def _short_comment(text: str) -> str:
    """The comment itself, tidied, if it is at most 4 words long; "" otherwise."""
    words = _PLACEHOLDER.sub(" ", text or "").lower().split()
    if not words or len(words) > 4:
        return ""
    return " ".join(words).strip(" .,!?;:-'\"\u2019")


def _stem(word: str) -> str:
    """Just enough stemming to avoid showing "nurse" and "nurses", or "listened" and
    "listening", side by side. Stems shorter than 4 letters are left alone ("caring")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _pick_terms(ranked: list[str], index: dict, tf: np.ndarray) -> list[str]:
    """Up to 5 terms from best to worst, without repeating a word ("nurse", "nurses").

    A two-word phrase replaces the single words it contains when the words mostly come
    together (the phrase is used at least half as often as the rarer of its words), so
    "waiting" and "times" become "waiting times".
    """
    words: list[str] = []
    for term in ranked:
        if len(words) >= 5:
            break
        parts = term.split()
        stems = {_stem(w) for w in parts}
        chosen = {_stem(w) for word in words for w in word.split()}
        if len(parts) == 1:
            if _stem(term) not in chosen:
                words.append(term)
            continue
        if len(stems) < 2:
            continue
        together = tf[index[term]] >= 0.5 * min(tf[index[w]] if w in index else 0 for w in parts)
        if not together and stems & chosen:
            continue
        replaced = [i for i, w in enumerate(words) if " " not in w and _stem(w) in stems]
        if any(" " in w and {_stem(x) for x in w.split()} & stems for w in words):
            continue  # already inside another phrase
        at = replaced[0] if replaced else len(words)
        words = [w for i, w in enumerate(words) if i not in replaced]
        words.insert(min(at, len(words)), term)
    return words


# Short forms people know in capitals.
_CAPITALS = {
    "gp": "GP",
    "gps": "GPs",
    "a&e": "A&E",
    "ae": "A&E",
    "nhs": "NHS",
    "camhs": "CAMHS",
    "icu": "ICU",
    "ct": "CT",
    "mri": "MRI",
    "ecg": "ECG",
    "adhd": "ADHD",
}


def _name(words: tuple[str, ...]) -> str:
    if not words:
        return "Other comments"
    shown = [" ".join(_CAPITALS.get(part, part) for part in word.split(" ")) for word in words[:2]]
    first = shown[0]
    if first == first.lower():
        first = first[0].upper() + first[1:]
    return ", ".join((first, *shown[1:]))


def describe(texts: list[str], model: TopicModel, vectors: np.ndarray) -> list[TopicLabel]:
    """One label per topic (in topic order): c-TF-IDF words, the most typical comment, a name."""
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(model.labels)
    k = int(model.centroids.shape[0])
    if len(texts) != len(labels):
        raise ValueError("texts and model.labels differ in length")
    if k == 0:
        return []
    vectors = _unit_rows(vectors)
    centroids = _unit_rows(model.centroids)
    stop = _stop_words()

    def analyse(text: str) -> list[str]:
        # Words, and two-word phrases of words that stand next to each other in the comment.
        terms: list[str] = []
        previous = None
        for word in _TOKEN.findall(_clean(text)):
            if word in stop or (len(word) < 3 and word not in _SHORT_WORDS):
                previous = None
                continue
            terms.append(word)
            if previous:
                terms.append(f"{previous} {word}")
            previous = word
        return terms

    has_topic = np.flatnonzero(labels >= 0)
    vectoriser = CountVectorizer(analyzer=analyse)
    try:
        counts = vectoriser.fit_transform([texts[i] for i in has_topic])
    except ValueError:  # no words at all
        counts = None
    if counts is not None:
        vocab = vectoriser.get_feature_names_out()
        index = vectoriser.vocabulary_
        membership = sparse.csr_matrix(
            (np.ones(has_topic.size), (labels[has_topic], np.arange(has_topic.size))),
            shape=(k, has_topic.size),
        )
        tf = (membership @ counts).toarray().astype(np.float64)  # (k, terms)
        # c-TF-IDF (as in BERTopic): a term's frequency in the topic, scaled by how rare the
        # term is over all topics: log(1 + average words per topic / term's total count).
        term_total = tf.sum(axis=0)
        avg_words = tf.sum() / k
        idf = np.log1p(avg_words / np.maximum(term_total, 1))
        ctfidf = tf / np.maximum(tf.sum(axis=1, keepdims=True), 1) * idf
        ctfidf[tf < 2] = 0.0  # a term used once is noise
    result: list[TopicLabel] = []
    for topic in range(k):
        members = np.flatnonzero(labels == topic)
        if members.size:
            typical = int(members[np.argmax(vectors[members] @ centroids[topic])])
        else:
            typical = -1
        words: list[str] = []
        if counts is not None:
            order = np.argsort(-ctfidf[topic], kind="stable")
            ranked = [str(vocab[j]) for j in order[:60] if ctfidf[topic, j] > 0]
            words = _pick_terms(ranked, index, tf[topic])
        if len(words) < 3:
            # Topics of very short comments ("No", "Nope", "N/A") have few words left after
            # the stop words go: show their most common short comments instead.
            common = Counter(_short_comment(texts[i]) for i in members)
            for phrase, times in common.most_common():
                if len(words) >= 3 or times < 2:
                    break
                chosen = {_stem(w) for word in words for w in word.split()}
                if phrase and not {_stem(w) for w in phrase.split()} <= chosen:
                    words.append(phrase)
        result.append(TopicLabel(tuple(words), typical, _name(tuple(words))))
    return result
