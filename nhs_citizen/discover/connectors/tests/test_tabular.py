import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from nhs_citizen.discover.connectors import (
    FIELDS,
    RowError,
    Table,
    TableError,
    guess_mapping,
    map_rows,
    read_table,
)
from nhs_citizen.discover.connectors.tabular import parse_uk_date

DEFAULT = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)

COMMA = (
    "Comment,Date,Postcode,Group\r\n"
    '"The bus to the hospital, route 12, is always late",21/11/2026,RV1 2AB,Tenants\r\n'
    "Please open the walk-in centre on Sundays,2026-11-20,RV3,\r\n"
    ",21/11/2026,RV1,\r\n"
    "\r\n"
    "Lovely nurses,32/13/2026,,\r\n"
    "Lovely nurses,,,\r\n"
    "Lovely nurses,,,\r\n"
)


def test_csv_comma():
    table = read_table(COMMA.encode(), "notes.csv")
    assert table.headers == ["Comment", "Date", "Postcode", "Group"]
    assert table.rows[0] == [
        "The bus to the hospital, route 12, is always late",
        "21/11/2026",
        "RV1 2AB",
        "Tenants",
    ]
    mapping = guess_mapping(table.headers)
    assert mapping == {
        "text": "Comment",
        "said_at": "Date",
        "place": "Postcode",
        "group": "Group",
        "original_id": None,
    }
    items, errors = map_rows(table, mapping, default_said_at=DEFAULT)
    assert [e.row for e in errors] == [4, 6]
    assert errors[0] == RowError(4, "Row 4: the comment is empty.")
    assert "32/13/2026" in errors[1].message
    assert [i.text for i in items] == [
        "The bus to the hospital, route 12, is always late",
        "Please open the walk-in centre on Sundays",
        "Lovely nurses",
        "Lovely nurses",
    ]
    assert items[0].said_at == datetime(2026, 11, 21, tzinfo=UTC)
    assert items[0].place == "RV1 2AB" and items[0].group == "Tenants"
    assert items[0].url == ""
    assert items[2].said_at == DEFAULT  # blank date: the event's date
    # The same words said twice are two comments.
    assert items[2].original_id != items[3].original_id
    assert all(i.original_id.startswith("sha256:") for i in items)


def test_same_file_twice_gives_same_ids():
    def ids():
        table = read_table(COMMA.encode(), "notes.csv")
        items, _ = map_rows(table, guess_mapping(table.headers), default_said_at=DEFAULT)
        return [i.original_id for i in items]

    assert ids() == ids()
    later_default = datetime(2027, 1, 1, tzinfo=UTC)
    table = read_table(COMMA.encode(), "notes.csv")
    items, _ = map_rows(table, guess_mapping(table.headers), default_said_at=later_default)
    assert [i.original_id for i in items] == ids()


def test_csv_semicolon_and_cp1252_with_pound_sign():
    data = (
        "Ref;What people said;When;Area\r\n"
        "A1;Parking costs \u00a312 a day – too much;21 November 2026;Riverside\r\n"
        "A2;Café staff were rude;21/11/26;Northfield\r\n"
    ).encode("cp1252")
    table = read_table(data, "EVENT NOTES.CSV")
    mapping = guess_mapping(table.headers)
    assert mapping == {
        "text": "What people said",
        "said_at": "When",
        "place": "Area",
        "group": None,
        "original_id": "Ref",
    }
    items, errors = map_rows(table, mapping, default_said_at=DEFAULT)
    assert errors == []
    assert items[0].text == "Parking costs £12 a day – too much"
    assert items[0].original_id == "A1"
    assert items[0].said_at == datetime(2026, 11, 21, tzinfo=UTC)
    assert items[1].text == "Café staff were rude"
    assert items[1].said_at == datetime(2026, 11, 21, tzinfo=UTC)  # 21/11/26, day first


def test_tab_separated_and_utf8_bom():
    data = "\ufeffFeedback\tLocation\nToo long to wait\tEast ward\n".encode()
    table = read_table(data, "x.csv")
    assert table.headers == ["Feedback", "Location"]
    assert table.rows == [["Too long to wait", "East ward"]]


def test_duplicate_ids_in_the_file_are_row_errors():
    table = Table(headers=["ID", "Comment"], rows=[["1", "a"], ["2", "b"], ["1", "c"]])
    items, errors = map_rows(table, guess_mapping(table.headers), default_said_at=DEFAULT)
    assert [i.text for i in items] == ["a", "b"]
    assert errors == [
        RowError(4, "Row 4: the id '1' is also used in row 2. Each row needs its own id.")
    ]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Second sheet").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx():
    data = xlsx_bytes(
        [
            ["Organisation", "Comments", "Date of comment", "Town", "Rating"],
            [
                "Carers Hub",
                "Respite is hard to find",
                datetime(2026, 11, 21, 10, 30),
                "Riverside",
                4,
            ],
            ["Carers Hub", "Thank you to the district nurses", date(2026, 11, 19), "Eastbrook", 5],
            [None, None, None, None, None],
            ["Youth Club", "Mental health help at school", 46347, "Riverside", 3.0],
            ["Youth Club", None, None, None, None],
        ]
    )
    table = read_table(data, "event.xlsx")
    assert table.headers == ["Organisation", "Comments", "Date of comment", "Town", "Rating"]
    assert table.rows[0][2] == "2026-11-21T10:30:00"
    assert table.rows[1][2] == "2026-11-19"
    assert table.rows[3][4] == "3"
    mapping = guess_mapping(table.headers)
    assert mapping == {
        "text": "Comments",
        "said_at": "Date of comment",
        "place": "Town",
        "group": "Organisation",
        "original_id": None,
    }
    items, errors = map_rows(table, mapping, default_said_at=DEFAULT)
    assert errors == [RowError(6, "Row 6: the comment is empty.")]
    assert items[0].said_at == datetime(2026, 11, 21, 10, 30, tzinfo=UTC)  # GMT in November
    assert items[0].group == "Carers Hub" and items[0].place == "Riverside"
    assert items[2].said_at == datetime(2026, 11, 21, tzinfo=UTC)  # an Excel serial number
    again = map_rows(read_table(data, "event.xlsx"), mapping, default_said_at=DEFAULT)[0]
    assert [i.original_id for i in again] == [i.original_id for i in items]


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"PK\x03\x04 not really", "notes.docx", ".csv or .xlsx"),
        (b"\xd0\xcf\x11\xe0", "notes.xls", "old Excel file"),
        (b"", "notes.csv", "empty"),
        (b"\r\n \r\n", "notes.csv", "empty"),
        (b"not a zip", "notes.xlsx", "could not open"),
        (b"Comment,Date\r\n", "notes.csv", "no rows"),
        (b"21/11/2026,Waiting too long\r\n22/11/2026,Nice staff\r\n", "n.csv", "column names"),
        (b"Comment,,Date\r\nA,,B\r\n", "notes.csv", "Column B has no name"),
        (b"Comment,comment\r\nA,B\r\n", "notes.csv", "Two columns are called"),
    ],
)
def test_refusals(data, filename, words):
    with pytest.raises(TableError) as caught:
        read_table(data, filename)
    assert words in caught.value.message


def test_too_many_rows():
    data = ("Comment\n" + "x\n" * 11).encode()
    assert len(read_table(data, "a.csv", max_rows=11).rows) == 11
    with pytest.raises(TableError) as caught:
        read_table(data, "a.csv", max_rows=10)
    assert "more than 10 rows" in caught.value.message
    with pytest.raises(TableError):
        read_table(xlsx_bytes([["Comment"]] + [["x"]] * 11), "a.xlsx", max_rows=10)


def test_blank_column_on_the_right_is_ignored():
    table = read_table(b"Comment,Date,,\r\nHello,21/11/2026,,\r\n", "a.csv")
    assert table.headers == ["Comment", "Date"]
    assert table.rows == [["Hello", "21/11/2026"]]


def test_guess_mapping():
    assert (
        guess_mapping(["FFT answer", "Comment sentiment", "Date", "Person identifiable info?"])[
            "text"
        ]
        == "FFT answer"
    )
    mapping = guess_mapping(["Comment ID", "Comment", "Postcode", "Community group"])
    assert mapping == {
        "text": "Comment",
        "said_at": None,
        "place": "Postcode",
        "group": "Community group",
        "original_id": "Comment ID",
    }
    assert guess_mapping(["Colour", "Size"]) == dict.fromkeys(FIELDS)


def test_map_rows_needs_a_text_column():
    table = Table(headers=["Date"], rows=[["21/11/2026"]])
    with pytest.raises(TableError):
        map_rows(table, {"text": None}, default_said_at=DEFAULT)
    with pytest.raises(TableError):
        map_rows(table, {"text": "Comment"}, default_said_at=DEFAULT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-21", datetime(2026, 11, 21, tzinfo=UTC)),
        ("21/11/2026", datetime(2026, 11, 21, tzinfo=UTC)),
        ("21/11/26", datetime(2026, 11, 21, tzinfo=UTC)),
        ("1/2/2026", datetime(2026, 2, 1, tzinfo=UTC)),
        ("21.11.2026", datetime(2026, 11, 21, tzinfo=UTC)),
        ("21 November 2026", datetime(2026, 11, 21, tzinfo=UTC)),
        ("Saturday 21st Nov 2026", datetime(2026, 11, 21, tzinfo=UTC)),
        ("21/07/2026 14:30", datetime(2026, 7, 21, 13, 30, tzinfo=UTC)),  # BST
        ("2026-07-21T14:30:00", datetime(2026, 7, 21, 13, 30, tzinfo=UTC)),
        ("2026-07-21T14:30:00Z", datetime(2026, 7, 21, 14, 30, tzinfo=UTC)),
        ("46347", datetime(2026, 11, 21, tzinfo=UTC)),
        ("31/02/2026", None),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_parse_uk_date(text, expected):
    assert parse_uk_date(text) == expected
