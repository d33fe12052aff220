"""A synthetic UK test set for the redaction, with gold spans.

``generate(n, seed)`` makes ``n`` short comments in the voice of NHS patient feedback. Names,
towns, phone numbers, e-mail addresses and postcodes come from Faker (mostly ``en_GB``, with
some ``en_IN``, ``en_IE`` and ``pl_PL`` names so that many names are not in our gazetteer);
NHS numbers are made with a valid Modulus 11 check digit; street addresses are built from a
house number, a Faker surname or forename or a common street stem, and a UK street word.
Formats vary: spaces, dashes, brackets, ``+44`` and ``0044``, upper and lower case postcodes
with and without the space. About one comment in five has no personal data at all, so that
precision means something; many of those are the ordinary sentences that trip up simple
redactors ("Will the GP ring back?", "Went in May").

Gold spans: a name span is the name only (``Dr [Smith]``, ``[Mr O'Neill's]`` gives
``O'Neill``), a forename and surname side by side are one span; an address span runs from
``Flat 3,`` (if any) to the town (if any) and never includes the postcode, which is its own
span. How we score against them (the 50% rule) is in ``redact.py``'s docstring and ``score``.

Known limits of the set: street addresses always end in a real UK street word and are
capitalised, so the address figure says nothing about addresses without one ("12 Oakfield").
Most names come with the kinds of context NHS feedback has (a title, a role, "thanks to"),
some with none; the benchmark splits name recall into names in our gazetteer and names not
in it.

The same ``n`` and ``seed`` always give the same examples.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker import Faker

from .redact import Span


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[Span, ...]


# ------------------------------------------------------------------------------- templates
# {slot} marks a piece of data. Slots: first, last, full (first and last), first_lower,
# nhs, phone, mobile, landline, email, postcode, address, town (not personal data).

_WITH_DATA = [
    "Dr {last} at the {town} surgery was brilliant.",
    "Dr. {last} explained everything clearly and did not rush me.",
    "I saw Dr {full} and she was very kind.",
    "Nurse {first} looked after my dad so well on the ward.",
    "nurse {first} was lovely and made me feel at ease",
    "{first} on reception was really helpful.",
    "{first} the receptionist sorted my appointment out in minutes.",
    "Big thanks to {first} and {first} on the day unit.",
    "Thank you to {first} for staying late to finish my dressing.",
    "My name is {full} and I want to make a complaint.",
    "my husband {full} was treated in A&E last week.",
    "My mum {first} was in for three days and they were wonderful.",
    "Mrs {last} in the pharmacy was so patient with me.",
    "Mr {last}'s team did my knee operation and it went well.",
    "Sister {last} runs a tight ship on ward 9.",
    "{full} was the best paramedic we could have asked for.",
    "I was seen by {full} who was great.",
    "paramedic {first} kept me calm all the way to hospital",
    "Please pass my thanks to {full}.",
    "Prof {last} was excellent and answered all my questions.",
    "{first_lower} on reception was rude to my wife",
    "Ask for {first}, she is brilliant with nervous patients.",
    "The physio, {first}, was brilliant.",
    "Dr {last} and Nurse {last} were great with my son.",
    "Thanks to {full} for the home visit.",
    "My daughter {first} had her jabs today and {first} the nurse was so gentle.",
    "Dr {last}'s advice really helped.",
    "{first} {last} from the district nurses comes every Tuesday.",
    "I would like to thank {first} and the whole team.",
    "Ring me on {phone} if you need more details.",
    "My number is {phone}.",
    "Please call me back on {landline}, nobody has rung.",
    "text me on {mobile} when the results are in",
    "You can reach me on {mobile} or {landline}.",
    "My NHS number is {nhs}.",
    "NHS no {nhs} - my records are wrong.",
    "The letter had the wrong NHS number ({nhs}).",
    "my nhs number is {nhs} can someone ring me",
    "Email me at {email} please.",
    "Contact {email} for my care plan.",
    "I sent three emails to {email} and got no reply.",
    "I live in {postcode} and the bus does not go to the hospital.",
    "Postcode {postcode}.",
    "I live at {address}, {postcode}.",
    "My address is {address}.",
    "They sent the letter to {address} instead of my house.",
    "The ambulance went to the house at {address} by mistake.",
    "Please send it to {address}\n{postcode}",
    "I am at {address}. Ring {phone}.",
    "Mr {last}, {address}, {postcode}, {phone}.",
    "My name is {full}, I live at {address}, {postcode} and my NHS number is {nhs}.",
    "Dr {last} told me to email {email} but nobody answered.",
    "Thank you {first}, you are a star.",
    "called {first} at the surgery and she sorted it",
    "my wife {first} {last} has been waiting 6 months.",
    "Many thanks to {first}, {first} and {first} at the {town} clinic.",
]

_NO_DATA = [
    "The A&E staff were kind.",
    "Will the GP ring back?",
    "Went in May and still waiting.",
    "Grace period for parking is too short.",
    "Hope to hear back soon.",
    "I waited 4 hours in A&E.",
    "Ward 12 was clean and tidy.",
    "Took 2 paracetamol and it helped.",
    "The 111 service was quick.",
    "Appointment at 10:30 on 12 March was on time.",
    "Parking cost £5.50 for 2 hours.",
    "Nurses on Ward 5 were brilliant.",
    "St James's Hospital in Leeds was very busy.",
    "The Queen Elizabeth Hospital was clean.",
    "The doctor at the walk-in centre was kind.",
    "Royal Victoria Infirmary staff were lovely.",
    "Mark the date in your diary, they said.",
    "Bill for parking was too much.",
    "My mum was in for 3 days.",
    "Thank you NHS.",
    "Thanks to all the staff.",
    "Joy and relief when I got home.",
    "Victoria station is close to the clinic.",
    "Nothing to improve.",
    "Very good service, seen on time.",
    "Friendly staff and clean waiting room.",
    "The receptionist was rude and unhelpful.",
    "Could not get through on the phone for 2 days.",
    "Long wait but worth it.",
    "Everything was explained well.",
    "More parking please.",
    "The nurse was very nice and friendly.",
    "The paramedics arrived in 20 minutes.",
    "I was seen by a doctor within the hour.",
    "Will recommend to friends and family.",
    "May I say thank you to everyone on the ward.",
    "Summer heat in the waiting room was awful.",
    "Faith in the NHS restored.",
    "The GP surgery on the High Street is always busy.",
    "Rang 999 and the call handler was calm.",
    "Had my Covid booster on Monday.",
    "Waited 3 weeks for a call back from the Mental Health Team.",
    "Dr was great.",
    "Staff on reception were helpful.",
    "I had to wait 45 minutes past my slot.",
    "5 minutes walk from the bus station.",
    "The food on Ward 3 was cold.",
    "Outpatients at St Thomas was quick.",
    "Thank you to the maternity team at the Jessop Wing.",
    "Brilliant care from start to finish.",
]

_STREET_STEMS = (
    "High|Station|Church|Mill|Victoria|King's|Queen's|Park|London|Manor|School|Green|Albert|"
    "New|Main|Chapel|North|South|West|Springfield|Westfield|Oak|Elm|Ash|Beech|Willow|Meadow|"
    "Orchard|Grange|St John's|St Mary's|Cedar|Windsor|York|George|Alexandra|Hillside|Bridge|"
    "Market|Castle|Mill Hill|Upper Brook|Lower Church|Cherry Tree|Holly Bank|Rose|Sandy|"
    "Broad|Long|Back|Jubilee|Coronation|Kingsway|Prince's|Highfield|Fairfield|Stanley|Tudor"
).split("|")
_STREET_WORDS = (
    "Road|Road|Road|Street|Street|Street|Lane|Lane|Avenue|Close|Close|Drive|Way|Crescent|"
    "Court|Place|Grove|Gardens|Terrace|Walk|Mews|Hill|Row|Square|Green|Park|Rise|View|Parade"
).split("|")
_BUILDINGS = "Court|House|Lodge|Mansions|Heights|Point|Buildings".split("|")


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.choice((4, 4, 4, 6, 7))] + [rng.randrange(10) for _ in range(8)]
        total = sum(d * (10 - i) for i, d in enumerate(digits))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            break
    form = rng.random()
    if form < 0.5:
        return f"{s[:3]} {s[3:6]} {s[6:]}"
    if form < 0.7:
        return f"{s[:3]}-{s[3:6]}-{s[6:]}"
    return s


def _digits(rng: random.Random, k: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(k))


def _mobile(rng: random.Random, fake: Faker) -> str:
    if rng.random() < 0.5:
        return fake.cellphone_number()
    tail = _digits(rng, 3)
    return rng.choice(
        [
            f"07700 900{tail}",
            f"07700 900 {tail}",
            f"07700-900-{tail}",
            f"+44 7700 900{tail}",
            f"+44 (0) 7700 900 {tail}",
            f"0044 7700 900 {tail}",
            f"0044-7700-900{tail}",
            f"07700900{tail}",
        ]
    )


def _landline(rng: random.Random, fake: Faker) -> str:
    if rng.random() < 0.5:
        return fake.phone_number()
    tail = _digits(rng, 3)
    return rng.choice(
        [
            f"(020) 7946 0{tail}",
            f"020 7946 0{tail}",
            f"0113 496 0{tail}",
            f"0113-496-0{tail}",
            f"01632 960 {tail}",
            f"01632 960{tail}",
            f"(01632) 960{tail}",
            f"+44 1632 960 {tail}",
            f"+44 (0)161 496 0{tail}",
            f"0161 496 0{tail}",
            f"0300 999 0{tail}",
            f"028 9649 6{tail}",
            f"029 2018 0{tail}",
        ]
    )


def _postcode(rng: random.Random, fake: Faker) -> str:
    pc = fake.postcode()
    form = rng.random()
    if form < 0.15:
        pc = pc.replace(" ", "")
    elif form < 0.27:
        pc = pc.lower()
    elif form < 0.32:
        pc = pc.lower().replace(" ", "")
    return pc


def _email(rng: random.Random, fake: Faker, first: str, last: str) -> str:
    form = rng.random()
    if form < 0.5:
        return fake.email()
    clean = re.sub(r"[^a-z]", "", (first + "." + last).lower().replace(".", "dot")).replace(
        "dot", "."
    )
    if form < 0.7:
        return f"{clean}@nhs.net"
    if form < 0.85:
        return f"{clean}{rng.randrange(1, 99)}@{fake.free_email_domain()}"
    return fake.free_email().upper() if form > 0.95 else fake.free_email()


def _address(rng: random.Random, fake: Faker) -> str:
    stem_kind = rng.random()
    if stem_kind < 0.35:
        stem = fake.last_name()
    elif stem_kind < 0.45:
        stem = fake.first_name()
    else:
        stem = rng.choice(_STREET_STEMS)
    street = f"{stem} {rng.choice(_STREET_WORDS)}"
    n = rng.random()
    if n < 0.7:
        number = str(rng.randrange(1, 200))
    elif n < 0.85:
        number = f"{rng.randrange(1, 120)}{rng.choice('abAB')}"
    else:
        a = rng.randrange(1, 60)
        number = f"{a}-{a + rng.choice((1, 2, 4))}"
    sep = ", " if rng.random() < 0.85 else "\n"
    prefix = ""
    p = rng.random()
    if p < 0.12:
        prefix = f"Flat {rng.randrange(1, 40)}{rng.choice(['', '', 'A', 'b'])}{sep}"
    elif p < 0.2:
        building = f"{rng.choice(_STREET_STEMS)} {rng.choice(_BUILDINGS)}"
        prefix = f"{rng.choice(['Apartment', 'Flat'])} {rng.randrange(1, 90)}, {building}, "
    elif p < 0.23:
        prefix = f"Studio {rng.randrange(1, 30)}, "
    if prefix and rng.random() < 0.25:
        address = prefix + street  # Flat 7, Jones Road
    else:
        address = f"{prefix}{number} {street}"
    if rng.random() < 0.5:
        address += sep + fake.city()
    return address


class _Filler:
    """Fills one template, keeping the gold spans."""

    def __init__(self, rng: random.Random, fakes: list[tuple[float, Faker]], gb: Faker):
        self.rng = rng
        self.fakes = fakes
        self.gb = gb

    def _person(self) -> Faker:
        r = self.rng.random()
        for share, fake in self.fakes:
            if r < share:
                return fake
            r -= share
        return self.gb

    def first(self) -> str:
        return self._person().first_name()

    def last(self) -> str:
        fake = self._person()
        name = fake.last_name()
        if self.rng.random() < 0.04:
            name = f"{name}-{fake.last_name()}"
        return name

    def fill(self, template: str) -> Example:
        rng, gb = self.rng, self.gb
        text: list[str] = []
        spans: list[Span] = []
        pos = 0
        last_first, last_last = self.first(), self.last()
        for piece in re.split(r"(\{[a-z_]+\})", template):
            if not piece.startswith("{"):
                text.append(piece)
                pos += len(piece)
                continue
            slot = piece[1:-1]
            kind = None
            if slot == "first":
                value, kind = self.first(), "name"
            elif slot == "first_lower":
                value, kind = self.first().lower(), "name"
            elif slot == "last":
                value, kind = self.last(), "name"
            elif slot == "full":
                last_first, last_last = self.first(), self.last()
                value, kind = f"{last_first} {last_last}", "name"
            elif slot == "nhs":
                value, kind = _nhs_number(rng), "nhs_number"
            elif slot == "phone":
                value = _mobile(rng, gb) if rng.random() < 0.5 else _landline(rng, gb)
                kind = "phone"
            elif slot == "mobile":
                value, kind = _mobile(rng, gb), "phone"
            elif slot == "landline":
                value, kind = _landline(rng, gb), "phone"
            elif slot == "email":
                value, kind = _email(rng, gb, last_first, last_last), "email"
            elif slot == "postcode":
                value, kind = _postcode(rng, gb), "postcode"
            elif slot == "address":
                value, kind = _address(rng, gb), "address"
            elif slot == "town":
                value = gb.city()
            else:  # pragma: no cover - a typo in a template
                raise ValueError(slot)
            if kind:
                spans.append(Span(pos, pos + len(value), kind))
            text.append(value)
            pos += len(value)
        joined = "".join(text)
        # "{first} {last}" in a template is one name, as in the redactor.
        merged: list[Span] = []
        for s in spans:
            if (
                merged
                and s.kind == "name"
                and merged[-1].kind == "name"
                and joined[merged[-1].end : s.start] == " "
            ):
                merged[-1] = Span(merged[-1].start, s.end, "name")
            else:
                merged.append(s)
        return Example(joined, tuple(merged))


def generate(n: int, seed: int) -> list[Example]:
    """``n`` synthetic comments with gold spans; the same arguments give the same list."""
    rng = random.Random(seed)
    gb = Faker("en_GB")
    gb.seed_instance(seed)
    others = []
    for i, (locale, share) in enumerate((("en_IN", 0.1), ("en_IE", 0.06), ("pl_PL", 0.06))):
        fake = Faker(locale)
        fake.seed_instance(seed * 31 + i + 1)
        others.append((share, fake))
    filler = _Filler(rng, others, gb)
    out: list[Example] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.2:
            parts = rng.sample(_NO_DATA, rng.choice((1, 1, 2)))
        elif r < 0.8:
            parts = [rng.choice(_WITH_DATA)]
        else:
            parts = [rng.choice(_WITH_DATA), rng.choice(_NO_DATA + _WITH_DATA)]
            rng.shuffle(parts)
        examples = [filler.fill(p) for p in parts]
        text = ""
        spans: list[Span] = []
        for ex in examples:
            if text:
                text += " "
            shift = len(text)
            spans.extend(Span(s.start + shift, s.end + shift, s.kind) for s in ex.spans)
            text += ex.text
        out.append(Example(text, tuple(spans)))
    return out
