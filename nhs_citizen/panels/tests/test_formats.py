"""The files of the Sortition Foundation's tools and Panelot, read unchanged (no database).

Each sample is written from the tool's documentation; where the tool is installed (the
sortition-algorithms library is a development dependency) the sample is first read by the tool
itself, so the test cannot pass on a file the tool would refuse."""

import csv
import io

import pytest
from sortition_algorithms.features import read_in_features
from sortition_algorithms.people import read_in_people
from sortition_algorithms.settings import Settings

from nhs_citizen.panels import formats
from nhs_citizen.panels.importing import prepare_import

# sortition-algorithms: features file (docs/concepts.md, tests/fixtures/features.csv) and a
# candidates file with the default settings' columns (id_column nationbuilder_id, address
# columns primary_address1 and zip_royal_mail, columns_to_keep first_name, ...).
SA_FEATURES = """feature,value,min,max,min_flex,max_flex
Gender,Female,1,2,0,3
Gender,Male,1,2,0,3
age_bracket,16-29,1,2,0,3
age_bracket,30-44,0,2,0,3
age_bracket,45+,0,2,0,3
"""
SA_PEOPLE = """nationbuilder_id,first_name,last_name,email,mobile_number,primary_address1,primary_address2,primary_city,primary_zip,zip_royal_mail,tag_list,Gender,age_bracket
p0,Ann,Lee,ann@example.com,07700900000,12 High Street,Flat 2,Leeds,LS1 4AP,LS1 4AP,,Female,16-29
p1,Bob,Lee,bob@example.com,07700900001,12 high st,,Leeds,LS1 4AP,ls14ap,,Male,45+
p2,Cat,Hill,cat@example.com,07700900002,3 Low Road,,York,YO1 7HH,YO1 7HH,,Female,30-44
p3,Dan,Hill,dan@example.com,07700900003,4 Low Road,,York,YO1 7HH,YO1 7HH,,Male,16-29
p4,Eve,Moss,eve@example.com,07700900004,9 Mill Lane,,Bath,BA1 1AA,BA1 1AA,,Female,45+
p5,Fay,Moss,fay@example.com,07700900005,1 Quay,,Hull,HU1 1AA,HU1 1AA,,Female,30-44
"""
# The stratification app / OpenDLP: "category, name, min, max" targets (docs.sortitionlab.org).
APP_CATEGORIES = """category,name,min,max,Notes
gender,Female,1,2,From the census
gender,Male,1,2,
gender,Non-binary or other,0,1,
age_bucket,18-24,0,2,
age_bucket,25-44,0,2,
age_bucket,45+,0,2,
"""
APP_PEOPLE = """nationbuilder_id,first_name,last_name,email,primary_address1,primary_address2,primary_city,zip_royal_mail,gender,age_bucket
101,Ann,Lee,ann@example.com,12 High Street,,Leeds,LS1 4AP,Female,18-24
102,Bob,Lee,bob@example.com,12 High Street,,Leeds,LS1 4AP,Male,45+
103,Cat,Hill,cat@example.com,3 Low Road,,York,YO1 7HH,Non-binary or other,25-44
104,Dan,Hill,dan@example.com,4 Low Road,,York,YO1 7HH,Male,25-44
"""
# Panelot (and the Flanigan et al. 2021 replication files): category, feature, min, max; the
# respondents file has one column per category and no id.
PANELOT_CATEGORIES = """category,feature,min,max
gender,female,1,2
gender,male,1,2
leaning,liberal,1,2
leaning,conservative,1,2
"""
PANELOT_RESPONDENTS = """gender,leaning
female,conservative
female,liberal
male,liberal
male,conservative
female,liberal
"""


def _dict_rows(text):
    reader = csv.DictReader(io.StringIO(text))
    body = list(reader)
    return list(reader.fieldnames), body


def _tool_reads(features_text, people_text, id_column, address_columns):
    """The sortition-algorithms library itself accepts both files."""
    head, body = _dict_rows(features_text)
    features, _, _ = read_in_features(head, body)
    head, body = _dict_rows(people_text)
    settings = Settings(
        id_column=id_column,
        columns_to_keep=[],
        check_same_address=bool(address_columns),
        check_same_address_columns=address_columns,
    )
    people, _ = read_in_people(head, body, features, settings)
    return people.count


def test_a_sortition_algorithms_pair_imports_unchanged():
    assert (
        _tool_reads(
            SA_FEATURES, SA_PEOPLE, "nationbuilder_id", ["primary_address1", "zip_royal_mail"]
        )
        == 6
    )
    read = formats.read_files(SA_FEATURES, SA_PEOPLE)
    assert read.errors == []
    assert read.layout == formats.SORTITION_ALGORITHMS
    assert read.categories.has_flex
    assert [(q.category, q.value, q.minimum, q.maximum) for q in read.categories.quotas][:2] == [
        ("Gender", "Female", 1, 2),
        ("Gender", "Male", 1, 2),
    ]
    people = read.people
    assert people.id_column == "nationbuilder_id" and not people.numbered
    assert [p.external_id for p in people.people] == ["p0", "p1", "p2", "p3", "p4", "p5"]
    assert people.people[1].features == {"Gender": "Male", "age_bracket": "45+"}
    assert people.address_columns == ["primary_address1"]
    assert people.postcode_columns == ["zip_royal_mail", "primary_zip"]
    assert people.town_columns == ["primary_city"]
    # 12 High Street and 12 high st, LS1 4AP and ls14ap: one household. 3 and 4 Low Road: two.
    assert read.households.shared == [[2, 3]]
    assert read.households.households == 5


def test_a_stratification_app_pair_imports_unchanged_and_notes_columns_are_ignored():
    assert (
        _tool_reads(
            APP_CATEGORIES, APP_PEOPLE, "nationbuilder_id", ["primary_address1", "zip_royal_mail"]
        )
        == 4
    )
    read = formats.read_files(APP_CATEGORIES, APP_PEOPLE)
    assert read.errors == []
    assert read.layout == formats.STRATIFICATION_APP
    assert len(read.categories.quotas) == 6
    assert read.people.people[2].features == {
        "gender": "Non-binary or other",
        "age_bucket": "25-44",
    }
    assert read.households.shared == [[2, 3]]


def test_the_newer_sortition_algorithms_column_names_are_read():
    categories = "Feature,Category Value,Min,Max\nGender,Female,0,1\nGender,Male,0,1\n"
    read = formats.read_files(categories, "ID,gender\na,female\nb,MALE\n")
    assert read.errors == []
    assert read.layout == formats.SORTITION_ALGORITHMS
    # Category names and values are matched without regard to capitals, and kept as the
    # categories file spells them.
    assert [p.features for p in read.people.people] == [{"Gender": "Female"}, {"Gender": "Male"}]
    assert read.people.id_column == "ID"


def test_a_panelot_pair_with_no_id_column_is_numbered_in_file_order():
    read = formats.read_files(PANELOT_CATEGORIES, PANELOT_RESPONDENTS)
    assert read.errors == []
    assert read.layout == formats.PANELOT
    assert read.people.numbered and read.people.id_column is None
    assert [p.external_id for p in read.people.people] == ["1", "2", "3", "4", "5"]
    assert [p.row for p in read.people.people] == [2, 3, 4, 5, 6]
    assert read.people.people[3].features == {"gender": "male", "leaning": "conservative"}
    # No address columns: no household check, everyone on their own.
    assert not read.households.checked and read.households.households == 5


@pytest.mark.parametrize(
    "id_column",
    [
        "nationbuilder_id",
        "pool_member_identifier",
        "id",
        "ID",
        "Person ID",
        "respondent_id",
        "Participant-ID",
        "external_id",
    ],
)
def test_the_id_column_is_found_under_its_usual_names(id_column):
    people = f"gender,{id_column},leaning\nfemale,x1,liberal\nmale,x2,conservative\n"
    read = formats.read_files(PANELOT_CATEGORIES, people)
    assert read.errors == []
    assert read.people.id_column == id_column
    assert [p.external_id for p in read.people.people] == ["x1", "x2"]


def test_rows_with_no_id_are_left_out_and_said_why_like_the_tools_do():
    people = "id,gender,leaning\nx1,female,liberal\n,male,liberal\n,,\nx2,male,conservative\n"
    read = formats.read_files(PANELOT_CATEGORIES, people)
    assert read.errors == []
    assert [p.external_id for p in read.people.people] == ["x1", "x2"]
    assert read.people.skipped == [(3, "the id is empty"), (4, "the row is empty")]


def _households(rows, header="primary_address1,primary_city,zip_royal_mail"):
    people = (
        "id,gender,leaning,"
        + header
        + "\n"
        + "".join(f"x{i},female,liberal,{row}\n" for i, row in enumerate(rows))
    )
    read = formats.read_files(PANELOT_CATEGORIES, people)
    assert read.errors == []
    return read.households, read.people.people


def test_full_addresses_group_on_first_line_and_postcode():
    households, people = _households(
        [
            "Flat 2 12 High Street,Leeds,LS1 4AP",
            '"flat 2, 12 high st",LEEDS,ls1 4ap',
            "Flat 3 12 High Street,Leeds,LS1 4AP",
            "Flat 2 12 High Street,Leeds,LS2 9JT",
        ]
    )
    assert households.shared == [[2, 3]]
    assert households.households == 3
    assert households.partial_rows(people) == []


def test_an_address_with_no_postcode_is_grouped_with_its_town_or_alone():
    households, people = _households(
        [
            "5 Mill Lane,Bath,",
            "5 mill lane,BATH,",
            "5 Mill Lane,Wells,",
            "5 Mill Lane,,",
            "5 Mill Lane,,",
        ]
    )
    # Same first line and town: together. Another town: apart. No town: each on their own.
    assert households.shared == [[2, 3]]
    assert households.households == 4
    reasons = dict(households.partial_rows(people))
    assert reasons[2] == formats.PARTIAL_REASONS[formats.NO_POSTCODE_WITH_TOWN]
    assert reasons[5] == reasons[6] == formats.PARTIAL_REASONS[formats.NO_POSTCODE_NO_TOWN]


def test_a_postcode_with_no_address_never_joins_the_street():
    households, people = _households(
        [",Leeds,LS1 4AP", ",Leeds,LS1 4AP", "12 High Street,Leeds,LS1 4AP", ",,"]
    )
    assert households.shared == []
    assert households.households == 4
    assert households.messages[0] is None and households.messages[1] is None
    reasons = dict(households.partial_rows(people))
    assert reasons[2] == reasons[3] == formats.PARTIAL_REASONS[formats.NO_ADDRESS_WITH_POSTCODE]
    assert reasons[5] == formats.PARTIAL_REASONS[formats.NO_ADDRESS]
    assert 4 not in reasons


def test_an_address_without_a_postcode_never_matches_one_with_a_postcode_spelt_like_a_town():
    households, _ = _households(["5 Mill Lane,BA1 1AA,", "5 Mill Lane,,BA1 1AA"])
    assert households.shared == []


def test_a_postcode_only_file_makes_everyone_a_household_of_one():
    households, _ = _households(["LS1 4AP", "LS1 4AP"], header="postcode")
    assert households.checked and households.shared == [] and households.households == 2


@pytest.mark.parametrize(
    "categories, people, problem",
    [
        ("group,bucket,lo,hi\na,b,1,2\n", "id\n1\n", "we could not tell which tool it is from"),
        ("feature,value,min\ngender,female,1\n", "id\n1\n", "Missing: max"),
        (PANELOT_CATEGORIES, "id,gender\n1,female\n", "no column for the category leaning"),
        (
            PANELOT_CATEGORIES,
            "id,gender,leaning\n1,robot,liberal\n",
            "row 2: gender is “robot”, which is not one of: female, male.",
        ),
        (
            PANELOT_CATEGORIES,
            "id,gender,leaning\n1,male,liberal\n1,female,liberal\n",
            "row 3: the id 1 is used twice (also on row 2).",
        ),
        (
            "category,feature,min,max\ngender,female,3,1\n",
            "id\n1\n",
            "max must not be less than min",
        ),
        (
            "feature,value,min,max,min_flex,max_flex\ng,f,1,2,2,2\n",
            "id,g\n1,f\n",
            "min_flex must not be more than min",
        ),
        (
            "category,feature,min,max\ngender,female,1,2\ngender,Female,1,2\n",
            "id\n1\n",
            "listed twice",
        ),
        (PANELOT_CATEGORIES, "", "People file: it is empty."),
        (PANELOT_CATEGORIES, "id,gender,leaning\n", "it has no people in it"),
    ],
)
def test_bad_files_get_a_clear_problem(categories, people, problem):
    read = formats.read_files(categories, people)
    assert any(problem in error for error in read.errors), read.errors


def test_the_prepared_import_keeps_no_address_and_hashes_households():
    prepared, problems = prepare_import(SA_FEATURES, SA_PEOPLE, "secret")
    assert problems == []
    text = str(prepared.to_json())
    for personal in ("High Street", "LS1 4AP", "Ann", "ann@example.com", "Leeds"):
        assert personal not in text
    hashes = [person[2] for person in prepared.people]
    assert hashes[0] == hashes[1] and len(set(hashes)) == 5 and all(len(h) == 64 for h in hashes)
    assert prepared.source == {
        "layout": formats.SORTITION_ALGORITHMS,
        "category_column": "feature",
        "value_column": "value",
        "id_column": "nationbuilder_id",
        "numbered": False,
        "category_columns": {"Gender": "Gender", "age_bracket": "age_bracket"},
    }
    assert prepared.preview["shared_examples"] == [[2, 3]]


def test_split_gives_back_every_row_and_column_and_the_tool_reads_the_result():
    read = formats.read_files(SA_FEATURES, SA_PEOPLE)
    pool = {p.external_id: p.features for p in read.people.people}
    split = formats.split_people_file(SA_PEOPLE, read.describe(), pool, {"p1", "p4"})
    assert split.errors == []
    original = list(csv.reader(io.StringIO(SA_PEOPLE)))
    assert split.header == original[0]
    assert sorted(split.selected + split.remaining) == sorted(original[1:])
    assert [row[0] for row in split.selected] == ["p1", "p4"]
    for rows in (split.selected, split.remaining):
        text = formats.to_csv([split.header, *rows])
        assert _tool_reads(
            SA_FEATURES, text, "nationbuilder_id", ["primary_address1", "zip_royal_mail"]
        ) == len(rows)


def test_split_of_a_numbered_pool_matches_rows_by_order_and_refuses_another_file():
    read = formats.read_files(PANELOT_CATEGORIES, PANELOT_RESPONDENTS)
    pool = {p.external_id: p.features for p in read.people.people}
    split = formats.split_people_file(PANELOT_RESPONDENTS, read.describe(), pool, {"2", "4"})
    assert split.errors == []
    assert split.selected == [["female", "liberal"], ["male", "conservative"]]
    assert len(split.remaining) == 3
    shuffled = "gender,leaning\nmale,liberal\nfemale,conservative\nfemale,liberal\nmale,conservative\nfemale,liberal\n"
    split = formats.split_people_file(shuffled, read.describe(), pool, {"2"})
    assert "Row 2: the answers for gender, leaning are not the ones in the pool" in split.errors[0]
    split = formats.split_people_file(
        "gender,leaning\nfemale,conservative\n", read.describe(), pool, set()
    )
    assert split.errors == [
        "4 people in the pool are not in the file. Upload the whole people file this pool was imported from."
    ]


def test_stored_table_has_the_id_column_then_the_categories_in_file_order():
    read = formats.read_files(APP_CATEGORIES, APP_PEOPLE)
    people = [(p.external_id, p.features) for p in read.people.people[:2]]
    assert formats.stored_people_table(read.describe(), people) == [
        ["nationbuilder_id", "gender", "age_bucket"],
        ["101", "Female", "18-24"],
        ["102", "Male", "45+"],
    ]
    numbered = formats.read_files(PANELOT_CATEGORIES, PANELOT_RESPONDENTS)
    people = [(p.external_id, p.features) for p in numbered.people.people[:1]]
    assert formats.stored_people_table(numbered.describe(), people) == [
        ["row", "gender", "leaning"],
        ["1", "female", "conservative"],
    ]
