"""Demo communication needs and requests for other formats (ADR 0036).

Some confirmed members of the Summer 2026 Assembly Meeting and its citizens' jury made an
account after they accepted their place (their place in the pool is linked to it), and told us
what they need: so the secretariat's member list and meeting planning page show a real mix.
Three requests for other formats: one sent, one waiting, one overdue. Running it twice changes
nothing."""

from __future__ import annotations

import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from nhs_citizen.accounts.models import FormatRequest
from nhs_citizen.accounts.needs_services import (
    check_mark_request_sent,
    check_request_format,
    check_save_needs,
)
from nhs_citizen.nonprod.personas import DEMO_DOMAIN
from nhs_citizen.nonprod.seed_assembly import MEMBERS_TITLE
from nhs_citizen.nonprod.seed_panels import JURY_TITLE
from nhs_citizen.panels.models import Panel

# (key, name, panel title, needs, language, something else)
MEMBERS_WITH_NEEDS = [
    ("needs-gareth", "Gareth Llewellyn", MEMBERS_TITLE, ["bsl_interpreter"], "", ""),
    (
        "needs-shirley",
        "Shirley Adebayo",
        MEMBERS_TITLE,
        ["step_free", "carer_or_supporter"],
        "",
        "",
    ),
    ("needs-tomasz", "Tomasz Nowak", MEMBERS_TITLE, [], "pl", ""),
    ("needs-maureen", "Maureen Clarke", MEMBERS_TITLE, ["large_print", "hearing_loop"], "", ""),
    (
        "needs-callum",
        "Callum Reid",
        MEMBERS_TITLE,
        ["easy_read"],
        "",
        "I find long papers hard. Someone to go through them with me before the day would help.",
    ),
    ("needs-farida", "Farida Begum", MEMBERS_TITLE, ["bsl_interpreter", "step_free"], "", ""),
    (
        "needs-ruth",
        "Ruth Whitaker",
        JURY_TITLE,
        ["large_print"],
        "",
        "Papers in 18 point Arial, please.",
    ),
    ("needs-imran", "Imran Qureshi", JURY_TITLE, [], "ur", ""),
]


def _account(key: str, name: str):
    User = get_user_model()
    email = f"{key}@{DEMO_DOMAIN}"
    user = User(email=email, display_name=name)
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def seed_needs(at) -> int:
    """Returns how many people's needs were recorded."""
    if EmailAddress.objects.filter(email=f"needs-gareth@{DEMO_DOMAIN}").exists():
        return 0
    panels = {p.title: p for p in Panel.objects.filter(title__in=[MEMBERS_TITLE, JURY_TITLE])}
    if len(panels) < 2:
        return 0
    taken: set[int] = set()
    people = {}
    for key, name, title, needs, language, other in MEMBERS_WITH_NEEDS:
        place = (
            panels[title]
            .members.filter(status="confirmed", pool_member__user__isnull=True)
            .exclude(pk__in=taken)
            .select_related("pool_member")
            .order_by("pk")
            .first()
        )
        if place is None:
            continue
        taken.add(place.pk)
        with time_machine.travel(at(185), tick=False):
            user = _account(key, name)
            place.pool_member.user = user
            place.pool_member.save(update_fields=["user"])
        with time_machine.travel(at(182), tick=False):
            check_save_needs(user=user, needs=needs, language=language, something_else=other)
        people[key] = user

    secretariat = (
        get_user_model().objects.filter(role_assignments__role="secretariat").order_by("pk").first()
    )
    citizen = get_user_model().objects.get(email=f"citizen@{DEMO_DOMAIN}")
    if FormatRequest.objects.exists() or secretariat is None:
        return len(people)
    # Sent: Tomasz asked for the meeting's information pack in Polish, and it went on time.
    if "needs-tomasz" in people:
        with time_machine.travel(at(175), tick=False):
            polish = check_request_format(
                requester=people["needs-tomasz"],
                document="Information pack for the Summer 2026 Assembly Meeting",
                format="another_language",
                language="pl",
                send_by="email",
            )
        with time_machine.travel(at(168), tick=False):
            check_mark_request_sent(
                request=polish, done_by=secretariat, note="Translated by Leeds Language Services"
            )
    # Overdue: Maureen asked for the Board's responses in large print by post.
    if "needs-maureen" in people:
        with time_machine.travel(at(21), tick=False):
            check_request_format(
                requester=people["needs-maureen"],
                document="The NHS England Board's responses to the Summer 2026 Assembly",
                format="large_print",
                send_by="post",
                postal_address="Flat 3, 27 Chapeltown Road\nLeeds\nLS7 3AP",
            )
    # Waiting: Amira (the citizen persona) asked for the vote's guide in Easy Read.
    with time_machine.travel(at(2), tick=False):
        check_request_format(
            requester=citizen,
            document="How the priority vote works (the Winter 2026 vote page)",
            format="easy_read",
            send_by="email",
        )
    return len(people)
