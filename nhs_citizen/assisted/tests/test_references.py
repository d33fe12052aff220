from nhs_citizen.assisted import references


def test_prefixes_come_from_the_organisation_name():
    assert references.prefix_for("Healthwatch Leeds") == "HWL"
    assert references.prefix_for("Leeds Irish Health and Homes") == "LIHH"
    assert references.prefix_for("Mind") == "MIN"
    assert references.prefix_for("Friends of Chapeltown Surgery PPG") == "FCSP"


def test_a_reference_uses_only_characters_people_do_not_mix_up():
    picks = iter("7Q3K")
    assert references.new_reference("HWL", choose=lambda alphabet: next(picks)) == "HWL-7Q3K"
    for confusing in "0O1IL5S2Z8B":
        assert confusing not in references.ALPHABET


def test_typed_references_are_tidied():
    assert references.tidy_reference(" hwl 7q3k ") == "HWL-7Q3K"
    assert references.tidy_reference("HWL7Q3K") == "HWL-7Q3K"
    assert references.tidy_paper_reference("pf - 0012") == "PF0012"


def test_share_words():
    assert references.share_words(0, 10) == ""
    assert (
        references.share_words(12, 340)
        == "12 of 340 supporters were recorded by community helpers."
    )
    assert references.share_words(1, 3) == "1 of 3 supporters was recorded by community helpers."
    assert references.share_words(4, 4) == "All 4 supporters were recorded by community helpers."
    assert references.share_words(1, 1) == "The 1 supporter was recorded by a community helper."
