"""Every e-mail subject is in sentence case, like the rest of the site: allauth's own Title Case
subjects ("Please Confirm Your Email Address") are replaced with ours."""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import pytest
from django.template.loader import render_to_string

ALLAUTH = Path(allauth.__file__).parent / "templates"
INSTALLED = ("account", "mfa")


def _allauth_subjects() -> list[str]:
    return sorted(
        path.relative_to(ALLAUTH).as_posix()
        for folder in INSTALLED
        for path in (ALLAUTH / folder / "email").glob("*_subject.txt")
    )


def test_allauth_sends_these_subjects():
    assert len(_allauth_subjects()) >= 18


@pytest.mark.parametrize("name", _allauth_subjects())
def test_each_allauth_subject_is_ours_and_in_sentence_case(name):
    subject = render_to_string(name, {}).strip()
    assert subject, name
    assert subject[0].isupper(), subject
    # Only the first word has a capital letter (no proper nouns in these subjects).
    assert not re.search(r"\s[A-Z]", subject), subject
    assert not subject.endswith("."), subject
