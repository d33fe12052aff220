"""Reading and writing Pol.is openData export folders (conversations.algorithms.polis_format)."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nhs_citizen.conversations.algorithms.opinion import opinion_map
from nhs_citizen.conversations.algorithms.polis_format import (
    PolisComment,
    PolisVote,
    polis_datetime,
    read_export,
    write_export,
)

# A small export in Pol.is's layout: a quoted body with a comma, a rejected comment, a changed
# vote (participant 3 on comment 1: -1, then 0, then 1 by time), second-resolution times.
COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1593461131,Mon Jun 29 2020 20:05:31 GMT+0000 (Coordinated Universal Time),0,0,2,0,1,"
    '"More evening appointments, please."\n'
    "1593461482,Mon Jun 29 2020 20:11:22 GMT+0000 (Coordinated Universal Time),1,4,1,0,0,"
    "Keep the walk-in centre open.\n"
    "1593461494,Mon Jun 29 2020 20:11:34 GMT+0000 (Coordinated Universal Time),2,0,0,1,-1,"
    "Rejected by a moderator.\n"
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "1594984322,Fri Jul 17 2020 11:12:02 GMT+0000 (Coordinated Universal Time),0,0,1\n"
    "1594148968,Tue Jul 07 2020 19:09:28 GMT+0000 (Coordinated Universal Time),0,3,1\n"
    "1594100000,Tue Jul 07 2020 05:33:20 GMT+0000 (Coordinated Universal Time),1,3,-1\n"
    "1594200000,Wed Jul 08 2020 09:20:00 GMT+0000 (Coordinated Universal Time),1,3,1\n"
    "1594150000,Tue Jul 07 2020 19:26:40 GMT+0000 (Coordinated Universal Time),1,3,0\n"
    "1594067327,Mon Jul 06 2020 20:28:47 GMT+0000 (Coordinated Universal Time),2,5,-1\n"
)
PARTICIPANTS = (
    "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
    "0,0,2,1,1,0,1,,\n"
    "3,1,0,2,2,0,1,1,\n"
    "5,,0,1,0,1,,,-1\n"
)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_reads_votes_csv_with_the_export_sign_convention(tmp_path):
    export = read_export(_folder(tmp_path, {"comments.csv": COMMENTS, "votes.csv": VOTES}))
    assert export.source == "votes.csv"
    assert [c.id for c in export.comments] == [0, 1, 2]
    assert export.comments[0].body == "More evening appointments, please."
    assert [c.moderated for c in export.comments] == [1, 0, -1]
    assert len(export.votes) == 6
    # Agree is +1 in exports: participant 3's latest vote on comment 1 (by time) is agree.
    triples = export.vote_triples()
    assert [t for t in triples if t[:2] == (3, 1)][-1] == (3, 1, 1)
    m = opinion_map(triples, [c.id for c in export.comments])
    assert [(f.agree, f.disagree, f.passed) for f in m.statements] == [
        (2, 0, 0),
        (1, 0, 0),
        (0, 1, 0),
    ]
    # The counts in comments.csv (1 = agree) say the same.
    assert [(c.agrees, c.disagrees) for c in export.comments] == [(2, 0), (1, 0), (0, 1)]


def test_reads_participants_votes_csv_alone_and_groups_from_it(tmp_path):
    export = read_export(
        _folder(tmp_path, {"comments.csv": COMMENTS, "participants-votes.csv": PARTICIPANTS})
    )
    assert export.source == "participants-votes.csv"
    assert sorted((v.participant, v.comment, v.vote) for v in export.votes) == [
        (0, 0, 1),
        (3, 0, 1),
        (3, 1, 1),
        (5, 2, -1),
    ]
    assert export.groups == {0: 0, 3: 1, 5: None}
    both = read_export(
        _folder(tmp_path, {"votes.csv": VOTES})  # now all three files are there
    )
    assert both.source == "votes.csv" and both.groups == {0: 0, 3: 1, 5: None}


def test_writes_the_same_layout_and_a_round_trip_is_exact(tmp_path):
    source = _folder(tmp_path, {"comments.csv": COMMENTS, "votes.csv": VOTES})
    export = read_export(source)
    files = write_export(export.comments, export.votes, {0: 0, 3: 1})
    # comments.csv and votes.csv come back byte for byte as Pol.is wrote them.
    assert files["comments.csv"] == COMMENTS
    assert files["votes.csv"] == VOTES
    assert files["participants-votes.csv"] == PARTICIPANTS
    again = tmp_path / "again"
    again.mkdir()
    _folder(again, files)
    reread = read_export(again)
    assert reread.comments == export.comments and reread.votes == export.votes
    assert write_export(reread.comments, reread.votes, reread.groups) == files


def test_round_trip_from_participants_votes_only(tmp_path):
    export = read_export(
        _folder(tmp_path, {"comments.csv": COMMENTS, "participants-votes.csv": PARTICIPANTS})
    )
    files = write_export(export.comments, export.votes, export.groups)
    assert files["participants-votes.csv"] == PARTICIPANTS
    again = tmp_path / "again"
    again.mkdir()
    reread = read_export(_folder(again, files))
    assert write_export(reread.comments, reread.votes, reread.groups) == files


def test_written_files_load_with_red_dwarfs_models():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from reddwarf.models import Statement, Vote
    when = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    comments = [
        PolisComment(
            id=1,
            author=7,
            body='Say "hello", then <listen>',
            moderated=1,
            timestamp=int(when.timestamp()),
            datetime=polis_datetime(when),
        ),
    ]
    votes = [
        PolisVote(
            participant=7,
            comment=1,
            vote=1,
            timestamp=int(when.timestamp()),
            datetime=polis_datetime(when),
        ),
        PolisVote(
            participant=8,
            comment=1,
            vote=-1,
            timestamp=int(when.timestamp()) + 5,
            datetime=polis_datetime(when),
        ),
    ]
    files = write_export(comments, votes)
    loaded_votes = [Vote(**row) for row in csv.DictReader(io.StringIO(files["votes.csv"]))]
    assert [(v.participant_id, v.statement_id, int(v.vote)) for v in loaded_votes] == [
        (7, 1, 1),
        (8, 1, -1),
    ]
    (statement,) = [Statement(**r) for r in csv.DictReader(io.StringIO(files["comments.csv"]))]
    assert statement.txt == 'Say "hello", then <listen>'
    assert (statement.agree_count, statement.disagree_count) == (1, 1)
    assert polis_datetime(when) == "Tue Nov 03 2026 09:30:00 GMT+0000 (Coordinated Universal Time)"


@pytest.mark.parametrize(
    "files,message",
    [
        ({}, "no comments.csv"),
        ({"comments.csv": COMMENTS}, "neither votes.csv nor participants-votes.csv"),
        ({"comments.csv": "", "votes.csv": VOTES}, "comments.csv is empty"),
        (
            {"comments.csv": COMMENTS.replace(",comment-body", ",text"), "votes.csv": VOTES},
            "comments.csv is missing the column 'comment-body'",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,vote\n"},
            "votes.csv is missing the columns 'datetime', 'voter-id'",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": VOTES.replace(",0,0,1\n", ",0,0,agree\n")},
            r"votes.csv, line 2: a vote must be 1 \(agree\), -1 \(disagree\) or 0 \(pass\), not 'agree'",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": VOTES.replace(",2,5,-1", ",9,5,-1")},
            "votes.csv, line 7: comment 9 is not in comments.csv",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": VOTES.replace(",0,3,1", ",0,x,1")},
            "votes.csv, line 3: 'voter-id' should be a whole number, not x",
        ),
        (
            {"comments.csv": COMMENTS.replace(',0,1,"More', ',0,2,"More'), "votes.csv": VOTES},
            "comments.csv, line 2: 'moderated' should be 1, 0 or -1, not 2",
        ),
        (
            {"comments.csv": COMMENTS + COMMENTS.splitlines()[1] + "\n", "votes.csv": VOTES},
            "comments.csv, line 5: comment 0 appears twice",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": VOTES + "1,x,0,9\n"},
            "votes.csv, line 8: expected 5 values, found 4",
        ),
        (
            {
                "comments.csv": COMMENTS,
                "participants-votes.csv": PARTICIPANTS.replace(",0,1,2\n", ",0,1,two\n"),
            },
            "participants-votes.csv: the column 'two' should be a comment id",
        ),
        (
            {
                "comments.csv": COMMENTS,
                "participants-votes.csv": PARTICIPANTS.replace(
                    "5,,0,1,0,1,,,-1", "5,,0,1,0,1,,,yes"
                ),
            },
            "participants-votes.csv, line 4, comment 2: a vote must be",
        ),
        (
            {"comments.csv": b"\xff\xfe bad".decode("latin-1"), "votes.csv": VOTES},
            "comments.csv is missing the columns",
        ),
    ],
)
def test_bad_folders_get_plain_english_errors(tmp_path, files, message):
    with pytest.raises(ValueError, match=message):
        read_export(_folder(tmp_path, files))


def test_not_a_folder_and_not_utf8(tmp_path):
    with pytest.raises(ValueError, match="There is no folder at"):
        read_export(tmp_path / "missing")
    (tmp_path / "comments.csv").write_bytes(b"timestamp,\xff\xfe\n")
    with pytest.raises(ValueError, match="comments.csv is not a UTF-8 text file"):
        read_export(tmp_path)


def test_writing_refuses_inconsistent_input():
    comment = PolisComment(id=1, author=1, body="One")
    with pytest.raises(ValueError, match="comment 2, which is not in the comments"):
        write_export([comment], [PolisVote(participant=1, comment=2, vote=1)])
    with pytest.raises(ValueError, match="a vote must be|A vote must be"):
        write_export([comment], [PolisVote(participant=1, comment=1, vote=5)])
    with pytest.raises(ValueError, match="appears twice"):
        write_export([comment, comment], [])
    with pytest.raises(ValueError, match="time zone"):
        polis_datetime(datetime(2026, 1, 1))
