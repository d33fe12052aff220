"""The NHS glossary that `embeddings.embed` applies to every text (Gather and Discover)."""

from __future__ import annotations

import numpy as np
import pytest

from nhs_citizen.core import embeddings
from nhs_citizen.core.nhs_glossary import expand


@pytest.mark.parametrize(
    "text, expanded",
    [
        ("See your GP today", "See your GP family doctor today"),
        ("my gp was great", "my gp family doctor was great"),
        ("A&E was busy", "A&E accident and emergency was busy"),
        ("went to a&e at night", "went to a&e accident and emergency at night"),
        ("A and E wait", "A and E accident and emergency wait"),
        ("The paramedics were kind", "The paramedics ambulance crew were kind"),
        ("Rang the surgery at 8am", "Rang the surgery family doctor practice at 8am"),
        ("my appt was late", "my appt appointment was late"),
        ("CPN visits", "CPN community mental health nurse visits"),
    ],
)
def test_short_forms_are_spelled_out_after_themselves(text, expanded):
    assert expand(text) == expanded


@pytest.mark.parametrize(
    "text",
    [
        "Knee surgery went well",  # an operation, not a GP practice
        "Please send me a letter",  # "SEND" only in capitals
        "The GPS in the ambulance",  # not "GPs"
        "Ward 7 was clean",
        "",
    ],
)
def test_words_that_only_look_like_short_forms_are_left_alone(text):
    assert expand(text) == text


@pytest.mark.parametrize(
    "text", ["GP and A&E both", "the paramedics came", "rang the surgery", "gp appts"]
)
def test_expanding_twice_changes_nothing(text):
    once = expand(text)
    assert once != text
    assert expand(once) == once


def test_embed_applies_the_glossary_for_every_caller():
    # One embedding function for Gather and Discover: a short form and its expansion give
    # the same vector, and the text that is embedded is the prepared one.
    assert embeddings.prepare("My GP") == "My GP family doctor"
    short, spelled = embeddings.embed(["My GP was kind", "My GP family doctor was kind"])
    assert float(short @ spelled) == pytest.approx(1.0, abs=1e-5)
    family = embeddings.embed(["My family doctor was kind"])[0]
    plain_gp = embeddings._model().encode(["My GP was kind"], normalize_embeddings=True)[0]
    # The glossary brings "GP" closer to "family doctor" than the bare model does.
    assert float(short @ family) > float(np.asarray(plain_gp) @ family)
