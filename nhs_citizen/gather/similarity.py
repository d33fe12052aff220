"""Find flags like a new one before it is raised, so people can support instead of repeating.

Meaning, not shared words: texts are compared by sentence embeddings (cosine similarity), so
"I can't see my family doctor" finds "GP appointments are impossible to get". No Django here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nhs_citizen.core import embeddings

# Below this cosine similarity, two flags are about different things.
MINIMUM_SIMILARITY = 0.35


def flag_text(title: str, what_should_change: str = "", why: str = "") -> str:
    """The words of a flag that are embedded. NHS short forms are spelled out by
    `embeddings.embed` itself (the glossary, ADR 0029), as for Discover's comments."""
    return "\n".join(
        part.strip() for part in (title, what_should_change, why) if part and part.strip()
    )


def most_similar(
    query_vector: np.ndarray,
    candidates: Sequence[tuple[int, bytes]],
    limit: int = 5,
    minimum: float = MINIMUM_SIMILARITY,
) -> list[tuple[int, float]]:
    """The ids of up to `limit` candidates closest in meaning, best first, with their scores."""
    if not candidates:
        return []
    ids = np.array([pk for pk, _ in candidates])
    matrix = np.vstack([embeddings.from_bytes(vector) for _, vector in candidates])
    scores = matrix @ query_vector
    order = np.argsort(-scores)[:limit]
    return [(int(ids[i]), float(scores[i])) for i in order if scores[i] >= minimum]
