"""Feeling of a comment: positive, neutral (or mixed) or negative. No Django here.

Two small linear models, trained by `train_sentiment.py` on labelled NHS Friends and Family
Test comments, with their probabilities averaged:

- one on the all-MiniLM-L6-v2 sentence embedding (which the pipeline has already) plus a few
  lexicon features (VADER's scores, a count of negations, the length);
- one on hashed words, word pairs and character 2-5 grams (no vocabulary is shipped: each
  feature is a CRC-32 bucket, so no text from the training comments is kept).

Prediction needs only numpy and vaderSentiment. The weights are in `sentiment_model.npz`.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

LABELS = ("positive", "neutral", "negative")
MODEL_PATH = Path(__file__).with_name("sentiment_model.npz")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|nothing|none|cannot|without)\b|n't", re.I)
CHAR_SIZES = (2, 3, 4, 5)


@dataclass(frozen=True)
class Sentiment:
    label: str  # one of LABELS
    score: float  # in [-1, 1]: P(positive) - P(negative)


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def lexicon_features(texts: list[str]) -> np.ndarray:
    """VADER compound, positive, negative and neutral shares, negation count, log word count."""
    analyser = _vader()
    rows = []
    for text in texts:
        polarity = analyser.polarity_scores(text)
        rows.append(
            [
                polarity["compound"],
                polarity["pos"],
                polarity["neg"],
                polarity["neu"],
                len(_NEGATION.findall(text)),
                np.log1p(len(text.split())),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(texts), 6)


def _bucket(gram: str, mask: int) -> int:
    return zlib.crc32(gram.encode("utf-8")) & mask


@lru_cache(maxsize=200_000)
def _word_buckets(word: str, mask: int) -> tuple[int, tuple[int, ...]]:
    """The bucket of the word itself and those of its character 2-5 grams (words repeat a lot,
    so this is worked out once per word)."""
    padded = f" {word} "
    chars = tuple(
        _bucket(f"c:{padded[i : i + n]}", mask)
        for n in CHAR_SIZES
        for i in range(len(padded) - n + 1)
    )
    return _bucket(f"w:{word}", mask), chars


def _add_group(buckets: list[int], row: dict[int, float]) -> None:
    """Add the L2-normalised counts of the buckets to row."""
    counts: dict[int, int] = {}
    for bucket in buckets:
        counts[bucket] = counts.get(bucket, 0) + 1
    if not counts:
        return
    norm = math.sqrt(sum(c * c for c in counts.values()))
    for bucket, count in counts.items():
        row[bucket] = row.get(bucket, 0.0) + count / norm


def hashed_features(text: str, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Sparse row as (bucket indices, values): words and word pairs, then character grams.

    Each of the two groups is L2-normalised on its own; buckets shared by both are summed.
    """
    mask = (1 << bits) - 1
    words = _WORD.findall(" ".join(text.lower().split()))
    per_word = [_word_buckets(w, mask) for w in words]
    word_group = [b for b, _ in per_word] + [
        _bucket(f"b:{a} {b}", mask) for a, b in zip(words[:-1], words[1:], strict=True)
    ]
    char_group = [b for _, chars in per_word for b in chars]
    row: dict[int, float] = {}
    _add_group(word_group, row)
    _add_group(char_group, row)
    return (
        np.fromiter(row.keys(), dtype=np.int64, count=len(row)),
        np.fromiter(row.values(), dtype=np.float64, count=len(row)),
    )


@dataclass(frozen=True)
class _Model:
    dense_w: np.ndarray  # (384 + 6, 3)
    dense_b: np.ndarray  # (3,)
    hash_rows: np.ndarray  # (k,) bucket numbers with a non-zero weight
    hash_w: np.ndarray  # (k, 3)
    hash_b: np.ndarray  # (3,)
    bits: int
    blend: float  # weight of the embedding model; the hashed model gets 1 - blend


@cache
def _model(path: Path = MODEL_PATH) -> _Model:
    with np.load(path) as data:
        bits = int(data["bits"])
        full = np.zeros((1 << bits, 3), dtype=np.float64)
        rows = data["hash_rows"].astype(np.int64)
        full[rows] = data["hash_w"].astype(np.float64)
        return _Model(
            dense_w=data["dense_w"].astype(np.float64),
            dense_b=data["dense_b"].astype(np.float64),
            hash_rows=rows,
            hash_w=full,
            hash_b=data["hash_b"].astype(np.float64),
            bits=bits,
            blend=float(data["blend"]),
        )


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def probabilities(
    texts: list[str], vectors: np.ndarray | None = None, model_path: Path = MODEL_PATH
) -> np.ndarray:
    """(n, 3) probabilities in the order of LABELS, from the weights at `model_path`."""
    if not texts:
        return np.zeros((0, 3))
    if vectors is None:
        from nhs_citizen.core.embeddings import embed

        vectors = embed(texts)
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.shape[0] != len(texts):
        raise ValueError("vectors must have one row per text")
    m = _model(Path(model_path))
    dense = np.hstack([vectors, lexicon_features(texts)])
    p_dense = _softmax(dense @ m.dense_w + m.dense_b)
    hashed = np.empty((len(texts), 3))
    for i, text in enumerate(texts):
        index, values = hashed_features(text, m.bits)
        hashed[i] = values @ m.hash_w[index]
    p_hash = _softmax(hashed + m.hash_b)
    return m.blend * p_dense + (1.0 - m.blend) * p_hash


def score(texts: list[str], vectors: np.ndarray | None = None) -> list[Sentiment]:
    """The feeling of each text. `vectors`: the unit-length MiniLM embeddings of the same texts,
    if the caller has them; otherwise they are worked out here."""
    p = probabilities(list(texts), vectors)
    out = []
    for row in p:
        label = LABELS[int(row.argmax())]
        value = float(np.clip(row[0] - row[2], -1.0, 1.0))
        out.append(Sentiment(label=label, score=value))
    return out
