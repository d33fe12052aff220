"""The pure rules for communication needs and requests for other formats (no database)."""

from datetime import date

import pytest

from nhs_citizen.accounts import needs as terms


def test_needs_are_kept_in_the_standards_order_once_each():
    assert terms.clean_needs(["step_free", "large_print", "step_free"]) == [
        "large_print",
        "step_free",
    ]


def test_a_need_not_on_the_list_is_refused():
    with pytest.raises(ValueError, match="braile"):
        terms.clean_needs(["large_print", "braile"])


def test_a_groups_needs_are_summed_up_most_common_first():
    people = [
        terms.PersonNeeds(needs=("bsl_interpreter",)),
        terms.PersonNeeds(needs=("bsl_interpreter", "step_free")),
        terms.PersonNeeds(language="pl"),
        terms.PersonNeeds(something_else="A quiet room"),
        terms.PersonNeeds(),
    ]
    assert terms.summarise(people) == [
        "2 need a BSL interpreter",
        "1 needs step-free access",
        "1 needs information in Polish",
        "1 has another need (see the list)",
    ]


def test_a_group_with_no_needs_has_no_summary():
    assert terms.summarise([terms.PersonNeeds(), terms.PersonNeeds()]) == []


def test_a_persons_needs_in_words():
    assert terms.need_labels(["easy_read"], "ur", "Braille please") == [
        "Easy Read",
        "Information in Urdu",
        "Something else: Braille please",
    ]


def test_email_adjustments_follow_the_needs():
    none = terms.email_adjustments(None)
    assert not none.any
    urdu = terms.email_adjustments(terms.PersonNeeds(needs=("large_print",), language="ur"))
    assert urdu.large_print and not urdu.easy_read
    assert (urdu.language_name, urdu.language_own_name, urdu.language_direction) == (
        "Urdu",
        "اردو",
        "rtl",
    )


def test_letter_adjustments_follow_the_needs_and_name_themselves():
    assert not terms.letter_adjustments(None).any
    assert not terms.letter_adjustments(terms.PersonNeeds(needs=("hearing_loop",))).any
    every = terms.letter_adjustments(
        terms.PersonNeeds(needs=("easy_read", "large_print", "step_free"), language="pl")
    )
    assert every.labels == ["Large print", "Easy Read", "Polish"]
    assert every.language_own_name == "Polski" and every.language_direction == "ltr"
    assert terms.letter_adjustments(terms.PersonNeeds(language="xx")).labels == []


def test_letters_to_print_differently_are_summed_up():
    letters = [
        terms.LetterAdjustments(large_print=True, language="ur"),
        terms.LetterAdjustments(large_print=True, easy_read=True),
        terms.LetterAdjustments(language="pl"),
        terms.LetterAdjustments(language="ur"),
        terms.LetterAdjustments(),
    ]
    assert terms.summarise_letters(letters, "paper") == [
        "2 papers in large print",
        "1 paper with an Easy Read explanation",
        "2 papers with a line in Urdu",
        "1 paper with a line in Polish",
    ]
    assert terms.summarise_letters([terms.LetterAdjustments()]) == []


@pytest.mark.parametrize(
    "asked, due",
    [
        # A Monday: ten working days is the Monday two weeks later.
        (date(2026, 11, 2), date(2026, 11, 16)),
        # Over Christmas: the 25th, the 28th (Boxing Day is a Saturday, so the Monday is the
        # holiday) and 1 January do not count, nor weekends: 21-24, 29-31 December, 4-6 January.
        (date(2026, 12, 18), date(2027, 1, 6)),
        # A Friday: the weekend does not count.
        (date(2026, 12, 4), date(2026, 12, 18)),
    ],
)
def test_a_request_is_due_ten_working_days_later(asked, due):
    assert terms.request_due_date(asked) == due


def test_a_request_is_overdue_only_when_waiting_after_its_due_date():
    due = date(2026, 12, 18)
    assert not terms.request_is_overdue(done=False, due=due, today=due)
    assert terms.request_is_overdue(done=False, due=due, today=date(2026, 12, 21))
    assert not terms.request_is_overdue(done=True, due=due, today=date(2026, 12, 21))


def test_the_format_wanted_names_the_language():
    assert terms.format_wanted("another_language", "pl") == "Polish"
    assert terms.format_wanted("large_print", "pl") == "Large print"
