"""Read and write Pol.is openData export folders.

A Pol.is export folder holds (among others):

- ``comments.csv``: ``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,
  comment-body`` (moderated: 1 accepted, 0 not yet moderated, -1 rejected);
- ``votes.csv``: ``timestamp,datetime,comment-id,voter-id,vote``, one row per vote, possibly
  several per person and comment (the latest counts);
- ``participants-votes.csv``: ``participant,group-id,n-comments,n-votes,n-agree,n-disagree``
  and then one column per comment id, holding that person's vote or nothing.

Votes use the export convention ``1`` agree, ``-1`` disagree, ``0`` pass (the Pol.is
database and API store agree as -1; its export flips the sign, and red-dwarf's CSV loader takes
the export as it is while negating votes fetched from the API). Timestamps are whole seconds.

:func:`read_export` accepts a folder with ``comments.csv`` and ``votes.csv`` and/or
``participants-votes.csv``; bad or missing input raises ValueError with a plain-English
message. :func:`write_export` writes the three files in the same layout, so that reading what
it wrote and writing again gives the same text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"

COMMENT_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = (
    "participant",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)


@dataclass(frozen=True)
class PolisComment:
    id: int
    author: int
    body: str
    moderated: int = 1  # 1 accepted, 0 waiting, -1 rejected
    timestamp: int | None = None  # seconds since 1970
    datetime: str = ""
    agrees: int = 0  # as read from comments.csv; write_export counts them from the votes
    disagrees: int = 0


@dataclass(frozen=True)
class PolisVote:
    participant: int
    comment: int
    vote: int  # 1 agree, -1 disagree, 0 pass
    timestamp: int | None = None
    datetime: str = ""


@dataclass(frozen=True)
class PolisExport:
    comments: tuple[PolisComment, ...]
    votes: tuple[PolisVote, ...]
    groups: dict = field(default_factory=dict)  # participant -> group id (None if ungrouped)
    source: str = VOTES  # which file the votes came from

    def vote_triples(self) -> list[tuple[int, int, int]]:
        """(participant, comment, vote) in time order (file order for equal or no times), as
        :func:`opinion_map` takes them: the latest vote per person and comment counts."""
        order = sorted(
            range(len(self.votes)),
            key=lambda i: (self.votes[i].timestamp is not None, self.votes[i].timestamp or 0, i),
        )
        return [
            (self.votes[i].participant, self.votes[i].comment, self.votes[i].vote) for i in order
        ]


def polis_datetime(moment: datetime) -> str:
    """The ``datetime`` column as Pol.is writes it (JavaScript's Date.toString, in UTC)."""
    if moment.tzinfo is None:
        raise ValueError("The time must say which time zone it is in.")
    utc = moment.astimezone(UTC)
    return utc.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


# --------------------------------------------------------------------------- reading


def _read_csv(path: Path, required: Iterable[str]) -> tuple[list[str], list[dict]]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not a UTF-8 text file.") from None
    except OSError as exc:
        raise ValueError(f"Could not read {name}: {exc.strerror or exc}.") from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise ValueError(f"{name} is not a valid CSV file ({exc}).") from None
    if not rows:
        raise ValueError(f"{name} is empty: it has no header row.")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise ValueError(f"{name} is missing the {plural} {listed}.")
    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not row or (len(row) == 1 and row[0] == ""):
            continue  # a blank line
        if len(row) != len(header):
            raise ValueError(
                f"{name}, line {line_no}: expected {len(header)} values, found {len(row)}."
            )
        record = dict(zip(header, row, strict=True))
        record["_line"] = line_no
        records.append(record)
    return header, records


def _int(record: dict, column: str, name: str, *, blank_ok: bool = False) -> int | None:
    value = record[column].strip()
    if value == "" and blank_ok:
        return None
    try:
        return int(value)
    except ValueError:
        shown = value if value else "nothing"
        raise ValueError(
            f"{name}, line {record['_line']}: '{column}' should be a whole number, not {shown}."
        ) from None


def _vote(value: str, where: str) -> int:
    value = value.strip()
    if value not in ("1", "-1", "0"):
        shown = f"'{value}'" if value else "nothing"
        raise ValueError(
            f"{where}: a vote must be 1 (agree), -1 (disagree) or 0 (pass), not {shown}."
        )
    return int(value)


def _read_comments(path: Path) -> tuple[PolisComment, ...]:
    _, records = _read_csv(path, COMMENT_COLUMNS)
    comments = []
    seen = set()
    for r in records:
        cid = _int(r, "comment-id", COMMENTS)
        if cid in seen:
            raise ValueError(f"{COMMENTS}, line {r['_line']}: comment {cid} appears twice.")
        seen.add(cid)
        moderated = _int(r, "moderated", COMMENTS)
        if moderated not in (-1, 0, 1):
            raise ValueError(
                f"{COMMENTS}, line {r['_line']}: 'moderated' should be 1, 0 or -1, not {moderated}."
            )
        agrees = _int(r, "agrees", COMMENTS)
        disagrees = _int(r, "disagrees", COMMENTS)
        if agrees < 0 or disagrees < 0:
            raise ValueError(f"{COMMENTS}, line {r['_line']}: vote counts cannot be negative.")
        comments.append(
            PolisComment(
                id=cid,
                author=_int(r, "author-id", COMMENTS),
                body=r["comment-body"],
                moderated=moderated,
                timestamp=_int(r, "timestamp", COMMENTS, blank_ok=True),
                datetime=r["datetime"],
                agrees=agrees,
                disagrees=disagrees,
            )
        )
    return tuple(comments)


def _read_votes(path: Path, known: set) -> tuple[PolisVote, ...]:
    _, records = _read_csv(path, VOTE_COLUMNS)
    votes = []
    for r in records:
        cid = _int(r, "comment-id", VOTES)
        if cid not in known:
            raise ValueError(f"{VOTES}, line {r['_line']}: comment {cid} is not in {COMMENTS}.")
        votes.append(
            PolisVote(
                participant=_int(r, "voter-id", VOTES),
                comment=cid,
                vote=_vote(r["vote"], f"{VOTES}, line {r['_line']}"),
                timestamp=_int(r, "timestamp", VOTES, blank_ok=True),
                datetime=r["datetime"],
            )
        )
    return tuple(votes)


def _read_participants_votes(path: Path, known: set) -> tuple[tuple[PolisVote, ...], dict]:
    header, records = _read_csv(path, PARTICIPANT_COLUMNS)
    comment_columns = [h for h in header if h not in PARTICIPANT_COLUMNS]
    ids = []
    for h in comment_columns:
        try:
            cid = int(h)
        except ValueError:
            raise ValueError(
                f"{PARTICIPANTS_VOTES}: the column '{h}' should be a comment id (a whole number)."
            ) from None
        if cid not in known:
            raise ValueError(f"{PARTICIPANTS_VOTES}: comment {cid} is not in {COMMENTS}.")
        ids.append((h, cid))
    votes = []
    groups = {}
    for r in records:
        pid = _int(r, "participant", PARTICIPANTS_VOTES)
        if pid in groups:
            raise ValueError(
                f"{PARTICIPANTS_VOTES}, line {r['_line']}: participant {pid} appears twice."
            )
        groups[pid] = _int(r, "group-id", PARTICIPANTS_VOTES, blank_ok=True)
        for column, cid in ids:
            cell = r[column].strip()
            if cell == "":
                continue
            where = f"{PARTICIPANTS_VOTES}, line {r['_line']}, comment {cid}"
            votes.append(PolisVote(participant=pid, comment=cid, vote=_vote(cell, where)))
    return tuple(votes), groups


def read_export(folder: Path) -> PolisExport:
    """Read a Pol.is export folder. Votes come from votes.csv when it is there (it has the
    times), otherwise from participants-votes.csv; groups from participants-votes.csv."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"There is no folder at {folder}.")
    if not (folder / COMMENTS).is_file():
        raise ValueError(f"The folder has no {COMMENTS}: it is needed for the statements.")
    comments = _read_comments(folder / COMMENTS)
    known = {c.id for c in comments}
    has_votes = (folder / VOTES).is_file()
    has_matrix = (folder / PARTICIPANTS_VOTES).is_file()
    if not has_votes and not has_matrix:
        raise ValueError(
            f"The folder has neither {VOTES} nor {PARTICIPANTS_VOTES}: there are no votes."
        )
    groups: dict = {}
    if has_matrix:
        matrix_votes, groups = _read_participants_votes(folder / PARTICIPANTS_VOTES, known)
    if has_votes:
        return PolisExport(comments, _read_votes(folder / VOTES, known), groups, VOTES)
    return PolisExport(comments, matrix_votes, groups, PARTICIPANTS_VOTES)


# --------------------------------------------------------------------------- writing


def _csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def write_export(
    comments: Iterable[PolisComment],
    votes: Iterable[PolisVote],
    groups: Mapping | None = None,
) -> dict[str, str]:
    """File name -> CSV text for comments.csv, votes.csv and participants-votes.csv.

    Votes are written in the order given; the counts (agrees, disagrees, n-votes, ...) and
    the participants-votes matrix use each person's latest vote per comment. ``groups`` maps
    participant -> group id (missing or None: no group).
    """
    comments = list(comments)
    votes = list(votes)
    groups = dict(groups or {})
    ids = [c.id for c in comments]
    if len(set(ids)) != len(ids):
        raise ValueError("A comment id appears twice.")
    known = set(ids)
    latest: dict = {}
    for v in votes:
        if v.comment not in known:
            raise ValueError(f"A vote is for comment {v.comment}, which is not in the comments.")
        if v.vote not in (1, -1, 0) or isinstance(v.vote, bool):
            raise ValueError(
                f"A vote must be 1 (agree), -1 (disagree) or 0 (pass), not {v.vote!r}."
            )
        # Latest by time when times are known, otherwise by order.
        key = (v.participant, v.comment)
        old = latest.get(key)
        if old is None or (v.timestamp or 0) >= (old.timestamp or 0):
            latest[key] = v
    agrees: dict = {}
    disagrees: dict = {}
    per_person: dict = {}
    for (pid, cid), v in latest.items():
        if v.vote == 1:
            agrees[cid] = agrees.get(cid, 0) + 1
        elif v.vote == -1:
            disagrees[cid] = disagrees.get(cid, 0) + 1
        per_person.setdefault(pid, {})[cid] = v.vote
    authored: dict = {}
    for c in comments:
        authored[c.author] = authored.get(c.author, 0) + 1

    files = {}
    files[COMMENTS] = _csv_text(
        COMMENT_COLUMNS,
        (
            (
                c.timestamp,
                c.datetime,
                c.id,
                c.author,
                agrees.get(c.id, 0),
                disagrees.get(c.id, 0),
                c.moderated,
                c.body,
            )
            for c in comments
        ),
    )
    files[VOTES] = _csv_text(
        VOTE_COLUMNS,
        ((v.timestamp, v.datetime, v.comment, v.participant, v.vote) for v in votes),
    )
    columns = sorted(ids)
    people = sorted(set(per_person) | {p for p in groups if groups[p] is not None}, key=_order)
    rows = []
    for pid in people:
        mine = per_person.get(pid, {})
        values = list(mine.values())
        rows.append(
            [
                pid,
                groups.get(pid),
                authored.get(pid, 0),
                len(values),
                values.count(1),
                values.count(-1),
            ]
            + [mine.get(cid) for cid in columns]
        )
    files[PARTICIPANTS_VOTES] = _csv_text(
        list(PARTICIPANT_COLUMNS) + [str(c) for c in columns], rows
    )
    return files


def _order(value):
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))
