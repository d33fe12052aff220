"""Volunteering for the pool, changing or withdrawing answers, and importing a pool."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.panels import categories, households
from nhs_citizen.panels.importing import parse_import
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


def check_import_pool(
    *, name: str, categories_text: str, respondents_text: str, created_by
) -> tuple[Pool, list]:
    """Create a pool (and the quotas to use) from Sortition Foundation / Panelot CSV files.
    Returns the pool and the parsed quotas; raises a ValidationError listing every row problem."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter a name for this pool"})
    if Pool.objects.filter(name=name).exists():
        raise ValidationError({"name": "A pool with this name already exists. Choose another name"})
    parsed = parse_import(categories_text, respondents_text)
    if parsed.errors:
        shown = parsed.errors[:30]
        if len(parsed.errors) > 30:
            shown.append(f"And {len(parsed.errors) - 30} more problems.")
        raise ValidationError(shown)
    with transaction.atomic():
        pool = Pool.objects.create(name=name, created_by=created_by)
        PoolMember.objects.bulk_create(
            [
                PoolMember(
                    pool=pool,
                    external_id=person.external_id,
                    features=person.features,
                    household_hash=households.household_key(
                        person.address, person.postcode, _secret()
                    )
                    if person.postcode
                    else "",
                )
                for person in parsed.people
            ]
        )
        record_audit_entry(
            actor=created_by,
            action="panels.pool_imported",
            summary=f"Imported the pool “{name}” with {len(parsed.people)} people",
            target=pool,
            public=True,
        )
    return pool, parsed.quotas


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
