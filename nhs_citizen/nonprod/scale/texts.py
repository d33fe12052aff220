"""Plausible words for scale data: titles, texts, comments, commitments and statements per NHS
topic, put together from templates. Pure: no Django here.

Every text is made up. Slots: {place} a town or city, {group} a group of people, {n} a number.
"""

from __future__ import annotations

import random

PLACES = (
    "Barnsley", "Bath", "Bedford", "Birmingham", "Blackburn", "Blackpool", "Bolton",
    "Bournemouth", "Bradford", "Brighton", "Bristol", "Burnley", "Cambridge", "Canterbury",
    "Carlisle", "Chelmsford", "Cheltenham", "Chester", "Colchester", "Coventry", "Crawley",
    "Darlington", "Derby", "Doncaster", "Dudley", "Durham", "Exeter", "Gateshead", "Gloucester",
    "Grimsby", "Guildford", "Halifax", "Harlow", "Harrogate", "Hastings", "Hereford",
    "Huddersfield", "Hull", "Ipswich", "Kendal", "Kettering", "King's Lynn", "Lancaster",
    "Leicester", "Lincoln", "Liverpool", "Luton", "Maidstone", "Manchester", "Middlesbrough",
    "Milton Keynes", "Newcastle", "Northampton", "Norwich", "Nottingham", "Oldham", "Oxford",
    "Penzance", "Peterborough", "Plymouth", "Portsmouth", "Preston", "Reading", "Redditch",
    "Rochdale", "Rotherham", "Salford", "Salisbury", "Scarborough", "Scunthorpe", "Sheffield",
    "Shrewsbury", "Slough", "Southampton", "Southend", "Stafford", "Stockport", "Stoke",
    "Sunderland", "Swindon", "Taunton", "Telford", "Torquay", "Truro", "Wakefield", "Walsall",
    "Warrington", "Watford", "Weston-super-Mare", "Wigan", "Winchester", "Wolverhampton",
    "Worcester", "Worthing", "Yeovil", "York",
)  # fmt: skip

GROUPS = (
    "older people", "carers", "children", "young people", "new parents", "disabled people",
    "people who work shifts", "people without a car", "people with dementia",
    "people who do not speak English", "students", "veterans", "people on low incomes",
    "deaf people", "blind and partially sighted people", "people with long-term conditions",
    "families", "people living alone", "people in rural areas", "homeless people",
)  # fmt: skip

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Dev", "Ella", "Femi", "Gita", "Harry", "Imran", "Jess", "Kofi",
    "Laura", "Maya", "Nathan", "Olu", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik",
    "Wendy", "Yasmin", "Zac", "Amir", "Bethan", "Ciaran", "Dina", "Ewan", "Fatima", "Grace",
    "Hamza", "Isla", "Jack", "Kiran", "Leah", "Mo", "Niamh", "Oscar", "Parveen", "Ruth",
    "Sofia", "Tom", "Vera", "Will", "Zara", "Joan", "Errol", "Mei",
)  # fmt: skip
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTW"

# Per Gather topic (slug in core/reference/topics.csv): titles, what should change, why.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "access-and-disability": {
        "title": (
            "Step-free access at every clinic in {place}",
            "Easy read letters for {group}",
            "British Sign Language interpreters at {place} appointments",
            "Quiet waiting areas for {group}",
        ),
        "what": (
            "Every NHS building in {place} should have step-free access and a working lift.",
            "Letters and leaflets should come in easy read, large print and audio for {group}.",
            "Book an interpreter whenever someone asks, without them having to chase it.",
        ),
        "why": (
            "I use a wheelchair and missed {n} appointments because the lift was broken.",
            "{group} are left out when information only comes in small print.",
            "Asking a relative to interpret is not private and it is not safe.",
        ),
    },
    "cancer": {
        "title": (
            "Faster cancer diagnosis in {place}",
            "A named cancer nurse for everyone",
            "Bring breast screening closer to {group}",
            "Cut the wait for cancer scan results",
        ),
        "what": (
            "People with suspected cancer in {place} should be told within 28 days.",
            "Everyone with cancer should have a named nurse they can ring.",
            "Run mobile screening units where {group} live and work.",
        ),
        "why": (
            "My father waited {n} weeks for his scan results, not knowing.",
            "The screening unit is two buses away and {group} cannot get there.",
            "Nobody rang us back for days when treatment went wrong.",
        ),
    },
    "children-and-young-people": {
        "title": (
            "Shorter waits for children's speech therapy in {place}",
            "A children's A&E area in {place}",
            "Help young people move from children's to adult services",
            "School nurses in every secondary school",
        ),
        "what": (
            "No child should wait more than 18 weeks for speech and language therapy.",
            "Children should be seen away from adults in A&E.",
            "Young people should get a plan and a named worker when they turn 18.",
        ),
        "why": (
            "My son has waited {n} months and is falling behind at school.",
            "Children sat next to drunk adults in the waiting room all night.",
            "At 18 my daughter's care stopped overnight.",
        ),
    },
    "dentistry": {
        "title": (
            "NHS dentists for children in {place}",
            "Urgent dental care that is easy to find",
            "An NHS dentist within 10 miles for {group}",
            "Fix the NHS dental waiting lists in {place}",
        ),
        "what": (
            "Every child in {place} should be able to see an NHS dentist.",
            "NHS 111 should be able to book an urgent dental appointment the same day.",
            "Pay dentists fairly for NHS work so practices keep their NHS lists.",
        ),
        "why": (
            "We rang {n} practices and none were taking NHS patients.",
            "I had to pull my own tooth because there was no dentist.",
            "{group} cannot afford private fees.",
        ),
    },
    "digital-and-nhs-app": {
        "title": (
            "See hospital letters in the NHS App",
            "Book every appointment online in {place}",
            "Keep a phone option for {group}",
            "One login for NHS services",
        ),
        "what": (
            "Hospital letters and results should appear in the NHS App.",
            "People should be able to book, move and cancel appointments online.",
            "Anyone who cannot use the app should still get a phone line that answers.",
        ),
        "why": (
            "Letters arrive after the appointment date, {n} times this year.",
            "{group} are shut out when everything moves online.",
            "I have four different logins and none of them talk to each other.",
        ),
    },
    "end-of-life-care": {
        "title": (
            "Hospice care at home in {place}",
            "Night-time nursing for people who are dying",
            "Support for families after a death in hospital",
            "Fund hospices fairly across England",
        ),
        "what": (
            "People should be able to die at home with nursing support day and night.",
            "Every hospital should offer bereavement support to families.",
            "The NHS should pay a fair share of what hospices do.",
        ),
        "why": (
            "My mum wanted to die at home but there were no nurses at night.",
            "We were given a bag of belongings and sent home.",
            "Our local hospice has cut {n} beds.",
        ),
    },
    "gp-and-primary-care": {
        "title": (
            "Book GP appointments ahead in {place}",
            "End the 8am phone rush",
            "Same-day GP appointments for {group}",
            "See the same GP each time",
        ),
        "what": (
            "Let people book routine GP appointments up to two weeks ahead.",
            "Surgeries should offer a call-back instead of a phone queue.",
            "People with long-term conditions should see the same GP each time.",
        ),
        "why": (
            "I was {n}th in the queue at 8am and every appointment went.",
            "{group} cannot ring at 8am and wait for an hour.",
            "I explain my history to a new doctor every time.",
        ),
    },
    "health-inequalities": {
        "title": (
            "Health checks where {group} are",
            "Close the gap in life expectancy in {place}",
            "Translate health information for {group}",
            "Free travel to appointments for people on low incomes",
        ),
        "what": (
            "Run health checks in community centres, mosques, churches and workplaces.",
            "Spend more where people die younger.",
            "Pay travel costs up front for people on low incomes.",
        ),
        "why": (
            "People in parts of {place} die {n} years earlier than a few miles away.",
            "{group} do not come to clinics they do not trust.",
            "I missed my scan because I could not pay the bus fare.",
        ),
    },
    "hospital-care": {
        "title": (
            "Free hospital parking for carers in {place}",
            "Stop cancelling operations at the last minute",
            "Better hospital food for {group}",
            "Let relatives stay with confused patients",
        ),
        "what": (
            "Carers should not pay to park when they bring someone to hospital.",
            "Hospitals should keep beds for planned operations.",
            "Relatives should be able to stay with someone who is confused or frightened.",
        ),
        "why": (
            "I pay £{n} a week to park while I care for my husband.",
            "My operation was cancelled three times on the day.",
            "My dad with dementia was alone and frightened all night.",
        ),
    },
    "learning-disability-and-autism": {
        "title": (
            "Shorter waits for adult autism assessments in {place}",
            "Reasonable adjustments on every ward",
            "Annual health checks for people with a learning disability",
            "Autism-friendly A&E",
        ),
        "what": (
            "Adults should not wait years for an autism assessment.",
            "Every ward should plan adjustments with the person and their family.",
            "Everyone with a learning disability should get their yearly health check.",
        ),
        "why": (
            "I was told the wait is {n} months.",
            "My brother was restrained because nobody read his hospital passport.",
            "{group} are missing out on checks that could save their lives.",
        ),
    },
    "long-term-conditions": {
        "title": (
            "Diabetes checks closer to home in {place}",
            "Free prescriptions for long-term conditions",
            "Lung rehab classes for {group}",
            "Joined-up care for people with several conditions",
        ),
        "what": (
            "Offer diabetes eye and foot checks in local clinics.",
            "People with lifelong conditions should not pay for prescriptions.",
            "One appointment should cover all of someone's conditions.",
        ),
        "why": (
            "I go to {n} different clinics for three conditions.",
            "The nearest rehab class is an hour away.",
            "My medicines cost more than my food some months.",
        ),
    },
    "maternity": {
        "title": (
            "Let partners stay overnight on maternity wards in {place}",
            "The same midwife all through pregnancy",
            "Listen to women in labour",
            "Mental health support after birth for {group}",
        ),
        "what": (
            "Partners should be able to stay overnight after a birth.",
            "Every woman should see the same small team of midwives.",
            "Take pain and worry seriously the first time someone says it.",
        ),
        "why": (
            "New mothers need support through the first night.",
            "I saw {n} different midwives and told my story every time.",
            "Nobody listened when I said something was wrong.",
        ),
    },
    "mental-health": {
        "title": (
            "Mental health support for students in {place}",
            "A crisis line that answers",
            "Shorter waits for talking therapies",
            "Mental health help for {group} while they wait",
        ),
        "what": (
            "Keep people's place on waiting lists when they move area.",
            "Crisis lines should answer within minutes, day and night.",
            "Offer support while people wait for therapy.",
        ),
        "why": (
            "I waited {n} weeks and got worse every week.",
            "The crisis line was engaged for hours when my friend needed help.",
            "{group} are left on their own for months.",
        ),
    },
    "patient-safety": {
        "title": (
            "Safe hospital food for people with allergies",
            "Tell families the truth when things go wrong in {place}",
            "Check medicines when people leave hospital",
            "Enough nurses on night shifts",
        ),
        "what": (
            "Every hospital meal should list its allergens clearly.",
            "Families should be told quickly and honestly when care goes wrong.",
            "A pharmacist should check medicines before anyone goes home.",
        ),
        "why": (
            "My son was given food he is allergic to on the ward.",
            "It took {n} months to get an answer about what happened.",
            "My mum was sent home with the wrong tablets.",
        ),
    },
    "pharmacy-and-medicines": {
        "title": (
            "Keep community pharmacies open in {place}",
            "End medicine shortages",
            "Late-night pharmacies for {group}",
            "Let pharmacists treat more common illnesses",
        ),
        "what": (
            "Stop pharmacy closures leaving whole areas without one.",
            "Warn patients early about shortages and offer a safe swap.",
            "Let pharmacists prescribe for more minor illnesses.",
        ),
        "why": (
            "{n} pharmacies near me closed this year.",
            "I went to five pharmacies to find my child's medicine.",
            "{group} cannot get to a pharmacy in working hours.",
        ),
    },
    "prevention-and-public-health": {
        "title": (
            "Flu jabs at work for {group}",
            "Stop smoking help in {place}",
            "Walk-in vaccination clinics at weekends",
            "Free weight management courses",
        ),
        "what": (
            "Offer vaccinations where people already are: work, school and shops.",
            "Fund stop smoking services properly.",
            "Run vaccination clinics on Saturdays.",
        ),
        "why": (
            "I cannot take time off work for a jab.",
            "The stop smoking service in {place} closed {n} months ago.",
            "{group} miss out because clinics are only open in the day.",
        ),
    },
    "social-care": {
        "title": (
            "Stop delays leaving hospital for lack of care in {place}",
            "Pay care workers fairly",
            "Respite breaks for unpaid carers",
            "Care at home that turns up on time for {group}",
        ),
        "what": (
            "Nobody should stay in hospital because home care is not ready.",
            "Care workers should be paid at least the real living wage.",
            "Every unpaid carer should get regular breaks.",
        ),
        "why": (
            "My dad stayed in hospital {n} extra weeks waiting for carers.",
            "Carers visit for 15 minutes and have to rush.",
            "I have not had a day off caring in two years.",
        ),
    },
    "staff-and-workforce": {
        "title": (
            "Free parking for NHS staff on night shifts",
            "Stop agency shifts replacing ward teams in {place}",
            "Protected breaks for nurses",
            "Help overseas staff settle in {place}",
        ),
        "what": (
            "Staff on night shifts should park free and safely.",
            "Give permanent staff first choice of extra shifts.",
            "Every nurse should get their break, away from the ward.",
        ),
        "why": (
            "I pay £{n} a month to park at my own workplace.",
            "Patients see a different nurse every night.",
            "I worked 12 hours without a proper break.",
        ),
    },
    "transport-and-travel": {
        "title": (
            "A bus to the hospital from {place} bus station",
            "Hospital transport for {group}",
            "Pay travel costs for cancer treatment",
            "Appointment times that match the buses",
        ),
        "what": (
            "Put on a direct bus to the hospital at visiting times.",
            "Offer patient transport to everyone who cannot travel alone.",
            "Book appointments around the bus and train times.",
        ),
        "why": (
            "Without a car it takes two buses and over an hour.",
            "{group} miss appointments because they cannot get there.",
            "I spent £{n} on taxis for radiotherapy.",
        ),
    },
    "urgent-and-emergency-care": {
        "title": (
            "Ambulances take too long in {place}",
            "End corridor care in A&E",
            "Tell people how long the wait in A&E will be",
            "An urgent treatment centre open all night in {place}",
        ),
        "what": (
            "Cut ambulance waits to the national standard.",
            "Nobody should be treated in a corridor.",
            "Show live waiting times in A&E and online.",
        ),
        "why": (
            "My gran waited {n} hours on the floor for an ambulance.",
            "We spent the whole night on a trolley in a corridor.",
            "Nobody told us how long we would wait.",
        ),
    },
    "waiting-times": {
        "title": (
            "Shorter waits for hip and knee operations in {place}",
            "Tell people where they are on the waiting list",
            "Support for {group} while they wait",
            "Use spare capacity in other hospitals",
        ),
        "what": (
            "Nobody should wait more than 18 weeks for planned treatment.",
            "Everyone should be able to see their place on the waiting list.",
            "Offer treatment in another hospital if the wait is shorter.",
        ),
        "why": (
            "I have waited {n} weeks in pain and cannot work.",
            "Nobody can tell me how much longer it will be.",
            "{group} cannot keep waiting with no support.",
        ),
    },
}

COMMENTS = {
    "for": (
        "This happened to my family in {place} too. It has to change.",
        "Yes. {group} are hit hardest by this.",
        "I work in the NHS and I agree: we see this every week.",
        "Supported. It took us {n} weeks to sort out last year.",
        "Exactly what we hear at our Healthwatch events.",
    ),
    "against": (
        "I agree with the aim, but the money has to come from somewhere.",
        "Our surgery in {place} already does this and it works well.",
        "This could make things harder for {group}.",
        "It should be decided locally, not for the whole country.",
    ),
    "comment": (
        "Does anyone know who decides this in {place}?",
        "There is a consultation about this at the moment, it is worth answering.",
        "Thanks for raising it. I have shared it with our carers' group.",
        "We had the same problem and the Patient Advice and Liaison Service helped.",
        "Could the flag say which hospitals this covers?",
        "The local council might also need to act on this.",
    ),
}

REVIEW_REASONS = {
    "shortlist": (
        "This affects people across England, and NHS England can make this change nationally.",
        "Many people in every region raised this, and it is within NHS England's remit.",
    ),
    "refer": (
        "This is a local matter for the body that plans and pays for these services.",
        "The body responsible can act on this, so it must answer in public.",
    ),
    "close": (
        "NHS England is already changing the national standard to cover this; we link this flag to that work.",
        "This is a matter for Parliament, not the NHS, so no NHS body can answer it.",
        "This repeats a flag answered earlier this year; the answer still stands.",
    ),
}

RESPONSES = {
    "will_act": (
        "We will make this change from next quarter and report on progress every three months.",
        "We agree. We have set aside funding and will start a trial in {place} this year.",
    ),
    "in_part": (
        "We can do part of this now. We cannot do it all, because the budget is set nationally.",
        "We will start with the areas of greatest need, including {place}, and review in a year.",
    ),
    "will_not_act": (
        "We looked at this carefully. We cannot do it, because it would take staff from urgent care.",
        "We will not make this change now. The evidence does not show it would help patients.",
    ),
    "not_ours": ("This is not ours to answer. The body that plans these services must answer it.",),
}

COMMITMENTS = (
    "Publish monthly figures for {topic} in {place}",
    "Run a six-month trial in {place} and report what happened",
    "Write to every provider in {place} setting out the new standard",
    "Train front-line staff on what {group} told us",
    "Set up a group of patients and carers to check progress on {topic}",
    "Review the contract for {topic} services",
    "Add this to next year's plan and fund it",
    "Report back to the Assembly at its next stock-take",
)
OWNERS = (
    "Director of Primary Care", "Chief Nurse", "Medical Director", "Director of Strategy",
    "Head of Patient Experience", "Director of Operations", "Chief Executive",
    "Director of Commissioning", "Head of Engagement",
)  # fmt: skip
UPDATE_NOTES = {
    "in_progress": (
        "We have started the work and met the teams involved in {place}.",
        "The plan is agreed and the first changes are in place.",
        "We are halfway through and on track for the due date.",
        "We asked {group} what they think of the first changes.",
    ),
    "done": (
        "This is done. The figures are on our website and updated every month.",
        "The change is in place across the area. Thank you to everyone who raised it.",
    ),
    "not_done": ("We could not do this in time because the funding was not agreed.",),
    "not_started": ("We have moved the start date because of winter pressures.",),
}

STORIES = (
    (
        "The ward now asks families what they need",
        "After people raised it, our ward started asking every family what help they need on day one. Complaints have fallen.",
    ),
    (
        "We changed our letters after listening to carers",
        "Carers told us our letters were confusing. We rewrote them with a carers' group in {place}.",
    ),
    (
        "A bus that now stops at the hospital",
        "We worked with the council so the bus from {place} stops at the main entrance at visiting times.",
    ),
    (
        "Our surgery answers the phone faster now",
        "We added a call-back service. People in {place} no longer wait in a queue at 8am.",
    ),
)

# Discover statements: things people say, per Gather topic.
STATEMENTS: dict[str, tuple[str, ...]] = {
    "gp-and-primary-care": (
        "I rang the surgery at 8am and was {n}th in the queue",
        "It took three weeks to see a doctor at my practice in {place}",
        "Our GP surgery has stopped face to face appointments",
        "The online booking system never has any slots",
    ),
    "urgent-and-emergency-care": (
        "We waited {n} hours in A&E with my mum on a trolley",
        "The ambulance took over two hours to come in {place}",
        "A&E was so busy patients were treated in the corridor",
    ),
    "dentistry": (
        "There is no NHS dentist taking new patients near {place}",
        "My child's teeth are rotting because we cannot get a dentist",
        "The dental practice said its NHS list is closed",
    ),
    "mental-health": (
        "My son waited {n} months for a CAMHS assessment",
        "The crisis line was engaged for hours",
        "Waiting lists for talking therapies are far too long in {place}",
    ),
    "hospital-care": (
        "The nurses on the ward were so kind to my dad",
        "I got a parking fine while my scan overran at {place} hospital",
        "Nobody told us when my mum would be discharged",
    ),
    "waiting-times": (
        "I have waited {n} weeks for my hip operation",
        "My operation was cancelled on the day because there were no beds",
        "Nobody can tell me where I am on the waiting list",
    ),
    "maternity": (
        "The midwives at {place} were wonderful and made me feel safe",
        "Nobody listened when I said something was wrong in labour",
    ),
    "pharmacy-and-medicines": (
        "I went to {n} pharmacies to find my child's antibiotics",
        "Our local pharmacy in {place} has closed",
    ),
    "social-care": (
        "My dad stayed in hospital weeks longer waiting for carers",
        "The carers only get fifteen minutes and have to rush",
    ),
    "digital-and-nhs-app": (
        "The NHS App made it easy to order my repeat prescription",
        "Hospital letters arrive after the appointment date",
    ),
    "transport-and-travel": (
        "It takes two buses to get to the hospital from {place}",
        "Patient transport did not turn up and I missed my appointment",
    ),
}

SENTIMENT_WORDS = ("negative", "negative", "negative", "neutral", "positive")


def fill(template: str, rng: random.Random, **extra: str) -> str:
    values = {
        "place": rng.choice(PLACES),
        "group": rng.choice(GROUPS),
        "n": str(rng.randint(3, 40)),
        "topic": "this service",
    }
    values.update(extra)
    text = template.format(**values)
    return text[0].upper() + text[1:]


def display_name(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_INITIALS[(n // 7) % len(LAST_INITIALS)]}."


def flag_text(topic_slug: str, rng: random.Random) -> tuple[str, str, str]:
    spec = TOPICS.get(topic_slug) or TOPICS["gp-and-primary-care"]
    place = rng.choice(PLACES)
    title = fill(rng.choice(spec["title"]), rng, place=place)[:120]
    what = fill(rng.choice(spec["what"]), rng, place=place)
    why = fill(rng.choice(spec["why"]), rng, place=place)
    return title, what, why


def statement(topic_slug: str, rng: random.Random) -> str:
    choices = STATEMENTS.get(topic_slug)
    if not choices:
        spec = TOPICS.get(topic_slug) or TOPICS["gp-and-primary-care"]
        choices = spec["why"]
    return fill(rng.choice(choices), rng)
