"""Counting in words: "1 person supports this flag", never "1 person support this flag"."""

from __future__ import annotations

from django.template import engines

from nhs_citizen.core.words import count_words


def test_one_is_singular_and_every_other_number_is_plural():
    assert count_words(1, "person", "people") == "1 person"
    assert count_words(0, "person", "people") == "0 people"
    assert count_words(2, "person", "people") == "2 people"
    assert count_words(1, "flag") == "1 flag"
    assert count_words(3, "flag") == "3 flags"
    assert count_words(1234567, "statement") == "1,234,567 statements"
    assert count_words(1, "person supports", "people support") == "1 person supports"
    assert count_words(10.5, "day") == "10.5 days"
    assert count_words(2, "person supports", "people support") == "2 people support"


def test_it_is_the_pluralise_filter():
    env = engines["jinja2"].env
    assert env.filters["pluralise"] is count_words
    template = env.from_string('{{ n | pluralise("body", "bodies") }}')
    assert [template.render(n=n) for n in (1, 2, 1000)] == ["1 body", "2 bodies", "1,000 bodies"]
