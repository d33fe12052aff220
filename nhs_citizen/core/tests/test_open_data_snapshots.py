"""Nightly bulk open-data files (issue 15): written, checked, the same rows as the live
downloads, nothing private, replaced whole, pruned, and served only from inside their folder."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from nhs_citizen.accounts.models import User
from nhs_citizen.core.services import open_data_snapshot as snapshots
from nhs_citizen.core.tasks import write_open_data_snapshot
from nhs_citizen.culture.services.figures import do_refresh_culture_measures
from nhs_citizen.discover.models import Item
from nhs_citizen.discover.services import pipeline
from nhs_citizen.discover.tests.helpers import THEMES, ingest_texts, make_source
from nhs_citizen.tracker.models import CommitmentStatus
from nhs_citizen.tracker.services import commitments as commitment_services
from nhs_citizen.tracker.tests.factories import answered_referral, draft

DAY = datetime.date(2027, 1, 4)
DATASETS = [
    "flags",
    "commitments",
    "commitment-updates",
    "audit-log",
    "culture-measures",
    "discover-statements",
    "discover-topics",
    "stories",
    "panel-commissions",
    "board-responses",
    "board-response-comments",
    "flag-comments",
    "flag-evidence",
    "flag-roundups",
    "calls-for-views",
    "call-for-views-answers",
]
# Said in Discover with private details, which are taken out before a statement is public.
PERSONAL = [
    ("My number is 07700 900456, call me about the parking", "07700 900456"),
    ("Email me at sam.patel@example.org about the parking", "sam.patel@example.org"),
    ("Nurse Bernadette Okonkwo was kind to my dad", "Okonkwo"),
]


@pytest.fixture(autouse=True)
def _own_snapshot_dir(settings, tmp_path):
    settings.OPEN_DATA_SNAPSHOT_DIR = tmp_path / "open-data"
    settings.VECTOR_INDEX_DIR = tmp_path / "vectors"
    settings.OPEN_DATA_SNAPSHOTS_KEEP = 3


@pytest.fixture
def world(db):
    """A referred flag, its answer, two commitments (one done, with an update), and staff whose
    names are never shown in public."""
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC), tick=False):
        answer, responder = answered_referral()
        commitment_services.check_add_commitment(
            by=responder, to=answer, draft=draft("=HYPERLINK(1)", due_in_days=30)
        )
        done = commitment_services.check_add_commitment(
            by=responder, to=answer, draft=draft("Print a timetable", due_in_days=20)
        )
        commitment_services.check_update_commitment(
            by=responder, commitment=done, status=CommitmentStatus.DONE, note="Printed."
        )
        pipeline.reset_caches()
        texts = THEMES["kindness"][:4] + THEMES["waiting"][:4] + [t for t, _ in PERSONAL]
        ingest_texts(make_source("Healthwatch Leeds news"), texts, place="LS6")
        pipeline.do_process_waiting()
        do_refresh_culture_measures()
    _a_closed_call_with_answers()
    staff = User.objects.filter(role_assignments__isnull=False).distinct()
    for user in staff:
        user.display_name = f"Secretstaff Name{user.pk}"
        user.save(update_fields=["display_name"])
    responder.display_name = "Secretresponder Name"
    responder.save(update_fields=["display_name"])
    return {"responder": responder}


def _a_closed_call_with_answers():
    """A call for views opened before Christmas, answered by someone whose name and address
    are never shown (one answer holds the address), closed on 2 January, with its outcome."""
    from nhs_citizen.conftest import make_user
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.gather.models import Scope
    from nhs_citizen.gather.services import calls
    from nhs_citizen.gather.services.flags import Place
    from nhs_citizen.gather.tests.factories import responder_for

    organisation = Organisation.objects.get(slug="nhs-england")
    responder = responder_for(organisation)
    with time_machine.travel(datetime.datetime(2026, 12, 20, 12, tzinfo=datetime.UTC)):
        call = calls.check_open_call(
            responder=responder,
            organisation=organisation,
            title="Evening GP appointments",
            background="We are thinking about opening GP surgeries in the evening.",
            place=Place(Scope.NATIONAL),
            closes_on=datetime.date(2027, 1, 2),
            questions=[
                ("What would make it easier to see a GP?", "free_text", []),
                ("Would you use evening appointments?", "choice", ["Yes", "No"]),
            ],
        )
        first, second = call.questions.order_by("position")
        for name, text in (
            ("Secretanswerer One", "Evenings, write to ola.answer@example.net"),
            ("Secretanswerer Two", "=Saturday mornings"),
        ):
            calls.check_answer_call(
                user=make_user(f"{name.split()[1].lower()}@example.net", display_name=name),
                call=call,
                answers={first.pk: text, second.pk: "Yes"},
            )
    with time_machine.travel(datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC)):
        calls.check_publish_outcome(
            responder=responder,
            call=call,
            we_asked="We asked about evening appointments.",
            you_said="You said evenings would help.",
            we_did="We opened three surgeries until 8pm.",
        )
    return call


def _live(client, name: str) -> bytes:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _file(day: datetime.date, name: str) -> bytes:
    return (snapshots.snapshot_root() / day.isoformat() / name).read_bytes()


def _write(day=DAY):
    with time_machine.travel(datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        return snapshots.write_snapshot(day)


def test_every_dataset_is_written_with_checksums_and_a_manifest(world):
    result = _write()
    folder = snapshots.snapshot_root() / "2027-01-04"
    assert result.path == folder
    names = sorted(p.name for p in folder.iterdir())
    expected = sorted(
        [f"{d}.{kind}" for d in DATASETS for kind in ("jsonl", "csv")]
        + ["SHA256SUMS", "manifest.json"]
    )
    assert names == expected

    sums = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        sums[name] = digest
    assert set(sums) == {n for n in expected if n not in ("SHA256SUMS", "manifest.json")}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["date"] == "2027-01-04"
    for entry in manifest["files"]:
        assert entry["sha256"] == sums[entry["name"]]
        assert entry["size"] == os.path.getsize(folder / entry["name"])
    assert snapshots.list_snapshots() == [manifest]
    # Nothing left over from writing.
    assert [p.name for p in snapshots.snapshot_root().iterdir()] == ["2027-01-04"]


def test_rows_are_the_live_downloads_rows(client, world):
    _write()
    with time_machine.travel(datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        live = {
            "flags.jsonl": _live(client, "gather:flags_jsonl"),
            "commitments.jsonl": _live(client, "tracker:commitments_jsonl"),
            "audit-log.jsonl": _live(client, "core:audit_log_jsonl"),
            "commitments.csv": _live(client, "tracker:commitments_csv"),
            "commitment-updates.csv": _live(client, "tracker:updates_csv"),
            "culture-measures.jsonl": _live(client, "culture:measures_jsonl"),
            "culture-measures.csv": _live(client, "culture:measures_csv"),
            "discover-statements.jsonl": _live(client, "discover:items_jsonl"),
            "discover-statements.csv": _live(client, "discover:items_csv"),
        }
        topics = json.loads(_live(client, "discover:topics_json"))["topics"]
    for name, body in live.items():
        assert _file(DAY, name) == body, name
    assert [json.loads(line) for line in _file(DAY, "discover-topics.jsonl").splitlines()] == topics
    assert len(_file(DAY, "commitments.jsonl").splitlines()) == 2
    assert len(_file(DAY, "culture-measures.jsonl").splitlines()) >= 1
    statements = _file(DAY, "discover-statements.jsonl").splitlines()
    assert len(statements) == Item.objects.public().count() > 0
    # A cell that looks like a formula is made safe, as in the live CSV.
    assert "'=HYPERLINK(1)" in _file(DAY, "commitments.csv").decode()

    # The CSV files of JSON-only datasets hold the same records, one a row.
    for dataset in ("flags", "audit-log"):
        items = [json.loads(line) for line in _file(DAY, f"{dataset}.jsonl").splitlines()]
        rows = list(csv.DictReader(io.StringIO(_file(DAY, f"{dataset}.csv").decode("utf-8-sig"))))
        assert len(rows) == len(items) > 0
        key = "id" if dataset == "flags" else "sequence"
        assert [int(r[key]) for r in rows] == [i[key] for i in items]
    flag_row = rows_of(DAY, "flags")[0]
    flag_item = json.loads(_file(DAY, "flags.jsonl").splitlines()[0])
    assert flag_row["title"] == flag_item["title"]
    assert json.loads(flag_row["referrals"]) == flag_item["referrals"]


def rows_of(day, dataset):
    return list(csv.DictReader(io.StringIO(_file(day, f"{dataset}.csv").decode("utf-8-sig"))))


def test_nothing_private_in_any_file(world):
    _write()
    folder = snapshots.snapshot_root() / DAY.isoformat()
    text = "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    assert "@" not in text.replace("@example.com", "")  # no other addresses either
    for user in User.objects.all():
        assert user.email not in text
    assert "Secretstaff" not in text
    assert "Secretresponder" not in text
    for _, private in PERSONAL:
        assert private not in text
    assert "Rae Raiser" in text  # a name its owner chose to show next to their flag
    assert "Secretanswerer" not in text
    assert "ola.answer" not in text


def test_calls_for_views_and_their_answers_are_in_the_files(world):
    _write()
    calls = [json.loads(line) for line in _file(DAY, "calls-for-views.jsonl").splitlines()]
    assert len(calls) == 1
    call = calls[0]
    assert call["answers"] == 2 and call["open"] is False
    assert call["outcome"]["we_did"] == "We opened three surgeries until 8pm."
    assert [q["text"] for q in call["questions"]] == [
        "What would make it easier to see a GP?",
        "Would you use evening appointments?",
    ]
    answers = [json.loads(line) for line in _file(DAY, "call-for-views-answers.jsonl").splitlines()]
    assert answers == [
        {"call_id": call["id"], "answers": ["=Saturday mornings", "Yes"]},
        {"call_id": call["id"], "answers": ["Evenings, write to [email]", "Yes"]},
    ]
    rows = rows_of(DAY, "call-for-views-answers")
    # The CSV holds each record's answers as a JSON list, as the file's other nested values.
    assert json.loads(rows[0]["answers"]) == ["=Saturday mornings", "Yes"]
    assert rows_of(DAY, "calls-for-views")[0]["title"] == "Evening GP appointments"


def test_running_again_the_same_day_replaces_the_snapshot_whole(world):
    first = _write()
    folder = first.path
    (folder / "stale.jsonl").write_text("left over\n")
    commitment_services.check_add_commitment(
        by=world["responder"],
        to=answered_referral(responder=world["responder"])[0],
        draft=draft("Another promise", due_in_days=10),
    )
    second = _write()
    assert second.path == folder
    assert not (folder / "stale.jsonl").exists()
    assert b"Another promise" in _file(DAY, "commitments.jsonl")
    manifest = snapshots.list_snapshots()
    assert len(manifest) == 1
    assert {f["sha256"] for f in manifest[0]["files"]} == {f["sha256"] for f in second.files}
    assert [p.name for p in snapshots.snapshot_root().iterdir()] == [DAY.isoformat()]


def test_a_failed_run_leaves_the_last_snapshot_listed_and_nothing_half_written(world, monkeypatch):
    _write()
    before = snapshots.list_snapshots()

    def broken():
        yield {"id": 1}
        raise RuntimeError("database went away")

    real = snapshots.datasets

    def with_a_broken_one():
        sets = real()
        return [*sets[:1], snapshots.Dataset("broken", "x", broken, ["id"], lambda: [])]

    monkeypatch.setattr(snapshots, "datasets", with_a_broken_one)
    with pytest.raises(RuntimeError):
        _write()
    assert snapshots.list_snapshots() == before
    assert [p.name for p in snapshots.snapshot_root().iterdir()] == [DAY.isoformat()]


def test_a_folder_without_its_manifest_is_not_listed(world, settings):
    (snapshots.snapshot_root() / "2027-01-09").mkdir(parents=True)
    (snapshots.snapshot_root() / "2027-01-09" / "flags.jsonl").write_text("{}\n")
    assert snapshots.list_snapshots() == []


def test_old_snapshots_are_pruned(world):
    for offset in range(5):
        _write(DAY + datetime.timedelta(days=offset))
    days = [s["date"] for s in snapshots.list_snapshots()]
    assert days == ["2027-01-08", "2027-01-07", "2027-01-06"]
    assert sorted(p.name for p in snapshots.snapshot_root().iterdir()) == sorted(days)


def test_folders_left_by_a_killed_run_are_deleted_once_a_day_old(world):
    root = snapshots.snapshot_root()
    old = root / ".writing-2027-01-01-abc"
    fresh = root / ".writing-2027-01-04-def"
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "flags.jsonl").write_text("{}\n")
    a_while_ago = old.stat().st_mtime - 2 * snapshots.LEFTOVER_AGE_SECONDS
    os.utime(old, (a_while_ago, a_while_ago))
    snapshots.prune()
    assert not old.exists()
    assert fresh.exists()


def test_the_command_and_the_job_write_a_snapshot(world):
    out = io.StringIO()
    call_command("write_open_data_snapshot", "--date", "2027-01-02", stdout=out)
    assert "flags.jsonl" in out.getvalue()
    assert (snapshots.snapshot_root() / "2027-01-02" / "manifest.json").is_file()
    result = write_open_data_snapshot.enqueue()
    assert "audit-log.csv" in result.return_value["files"]
    assert len(snapshots.list_snapshots()) == 2


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="must be a date"):
        call_command("write_open_data_snapshot", "--date", "4 January")
    assert not snapshots.snapshot_root().exists()


def test_the_open_data_page_lists_snapshots_and_serves_their_files(client, world):
    _write()
    _write(DAY - datetime.timedelta(days=1))
    page = client.get(reverse("core:open_data"))
    html = page.content.decode()
    manifest = snapshots.list_snapshots()[0]
    for entry in manifest["files"]:
        assert entry["sha256"] in html
        url = reverse("core:open_data_snapshot_file", args=["2027-01-04", entry["name"]])
        assert url in html
    assert "Files saved on 2027-01-03" in html

    url = reverse("core:open_data_snapshot_file", args=["2027-01-04", "flags.jsonl"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == _file(DAY, "flags.jsonl")
    sums = client.get(reverse("core:open_data_snapshot_file", args=["2027-01-04", "SHA256SUMS"]))
    assert b"".join(sums.streaming_content) == _file(DAY, "SHA256SUMS")


def test_the_open_data_page_says_when_there_are_no_files_yet(client, db):
    html = client.get(reverse("core:open_data")).content.decode()
    assert "There are no daily files yet" in html


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/snapshots/2027-01-04/../../../etc/passwd",
        "/open-data/snapshots/2027-01-04/..%2F..%2Fnhs_citizen.sqlite3",
        "/open-data/snapshots/2027-01-04/%2e%2e/2027-01-04/flags.jsonl",
        "/open-data/snapshots/../2027-01-04/flags.jsonl",
        "/open-data/snapshots/2027-01-04/manifest.json",
        "/open-data/snapshots/2027-01-04/secret.jsonl",
        "/open-data/snapshots/2027-01-04/sub/flags.jsonl",
        "/open-data/snapshots/2027-01-04//etc/passwd",
        "/open-data/snapshots/2027-1-4/flags.jsonl",
        "/open-data/snapshots/2027-01-05/flags.jsonl",
        "/open-data/snapshots/.writing-2027-01-04-x/flags.jsonl",
    ],
)
def test_bad_download_paths_are_not_found(client, world, path, tmp_path):
    _write()
    (tmp_path / "outside.jsonl").write_text("secret\n")
    os.symlink(
        tmp_path / "outside.jsonl", snapshots.snapshot_root() / "2027-01-04" / "secret.jsonl"
    )
    assert client.get(path).status_code == 404


def test_a_symlink_out_of_the_folder_is_refused(world, tmp_path):
    _write()
    (tmp_path / "outside.csv").write_text("secret\n")
    os.symlink(tmp_path / "outside.csv", snapshots.snapshot_root() / "2027-01-04" / "x.csv")
    assert snapshots.snapshot_file("2027-01-04", "x.csv") is None
    assert snapshots.snapshot_file("2027-01-04", "flags.csv") is not None


def test_the_open_data_page_links_the_api_and_lists_the_feeds(client, db):
    html = client.get(reverse("core:open_data")).content.decode()
    for name in (
        "api:openapi-view",
        "api:openapi-json",
        "gather:flags_feed",
        "tracker:updates_feed",
        "assembly:calendar",
    ):
        assert f'href="{reverse(name)}"' in html, name
    assert client.get(reverse("api:openapi-view")).status_code == 200
    assert "You will soon be able to" not in html
