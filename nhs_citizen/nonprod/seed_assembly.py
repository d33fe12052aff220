"""Demo Assembly cycles, run through the real services at the times they would have happened:

- Summer 2026, complete: flags cut off, a priority vote, the citizens' jury's choices, the
  Assembly Meeting (agenda, packs, workshop notes, remote posts, minutes, a Citizen Panel
  commissioned and reported), the Board's responses with commitments (some done, some in
  progress, some overdue), reflections, and the stock-take.
- Winter 2026, in its priority vote now: flags shortlisted after the summer cut-off rolled over
  into it, and some people have voted (the citizen persona has not, so you can).
- One flag shortlisted after the winter cut-off, waiting for the next cycle."""

from __future__ import annotations

import datetime
import random

import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, CycleEntry
from nhs_citizen.assembly.services import cycles as cycle_services
from nhs_citizen.assembly.services import jury, stages, vote
from nhs_citizen.core.models import Topic
from nhs_citizen.gather.models import Flag, Scope
from nhs_citizen.gather.services import flags, review
from nhs_citizen.gather.services.flags import Place
from nhs_citizen.meetings.models import WorkshopQuestion
from nhs_citizen.meetings.services import commissions, meetings, workshops
from nhs_citizen.nonprod.personas import DEMO_DOMAIN
from nhs_citizen.nonprod.seed_assembly_flags import (
    CURRENT_CYCLE_FLAGS,
    NEXT_CYCLE_FLAGS,
    PAST_CYCLE_FLAGS,
)
from nhs_citizen.nonprod.seed_paper_ballots import seed_paper_ballots
from nhs_citizen.panels.models import Panel, PanelPurpose
from nhs_citizen.panels.services import draws, quotas
from nhs_citizen.panels.services.pool import volunteer_pool

PAST = "Summer 2026"
CURRENT = "Winter 2026"
VOTERS = 90
COMMISSION_TITLE = "Citizen Panel: who should be seen first on a waiting list?"
MEMBERS_TITLE = "Assembly Meeting members, Summer 2026"
MEMBERS_SIZE = 200

FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Nia",
    "Owen",
    "Poppy",
    "Raj",
    "Sara",
    "Theo",
    "Zara",
]
LAST = "ABCDEFGHJKLMNPRSTWY"


def _user(key: str):
    return get_user_model().objects.get(email=f"{key}@{DEMO_DOMAIN}")


def _voters() -> list:
    """People who joined long ago and can vote, but cannot sign in (no password)."""
    User = get_user_model()
    people = []
    for n in range(VOTERS):
        email = f"voter{n:03d}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, display_name=f"{FIRST[n % 20]} {LAST[n % 19]}.")
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append(user)
    return people


def _shortlist(spec, at, citizens, curator, reviewer, topics) -> Flag:
    key, topic, title, what, why, raised, shortlisted = spec
    with time_machine.travel(at(raised), tick=False):
        flag = flags.check_raise_flag(
            user=citizens[hash(key) % len(citizens)],
            title=title,
            what_should_change=what,
            why=why,
            topic=topics[topic],
            place=Place(Scope.NATIONAL),
        )
    with time_machine.travel(at(raised - 3), tick=False):
        for person in citizens[:4]:
            flags.do_support_flag(user=person, flag=flag)
    with time_machine.travel(at(shortlisted + 4), tick=False):
        flags.check_put_forward(
            curator=curator,
            flag=flag,
            reason="Many people have raised this in other places, so it is ready for review.",
        )
    with time_machine.travel(at(shortlisted), tick=False):
        review.check_record_decision(
            reviewer=reviewer,
            flag=flag,
            decision="shortlist",
            is_national=True,
            within_remit=True,
            reasons="This affects people across England, and NHS England can make this change.",
        )
    return flag


def _cycle(
    name,
    at,
    secretariat,
    *,
    created,
    cutoff,
    vote_opens,
    vote_closes,
    jury_day,
    meeting_day,
    response_due,
    stocktake_day,
) -> Cycle:
    with time_machine.travel(at(created), tick=False):
        return cycle_services.check_create_cycle(
            created_by=secretariat,
            name=name,
            flag_cutoff=at(cutoff),
            vote_opens=at(vote_opens),
            vote_closes=at(vote_closes),
            jury_date=at(jury_day).date(),
            meeting_date=at(meeting_day).date(),
            response_due=at(response_due).date(),
            stocktake_date=at(stocktake_day).date(),
            reasons="The dates agreed with NHS England for this cycle.",
        )


def _ballots(cycle: Cycle, voters, at, start: int, end: int, rng: random.Random) -> None:
    """Each voter picks up to five flags, leaning towards some; a few change their minds."""
    entries = list(cycle.entries.order_by("pk"))
    weights = [1 + ((i * 7) % 5) for i in range(len(entries))]
    for n, voter in enumerate(voters):
        days = start - (start - end) * n / len(voters)
        with time_machine.travel(at(days), tick=False):
            choice = set()
            while len(choice) < min(cycle.max_choices, len(entries)) - rng.randint(0, 2):
                choice.add(rng.choices(entries, weights)[0])
            vote.check_cast_ballot(cycle=cycle, voter=voter, entries=choice)
        if n % 9 == 0:
            with time_machine.travel(at(days - 0.2), tick=False):
                choice.pop()
                choice.add(rng.choice(entries))
                vote.check_cast_ballot(cycle=cycle, voter=voter, entries=choice)


def _draw(panel: Panel, at, day: int, secretariat) -> Panel:
    from nhs_citizen.nonprod.seed_panels import draw_by_protocol

    panel = draw_by_protocol(panel, at, day, secretariat)
    with time_machine.travel(at(day - 3), tick=False):
        for member in panel.members.filter(status="invited").order_by("pk"):
            draws.do_set_member_status(member=member, status="confirmed", set_by=secretariat)
    return panel


def _panel(title, purpose, size, at, day, secretariat, question="") -> Panel:
    with time_machine.travel(at(day + 2), tick=False):
        panel = draws.check_create_panel(
            created_by=secretariat,
            purpose=purpose,
            title=title,
            size=size,
            reserves=6,
            pool=volunteer_pool(),
            question=question,
        )
        quotas.check_set_quotas(
            panel=panel, quotas=quotas.quotas_from_census(size, tolerance=0.5), set_by=secretariat
        )
    return _draw(panel, at, day, secretariat)


JURY_REASONS = {
    True: "The jury felt this matters to people everywhere and the Board can act on it soon.",
    False: "The jury agreed it matters, but felt other flags affect more people right now.",
}

NOTES = {
    WorkshopQuestion.NOW: "People wait too long and are not told what is happening.",
    WorkshopQuestion.BETTER: "Everyone knows when they will be seen, and help comes while they wait.",
    WorkshopQuestion.MUST_HAPPEN: "A national standard, with each area publishing how it is doing.",
}


def anchored(today: datetime.date):
    """``at(days_ago)`` counted from a fixed day, so that it gives the same answer inside
    ``time_machine.travel`` as outside it."""

    def at(days_ago: float) -> datetime.datetime:
        day = today - datetime.timedelta(days=int(days_ago))
        minutes = int((days_ago % 1) * 24 * 60) or 10 * 60
        start = datetime.datetime.combine(day, datetime.time(0, 0))
        return timezone.make_aware(start) + datetime.timedelta(minutes=minutes)

    return at


@transaction.atomic
def seed_assembly(at=None) -> int:
    if Cycle.objects.filter(name=PAST).exists():
        return 0
    at = anchored(timezone.localdate())
    rng = random.Random(2026)
    secretariat, curator, reviewer = _user("secretariat"), _user("curator"), _user("reviewer")
    citizens = [
        _user(k)
        for k in (
            "joseph",
            "siobhan",
            "arjun",
            "eleanor",
            "kwame",
            "beth",
            "mohammed",
            "lucy",
            "member",
        )
    ]
    topics = {t.slug: t for t in Topic.objects.all()}
    with time_machine.travel(at(300), tick=False):
        voters = _voters()

    # The past cycle.
    past = _cycle(
        PAST,
        at,
        secretariat,
        created=280,
        cutoff=210,
        vote_opens=205,
        vote_closes=191,
        jury_day=180,
        meeting_day=160,
        response_due=118,
        stocktake_day=20,
    )
    for spec in PAST_CYCLE_FLAGS:
        _shortlist(spec, at, citizens, curator, reviewer, topics)
    with time_machine.travel(at(209.5), tick=False):
        past = stages.do_cut_off(past, secretariat)
    with time_machine.travel(at(204.5), tick=False):
        past = stages.do_open_vote(past, secretariat)
    _ballots(past, voters + citizens, at, 204, 192, rng)
    seed_paper_ballots(past, at, secretariat)
    with time_machine.travel(at(190.5), tick=False):
        past = stages.do_close_vote(past, secretariat)
    from nhs_citizen.nonprod.seed_panels import JURY_TITLE

    with time_machine.travel(at(186), tick=False):
        jury.do_link_jury_panel(
            cycle=past, panel=Panel.objects.get(title=JURY_TITLE), by=secretariat
        )
    to_jury = list(past.entries.filter(to_jury=True).order_by("place"))
    # The jury chose five of the ten, not simply the top five.
    chosen = {to_jury[i].pk for i in (0, 1, 3, 4, 7)}
    with time_machine.travel(at(180), tick=False):
        jury.check_record_jury_choices(
            cycle=past,
            choices={e.pk: (e.pk in chosen, JURY_REASONS[e.pk in chosen]) for e in to_jury},
            by=secretariat,
        )

    members = _panel(MEMBERS_TITLE, PanelPurpose.ASSEMBLY, MEMBERS_SIZE, at, 178, secretariat)
    past.refresh_from_db()
    with time_machine.travel(at(176), tick=False):
        meeting = meetings.check_set_up_meeting(
            secretariat=secretariat,
            cycle=past,
            details=meetings.MeetingDetails(
                starts_at=at(160).replace(hour=10, minute=0),
                ends_at=at(160).replace(hour=16, minute=30),
                place="Royal Armouries Hall, Leeds LS10 1LT",
                webcast_url="https://www.youtube.com/@NHSEngland",
                members_panel=members,
            ),
        )
        items = meetings.check_set_agenda(secretariat=secretariat, meeting=meeting)
        for item in items:
            meetings.check_edit_agenda_item(
                secretariat=secretariat,
                item=item,
                title=item.title,
                briefing=(
                    "This pack explains what the flag asks for, what is happening now, and "
                    "the questions for the workshops."
                ),
            )
            meetings.check_add_pack_document(
                secretariat=secretariat,
                item=item,
                title="NHS England: what is happening now (briefing)",
                url="https://www.england.nhs.uk/",
            )
    with time_machine.travel(at(160).replace(hour=10, minute=30), tick=False):
        meetings.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
        for n, item in enumerate(items):
            for question, text in NOTES.items():
                workshops.check_record_workshop_note(
                    facilitator=secretariat,
                    item=item,
                    question=question,
                    table=f"Table {n + 1}",
                    text=text,
                )
            for person in citizens[n % 3 : n % 3 + 3]:
                workshops.check_post_remotely(
                    user=person,
                    item=item,
                    question=WorkshopQuestion.MUST_HAPPEN,
                    body="Watching from home: please make sure people who cannot use apps are not left behind.",
                )
    with time_machine.travel(at(160).replace(hour=16, minute=0), tick=False):
        meetings.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=False)
        commission = commissions.check_commission_panel(
            secretariat=secretariat,
            meeting=meeting,
            question="How should the NHS decide who is seen first on a waiting list?",
            remit="Look at how waiting lists are ordered now and say what is fair, including for people whose condition gets worse while they wait.",
            size=24,
            quotas_note="Broadly like England's population, with more people who are disabled or live in the most deprived areas.",
            report_due=at(60).date(),
            reasons="The Assembly could not agree on this in one day and asked for a panel to look at it in depth.",
            item=items[0],
        )
    with time_machine.travel(at(159), tick=False):
        past = stages.check_move_on(
            cycle=past,
            by=secretariat,
            expected_stage=past.stage,
            reasons="The meeting was held in Leeds, with people taking part online.",
        )
    with time_machine.travel(at(152), tick=False):
        meetings.check_save_minutes(
            secretariat=secretariat,
            meeting=meeting,
            minutes=(
                "## Summer 2026 Assembly Meeting\n\n"
                "About 200 members met in Leeds and more took part online. Each workshop "
                "answered the three questions for each agenda item. The Board will respond "
                "in writing by the date published."
            ),
            publish=True,
        )
    panel = _panel(
        COMMISSION_TITLE,
        PanelPurpose.CITIZEN_PANEL,
        24,
        at,
        140,
        secretariat,
        question=commission.question,
    )
    with time_machine.travel(at(138), tick=False):
        commission = commissions.check_link_commission_panel(
            secretariat=secretariat, commission=commission, panel=panel
        )
    with time_machine.travel(at(58), tick=False):
        commission = commissions.check_publish_commission_report(
            secretariat=secretariat,
            commission=commission,
            summary=(
                "The panel met four times. It said clinical need must come first, then time "
                "waited, and that people should be checked on while they wait."
            ),
            url="https://www.england.nhs.uk/",
        )

    from nhs_citizen.nonprod.seed_tracker import seed_tracker

    seed_tracker(at, past, meeting, commission)

    # The current cycle, in its vote. Flags shortlisted after the summer cut-off roll over.
    current = _cycle(
        CURRENT,
        at,
        secretariat,
        created=150,
        cutoff=14,
        vote_opens=10,
        vote_closes=-9,
        jury_day=-20,
        meeting_day=-45,
        response_due=-90,
        stocktake_day=-170,
    )
    for spec in CURRENT_CYCLE_FLAGS:
        _shortlist(spec, at, citizens, curator, reviewer, topics)
    with time_machine.travel(at(13.5), tick=False):
        current = stages.do_cut_off(current, secretariat)
    for spec in NEXT_CYCLE_FLAGS:
        _shortlist(spec, at, citizens, curator, reviewer, topics)
    with time_machine.travel(at(9.5), tick=False):
        current = stages.do_open_vote(current, secretariat)
    _ballots(current, voters[:60] + citizens[:4], at, 9, 1, rng)
    seed_paper_ballots(current, at, secretariat, returned=1)
    return CycleEntry.objects.count()
