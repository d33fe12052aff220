"""Test data for the tracker. Other apps' rows (cycles, meetings, panels) are made directly;
the tracker's own are made through its services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nhs_citizen.assembly.models import Cycle, CycleEntry, Stage
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import CallForViews, Decision, Outcome, Response
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.services import responses as response_services
from nhs_citizen.gather.services import review
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for
from nhs_citizen.meetings.models import (
    AgendaItem,
    CommissionStatus,
    Meeting,
    PanelCommission,
    RemotePost,
)
from nhs_citizen.panels.models import (
    MemberStatus,
    Panel,
    PanelMember,
    PanelPurpose,
    Pool,
    PoolMember,
)
from nhs_citizen.tracker.models import BoardOutcome
from nhs_citizen.tracker.services import board as board_services
from nhs_citizen.tracker.services.commitments import CommitmentDraft

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def icb() -> Organisation:
    return Organisation.objects.get(type="icb", code="QWO")


def board_member(**kwargs):
    return make_user(next_email("board"), display_name="Bea Board", roles=("board_member",))


def secretariat_member():
    return make_user(next_email("secretariat"), display_name="Sec Retariat", roles=("secretariat",))


def make_cycle(*, response_due: datetime.date | None = None, **overrides) -> Cycle:
    n = _next()
    now = timezone.now()
    today = timezone.localdate()
    values = {
        "name": f"Spring {2026 + n}",
        "slug": f"spring-{2026 + n}",
        "flag_cutoff": now - datetime.timedelta(days=120),
        "vote_opens": now - datetime.timedelta(days=110),
        "vote_closes": now - datetime.timedelta(days=100),
        "jury_date": today - datetime.timedelta(days=90),
        "meeting_date": today - datetime.timedelta(days=30),
        "response_due": response_due or today + datetime.timedelta(days=30),
        "stocktake_date": today + datetime.timedelta(days=150),
        "stage": Stage.MEETING,
        "created_by": overrides.pop("created_by", None) or secretariat_member(),
    }
    values.update(overrides)
    return Cycle.objects.create(**values)


def make_meeting(cycle: Cycle, *, starts_at=None, members_panel=None) -> Meeting:
    starts_at = starts_at or timezone.now() - datetime.timedelta(days=30)
    return Meeting.objects.create(
        cycle=cycle,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=8),
        place="The ICC, Birmingham",
        members_panel=members_panel,
    )


def make_agenda_item(
    *, cycle: Cycle | None = None, meeting: Meeting | None = None, title=None, flag=None
) -> AgendaItem:
    if meeting is None:
        cycle = cycle or make_cycle()
        meeting = getattr(cycle, "meeting", None) or make_meeting(cycle)
    cycle = meeting.cycle
    title = title or f"Shorter waits for mental health care {_next()}"
    flag = flag or raise_flag(title=title, topic="mental-health")
    entry = CycleEntry.objects.create(cycle=cycle, flag=flag, shortlisted_at=timezone.now())
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(meeting=meeting, entry=entry, position=position, title=title)


def make_panel(users, *, reserves=(), purpose=PanelPurpose.ASSEMBLY) -> Panel:
    """A drawn panel: ``users`` confirmed their places, ``reserves`` wait as reserves."""
    n = _next()
    creator = secretariat_member()
    pool = Pool.objects.create(name=f"Pool {n}")
    panel = Panel.objects.create(
        purpose=purpose, title=f"Panel {n}", size=max(len(users), 1), pool=pool, created_by=creator
    )
    for status, people in ((MemberStatus.CONFIRMED, users), (MemberStatus.RESERVE, reserves)):
        for user in people:
            member = PoolMember.objects.create(pool=pool, user=user)
            PanelMember.objects.create(panel=panel, pool_member=member, status=status)
    return panel


def make_commission(
    meeting: Meeting, *, item: AgendaItem | None = None, panel: Panel | None = None, reported=True
) -> PanelCommission:
    return PanelCommission.objects.create(
        meeting=meeting,
        item=item,
        question="How should the NHS decide which new medicines to pay for?",
        remit="Look at how new medicines are chosen.",
        size=30,
        quotas_note="Broadly like England.",
        report_due=timezone.localdate() + datetime.timedelta(days=60),
        reasons="The Assembly could not agree.",
        panel=panel,
        status=CommissionStatus.REPORTED if reported else CommissionStatus.DRAWN,
        report_summary="The panel recommends a citizens' voice on the appraisal committee."
        if reported
        else "",
        report_published_at=timezone.now() if reported else None,
        commissioned_by=meeting.cycle.created_by,
    )


def remote_post(item: AgendaItem, user) -> RemotePost:
    return RemotePost.objects.create(item=item, author=user, body="We need more evening clinics.")


def draft(
    what="Publish mental health waiting times for every area each month",
    owner="Director of Mental Health",
    due_in_days=90,
    organisation=None,
    detail="",
) -> CommitmentDraft:
    return CommitmentDraft(
        what=what,
        owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
        detail=detail,
        organisation=organisation,
    )


def record_board_response(item=None, *, by=None, commitments=None, commission=None, **kwargs):
    if item is None and commission is None:
        item = make_agenda_item()
    return board_services.check_record_board_response(
        by=by or board_member(),
        agenda_item=item,
        commission=commission,
        outcome=kwargs.pop("outcome", BoardOutcome.WILL_ACT),
        summary=kwargs.pop("summary", "The Board will publish waiting times and cut them."),
        reasons=kwargs.pop("reasons", "Members said waits are too long and too hidden."),
        commitments=[draft()] if commitments is None else commitments,
    )


def answered_referral(organisation=None, *, outcome=Outcome.WILL_ACT, responder=None, flag=None):
    """A flag referred to a body, and the body's answer. Returns (answer, responder)."""
    organisation = organisation or icb()
    flag = flag or raise_flag(title=f"A bus to Airedale Hospital {_next()}")
    flag_services.check_put_forward(
        curator=make_user(next_email("curator"), roles=("curator",)), flag=flag, reason="Now"
    )
    flag.refresh_from_db()
    review.check_record_decision(
        reviewer=make_user(next_email("reviewer"), roles=("review_panel",)),
        flag=flag,
        decision=Decision.REFER,
        is_national=False,
        within_remit=False,
        reasons="Transport to this hospital is arranged locally.",
        organisation=organisation,
    )
    responder = responder or responder_for(organisation)
    referral = flag.referrals.get()
    answer = response_services.check_respond(
        responder=responder,
        referral=referral,
        outcome=outcome,
        reasons="We will trial a shuttle bus.",
        responsible_organisation=Organisation.objects.get(type="icb", code="QOQ")
        if outcome == Outcome.NOT_OURS
        else None,
    )
    return Response.objects.select_related("referral__flag", "referral__organisation").get(
        pk=answer.pk
    ), responder


def published_call(organisation=None, *, published=True) -> CallForViews:
    organisation = organisation or icb()
    opener = responder_for(organisation)
    return CallForViews.objects.create(
        organisation=organisation,
        opened_by=opener,
        title=f"Changes to GP opening hours {_next()}",
        background="We plan to open later on weekdays.",
        closes_on=timezone.localdate() - datetime.timedelta(days=10),
        we_asked="When should surgeries open?" if published else "",
        you_said="Later in the evening." if published else "",
        we_did="Three surgeries now open until 8pm." if published else "",
        outcome_published_at=timezone.now() if published else None,
    )
