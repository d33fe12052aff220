"""Feeling of a comment: positive, neutral (or mixed) or negative. No Django here.

Two small linear models, trained by `train_sentiment.py` on labelled NHS Friends and Family
Test comments, with their probabilities averaged:

- one on the all-MiniLM-L6-v2 sentence embedding (which the pipeline has already) plus a few
  lexicon features (VADER's scores, a count of negations, the length);
- one on hashed words, word pairs and character 2-5 grams (no vocabulary is shipped: each
  feature is a CRC-32 bucket, so no text from the training comments is kept).

The question the comment answers matters: "Nothing" is good news after "What could we do
better?" and bad news after "What was good?". `question_kind` sorts a question into "good",
"improve" or "overall"; the embedding model sees it as three one-hot features, and short answers
("Nothing", "N/A", "Everything", "Don't know") to a "good" or "improve" question are read by the
explicit rules in `short_answer_label`. The hashed model can also count each word tagged with
the kind of question (`hash_tags_question` in the weights), but the shipped model does not:
measured on a trust left out, the tagged words learnt each trust's own habits and lost on every
trust (docs/adr/0040-feeling-model.md).

Prediction needs only numpy and vaderSentiment, imported by the jobs that score (never by a
web worker). The weights are in `sentiment_model.npz`.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

LABELS = ("positive", "neutral", "negative")
MODEL_PATH = Path(__file__).with_name("sentiment_model.npz")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|nothing|none|cannot|without)\b|n't", re.I)
CHAR_SIZES = (2, 3, 4, 5)


QUESTION_KINDS = ("good", "improve", "overall")

_ASKS_FOR_BAD = re.compile(
    r"\b(?:improv\w*|better|chang\w*|differently|wrong|worse|bad|dislik\w*|problems?|"
    r"dissatisf\w*|unhappy|concerns?|complain\w*|not like|didn't like|did not like)\b"
)
_ASKS_FOR_GOOD = re.compile(
    r"\b(?:good|well|best|liked?|enjoy\w*|pleased|positive|helpful|satisf\w*|happy)\b"
)


def question_kind(question: str | None) -> str | None:
    """ "good" (what was good, what went well), "improve" (what could be better), "overall"
    (why that rating, anything else, or a question asking for both); None when not known."""
    if question is None or not question.strip():
        return None
    asked = " ".join(question.lower().replace("’", "'").split())
    bad = _ASKS_FOR_BAD.search(asked)
    # "satisfied and/or dissatisfied": the bad pattern also matches, so it is "overall".
    good = _ASKS_FOR_GOOD.search(_ASKS_FOR_BAD.sub(" ", asked))
    if bad and good:
        return "overall"
    if bad:
        return "improve"
    if good:
        return "good"
    return "overall"


NOTHING = frozenset(
    word.strip()
    for word in """nothing|none|no|nope|nah|nil|na|n/a|not applicable|not really|no not really|no nothing|
    nothing at all|absolutely nothing|not a thing|nothing really|nothing else|nothing to add|
    nothing to improve|nothing to say|no comment|no comments|no thanks|no thank you|
    nothing thank you|nothing thanks|none at all|not much|not a lot|no improvements|
    no improvement|no improvements needed|no improvement needed|nothing i can think of|
    can't think of anything|i can't think of anything|cannot think of anything|
    nothing comes to mind|nothing springs to mind|no changes|no change|none really""".split("|")
)
DONT_KNOW = frozenset(
    "don't know|i don't know|dont know|i dont know|not sure|unsure|no idea".split("|")
)
EVERYTHING = frozenset(
    "everything|all of it|the lot|all|everything really|all of the above".split("|")
)
ALL_GOOD = frozenset(
    "all good|all ok|all okay|all fine|all fine thanks|everything good|everything was good|"
    "everything was fine|everything fine|all was good|it was all good".split("|")
)
_SHORT = re.compile(r"[^a-z/' ]+")

# (kind of short answer, kind of question) -> label. Anything missing is left to the model.
SHORT_ANSWER_RULES = {
    ("nothing", "improve"): "positive",  # nothing to improve
    ("nothing", "good"): "negative",  # nothing was good
    ("everything", "good"): "positive",
    ("everything", "improve"): "negative",  # everything needs to get better
    ("dont_know", "good"): "neutral",
    ("dont_know", "improve"): "neutral",
    ("all_good", "good"): "positive",
    ("all_good", "improve"): "positive",
    ("all_good", "overall"): "positive",
    ("all_good", None): "positive",
}


def short_answer(text: str) -> str | None:
    """ "nothing", "dont_know", "everything" or "all_good" when the whole answer is one of
    those short replies (case, punctuation and spacing ignored); otherwise None."""
    said = _SHORT.sub(" ", text.lower().replace("’", "'").replace(".", " ")).strip(" '/")
    said = " ".join(said.split())
    if said in NOTHING:
        return "nothing"
    if said in DONT_KNOW:
        return "dont_know"
    if said in EVERYTHING:
        return "everything"
    if said in ALL_GOOD:
        return "all_good"
    return None


def short_answer_label(text: str, question: str | None) -> str | None:
    """The label the rules give a short answer to this question, or None (use the model)."""
    kind = short_answer(text)
    if kind is None:
        return None
    return SHORT_ANSWER_RULES.get((kind, question_kind(question)))


def question_features(questions: list[str | None]) -> np.ndarray:
    """(n, 3) one-hot kind of question, in the order of QUESTION_KINDS; zeros when unknown."""
    out = np.zeros((len(questions), len(QUESTION_KINDS)))
    for i, question in enumerate(questions):
        kind = question_kind(question)
        if kind is not None:
            out[i, QUESTION_KINDS.index(kind)] = 1.0
    return out


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
    counts = Counter(buckets)
    if not counts:
        return
    norm = math.sqrt(sum(c * c for c in counts.values()))
    for bucket, count in counts.items():
        row[bucket] = row.get(bucket, 0.0) + count / norm


def hashed_features(text: str, bits: int, kind: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sparse row as (bucket indices, values): words and word pairs, then character grams.

    With a kind of question ("good", "improve", "overall"), each word is also counted tagged
    with it, so "nothing" after "what was good" and after "what could be better" can weigh
    differently. Each group is L2-normalised on its own; buckets shared by both are summed.
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
    if kind is not None:
        _add_group(
            [_bucket(f"q:{kind}", mask)] + [_bucket(f"q:{kind}:{w}", mask) for w in words], row
        )
    return (
        np.fromiter(row.keys(), dtype=np.int64, count=len(row)),
        np.fromiter(row.values(), dtype=np.float64, count=len(row)),
    )


@dataclass(frozen=True)
class _Model:
    dense_w: np.ndarray  # (384 + 6 + 3, 3): embedding, lexicon, kind of question
    dense_b: np.ndarray  # (3,)
    hash_rows: np.ndarray  # (k,) bucket numbers with a non-zero weight
    hash_w: np.ndarray  # (k, 3)
    hash_b: np.ndarray  # (3,)
    bits: int
    blend: float  # weight of the embedding model; the hashed model gets 1 - blend
    hash_tags_question: bool  # whether the hashed model counts words tagged with the question


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
            # Weights written before the flag existed tagged words with the question.
            hash_tags_question=bool(data["hash_tags_question"])
            if "hash_tags_question" in data.files
            else True,
        )


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def _questions(texts: list[str], questions) -> list[str | None]:
    if questions is None:
        return [None] * len(texts)
    questions = list(questions)
    if len(questions) != len(texts):
        raise ValueError("questions must have one entry per text (None when not known)")
    return questions


def dense_features(
    texts: list[str], vectors: np.ndarray, questions: list[str | None]
) -> np.ndarray:
    """Embedding, lexicon features and the one-hot kind of question, side by side."""
    return np.hstack(
        [
            np.asarray(vectors, dtype=np.float64),
            lexicon_features(texts),
            question_features(questions),
        ]
    )


def probabilities(
    texts: list[str],
    vectors: np.ndarray | None = None,
    model_path: Path = MODEL_PATH,
    questions: list[str | None] | None = None,
) -> np.ndarray:
    """(n, 3) probabilities in the order of LABELS, from the weights at `model_path`, before
    the short-answer rules."""
    questions = _questions(texts, questions)
    if not texts:
        return np.zeros((0, 3))
    if vectors is None:
        from nhs_citizen.core.embeddings import embed

        vectors = embed(texts)
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.shape[0] != len(texts):
        raise ValueError("vectors must have one row per text")
    m = _model(Path(model_path))
    p_dense = _softmax(dense_features(texts, vectors, questions) @ m.dense_w + m.dense_b)
    hashed = np.empty((len(texts), 3))
    for i, (text, question) in enumerate(zip(texts, questions, strict=True)):
        kind = question_kind(question) if m.hash_tags_question else None
        index, values = hashed_features(text, m.bits, kind)
        hashed[i] = values @ m.hash_w[index]
    p_hash = _softmax(hashed + m.hash_b)
    return m.blend * p_dense + (1.0 - m.blend) * p_hash


_RULE_SCORE = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}


def score(
    texts: list[str],
    vectors: np.ndarray | None = None,
    questions: list[str | None] | None = None,
    model_path: Path = MODEL_PATH,
) -> list[Sentiment]:
    """The feeling of each text. `vectors`: the unit-length MiniLM embeddings of the same texts,
    if the caller has them; otherwise they are worked out here. `questions`: the question each
    text answers (None where not known)."""
    texts = list(texts)
    questions = _questions(texts, questions)
    p = probabilities(texts, vectors, model_path, questions)
    out = []
    for text, question, row in zip(texts, questions, p, strict=True):
        ruled = short_answer_label(text, question)
        if ruled is not None:
            out.append(Sentiment(label=ruled, score=_RULE_SCORE[ruled]))
            continue
        label = LABELS[int(row.argmax())]
        value = float(np.clip(row[0] - row[2], -1.0, 1.0))
        out.append(Sentiment(label=label, score=value))
    return out


def score_feeling(texts: list[str], questions: list[str | None] | None = None) -> list[str]:
    """ "positive", "neutral" or "negative" for each text, read as an answer to the question
    at the same place in `questions` (None, or no list, when the question is not known).

    Works out the embeddings itself; callers that already have them use `score`."""
    return [s.label for s in score(list(texts), None, questions)]
