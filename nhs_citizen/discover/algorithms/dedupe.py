"""Exact and near-duplicate comments, without merging opposite statements. No Django here.

Two comments are duplicates when their normalised text is the same (`exact_key`), or when
their sentence embeddings are very close (cosine >= threshold) AND they say the same thing
the same way round (`same_stance`). Embeddings alone put "X should be legal" and "X should
not be legal" very close together, so the stance check is what keeps them apart.

`near_duplicates` picks representatives greedily in input order (a comment joins the most
similar earlier representative, never a chain of look-alikes), so the result is stable for a
given order. Similar pairs are found with blocked matrix products in NumPy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

__all__ = ["exact_key", "near_duplicates", "normalise", "same_stance", "stance"]

_SPACE = re.compile(r"\s+")
# Curly quotes and similar marks that NFKC leaves alone: "Can’t" and "Can't" are the same.
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)


def _is_edge_junk(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "PSZC"  # punctuation, symbols, separators, control characters


def normalise(text: str) -> str:
    """Casefold, Unicode NFKC, straight quotes, collapse whitespace, strip punctuation at
    both ends."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SPACE.sub(" ", text)
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    return text[start:end]


def exact_key(text: str) -> str:
    """SHA-256 (hex) of the normalised text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


# --- stance -----------------------------------------------------------------------------

# Phrases that look negative but do not turn the statement round ("not only ... but also",
# "nothing but praise").
_NOT_NEGATION = re.compile(
    r"\b(?:not only|not just|not merely|nothing but|no doubt|no matter|never mind)\b"
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# "no longer", "no one", "no more" count once, through "no".
_NEGATIONS = frozenset(
    {
        "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor",
        "without", "cannot", "hardly", "barely", "scarcely",
        # contractions typed without the apostrophe
        "dont", "doesnt", "didnt", "isnt", "wasnt", "werent", "arent", "cant", "couldnt",
        "shouldnt", "wouldnt", "wont", "havent", "hasnt", "hadnt", "mustnt", "neednt", "aint",
    }
)  # fmt: skip


def _count_negations(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if w in _NEGATIONS or w.endswith("n't"))


def stance(text: str) -> int:
    """+1 for a plain statement, -1 for a negated one (an odd number of negations).

    "X should be legal" -> +1, "X should not be legal" / "X shouldn't be legal" -> -1,
    "I was never happy" -> -1, "I don't think it is not fair" -> +1 (two negations).
    Phrases like "not only" and "nothing but" do not count.
    """
    clean = normalise(text)
    clean = _NOT_NEGATION.sub(" ", clean)
    return -1 if _count_negations(clean) % 2 else 1


def same_stance(a: str, b: str) -> bool:
    return stance(a) == stance(b)


# --- near duplicates --------------------------------------------------------------------

_BLOCK = 1024


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def near_duplicates(texts: list[str], vectors: np.ndarray, threshold: float = 0.92) -> list[int]:
    """For each item, the index of its representative (its own index if it is one).

    Exact-key duplicates always share the representative of their first occurrence. Otherwise
    an item joins the most similar EARLIER representative with cosine >= threshold and the
    same stance, or becomes a representative itself.
    """
    n = len(texts)
    if n == 0:
        return []
    vectors = np.asarray(vectors)
    if vectors.shape[0] != n:
        raise ValueError(f"{n} texts but {vectors.shape[0]} vectors")

    # 1. Exact duplicates: keep the first occurrence of each key.
    first: dict[str, int] = {}
    twin_of = np.empty(n, dtype=np.int64)
    for i, text in enumerate(texts):
        twin_of[i] = first.setdefault(exact_key(text), i)
    uniq = np.flatnonzero(twin_of == np.arange(n))  # indices of first occurrences, ascending

    # 2. Near duplicates among the unique texts only.
    signs = np.array([stance(texts[i]) for i in uniq], dtype=np.int8)
    unit = _unit(vectors[uniq])
    m = len(uniq)
    rep_u = np.arange(m)  # representative, as a position in uniq
    is_rep = np.ones(m, dtype=bool)
    for start in range(0, m, _BLOCK):
        stop = min(start + _BLOCK, m)
        sims = unit[start:stop] @ unit[:stop].T  # each row against itself and earlier rows
        rows, cols = np.nonzero(sims >= threshold)
        keep = (cols < rows + start) & (signs[rows + start] == signs[cols])
        rows, cols = rows[keep], cols[keep]
        if rows.size == 0:
            continue
        # Walk the block in order: earlier rows decide whether they stay representatives
        # before later rows look at them.
        order = np.lexsort((-sims[rows, cols], rows))
        rows, cols = rows[order], cols[order]
        bounds = np.flatnonzero(np.diff(rows)) + 1
        for group_rows, group_cols in zip(
            np.split(rows, bounds), np.split(cols, bounds), strict=True
        ):
            i = start + int(group_rows[0])
            for j in group_cols:  # most similar first
                if is_rep[j]:
                    rep_u[i] = j
                    is_rep[i] = False
                    break

    rep_of_uniq = np.empty(n, dtype=np.int64)
    rep_of_uniq[uniq] = uniq[rep_u]
    return [int(r) for r in rep_of_uniq[twin_of]]
