"""Test data for meetings. Cycles, entries and jury choices belong to the assembly app, which
is built beside this one: they are made here as plain rows. Flags are made as rows too (no
sentence embeddings needed), and everything this app does goes through its services."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, CycleEntry, JuryChoice, Stage
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Topic
from nhs_citizen.gather.models import Flag, FlagStatus
from nhs_citizen.meetings.models import Meeting
from nhs_citizen.meetings.services import meetings as services
from nhs_citizen.panels.models import Panel, PanelPurpose, PanelStatus
from nhs_citizen.panels.services.pool import volunteer_pool

_numbers = itertools.count(1)


def next_email(prefix: str = "person") -> str:
    return f"{prefix}{next(_numbers)}@example.com"


def secretariat_user(**kwargs):
    kwargs.setdefault("display_name", "Sam Secretariat")
    return make_user(next_email("secretariat"), roles=("secretariat",), **kwargs)


def moderator_user():
    return make_user(next_email("moderator"), display_name="Mo Moderator", roles=("moderator",))


def citizen_user(display_name: str = "Chris Citizen"):
    return make_user(next_email("citizen"), display_name=display_name)


def make_cycle(*, name: str = "Spring 2027", slug: str = "spring-2027", stage=Stage.JURY, by=None):
    now = timezone.now()
    return Cycle.objects.create(
        name=name,
        slug=slug,
        flag_cutoff=now - datetime.timedelta(days=60),
        vote_opens=now - datetime.timedelta(days=50),
        vote_closes=now - datetime.timedelta(days=30),
        jury_date=(now - datetime.timedelta(days=20)).date(),
        meeting_date=(now + datetime.timedelta(days=10)).date(),
        response_due=(now + datetime.timedelta(days=70)).date(),
        stocktake_date=(now + datetime.timedelta(days=180)).date(),
        stage=stage,
        created_by=by or secretariat_user(),
    )


def make_flag(title: str = "A flag", topic: str = "gp-and-primary-care", **kwargs) -> Flag:
    return Flag.objects.create(
        title=title,
        what_should_change=kwargs.pop("what", f"What should change: {title}"),
        why=kwargs.pop("why", "Because it matters."),
        topic=Topic.objects.get(slug=topic),
        raised_by=kwargs.pop("raised_by", None)
        or make_user(next_email("raiser"), display_name="Rae Raiser"),
        status=kwargs.pop("status", FlagStatus.SHORTLISTED),
        **kwargs,
    )


def enter_flag(cycle: Cycle, flag: Flag, *, place: int | None = None) -> CycleEntry:
    return CycleEntry.objects.create(
        cycle=cycle, flag=flag, shortlisted_at=timezone.now(), place=place, to_jury=True
    )


def jury_chooses(cycle: Cycle, titles, *, rejected=(), by=None, topic="gp-and-primary-care"):
    """The jury's choices, recorded in the order given: chosen ones and rejected ones."""
    by = by or secretariat_user()
    entries = []
    start = timezone.now() - datetime.timedelta(days=20)
    for index, (title, chosen) in enumerate(
        [(t, True) for t in titles] + [(t, False) for t in rejected]
    ):
        entry = enter_flag(cycle, make_flag(title, topic=topic), place=index + 1)
        JuryChoice.objects.create(
            entry=entry,
            chosen=chosen,
            reasons=f"Reasons for {title}",
            recorded_by=by,
            recorded_at=start + datetime.timedelta(minutes=index),
        )
        entries.append(entry)
    return entries


def make_panel(
    purpose=PanelPurpose.ASSEMBLY, *, size=200, title=None, status=PanelStatus.SETTING_UP, by=None
) -> Panel:
    return Panel.objects.create(
        purpose=purpose,
        title=title or f"Panel {next(_numbers)}",
        question="A question?" if purpose == PanelPurpose.CITIZEN_PANEL else "",
        size=size,
        pool=volunteer_pool(),
        created_by=by or secretariat_user(),
        status=status,
    )


def make_meeting(cycle: Cycle, secretariat, *, starts_in_days: int = 10, panel=None) -> Meeting:
    starts = timezone.now().replace(
        hour=10, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=starts_in_days)
    return services.check_set_up_meeting(
        secretariat=secretariat,
        cycle=cycle,
        details=services.MeetingDetails(
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=6),
            place="Leeds Town Hall",
            webcast_url="https://www.youtube.com/watch?v=example",
            members_panel=panel,
        ),
    )


def meeting_with_agenda(titles=("Shorter waits for GP appointments", "Free hospital parking")):
    """A cycle whose jury chose the given flags, its meeting, and the agenda set from them."""
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    jury_chooses(cycle, titles, rejected=("Not chosen flag",), by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    items = services.check_set_agenda(secretariat=secretariat, meeting=meeting)
    return meeting, items, secretariat
