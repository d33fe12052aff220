"""Demo data for Gather: flags at every status, with supporters, discussion, evidence, reviews,
referrals (some answered, some overdue, one passed on), a merge, a hidden item and calls for
views. Events are replayed in date order with time travel, so that dates, the timeline and the
audit log read as a real history. Running it again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from nhs_citizen.accounts.models import Role, RoleAssignment
from nhs_citizen.core.models import Icb, Membership, Organisation, Region, Topic
from nhs_citizen.core.services.organisations import check_request_membership, do_verify_membership
from nhs_citizen.gather.models import Flag, Referral, Scope
from nhs_citizen.gather.services import calls, flags, responses, review
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.nonprod.personas import DEMO_DOMAIN

MARKER_TITLE = "Let people book GP appointments online up to two weeks ahead"
SUPPORTER_COUNT = 140

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Gita",
    "Harry",
    "Imran",
    "Jess",
    "Kofi",
    "Laura",
    "Maya",
    "Nathan",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vik",
    "Wendy",
    "Xander",
    "Yasmin",
    "Zac",
]
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTW"


def _user(key: str):
    return get_user_model().objects.get(email=f"{key}@{DEMO_DOMAIN}")


def _supporters() -> list:
    """Synthetic supporters who cannot sign in (no password), so counts look like real life."""
    User = get_user_model()
    people = []
    for n in range(SUPPORTER_COUNT):
        email = f"supporter{n:03d}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_INITIALS[n % len(LAST_INITIALS)]}."
            region = Region.objects.order_by("code")[n % 7]
            # Inactive: they cannot sign in and are not sent messages, but their support counts.
            user = User(email=email, display_name=name, region=region, is_active=False)
            user.set_unusable_password()
            user.save()
        people.append(user)
    return people


def _responder(organisation: Organisation, key: str, name: str, admin) -> object:
    User = get_user_model()
    email = f"{key}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, display_name=name)
        user.set_unusable_password()
        user.save()
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        membership = check_request_membership(
            user=user, organisation=organisation, role="responder", job_title="Engagement lead"
        )
        do_verify_membership(membership=membership, verified_by=admin, reason="Demo responder")
    user.__dict__.pop("responder_organisation_ids", None)
    return user


def _at(days_ago: float) -> datetime:
    day = timezone.localdate() - timedelta(days=int(days_ago))
    minutes = int((days_ago % 1) * 24 * 60) or 10 * 60
    return timezone.make_aware(datetime.combine(day, time(0, 0))) + timedelta(minutes=minutes)


def seed_gather() -> int:
    if Flag.objects.filter(title=MARKER_TITLE).exists():
        return 0
    admin = RoleAssignment.objects.filter(role=Role.ADMINISTRATOR).first().user
    curator, reviewer, moderator = _user("curator"), _user("reviewer"), _user("moderator")
    citizen, member = _user("citizen"), _user("member")
    others = {
        key: _user(key)
        for key in ("joseph", "siobhan", "arjun", "eleanor", "kwame", "beth", "mohammed", "lucy")
    }
    supporters = _supporters()
    topic = {t.slug: t for t in Topic.objects.all()}
    icb = {i.code: i for i in Icb.objects.select_related("region")}
    org = {o.slug: o for o in Organisation.objects.all()}
    icb_org = {o.code: o for o in Organisation.objects.filter(type="icb")}
    nhse = org["nhs-england"]

    wy_icb = icb_org["QWO"]
    responders = {
        "wy": _user("responder"),
        "leeds-trust": _responder(
            org["leeds-teaching-hospitals-nhs-trust"], "pat.leeds-trust", "Pat Nwosu", admin
        ),
        "leeds-council": _responder(
            org["leeds-city-council"], "sue.leeds-council", "Sue Barker", admin
        ),
        "cornwall": _responder(icb_org["QT6"], "jen.cornwall-icb", "Jen Trelawny", admin),
        "birmingham": _responder(icb_org["QHL"], "raj.bsol-icb", "Raj Sandhu", admin),
        "nhse": _responder(nhse, "alex.nhse", "Alex Morgan", admin),
    }

    events: list[tuple[float, Callable[[], None]]] = []
    made: dict[str, Flag] = {}

    def raise_(key, days_ago, user, title, what, why, topic_slug, place, links=()):
        def run():
            made[key] = flags.check_raise_flag(
                user=user,
                title=title,
                what_should_change=what,
                why=why,
                topic=topic[topic_slug],
                place=place,
                evidence_links=[(t, u) for t, u in links],
            )

        events.append((days_ago, run))

    def support(key, days_ago, people):
        def run():
            for person in people:
                flags.do_support_flag(user=person, flag=made[key])

        events.append((days_ago, run))

    def comment(key, days_ago, user, body, stance="comment", reply_to=None):
        def run():
            parent = None
            if reply_to is not None:
                parent = made[key].comments.filter(parent__isnull=True).order_by("pk")[reply_to]
            flags.check_add_comment(
                user=user, flag=made[key], body=body, stance=stance, parent=parent
            )

        events.append((days_ago, run))

    def decide(key, days_ago, decision, national, remit, reasons, organisation=None):
        def run():
            review.check_record_decision(
                reviewer=reviewer,
                flag=made[key],
                decision=decision,
                is_national=national,
                within_remit=remit,
                reasons=reasons,
                organisation=organisation,
            )

        events.append((days_ago, run))

    def answer(key, days_ago, responder, outcome, reasons, responsible=None):
        def run():
            referral = Referral.objects.filter(flag=made[key], status="awaiting").latest(
                "referred_at"
            )
            responses.check_respond(
                responder=responder,
                referral=referral,
                outcome=outcome,
                reasons=reasons,
                responsible_organisation=responsible,
            )

        events.append((days_ago, run))

    def curate(days_ago, run):
        events.append((days_ago, run))

    # 1. Shortlisted for the Assembly (reached the threshold).
    raise_(
        "gp",
        160,
        citizen,
        MARKER_TITLE,
        "Every GP surgery should let people book routine appointments online, up to two weeks ahead, not only on the day.",
        "Ringing at 8am and waiting in a queue is impossible for people who work shifts, care for others or cannot hold on the phone for an hour.",
        "gp-and-primary-care",
        Place(Scope.NATIONAL),
        links=[("Healthwatch England: GP access report", "https://www.healthwatch.co.uk/")],
    )
    support("gp", 150, supporters[:60])
    comment(
        "gp",
        149,
        others["siobhan"],
        "I work nights. By the time I can ring, **every appointment is gone**.",
        "for",
    )
    comment(
        "gp",
        148,
        others["arjun"],
        "Some surgeries need to keep same-day slots for urgent problems too.",
        "against",
    )
    comment("gp", 147, citizen, "Agreed: both. Book ahead *and* keep some for the day.", reply_to=1)
    support("gp", 140, supporters[60:104])
    curate(
        139,
        lambda: flags.check_write_roundup(
            curator=curator,
            flag=made["gp"],
            change_needed="Online booking of routine GP appointments up to two weeks ahead, in every surgery.",
            action="Make it part of the national GP contract, while keeping some same-day slots for urgent needs.",
            who_should_act="NHS England",
            organisation=nhse,
        ),
    )
    decide(
        "gp",
        130,
        "shortlist",
        True,
        True,
        "This affects people across England, and NHS England sets the national GP contract, so it can make this change.",
    )

    # 2. A duplicate, merged into the GP flag.
    raise_(
        "gp-dup",
        145,
        others["lucy"],
        "Stop the 8am rush for a doctor's appointment",
        "Let patients book ahead online instead of phoning at 8am.",
        "The phone lines are jammed every morning.",
        "gp-and-primary-care",
        Place(Scope.NATIONAL),
    )
    support("gp-dup", 144, supporters[100:112])
    curate(
        142,
        lambda: flags.check_merge_flags(
            curator=curator,
            source=made["gp-dup"],
            target=made["gp"],
            reason="Both ask for routine GP appointments to be bookable ahead, online.",
        ),
    )

    # 3. Referred to a trust and answered "in part".
    raise_(
        "parking",
        120,
        others["joseph"],
        "Free hospital parking for unpaid carers",
        "Unpaid carers should not pay to park when they bring someone to hospital.",
        "Carers at Leeds hospitals are paying over £20 a week to park while caring for a relative.",
        "hospital-care",
        Place(Scope.LOCAL, icb=icb["QWO"], place_name="Leeds"),
    )
    support("parking", 110, supporters[:101])
    decide(
        "parking",
        100,
        "refer",
        False,
        False,
        "Parking charges are set by each hospital trust, so the trust must answer.",
        org["leeds-teaching-hospitals-nhs-trust"],
    )
    answer(
        "parking",
        85,
        responders["leeds-trust"],
        "in_part",
        "From 1 March, registered carers can get a free parking permit at St James's and Leeds General Infirmary. We cannot make all parking free, because the income pays for the car parks' upkeep.",
    )

    # 4. Referred to an ICB and overdue.
    raise_(
        "ambulance",
        90,
        others["eleanor"],
        "Ambulances take too long in rural Cornwall",
        "Cut ambulance waits in the far west of Cornwall to the national standard.",
        "People in Penwith wait well over an hour for a category 2 ambulance.",
        "urgent-and-emergency-care",
        Place(Scope.ICB, icb=icb["QT6"]),
    )
    support("ambulance", 80, supporters[20:121])
    decide(
        "ambulance",
        70,
        "refer",
        False,
        False,
        "Ambulance services in Cornwall are planned and paid for by the local ICB, which must answer.",
        icb_org["QT6"],
    )

    # 5. Passed on: the council says it is the ICB's.
    raise_(
        "dentist",
        95,
        member,
        "NHS dentists for children in Leeds",
        "Every child in Leeds should be able to see an NHS dentist.",
        "Parents tell Healthwatch Leeds they cannot find a dentist taking children.",
        "dentistry",
        Place(Scope.ICB, icb=icb["QWO"]),
    )
    support("dentist", 85, supporters[30:131])
    decide(
        "dentist",
        60,
        "refer",
        False,
        False,
        "NHS dentistry in Leeds is a local matter.",
        org["leeds-city-council"],
    )
    answer(
        "dentist",
        50,
        responders["leeds-council"],
        "not_ours",
        "The council does not buy NHS dental care. NHS West Yorkshire ICB does, so it must answer.",
        responsible=wy_icb,
    )

    # 6. Answered by the West Yorkshire ICB: will act.
    raise_(
        "bus",
        75,
        others["beth"],
        "A bus to Airedale Hospital from Keighley bus station",
        "Put on a direct bus from Keighley to Airedale Hospital at visiting times.",
        "Without a car it takes two buses and over an hour.",
        "transport-and-travel",
        Place(Scope.LOCAL, icb=icb["QWO"], place_name="Keighley"),
    )
    support("bus", 70, supporters[40:102])
    curate(
        65,
        lambda: flags.check_put_forward(
            curator=curator,
            flag=made["bus"],
            reason="Many people raised this at a Healthwatch event; it needs an answer before winter.",
        ),
    )
    decide(
        "bus",
        60,
        "refer",
        False,
        False,
        "Transport to hospital in Bradford district is arranged by the ICB with the council.",
        wy_icb,
    )
    answer(
        "bus",
        45,
        responders["wy"],
        "will_act",
        "We will fund a trial shuttle bus from Keighley bus station to Airedale Hospital at visiting times from next month, and report on its use after six months.",
    )

    # 7. Overdue, Birmingham.
    raise_(
        "pharmacy",
        70,
        others["arjun"],
        "Keep community pharmacies open in Birmingham",
        "Stop pharmacy closures leaving whole areas of Birmingham without one.",
        "Three pharmacies near me closed this year.",
        "pharmacy-and-medicines",
        Place(Scope.ICB, icb=icb["QHL"]),
    )
    support("pharmacy", 60, supporters[:100])
    decide(
        "pharmacy",
        50,
        "refer",
        False,
        False,
        "Pharmacy services are commissioned by the local ICB.",
        icb_org["QHL"],
    )

    # 8. Closed with a public reason.
    raise_(
        "letters",
        100,
        others["mohammed"],
        "Send NHS letters in my language",
        "Offer NHS letters in the main community languages.",
        "My parents cannot read English letters about their care.",
        "access-and-disability",
        Place(Scope.NATIONAL),
    )
    curate(
        98,
        lambda: flags.check_put_forward(
            curator=curator,
            flag=made["letters"],
            reason="Closely related to the Accessible Information Standard review.",
        ),
    )
    decide(
        "letters",
        92,
        "close",
        True,
        True,
        "NHS England is already changing the Accessible Information Standard to cover this. We will link this flag to that work on the tracker.",
    )

    # 9. In review (reached the threshold recently).
    raise_(
        "students",
        40,
        others["kwame"],
        "Mental health support for university students",
        "Make it easy for students to move their mental health care when they move for university.",
        "Students lose their place on waiting lists when they register with a new GP.",
        "mental-health",
        Place(Scope.NATIONAL),
    )
    support("students", 20, supporters[5:106])

    # 10. Open, gathering support.
    raise_(
        "allergies",
        30,
        others["siobhan"],
        "Safe hospital food for people with allergies",
        "Every hospital meal should list its allergens clearly.",
        "My son was given food he is allergic to on the ward.",
        "patient-safety",
        Place(Scope.NATIONAL),
    )
    support("allergies", 25, supporters[50:88])
    comment(
        "allergies",
        24,
        others["beth"],
        "Our ward had a laminated card, but it was years out of date.",
        "for",
    )
    raise_(
        "autism",
        12,
        others["beth"],
        "Shorter waits for adult autism assessments",
        "Adults should not wait years for an autism assessment.",
        "I was told the wait in Bristol is over three years.",
        "learning-disability-and-autism",
        Place(Scope.ICB, icb=icb["QUY"]),
    )
    support("autism", 10, supporters[70:93])
    raise_(
        "maternity",
        5,
        others["siobhan"],
        "Let partners stay overnight on maternity wards",
        "Partners should be able to stay overnight after a birth.",
        "New mothers need support through the first night.",
        "maternity",
        Place(Scope.REGION, region=Region.objects.get(code="Y62")),
    )
    support("maternity", 3, supporters[10:19])
    raise_(
        "spam",
        2,
        others["lucy"],
        "Cheap pills online, click here",
        "Buy now.",
        "Best prices.",
        "pharmacy-and-medicines",
        Place(Scope.NATIONAL),
    )
    comment(
        "allergies",
        2,
        others["kwame"],
        "Whoever wrote the menu should be sacked, they are an idiot.",
    )

    def moderate():
        from nhs_citizen.moderation.services import check_hide

        check_hide(
            moderator=moderator,
            kind="flag",
            object_id=made["spam"].pk,
            reason="It is an advert. The house rules do not allow adverts.",
        )
        rude = made["allergies"].comments.order_by("-pk").first()
        check_hide(
            moderator=moderator,
            kind="comment",
            object_id=rude.pk,
            reason="It is a personal attack. The house rules ask everyone to be respectful.",
        )

    events.append((1, moderate))

    # Calls for views: one closed with its outcome published, one open.
    def calls_for_views():
        closing_soon = timezone.localdate() + timedelta(days=1)
        call = calls.check_open_call(
            responder=responders["wy"],
            organisation=wy_icb,
            title="Opening hours of GP surgeries in West Yorkshire",
            background="We are planning evening and weekend GP appointments for next year. Tell us when you would use them.",
            place=Place(Scope.ICB, icb=icb["QWO"]),
            closes_on=closing_soon,
            questions=[
                (
                    "When would you most like to see a GP outside normal hours?",
                    "choice",
                    [
                        "Weekday evenings",
                        "Saturday mornings",
                        "Sundays",
                        "I do not need extra hours",
                    ],
                ),
                ("What would make it easier for you to get a GP appointment?", "free_text", []),
            ],
        )
        answers = [
            ("Weekday evenings", "Being able to book ahead online."),
            ("Saturday mornings", "Shorter queues on the phone. Ring me back on 07700 900123."),
            ("Weekday evenings", "A surgery near my work in Leeds city centre."),
            ("I do not need extra hours", "Nothing, my surgery is good."),
        ]
        people = [citizen, others["joseph"], others["beth"], others["kwame"]]
        questions = list(call.questions.order_by("position"))
        for person, (choice, text) in zip(people, answers, strict=True):
            calls.check_answer_call(
                user=person, call=call, answers={questions[0].pk: choice, questions[1].pk: text}
            )
        return call

    state = {}
    events.append((40, lambda: state.setdefault("gp_call", calls_for_views())))

    def publish():
        call = state["gp_call"]
        calls.check_publish_outcome(
            responder=responders["wy"],
            call=call,
            we_asked="When you would use evening and weekend GP appointments, and what would make booking easier.",
            you_said="Most people asked for weekday evenings, and many asked to book ahead online.",
            we_did="From April, every primary care network in West Yorkshire will offer evening appointments on weekdays, bookable online up to two weeks ahead.",
        )

    events.append((30, publish))

    def open_call():
        calls.check_open_call(
            responder=responders["nhse"],
            organisation=nhse,
            title="What should the NHS App do next?",
            background="We are deciding what to add to the NHS App next year. We want to hear from people who use it, and from people who do not.",
            place=Place(Scope.NATIONAL),
            closes_on=timezone.localdate() + timedelta(days=45),
            questions=[
                ("Do you use the NHS App?", "choice", ["Yes, often", "Yes, sometimes", "No"]),
                ("What is the one thing you would add or change?", "free_text", []),
            ],
        )

    events.append((6, open_call))

    with transaction.atomic():
        for days_ago, run in sorted(events, key=lambda event: -event[0]):
            with time_machine.travel(_at(days_ago), tick=False):
                run()
    return len(made)
