"""Shared set-up for the Discover tests: a source and some statements in clear themes."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from nhs_citizen.discover.connectors import IncomingItem
from nhs_citizen.discover.models import Source, SourceKind
from nhs_citizen.discover.services.ingest import do_ingest

_ids = itertools.count(1)

THEMES = {
    "parking": [
        "Parking at the hospital costs far too much for patients",
        "The car park is always full so I missed my appointment",
        "Hospital parking charges are unfair on people visiting every day",
        "There are not enough parking spaces at the hospital",
        "I drove round the car park for forty minutes looking for a space",
        "Disabled parking bays are too far from the main entrance",
        "Car parking fees for visitors should be scrapped",
        "The parking machines never work and you get a fine",
        "Staff have nowhere to park their cars at the hospital",
        "Parking permits for carers would help so much",
    ],
    "waiting": [
        "I waited eight hours in A&E before anyone saw me",
        "The waiting list for my hip operation is over a year",
        "Waiting times at the emergency department are far too long",
        "My mum waited six hours for an ambulance",
        "It took three months to get a hospital appointment",
        "We sat in the waiting room all night with no update",
        "The wait to see a specialist is getting longer every year",
        "Nobody told us how long the wait would be in A&E",
        "Cancer referrals should not take this long to be seen",
        "Long waits for mental health support are making people worse",
    ],
    "kindness": [
        "The nurses on the ward were so kind and caring",
        "Every member of staff treated my dad with dignity and kindness",
        "The midwife was wonderful and made me feel safe",
        "Thank you to the paramedics who were calm and reassuring",
        "The staff were friendly and explained everything clearly",
        "Brilliant caring team on the children's ward",
        "The receptionist was lovely and really helpful",
        "Fantastic care from the doctors and nurses, thank you all",
        "Staff went out of their way to make my stay comfortable",
        "The nurse held my hand and kept me calm, she was amazing",
    ],
}


def make_source(name: str = "Test feed", kind: str = SourceKind.RSS, **extra) -> Source:
    return Source.objects.create(name=name, kind=kind, **extra)


def incoming(
    text: str,
    *,
    days_ago: float = 1,
    place: str = "",
    group: str = "",
    original_id=None,
    question: str = "",
):
    return IncomingItem(
        original_id=original_id or f"item-{next(_ids)}",
        text=text,
        said_at=timezone.now() - dt.timedelta(days=days_ago),
        url="",
        place=place,
        group=group,
        question=question,
    )


def ingest_texts(source: Source, texts: list[str], **kwargs):
    return do_ingest(source, [incoming(t, **kwargs) for t in texts])


def all_theme_texts() -> list[str]:
    return [text for texts in THEMES.values() for text in texts]
