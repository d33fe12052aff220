"""Nightly bulk files: every public open-data set, written to disk once a day as JSON Lines and
CSV, with SHA-256 checksums.

A snapshot is a folder ``<OPEN_DATA_SNAPSHOT_DIR>/<YYYY-MM-DD>/`` holding ``<dataset>.jsonl``,
``<dataset>.csv``, ``SHA256SUMS`` and, written last, ``manifest.json`` (dates, files, sizes,
checksums), which is all the open data page reads. Rows come from the same generators as the
live downloads (read from the database in keyset chunks), and are written to disk a chunk at a
time while their checksum is worked out, so memory stays the same whatever the size.

Everything is written to a hidden temporary folder first and renamed into place only when it
is complete: a half-written snapshot is never listed, and running again on the same day
replaces the day's snapshot whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from nhs_citizen.core import streaming

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEFTOVER_AGE_SECONDS = 24 * 60 * 60
FILE_PATTERN = re.compile(r"^[a-z0-9-]+\.(jsonl|csv)$")


@dataclass(frozen=True)
class Dataset:
    """One open-data set: its JSON Lines items, and its CSV header and rows (rows are made safe
    for spreadsheets here, as the live downloads make them)."""

    name: str
    description: str
    items: Callable[[], Iterable[dict[str, Any]]]
    csv_header: list[str]
    csv_rows: Callable[[], Iterable[list[Any]]]
    # What the live download does to its CSV's bytes, if anything (the culture measures
    # leave out the byte order mark).
    csv_finish: Callable[[Iterable[bytes]], Iterable[bytes]] | None = None


def _flat_cell(value: Any) -> Any:
    """A cell for datasets whose only live download is JSON: nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(
            value,
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )
    if isinstance(value, date | datetime):
        # As in the JSON Lines file.
        return DjangoJSONEncoder().default(value)
    return value


def _flattened(columns: list[str], items: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    for item in items:
        yield [_flat_cell(item.get(column)) for column in columns]


FLAG_COLUMNS = [
    "id",
    "hidden",
    "hidden_reason",
    "url",
    "title",
    "what_should_change",
    "why",
    "topic",
    "scope",
    "place",
    "region",
    "icb_area",
    "raised_by",
    "raised_for",
    "raised_at",
    "status",
    "status_line",
    "supporters",
    "merged_into",
    "review_decisions",
    "referrals",
]

AUDIT_COLUMNS = [
    "sequence",
    "previous_hash",
    "entry_hash",
    "is_public",
    "created_at",
    "actor_id",
    "actor",
    "action",
    "summary",
    "target_type",
    "target_id",
    "reason",
    "data",
]


def datasets() -> list[Dataset]:
    """Every public dataset the site exports, each from its live download's own generator (in
    each app's public ``queries`` or ``open_data`` module, never a view)."""
    from nhs_citizen.core.queries import audit_export_rows
    from nhs_citizen.core.services.audit import audit_head
    from nhs_citizen.culture import presenters as culture_presenters
    from nhs_citizen.culture import queries as culture
    from nhs_citizen.culture.forms import MeasuresFilterForm
    from nhs_citizen.discover import queries as discover
    from nhs_citizen.gather import queries as gather_queries
    from nhs_citizen.meetings import queries as meetings
    from nhs_citizen.tracker import open_data as tracker
    from nhs_citizen.tracker import queries as tracker_queries
    from nhs_citizen.tracker.models import CommitmentUpdate

    today = timezone.localdate()

    def audit_items():
        return audit_export_rows(audit_head()["sequence"])

    # The league table for the default period, all kinds of body: what the download gives.
    measures_filters = MeasuresFilterForm(None).filters()
    measure_fields = culture_presenters.OPEN_DATA_FIELDS

    def evidence():
        return gather_queries.evidence_records(lambda path: settings.SITE_URL + path)

    def statements():
        return (discover.statement_record(item) for item in discover.export_items())

    return [
        Dataset(
            "flags",
            "Every flag, its review decisions, referrals and answers",
            gather_queries.flag_records,
            FLAG_COLUMNS,
            lambda: tracker.safe_csv_rows(_flattened(FLAG_COLUMNS, gather_queries.flag_records())),
        ),
        Dataset(
            "commitments",
            "Every commitment and its updates",
            lambda: tracker.commitment_records(today),
            tracker.COMMITMENT_COLUMNS,
            lambda: tracker.safe_csv_rows(tracker.commitment_csv_rows(today)),
        ),
        Dataset(
            "commitment-updates",
            "Every update on a commitment",
            lambda: (
                tracker.update_record(update)
                for update in streaming.iterate_keyset(CommitmentUpdate.objects.all())
            ),
            tracker.UPDATE_COLUMNS,
            lambda: tracker.safe_csv_rows(tracker.update_csv_rows()),
        ),
        Dataset(
            "audit-log",
            "The public audit log, with every link of its hash chain",
            audit_items,
            AUDIT_COLUMNS,
            lambda: tracker.safe_csv_rows(_flattened(AUDIT_COLUMNS, audit_items())),
        ),
        Dataset(
            "culture-measures",
            "How each NHS body answers, and how many of its promises it keeps",
            lambda: culture.open_data_rows(measures_filters),
            measure_fields,
            lambda: (
                [culture.csv_cell(row[key]) for key in measure_fields]
                for row in culture.open_data_rows(measures_filters)
            ),
            csv_finish=culture.without_bom,
        ),
        Dataset(
            "discover-statements",
            "What people said, with names and contact details taken out",
            statements,
            discover.ITEM_COLUMNS,
            lambda: (discover.item_csv_row(record) for record in statements()),
        ),
        Dataset(
            "discover-topics",
            "What people talk about most: each topic, how often and how they feel",
            discover.topic_records,
            discover.TOPIC_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(discover.TOPIC_COLUMNS, discover.topic_records())
            ),
        ),
        Dataset(
            "stories",
            "Stories of change: what changed in how an NHS body listens, told by someone who saw it",
            culture.story_records,
            culture.STORY_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(culture.STORY_COLUMNS, culture.story_records())
            ),
        ),
        Dataset(
            "panel-commissions",
            "The Citizen Panels the Assembly commissioned, and their reports",
            meetings.commission_records,
            meetings.COMMISSION_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(meetings.COMMISSION_COLUMNS, meetings.commission_records())
            ),
        ),
        Dataset(
            "board-responses",
            "The NHS England Board's responses, and how people said each reflects their views",
            tracker_queries.board_response_records,
            tracker_queries.BOARD_RESPONSE_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(
                    tracker_queries.BOARD_RESPONSE_COLUMNS, tracker_queries.board_response_records()
                )
            ),
        ),
        Dataset(
            "board-response-comments",
            "What people said about each Board response, without names or contact details",
            tracker_queries.board_response_comment_records,
            tracker_queries.BOARD_RESPONSE_COMMENT_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(
                    tracker_queries.BOARD_RESPONSE_COMMENT_COLUMNS,
                    tracker_queries.board_response_comment_records(),
                )
            ),
        ),
        Dataset(
            "flag-comments",
            "Every flag's discussion, with the name each person chose to show",
            gather_queries.comment_records,
            gather_queries.COMMENT_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(gather_queries.COMMENT_COLUMNS, gather_queries.comment_records())
            ),
        ),
        Dataset(
            "flag-evidence",
            "The evidence people added to each flag: links and files",
            evidence,
            gather_queries.EVIDENCE_COLUMNS,
            lambda: tracker.safe_csv_rows(_flattened(gather_queries.EVIDENCE_COLUMNS, evidence())),
        ),
        Dataset(
            "flag-roundups",
            "Each flag's roundup: the change needed, the action and who should act",
            gather_queries.roundup_records,
            gather_queries.ROUNDUP_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(gather_queries.ROUNDUP_COLUMNS, gather_queries.roundup_records())
            ),
        ),
        Dataset(
            "calls-for-views",
            "Every call for views, its questions, how many answered and what the body did",
            lambda: gather_queries.call_records(today),
            gather_queries.CALL_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(gather_queries.CALL_COLUMNS, gather_queries.call_records(today))
            ),
        ),
        Dataset(
            "call-for-views-answers",
            "Everyone's answers to closed calls for views, with personal details taken out",
            lambda: gather_queries.call_answer_records(today),
            gather_queries.CALL_ANSWER_COLUMNS,
            lambda: tracker.safe_csv_rows(
                _flattened(
                    gather_queries.CALL_ANSWER_COLUMNS, gather_queries.call_answer_records(today)
                )
            ),
        ),
    ]


def _csv(dataset: Dataset) -> Iterable[bytes]:
    chunks = streaming.csv_rows(dataset.csv_header, dataset.csv_rows())
    return dataset.csv_finish(chunks) if dataset.csv_finish else chunks


def snapshot_root() -> Path:
    return Path(settings.OPEN_DATA_SNAPSHOT_DIR)


@dataclass(frozen=True)
class SnapshotResult:
    day: date
    path: Path
    files: list[dict[str, Any]]
    pruned: list[str]


def _write(path: Path, chunks: Iterable[bytes]) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return {"name": path.name, "size": size, "sha256": digest.hexdigest()}


def write_snapshot(day: date | None = None) -> SnapshotResult:
    """Write the day's snapshot (today's by default), replace any earlier one of that day,
    then keep only the newest ``OPEN_DATA_SNAPSHOTS_KEEP``."""
    day = day or timezone.localdate()
    root = snapshot_root()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".writing-{day.isoformat()}-", dir=root))
    try:
        files: list[dict[str, Any]] = []
        for dataset in datasets():
            for kind, chunks in (
                ("jsonl", streaming.json_lines(dataset.items())),
                ("csv", _csv(dataset)),
            ):
                entry = _write(work / f"{dataset.name}.{kind}", chunks)
                files.append({**entry, "dataset": dataset.name, "description": dataset.description})
        sums = "".join(f"{entry['sha256']}  {entry['name']}\n" for entry in files)
        (work / CHECKSUMS).write_text(sums, encoding="utf-8")
        manifest = {
            "date": day.isoformat(),
            "written_at": timezone.now().isoformat(),
            "licence": streaming.OPEN_DATA_LICENCE,
            "files": files,
        }
        # Written last: a folder without a manifest is never listed.
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        work.chmod(0o755)
        final = root / day.isoformat()
        _swap_into_place(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return SnapshotResult(day=day, path=final, files=files, pruned=prune())


def _swap_into_place(work: Path, final: Path) -> None:
    """Rename the finished folder into place. An earlier snapshot of the same day is first
    renamed aside (one rename each, so at no moment is a half-written folder at ``final``),
    then deleted."""
    aside = None
    if final.exists():
        aside = final.with_name(f".replaced-{final.name}-{uuid.uuid4().hex}")
        os.rename(final, aside)
    os.rename(work, final)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _days(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        (p for p in root.iterdir() if p.is_dir() and DAY_PATTERN.match(p.name)),
        key=lambda p: p.name,
        reverse=True,
    )


def prune(keep: int | None = None) -> list[str]:
    """Delete all but the newest ``keep`` snapshots. Returns the dates deleted."""
    keep = settings.OPEN_DATA_SNAPSHOTS_KEEP if keep is None else keep
    root = snapshot_root()
    removed = []
    for old in _days(root)[max(keep, 1) :]:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old.name)
    # Folders left by a run that was killed part way (never listed), once a day old.
    cutoff = time.time() - LEFTOVER_AGE_SECONDS
    for leftover in root.glob(".*"):
        if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
            shutil.rmtree(leftover, ignore_errors=True)
    return removed


def list_snapshots() -> list[dict[str, Any]]:
    """The snapshots on disk, newest first, each as its stored manifest. Reads one small file
    per snapshot (at most ``OPEN_DATA_SNAPSHOTS_KEEP``); never hashes anything."""
    snapshots = []
    for folder in _days(snapshot_root()):
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        snapshots.append(manifest)
    return snapshots


def snapshot_file(day: str, name: str) -> Path | None:
    """The path of one file of one snapshot, or None if there is no such file. Only names of
    the right shape, inside the snapshot folder, are ever looked at."""
    if not DAY_PATTERN.match(day) or not (FILE_PATTERN.match(name) or name == CHECKSUMS):
        return None
    root = snapshot_root().resolve()
    path = (root / day / name).resolve()
    if path.parent.parent != root or not path.is_file():
        return None
    return path
