"""Test data for Gather, built through the same services the app uses where it matters."""

from __future__ import annotations

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation, Topic
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership
from nhs_citizen.gather.models import Scope
from nhs_citizen.gather.services.flags import Place, check_raise_flag

_counter = {"n": 0}


def next_email(prefix: str = "person") -> str:
    _counter["n"] += 1
    return f"{prefix}{_counter['n']}@example.com"


def raise_flag(
    user=None,
    title="Let people book GP appointments online",
    what="Every surgery should offer online booking.",
    why="Phone queues at 8am are impossible for people who work.",
    topic="gp-and-primary-care",
    place=None,
):
    user = user or make_user(next_email("raiser"), display_name="Rae Raiser")
    return check_raise_flag(
        user=user,
        title=title,
        what_should_change=what,
        why=why,
        topic=Topic.objects.get(slug=topic),
        place=place or Place(Scope.NATIONAL),
    )


def responder_for(organisation: Organisation, email: str | None = None):
    user = make_user(
        email or next_email("responder"), display_name="Rory Responder", with_totp=True
    )
    admin = make_user(next_email("admin"), roles=("administrator",))
    membership = check_request_membership(
        user=user, organisation=organisation, role="responder", job_title="Lead"
    )
    do_verify_membership(membership=membership, verified_by=admin)
    user.__dict__.pop("responder_organisation_ids", None)
    return user
