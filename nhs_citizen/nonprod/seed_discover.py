"""Demo data for Discover: invented statements from plausible sources, processed by the real
pipeline, with topics found, one renamed, one taken to Gather and one statement hidden.

Everything here is made up. Sources we would fetch from are paused, so the demo never reaches
the internet. The talk about NHS dentists rises in the last week, so the dashboard shows a
rising topic.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from nhs_citizen.accounts.models import User
from nhs_citizen.core.models import Icb, Organisation
from nhs_citizen.core.models import Topic as GatherTopic
from nhs_citizen.discover.connectors import IncomingItem
from nhs_citizen.discover.models import Item, Source, SourceKind
from nhs_citizen.discover.services import curation, pipeline
from nhs_citizen.discover.services.ingest import TELL_US_SOURCE_NAME, do_ingest
from nhs_citizen.gather.services.flags import Place

THEMES: dict[str, list[str]] = {
    "gp": [
        "The surgery phone line cuts off when the queue is full",
        "I had to wait a month for a routine GP appointment",
        "There is never a doctor available at our practice on Fridays",
        "Elderly people cannot use the online system to book a GP",
        "We were told to phone back tomorrow at 8am, again and again",
        "I rang the GP surgery at 8am and was 30th in the queue",
        "You cannot get a GP appointment unless you ring at 8 on the dot",
        "Our surgery has stopped doing face to face appointments",
        "It took three weeks to see a doctor at my practice",
        "The online booking system for the GP never has any slots",
        "My dad could not get through to the surgery on the phone all week",
        "The practice receptionist told me to try 111 instead",
        "Getting a GP appointment for my child is impossible",
    ],
    "ae": [
        "A&E was so busy that patients were treated in the corridor",
        "We spent the whole night in A&E waiting for a bed on a ward",
        "The emergency department had no chairs left for people waiting",
        "Children waited hours in the same A&E room as drunk adults",
        "We waited nine hours in A&E with my mum on a trolley",
        "The emergency department was full and people were on chairs all night",
        "A&E waiting times are dangerous for older people",
        "My son waited seven hours in A&E with a broken arm",
        "Nobody told us how long the wait in A&E would be",
        "There were not enough staff in A&E on Saturday night",
    ],
    "ambulance": [
        "The 999 call handler said there were no ambulances free",
        "My husband waited three hours for an ambulance after a fall",
        "A neighbour drove my dad to hospital because no ambulance came",
        "My gran waited five hours on the floor for an ambulance",
        "The ambulance took over two hours to come for a suspected stroke",
        "Ambulances were queuing outside the hospital for hours",
        "The paramedics said they had been stuck outside A&E all shift",
    ],
    "dentist": [
        "Every dental surgery in the city says it is not taking NHS patients",
        "I cannot afford a private dentist and there is no NHS one",
        "My child's teeth are rotting because we cannot get a dentist",
        "Emergency dental appointments are impossible to get",
        "There is no NHS dentist taking new patients anywhere near me",
        "I have been on the waiting list for an NHS dentist for two years",
        "My dentist went private and dropped all its NHS patients",
        "Children in our town cannot find an NHS dentist",
        "I had to pull my own tooth out because I could not find a dentist",
        "We drove 40 miles to find an NHS dentist for my daughter",
        "The dental practice said its NHS list is closed",
        "NHS dentistry has disappeared from our area",
    ],
    "mental_health": [
        "Mental health services for teenagers are at breaking point",
        "I was given a leaflet and told to wait a year for counselling",
        "The mental health crisis line was engaged for hours",
        "My son waited 18 months for a CAMHS assessment",
        "There is no mental health support while you wait for therapy",
        "The crisis team did not call back when my friend needed help",
        "Waiting lists for talking therapies are far too long",
        "Young people with anxiety are left on their own for months",
    ],
    "parking": [
        "I got a parking fine while I was in a scan that overran",
        "Patients with cancer should not have to pay to park",
        "Blue badge holders still have to pay to park at the hospital",
        "Hospital parking costs far too much for patients and carers",
        "The hospital car park is always full so people miss appointments",
        "Parking charges are unfair on families visiting every day",
        "Disabled parking bays are too far from the main entrance",
    ],
    "kindness": [
        "The hospice staff gave my mum a peaceful and dignified end",
        "The physio was patient and encouraging every single session",
        "The health visitor was a lifeline in the first weeks",
        "Everyone in the cancer unit treated us like family",
        "The nurses on the ward were so kind to my dad",
        "The midwives were wonderful and made me feel safe",
        "Thank you to the paramedics who were calm and reassuring",
        "The staff explained everything clearly and treated me with dignity",
        "Brilliant caring team on the children's ward",
        "The receptionist was lovely and really helpful",
        "Fantastic care from the doctors and nurses on the stroke unit",
        "The district nurses who visit my mum are amazing",
    ],
    "communication": [
        "Test results were never passed on to me by anyone",
        "The hospital sent my letters to an old address for a year",
        "Nobody would tell us when my mum would be discharged",
        "Nobody told us my dad had been moved to another ward",
        "Letters about appointments arrive after the appointment date",
        "The hospital and the GP do not share information with each other",
        "We had to repeat the same story to every doctor we saw",
        "I was discharged without anyone explaining my new tablets",
    ],
    "operations": [
        "My operation was cancelled because there were no beds",
        "I have been in pain for two years waiting for a new hip",
        "The surgery date keeps moving and nobody says why",
        "My hip operation has been cancelled twice on the day",
        "I have been on the waiting list for knee surgery for 14 months",
        "My cataract operation keeps being put back",
        "The wait for a hospital appointment after referral is over a year",
    ],
    "pharmacy": [
        "There is a shortage of ADHD medicine at every chemist",
        "The pharmacy is shut at weekends so we cannot collect prescriptions",
        "The pharmacist helped with my son's ear infection so we did not need the GP",
        "The pharmacy keeps running out of my regular medicine",
        "Our local chemist has closed and the next one is two buses away",
        "Prescriptions take a week to be ready at the pharmacy",
        "Pharmacists should be able to help with more things",
    ],
}

# A few statements with personal details, to show them taken out.
WITH_PERSONAL_DATA = [
    "Please ring me on 07700 900321, the GP still has not called back about my test results",
    "My NHS number is 943 476 5919 and my records were sent to the wrong surgery",
    "Dr Okafor at the walk-in centre was brilliant with my son",
    "Email me at jo.smith@example.com, the ambulance took hours to reach 14 Park Lane, Leeds LS6 2QB",
]


def _statements(rng: random.Random, themes: list[str], n: int) -> list[str]:
    out = []
    for _ in range(n):
        theme = rng.choice(themes)
        text = rng.choice(THEMES[theme])
        out.append(text)
    return out


def _items(prefix: str, texts: list[str], rng: random.Random, *, days=(1, 70), places=(), url=""):
    now = timezone.now()
    items = []
    for i, text in enumerate(texts):
        days_ago = rng.uniform(*days)
        items.append(
            IncomingItem(
                original_id=f"{prefix}-{i}",
                text=text,
                said_at=now - dt.timedelta(days=days_ago),
                url=f"{url}{i}" if url else "",
                place=rng.choice(places) if places else "",
            )
        )
    return items


def seed_discover() -> int:
    if Source.objects.filter(name=TELL_US_SOURCE_NAME).exists():
        return 0  # already seeded
    rng = random.Random(2026)
    orgs = {o.slug: o for o in Organisation.objects.all()}
    west_yorkshire = Icb.objects.get(code="QWO")
    all_themes = [t for t in THEMES if t != "dentist"]
    paused = {"active": False, "poll_every_minutes": 60}

    def source(name, kind, **extra):
        obj, _ = Source.objects.get_or_create(name=name, defaults={"kind": kind, **extra})
        return obj

    tell_us = source(TELL_US_SOURCE_NAME, SourceKind.TELL_US, poll_every_minutes=0)
    sources_and_items = [
        (
            tell_us,
            _items(
                "tell",
                _statements(rng, all_themes + ["dentist"], 50) + WITH_PERSONAL_DATA,
                rng,
                places=["LS6", "Bradford", "M14", "B15", "SE1", "Cornwall", "NE1", ""],
            ),
        ),
        (
            source(
                "Carers' café, Leeds Central Library (14 November 2026)",
                SourceKind.UPLOAD,
                organisation=orgs.get("healthwatch-leeds"),
                icb=west_yorkshire,
                region=west_yorkshire.region,
                poll_every_minutes=0,
            ),
            _items(
                "cafe",
                _statements(rng, ["gp", "parking", "communication", "kindness", "pharmacy"], 35),
                rng,
                days=(7, 8),
            ),
        ),
        (
            source(
                "Aire Valley carers drop-in (3 November 2026)",
                SourceKind.UPLOAD,
                organisation=orgs.get("aire-valley-carers-network"),
                icb=west_yorkshire,
                region=west_yorkshire.region,
                poll_every_minutes=0,
            ),
            _items(
                "aire",
                _statements(rng, ["parking", "communication", "mental_health", "gp"], 25),
                rng,
                days=(18, 19),
            ),
        ),
        (
            source(
                "Healthwatch Leeds news",
                SourceKind.RSS,
                organisation=orgs.get("healthwatch-leeds"),
                config={"url": "https://healthwatch-leeds.example.org/news/feed"},
                **paused,
            ),
            _items(
                "hw",
                _statements(rng, ["gp", "dentist", "mental_health"], 12),
                rng,
                url="https://healthwatch-leeds.example.org/news/",
            ),
        ),
        (
            source(
                "#NHS on mastodon.social",
                SourceKind.MASTODON,
                group_name="mastodon.social",
                config={"instance": "https://mastodon.social", "hashtag": "NHS"},
                **paused,
            ),
            _items("masto", _statements(rng, all_themes, 45), rng),
        ),
        (
            source(
                "Bluesky: NHS dentist",
                SourceKind.BLUESKY,
                group_name="Bluesky",
                config={"query": "NHS dentist"},
                **paused,
            ),
            # Quiet for weeks, then a burst in the last few days: a rising topic.
            _items("bsky-old", _statements(rng, ["dentist"], 8), rng, days=(10, 63))
            + _items("bsky-new", _statements(rng, ["dentist"], 26), rng, days=(0.2, 6)),
        ),
        (
            source(
                "Patient experience inbox, NHS West Yorkshire ICB",
                SourceKind.IMAP,
                organisation=orgs.get("nhs-west-yorkshire-icb"),
                icb=west_yorkshire,
                region=west_yorkshire.region,
                config={
                    "host": "imap.example.org",
                    "port": 993,
                    "ssl": True,
                    "username": "listen",
                    "folder": "INBOX",
                },
                **paused,
            ),
            _items(
                "mail",
                _statements(rng, ["ae", "ambulance", "operations", "communication"], 20),
                rng,
            ),
        ),
        (
            source(
                "Patient stories feed (JSON)",
                SourceKind.JSON_FEED,
                group_name="Patient Voices North",
                config={"url": "https://patient-voices.example.org/stories.json"},
                **paused,
            ),
            _items(
                "json",
                _statements(rng, ["kindness", "ae", "operations", "pharmacy"], 20),
                rng,
                places=["NE1", "Durham", "YO1"],
                url="https://patient-voices.example.org/stories/",
            ),
        ),
    ]
    for src, items in sources_and_items:
        do_ingest(src, items)
    pipeline.reset_caches()
    pipeline.do_process_waiting()
    pipeline.do_recluster(reason="Demo data")

    curator = User.objects.filter(role_assignments__role="curator").order_by("pk").first()
    dentist = Item.objects.filter(raw_text__icontains="NHS dentist").exclude(topic=None).first()
    if curator and dentist:
        topic = dentist.topic.final()
        curation.check_rename_topic(
            curator=curator, topic=topic, name="Finding an NHS dentist", reason="Clearer name"
        )
        gather_topic = (
            GatherTopic.objects.filter(name__icontains="dent").first()
            or GatherTopic.objects.first()
        )
        curation.check_flag_topic(
            curator=curator,
            topic=topic,
            title="Make sure everyone can find an NHS dentist",
            what_should_change="Every area should have NHS dentists taking new patients, with a clear list of who has space.",
            why="People are waiting years for a dentist, travelling miles, or treating themselves. It is rising fast in what people tell us.",
            gather_topic=gather_topic,
            place=Place("national"),
        )
        named = Item.objects.public().filter(raw_text__startswith="Dr Okafor").first()
        if named:
            curation.check_hide_item(
                curator=curator,
                item=named,
                hide=True,
                reason="It names a member of staff. We thank staff in other ways.",
            )
    return Item.objects.count()
