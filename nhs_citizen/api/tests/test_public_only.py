"""Everything the API answers is public, and every list can be walked to its end."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nhs_citizen.api.tests import data as fixture
from nhs_citizen.discover.models import Item
from nhs_citizen.gather.models import Flag, FlagStatus

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _list_paths(client) -> list[str]:
    doc = client.get("/api/v1/openapi.json").json()
    return sorted(path for path in doc["paths"] if "{" not in path)


def _walk(client, path: str, limit: int = 2) -> tuple[list[dict], list[str]]:
    rows, bodies, url = [], [], f"{path}?limit={limit}"
    for _ in range(1000):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        bodies.append(response.content.decode())
        page = response.json()
        assert page["licence"]["name"] == "Open Government Licence v3.0"
        rows += page["results"]
        url = page["next"]
        if url is None:
            return rows, bodies
    raise AssertionError(f"{path} never ended")


def _key(row: dict):
    return row.get("id", row.get("sequence", row.get("slug")))


def test_every_list_walks_to_its_end_through_next_links(client):
    data = fixture.build(5)
    paths = _list_paths(client)
    assert len(paths) >= 5
    for path in paths:
        rows, _ = _walk(client, path, limit=2)
        keys = [_key(row) for row in rows]
        assert len(keys) == len(set(keys)), f"{path} repeated a row"
        whole = client.get(f"{path}?limit=200").json()
        assert whole["next"] is None
        assert keys == [_key(row) for row in whole["results"]], path
    flags, _ = _walk(client, "/api/v1/flags")
    assert len(flags) == Flag.objects.exclude(status=FlagStatus.MERGED).count()
    statements, _ = _walk(client, "/api/v1/discover/statements")
    assert {row["id"] for row in statements} == set(
        Item.objects.public().values_list("pk", flat=True)
    )
    assert data["waiting_item"].pk not in {row["id"] for row in statements}
    assert data["hidden_item"].pk not in {row["id"] for row in statements}
    from nhs_citizen.tracker.models import StockTakeItem

    agenda, _ = _walk(client, "/api/v1/stock-take")
    assert [row["id"] for row in agenda] == list(
        StockTakeItem.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert agenda and agenda[0]["url"].endswith(f"/stock-take/{agenda[0]['cycle_slug']}/")


def _detail_paths(client) -> list[str]:
    doc = client.get("/api/v1/openapi.json").json()
    return sorted(path for path in doc["paths"] if "{" in path)


def test_no_response_holds_an_email_a_private_name_or_unredacted_text(client):
    data = fixture.build(5)
    bodies = []
    for path in _list_paths(client):
        rows, pages = _walk(client, path, limit=3)
        bodies += pages
        for detail in _detail_paths(client):
            if detail.rsplit("/", 1)[0] != path:
                continue
            for row in rows:
                key = row["slug"] if detail.endswith("{slug}") else _key(row)
                response = client.get(detail.rsplit("/", 1)[0] + f"/{key}")
                assert response.status_code == 200, (detail, key, response.content[:100])
                bodies.append(response.content.decode())
    # Each flag's discussion, walked to its end.
    for flag in [*data["flags"], data["hidden_flag"]]:
        comments, pages = _walk(client, f"/api/v1/flags/{flag.pk}/comments", limit=2)
        bodies += pages
        if flag == data["hidden_flag"]:
            assert comments == []
    # What is hidden or not yet published, asked for directly.
    for path in (
        f"/api/v1/flags/{data['hidden_flag'].pk}",
        f"/api/v1/discover/statements/{data['waiting_item'].pk}",
        f"/api/v1/discover/statements/{data['hidden_item'].pk}",
    ):
        response = client.get(path)
        bodies.append(response.content.decode())
    assert client.get(f"/api/v1/discover/statements/{data['waiting_item'].pk}").status_code == 404
    from nhs_citizen.culture.models import Story

    waiting_story = Story.objects.get(title="Waiting")
    hidden_story = Story.objects.get(title="Hidden")
    assert client.get(f"/api/v1/stories/{waiting_story.pk}").status_code == 404
    gone = client.get(f"/api/v1/stories/{hidden_story.pk}")
    assert gone.status_code == 410 and "It named a patient" in gone.json()["detail"]
    bodies.append(gone.content.decode())
    assert client.get(f"/api/v1/discover/statements/{data['hidden_item'].pk}").status_code == 410
    hidden = client.get(f"/api/v1/flags/{data['hidden_flag'].pk}").json()
    assert hidden["hidden"] is True and hidden["title"] is None
    assert hidden["hidden_reason"] == "It named a person"

    assert len(bodies) > 40
    text = "\n".join(json.dumps(json.loads(body)) for body in bodies)
    # What is public is there: the redacted statements, published minutes, a revealed seed.
    assert "I am [name], write to [email]" in text
    assert "The Assembly met and agreed three things." in text
    assert "a-seed-everyone-may-see" in text
    assert "It affects many people." in text
    # Calls for views: the outcome, and a closed call's answers with the address taken out.
    assert "We opened three surgeries until 8pm." in text
    assert "Evenings. Write to [email]" in text
    # Board responses, with reflections counted and comments without names or addresses.
    assert "Mostly, but not the waiting times. Write to [email]" in text
    assert "The ward now asks carers what they need." in text
    assert "Carers should be able to stay." in text
    # A flag's discussion, evidence and roundup; hidden ones keep only the reason.
    assert "The 6pm bus never comes." in text and "Same here." in text
    assert "It named a nurse" in text and "Private letter" in text
    assert "The bus timetable" in text and "Ask the council to fund a later bus" in text
    for secret in (
        fixture.SECRET_EMAIL,
        fixture.SECRET_NAME,
        fixture.SECRET_RAW,
        fixture.HIDDEN_WHY,
        fixture.UNREVIEWED_TEXT,
        *fixture.STAFF_NAMES,
        fixture.SECRET_SEED,
        fixture.UNPUBLISHED_MINUTES,
        fixture.PANEL_MEMBER,
        fixture.CALL_ANSWERER,
        fixture.REFLECTOR,
        fixture.OPEN_CALL_ANSWER,
        fixture.HIDDEN_COMMENT,
        fixture.HIDDEN_EVIDENCE,
        fixture.WAITING_STORY,
        fixture.HIDDEN_STORY,
        "raw_text",
        "redacted_spans",
    ):
        assert secret not in text, secret
    assert not EMAIL.search(text), EMAIL.search(text).group(0)
    # Staff are credited by organisation and role (ADR 0026).
    assert "Hid the flag" in text or "moderator" in text.lower()


SECRETS = (
    fixture.SECRET_EMAIL,
    fixture.SECRET_NAME,
    fixture.SECRET_RAW,
    fixture.HIDDEN_WHY,
    fixture.UNREVIEWED_TEXT,
    *fixture.STAFF_NAMES,
    fixture.SECRET_SEED,
    fixture.UNPUBLISHED_MINUTES,
    fixture.PANEL_MEMBER,
    fixture.CALL_ANSWERER,
    fixture.REFLECTOR,
    fixture.OPEN_CALL_ANSWER,
    fixture.HIDDEN_COMMENT,
    fixture.HIDDEN_EVIDENCE,
    "raw_text",
    "redacted_spans",
)


def test_no_bulk_file_holds_an_email_a_private_name_or_unredacted_text(settings, tmp_path):
    from nhs_citizen.core.services.open_data_snapshot import write_snapshot

    settings.OPEN_DATA_SNAPSHOT_DIR = tmp_path / "open-data"
    from nhs_citizen.discover.services.figures import do_refresh_figures

    data = fixture.build(5)
    do_refresh_figures()  # the topics' counts, as the nightly job finds them stored
    from nhs_citizen.gather.models import Comment, Evidence, Roundup

    # A hidden flag's discussion, evidence and roundup stay out, as on its page.
    hidden_flag, author = data["hidden_flag"], data["flags"][0].raised_by
    Comment.objects.create(flag=hidden_flag, author=author, body="Talk on a hidden flag")
    Evidence.objects.create(flag=hidden_flag, added_by=author, title="Proof on a hidden flag")
    Roundup.objects.create(
        flag=hidden_flag,
        change_needed="Roundup on a hidden flag",
        action="-",
        who_should_act="-",
        written_by=author,
    )
    result = write_snapshot()
    text = "\n".join(path.read_text(encoding="utf-8") for path in result.path.iterdir())
    # What is public is there.
    assert "I am [name], write to [email]" in text
    assert "We opened three surgeries until 8pm." in text
    assert "Evenings. Write to [email]" in text
    from nhs_citizen.tracker.models import BoardResponse

    assert "Carers should be able to stay." in text  # a commissioned panel's report
    stories = [json.loads(line) for line in (result.path / "stories.jsonl").open()]
    assert len(stories) == 3
    topics = [json.loads(line) for line in (result.path / "discover-topics.jsonl").open()]
    assert "Hospital parking" in {topic["name"] for topic in topics}
    assert "A hidden topic" not in text
    board = (result.path / "board-responses.jsonl").read_text().splitlines()
    assert len(board) == BoardResponse.objects.count() > 0
    # A flag's discussion, evidence and roundup, and what people said of Board responses,
    # as the API shows them: hidden ones keep only the reason.
    comments = _rows(result.path, "flag-comments")
    assert {"The 6pm bus never comes.", "Same here.", None} == {c["text"] for c in comments}
    assert {"Tam Talker", "Cat Citizen", None} == {c["author"] for c in comments}
    hidden = [c for c in comments if c["hidden"]]
    assert [c["hidden_reason"] for c in hidden] == ["It named a nurse"]
    assert hidden[0]["author"] is None and hidden[0]["text"] is None
    assert all(c["flag_id"] == data["flags"][0].pk for c in comments)
    evidence = _rows(result.path, "flag-evidence")
    assert "The bus timetable" in {e["title"] for e in evidence}
    assert any(e["hidden"] and e["title"] is None for e in evidence)
    roundups = _rows(result.path, "flag-roundups")
    assert [r["flag_id"] for r in roundups] == [data["flags"][0].pk]
    assert "Ask the council to fund a later bus" in text
    said = _rows(result.path, "board-response-comments")
    assert said == [
        {
            "board_response_id": data["board_responses"][0].pk,
            "verdict": "partly",
            "comment": "Mostly, but not the waiting times. Write to [email]",
        }
    ]
    for name in ("flag-comments", "flag-evidence", "flag-roundups", "board-response-comments"):
        assert (result.path / f"{name}.csv").read_text().count("\n") >= 2, name
        assert f"{name}.jsonl" in (result.path / "SHA256SUMS").read_text()
    for secret in (*SECRETS, "on a hidden flag"):
        assert secret not in text, secret
    assert not EMAIL.search(text), EMAIL.search(text).group(0)


def test_discussion_and_board_comment_files_are_read_a_chunk_at_a_time(monkeypatch):
    """One query for each chunk of rows (the author with its comment), whatever the size."""
    from nhs_citizen.gather import queries as gather_queries
    from nhs_citizen.tracker import queries as tracker_queries
    from nhs_citizen.tracker.models import Reflection

    data = fixture.build(5)
    for i in range(4):
        Reflection.objects.create(
            response=data["board_responses"][0],
            user=fixture.make_user(fixture.next_email("reflector"), display_name=f"R{i}"),
            verdict="yes",
            comment=f"Comment {i}",
        )
    monkeypatch.setattr(gather_queries, "CHUNK", 2)
    for records, rows in (
        (gather_queries.comment_records, 3),
        (gather_queries.evidence_records, 2),
        (lambda: tracker_queries.board_response_comment_records(chunk_size=2), 5),
    ):
        with CaptureQueriesContext(connection) as queries:
            made = records() if records is not gather_queries.evidence_records else records(str)
            assert len(queries) == 0  # nothing is read until the file is written
            assert len(list(made)) == rows
        assert len(queries) == rows // 2 + 1, [q["sql"] for q in queries]


def _rows(folder, name: str) -> list[dict]:
    return [json.loads(line) for line in (folder / f"{name}.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/flags",
        "/api/v1/commitments",
        "/api/v1/bodies",
        "/api/v1/discover/topics",
        "/api/v1/discover/statements",
        "/api/v1/audit-log",
        "/api/v1/cycles",
        "/api/v1/meetings",
        "/api/v1/panels",
        "/api/v1/calls",
        "/api/v1/board-responses",
        "/api/v1/stories",
        "/api/v1/panel-commissions",
        "/api/v1/stock-take",
    ],
)
def test_list_query_count_is_flat_with_5_or_50_rows(client, path):
    data = fixture.build(5)

    def count() -> tuple[int, int]:
        client.get(f"{path}?limit=200")  # warm caches (content types, settings)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{path}?limit=200")
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    small, small_rows = count()
    fixture.grow(data, 45)
    large, large_rows = count()
    assert large_rows >= small_rows + 40, (small_rows, large_rows)
    assert large == small, (
        f"{path}: {small} queries for {small_rows} rows, {large} for {large_rows}"
    )
