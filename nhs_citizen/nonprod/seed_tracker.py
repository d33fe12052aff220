"""Demo tracker history for the past cycle: the Board's responses to each agenda item and to the
Citizen Panel's report, with commitments that are now done, in progress, not done or overdue,
updates with evidence, what members said about the responses, and the stock-take."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model

from nhs_citizen.assembly.models import Stage
from nhs_citizen.assembly.services import stages
from nhs_citizen.nonprod.personas import DEMO_DOMAIN
from nhs_citizen.tracker.models import CommitmentStatus
from nhs_citizen.tracker.services import board, stocktake
from nhs_citizen.tracker.services.commitments import (
    CommitmentDraft,
    check_add_commitment,
    check_update_commitment,
)

# For each agenda item in order: outcome, summary, and commitments as
# (what, owner, days ago it is due (negative: still ahead), what became of it).
RESPONSES = [
    (
        "will_act",
        "We will set a national waiting time standard and publish each area's figures.",
        [
            ("Publish each ICB's waiting times every month", "Director of Performance", 90, "done"),
            (
                "Agree a national standard with the royal colleges",
                "National Clinical Director",
                30,
                "overdue",
            ),
        ],
    ),
    (
        "in_part",
        "We will fund more places, starting with the areas with the longest waits.",
        [
            (
                "Fund extra places in the 10 areas with the longest waits",
                "Director of Primary Care",
                -60,
                "in_progress",
            ),
            (
                "Report on progress to the next Assembly",
                "NHS Citizen secretariat lead",
                25,
                "overdue_not_started",
            ),
        ],
    ),
    (
        "will_act",
        "We will add this to the NHS App, with paper for anyone who asks.",
        [
            ("Test it with carers in three areas", "Director of Digital Channels", 70, "done"),
            ("Offer it in every area", "Director of Digital Channels", -120, "in_progress"),
        ],
    ),
    (
        "will_not_act",
        "We will not set a new target now, because the money is committed elsewhere this year.",
        [
            (
                "Review the decision with patient groups",
                "Chief Nursing Officer's team",
                40,
                "not_done",
            ),
        ],
    ),
    (
        "will_act",
        "We will write this into the standard contract for next year.",
        [
            ("Change the NHS Standard Contract", "Head of Contracts", -30, "in_progress"),
        ],
    ),
]

REFLECTIONS = ["yes", "yes", "partly", "no", "partly", "yes"]


def _user(key: str):
    return get_user_model().objects.get(email=f"{key}@{DEMO_DOMAIN}")


# Commitments local bodies made when they answered flags sent to them in Gather:
# (what, owner, days after the answer it is due, whether it was done).
GATHER_COMMITMENTS = [
    ("Open a second phone line for booking appointments", "Head of Patient Access", 30, True),
    ("Publish the new booking times on the trust's website", "Communications team", 45, False),
    ("Fund evening GP appointments in every Leeds practice", "Director of Primary Care", 40, False),
]


def _gather_commitments() -> None:
    from nhs_citizen.gather.models import Response

    plans = iter(GATHER_COMMITMENTS)
    for answer in Response.objects.filter(outcome__in=("will_act", "in_part")).order_by(
        "created_at"
    ):
        for _ in range(2 if answer.outcome == "in_part" else 1):
            plan = next(plans, None)
            if plan is None:
                return
            what, owner, due_after, done = plan
            with time_machine.travel(answer.created_at + timedelta(hours=2), tick=False):
                commitment = check_add_commitment(
                    by=answer.responder,
                    to=answer,
                    draft=CommitmentDraft(
                        what=what,
                        owner=owner,
                        due_date=answer.created_at.date() + timedelta(days=due_after),
                    ),
                )
            with time_machine.travel(answer.created_at + timedelta(days=7), tick=False):
                check_update_commitment(
                    by=answer.responder,
                    commitment=commitment,
                    status=CommitmentStatus.IN_PROGRESS,
                    note="We have started on this and will post again when it is done.",
                )
            if done:
                with time_machine.travel(
                    answer.created_at + timedelta(days=due_after - 2), tick=False
                ):
                    check_update_commitment(
                        by=answer.responder,
                        commitment=commitment,
                        status=CommitmentStatus.DONE,
                        note="Done. The new line opened on time.",
                        evidence_title="Notice on the trust's website",
                        evidence_url="https://www.leedsth.nhs.uk/",
                    )


def seed_tracker(at, cycle, meeting, commission) -> None:
    board_member, secretariat = _user("board"), _user("secretariat")
    items = list(meeting.items.order_by("position"))
    made = []
    for n, (item, (outcome, summary, commitments)) in enumerate(
        zip(items, RESPONSES, strict=False)
    ):
        # All on time but the last, which came three days late.
        day = 121 - n if n < len(items) - 1 else 115
        with time_machine.travel(at(day), tick=False):
            response = board.check_record_board_response(
                by=board_member,
                agenda_item=item,
                outcome=outcome,
                summary=summary,
                reasons=(
                    "The Board heard the Assembly's workshops and read the notes from every table. "
                    + summary
                ),
                commitments=[
                    CommitmentDraft(what=what, owner=owner, due_date=at(due).date())
                    for what, owner, due, _ in commitments
                ],
            )
        made.append((response, commitments))

    cycle.refresh_from_db()
    if cycle.stage == Stage.MEETING:
        with time_machine.travel(at(117), tick=False):
            cycle = stages.check_move_on(
                cycle=cycle,
                by=secretariat,
                expected_stage=cycle.stage,
                reasons="The Board has responded in writing to every agenda item.",
            )

    # What happened next to each commitment.
    for response, commitments in made:
        for commitment, (_, _, due, fate) in zip(
            response.commitments.order_by("pk"), commitments, strict=True
        ):
            if fate in ("done", "in_progress", "overdue", "not_done"):
                with time_machine.travel(at(min(max(due, 0) + 20, 110)), tick=False):
                    check_update_commitment(
                        by=board_member,
                        commitment=commitment,
                        status=CommitmentStatus.IN_PROGRESS,
                        note="Work has started. A project team is in place.",
                    )
            if fate == "done":
                with time_machine.travel(at(due + 2), tick=False):
                    check_update_commitment(
                        by=board_member,
                        commitment=commitment,
                        status=CommitmentStatus.DONE,
                        note="Done, on time. The figures are published every month.",
                        evidence_title="Published figures",
                        evidence_url="https://www.england.nhs.uk/statistics/",
                    )
            if fate == "not_done":
                with time_machine.travel(at(due + 1), tick=False):
                    check_update_commitment(
                        by=board_member,
                        commitment=commitment,
                        status=CommitmentStatus.NOT_DONE,
                        note="We met patient groups but did not change the decision.",
                        reasons="The budget for this year was already set. We will look again next year.",
                    )

    # What members and people who posted said about the first responses.
    for response, _ in made[:3]:
        people = [
            get_user_model().objects.get(pk=pk) for pk in sorted(board.participant_ids(response))
        ]
        with time_machine.travel(at(100), tick=False):
            for person, verdict in zip(people, REFLECTIONS, strict=False):
                board.check_reflect(
                    user=person,
                    response=response,
                    verdict=verdict,
                    comment=""
                    if verdict == "yes"
                    else "It does not say what happens while people wait.",
                )

    with time_machine.travel(at(45), tick=False):
        board.check_record_board_response(
            by=board_member,
            commission=commission,
            outcome="in_part",
            summary="We accept that clinical need comes first and will trial checking on people while they wait.",
            reasons="The panel's report was clear and careful. We accept most of it.",
            commitments=[
                CommitmentDraft(
                    what="Trial regular check-ins for people on waiting lists in two regions",
                    owner="Director of Elective Recovery",
                    due_date=at(-100).date(),
                )
            ],
        )

    _gather_commitments()

    with time_machine.travel(at(21), tick=False):
        stocktake.do_generate_stocktake(cycle, by=secretariat)
    with time_machine.travel(at(19), tick=False):
        cycle.refresh_from_db()
        stages.check_move_on(
            cycle=cycle,
            by=secretariat,
            expected_stage=cycle.stage,
            reasons="The stock-take was on the agenda of the Assembly's online session.",
        )
