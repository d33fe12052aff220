"""Small helpers the Discover templates use: words for figures, and chart geometry.

Charts are drawn as SVG on the server, so they show without JavaScript; every chart has a
table with the same figures next to it, which is what screen readers use.
"""

from __future__ import annotations

from dataclasses import dataclass

from nhs_citizen.discover.models import Sentiment, SourceKind

SENTIMENT_WORDS = dict(Sentiment.choices)
KIND_WORDS = dict(SourceKind.choices)
PLACEHOLDER_WORDS = {
    "nhs_number": "NHS number",
    "phone": "phone number",
    "email": "email address",
    "postcode": "postcode",
    "address": "address",
    "name": "name",
    "record_number": "record number",
    "date_of_birth": "date of birth",
}


def percent(part: float, whole: float) -> str:
    if not whole:
        return "0%"
    return f"{round(100 * part / whole)}%"


def trend_text(topic) -> str:
    if topic.rising:
        return f"Rising: {topic.recent_count} in the last 7 days, against about {topic.expected_count:.0f} a week before"
    if topic.recent_count:
        return f"Steady: {topic.recent_count} in the last 7 days"
    return "Quiet in the last 7 days"


def redaction_text(counts: dict) -> str:
    parts = []
    for kind, n in (counts or {}).items():
        if n:
            word = PLACEHOLDER_WORDS.get(kind, kind)
            parts.append(f"{n} {word}{'s' if n != 1 and not word.endswith('s') else ''}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float  # 0..100, share of the longest bar
    y: int


def bars(rows: list[tuple[str, int]], *, height: int = 28) -> list[Bar]:
    top = max((v for _, v in rows), default=0) or 1
    return [
        Bar(label=label, value=value, width=round(100 * value / top, 2), y=i * height)
        for i, (label, value) in enumerate(rows)
    ]


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    x: float
    width: float
    css: str


def stacked(positive: int, neutral: int, negative: int) -> list[Segment]:
    total = positive + neutral + negative
    if not total:
        return []
    segments, x = [], 0.0
    for label, value, css in (
        ("Positive", positive, "app-chart__positive"),
        ("Neutral or mixed", neutral, "app-chart__neutral"),
        ("Negative", negative, "app-chart__negative"),
    ):
        width = 100 * value / total
        segments.append(Segment(label, value, round(x, 2), round(width, 2), css))
        x += width
    return segments
