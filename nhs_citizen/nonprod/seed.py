"""Load the demo data. Running it twice changes nothing."""

from __future__ import annotations

import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from nhs_citizen.accounts.models import Role, RoleAssignment, User
from nhs_citizen.accounts.services import check_grant_role
from nhs_citizen.core.models import Icb, Membership, Organisation, Region, Topic
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership
from nhs_citizen.nonprod.personas import (
    DEMO_DOMAIN,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    OTHER_CITIZENS,
    PENDING_REQUESTS,
    PERSONAS,
)


def _area(value: str) -> tuple[Region | None, Icb | None]:
    if not value:
        return None, None
    kind, _, code = value.partition(":")
    if kind == "icb":
        icb = Icb.objects.select_related("region").get(code=code)
        return icb.region, icb
    return Region.objects.get(code=code), None


def _person(
    key: str, display_name: str, area: str, interests: tuple[str, ...]
) -> tuple[User, bool]:
    email = f"{key}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    region, icb = _area(area)
    user = User.objects.create_user(
        email=email, password=DEMO_PASSWORD, display_name=display_name, region=region, icb=icb
    )
    user.interests.set(Topic.objects.filter(slug__in=interests))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def _organisations() -> int:
    created = 0
    for data in DEMO_ORGANISATIONS:
        if Organisation.objects.filter(slug=data["slug"]).exists():
            continue
        icb = (
            Icb.objects.select_related("region").get(code=data["icb"]) if data.get("icb") else None
        )
        Organisation.objects.create(
            slug=data["slug"],
            name=data["name"],
            type=data["type"],
            code=data.get("code", ""),
            icb=icb,
            region=icb.region if icb else None,
            description=data["description"],
        )
        created += 1
    return created


def seed_demo_data() -> dict[str, int]:
    # People and organisations first, as if they joined some months ago; then Gather's history.
    from nhs_citizen.nonprod.seed_gather import _at, seed_gather

    # They joined well before the past Assembly cycle, so they could vote in it.
    with time_machine.travel(_at(400), tick=False):
        counts = _seed_people()
    counts["flags"] = seed_gather()
    from nhs_citizen.nonprod.seed_panels import seed_panels

    counts["panels"] = seed_panels(_at)
    from nhs_citizen.nonprod.seed_assembly import seed_assembly

    counts["cycle_entries"] = seed_assembly(_at)
    from nhs_citizen.nonprod.seed_needs import seed_needs

    counts["communication_needs"] = seed_needs(_at)
    from nhs_citizen.nonprod.seed_discover import seed_discover

    counts["discover_items"] = seed_discover()
    from nhs_citizen.nonprod.seed_assisted import seed_assisted

    counts["on_behalf_records"] = seed_assisted(_at)
    from nhs_citizen.nonprod.seed_polish16 import seed_polish16

    counts["letters_and_paper_forms"] = seed_polish16(_at)
    from nhs_citizen.nonprod.seed_conversations import seed_conversations

    counts["conversation_votes"] = seed_conversations(_at)
    from nhs_citizen.nonprod.seed_polish17 import seed_polish17

    counts["closed_conversation_votes"] = seed_polish17(_at)
    return counts


@transaction.atomic
def _seed_people() -> dict[str, int]:
    counts = {"organisations": _organisations(), "people": 0, "roles": 0, "memberships": 0}
    admin_persona = next(p for p in PERSONAS if Role.ADMINISTRATOR in p.staff_roles)
    admin, created = _person(
        admin_persona.key, admin_persona.display_name, admin_persona.area, admin_persona.interests
    )
    counts["people"] += created
    if not RoleAssignment.objects.filter(user=admin, role=Role.ADMINISTRATOR).exists():
        # The first administrator is appointed when the service is set up.
        RoleAssignment.objects.create(
            user=admin, role=Role.ADMINISTRATOR, granted_at=timezone.now()
        )
        counts["roles"] += 1

    for persona in PERSONAS:
        user, created = _person(persona.key, persona.display_name, persona.area, persona.interests)
        counts["people"] += created
        for role in persona.staff_roles:
            if not RoleAssignment.objects.filter(user=user, role=role).exists():
                check_grant_role(
                    user=user,
                    role=role,
                    granted_by=admin,
                    reason="Demo persona for trying out NHS Citizen",
                )
                counts["roles"] += 1
        if persona.membership:
            slug, role, job_title = persona.membership
            organisation = Organisation.objects.get(slug=slug)
            membership = Membership.objects.filter(user=user, organisation=organisation).first()
            if membership is None:
                membership = check_request_membership(
                    user=user, organisation=organisation, role=role, job_title=job_title
                )
                do_verify_membership(
                    membership=membership, verified_by=admin, reason="Demo persona"
                )
                counts["memberships"] += 1
        if (
            persona.needs_second_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, persona.totp_secret)
            RecoveryCodes.activate(user)

    for key, name, area, interests in OTHER_CITIZENS:
        _, created = _person(key, name, area, interests)
        counts["people"] += created

    for key, slug, role, job_title in PENDING_REQUESTS:
        user = User.objects.get(email=f"{key}@{DEMO_DOMAIN}")
        organisation = Organisation.objects.get(slug=slug)
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            check_request_membership(
                user=user, organisation=organisation, role=role, job_title=job_title
            )
            counts["memberships"] += 1
    return counts
