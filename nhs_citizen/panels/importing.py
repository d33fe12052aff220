"""Read a pool and quotas from the CSV files the Sortition Foundation's tools and Panelot use.

- Categories file: columns category, feature, min, max (more columns are ignored).
- Respondents file: an id column, then one column per category; optional address and postcode
  columns make the household key.

Every problem is reported by row, in plain English; nothing is kept if there is any problem.
No Django here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

ID_COLUMNS = ("id", "nationbuilder_id", "person_id", "respondent_id")


@dataclass
class ParsedQuota:
    category: str
    value: str
    minimum: int
    maximum: int


@dataclass
class ParsedPerson:
    external_id: str
    features: dict[str, str]
    address: str = ""
    postcode: str = ""


@dataclass
class ParsedImport:
    quotas: list[ParsedQuota] = field(default_factory=list)
    people: list[ParsedPerson] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    rows = [
        {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader
    ]
    return headers, rows


def parse_categories(text: str, result: ParsedImport) -> None:
    headers, rows = _rows(text)
    lower = {h.lower() for h in headers}
    missing = [c for c in ("category", "feature", "min", "max") if c not in lower]
    if missing:
        result.errors.append(
            f"Categories file: it needs the columns category, feature, min and max. Missing: {', '.join(missing)}."
        )
        return
    seen = set()
    for number, row in enumerate(rows, start=2):
        where = f"Categories file, row {number}"
        category, value = row.get("category", ""), row.get("feature", "")
        if not category or not value:
            result.errors.append(f"{where}: the category and the feature must both be filled in.")
            continue
        try:
            minimum, maximum = int(row.get("min", "")), int(row.get("max", ""))
        except ValueError:
            result.errors.append(f"{where}: min and max must be whole numbers.")
            continue
        if minimum < 0 or maximum < minimum:
            result.errors.append(
                f"{where}: min must be 0 or more, and max must not be less than min."
            )
            continue
        if (category, value) in seen:
            result.errors.append(f"{where}: {category} = {value} is listed twice.")
            continue
        seen.add((category, value))
        result.quotas.append(ParsedQuota(category, value, minimum, maximum))


def parse_respondents(text: str, result: ParsedImport) -> None:
    headers, rows = _rows(text)
    lower = [h.lower() for h in headers]
    id_column = next((c for c in ID_COLUMNS if c in lower), None)
    if id_column is None:
        result.errors.append(
            "Respondents file: it needs an id column (for example, a column called id)."
        )
        return
    categories: dict[str, set[str]] = {}
    for quota in result.quotas:
        categories.setdefault(quota.category, set()).add(quota.value)
    column_for = {}
    for category in categories:
        if category.lower() not in lower:
            result.errors.append(
                f"Respondents file: there is no column for the category {category}."
            )
        else:
            column_for[category] = category.lower()
    if any(e.startswith("Respondents file: there is no column") for e in result.errors):
        return
    seen_ids = set()
    for number, row in enumerate(rows, start=2):
        where = f"Respondents file, row {number}"
        external_id = row.get(id_column, "")
        if not external_id:
            result.errors.append(f"{where}: the id is empty.")
            continue
        if external_id in seen_ids:
            result.errors.append(f"{where}: the id {external_id} is used twice.")
            continue
        seen_ids.add(external_id)
        features = {}
        for category, column in column_for.items():
            value = row.get(column, "")
            if value not in categories[category]:
                allowed = ", ".join(sorted(categories[category]))
                result.errors.append(
                    f"{where}: {category} is “{value}”, which is not one of: {allowed}."
                )
            features[category] = value
        result.people.append(
            ParsedPerson(
                external_id,
                features,
                row.get("address", "") or row.get("address1", ""),
                row.get("postcode", ""),
            )
        )
    if not result.people and not result.errors:
        result.errors.append("Respondents file: it has no people in it.")


def parse_import(categories_text: str, respondents_text: str) -> ParsedImport:
    result = ParsedImport()
    parse_categories(categories_text, result)
    if not result.errors:
        parse_respondents(respondents_text, result)
    return result
