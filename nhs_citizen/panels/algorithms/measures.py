"""Measures of how fairly a method treats volunteers, from their selection probabilities."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


def gini(values: Iterable[float]) -> float:
    """Gini coefficient: 0 when everyone has the same chance, near 1 when a few have it all."""
    xs = sorted(values)
    n = len(xs)
    total = math.fsum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = math.fsum((2 * (i + 1) - n - 1) * x for i, x in enumerate(xs))
    return weighted / (n * total)


def geometric_mean(values: Iterable[float]) -> float:
    xs = list(values)
    if not xs or min(xs) <= 0:
        return 0.0
    return math.exp(math.fsum(math.log(x) for x in xs) / len(xs))


def leximin_compare(a: Iterable[float], b: Iterable[float], tolerance: float = 1e-6) -> int:
    """Compare sorted probability vectors the leximin way: +1 if ``a`` is better (larger at the
    first place they differ by more than ``tolerance``), -1 if ``b`` is, 0 if they tie."""
    xs, ys = sorted(a), sorted(b)
    if len(xs) != len(ys):
        raise ValueError("Vectors of different lengths.")
    for x, y in zip(xs, ys, strict=True):
        if x > y + tolerance:
            return 1
        if y > x + tolerance:
            return -1
    return 0


@dataclass(frozen=True)
class Fairness:
    minimum: float
    maximum: float
    gini: float
    geometric_mean: float

    @classmethod
    def of(cls, probabilities: dict[str, float] | Iterable[float]) -> Fairness:
        values = (
            list(probabilities.values()) if isinstance(probabilities, dict) else list(probabilities)
        )
        return cls(min(values), max(values), gini(values), geometric_mean(values))
