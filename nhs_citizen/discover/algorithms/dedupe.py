"""Exact and near-duplicate comments, without merging opposite statements. No Django here.

Two comments are duplicates when their normalised text is the same (`exact_key`), or when
they say the same thing the same way round (`same_stance`) AND either their sentence
embeddings are very close (cosine >= threshold) or they differ only by small words that do not
change the meaning ("very", "the", "my", "really", "at all") with the embeddings still close
(cosine >= threshold - LIGHT_WORDS_MARGIN). Embeddings alone put "X should be legal" and "X
should not be legal", or "the ward felt safe" and "the ward felt unsafe", very close together,
so the stance check is what keeps them apart (ADR 0024).

The stance check compares the two texts word by word. Only the words that differ matter:
- negations (not, n't, never, no longer, hardly, without, lack, fail to...) counted on each
  side: an odd difference turns the statement round;
- opposites: a word from one end of a dimension in `stance_words.txt` against a word from the
  other end ("more" / "fewer", "keep" / "scrap", "agree" / "oppose", "good" / "bad"), or a pair
  made with a prefix or suffix ("safe" / "unsafe", "agree" / "disagree", "painful" /
  "painless", "staffed" / "understaffed");
- a negation and an opposite together cancel out: "wasn't helpful" says what "unhelpful" says.

`near_duplicates` picks representatives greedily in input order (a comment joins the most
similar earlier representative, never a chain of look-alikes), so the result is stable for a
given order. Similar pairs are found with blocked matrix products in NumPy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "DEFAULT_THRESHOLD",
    "LIGHT_WORDS_MARGIN",
    "exact_key",
    "is_duplicate",
    "near_duplicates",
    "normalise",
    "opposite",
    "same_stance",
    "stance",
    "words",
]

# The pipeline's threshold (discover/services/status.py NEAR_DUPLICATE has the same value).
DEFAULT_THRESHOLD = 0.92
# Texts that differ only by light words merge from this much below the threshold.
LIGHT_WORDS_MARGIN = 0.12
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
# Phrases rewritten to one word before counting, so that e.g. "no longer" is one negation and
# its "longer" is not read as a comparative, and "any more" is not "more".
# (trigger, pattern, replacement): a rule's regex runs only when the text holds its trigger
# string, so most texts pass through few regexes (this runs on every statement).
_PHRASES = [
    ("no longer", r"\bno longer\b", " nolonger "),
    ("no more", r"\bno more\b", " nomore "),
    ("one", r"\bno[ -]one\b", " nobody "),
    ("more", r"\bany ?more\b", " anymore "),
    ("more or less", r"\bmore or less\b", " roughly "),
    ("none of", r"\bnone of\b", " none "),
    ("short of", r"\bshort of\b", " lacking "),
    ("staffed", r"\bshort[- ]staffed\b", " understaffed "),
    ("rid of", r"\b(?:get|got|getting|gets) rid of\b", " scrap "),
    (" back", r"\b(?:scale|scaled|scaling|cut|cutting) back\b", " reduce "),
    ("on time", r"\bon time\b", " punctual "),
    ("step", r"\b(?:a )?steps? (?:backwards?|back)\b", " worse "),
    ("step", r"\b(?:a )?steps? forwards?\b", " better "),
    ("in favo", r"\bin (?:favour|favor) of\b", " favour "),
    ("as well", r"\bas well(?: as)?\b", " also "),
    ("lot", r"\ba lot\b|\blots\b", " alot "),
    ("at all", r"\bat all\b", " atall "),
]
_CONTRACTIONS = [
    ("can", r"\bcan't\b|\bcannot\b|\bcant\b", " can not "),
    ("won", r"\bwon't\b|\bwont\b", " will not "),
    ("shan't", r"\bshan't\b", " shall not "),
    ("ain", r"\bain't\b|\baint\b", " is not "),
    ("n't", r"n't\b", " not "),
    ("nt", r"\b(?:do|does|did|is|was|were|are|could|should|would|has|have|had|must|need)nt\b", None),
    ("'m", r"'m\b", " am "),
    ("'re", r"'re\b", " are "),
    ("'ve", r"'ve\b", " have "),
    ("'ll", r"'ll\b", " will "),
    ("'d", r"'d\b", " would "),
    ("'s", r"'s\b", " "),
]  # fmt: skip


def _spell_out(match: re.Match) -> str:
    return f" {match.group()[:-2]} not "  # "didnt" -> "did not"


def _compile(rules):
    return [(t, re.compile(p), _spell_out if r is None else r) for t, p, r in rules]


def _apply(rules, text: str) -> str:
    for trigger, pattern, repl in rules:
        if trigger in text:
            text = pattern.sub(repl, text)
    return text


_PHRASE_RULES = _compile(_PHRASES)
_CONTRACTION_RULES = _compile(_CONTRACTIONS)


# "non-existent", "un-helpful", "under-staffed" are one word; "well-run" and "walk-in" are two.
_PREFIX_HYPHEN = re.compile(r"\b(non|un|in|im|dis|mis|under|over)-(?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W_]+(?:&[^\W_]+)?")

_NEGATIONS = frozenset(
    {
        "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor",
        "without", "hardly", "barely", "scarcely", "rarely", "seldom", "nolonger", "nomore",
        "lack", "lacks", "lacked", "lacking", "unable", "nonexistent",
        "fail", "fails", "failed", "failing", "refuse", "refuses", "refused", "refusing",
        "stop", "stops", "stopped", "stopping", "cease", "ceased",
    }
)  # fmt: skip

# Small words that do not change what a statement says: two texts that differ only by these
# (and by plural or tense endings) are rewordings even when their embeddings are a bit apart.
_LIGHT = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "my", "our", "your", "his", "her",
        "their", "its", "i", "we", "me", "us", "you", "he", "she", "they", "them", "own",
        "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do",
        "does", "did", "will", "would", "shall", "should", "must", "could", "can", "may",
        "very", "really", "so", "quite", "completely", "totally", "absolutely", "extremely",
        "incredibly", "particularly", "truly", "highly", "just", "much", "far", "way", "ever",
        "all", "atall", "any", "some", "overall", "throughout", "also", "too", "indeed",
        "alot", "anymore", "still", "even", "and", "or", "but", "then", "which", "who",
        "of", "to", "for", "with", "in", "on", "at", "by", "nhs", "please", "thank", "thanks",
        "whenever", "when", "honestly", "definitely", "certainly", "simply", "genuinely",
        "actually", "basically", "literally", "seriously", "badly", "utterly", "fully",
    }
)  # fmt: skip
_LIGHT = _LIGHT - {"too", "badly", "for"}  # "far too long" keeps "too"; "badly" is a judgement

_WORDS_FILE = Path(__file__).with_name("stance_words.txt")
_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "mis", "under")


@cache
def _dimensions() -> dict[str, frozenset[tuple[str, int]]]:
    """word -> {(dimension, +1 or -1)} from stance_words.txt."""
    found: dict[str, set[tuple[str, int]]] = {}
    for line in _WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, ends = line.partition(":")
        high, _, low = ends.partition("|")
        for sign, part in ((1, high), (-1, low)):
            for word in part.split():
                found.setdefault(word, set()).add((name.strip(), sign))
    return {word: frozenset(dims) for word, dims in found.items()}


def _forms(word: str) -> tuple[str, ...]:
    """The word and its likely base forms: "explained" -> explain, explaine; "cuts" -> cut."""
    forms = [word]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("ed", ""), ("ing", ""),
                         ("ing", "e"), ("s", ""), ("d", ""), ("ly", ""), ("ily", "y"),
                         ("ier", "y"), ("iest", "y"), ("er", ""), ("est", ""), ("r", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    return tuple(forms)


def _stem(word: str) -> str:
    """Plural and tense endings off, for telling "midwife" and "midwives" apart from a new word."""
    if len(word) > 4:
        for suffix, repl in (("ies", "y"), ("ves", "f"), ("ing", ""), ("es", ""), ("ed", ""),
                             ("s", ""), ("e", "")):  # fmt: skip
            if word.endswith(suffix):
                return word[: -len(suffix)] + repl
    return word


def _dims(word: str) -> frozenset[tuple[str, int]]:
    table = _dimensions()
    for form in _forms(word):
        if form in table:
            return table[form]
    return frozenset()


def _affix_opposites(x: str, y: str) -> bool:
    """safe/unsafe, agree/disagree, existent/nonexistent, staffed/understaffed, painful/painless."""
    if len(x) > len(y):
        x, y = y, x
    if len(x) >= 3:
        for prefix in _PREFIXES:
            if y == prefix + x or any(y == prefix + f for f in _forms(x)[1:]):
                return True
    for a, b in ((x, y), (y, x)):
        if a.endswith("ful") and b == a[:-3] + "less":
            return True
        if a.endswith("less") and len(a) > 6 and b in (a[:-4], a[:-4] + "s", a[:-4] + "ed"):
            return True  # "useless" / "use", "faultless" / "fault"
    return False


def _opposed(x: str, y: str) -> bool:
    """True when x and y are opposite ends of one dimension, or opposites by prefix/suffix."""
    if x in _NEGATIONS or y in _NEGATIONS:
        return False
    dx, dy = _dims(x), _dims(y)
    if dx and dy and any((name, -sign) in dy for name, sign in dx):
        return True
    return _affix_opposites(x, y)


@dataclass(frozen=True)
class _Reading:
    words: Counter
    negations: int


def words(text: str) -> list[str]:
    """The text as lower-case words, with contractions spelled out ("didn't" -> "did not") and
    a few phrases made one word ("no longer" -> "nolonger", "get rid of" -> "scrap")."""
    clean = normalise(text)
    if "no" in clean or "never" in clean:
        clean = _NOT_NEGATION.sub(" ", clean)
    clean = _apply(_CONTRACTION_RULES, clean)
    if "-" in clean:
        clean = _PREFIX_HYPHEN.sub(r"\1", clean).replace("-", " ")
    clean = _apply(_PHRASE_RULES, clean)
    return _TOKEN.findall(clean)


def _count_negations(tokens: list[str]) -> int:
    count = sum(1 for w in tokens if w in _NEGATIONS)
    if "neither" in tokens:  # "neither X nor Y" is one negation
        count -= min(tokens.count("nor"), tokens.count("neither"))
    return count


@lru_cache(maxsize=16384)
def _read(text: str) -> _Reading:
    tokens = words(text)
    return _Reading(Counter(tokens), _count_negations(tokens))


def stance(text: str) -> int:
    """+1 for a plain statement, -1 for a negated one (an odd number of negations).

    "X should be legal" -> +1, "X should not be legal" / "X shouldn't be legal" -> -1,
    "I was never happy" -> -1, "I don't think it is not fair" -> +1 (two negations).
    Phrases like "not only" and "nothing but" do not count. On its own this cannot see
    opposites such as "safe" / "unsafe": compare two texts with `same_stance`.
    """
    return -1 if _read(text).negations % 2 else 1


def _opposite(a: _Reading, b: _Reading) -> bool:
    flipped_by_negation = (a.negations - b.negations) % 2 == 1
    only_a = a.words - b.words
    only_b = b.words - a.words
    flipped_by_words = any(_opposed(x, y) for x in only_a for y in only_b)
    return flipped_by_negation != flipped_by_words


def opposite(a: str, b: str) -> bool:
    """True when b says the opposite of a (or a plain statement against a negated one).

    Compares only the words that differ: a negation on one side only, or an opposite pair
    ("more" / "fewer", "safe" / "unsafe", "support" / "oppose"), turns the statement round;
    both together cancel out ("not helpful" = "unhelpful")."""
    return _opposite(_read(a), _read(b))


def same_stance(a: str, b: str) -> bool:
    """True when a and b are not opposite (`opposite`)."""
    return not opposite(a, b)


# Dimensions narrow enough that two words from the same end mean the same thing
# ("scrapped" / "abolished", "extended" / "longer"); "good" is too wide ("good" / "fast").
_SYNONYM_DIMENSIONS = frozenset({"keep", "open", "amount", "support", "length", "speed", "price"})


def _synonyms(x: str, y: str) -> bool:
    dx, dy = _dims(x), _dims(y)
    return any(d in dy for d in dx if d[0] in _SYNONYM_DIMENSIONS)


def _light_difference(a: _Reading, b: _Reading) -> bool:
    """True when every word that differs is explained by a change that keeps the meaning:
    a light word ("very", "the", "at all"), a plural or tense ending, a negation, a negated
    opposite ("not happy" for "unhappy"), or a synonym in a narrow dimension ("scrapped" for
    "abolished"). Whether the stance is the same is checked separately."""
    only_a = list((a.words - b.words).elements())
    only_b = list((b.words - a.words).elements())
    stems_b = Counter(_stem(w) for w in only_b)
    rest_a = []
    for w in only_a:
        stem = _stem(w)
        if stems_b[stem]:
            stems_b[stem] -= 1
        elif w not in _LIGHT and w not in _NEGATIONS:
            rest_a.append(w)
    stems_a = Counter(_stem(w) for w in only_a)
    rest_b = []
    for w in only_b:
        stem = _stem(w)
        if stems_a[stem]:
            stems_a[stem] -= 1
        elif w not in _LIGHT and w not in _NEGATIONS:
            rest_b.append(w)
    if len(rest_a) != len(rest_b) or len(rest_a) > 2:
        return False
    for x in rest_a:
        match = next((y for y in rest_b if _opposed(x, y) or _synonyms(x, y)), None)
        if match is None:
            return False
        rest_b.remove(match)
    return True


def _duplicate(a: _Reading, b: _Reading, similarity: float, threshold: float) -> bool:
    if similarity < threshold and (
        similarity < threshold - LIGHT_WORDS_MARGIN or not _light_difference(a, b)
    ):
        return False
    return not _opposite(a, b)


def is_duplicate(a: str, b: str, similarity: float, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Would `near_duplicates` merge texts a and b, whose embeddings have this cosine?

    Exact duplicates (same `exact_key`) always merge. Otherwise: same stance, and either
    similarity >= threshold, or similarity >= threshold - LIGHT_WORDS_MARGIN with only light
    words ("very", "the", "my", "at all", plural endings) between them."""
    if exact_key(a) == exact_key(b):
        return True
    return _duplicate(_read(a), _read(b), float(similarity), threshold)


# --- near duplicates --------------------------------------------------------------------

_BLOCK = 1024


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def near_duplicates(
    texts: list[str], vectors: np.ndarray, threshold: float = DEFAULT_THRESHOLD
) -> list[int]:
    """For each item, the index of its representative (its own index if it is one).

    Exact-key duplicates always share the representative of their first occurrence. Otherwise
    an item joins the most similar EARLIER representative that `is_duplicate` accepts (same
    stance, and cosine >= threshold, or a little less with only light words between them), or
    becomes a representative itself.
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
    readings = [_read(texts[i]) for i in uniq]
    unit = _unit(vectors[uniq])
    floor = threshold - LIGHT_WORDS_MARGIN
    m = len(uniq)
    rep_u = np.arange(m)  # representative, as a position in uniq
    is_rep = np.ones(m, dtype=bool)
    for start in range(0, m, _BLOCK):
        stop = min(start + _BLOCK, m)
        sims = unit[start:stop] @ unit[:stop].T  # each row against itself and earlier rows
        rows, cols = np.nonzero(sims >= floor)
        keep = cols < rows + start
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
            r = int(group_rows[0])
            i = start + r
            for j in group_cols:  # most similar first
                if is_rep[j] and _duplicate(readings[i], readings[j], float(sims[r, j]), threshold):
                    rep_u[i] = j
                    is_rep[i] = False
                    break

    rep_of_uniq = np.empty(n, dtype=np.int64)
    rep_of_uniq[uniq] = uniq[rep_u]
    return [int(r) for r in rep_of_uniq[twin_of]]
