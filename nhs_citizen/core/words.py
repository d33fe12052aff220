"""A number of things in words: "1 person", "2 people", "1,234 flags".

The one way to say how many, in Python and in templates (the `pluralise` Jinja filter), so no
page or message says "1 people" or "1 person support this flag". When a verb follows the count,
give it with each form: count_words(n, "person supports", "people support").
"""

from __future__ import annotations

from decimal import Decimal


def count_words(count: int, singular: str, plural: str | None = None) -> str:
    """The count with thousands separators, then the singular for exactly 1, else the plural
    (the singular with an "s" when no plural is given)."""
    word = singular if count == 1 else (plural or singular + "s")
    number = f"{count:,}" if isinstance(count, int | float | Decimal) else str(count)
    return f"{number} {word}"
