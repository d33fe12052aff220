"""Templates' url(): remembered per process, and always the same as reverse()."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from nhs_citizen.config.jinja2 import _remembered_reverse, url


def test_it_gives_what_reverse_gives():
    assert url("core:home") == reverse("core:home")
    assert url("gather:flag_detail", 7) == reverse("gather:flag_detail", args=[7])
    assert url("gather:flag_detail", pk=7) == reverse("gather:flag_detail", kwargs={"pk": 7})


def test_a_second_call_is_remembered():
    _remembered_reverse.cache_clear()
    url("core:home")
    url("core:home")
    info = _remembered_reverse.cache_info()
    assert info.hits == 1 and info.misses == 1


def test_the_script_prefix_is_part_of_what_is_remembered():
    try:
        set_script_prefix("/nhs-citizen/")
        assert url("core:home") == "/nhs-citizen/"
    finally:
        set_script_prefix("/")
    assert url("core:home") == "/"


def test_other_arguments_are_not_remembered_but_still_work():
    _remembered_reverse.cache_clear()

    class Number:
        def __str__(self) -> str:
            return "7"

    assert url("gather:flag_detail", Number()) == reverse("gather:flag_detail", args=[7])
    assert _remembered_reverse.cache_info().misses == 0


def test_an_unknown_name_still_fails_loudly():
    with pytest.raises(NoReverseMatch):
        url("core:no-such-page")
