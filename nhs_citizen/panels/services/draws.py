"""Panels and their draws, in the order of ADR 0021: create, fix the inputs, make and publish
the lottery, commit the seed and name a public random value, type that value in, draw, check;
and look after members.

The algorithms live in nhs_citizen/panels/algorithms (no Django); `selection.py` is the only
place that calls them."""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.dates import when_words
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.core.words import count_words
from nhs_citizen.panels import selection
from nhs_citizen.panels.algorithms import draw as drawing
from nhs_citizen.panels.models import (
    DrawProtocol,
    MemberStatus,
    Panel,
    PanelMember,
    PanelPurpose,
    PanelStatus,
    Pool,
    SelectionProbability,
)


def check_create_panel(
    *,
    created_by,
    purpose: str,
    title: str,
    size: int,
    reserves: int,
    pool: Pool,
    question: str = "",
) -> Panel:
    title = " ".join((title or "").split())
    errors = {}
    if purpose not in PanelPurpose.values:
        errors["purpose"] = "Select what the panel is for"
    if not title:
        errors["title"] = "Enter a title"
    if purpose == PanelPurpose.CITIZEN_PANEL and not (question or "").strip():
        errors["question"] = "Enter the question the Citizen Panel will answer"
    available = pool.members.active().count()
    if size > available:
        errors["size"] = f"The pool has {available} people, so the panel cannot have {size}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        panel = Panel.objects.create(
            purpose=purpose,
            title=title,
            question=(question or "").strip(),
            size=size,
            reserves=reserves,
            pool=pool,
            created_by=created_by,
        )
        record_audit_entry(
            actor=created_by,
            action="panels.panel_created",
            summary=f"Set up the panel “{title}” ({size} people from {pool.name})",
            target=panel,
            public=True,
        )
    return panel


def _public_ids(panel: Panel) -> dict[int, str]:
    """A random pseudonym for each active pool member, made when the inputs are fixed."""
    existing = dict(panel.probabilities.values_list("pool_member_id", "public_id"))
    if existing:
        return existing
    used: set[str] = set()
    rows = []
    for member_id in panel.pool.members.active().order_by("pk").values_list("pk", flat=True):
        while True:
            token = "p" + secrets.token_hex(5)
            if token not in used:
                break
        used.add(token)
        rows.append(SelectionProbability(panel=panel, pool_member_id=member_id, public_id=token))
    SelectionProbability.objects.bulk_create(rows)
    return {row.pool_member_id: row.public_id for row in rows}


def published_inputs(panel: Panel, ids: dict[int, str]) -> dict:
    """What anyone needs to recompute the draw, with nothing that identifies a person."""
    members = panel.pool.members.active().order_by("pk")
    household_labels: dict[str, str] = {}
    people = []
    for member in members:
        household = None
        if member.household_hash:
            household = household_labels.setdefault(
                member.household_hash, f"h{len(household_labels) + 1}"
            )
        people.append({"id": ids[member.pk], "features": member.features, "household": household})
    # Households of one person tell nothing; only shared ones are kept.
    shared = {
        h for h in household_labels.values() if sum(1 for p in people if p["household"] == h) > 1
    }
    for person in people:
        if person["household"] not in shared:
            person["household"] = None
    people.sort(key=lambda p: p["id"])
    return {
        "panel_size": panel.size,
        "reserves": panel.reserves,
        "lottery_size": panel.lottery_size,
        "quotas": [[q.category, q.value, q.minimum, q.maximum] for q in panel.quotas.all()],
        "people": people,
        "algorithm": selection.ALGORITHM_VERSION,
    }


def feasibility(panel: Panel) -> selection.FeasibilityReport:
    ids = {m.pk: f"m{m.pk}" for m in panel.pool.members.active()}
    return selection.check_feasibility(published_inputs(panel, ids))


# The time budgets of the lottery job, in seconds (wall clock, respected under load).
DEFAULT_DISTRIBUTION_TIME_LIMIT = 120.0
DEFAULT_ROUNDING_TIME_LIMIT = 60.0


def distribution_time_limit() -> float:
    return float(
        getattr(settings, "PANEL_DISTRIBUTION_TIME_LIMIT", DEFAULT_DISTRIBUTION_TIME_LIMIT)
    )


def rounding_time_limit() -> float:
    return float(getattr(settings, "PANEL_ROUNDING_TIME_LIMIT", DEFAULT_ROUNDING_TIME_LIMIT))


def _local(moment) -> str | None:
    """A time as published: ISO 8601 in UK time, with its offset."""
    return timezone.localtime(moment).isoformat() if moment else None


# 1. Freeze the inputs ----------------------------------------------------------------------

NOT_SETTING_UP = "The inputs of this panel are already fixed. They cannot change now."


def do_freeze_inputs(*, panel: Panel, frozen_by) -> Panel:
    """Fix the anonymised pool, the quotas and the households, and publish their SHA-256.
    From now on they cannot change, so the lottery is made from exactly these inputs."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.SETTING_UP:
            raise ValidationError(NOT_SETTING_UP)
        if not panel.quotas.exists():
            raise ValidationError("Set the quotas before you fix the inputs.")
        report = feasibility(panel)
        if not report.feasible:
            raise ValidationError(
                ["The quotas cannot all be met, so there can be no draw yet.", *report.explanations]
            )
        panel.published_inputs = published_inputs(panel, _public_ids(panel))
        panel.inputs_sha256 = drawing.sha256_json(panel.published_inputs)
        panel.inputs_frozen_at = timezone.now()
        panel.protocol = DrawProtocol.V2
        panel.status = PanelStatus.INPUTS_FROZEN
        panel.save()
        record_audit_entry(
            actor=frozen_by,
            action="panels.inputs_frozen",
            summary=f"Fixed the inputs of “{panel.title}” (pool, quotas and households, without names)",
            target=panel,
            data={
                "inputs_sha256": panel.inputs_sha256,
                "people": len(panel.published_inputs["people"]),
            },
            public=True,
        )
    return panel


# 2. Make and publish the lottery (a background job: services/jobs.py) -----------------------

NOT_READY_FOR_LOTTERY = "Fix the inputs before the lottery is made. The lottery is made once."


def do_make_lottery(
    *,
    panel: Panel,
    made_by,
    progress: selection.Progress | None = None,
    time_limit: float | None = None,
) -> Panel:
    """Work out everyone's chances, round them to the lottery and publish it with the chances,
    the proof that the lowest chance is the best possible and their SHA-256 codes. Runs in a
    job; nothing is locked while it computes, and if anything fails nothing is saved.
    ``time_limit``: seconds for working out the chances, instead of the setting (the demo seed
    allows more, as nobody waits for it)."""
    report = progress or (lambda stage, data=None: None)
    panel = Panel.objects.get(pk=panel.pk)
    if panel.status != PanelStatus.INPUTS_FROZEN:
        raise ValidationError(NOT_READY_FOR_LOTTERY)
    try:
        made = selection.make_lottery(
            panel.published_inputs,
            time_limit=time_limit or distribution_time_limit(),
            rounding_time_limit=max(rounding_time_limit(), (time_limit or 0) / 2),
            progress=report,
        )
    except selection.LotteryError as error:
        raise ValidationError(f"{error} Nothing has changed: the panel is as it was.") from None
    report("publishing", {})
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.INPUTS_FROZEN:
            raise ValidationError(NOT_READY_FOR_LOTTERY)
        rows = list(panel.probabilities.all())
        for row in rows:
            row.probability = made["probabilities"].get(row.public_id)
        SelectionProbability.objects.bulk_update(rows, ["probability"], batch_size=500)
        panel.published_lottery = made
        panel.lottery_sha256 = drawing.panels_sha256(made["panels"])
        panel.probabilities_sha256 = drawing.sha256_json(made["probabilities"])
        panel.certificate_sha256 = drawing.sha256_json(made["certificate"])
        panel.lottery_published_at = timezone.now()
        panel.summary = selection.summarise(made)
        panel.status = PanelStatus.LOTTERY_PUBLISHED
        panel.save()
        record_audit_entry(
            actor=made_by,
            action="panels.lottery_published",
            summary=(
                f"Published the lottery of {count_words(len(made['panels']), 'panel')} for “{panel.title}”, "
                "everyone's chances and the proof that the lowest chance is the best possible"
            ),
            target=panel,
            data={
                "inputs_sha256": panel.inputs_sha256,
                "lottery_sha256": panel.lottery_sha256,
                "probabilities_sha256": panel.probabilities_sha256,
                "certificate_sha256": panel.certificate_sha256,
                "minimum_probability": made["minimum_probability"],
            },
            public=True,
        )
    return panel


# 3. Commit the seed --------------------------------------------------------------------------

NOT_READY_FOR_SEED = (
    "Publish the lottery before you commit the seed, so that nobody who knows the seed can "
    "choose the lottery. A seed is committed once."
)
MAX_NAME = 300


def do_commit_seed(
    *, panel: Panel, committed_by, public_value_name: str, public_value_date
) -> Panel:
    """Commit to a secret seed (publish its SHA-256) and name a public random value that nobody
    knows yet, with the date it will be known. Only after the lottery is published."""
    name = " ".join((public_value_name or "").split())
    errors = {}
    if not name:
        errors["public_value_name"] = (
            "Enter the name of a public random value that nobody knows yet, for example the "
            "balls of a named National Lottery draw"
        )
    elif len(name) > MAX_NAME:
        errors["public_value_name"] = f"The name must be {MAX_NAME} characters or fewer"
    today = timezone.localdate()
    if public_value_date is None:
        errors["public_value_date"] = "Enter the date the public value will be known"
    elif public_value_date <= today:
        errors["public_value_date"] = (
            "The date must be after today, so that nobody can know the public value yet"
        )
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.LOTTERY_PUBLISHED:
            raise ValidationError(NOT_READY_FOR_SEED)
        if errors:
            raise ValidationError(errors)
        secret = drawing.new_seed()
        panel.seed = secret
        panel.seed_hash = drawing.commit(secret)
        panel.seed_committed_at = timezone.now()
        panel.public_value_name = name
        panel.public_value_date = public_value_date
        panel.status = PanelStatus.SEED_COMMITTED
        panel.save()
        record_audit_entry(
            actor=committed_by,
            action="panels.seed_committed",
            summary=(
                f"Committed the secret seed for “{panel.title}” and named the public value: "
                f"{name}, known on {when_words(public_value_date)}"
            )[:300],
            target=panel,
            data={
                "seed_sha256": panel.seed_hash,
                "public_value_name": name,
                "public_value_date": public_value_date.isoformat(),
                "lottery_sha256": panel.lottery_sha256,
            },
            public=True,
        )
    return panel


# 4. Type in the public value, then draw (a background job) ---------------------------------

NOT_WAITING_FOR_VALUE = "The public value can be typed in once, after the seed is committed."


def do_enter_public_value(*, panel: Panel, entered_by, value: str):
    """Record the public value (on or after its date) and start the draw in the background.
    Returns the draw's job."""
    from nhs_citizen.panels.services import jobs

    typed = " ".join((value or "").split())
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.SEED_COMMITTED or panel.public_value:
            raise ValidationError(NOT_WAITING_FOR_VALUE)
        today = timezone.localdate()
        if today < panel.public_value_date:
            raise ValidationError(
                {
                    "public_value": (
                        f"You can type in the public value from {when_words(panel.public_value_date)}, "
                        "when it will be known. Nobody can know it before then"
                    )
                }
            )
        if not drawing.normalise_public_value(typed):
            raise ValidationError(
                {"public_value": f"Enter the public value: {panel.public_value_name}"}
            )
        if len(typed) > MAX_NAME:
            raise ValidationError(
                {"public_value": f"The public value must be {MAX_NAME} characters or fewer"}
            )
        panel.public_value = typed
        panel.public_value_entered_at = timezone.now()
        panel.final_seed = drawing.mix_seed(panel.seed, typed)
        panel.save(update_fields=["public_value", "public_value_entered_at", "final_seed"])
        record_audit_entry(
            actor=entered_by,
            action="panels.public_value_entered",
            summary=f"Typed in the public value for “{panel.title}”: {typed}"[:300],
            target=panel,
            data={
                "public_value_name": panel.public_value_name,
                "public_value": typed,
                "normalised": drawing.normalise_public_value(typed),
            },
            public=True,
        )
        return jobs.queue_job(panel=panel, kind=jobs.JobKind.DRAW, requested_by=entered_by)


NOT_READY_TO_DRAW = (
    "The draw comes after the lottery is published, the seed is committed and the public value "
    "is typed in. A panel is drawn once."
)


def _ready_to_draw(panel: Panel) -> bool:
    return panel.status == PanelStatus.SEED_COMMITTED and bool(panel.public_value)


def do_run_draw(*, panel: Panel, drawn_by, progress: selection.Progress | None = None) -> Panel:
    """Draw the panel and the ordered reserves from the published lottery with the final seed,
    reveal the secret, and invite the people chosen. Cheap (hashing), but it runs as a job so
    that the secretariat sees it happen; the result is saved in one short transaction that
    first checks the panel has not been drawn meanwhile. If anything fails, nothing is saved."""
    report = progress or (lambda stage, data=None: None)
    panel = Panel.objects.get(pk=panel.pk)
    if not _ready_to_draw(panel):
        raise ValidationError(NOT_READY_TO_DRAW)
    report("mixing", {})
    final_seed = drawing.mix_seed(panel.seed, panel.public_value)
    if final_seed != panel.final_seed:
        raise ValidationError("The final seed does not match the secret and the public value.")
    report("drawing", {})
    outcome = selection.draw_from_lottery(
        panel.published_inputs, panel.published_lottery, final_seed
    )
    report("inviting", {})
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if not _ready_to_draw(panel):
            raise ValidationError(NOT_READY_TO_DRAW)
        by_public_id = {
            row.public_id: row for row in panel.probabilities.select_related("pool_member")
        }
        # The draw uses the inputs fixed earlier, so that anyone can check it. Someone chosen
        # who has left the pool since then is not invited: they count as having declined, and
        # can be replaced from the reserves.
        left = {pid for pid in outcome["selected"] if by_public_id[pid].pool_member.withdrawn_at}
        PanelMember.objects.bulk_create(
            [
                PanelMember(
                    panel=panel,
                    pool_member=by_public_id[pid].pool_member,
                    status=MemberStatus.DECLINED if pid in left else MemberStatus.INVITED,
                )
                for pid in outcome["selected"]
            ]
            + [
                PanelMember(
                    panel=panel,
                    pool_member=by_public_id[pid].pool_member,
                    status=MemberStatus.RESERVE,
                    reserve_position=n,
                )
                for n, pid in enumerate(outcome["reserves"], start=1)
            ]
        )
        now = timezone.now()
        panel.published_result = outcome
        panel.status = PanelStatus.SEED_REVEALED
        panel.drawn_at = now
        panel.seed_revealed_at = now
        panel.save()
        record_audit_entry(
            actor=drawn_by,
            action="panels.drawn",
            summary=(
                f"Drew “{panel.title}”: {count_words(len(outcome['selected']), 'person', 'people')} and "
                f"{count_words(len(outcome['reserves']), 'reserve')}, and revealed the secret seed"
            ),
            target=panel,
            data={
                "seed": panel.seed,
                "public_value": panel.public_value,
                "final_seed": final_seed,
                "lottery_panel": outcome["lottery_index"],
                "reserves_asked": outcome["reserves_asked"],
                "reserves": len(outcome["reserves"]),
                "chosen_but_left_the_pool": len(left),
            },
            public=True,
        )
        _invite(
            panel,
            [by_public_id[pid].pool_member for pid in outcome["selected"] if pid not in left],
        )
        # Anyone can now check the draw: a background job checks it once, and the public
        # check page shows that stored result.
        from nhs_citizen.panels.services import jobs

        jobs.queue_job(panel=panel, kind=jobs.JobKind.CHECK, requested_by=None)
    return panel


def _invite(panel: Panel, pool_members) -> None:
    from nhs_citizen.notifications.services import notify_audience

    user_ids = sorted({member.user_id for member in pool_members if member.user_id})
    if user_ids:
        notify_audience(
            "nhs_citizen.notifications.services.people_audience",
            subject=f"You have been chosen for {panel.title}",
            body=(
                f"You have been chosen by lot for {panel.title}. Tell us if you can take part: "
                "go to your answers for selection by lot and accept or decline."
            ),
            link="/selection-by-lot/your-answers/",
            user_ids=user_ids,
            kind="assembly",
        )


def do_reveal_seed(*, panel: Panel, revealed_by) -> Panel:
    """Only for a panel drawn the old way (format v1) whose seed is still secret."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.DRAWN:
            raise ValidationError("Reveal the seed after the draw, once.")
        panel.status = PanelStatus.SEED_REVEALED
        panel.seed_revealed_at = timezone.now()
        panel.save(update_fields=["status", "seed_revealed_at"])
        record_audit_entry(
            actor=revealed_by,
            action="panels.seed_revealed",
            summary=f"Revealed the random seed for “{panel.title}” so anyone can check the draw",
            target=panel,
            data={"seed": panel.seed},
            public=True,
        )
        from nhs_citizen.panels.services import jobs

        jobs.queue_job(panel=panel, kind=jobs.JobKind.CHECK, requested_by=None)
    return panel


def left_since_inputs_fixed(panel: Panel) -> int:
    """How many people in the fixed inputs have left the pool since. They stay in the draw (the
    inputs are fixed, so the draw can be checked) but are not invited if chosen, and are
    skipped as reserves."""
    fixed = panel.inputs_frozen_at or panel.seed_committed_at
    if fixed is None:
        return 0
    return panel.probabilities.filter(pool_member__withdrawn_at__gt=fixed).count()


left_since_commit = left_since_inputs_fixed


def reserves_note(panel: Panel) -> str:
    """Why there are fewer reserves than asked for, in plain English (empty when enough)."""
    result = panel.published_result or {}
    return result.get("reserves_short_reason") or ""


def draw_document(panel: Panel) -> dict:
    """The draw's published file (format v2): everything anyone needs to check the draw, with
    no names. Parts appear as the draw goes on; the secret only once the panel is drawn."""
    if panel.protocol == DrawProtocol.V1:
        return {
            "format": DrawProtocol.V1,
            "panel": panel.title,
            "seed_sha256": panel.seed_hash,
            "seed_committed_at": _local(panel.seed_committed_at),
            "seed": panel.seed if panel.status == PanelStatus.SEED_REVEALED else None,
            "inputs": panel.published_inputs,
            "result": panel.published_result,
        }
    lottery = panel.published_lottery or {}
    revealed = panel.status == PanelStatus.SEED_REVEALED
    return {
        "format": drawing.FORMAT,
        "panel": panel.title,
        "inputs": panel.published_inputs,
        "inputs_sha256": panel.inputs_sha256 or None,
        "inputs_frozen_at": _local(panel.inputs_frozen_at),
        "lottery": {
            "panels": lottery.get("panels"),
            "probabilities": lottery.get("probabilities"),
            "certificate": lottery.get("certificate"),
            "minimum_probability": lottery.get("minimum_probability"),
            "minimum_after_rounding": lottery.get("minimum_after_rounding"),
            "finished": lottery.get("finished"),
            "algorithm": lottery.get("algorithm"),
        }
        if lottery
        else None,
        "lottery_sha256": panel.lottery_sha256 or None,
        "probabilities_sha256": panel.probabilities_sha256 or None,
        "certificate_sha256": panel.certificate_sha256 or None,
        "lottery_published_at": _local(panel.lottery_published_at),
        "seed_commitment": {
            "secret_sha256": panel.seed_hash,
            "public_value_name": panel.public_value_name,
            "public_value_date": panel.public_value_date.isoformat(),
            "committed_at": _local(panel.seed_committed_at),
        }
        if panel.seed_hash
        else None,
        "public_value": {
            "value": panel.public_value,
            "normalised": drawing.normalise_public_value(panel.public_value),
            "entered_at": _local(panel.public_value_entered_at),
        }
        if revealed
        else None,
        "seed": {
            "secret": panel.seed,
            "final_seed": panel.final_seed,
            "revealed_at": _local(panel.seed_revealed_at),
        }
        if revealed
        else None,
        "result": panel.published_result if revealed else None,
    }


def draw_file_name(panel: Panel) -> str:
    return f"panel-{panel.pk}-draw.json"


def draw_file(panel: Panel) -> bytes:
    """The published file, byte for byte as it is downloaded, so that its SHA-256 can be
    compared with the one the check recorded."""
    return json.dumps(draw_document(panel), ensure_ascii=False, indent=1).encode("utf-8")


# What each public audit entry must say, for the check against the audit log.
AUDITED = [
    ("panels.inputs_frozen", ["inputs_sha256"]),
    ("panels.lottery_published", ["lottery_sha256", "probabilities_sha256", "certificate_sha256"]),
    ("panels.seed_committed", ["seed_sha256", "public_value_name", "public_value_date"]),
]


def audit_log_problems(panel: Panel, data: dict) -> list[str]:
    """Check the file against the public audit log (whose hash chain anyone can check): the
    codes in the file are the ones recorded when each step happened, and the steps were
    recorded in the right order. An empty list means they agree."""
    from nhs_citizen.core.models import AuditEntry

    entries = {
        entry.action: entry
        for entry in AuditEntry.objects.filter(
            target_type=Panel._meta.label_lower,
            target_id=str(panel.pk),
            action__in=[action for action, _ in AUDITED],
            is_public=True,
        ).order_by("sequence")
    }
    commitment = data.get("seed_commitment") or {}
    in_file = {
        "inputs_sha256": data.get("inputs_sha256"),
        "lottery_sha256": data.get("lottery_sha256"),
        "probabilities_sha256": data.get("probabilities_sha256"),
        "certificate_sha256": data.get("certificate_sha256"),
        "seed_sha256": commitment.get("secret_sha256"),
        "public_value_name": commitment.get("public_value_name"),
        "public_value_date": commitment.get("public_value_date"),
    }
    found = []
    sequence = 0
    for action, keys in AUDITED:
        entry = entries.get(action)
        step = action.split(".")[1].replace("_", " ")
        if entry is None:
            found.append(f"The public audit log has no record of this step: {step}.")
            continue
        for key in keys:
            if entry.data.get(key) != in_file[key]:
                found.append(
                    f"The file's {key.replace('_', ' ')} is not the one in the public audit log "
                    f"(entry {entry.sequence}, {step})."
                )
        if entry.sequence < sequence:
            found.append(f"The public audit log records the step “{step}” out of order.")
        sequence = entry.sequence
    return found


def check_draw(panel: Panel, progress: selection.Progress | None = None) -> list[str]:
    """Check the draw from what was published; an empty list means it checks out. This takes
    seconds to minutes: pages never call it, they show the stored result of the last check
    job (services/jobs.py)."""
    if panel.status != PanelStatus.SEED_REVEALED:
        return [selection.SEED_NOT_REVEALED]
    data = json.loads(draw_file(panel))
    return selection.check_published_file(
        data, progress=progress, optimality_time_limit=distribution_time_limit()
    ) + (audit_log_problems(panel, data) if panel.protocol == DrawProtocol.V2 else [])


def do_respond_to_invitation(*, member: PanelMember, user, accept: bool) -> PanelMember:
    if member.pool_member.user_id != user.pk:
        raise ValidationError("This invitation is not yours.")
    if member.status != MemberStatus.INVITED:
        raise ValidationError("You have already answered this invitation.")
    member.status = MemberStatus.CONFIRMED if accept else MemberStatus.DECLINED
    member.updated_at = timezone.now()
    member.save(update_fields=["status", "updated_at"])
    return member


def do_set_member_status(*, member: PanelMember, status: str, set_by) -> PanelMember:
    if status not in {MemberStatus.CONFIRMED, MemberStatus.DECLINED}:
        raise ValidationError("Select confirmed or declined.")
    if member.status not in {MemberStatus.INVITED, MemberStatus.CONFIRMED, MemberStatus.DECLINED}:
        raise ValidationError("Only an invited, confirmed or declined member can change.")
    with transaction.atomic():
        member.status = status
        member.updated_at = timezone.now()
        member.save(update_fields=["status", "updated_at"])
        record_audit_entry(
            actor=set_by,
            action="panels.member_status",
            summary=f"Recorded a member of “{member.panel.title}” as {status}",
            target=member.panel,
        )
    return member


def first_fitting_reserve(member: PanelMember) -> PanelMember | None:
    """The first reserve who, in this member's place, keeps every quota met."""
    panel = member.panel
    ids = dict(panel.probabilities.values_list("pool_member_id", "public_id"))
    current = [
        ids[m.pool_member_id]
        for m in panel.members.filter(
            status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED]
        ).exclude(pk=member.pk)
    ]
    reserves = panel.members.filter(
        status=MemberStatus.RESERVE, pool_member__withdrawn_at__isnull=True
    ).order_by("reserve_position")
    for reserve in reserves:
        if selection.is_valid_panel(
            panel.published_inputs, current + [ids[reserve.pool_member_id]]
        ):
            return reserve
    return None


def check_replace_member(*, member: PanelMember, replaced_by) -> PanelMember:
    """Replace someone who declined with the first reserve who keeps every quota met and the
    household rule honoured."""
    panel = member.panel
    if member.status != MemberStatus.DECLINED:
        raise ValidationError("Only someone who declined can be replaced.")
    with transaction.atomic():
        list(panel.members.select_for_update())  # one replacement at a time per panel
        reserve = first_fitting_reserve(member)
        if reserve is not None:
            now = timezone.now()
            member.status = MemberStatus.REPLACED
            member.updated_at = now
            member.save(update_fields=["status", "updated_at"])
            reserve.status = MemberStatus.INVITED
            reserve.replaces = member
            reserve.reserve_position = None
            reserve.updated_at = now
            reserve.save()
            record_audit_entry(
                actor=replaced_by,
                action="panels.member_replaced",
                summary=f"Replaced a member of “{panel.title}” who declined with the next reserve who keeps the quotas met",
                target=panel,
                public=True,
            )
            _invite(panel, [reserve.pool_member])
            return reserve
    raise ValidationError(
        "No reserve keeps every quota met. Ask the people on the panel, or draw more reserves."
    )
