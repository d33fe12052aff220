"""Shared by the vote benchmarks: a cycle in its voting stage with shortlisted flags and eligible
voters (accounts made and confirmed long before the cut-off), made with bulk inserts. Call after
``django.setup()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class VotingCycle:
    cycle: object  # assembly.models.Cycle
    entries: list  # its CycleEntry rows, in shortlist order
    voters: list  # accounts.models.User rows
    secretariat: object


def make_voting_cycle(
    voters: int, entries: int, *, domain: str = "example.com", slug: str = "bench-cycle"
) -> VotingCycle:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from nhs_citizen.assembly.models import Cycle, CycleEntry, Stage
    from nhs_citizen.core.models import Topic
    from nhs_citizen.gather.models import Flag, FlagStatus

    User = get_user_model()
    now = timezone.now()
    long_ago = now - dt.timedelta(days=400)
    secretariat = User.objects.create_user(email=f"sec@{domain}", display_name="Sec")
    people = User.objects.bulk_create(
        [
            User(
                email=f"voter{n}@{domain}",
                display_name=f"Voter {n}",
                date_joined=long_ago,
                email_verified_at=long_ago,
            )
            for n in range(voters)
        ],
        batch_size=2000,
    )
    topic = Topic.objects.first()
    flags = Flag.objects.bulk_create(
        [
            Flag(
                title=f"Bench flag {n}",
                what_should_change="Change",
                why="Why",
                topic=topic,
                raised_by=secretariat,
                status=FlagStatus.SHORTLISTED,
            )
            for n in range(entries)
        ]
    )
    cycle = Cycle.objects.create(
        name="Bench cycle",
        slug=slug,
        flag_cutoff=now - dt.timedelta(days=30),
        vote_opens=now - dt.timedelta(days=20),
        vote_closes=now + dt.timedelta(days=10),
        jury_date=(now + dt.timedelta(days=20)).date(),
        meeting_date=(now + dt.timedelta(days=40)).date(),
        response_due=(now + dt.timedelta(days=80)).date(),
        stocktake_date=(now + dt.timedelta(days=200)).date(),
        stage=Stage.VOTING,
        created_by=secretariat,
    )
    shortlisted = CycleEntry.objects.bulk_create(
        [
            CycleEntry(cycle=cycle, flag=flag, shortlisted_at=now - dt.timedelta(days=40 - n))
            for n, flag in enumerate(flags)
        ]
    )
    return VotingCycle(cycle=cycle, entries=shortlisted, voters=people, secretariat=secretariat)
