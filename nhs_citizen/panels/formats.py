"""The CSV layouts of the tools people already use to choose panels by lot, read and written
unchanged. No Django here.

Three layouts of the categories (targets, quotas) file are known:

- **sortition-algorithms** (the Sortition Foundation's library and its command line):
  ``feature, value, min, max`` and optionally ``min_flex, max_flex``. Newer versions also call
  the value column ``category value`` (or ``category_value``, ``category-value``).
- **Stratification app** (the Sortition Foundation's older "stratselect" app, and OpenDLP):
  ``category, name, min, max`` and optionally ``min_flex, max_flex``.
- **Panelot** (and the replication files of Flanigan et al. 2021): ``category, feature, min, max``.

Other columns (a Notes column, say) are ignored. Column names are matched without regard to
capitals, spaces or hyphens. ``min_flex`` and ``max_flex`` are checked but not used: a draw here
always keeps to ``min`` and ``max``.

The people (respondents) file has one column for each category, named as in the categories file.
Its id column is found under the names those tools use (``ID_COLUMN_NAMES``); a file with none
(Panelot's own files have none) is numbered 1 to n in file order, person 1 being the first row
under the headings. Address and postcode columns are found under the names the Sortition
Foundation uses (``primary_address1``, ``zip_royal_mail``, ``primary_zip``, ``primary_city``, ...)
and the usual plain ones (``address``, ``postcode``, ``town``, ...).

Households (``group_households``), so that one person per household is ever chosen:

1. First line of the address and postcode both given: one household per (normalised first line,
   postcode). "Flat 2, 12 High Street" and "flat 2 12 high st" are the same household; the second
   address line is not used (the Sortition Foundation's tools compare ``primary_address1`` and the
   postcode in the same way).
2. First line but no postcode: grouped by (first line, town) when there is a town; without a town
   the person is a household of their own.
3. Postcode but no first line: a household of their own. A postcode alone never joins anyone:
   a postcode covers a whole street.
4. Neither: a household of their own.

Exports (``stored_people_table``, ``split_people_file``) write the selected and the remaining
people in the layout the pool came from: the id column first, then the columns of the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from nhs_citizen.panels.households import (
    household_message,
    normalise_address,
    normalise_postcode,
    town_household_message,
)

SORTITION_ALGORITHMS = "sortition_algorithms"
STRATIFICATION_APP = "stratification_app"
PANELOT = "panelot"

LAYOUT_NAMES = {
    SORTITION_ALGORITHMS: "Sortition Foundation's sortition-algorithms library (columns feature, value, min, max)",
    STRATIFICATION_APP: "Sortition Foundation's stratification app or OpenDLP (columns category, name, min, max)",
    PANELOT: "Panelot (columns category, feature, min, max)",
}

# In order of preference: the first one a file has is used.
ID_COLUMN_NAMES = (
    "nationbuilder_id",
    "pool_member_identifier",
    "pool_member_id",
    "id",
    "person_id",
    "respondent_id",
    "participant_id",
    "unique_id",
    "external_id",
    "identifier",
    "uid",
)
ADDRESS_COLUMN_NAMES = (
    "primary_address1",
    "address1",
    "address_1",
    "address_line_1",
    "address_line1",
    "addressline1",
    "address_line_one",
    "street_address",
    "address",
    "full_address",
)
TOWN_COLUMN_NAMES = ("primary_city", "city", "town", "town_city", "town_or_city", "locality")
# zip_royal_mail first: the Sortition Foundation's settings compare it when a file has both.
POSTCODE_COLUMN_NAMES = (
    "zip_royal_mail",
    "primary_zip",
    "postcode",
    "post_code",
    "postal_code",
    "zip",
    "zip_code",
    "zipcode",
)
VALUE_COLUMN_NAMES = ("value", "category_value")
NUMBER_COLUMN = "row"
MAX_PROBLEMS = 30


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def _read(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows, with cells stripped. Empty lines are kept out by csv."""
    reader = csv.reader(io.StringIO((text or "").lstrip("\ufeff")))
    rows = [[cell.strip() for cell in row] for row in reader]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index]


def _whole_number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


# Categories ----------------------------------------------------------------------------------


@dataclass
class Quota:
    category: str
    value: str
    minimum: int
    maximum: int


@dataclass
class CategoriesFile:
    layout: str | None = None
    category_column: str = ""
    value_column: str = ""
    has_flex: bool = False
    quotas: list[Quota] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(q.category for q in self.quotas))


def detect_categories_layout(header: list[str]) -> tuple[str | None, str, str]:
    """(layout, category column, value column) from the normalised header, or (None, "", "")."""
    names = {normalise_header(h) for h in header}
    if "category" in names and "feature" in names:
        return PANELOT, "category", "feature"
    if "category" in names and "name" in names:
        return STRATIFICATION_APP, "category", "name"
    value = next((v for v in VALUE_COLUMN_NAMES if v in names), None)
    if value and ("feature" in names or "category" in names):
        return SORTITION_ALGORITHMS, "feature" if "feature" in names else "category", value
    return None, "", ""


def read_categories(text: str) -> CategoriesFile:
    result = CategoriesFile()
    header, rows = _read(text)
    if not header:
        result.errors.append("Categories file: it is empty.")
        return result
    layout, category_column, value_column = detect_categories_layout(header)
    if layout is None:
        result.errors.append(
            "Categories file: we could not tell which tool it is from. It needs the columns "
            "feature, value, min and max (sortition-algorithms), or category, name, min and max "
            "(the stratification app or OpenDLP), or category, feature, min and max (Panelot)."
        )
        return result
    normalised = [normalise_header(h) for h in header]
    repeated = sorted(
        {
            n
            for n in normalised
            if normalised.count(n) > 1
            and n in {category_column, value_column, "min", "max", "min_flex", "max_flex"}
        }
    )
    if repeated:
        result.errors.append(
            f"Categories file: these columns are there more than once: {', '.join(repeated)}."
        )
        return result
    missing = [c for c in ("min", "max") if c not in normalised]
    if missing:
        result.errors.append(
            f"Categories file: it needs the columns min and max. Missing: {', '.join(missing)}."
        )
        return result
    result.layout, result.category_column, result.value_column = (
        layout,
        category_column,
        value_column,
    )
    position = {n: i for i, n in enumerate(normalised)}
    result.has_flex = "min_flex" in position and "max_flex" in position
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(rows, start=2):
        category = _cell(row, position[category_column])
        value = _cell(row, position[value_column])
        if not category:
            # The Sortition Foundation's tools skip rows with no category (blank or note rows).
            continue
        where = f"Categories file, row {number}"
        if not value:
            result.errors.append(f"{where}: the {value_column} for {category} is empty.")
            continue
        minimum = _whole_number(_cell(row, position["min"]))
        maximum = _whole_number(_cell(row, position["max"]))
        if minimum is None or maximum is None:
            result.errors.append(f"{where}: min and max must be whole numbers.")
            continue
        if minimum < 0 or maximum < minimum:
            result.errors.append(
                f"{where}: min must be 0 or more, and max must not be less than min."
            )
            continue
        if result.has_flex:
            min_flex = _whole_number(_cell(row, position["min_flex"]))
            max_flex = _whole_number(_cell(row, position["max_flex"]))
            if min_flex is None or max_flex is None:
                result.errors.append(f"{where}: min_flex and max_flex must be whole numbers.")
                continue
            if min_flex > minimum or max_flex < maximum:
                result.errors.append(
                    f"{where}: min_flex must not be more than min, and max_flex must not be less than max."
                )
                continue
        key = (category.casefold(), value.casefold())
        if key in seen:
            result.errors.append(f"{where}: {category} = {value} is listed twice.")
            continue
        seen.add(key)
        result.quotas.append(Quota(category, value, minimum, maximum))
    if not result.quotas and not result.errors:
        result.errors.append("Categories file: it has no categories in it.")
    return result


# People --------------------------------------------------------------------------------------


@dataclass
class Person:
    number: int  # 1 for the first row under the headings
    external_id: str
    features: dict[str, str]
    address: str = ""
    town: str = ""
    postcode: str = ""

    @property
    def row(self) -> int:
        """The row in a spreadsheet, the headings being row 1."""
        return self.number + 1


@dataclass
class PeopleFile:
    id_column: str | None = None  # as spelt in the file; None: people were numbered
    category_columns: dict[str, str] = field(default_factory=dict)  # category -> column
    address_columns: list[str] = field(default_factory=list)
    town_columns: list[str] = field(default_factory=list)
    postcode_columns: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    errors: list[str] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        return self.id_column is None


def _columns_named(normalised: list[str], names: tuple[str, ...], taken: set[int]) -> list[int]:
    found = []
    for name in names:
        for index, column in enumerate(normalised):
            if column == name and index not in taken and index not in found:
                found.append(index)
    return found


def find_id_column(header: list[str], taken: set[int] = frozenset()) -> int | None:
    normalised = [normalise_header(h) for h in header]
    found = _columns_named(normalised, ID_COLUMN_NAMES, set(taken))
    return found[0] if found else None


def _first_filled(row: list[str], indexes: list[int]) -> str:
    return next((row[i] for i in indexes if _cell(row, i)), "")


def read_people(text: str, categories: CategoriesFile) -> PeopleFile:
    result = PeopleFile()
    header, rows = _read(text)
    if not header:
        result.errors.append("People file: it is empty.")
        return result
    normalised = [normalise_header(h) for h in header]
    category_index: dict[str, int] = {}
    for category in categories.categories:
        matches = [i for i, h in enumerate(normalised) if h == normalise_header(category)]
        if not matches:
            result.errors.append(f"People file: there is no column for the category {category}.")
        elif len(matches) > 1:
            result.errors.append(
                f"People file: there is more than one column for the category {category}."
            )
        else:
            category_index[category] = matches[0]
    if result.errors:
        return result
    taken = set(category_index.values())
    id_index = find_id_column(header, taken)
    if id_index is not None:
        result.id_column = header[id_index]
        taken.add(id_index)
    address = _columns_named(normalised, ADDRESS_COLUMN_NAMES, taken)
    town = _columns_named(normalised, TOWN_COLUMN_NAMES, taken)
    postcode = _columns_named(normalised, POSTCODE_COLUMN_NAMES, taken)
    result.category_columns = {c: header[i] for c, i in category_index.items()}
    result.address_columns = [header[i] for i in address]
    result.town_columns = [header[i] for i in town]
    result.postcode_columns = [header[i] for i in postcode]
    allowed: dict[str, dict[str, str]] = defaultdict(dict)
    for quota in categories.quotas:
        allowed[quota.category][quota.value.casefold()] = quota.value
    seen_ids: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        spreadsheet_row = number + 1
        where = f"People file, row {spreadsheet_row}"
        if not any(row):
            result.skipped.append((spreadsheet_row, "the row is empty"))
            continue
        if id_index is None:
            external_id = str(number)
        else:
            external_id = _cell(row, id_index)
            if not external_id:
                # As the Sortition Foundation's tools do: a row with no id is left out.
                result.skipped.append((spreadsheet_row, f"the {result.id_column} is empty"))
                continue
            if len(external_id) > 100:
                result.errors.append(f"{where}: the id is longer than 100 characters.")
                continue
            if external_id in seen_ids:
                result.errors.append(
                    f"{where}: the id {external_id} is used twice (also on row {seen_ids[external_id]})."
                )
                continue
            seen_ids[external_id] = spreadsheet_row
        features = {}
        for category, index in category_index.items():
            value = _cell(row, index)
            canonical = allowed[category].get(value.casefold())
            if canonical is None:
                choices = ", ".join(sorted(allowed[category].values()))
                result.errors.append(
                    f"{where}: {category} is “{value}”, which is not one of: {choices}."
                )
            features[category] = canonical or value
        result.people.append(
            Person(
                number=number,
                external_id=external_id,
                features=features,
                address=_first_filled(row, address),
                town=_first_filled(row, town),
                postcode=_first_filled(row, postcode),
            )
        )
    if not result.people and not result.errors:
        result.errors.append("People file: it has no people in it.")
    return result


# Households ----------------------------------------------------------------------------------

FULL_ADDRESS = "full"
NO_POSTCODE_WITH_TOWN = "no_postcode_with_town"
NO_POSTCODE_NO_TOWN = "no_postcode_no_town"
NO_ADDRESS_WITH_POSTCODE = "no_address_with_postcode"
NO_ADDRESS = "no_address"

PARTIAL_REASONS = {
    NO_POSTCODE_WITH_TOWN: "no postcode: grouped by the first line of the address and the town",
    NO_POSTCODE_NO_TOWN: "no postcode and no town: counted as a household of one",
    NO_ADDRESS_WITH_POSTCODE: "a postcode but no address: counted as a household of one (a postcode alone covers a whole street)",
    NO_ADDRESS: "no address: counted as a household of one",
}


@dataclass
class Households:
    """Who lives with whom. ``messages[i]`` is what is hashed into person i's household key
    (None: a household of one); the preview names rows, never addresses."""

    messages: list[str | None]
    kinds: list[str]
    shared: list[list[int]]  # spreadsheet rows of each household of two or more
    households: int
    checked: bool  # False when the file has no address or postcode columns at all

    def partial_rows(self, people: list[Person]) -> list[tuple[int, str]]:
        return [
            (person.row, PARTIAL_REASONS[kind])
            for person, kind in zip(people, self.kinds, strict=True)
            if kind in PARTIAL_REASONS
        ]

    def partial_counts(self) -> dict[str, int]:
        counts = Counter(k for k in self.kinds if k in PARTIAL_REASONS)
        return {PARTIAL_REASONS[k]: n for k, n in counts.items()}


def household_kind(person: Person) -> str:
    has_address = bool(normalise_address(person.address))
    has_postcode = bool(normalise_postcode(person.postcode))
    if has_address and has_postcode:
        return FULL_ADDRESS
    if has_address:
        return NO_POSTCODE_WITH_TOWN if normalise_address(person.town) else NO_POSTCODE_NO_TOWN
    return NO_ADDRESS_WITH_POSTCODE if has_postcode else NO_ADDRESS


def group_households(people: list[Person], checked: bool = True) -> Households:
    messages: list[str | None] = []
    kinds: list[str] = []
    for person in people:
        kind = household_kind(person) if checked else NO_ADDRESS
        kinds.append(kind if checked else "unchecked")
        if kind == FULL_ADDRESS:
            messages.append(household_message(person.address, person.postcode))
        elif kind == NO_POSTCODE_WITH_TOWN:
            messages.append(town_household_message(person.address, person.town))
        else:
            messages.append(None)
    rows_by_message: dict[str, list[int]] = defaultdict(list)
    for person, message in zip(people, messages, strict=True):
        if message is not None:
            rows_by_message[message].append(person.row)
    shared = [rows for rows in rows_by_message.values() if len(rows) > 1]
    alone = sum(1 for m in messages if m is None)
    return Households(
        messages=messages,
        kinds=kinds,
        shared=shared,
        households=len(rows_by_message) + alone,
        checked=checked,
    )


# The whole import ----------------------------------------------------------------------------


@dataclass
class ReadFiles:
    categories: CategoriesFile
    people: PeopleFile
    households: Households | None = None

    @property
    def errors(self) -> list[str]:
        errors = self.categories.errors + self.people.errors
        if len(errors) > MAX_PROBLEMS:
            errors = errors[:MAX_PROBLEMS] + [
                f"And {len(errors) - MAX_PROBLEMS} more problems like these."
            ]
        return errors

    @property
    def layout(self) -> str | None:
        return self.categories.layout

    def describe(self) -> dict:
        """What the pool came from, to write the people out again in the same layout. Column
        names only: nothing about any person."""
        categories = self.categories
        people = self.people
        return {
            "layout": categories.layout,
            "category_column": categories.category_column,
            "value_column": categories.value_column,
            "id_column": people.id_column,
            "numbered": people.numbered,
            "category_columns": people.category_columns,
        }


def read_files(categories_text: str, people_text: str) -> ReadFiles:
    categories = read_categories(categories_text)
    people = PeopleFile()
    result = ReadFiles(categories, people)
    if categories.errors:
        return result
    result.people = read_people(people_text, categories)
    if not result.people.errors:
        checked = bool(result.people.address_columns or result.people.postcode_columns)
        result.households = group_households(result.people.people, checked=checked)
    return result


# Exports -------------------------------------------------------------------------------------


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def id_header(source: dict) -> str:
    return source.get("id_column") or NUMBER_COLUMN


def stored_people_table(source: dict, people: list[tuple[str, dict[str, str]]]) -> list[list[str]]:
    """The id and the category columns, as the tool wrote them: the id column first (for a pool
    that was numbered, a ``row`` column with the person's number), then the categories."""
    columns = source.get("category_columns") or {}
    categories = list(columns) or sorted({k for _, features in people for k in features})
    rows = [[id_header(source), *(columns.get(c, c) for c in categories)]]
    for external_id, features in people:
        rows.append([external_id, *(features.get(c, "") for c in categories)])
    return rows


@dataclass
class SplitFile:
    header: list[str] = field(default_factory=list)
    selected: list[list[str]] = field(default_factory=list)
    remaining: list[list[str]] = field(default_factory=list)
    left_out: list[list[str]] = field(default_factory=list)  # rows not in the pool
    errors: list[str] = field(default_factory=list)


def split_people_file(
    text: str,
    source: dict,
    pool: dict[str, dict[str, str]],
    selected: set[str],
) -> SplitFile:
    """The original people file, every column and row unchanged, split into the people selected
    and the rest of the pool. Rows are matched to the pool by id (or by row number when the pool
    was numbered), and each row's categories must be the ones the pool has for that person, so a
    different file is refused rather than split wrongly."""
    result = SplitFile()
    header, rows = _read(text)
    if not header:
        result.errors.append("The file is empty.")
        return result
    result.header = header
    normalised = [normalise_header(h) for h in header]
    columns = source.get("category_columns") or {}
    category_index = {}
    for category, column in columns.items():
        if normalise_header(column) not in normalised:
            result.errors.append(
                f"The file has no column {column}. Upload the people file this pool was imported from."
            )
        else:
            category_index[category] = normalised.index(normalise_header(column))
    id_index = None
    if not source.get("numbered"):
        wanted = normalise_header(source.get("id_column") or "")
        if wanted not in normalised:
            result.errors.append(
                f"The file has no {source.get('id_column')} column. Upload the people file this pool was imported from."
            )
        else:
            id_index = normalised.index(wanted)
    if result.errors:
        return result
    found: set[str] = set()
    for number, row in enumerate(rows, start=1):
        spreadsheet_row = number + 1
        key = str(number) if source.get("numbered") else _cell(row, id_index)
        if not any(row):
            continue
        if key not in pool:
            if source.get("numbered"):
                result.errors.append(f"Row {spreadsheet_row}: the pool has no person {key}.")
            else:
                # Rows left out at the import (no id), or people who have left the pool.
                result.left_out.append(row)
            continue
        if key in found:
            result.errors.append(f"Row {spreadsheet_row}: the id {key} is used twice.")
            continue
        differs = [
            c
            for c, i in category_index.items()
            if _cell(row, i).casefold() != pool[key].get(c, "").casefold()
        ]
        if differs:
            result.errors.append(
                f"Row {spreadsheet_row}: the answers for {', '.join(differs)} are not the ones in the pool. Is this the same file?"
            )
            continue
        found.add(key)
        (result.selected if key in selected else result.remaining).append(row)
    missing = len(set(pool) - found)
    if missing and not result.errors:
        result.errors.append(
            f"{missing} {'person' if missing == 1 else 'people'} in the pool "
            f"{'is' if missing == 1 else 'are'} not in the file. Upload the whole people file this pool was imported from."
        )
    if len(result.errors) > MAX_PROBLEMS:
        result.errors = result.errors[:MAX_PROBLEMS] + [
            f"And {len(result.errors) - MAX_PROBLEMS} more problems like these."
        ]
    return result
