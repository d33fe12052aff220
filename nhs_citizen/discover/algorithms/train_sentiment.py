"""Rebuild `sentiment_model.npz` from labelled NHS Friends and Family Test comments of four
trusts, read from ../shared/data/fft/ (never copied into the project).

    .venv/bin/python -m nhs_citizen.discover.algorithms.train_sentiment

Labels and questions:

- `v6_neas.csv` (one ambulance trust, "NEAS"): `Comment sentiment` 1-2 positive, 3 neutral or
  mixed, 4-5 negative; empty is unlabelled and skipped. The question is `FFT question` as asked.
- `text_data.csv` (Trusts A, B and C in `organization`): `criticality` runs from -5 (highly
  critical) to 5 (highly positive). 2 or more is positive, -1 to 1 neutral or mildly mixed
  (mild praise, a small wish), -2 or less negative. Trust B scored 2,563 of its 3,307 comments
  0, almost all of them praise: there 0 means "not scored", so those are skipped (the three 0s
  of the other trusts are kept). Comments the people labelling put under "Nothing was good"
  (code `xg`) are negative whatever their criticality (eleven of twelve were scored 1 or 2).
  Values that are not a whole number from -5 to 5 are skipped.
  The file names its questions only "Trust A - Q1" and so on; what each asked is read from the
  human subcategories: A-Q1 and C-Q2 hold most of the "Nothing to improve" answers (235 and
  1,249), so they asked what could be better; A-Q2 holds the "Nothing was good" answers, so it
  asked what was good; B-Q1 and C-Q1 mix praise and wishes, so they are taken as "why did you
  give this answer" (overall).

The model (see sentiment.py): logistic regression on the embedding, VADER's scores and the kind
of question, blended half and half with logistic regression on hashed words (not tagged with the
question: HASH_TAGS_QUESTION, see docs/adr/0040-feeling-model.md); both balanced by class. It is measured by leaving one trust out at a time
(bench/discover_sentiment.py); the shipped weights are fitted on every trust.
The hashed features keep no text.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nhs_citizen.discover.algorithms import sentiment

ROOT = Path(__file__).resolve().parents[3]
TEST_FRACTION = 0.25
BITS = 18
DENSE_C = 1.0
HASH_C = 3.0
BLEND = 0.5
# Tagging hashed words with the kind of question lost on every trust left out (worst macro-F1
# 0.510 against 0.548 without): the tags learnt how each trust's people labelled its questions.
HASH_TAGS_QUESTION = False

TEXT_DATA_QUESTIONS = {
    "Trust A - Q1": "What could we do better?",
    "Trust A - Q2": "What was good?",
    "Trust B - Q1": "Please tell us why you gave this answer",
    "Trust C - Q1": "Please tell us why you gave this answer",
    "Trust C - Q2": "What could we do better?",
}
_WHOLE = re.compile(r"-?[0-5]")


def fft_dir() -> Path:
    env = os.environ.get("NHS_CITIZEN_FFT_DIR")
    return Path(env) if env else (ROOT / ".." / "shared" / "data" / "fft").resolve()


def is_test_id(comment_id: str) -> bool:
    """Old fixed split of v6_neas.csv (last quarter of SHA-256 of `Comment ID`); kept for
    comparison with earlier figures."""
    digest = hashlib.sha256(comment_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >= int((1 - TEST_FRACTION) * 2**64)


def label_of(value: str) -> int | None:
    """Index into sentiment.LABELS for a 1-5 human rating; None when unlabelled."""
    value = (value or "").strip()
    if not value:
        return None
    rating = int(value)
    return 0 if rating <= 2 else (1 if rating == 3 else 2)


def criticality_label(value: str, code: str = "", organisation: str = "") -> int | None:
    """Index into sentiment.LABELS for a text_data.csv row (see the module docstring)."""
    if code.strip() == "xg":
        return 2
    value = (value or "").strip()
    if not _WHOLE.fullmatch(value):
        return None
    criticality = int(value)
    if criticality == 0 and organisation.strip() == "Trust B":
        return None
    return 0 if criticality >= 2 else (1 if criticality >= -1 else 2)


@dataclass(frozen=True)
class Labelled:
    trusts: list[str]
    texts: list[str]
    questions: list[str | None]
    labels: np.ndarray  # int indices into sentiment.LABELS

    def subset(self, keep: np.ndarray) -> Labelled:
        index = np.flatnonzero(keep)
        return Labelled(
            [self.trusts[i] for i in index],
            [self.texts[i] for i in index],
            [self.questions[i] for i in index],
            self.labels[index],
        )


def load_trusts() -> Labelled:
    """Every labelled comment of both files, with its trust and the question it answers."""
    trusts, texts, questions, labels = [], [], [], []
    with open(fft_dir() / "text_data.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            label = criticality_label(row["criticality"], row["code"], row["organization"])
            if label is None or not (row["feedback"] or "").strip():
                continue
            trusts.append(row["organization"].strip())
            texts.append(row["feedback"])
            questions.append(TEXT_DATA_QUESTIONS.get(row["question"].strip()))
            labels.append(label)
    with open(fft_dir() / "v6_neas.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            label = label_of(row.get("Comment sentiment", ""))
            if label is None or not (row.get("FFT answer") or "").strip():
                continue
            trusts.append("NEAS")
            texts.append(row["FFT answer"])
            questions.append(" ".join(row["FFT question"].split()) or None)
            labels.append(label)
    return Labelled(trusts, texts, questions, np.asarray(labels, dtype=np.int64))


def hashed_matrix(texts: list[str], questions: list[str | None] | None = None, bits: int = BITS):
    from scipy.sparse import csr_matrix

    questions = questions if questions is not None else [None] * len(texts)
    indices, values, pointers = [], [], [0]
    for text, question in zip(texts, questions, strict=True):
        index, value = sentiment.hashed_features(text, bits, sentiment.question_kind(question))
        indices.append(index)
        values.append(value)
        pointers.append(pointers[-1] + len(index))
    return csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.asarray(pointers)),
        shape=(len(texts), 1 << bits),
    )


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=[0, 1, 2], average="macro", zero_division=0))


def vader_labels(texts: list[str]) -> np.ndarray:
    """VADER's usual rule: compound >= 0.05 positive, <= -0.05 negative, else neutral."""
    compound = sentiment.lexicon_features(texts)[:, 0]
    return np.where(compound >= 0.05, 0, np.where(compound <= -0.05, 2, 1))


def _classifier(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000)


def fit(data: Labelled, vectors: np.ndarray, out: Path) -> Path:
    """Fit both models on `data` (with its unit-length embeddings) and write the weights."""
    dense = sentiment.dense_features(data.texts, vectors, data.questions)
    hashed = hashed_matrix(data.texts, data.questions if HASH_TAGS_QUESTION else None)
    dense_model = _classifier(DENSE_C).fit(dense, data.labels)
    hash_model = _classifier(HASH_C).fit(hashed, data.labels)
    weights = hash_model.coef_.T  # (2**BITS, 3)
    rows = np.flatnonzero(np.abs(weights).sum(axis=1) > 0)
    np.savez_compressed(
        out,
        dense_w=dense_model.coef_.T.astype(np.float32),
        dense_b=dense_model.intercept_.astype(np.float32),
        hash_rows=rows.astype(np.int32),
        hash_w=weights[rows].astype(np.float32),
        hash_b=hash_model.intercept_.astype(np.float32),
        bits=np.int64(BITS),
        blend=np.float64(BLEND),
        hash_tags_question=np.bool_(HASH_TAGS_QUESTION),
    )
    sentiment._model.cache_clear()
    return out


def train(out: Path = sentiment.MODEL_PATH, embed_fn=None, verbose: bool = True) -> Path:
    """Fit on every labelled comment of every trust and write `out`."""
    if embed_fn is None:
        from nhs_citizen.core.embeddings import embed as embed_fn
    data = load_trusts()
    if verbose:
        print(
            f"{len(data.texts)} labelled comments from {len(set(data.trusts))} trusts", flush=True
        )
    fit(data, np.asarray(embed_fn(data.texts), dtype=np.float64), out)
    if verbose:
        print(f"Wrote {out} ({out.stat().st_size // 1024} KiB)")
    return out


if __name__ == "__main__":
    train()
