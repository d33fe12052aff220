"""Pol.is openData exports: importing one as a closed conversation, and writing any
conversation in the same format (public statements only, people as numbers, no names)."""

from __future__ import annotations

import datetime
import hashlib
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nhs_citizen.conversations.algorithms.polis_format import (
    PolisComment,
    PolisVote,
    polis_datetime,
    read_export,
    write_export,
)
from nhs_citizen.conversations.models import Conversation, Participant, Statement, Vote
from nhs_citizen.conversations.services.bulk import load_votes
from nhs_citizen.conversations.services.conversations import QUESTION_MAX_LENGTH, unique_slug
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.discover.algorithms.redact import redact

REJECTED_REASON = "The moderators of the conversation it was imported from turned it down."
IMPORTED_LENGTH = 1000


def _moment(seconds: int | None) -> datetime.datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def do_import_polis(folder: Path, *, question: str = "", actor=None) -> Conversation:
    """Import a Pol.is export folder as a closed conversation, all of it or none of it.
    Raises ValueError with a plain message for anything that cannot be read."""
    folder = Path(folder)
    export = read_export(folder)
    if not export.comments:
        raise ValueError("comments.csv has no statements in it.")
    for comment in export.comments:
        if comment.id < 0:
            raise ValueError(f"comments.csv: comment id {comment.id} is negative.")
        if not comment.body.strip():
            raise ValueError(f"comments.csv: comment {comment.id} has no words.")
        if len(comment.body) > IMPORTED_LENGTH:
            raise ValueError(
                f"comments.csv: comment {comment.id} is longer than {IMPORTED_LENGTH:,} characters."
            )
    question = (
        " ".join((question or "").split()) or f"Imported conversation: {folder.resolve().name}"
    )
    if len(question) > QUESTION_MAX_LENGTH:
        raise ValueError(f"The question must be {QUESTION_MAX_LENGTH} characters or fewer.")
    now = timezone.now()
    times = [t for t in (_moment(v.timestamp) for v in export.votes) if t is not None]
    opens_at = min(times) if times and min(times) < now else now - datetime.timedelta(days=1)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            slug=unique_slug(folder.resolve().name or question),
            question=question,
            imported_from=f"a Pol.is export ({folder.resolve().name})",
            opened_by=actor,
            opens_at=opens_at,
            closes_at=now,
        )
        statements = []
        for comment in export.comments:
            text = redact(" ".join(comment.body.split()))
            statements.append(
                Statement(
                    conversation=conversation,
                    number=comment.id,
                    text=text.text,
                    redacted=bool(text.spans),
                    author_number=comment.author if comment.author >= 0 else None,
                    created_at=_moment(comment.timestamp) or now,
                    hidden_at=now if comment.moderated == -1 else None,
                    hidden_reason=REJECTED_REASON if comment.moderated == -1 else "",
                )
            )
        Statement.objects.bulk_create(statements, batch_size=2000)
        load_votes(conversation, ((str(p), c, v) for p, c, v in export.vote_triples()))
        record_audit_entry(
            actor=actor,
            action="conversations.imported",
            summary=f"Imported the Pol.is export “{folder.resolve().name}” as a closed conversation",
            target=conversation,
            data={
                "slug": conversation.slug,
                "statements": len(statements),
                "votes": conversation.vote_count,
            },
        )
    return conversation


def export_files(conversation: Conversation) -> dict[str, str]:
    """comments.csv, votes.csv and participants-votes.csv for the conversation. Hidden statements
    and their votes are left out; people are their participant numbers (for an imported
    conversation, the ids in the export it came from)."""
    statements = list(
        Statement.objects.public()
        .filter(conversation=conversation)
        .order_by("number")
        .values_list("number", "author_number", "text", "created_at")
    )
    comments = [
        PolisComment(
            id=number,
            author=author if author is not None else 0,
            body=text,
            moderated=1,
            timestamp=int(created.timestamp()),
            datetime=polis_datetime(created),
        )
        for number, author, text, created in statements
    ]
    public = {number for number, *_ in statements}
    rows = (
        Vote.objects.filter(conversation=conversation, statement__hidden_at__isnull=True)
        .order_by("voted_at", "pk")
        .values_list("participant__number", "statement__number", "choice", "voted_at", "changed_at")
    )
    votes = []
    for participant, number, choice, voted_at, changed_at in rows.iterator(chunk_size=20_000):
        if number not in public:
            continue
        moment = changed_at or voted_at
        votes.append(
            PolisVote(
                participant=participant,
                comment=number,
                vote=choice,
                timestamp=int(moment.timestamp()),
                datetime=polis_datetime(moment),
            )
        )
    groups = dict(
        Participant.objects.filter(conversation=conversation, group__isnull=False).values_list(
            "number", "group"
        )
    )
    return write_export(comments, votes, groups)


def opinion_groups(conversation: Conversation) -> dict:
    """{"participants": {id as in the export: group}, "consensus": [statement ids]}, from the
    stored map (worked out first if there is none)."""
    from nhs_citizen.conversations.models import OpinionResult
    from nhs_citizen.conversations.services.results import do_recompute

    result = OpinionResult.objects.filter(conversation=conversation).first()
    if result is None:
        result = do_recompute(conversation.pk)
    participants = {
        (external_id or str(number)): group
        for number, external_id, group in Participant.objects.filter(
            conversation=conversation, group__isnull=False
        )
        .order_by("number")
        .values_list("number", "external_id", "group")
    }
    return {"participants": participants, "consensus": list(result.figures.get("consensus", []))}


# Stored files for large conversations (see conversations/downloads.py) ------------------------
DEFAULT_LARGE_VOTES = 100_000


def large_conversation_votes() -> int:
    return int(getattr(settings, "CONVERSATION_LARGE_VOTES", DEFAULT_LARGE_VOTES))


def _export_root() -> Path:
    return Path(getattr(settings, "CONVERSATION_EXPORT_DIR", settings.DATA_DIR / "conversations"))


def _hidden_stamp(conversation: Conversation) -> str:
    """Which statements are hidden: a stored file made before one was hidden is not served."""
    hidden = Statement.objects.filter(conversation=conversation, hidden_at__isnull=False)
    ids = ",".join(str(pk) for pk in hidden.order_by("pk").values_list("pk", flat=True))
    return hashlib.sha256(ids.encode()).hexdigest()


def do_write_export_files(conversation: Conversation) -> Path:
    """Write the three files for a large conversation, replacing the old ones whole."""
    root = _export_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = _hidden_stamp(conversation)
    files = export_files(conversation)
    work = Path(tempfile.mkdtemp(prefix=f".writing-{conversation.pk}-", dir=root))
    for name, text in files.items():
        (work / name).write_text(text, encoding="utf-8")
    (work / "HIDDEN").write_text(stamp)
    folder = root / str(conversation.pk)
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(prefix=f".old-{conversation.pk}-", dir=root))
        folder.rename(old / "files")
    work.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def stored_export_file(conversation: Conversation, name: str) -> Path | None:
    folder = _export_root() / str(conversation.pk)
    try:
        stamp = (folder / "HIDDEN").read_text()
    except OSError:
        return None
    path = folder / name
    if stamp != _hidden_stamp(conversation) or not path.is_file():
        return None
    return path
