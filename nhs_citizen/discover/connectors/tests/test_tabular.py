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
        "question": None,
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
        "question": None,
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
        "question": None,
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
        "question": None,
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


# The question each comment answers -----------------------------------------------------------

FFT_HEADERS = [
    "Comment ID",
    "Trust",
    "Respondent ID",
    "Date",
    "FFT categorical answer",
    "FFT question",
    "FFT answer",
    "Person identifiable info?",
    "Comment sentiment",
]


def test_guess_mapping_finds_the_question_column_of_an_fft_export():
    mapping = guess_mapping(FFT_HEADERS)
    assert mapping["question"] == "FFT question"
    assert mapping["text"] == "FFT answer"
    assert mapping["original_id"] == "Comment ID" and mapping["said_at"] == "Date"


@pytest.mark.parametrize(
    ("headers", "text", "question"),
    [
        (["Question", "Answer"], "Answer", "Question"),
        (["Prompt", "What people said"], "What people said", "Prompt"),
        (["Comments", "Question asked"], "Comments", "Question asked"),
        (["Feedback", "Question text"], "Feedback", "Question text"),
        (["What was asked", "What was said"], "What was said", "What was asked"),
        # A column of answers is never the question, whatever else it says.
        (["Answer to question", "Question number"], "Answer to question", None),
        (["Comments on the question", "Date"], "Comments on the question", None),
        (["Response to question"], "Response to question", None),
        (["Text", "Question ID"], "Text", None),
        (["Comment", "Date"], "Comment", None),
    ],
)
def test_guess_mapping_never_takes_the_comments_for_the_question(headers, text, question):
    mapping = guess_mapping(headers)
    assert mapping["text"] == text
    assert mapping["question"] == question


FFT_CSV = (
    "Comment ID,FFT question,FFT answer\r\n"
    "1,What was good?,Nothing\r\n"
    '2,"  What could   we do\nbetter?  ",Nothing\r\n'
    "3,,The car park was full\r\n"
)


def test_map_rows_gives_each_item_the_question_of_its_row():
    table = read_table(FFT_CSV.encode(), "fft.csv")
    items, errors = map_rows(table, guess_mapping(table.headers), default_said_at=DEFAULT)
    assert errors == []
    assert [(i.text, i.question) for i in items] == [
        ("Nothing", "What was good?"),
        ("Nothing", "What could we do better?"),  # on one line, spaces tidied
        ("The car park was full", ""),  # no question in this row
    ]


def test_map_rows_without_a_question_column_gives_no_question():
    table = read_table(FFT_CSV.encode(), "fft.csv")
    mapping = {**guess_mapping(table.headers), "question": None}
    items, errors = map_rows(table, mapping, default_said_at=DEFAULT)
    assert errors == [] and len(items) == 3
    assert {i.question for i in items} == {""}


def test_the_same_words_under_two_questions_are_two_comments_and_ids_stay_the_same():
    csv_text = "Question,Comment\r\nWhat was good?,Nothing\r\nWhat could we do better?,Nothing\r\n"
    table = read_table(csv_text.encode(), "a.csv")
    items, _ = map_rows(table, guess_mapping(table.headers), default_said_at=DEFAULT)
    reversed_table = Table(table.headers, list(reversed(table.rows)))
    again, _ = map_rows(reversed_table, guess_mapping(table.headers), default_said_at=DEFAULT)
    # Each row's id comes from its own question, not from where it is in the file.
    assert {(i.question, i.original_id) for i in items} == {
        (i.question, i.original_id) for i in again
    }
    assert items[0].original_id != items[1].original_id
    # A file with no question column keeps the ids it had before questions were read.
    plain = read_table(b"Comment\r\nNothing\r\n", "b.csv")
    no_question, _ = map_rows(plain, {"text": "Comment"}, default_said_at=DEFAULT)
    with_blank, _ = map_rows(
        Table(["Comment", "Question"], [["Nothing", ""]]),
        {"text": "Comment", "question": "Question"},
        default_said_at=DEFAULT,
    )
    assert no_question[0].original_id == with_blank[0].original_id


def test_a_question_over_300_characters_is_a_row_problem():
    long_question = "Why " + "really " * 60 + "?"
    assert len(long_question) > 300
    table = Table(
        ["Question", "Comment"],
        [
            ["What was good?", "Kind staff"],
            [long_question, "Nothing"],
            ["Q" * 300, "Fine"],  # exactly 300 is allowed
        ],
    )
    items, errors = map_rows(table, guess_mapping(table.headers), default_said_at=DEFAULT)
    assert errors == [RowError(3, "Row 3: the question must be 300 characters or fewer.")]
    assert [i.text for i in items] == ["Kind staff", "Fine"]
    assert items[1].question == "Q" * 300


def test_an_item_made_by_a_connector_keeps_its_question_short_and_on_one_line():
    from nhs_citizen.discover.connectors.base import make_item

    item = make_item("1", "Nothing", None, question="  What was\n good?  " + "x" * 400)
    assert item.question.startswith("What was good? x") and len(item.question) == 300
    assert make_item("2", "Nothing", None).question == ""
