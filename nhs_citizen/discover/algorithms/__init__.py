"""Discover's algorithms as a small, stable, pure API (no Django, no database).

    from nhs_citizen.discover import algorithms
    algorithms.redact("Call me on 07700 900123")        # -> Redaction(text=..., spans=...)
    algorithms.score_feeling(["Lovely staff"])          # -> [Sentiment(label, score)]
    algorithms.find_topics(texts)                       # -> Topics(labels, names, ...)
    algorithms.near_duplicates(["A", "a!", "Not A"])    # -> [0, 0, 2]

Importing this package loads nothing heavy: each function imports its module (and NumPy, the
embedding model, scikit-learn) only when called, so web workers can import it freely. The
functions that embed text load the sentence model (about 5 seconds, 300 MB): call them from
background jobs, commands and benchmarks, never from a web request. They all embed with
`nhs_citizen.core.embeddings.embed`, which spells out NHS short forms first (the glossary Gather
uses too; ADR 0029).
"""

from __future__ import annotations

import importlib
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from nhs_citizen.discover.algorithms.redact import Redaction
    from nhs_citizen.discover.algorithms.sentiment import Sentiment

__all__ = ["Topics", "find_topics", "near_duplicates", "redact", "score_feeling"]


class _CallableModule(types.ModuleType):
    """redact.py made callable: `algorithms.redact(text)` is `algorithms.redact.redact(text)`.

    A package attribute and a submodule cannot share a name (importing the submodule replaces
    the attribute), and callers already use `from ...algorithms import redact; redact.redact()`.
    Calling the module keeps both working. redact.py is rules and the standard library only,
    so importing it here keeps this package light."""

    def __call__(self, text: str) -> Redaction:
        """Personal data taken out of one text.

        Input: any string. Output: a `Redaction` (redact.py) whose `.text` has names,
        addresses, e-mails, phone, NHS and record numbers and dates of birth replaced by
        placeholders, and whose spans say what was taken out and where. Rules only, fast."""
        return self.redact(text)


redact = importlib.import_module(f"{__name__}.redact")
redact.__class__ = _CallableModule


def score_feeling(texts: list[str], questions: list[str | None] | None = None) -> list[Sentiment]:
    """Feeling of each text: one `Sentiment` (label "positive" / "neutral" / "negative" and a
    score) per text, in order. Embeds the texts with the pipeline's model.

    `questions`, when given, is one question (or None) per text, the question the text answers
    ("What could we do better?"). The model reads each answer by its question: the kind of
    question (what was good, what could be better, overall) is one of its inputs, and short
    answers ("Nothing", "N/A", "No") are scored by rules that depend on it, so "Nothing" is
    good news after "What could we do better?" and bad news after "What was good?" (ADR 0040).
    Lengths must match.
    """
    texts = list(texts)
    if questions is not None and len(questions) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(questions)} questions")
    if not texts:
        return []
    from nhs_citizen.core import embeddings
    from nhs_citizen.discover.algorithms import sentiment

    vectors = embeddings.embed(texts)
    return sentiment.score(texts, vectors, questions=None if questions is None else list(questions))


@dataclass(frozen=True)
class Topics:
    """What `find_topics` found. labels[i] is the topic of texts[i] (-1: no topic); names,
    words and typical (an index into texts) are per topic, in topic order."""

    labels: list[int]
    names: list[str]
    words: list[tuple[str, ...]]
    typical: list[int]


def find_topics(texts: list[str], *, seed: int = 0) -> Topics:
    """Group texts into topics with the pipeline's embeddings (the project's one embedding
    function, NHS glossary applied) and clustering (topics.py), and name each topic.
    Deterministic: the same texts always give the same topics (ADR 0029); `seed` is kept for
    callers of the earlier randomised method and changes nothing. Needs enough texts to group
    (the pipeline waits for 20); fewer texts give fewer topics or none."""
    texts = list(texts)
    if not texts:
        return Topics([], [], [], [])
    from nhs_citizen.core import embeddings
    from nhs_citizen.discover.algorithms import topics

    vectors = embeddings.embed(texts)
    model = topics.cluster(vectors, seed=seed)
    labels = topics.describe(texts, model, vectors) if len(model.centroids) else []
    return Topics(
        labels=[int(x) for x in model.labels],
        names=[label.name for label in labels],
        words=[tuple(label.words) for label in labels],
        typical=[int(label.typical) for label in labels],
    )


def near_duplicates(texts: list[str], threshold: float | None = None) -> list[int]:
    """For each text, the index of the text it duplicates (its own index if it is the first of
    its kind), as the pipeline merges them (dedupe.py, ADR 0024).

    Exact duplicates (same words once case, spaces and end punctuation are ignored) always
    merge; near duplicates merge only when their embeddings are very close AND they say the
    same thing the same way round: "The ward was safe" never merges with "The ward was unsafe"
    or "The ward wasn't safe". `threshold` is the cosine needed (default: the pipeline's).
    """
    texts = list(texts)
    if not texts:
        return []
    from nhs_citizen.core import embeddings
    from nhs_citizen.discover.algorithms import dedupe

    vectors = embeddings.embed(texts)
    return dedupe.near_duplicates(
        texts, vectors, dedupe.DEFAULT_THRESHOLD if threshold is None else threshold
    )
