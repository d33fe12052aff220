"""Setting up and changing Assembly cycles, and the public record of every decision in them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from nhs_citizen.assembly.models import Cycle, CycleDecision, Stage
from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.notifications.audiences import notify_assembly_dates

# Who took a decision, as the cycle page shows it.
SECRETARIAT = "The secretariat"
TIMETABLE = "The published timetable (done automatically when the time came)"
JURY = "The citizens' jury"

# Paths under /assembly/ that are not cycles (see urls.py and the meetings app's URLs).
RESERVED_SLUGS = frozenset(
    {"past", "new", "calendar", "panels-commissioned", "staff", "paper-voters"}
)

MAX_CHOICES_LIMIT = 20

# The cycle's dates in the order they happen, with the words used in messages.
DATE_FIELDS = {
    "flag_cutoff": "the flag cut-off",
    "vote_opens": "the opening of the vote",
    "vote_closes": "the close of the vote",
    "jury_date": "the citizens' jury",
    "meeting_date": "the Assembly Meeting",
    "response_due": "the Board's written response",
    "stocktake_date": "the stock-take",
}


def record_decision(
    cycle: Cycle,
    *,
    kind: str,
    summary: str,
    role: str,
    by=None,
    reasons: str = "",
    data: dict[str, Any] | None = None,
) -> CycleDecision:
    """Publish a decision on the cycle's page and in the public audit log, together."""
    decision = CycleDecision.objects.create(
        cycle=cycle,
        kind=kind,
        summary=summary[:300],
        reasons=reasons,
        decided_by=by,
        decided_by_role=role,
        created_at=timezone.now(),
    )
    record_audit_entry(
        actor=by,
        action=f"assembly.{kind}",
        summary=f"{cycle.name}: {summary}",
        target=cycle,
        reason=reasons,
        data={"decided_by": role, **(data or {})},
        public=True,
    )
    return decision


def _slug_for(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:90] or "cycle"
    if base in RESERVED_SLUGS:
        base = f"{base}-cycle"
    slug, n = base, 1
    while Cycle.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_dates(
    data: dict[str, Any], *, cycle: Cycle | None = None, now: datetime.datetime
) -> dict[str, str]:
    """Plain-English problems with the dates, keyed by field. Each date must come after the one
    before it, in the order the cycle happens."""
    errors: dict[str, str] = {}
    cutoff, opens, closes = data["flag_cutoff"], data["vote_opens"], data["vote_closes"]
    cutoff_changed = cycle is None or cutoff != cycle.flag_cutoff
    if cutoff_changed and cutoff <= now:
        errors["flag_cutoff"] = "The flag cut-off must be in the future"
    if opens < cutoff:
        errors["vote_opens"] = "The vote must open at or after the flag cut-off"
    if closes <= opens:
        errors["vote_closes"] = "The vote must close after it opens"
    if data["jury_date"] <= timezone.localtime(closes).date():
        errors["jury_date"] = "The citizens' jury must meet after the day the vote closes"
    if data["meeting_date"] <= data["jury_date"]:
        errors["meeting_date"] = "The Assembly Meeting must be after the citizens' jury meets"
    if data["response_due"] <= data["meeting_date"]:
        errors["response_due"] = (
            "The Board's written response must be due after the Assembly Meeting"
        )
    if data["stocktake_date"] <= data["response_due"]:
        errors["stocktake_date"] = "The stock-take must be after the Board's response is due"
    clash = Cycle.objects.filter(flag_cutoff=cutoff)
    if cycle is not None:
        clash = clash.exclude(pk=cycle.pk)
    if "flag_cutoff" not in errors and (other := clash.first()):
        errors["flag_cutoff"] = (
            f"{other.name} already has its cut-off at that time. Each cycle needs its own cut-off"
        )
    return errors


def _clean_common(data: dict[str, Any], *, cycle: Cycle | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    data["name"] = " ".join((data.get("name") or "").split())
    if not data["name"]:
        errors["name"] = "Enter a name for the cycle, for example Spring 2027"
    else:
        others = Cycle.objects.filter(name__iexact=data["name"])
        if cycle is not None:
            others = others.exclude(pk=cycle.pk)
        if others.exists():
            errors["name"] = f"There is already a cycle called {data['name']}"
    max_choices = data.get("max_choices")
    if max_choices is None or not 1 <= max_choices <= MAX_CHOICES_LIMIT:
        errors["max_choices"] = (
            f"The number of flags each person can choose must be between 1 and {MAX_CHOICES_LIMIT}"
        )
    return errors


def _enqueue_schedule(cycle: Cycle) -> None:
    """Ask the background worker to run the timetable at the cut-off and when the vote opens
    and closes. Safe if the dates change later: the job only does what is due."""
    from nhs_citizen.assembly.tasks import run_assembly_schedule

    backend = run_assembly_schedule.get_backend()
    if not backend.supports_defer:
        return  # the immediate backend (tests); `manage.py run_assembly_schedule` also does it
    now = timezone.now()
    for moment in (cycle.flag_cutoff, cycle.vote_opens, cycle.vote_closes):
        if moment > now:
            run_assembly_schedule.using(run_after=moment).enqueue()


def check_create_cycle(
    *,
    created_by,
    name: str,
    flag_cutoff: datetime.datetime,
    vote_opens: datetime.datetime,
    vote_closes: datetime.datetime,
    jury_date: datetime.date,
    meeting_date: datetime.date,
    response_due: datetime.date,
    stocktake_date: datetime.date,
    max_choices: int = 5,
    reasons: str = "",
) -> Cycle:
    data = {
        "name": name,
        "flag_cutoff": flag_cutoff,
        "vote_opens": vote_opens,
        "vote_closes": vote_closes,
        "jury_date": jury_date,
        "meeting_date": meeting_date,
        "response_due": response_due,
        "stocktake_date": stocktake_date,
        "max_choices": max_choices,
    }
    now = timezone.now()
    errors = _clean_common(data, cycle=None)
    errors.update(_check_dates(data, now=now))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            slug=_slug_for(data["name"]), created_by=created_by, created_at=now, **data
        )
        record_decision(
            cycle,
            kind="cycle_created",
            summary=(
                f"Set up the cycle. Flags shortlisted by {when_words(flag_cutoff)} go into it; "
                f"the Assembly Meeting is on {when_words(meeting_date, show='date')}"
            ),
            role=SECRETARIAT,
            by=created_by,
            reasons=(reasons or "").strip(),
            data=_dates_json(cycle),
        )
        notify_assembly_dates(cycle, f"The dates of {cycle.name} are set")
        transaction.on_commit(lambda: _enqueue_schedule(cycle))
    return cycle


def _dates_json(cycle: Cycle) -> dict[str, Any]:
    return {
        "dates": {field: getattr(cycle, field).isoformat() for field in DATE_FIELDS},
        "max_choices": cycle.max_choices,
    }


def _describe(field: str, value) -> str:
    return when_words(value)


def check_update_cycle(*, cycle: Cycle, changed_by, reasons: str, **changes: Any) -> Cycle:
    """Change a cycle's name, dates or number of choices, saying why. What has already happened
    cannot change: the cut-off once flags are cut off, the vote's times once it opens or closes."""
    reasons = (reasons or "").strip()
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        data = {
            field: changes.get(field, getattr(cycle, field))
            for field in ("name", "max_choices", *DATE_FIELDS)
        }
        errors = _clean_common(data, cycle=cycle)
        errors.update(_check_dates(data, cycle=cycle, now=timezone.now()))
        locked = [
            (
                "flag_cutoff",
                Stage.CUT_OFF,
                "The flags have been cut off, so the cut-off cannot change",
            ),
            ("vote_opens", Stage.VOTING, "The vote has opened, so its opening time cannot change"),
            (
                "vote_closes",
                Stage.VOTE_CLOSED,
                "The vote has closed, so its closing time cannot change",
            ),
            (
                "max_choices",
                Stage.VOTING,
                "The vote has opened, so the number of choices cannot change",
            ),
            ("jury_date", Stage.JURY, "The jury has chosen, so its date cannot change"),
            (
                "meeting_date",
                Stage.MEETING,
                "The Assembly Meeting has been held, so its date cannot change",
            ),
            (
                "stocktake_date",
                Stage.STOCK_TAKE,
                "The stock-take has been done, so its date cannot change",
            ),
        ]
        for field, stage, message in locked:
            if cycle.has_reached(stage) and data[field] != getattr(cycle, field):
                errors[field] = message
        changed = [f for f in ("name", "max_choices", *DATE_FIELDS) if data[f] != getattr(cycle, f)]
        if not changed and not errors:
            errors["name"] = "Nothing has changed. Change a name, a date or the number of choices"
        if not reasons:
            errors["reasons"] = "Enter why the cycle is changing. Your reasons are published"
        if errors:
            raise ValidationError(errors)
        descriptions = []
        for field in changed:
            if field == "name":
                descriptions.append(f"renamed it from {cycle.name} to {data['name']}")
            elif field == "max_choices":
                descriptions.append(
                    f"each voter can now choose up to {data['max_choices']} flags "
                    f"(was {cycle.max_choices})"
                )
            else:
                descriptions.append(
                    f"moved {DATE_FIELDS[field]} to {_describe(field, data[field])} "
                    f"(was {_describe(field, getattr(cycle, field))})"
                )
        for field in changed:
            setattr(cycle, field, data[field])
        cycle.save(update_fields=changed)
        summary = "Changed the cycle: " + "; ".join(descriptions)
        record_decision(
            cycle,
            kind="cycle_changed",
            summary=summary if len(summary) <= 300 else "Changed the cycle's dates",
            role=SECRETARIAT,
            by=changed_by,
            reasons=reasons,
            data={**_dates_json(cycle), "changed": changed},
        )
        if set(DATE_FIELDS) & set(changed):
            notify_assembly_dates(cycle, summary)
        if {"flag_cutoff", "vote_opens", "vote_closes"} & set(changed):
            transaction.on_commit(lambda: _enqueue_schedule(cycle))
    return cycle
