"""Demo data for letters that follow people's needs and for paper forms posted to NHS England:

- Stanley Briggs, who votes on paper (seed_paper_ballots), reads large print: his needs say so,
  so his ballot paper prints in large print and the paper-ballots page says "Large print";
- the secretariat (Samuel Adeyemi) types in a paper "raise a flag" form that Winifred Hartley
  posted to Wellington House from Scarborough, with her signed agreement and the form's
  reference, so the flag shows as "sent in on paper".

Running it twice changes nothing."""

from __future__ import annotations

import time_machine
from django.contrib.auth import get_user_model

from nhs_citizen.accounts.models import CommunicationNeeds
from nhs_citizen.accounts.needs_services import check_save_needs
from nhs_citizen.assisted.models import OnBehalfRecord
from nhs_citizen.assisted.rules import SECRETARIAT_ORGANISATION
from nhs_citizen.assisted.services import Consent, check_add_person, check_record_flag
from nhs_citizen.core.models import Icb, Organisation, Topic
from nhs_citizen.gather.models import Scope
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.nonprod.personas import DEMO_DOMAIN

PAPER_REFERENCE = "WH-2026-0117"


def seed_polish16(at) -> int:
    """Returns how many things were added."""
    User = get_user_model()
    added = 0
    stanley = User.objects.filter(email=f"stanley.briggs@{DEMO_DOMAIN}").first()
    if stanley is not None and not CommunicationNeeds.objects.filter(user=stanley).exists():
        with time_machine.travel(at(60), tick=False):
            check_save_needs(user=stanley, needs=["large_print"])
        added += 1
    england = Organisation.objects.filter(slug=SECRETARIAT_ORGANISATION).first()
    secretariat = User.objects.filter(email=f"secretariat@{DEMO_DOMAIN}").first()
    if (
        england is None
        or secretariat is None
        or OnBehalfRecord.objects.filter(organisation=england).exists()
    ):
        return added
    with time_machine.travel(at(12), tick=False):
        person = check_add_person(
            helper=secretariat,
            organisation=england,
            name="Winifred Hartley",
            contact_by="letter",
            address="5 Albert Road\nScarborough\nYO11 1AA",
        )
        check_record_flag(
            helper=secretariat,
            person=person,
            consent=Consent("Winifred herself, signed on the form", "letter", at(15).date()),
            title="Let people book hospital transport by post or phone, not only online",
            what_should_change=(
                "Keep a phone line and a paper form for booking patient transport, so people "
                "without the internet can still get to their appointments."
            ),
            why=(
                "The booking moved online last year. I do not have a computer, and the phone "
                "line now only gives the web address. I missed an eye clinic because of it."
            ),
            topic=Topic.objects.get(slug="transport-and-travel"),
            place=Place(
                Scope.LOCAL,
                icb=Icb.objects.get(code="QOQ"),
                place_name="Scarborough",
            ),
            paper_reference=PAPER_REFERENCE,
        )
    return added + 2
