"""Tests for the name rules in redaction/names.py, one block per rule."""

from __future__ import annotations

import pytest

from nhs_citizen.discover.algorithms.redact import find_personal_data


def names(text: str) -> list[tuple[str, str]]:
    """(name, rule) for each name found."""
    return [(text[s.start : s.end], s.rule) for s in find_personal_data(text) if s.kind == "name"]


def found(text: str) -> list[str]:
    return [value for value, _ in names(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr Patel was brilliant.", ["Patel"]),
        ("seen by dr nguyen today", ["nguyen"]),
        ("the consultant mr o'brien explained it", ["o'brien"]),
        ("Dr. A. Kowalczyk was thorough.", ["A. Kowalczyk"]),
        ("Mr Ó Súilleabháin did my shoulder.", ["Ó Súilleabháin"]),
        ("Mr Van der Merwe did my hip.", ["Van der Merwe"]),
        ("Dr St John-Smythe didn't introduce himself.", ["St John-Smythe"]),
        ("Dr Ng explained it.", ["Ng"]),
        ("Aunty Grace came with me.", ["Grace"]),
    ],
)
def test_name_after_title(text, expected):
    assert found(text) == expected
    assert all(rule == "name_after_title" for _, rule in names(text))


def test_title_is_kept_in_the_redacted_text():
    from nhs_citizen.discover.algorithms.redact import redact

    assert redact("Dr Patel's clinic was calm.").text == "Dr [name]'s clinic was calm."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nurse kelly on the ward was kind", ["kelly"]),
        ("Sister Agnieszka made dad's tea.", ["Agnieszka"]),
        ("The receptionist Karen was abrupt.", ["Karen"]),
        ("The midwife, Chloe, stayed late.", ["Chloe"]),
        ("Our HCA was Precious and she was kind.", ["Precious"]),
        ("Nurse Joy made me feel safe.", ["Joy"]),
    ],
)
def test_name_after_role(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my name is john hargreaves and I had my knee done", ["john hargreaves"]),
        ("Thanks to Priya and Tom in the day unit.", ["Priya", "Tom"]),
        ("thx to shaz on ward 6", ["shaz"]),
        ("thanks lee and kev from the ambulance", ["lee", "kev"]),
        ("I'm Kerry-Ann Thompson and I had my baby here.", ["Kerry-Ann Thompson"]),
        ("hi im kelly-marie, my son has autism", ["kelly-marie"]),
        ("I was seen by a lovely lady called Beryl.", ["Beryl"]),
        ("Hi, it's Tanisha again, still waiting.", ["Tanisha"]),
    ],
)
def test_name_after_cue(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("My husband Derek was in resus.", ["Derek"]),
        ("my late husband Ronald had amazing care", ["Ronald"]),
        ("dad (George) was well looked after", ["George"]),
        ("Hi I'm Lorraine, writing for my mum Vera.", ["Lorraine", "Vera"]),
    ],
)
def test_name_after_relation(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sarah on reception sorted it.", ["Sarah"]),
        ("Big shout out to Bex on ward 22!", ["Bex"]),
        ("Kaz the HCA was amazing at 3am", ["Kaz"]),
        ("Kieran (HCA) helped me shower.", ["Kieran"]),
        ("nadia was our midwife and she was brill", ["nadia"]),
        ("Sue and Bev from the stroke team rang me.", ["Sue", "Bev"]),
        ("Iris, my mum, is 92.", ["Iris"]),
        ("Tilly the play specialist made my son smile.", ["Tilly"]),
        ("Saeed on ward 7 was lovely.", ["Saeed"]),
    ],
)
def test_name_before_role(text, expected):
    assert found(text) == expected


def test_name_between_commas():
    assert names("The lady on reception, Pam, was great.") == [("Pam", "name_between_commas")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mohammed Iqbal kept me calm.", ["Mohammed Iqbal"]),
        ("Jenny was amazing, she stayed with me.", ["Jenny"]),
        ("I saw Zelda Patel today.", ["Zelda Patel"]),
    ],
)
def test_known_name(text, expected):
    assert found(text) == expected


def test_known_first_name_lower_case_at_sentence_start():
    assert names("sarah was lovely. jessica was not") == [
        ("sarah", "known_first_name_lower_case"),
        ("jessica", "known_first_name_lower_case"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Will the GP ring back today?",
        "May I say the care was excellent.",
        "Grace period for the car park would be nice.",
        "Building my son's confidence.",
        "Temperature in theatre a little low.",
        "Dialysis at the renal unit is hard.",
        "Could not ask for better staff.",
        "Called multiple times and no answer.",
        "Stayed on ward 7 for a week.",
        "See Dr quicker please.",
        "Victoria Hospital was busy on Monday.",
        "The Christie is the best cancer hospital.",
        "Thank you Macmillan for everything.",
        "Marie Curie nurses came every night.",
        "Doctor Who was on in the waiting room.",
        "Mrs Brown's Boys was on in the day room.",
        "Dr Foster's report said the hospital was improving.",
        "St James's in Leeds is called Jimmy's by everyone.",
        "I live in Stanley and work in Consett.",
        "Sue Ryder hospice were so kind to my dad.",
        "I was taken to the James Cook in Middlesbrough.",
    ],
)
def test_words_that_are_not_names(text):
    assert found(text) == []


def test_a_title_beats_a_one_word_gazetteer_name():
    # "Freeman" is a hospital and "Shirley" a place, but with a title or a thank-you they are
    # people.
    assert found("Dr Freeman was great.") == ["Freeman"]
    assert found("Thanks to Shirley for her help.") == ["Shirley"]
