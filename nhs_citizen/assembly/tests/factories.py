"""Test data for the Assembly, built through the same services the app uses, at chosen times."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from nhs_citizen.assembly.models import Cycle
from nhs_citizen.assembly.services import cycles, stages
from nhs_citizen.conftest import make_user
from nhs_citizen.gather.models import Decision
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.services import review
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.panels.models import Panel, PanelPurpose, PanelStatus
from nhs_citizen.panels.services.pool import volunteer_pool

DAY = datetime.timedelta(days=1)


def at(moment: datetime.datetime):
    """Travel to a moment (the clock stands still there)."""
    return time_machine.travel(moment, tick=False)


def secretariat(email: str | None = None):
    return make_user(
        email or next_email("secretariat"), display_name="Sam Secretariat", roles=("secretariat",)
    )


def staff(role: str):
    """One person per staff role is enough for test data."""
    from nhs_citizen.accounts.models import User

    email = f"{role}@assembly.example.com"
    return User.objects.filter(email=email).first() or make_user(email, roles=(role,))


def shortlisted_flag(title: str, shortlisted_at: datetime.datetime, *, raised_at=None):
    """A national flag that a curator put forward and the review panel shortlisted, at
    `shortlisted_at` exactly."""
    with at(raised_at or shortlisted_at - DAY):
        flag = raise_flag(user=staff("raiser"), title=title, what=f"{title}: what should change.")
        flag_services.check_put_forward(curator=staff("curator"), flag=flag, reason="Ready")
    reviewer = staff("review_panel")
    with at(shortlisted_at):
        review.check_record_decision(
            reviewer=reviewer,
            flag=flag,
            decision=Decision.SHORTLIST,
            is_national=True,
            within_remit=True,
            reasons="National and within NHS England's remit.",
        )
    flag.refresh_from_db()
    return flag


def cycle_dates(cutoff: datetime.datetime) -> dict:
    local = timezone.localtime(cutoff).date()
    return {
        "flag_cutoff": cutoff,
        "vote_opens": cutoff + DAY,
        "vote_closes": cutoff + 8 * DAY,
        "jury_date": local + 14 * DAY,
        "meeting_date": local + 30 * DAY,
        "response_due": local + 60 * DAY,
        "stocktake_date": local + 180 * DAY,
    }


def make_cycle(
    name: str = "Spring 2027",
    cutoff: datetime.datetime | None = None,
    *,
    created_by=None,
    **overrides,
) -> Cycle:
    """A cycle set up by the secretariat a month before its cut-off."""
    cutoff = cutoff or timezone.now() + 30 * DAY
    data = {**cycle_dates(cutoff), **overrides}
    with at(data["flag_cutoff"] - 30 * DAY):
        return cycles.check_create_cycle(created_by=created_by or secretariat(), name=name, **data)


def voter(joined_at: datetime.datetime, *, verified_at: datetime.datetime | None = None, **kwargs):
    """A person whose account was created (and e-mail address confirmed) at the given times."""
    with at(joined_at):
        person = make_user(next_email("voter"), display_name="Val Voter", verified=False, **kwargs)
    if verified_at is not False:
        from allauth.account.models import EmailAddress

        with at(verified_at or joined_at):
            address = EmailAddress.objects.get(user=person)
            address.verified = True
            address.save()
    person.refresh_from_db()
    return person


def cut_off(cycle: Cycle, by=None) -> Cycle:
    with at(cycle.flag_cutoff + datetime.timedelta(minutes=1)):
        return stages.do_cut_off(cycle, by)


def open_vote(cycle: Cycle, by=None) -> Cycle:
    with at(cycle.vote_opens + datetime.timedelta(minutes=1)):
        return stages.do_open_vote(cycle, by)


def close_vote(cycle: Cycle, by=None) -> Cycle:
    with at(cycle.vote_closes + datetime.timedelta(minutes=1)):
        return stages.do_close_vote(cycle, by)


def during_vote(cycle: Cycle):
    return at(cycle.vote_opens + DAY)


def jury_panel(title: str = "Citizens' jury for Spring 2027", drawn: bool = True) -> Panel:
    """A jury panel as the panels app leaves it after its draw (the draw itself is tested
    there)."""
    return Panel.objects.create(
        purpose=PanelPurpose.JURY,
        title=title,
        size=15,
        reserves=5,
        pool=volunteer_pool(),
        created_by=secretariat(),
        status=PanelStatus.SEED_REVEALED if drawn else PanelStatus.SETTING_UP,
        drawn_at=timezone.now() if drawn else None,
    )
