"""Demo data for community helpers: Grace Okafor, engagement officer at Healthwatch Leeds,
records for people she meets at drop-in sessions and who send back paper forms. One flag she
typed in for a resident, and supports from people who are offline, on it and on an existing
flag. Running it twice changes nothing."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from nhs_citizen.assisted.models import OnBehalfRecord
from nhs_citizen.assisted.services import (
    Consent,
    check_add_person,
    check_record_call_answers,
    check_record_flag,
    check_record_pool_entry,
    check_record_story,
    check_record_support,
)
from nhs_citizen.core.models import Icb, Organisation, Topic
from nhs_citizen.gather.models import CallForViews, Flag, FlagStatus, QuestionKind, Scope
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.nonprod.personas import DEMO_DOMAIN

# (name, contact by, phone or address, days ago added)
PEOPLE = [
    ("Doreen Whitaker", "phone", "0113 496 0218", 40),
    ("Tariq Mahmood", "letter", "17 Harehills Avenue\nLeeds\nLS8 4EX", 38),
    ("Elsie Barraclough", "helper", "", 36),
    ("Patrick Gallagher", "phone", "0113 496 0571", 33),
    ("Janice Holroyd", "letter", "3 Seacroft Crescent\nLeeds\nLS14 6NQ", 31),
    ("Bernard Okoro", "phone", "0113 496 0934", 29),
]

BUS_TITLE = "Bring back the hospital bus from Seacroft to St James's"


def seed_assisted(at) -> int:
    organisation = Organisation.objects.filter(slug="healthwatch-leeds").first()
    if organisation is None or OnBehalfRecord.objects.filter(organisation=organisation).exists():
        return 0
    helper = get_user_model().objects.get(email=f"member@{DEMO_DOMAIN}")
    people = []
    for name, contact_by, detail, days_ago in PEOPLE:
        with time_machine.travel(at(days_ago), tick=False):
            people.append(
                check_add_person(
                    helper=helper,
                    organisation=organisation,
                    name=name,
                    contact_by=contact_by,
                    phone=detail if contact_by == "phone" else "",
                    address=detail if contact_by == "letter" else "",
                )
            )
    records = len(people)

    # Doreen told Grace about the bus at the Seacroft drop-in; she agreed there and then.
    with time_machine.travel(at(39.6), tick=False):
        flag = check_record_flag(
            helper=helper,
            person=people[0],
            consent=Consent("Doreen herself", "in_person", at(39.6).date()),
            title=BUS_TITLE,
            what_should_change=(
                "Run the hospital bus from Seacroft to St James's again, at least every hour "
                "on weekdays."
            ),
            why=(
                "Since the bus stopped, people in Seacroft without a car need two buses and "
                "over an hour to reach St James's. Older people tell us they miss appointments "
                "or pay for taxis they cannot afford."
            ),
            topic=Topic.objects.get(slug="transport-and-travel"),
            place=Place(Scope.LOCAL, icb=Icb.objects.get(code="QWO"), place_name="Seacroft, Leeds"),
            paper_reference="",
        )
    records += 2
    # Others support it: by phone, and on the paper forms they posted back.
    supports = [
        (people[1], Consent("Tariq himself", "letter", at(36).date()), "HWL-P-0041", 35.5),
        (
            people[2],
            Consent("Her son Michael, with her agreement", "in_person", at(35).date()),
            "",
            34.8,
        ),
        (people[3], Consent("Patrick himself", "phone", at(33).date()), "", 32.7),
        (people[4], Consent("Janice herself", "letter", at(31).date()), "HWL-P-0044", 30.4),
    ]
    for person, consent, paper, days_ago in supports:
        with time_machine.travel(at(days_ago), tick=False):
            check_record_support(
                helper=helper, person=person, flag=flag, consent=consent, paper_reference=paper
            )
            records += 1

    # Two of them also support a flag about GP appointments someone raised online.
    other = (
        Flag.objects.visible()
        .filter(status=FlagStatus.OPEN, hidden_at__isnull=True)
        .exclude(pk=flag.pk)
        .order_by("-support_count", "pk")
        .first()
    )
    if other is not None:
        for person, consent, days_ago in [
            (people[0], Consent("Doreen herself", "phone", at(28).date()), 27.9),
            (people[5], Consent("Bernard himself", "phone", at(29).date()), 28.6),
        ]:
            with time_machine.travel(at(days_ago) + timedelta(minutes=5), tick=False):
                check_record_support(helper=helper, person=person, flag=other, consent=consent)
                records += 1

    # Elsie's story, told at a drop-in, waits for a curator like any other.
    with time_machine.travel(at(20), tick=False):
        check_record_story(
            helper=helper,
            person=people[2],
            consent=Consent("Her son Michael, with her agreement", "in_person", at(20).date()),
            title="The memory clinic rang my son before they rang me",
            body=(
                "I kept missing letters, so I asked the memory clinic to ring my son as well. "
                "Now they phone us both a week before every appointment, and I have not missed "
                "one since."
            ),
            organisation=Organisation.objects.filter(
                slug="leeds-teaching-hospitals-nhs-trust"
            ).first(),
        )
        records += 1
    # Bernard wants to be in the pool people are chosen from for the Assembly.
    with time_machine.travel(at(18), tick=False):
        check_record_pool_entry(
            helper=helper,
            person=people[5],
            consent=Consent("Bernard himself", "in_person", at(18).date()),
            answers={
                "age_band": "65-74",
                "sex": "male",
                "ethnic_group": "black",
                "disability": "not_disabled",
                "region": "Y63",
                "deprivation": "1",
            },
            address="22 Gipton Approach",
            postcode="LS9 6NN",
        )
        records += 1
    # Tariq's answers to an open call for views came back on the paper version.
    call = CallForViews.objects.filter(closes_on__gte=timezone.localdate()).order_by("pk").first()
    if call is not None:
        answers = {}
        for question in call.questions.order_by("position"):
            if question.kind == QuestionKind.CHOICE:
                answers[question.pk] = question.choices[0]
            else:
                answers[question.pk] = (
                    "I do not use the internet. Please keep a phone number that a person answers."
                )
        check_record_call_answers(
            helper=helper,
            person=people[1],
            call=call,
            answers=answers,
            consent=Consent("Tariq himself", "letter", timezone.localdate() - timedelta(days=3)),
            paper_reference="HWL-C-0007",
        )
        records += 1
    return records
