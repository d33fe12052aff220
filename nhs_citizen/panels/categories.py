"""The questions volunteers answer, following the 2021 Census categories, and England's
population shares for each answer (reference data shipped with the code)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference" / "census_2021_england.csv"

CATEGORY_LABELS = {
    "age_band": "Age band",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "region": "NHS England region",
    "deprivation": "Area deprivation quintile",
}
DONT_KNOW = "dont_know"


@dataclass(frozen=True)
class Value:
    category: str
    value: str
    label: str
    share: float


@cache
def census_values() -> tuple[Value, ...]:
    with open(REFERENCE, newline="", encoding="utf-8") as handle:
        return tuple(
            Value(r["category"], r["value"], r["label"], float(r["share"]))
            for r in csv.DictReader(handle)
        )


def values_for(category: str) -> list[Value]:
    return [v for v in census_values() if v.category == category]


def choices_for(category: str, dont_know: bool = False) -> list[tuple[str, str]]:
    choices = [(v.value, v.label) for v in values_for(category)]
    if dont_know:
        choices.append((DONT_KNOW, "I do not know"))
    return choices


def label_for(category: str, value: str) -> str:
    if value == DONT_KNOW:
        return "I do not know"
    return next((v.label for v in values_for(category) if v.value == value), value)
