"""The pure API in discover/algorithms/__init__.py: small inputs, real modules and model."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nhs_citizen.discover import algorithms


def test_importing_the_package_loads_nothing_heavy():
    code = (
        "import sys, nhs_citizen.discover.algorithms as a; "
        "print(sorted({'numpy','sklearn','scipy','torch','sentence_transformers'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_redact_takes_out_an_nhs_number_and_keeps_the_rest():
    result = algorithms.redact("My NHS number is 943 476 5919 and the ward was clean")
    assert "943 476 5919" not in result.text
    assert "the ward was clean" in result.text
    assert result.spans


def test_score_feeling_one_label_per_text():
    scores = algorithms.score_feeling(
        ["The nurses were wonderful and kind", "Rude staff, awful wait"]
    )
    assert [s.label for s in scores] == ["positive", "negative"]
    assert algorithms.score_feeling([]) == []
    with pytest.raises(ValueError):
        algorithms.score_feeling(["a", "b"], questions=["What was good?"])
    with_questions = algorithms.score_feeling(["Lovely staff"], questions=["What was good?"])
    assert with_questions[0].label == "positive"
    nothing = algorithms.score_feeling(
        ["Nothing", "Nothing"], questions=["What could we do better?", "What was good?"]
    )
    assert [s.label for s in nothing] == ["positive", "negative"]


def test_find_topics_groups_two_clear_subjects():
    parking = [f"Parking at the hospital costs too much, {n} pounds a day" for n in range(3, 15)]
    food = [f"The hospital food was cold and bland on day {n}" for n in range(1, 13)]
    found = algorithms.find_topics(parking + food)
    assert len(found.labels) == 24
    assert len(found.names) == len(found.words) == len(found.typical) >= 2
    assert len(set(found.labels[:12])) == 1 and len(set(found.labels[12:])) == 1
    assert found.labels[0] != found.labels[12]
    assert algorithms.find_topics([]).labels == []


def test_near_duplicates_merges_rewordings_never_opposites():
    texts = [
        "The maternity unit feels safe.",
        "the maternity unit feels SAFE",
        "The maternity unit feels unsafe.",
        "The maternity unit doesn't feel safe.",
        "The maternity unit feels very safe.",
    ]
    reps = algorithms.near_duplicates(texts)
    assert reps[0] == 0 and reps[1] == 0  # exact
    assert reps[2] == 2  # opposite: never merged with 0
    assert reps[3] in (2, 3)  # "doesn't feel safe" says what "feels unsafe" says
    assert reps[4] == 0  # a rewording
    assert algorithms.near_duplicates([]) == []


def test_the_api_keeps_its_names_and_arguments():
    import inspect

    assert set(algorithms.__all__) >= {"find_topics", "near_duplicates", "redact", "score_feeling"}
    params = inspect.signature(algorithms.find_topics).parameters
    assert list(params)[:1] == ["texts"] and "seed" in params


def test_find_topics_gives_the_same_topics_every_time():
    texts = (
        [f"Parking at the hospital costs too much, {n} pounds a day" for n in range(3, 15)]
        + [f"The hospital food was cold and bland on day {n}" for n in range(1, 13)]
        + [f"My GP appointment took {n} weeks to get" for n in range(2, 14)]
    )
    first = algorithms.find_topics(texts)
    assert algorithms.find_topics(texts, seed=4) == first
    assert algorithms.find_topics(list(texts)) == first
