"""Turn a categories file and a people file, in any layout ``formats`` knows, into what an
imported pool keeps: quotas, each person's id and categories, and a keyed hash of their
household. Nothing else from the files is kept (no names, no addresses), and the preview shown
before anything is saved names rows, never addresses.

Every problem is reported by row, in plain English; nothing is kept if there is any problem.
No Django here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from nhs_citizen.panels import formats
from nhs_citizen.panels.households import hash_household

SHARED_EXAMPLES = 5
PARTIAL_EXAMPLES = 10
SKIPPED_SHOWN = 30


@dataclass
class PreparedImport:
    """An import checked and ready to save: JSON-safe, so it can wait in the session between
    the preview and the confirmation. Holds no address and no name."""

    source: dict
    quotas: list[list]  # [category, value, min, max]
    categories: list[str]
    people: list[list]  # [external_id, [value for each category], household hash or ""]
    preview: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PreparedImport:
        return cls(**data)

    def features(self, person: list) -> dict[str, str]:
        return dict(zip(self.categories, person[1], strict=True))


def _preview(read: formats.ReadFiles) -> dict:
    people = read.people
    households = read.households
    assert households is not None
    partial = households.partial_rows(people.people)
    return {
        "layout": read.layout,
        "layout_name": formats.LAYOUT_NAMES[read.layout],
        "id_column": people.id_column,
        "numbered": people.numbered,
        "people": len(people.people),
        "has_flex": read.categories.has_flex,
        "address_columns": people.address_columns,
        "town_columns": people.town_columns,
        "postcode_columns": people.postcode_columns,
        "households_checked": households.checked,
        "households": households.households,
        "shared_households": len(households.shared),
        "people_sharing": sum(len(rows) for rows in households.shared),
        "shared_examples": [rows[:6] for rows in households.shared[:SHARED_EXAMPLES]],
        "partial_count": len(partial),
        "partial_counts": households.partial_counts(),
        "partial_examples": partial[:PARTIAL_EXAMPLES],
        "skipped_count": len(people.skipped),
        "skipped": people.skipped[:SKIPPED_SHOWN],
    }


def prepare_import(
    categories_text: str, people_text: str, secret: str
) -> tuple[PreparedImport | None, list[str]]:
    """The prepared import, or None and every problem found."""
    read = formats.read_files(categories_text, people_text)
    if read.errors:
        return None, read.errors
    categories = read.categories.categories
    households = read.households
    assert households is not None
    people = [
        [
            person.external_id,
            [person.features[c] for c in categories],
            hash_household(message, secret) if message is not None else "",
        ]
        for person, message in zip(read.people.people, households.messages, strict=True)
    ]
    prepared = PreparedImport(
        source=read.describe(),
        quotas=[[q.category, q.value, q.minimum, q.maximum] for q in read.categories.quotas],
        categories=categories,
        people=people,
        preview=_preview(read),
    )
    return prepared, []
