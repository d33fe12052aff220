"""Spreadsheets of notes typed up by a host after an event (.csv and .xlsx)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .base import MAX_QUESTION, IncomingItem, make_item, one_line
from .text import normalise_whitespace

FIELDS = ("text", "said_at", "place", "group", "original_id", "question")
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


class TableError(Exception):
    """The file cannot be used. The message is plain English for the person uploading it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # row number as a person counts it in a spreadsheet (header = row 1)
    message: str


# --------------------------------------------------------------------------- reading


def read_table(data: bytes, filename: str, *, max_rows: int = 20000) -> Table:
    """The first sheet of a .xlsx file, or a .csv file, as text cells under a header row."""
    name = (filename or "").strip().lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension == "xls":
        raise TableError(
            "This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or .csv."
        )
    if extension not in ("csv", "xlsx"):
        raise TableError(
            "We can only read spreadsheets saved as .csv or .xlsx. "
            "Save your file as one of these and try again."
        )
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise TableError("The file is empty.")
    raw_rows = _read_xlsx(data, max_rows) if extension == "xlsx" else _read_csv(data, max_rows)
    # Trailing blank rows are not rows (spreadsheets often keep formatted empty rows).
    while raw_rows and not any(cell.strip() for cell in raw_rows[-1]):
        raw_rows.pop()
    if not raw_rows:
        raise TableError("The file is empty.")
    header_row, *rows = raw_rows
    headers = [normalise_whitespace(h) for h in header_row]
    width = len(headers)
    # Drop blank columns on the right that have no header and no data.
    while (
        width
        and not headers[width - 1]
        and not any(len(r) >= width and r[width - 1].strip() for r in rows)
    ):
        width -= 1
    headers = headers[:width]
    _check_headers(headers)
    if not rows:
        raise TableError("The file has column names but no rows under them.")
    if len(rows) > max_rows:
        raise TableError(f"The file has more than {max_rows:,} rows. Split it into smaller files.")
    fixed = [[c.strip() for c in (r + [""] * width)[:width]] for r in rows]
    return Table(headers=headers, rows=fixed)


def _check_headers(headers: list[str]) -> None:
    if not headers or not any(headers):
        raise TableError("The first row should have the column names, but it is blank.")
    named = [h for h in headers if h]
    if (
        all(_looks_like_value(h) for h in named)
        or any(parse_uk_date(h) is not None for h in named)
        or any(len(h) > 100 for h in named)
    ):
        raise TableError(
            "The first row should have the column names, like Comment, Date and Postcode. "
            "Add a row of names at the top."
        )
    for index, header in enumerate(headers, start=1):
        if not header:
            raise TableError(
                f"Column {_column_letter(index)} has no name in the first row. "
                "Give it a name or delete the column."
            )
    seen: dict[str, int] = {}
    for index, header in enumerate(headers, start=1):
        key = header.casefold()
        if key in seen:
            raise TableError(
                f"Two columns are called {header!r} (columns {_column_letter(seen[key])} and "
                f"{_column_letter(index)}). Give each column a different name."
            )
        seen[key] = index


def _looks_like_value(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.,:/£$%+-]+", text)) or parse_uk_date(text) is not None


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_csv(data: bytes, max_rows: int) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\x00", "")
    dialect = _sniff(text)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append(row)
            if len(rows) > max_rows + 1 and any(c.strip() for c in row):
                raise TableError(
                    f"The file has more than {max_rows:,} rows. Split it into smaller files."
                )
    except csv.Error:
        raise TableError(
            "We could not read this CSV file. Check it was saved as 'CSV (comma delimited)'."
        ) from None
    return rows


def _sniff(text: str):
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        first = text.splitlines()[0] if text.splitlines() else ""
        delimiter = max(",;\t", key=first.count)

        class Dialect(csv.excel):
            pass

        Dialect.delimiter = delimiter if first.count(delimiter) else ","
        return Dialect


def _read_xlsx(data: bytes, max_rows: int) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableError(
            "We could not open this Excel file. Check it is a .xlsx file and not damaged."
        ) from None
    try:
        if not workbook.worksheets:
            raise TableError("The Excel file has no sheets.")
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        blank_run: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            row = [_cell_text(v) for v in values]
            if not any(row):
                blank_run.append(row)
                continue
            rows.extend(blank_run)
            blank_run = []
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise TableError(
                    f"The file has more than {max_rows:,} rows. Split it into smaller files."
                )
        return rows
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------- mapping

_EXACT = {
    "text": {
        "comment",
        "comments",
        "what people said",
        "what they said",
        "what was said",
        "feedback",
        "text",
        "response",
        "responses",
        "answer",
        "note",
        "notes",
        "quote",
        "quotes",
        "said",
        "message",
        "views",
        "view",
        "story",
        "stories",
        "experience",
        "fft answer",
        "free text",
        "verbatim",
        "remarks",
        "remark",
        "content",
        "body",
    },
    "said_at": {
        "date",
        "when",
        "time",
        "timestamp",
        "date said",
        "said at",
        "datetime",
        "date and time",
        "date time",
        "created",
        "created at",
        "submitted",
        "day",
    },
    "place": {
        "postcode",
        "post code",
        "area",
        "place",
        "location",
        "town",
        "city",
        "region",
        "ward",
        "borough",
        "county",
        "where",
        "district",
        "neighbourhood",
        "locality",
        "village",
        "icb",
        "icb area",
        "venue",
    },
    "group": {
        "group",
        "organisation",
        "organization",
        "community",
        "team",
        "org",
        "charity",
        "network",
        "club",
        "community group",
        "organisation name",
        "group name",
    },
    "original_id": {
        "id",
        "ref",
        "reference",
        "row id",
        "comment id",
        "record id",
        "key",
        "uid",
        "unique id",
        "response id",
        "ref no",
        "reference number",
    },
    # The question each comment answers (a Friends and Family Test export has one per row).
    "question": {
        "question",
        "questions",
        "question asked",
        "question text",
        "question wording",
        "the question",
        "prompt",
        "prompts",
        "fft question",
        "survey question",
        "what was asked",
        "asked",
    },
}
_KEYWORDS = {
    "text": {
        "comment",
        "comments",
        "said",
        "feedback",
        "text",
        "response",
        "answer",
        "note",
        "notes",
        "quote",
        "message",
        "view",
        "views",
        "story",
        "experience",
        "verbatim",
    },
    "said_at": {"date", "when", "time", "timestamp", "day", "created", "submitted", "received"},
    "place": {
        "postcode",
        "area",
        "place",
        "location",
        "town",
        "city",
        "region",
        "ward",
        "borough",
        "county",
        "where",
        "district",
        "neighbourhood",
        "locality",
        "venue",
    },
    "group": {
        "group",
        "organisation",
        "organization",
        "community",
        "team",
        "org",
        "charity",
        "network",
        "club",
    },
    "original_id": {"id", "ref", "reference", "uid", "key"},
    "question": {"question", "questions", "prompt", "asked"},
}
# Words that mean a column is about something else, even if it has a keyword.
_BLOCKERS = {
    "text": {
        "id",
        "ref",
        "date",
        "sentiment",
        "score",
        "rating",
        "code",
        "category",
        "type",
        "label",
        "number",
        "theme",
        "topic",
        "subcategory",
        "identifiable",
    },
    "said_at": {"id", "birth", "dob", "updated"},
    "place": {"id"},
    "group": {"id", "age"},
    "original_id": {"date", "postcode"},
    # A column with a word for what people said holds the answers, never the question
    # ("Answer to question 1", "Comments on the question").
    "question": {
        "id",
        "ref",
        "code",
        "number",
        "no",
        "date",
        "type",
        "category",
        "sentiment",
        "score",
        "rating",
        *_KEYWORDS["text"],
    },
}


def _tokens(header: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", header.casefold())


def guess_mapping(headers: list[str]) -> dict[str, str | None]:
    """Our best guess at which column holds each field (None when nothing fits)."""
    scored: list[tuple[int, int, str, str]] = []
    for position, header in enumerate(headers):
        tokens = _tokens(header)
        phrase = " ".join(tokens)
        for fieldname in FIELDS:
            if phrase in _EXACT[fieldname]:
                score = 100
            else:
                hits = set(tokens) & _KEYWORDS[fieldname]
                if not hits or set(tokens) & _BLOCKERS[fieldname]:
                    continue
                score = 10 * len(hits) - (len(tokens) - len(hits))
            scored.append((score, -position, fieldname, header))
    mapping: dict[str, str | None] = dict.fromkeys(FIELDS)
    used: set[str] = set()
    for _score, _pos, fieldname, header in sorted(scored, reverse=True):
        if mapping[fieldname] is None and header not in used:
            mapping[fieldname] = header
            used.add(header)
    return mapping


# --------------------------------------------------------------------------- rows to items

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?"


def parse_uk_date(value: str) -> datetime | None:
    """A UTC datetime from the ways people in the UK write dates: 2026-11-21, 21/11/2026,
    21/11/26, 21-11-2026, 21.11.2026, 21 November 2026, 21 Nov 2026, Saturday 21st November
    2026, with an optional time, or an ISO date-time. Day first. A date with no time is midnight
    UTC (the same day everywhere in the UK). Times with no zone are UK time."""
    text = normalise_whitespace(str(value or "")).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        if ":" not in text:  # a bare date
            return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=LONDON)
        return parsed.astimezone(UTC)
    match = re.fullmatch(
        r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4}),?" + _TIME, text
    )
    if not match:
        cleaned = re.sub(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+", "", text.casefold())
        match = re.fullmatch(
            r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[a-z]+)\.?,?\s+(?P<y>\d{4}),?"
            + _TIME.replace("[ T]", "[ T]+(?:at\\s+)?"),
            cleaned,
        )
        if not match or match.group("mon") not in _MONTHS:
            return _excel_serial(text)
        month = _MONTHS[match.group("mon")]
    else:
        month = int(match.group("m"))
    year = int(match.group("y"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        day = date(year, month, int(match.group("d")))
    except ValueError:
        return None
    if match.group("h") is None:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        local = datetime.combine(
            day, time(int(match.group("h")), int(match.group("mi")), int(match.group("s") or 0))
        )
    except ValueError:
        return None
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def _excel_serial(text: str) -> datetime | None:
    """Excel stores dates as days since 30 December 1899; CSV exports sometimes keep them."""
    if not re.fullmatch(r"\d{5}(\.\d+)?", text):
        return None
    serial = float(text)
    if not 20000 <= serial <= 80000:  # 1954 to 2119
        return None
    moment = datetime(1899, 12, 30) + timedelta(days=serial)
    if moment.time() == time(0, 0):
        return moment.replace(tzinfo=UTC)
    return moment.replace(tzinfo=LONDON).astimezone(UTC)


def map_rows(
    table: Table, mapping: dict[str, str | None], *, default_said_at: datetime
) -> tuple[list[IncomingItem], list[RowError]]:
    """Items from the rows, using ``mapping`` (field -> column name). Rows with a problem are
    left out and listed in the errors; blank rows are skipped without an error. A row's
    question, when the file has a question column, is the question its comment answers."""
    columns: dict[str, int | None] = {}
    lookup = {h.casefold(): i for i, h in enumerate(table.headers)}
    for fieldname in FIELDS:
        header = mapping.get(fieldname)
        if header in (None, ""):
            columns[fieldname] = None
            continue
        if header.casefold() not in lookup:
            raise TableError(f"There is no column called {header!r} in the file.")
        columns[fieldname] = lookup[header.casefold()]
    if columns["text"] is None:
        raise TableError("Choose the column that has what people said.")
    if default_said_at.tzinfo is None:
        default_said_at = default_said_at.replace(tzinfo=LONDON)
    default_said_at = default_said_at.astimezone(UTC)

    items: list[IncomingItem] = []
    errors: list[RowError] = []
    first_row_of_id: dict[str, int] = {}
    repeats: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        number = index + 2  # the header is row 1
        if not any(cell.strip() for cell in row):
            continue

        def cell(fieldname: str, row=row) -> str:
            position = columns[fieldname]
            return row[position].strip() if position is not None and position < len(row) else ""

        text = normalise_whitespace(cell("text"))
        if not text:
            errors.append(RowError(number, f"Row {number}: the comment is empty."))
            continue
        raw_date = cell("said_at")
        if raw_date:
            said_at = parse_uk_date(raw_date)
            if said_at is None:
                errors.append(
                    RowError(
                        number,
                        f"Row {number}: we could not read the date {raw_date!r}. "
                        "Write it like 21/11/2026.",
                    )
                )
                continue
        else:
            said_at = default_said_at
        question = one_line(cell("question"))
        if len(question) > MAX_QUESTION:
            errors.append(
                RowError(
                    number,
                    f"Row {number}: the question must be {MAX_QUESTION} characters or fewer.",
                )
            )
            continue
        place, group = cell("place"), cell("group")
        given_id = cell("original_id")
        if given_id:
            original_id = given_id
        else:
            # The question only counts when there is one, so files without one keep their ids.
            values = "\x1f".join([text, raw_date, place, group] + ([question] if question else []))
            digest = hashlib.sha256(values.encode("utf-8")).hexdigest()
            # The same words said twice at an event are two comments, not one.
            count = repeats.get(digest, 0)
            repeats[digest] = count + 1
            if count:
                digest = hashlib.sha256(f"{values}\x1f{count}".encode()).hexdigest()
            original_id = "sha256:" + digest
        if original_id in first_row_of_id:
            errors.append(
                RowError(
                    number,
                    f"Row {number}: the id {given_id!r} is also used in row "
                    f"{first_row_of_id[original_id]}. Each row needs its own id.",
                )
            )
            continue
        first_row_of_id[original_id] = number
        items.append(
            make_item(original_id, text, said_at, place=place, group=group, question=question)
        )
    return items, errors
