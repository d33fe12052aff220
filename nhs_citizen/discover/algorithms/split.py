"""Split one topic's statements in two, for a curator who finds a topic holds two things.
No Django here."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans


def split_in_two(
    vectors: np.ndarray, weights: np.ndarray | None = None, seed: int = 0
) -> np.ndarray:
    """0 or 1 for each vector; 0 is the larger part. Needs at least two distinct vectors."""
    if len(vectors) < 2:
        raise ValueError("At least two statements are needed to split a topic")
    model = KMeans(n_clusters=2, n_init=10, random_state=seed)
    labels = model.fit_predict(vectors, sample_weight=weights)
    sizes = np.bincount(labels, weights=weights, minlength=2)
    if sizes[1] > sizes[0]:
        labels = 1 - labels
    return labels.astype(int)
