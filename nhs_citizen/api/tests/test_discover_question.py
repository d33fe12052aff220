"""A Discover statement says which question it answers (an uploaded file's question column, or
the question its source asked): in the API, its OpenAPI document and the downloads."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nhs_citizen.discover.models import Item, Source, SourceKind

pytestmark = pytest.mark.django_db


def _statement(source: Source, original_id: str, question: str = "") -> Item:
    return Item.objects.create(
        source=source,
        original_id=original_id,
        said_at=timezone.now(),
        raw_text=f"Private words {original_id}",
        text="Nothing",
        question=question,
        processed_at=timezone.now(),
        sentiment="positive",
    )


@pytest.fixture
def answers(db):
    event = Source.objects.create(
        name="FFT, November",
        kind=SourceKind.UPLOAD,
        config={"question": "What was good?"},
    )
    feed = Source.objects.create(name="A feed", kind=SourceKind.RSS)
    return {
        "own": _statement(event, "1", question="What could we do better?"),
        "event's": _statement(event, "2"),
        "none": _statement(feed, "3"),
    }


EXPECTED = {"own": "What could we do better?", "event's": "What was good?", "none": None}


def test_each_statement_gives_the_question_it_answers(client, answers):
    for name, item in answers.items():
        body = client.get(f"/api/v1/discover/statements/{item.pk}").json()
        assert body["question"] == EXPECTED[name], name
    listed = client.get("/api/v1/discover/statements?limit=10").json()["results"]
    by_id = {row["id"]: row["question"] for row in listed}
    assert by_id == {item.pk: EXPECTED[name] for name, item in answers.items()}
    assert all("Private words" not in str(row) for row in listed)


def test_the_openapi_document_describes_the_question(client):
    doc = client.get("/api/v1/openapi.json").json()
    schema = doc["components"]["schemas"]["StatementOut"]
    assert "question" in schema["properties"] and "question" in schema["required"]
    assert "question" in schema["properties"]["question"]["description"]


def test_the_downloads_give_the_question_too(client, answers):
    import csv
    import io
    import json

    from django.urls import reverse

    lines = b"".join(client.get(reverse("discover:items_jsonl")).streaming_content)
    records = {r["id"]: r["question"] for r in map(json.loads, lines.decode().splitlines())}
    assert records == {item.pk: EXPECTED[name] for name, item in answers.items()}
    text = b"".join(client.get(reverse("discover:items_csv")).streaming_content)
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert {int(r["id"]): r["question"] for r in rows} == {
        item.pk: EXPECTED[name] or "" for name, item in answers.items()
    }
