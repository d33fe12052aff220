"""Volunteering for the pool, changing or withdrawing answers, and importing a pool."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.core.words import count_words
from nhs_citizen.panels import categories, formats, households
from nhs_citizen.panels.importing import PreparedImport, prepare_import
from nhs_citizen.panels.models import MemberStatus, PanelMember, Pool, PoolMember

VOLUNTEER_POOL_NAME = "NHS Citizen volunteer pool"
CONSENT_TEXT_VERSION = "2026-11"


def volunteer_pool() -> Pool:
    pool, _ = Pool.objects.get_or_create(
        name=VOLUNTEER_POOL_NAME, defaults={"is_volunteer_pool": True}
    )
    return pool


def _secret() -> str:
    return "household:" + settings.SECRET_KEY


def check_answers(answers: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    errors = {}
    for category, label in categories.CATEGORY_LABELS.items():
        value = (answers.get(category) or "").strip()
        allowed = {
            v for v, _ in categories.choices_for(category, dont_know=category == "deprivation")
        }
        if value not in allowed:
            errors[category] = f"Select your {label.lower()}"
        else:
            cleaned[category] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_volunteer(
    *, user, answers: dict[str, str], address: str, postcode: str, consent: bool
) -> PoolMember:
    """Join the volunteer pool. Answers are special category data: explicit consent first."""
    errors = {}
    if not consent:
        errors["consent"] = "Tick the box to say you agree, or you cannot join the pool"
    if not (address or "").strip():
        errors["address"] = "Enter the first line of your address"
    if not households.is_valid_postcode(postcode):
        errors["postcode"] = "Enter a real postcode, like LS1 4AP"
    try:
        cleaned = check_answers(answers)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    pool = volunteer_pool()
    now = timezone.now()
    with transaction.atomic():
        member, created = PoolMember.objects.select_for_update().get_or_create(
            pool=pool, user=user, defaults={"features": cleaned, "consent_given_at": now}
        )
        member.features = cleaned
        member.household_hash = households.household_key(address, postcode, _secret())
        member.consent_given_at = now
        member.updated_at = now
        member.withdrawn_at = None
        member.save()
        record_audit_entry(
            actor=user,
            action="panels.volunteered" if created else "panels.volunteer_answers_changed",
            summary="Joined the volunteer pool"
            if created
            else "Changed their answers in the volunteer pool",
            target=member,
            data={"consent_text_version": CONSENT_TEXT_VERSION},
        )
    return member


def do_withdraw(*, user) -> bool:
    """Leave the pool: the answers and household key are deleted at once."""
    with transaction.atomic():
        member = (
            PoolMember.objects.select_for_update()
            .filter(pool__is_volunteer_pool=True, user=user)
            .first()
        )
        if member is None or member.withdrawn_at:
            return False
        member.features = {}
        member.household_hash = ""
        member.withdrawn_at = timezone.now()
        member.save(update_fields=["features", "household_hash", "withdrawn_at"])
        _lapse_invitations([member])
        record_audit_entry(
            actor=user, action="panels.withdrew", summary="Left the volunteer pool", target=member
        )
    return True


IMPORT_ACTION = "panels.pool_imported"
# Pool members who hold a place on the panel now: the "selected" file of an export.
SELECTED_STATUSES = (MemberStatus.INVITED, MemberStatus.CONFIRMED)


def _check_pool_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter a name for this pool"})
    if Pool.objects.filter(name=name).exists():
        raise ValidationError({"name": "A pool with this name already exists. Choose another name"})
    return name


def check_import_preview(*, name: str, categories_text: str, respondents_text: str):
    """Read the files of any known tool and say what would be imported, saving nothing.
    Returns the name and a PreparedImport (anonymised: ids, categories and hashed households);
    raises a ValidationError for the name, or one listing every problem in the files."""
    name = _check_pool_name(name)
    prepared, problems = prepare_import(categories_text, respondents_text, _secret())
    if problems:
        raise ValidationError(problems)
    return name, prepared


def check_import_pool(*, name: str, prepared: PreparedImport, created_by) -> tuple[Pool, list]:
    """Create a pool from an import the secretariat has previewed and confirmed. Returns the pool
    and its quotas as [category, value, min, max]."""
    name = _check_pool_name(name)
    with transaction.atomic():
        pool = Pool.objects.create(name=name, created_by=created_by)
        PoolMember.objects.bulk_create(
            [
                PoolMember(
                    pool=pool,
                    external_id=person[0],
                    features=prepared.features(person),
                    household_hash=person[2],
                )
                for person in prepared.people
            ]
        )
        preview = prepared.preview
        record_audit_entry(
            actor=created_by,
            action=IMPORT_ACTION,
            summary=f"Imported the pool “{name}” with {count_words(len(prepared.people), 'person', 'people')}",
            target=pool,
            public=True,
            # Column names and counts only, so the pool can be written out in the same layout.
            data={
                "source": prepared.source,
                "people": len(prepared.people),
                "households": preview.get("households"),
                "rows_left_out": preview.get("skipped_count", 0),
            },
        )
    return pool, prepared.quotas


def source_layout(pool: Pool) -> dict:
    """The layout the pool was imported in (see formats.ReadFiles.describe). Pools imported
    before layouts were recorded were read from files with an id column called id."""
    entry = (
        AuditEntry.objects.filter(
            action=IMPORT_ACTION, target_type=Pool._meta.label_lower, target_id=str(pool.pk)
        )
        .order_by("-sequence")
        .values_list("data", flat=True)
        .first()
    )
    source = (entry or {}).get("source")
    if source:
        return source
    categories_seen = sorted(
        {c for f in pool.members.values_list("features", flat=True) for c in f}
    )
    return {
        "layout": None,
        "id_column": "id",
        "numbered": False,
        "category_columns": {c: c for c in categories_seen},
    }


def export_people(panel) -> tuple[dict, dict[str, dict[str, str]], set[str]]:
    """For an export of a drawn panel: the pool's layout, every person still in the pool (id ->
    categories) and the ids of the people who hold a place on the panel now."""
    pool = panel.pool
    members = pool.members.active().order_by("pk").values_list("external_id", "features")
    people = {external_id: features for external_id, features in members}
    selected = set(
        panel.members.filter(status__in=SELECTED_STATUSES).values_list(
            "pool_member__external_id", flat=True
        )
    )
    return source_layout(pool), people, selected


def export_tables(panel) -> tuple[list[list[str]], list[list[str]]]:
    """The selected and the remaining people, id and categories, in the pool's layout."""
    source, people, selected = export_people(panel)
    chosen = [(i, f) for i, f in people.items() if i in selected]
    rest = [(i, f) for i, f in people.items() if i not in selected]
    return (
        formats.stored_people_table(source, chosen),
        formats.stored_people_table(source, rest),
    )


def check_split_people_file(panel, text: str) -> formats.SplitFile:
    """The original people file, split into selected and remaining; a ValidationError listing
    every problem if it is not the file the pool came from."""
    source, people, selected = export_people(panel)
    split = formats.split_people_file(text, source, people, selected)
    if split.errors:
        raise ValidationError(split.errors)
    return split


def do_record_export(*, panel, exported_by, what: str) -> None:
    """Exports hold personal data: each one is written in the (private) audit log."""
    with transaction.atomic():
        record_audit_entry(
            actor=exported_by,
            action="panels.people_exported",
            summary=f"Exported {what} of the panel “{panel.title}”",
            target=panel,
        )


def export_for_user(user) -> list[dict[str, Any]]:
    return [
        {
            "pool": m.pool.name,
            "your_answers": {
                categories.CATEGORY_LABELS.get(k, k): categories.label_for(k, v)
                for k, v in m.features.items()
            },
            "consent_given": m.consent_given_at.isoformat() if m.consent_given_at else None,
            "withdrawn": m.withdrawn_at.isoformat() if m.withdrawn_at else None,
            "chance_of_selection": [
                {"panel": p.panel.title, "probability": round(p.probability, 6)}
                for p in m.probabilities.select_related("panel")
            ],
        }
        for m in PoolMember.objects.filter(user=user).select_related("pool")
    ]


def forget_user(user) -> None:
    now = timezone.now()
    PoolMember.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
    PoolMember.objects.filter(user=user).update(features={}, household_hash="")
    _lapse_invitations(PoolMember.objects.filter(user=user))


def _lapse_invitations(members) -> None:
    """Invitations not yet answered by people who have left the pool lapse: they count as
    declined, so the secretariat can replace them from the reserves."""
    PanelMember.objects.filter(pool_member__in=members, status=MemberStatus.INVITED).update(
        status=MemberStatus.DECLINED, updated_at=timezone.now()
    )
