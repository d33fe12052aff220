"""Panels and their draws: create, commit the seed, draw, reveal, check, and look after members.

The algorithms live in nhs_citizen/panels/algorithms (no Django); `selection.py` is the only
place that calls them."""

from __future__ import annotations

import hashlib
import json
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.panels import selection
from nhs_citizen.panels.models import (
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
    """A random pseudonym for each active pool member, made when the seed is committed."""
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


def do_commit_seed(*, panel: Panel, committed_by) -> Panel:
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.SETTING_UP:
            raise ValidationError("The seed for this panel has already been committed.")
        if not panel.quotas.exists():
            raise ValidationError("Set the quotas before you commit the seed.")
        report = feasibility(panel)
        if not report.feasible:
            raise ValidationError(
                ["The quotas cannot all be met, so there can be no draw yet.", *report.explanations]
            )
        seed = secrets.token_hex(32)
        panel.seed = seed
        panel.seed_hash = hashlib.sha256(seed.encode()).hexdigest()
        panel.seed_committed_at = timezone.now()
        panel.published_inputs = published_inputs(panel, _public_ids(panel))
        panel.status = PanelStatus.SEED_COMMITTED
        panel.save()
        record_audit_entry(
            actor=committed_by,
            action="panels.seed_committed",
            summary=f"Committed the random seed for “{panel.title}” before the draw",
            target=panel,
            data={
                "seed_sha256": panel.seed_hash,
                "inputs_sha256": _inputs_hash(panel.published_inputs),
            },
            public=True,
        )
    return panel


def _inputs_hash(inputs: dict) -> str:
    return hashlib.sha256(
        json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


NOT_READY_TO_DRAW = "Commit the seed before the draw. A panel is drawn once."


def do_run_draw(*, panel: Panel, drawn_by, progress: selection.Progress | None = None) -> Panel:
    """Run the draw now, in this process. The secretariat's pages run it as a background job
    (services/jobs.py); the demo data and tests call it directly.

    The long part (the chances, the lottery) is worked out from the inputs fixed when the seed
    was committed, with nothing locked; the result is then saved in one short transaction that
    first checks the panel has not been drawn meanwhile. If anything fails, nothing is saved."""
    report = progress or (lambda stage, data=None: None)
    panel = Panel.objects.get(pk=panel.pk)
    if panel.status != PanelStatus.SEED_COMMITTED:
        raise ValidationError(NOT_READY_TO_DRAW)
    outcome = selection.run(panel.published_inputs, panel.seed, progress=report)
    report("inviting", {})
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.status != PanelStatus.SEED_COMMITTED:
            raise ValidationError(NOT_READY_TO_DRAW)
        by_public_id = {
            row.public_id: row for row in panel.probabilities.select_related("pool_member")
        }
        for public_id, probability in outcome.probabilities.items():
            row = by_public_id[public_id]
            row.probability = probability
        SelectionProbability.objects.bulk_update(list(by_public_id.values()), ["probability"])
        # The draw uses the inputs fixed when the seed was committed, so that anyone can check
        # it. Someone chosen who has left the pool since then is not invited: they count as
        # having declined, and can be replaced from the reserves.
        left = {pid for pid in outcome.selected if by_public_id[pid].pool_member.withdrawn_at}
        PanelMember.objects.bulk_create(
            [
                PanelMember(
                    panel=panel,
                    pool_member=by_public_id[pid].pool_member,
                    status=MemberStatus.DECLINED if pid in left else MemberStatus.INVITED,
                )
                for pid in outcome.selected
            ]
            + [
                PanelMember(
                    panel=panel,
                    pool_member=by_public_id[pid].pool_member,
                    status=MemberStatus.RESERVE,
                    reserve_position=n,
                )
                for n, pid in enumerate(outcome.reserves, start=1)
            ]
        )
        panel.published_result = outcome.as_json()
        panel.summary = selection.summarise(panel.published_result)
        panel.status = PanelStatus.DRAWN
        panel.drawn_at = timezone.now()
        panel.save()
        record_audit_entry(
            actor=drawn_by,
            action="panels.drawn",
            summary=f"Drew “{panel.title}”: {len(outcome.selected)} people and {len(outcome.reserves)} reserves",
            target=panel,
            data={
                "lottery_panel": outcome.lottery_index,
                "minimum_probability": outcome.minimum_probability,
                "chosen_but_left_the_pool": len(left),
            },
            public=True,
        )
        _invite(
            panel, [by_public_id[pid].pool_member for pid in outcome.selected if pid not in left]
        )
    return panel


def _invite(panel: Panel, pool_members) -> None:
    from nhs_citizen.notifications.services import do_notify

    for member in pool_members:
        if member.user_id:
            do_notify(
                user=member.user,
                subject=f"You have been chosen for {panel.title}",
                body=(
                    f"You have been chosen by lot for {panel.title}. Tell us if you can take part: "
                    "go to your answers for selection by lot and accept or decline."
                ),
                link="/selection-by-lot/your-answers/",
            )


def do_reveal_seed(*, panel: Panel, revealed_by) -> Panel:
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
        # Anyone can now check the draw: a background job checks it once, and the public check
        # page shows that stored result.
        from nhs_citizen.panels.services import jobs

        jobs.queue_job(panel=panel, kind=jobs.JobKind.CHECK, requested_by=None)
    return panel


def left_since_commit(panel: Panel) -> int:
    """How many people in the committed inputs have left the pool since the seed was committed.
    They stay in the draw (the inputs are fixed, so the draw can be checked) but are not
    invited if chosen, and are skipped as reserves."""
    if panel.seed_committed_at is None:
        return 0
    return panel.probabilities.filter(pool_member__withdrawn_at__gt=panel.seed_committed_at).count()


def draw_document(panel: Panel) -> dict:
    """The draw's published file: the inputs without names, the result and, once revealed,
    the seed. Everything anyone needs to check the draw."""
    return {
        "panel": panel.title,
        "seed_sha256": panel.seed_hash,
        "seed_committed_at": panel.seed_committed_at.isoformat()
        if panel.seed_committed_at
        else None,
        "seed": panel.seed if panel.status == PanelStatus.SEED_REVEALED else None,
        "inputs": panel.published_inputs,
        "result": panel.published_result,
    }


def draw_file_name(panel: Panel) -> str:
    return f"panel-{panel.pk}-draw.json"


def draw_file(panel: Panel) -> bytes:
    """The published file, byte for byte as it is downloaded, so that its SHA-256 can be
    compared with the one the check recorded."""
    return json.dumps(draw_document(panel), ensure_ascii=False, indent=1).encode("utf-8")


def check_draw(panel: Panel, progress: selection.Progress | None = None) -> list[str]:
    """Recompute the draw from what was published; an empty list means it checks out. This
    takes seconds to minutes: pages never call it, they show the stored result of the last
    check job (services/jobs.py)."""
    if panel.status != PanelStatus.SEED_REVEALED:
        return [selection.SEED_NOT_REVEALED]
    return selection.check_published_file(draw_document(panel), progress)


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
