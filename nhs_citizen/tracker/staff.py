"""The tracker's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions


def _board_items_waiting(user):
    from nhs_citizen.tracker.services.board import items_awaiting_response

    return items_awaiting_response()


def _as_credit(organisation_name: str, is_nhs_england: bool) -> tuple[str, str]:
    # NHS England's commitments are the Board's; every other body's are its responders'.
    if is_nhs_england:
        return (NHS_ENGLAND, "Board member")
    return (organisation_name, "responder")


def _commitment_added_by(entries):
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.core.models.organisations import OrganisationType

    wanted = {
        entry.sequence: entry.data.get("organisation_id")
        for entry in entries
        if isinstance(entry.data, dict) and isinstance(entry.data.get("organisation_id"), int)
    }
    found = {
        pk: (name, kind)
        for pk, name, kind in Organisation.objects.filter(pk__in=set(wanted.values())).values_list(
            "pk", "name", "type"
        )
    }
    return {
        sequence: _as_credit(found[pk][0], found[pk][1] == OrganisationType.NHS_ENGLAND)
        for sequence, pk in wanted.items()
        if pk in found
    }


def _update_posted_by(entries):
    """Updates and withdrawals record who they were posted as: a body, the Board or the
    secretariat."""
    from nhs_citizen.tracker.models import CommitmentUpdate
    from nhs_citizen.tracker.services.commitments import BOARD, SECRETARIAT

    wanted = {
        entry.sequence: entry.data.get("update_id")
        for entry in entries
        if isinstance(entry.data, dict) and isinstance(entry.data.get("update_id"), int)
    }
    posted_as = dict(
        CommitmentUpdate.objects.filter(pk__in=set(wanted.values())).values_list("pk", "posted_as")
    )
    credits = {}
    for sequence, pk in wanted.items():
        who = posted_as.get(pk)
        if not who:
            continue
        if who == BOARD:
            credits[sequence] = (NHS_ENGLAND, "Board member")
        elif who == SECRETARIAT:
            credits[sequence] = (NHS_ENGLAND, "secretariat")
        else:
            credits[sequence] = (who, "responder")
    return credits


for tool in (
    StaffTool(
        key="tracker.board_queue",
        title="Board responses to record",
        description="Agenda items and Citizen Panel reports waiting for the Board's written response and commitments.",
        url_name="tracker:board_queue",
        permission="tracker.record_board_response",
        order=90,
        waiting=_board_items_waiting,
        waiting_noun=("agenda item", "agenda items"),
    ),
    StaffTool(
        key="tracker.your_commitments",
        title="Commitments to keep up to date",
        description="Post dated updates, with evidence, on the commitments you answer for.",
        url_name="tracker:your_commitments",
        permission="tracker.see_own_commitments",
        order=100,
    ),
):
    register_staff_tool(tool)

register_staff_actions(
    "tracker.board_response_recorded", role="Board member", organisation=NHS_ENGLAND
)
register_staff_actions("tracker.stocktake_generated", role="secretariat", organisation=NHS_ENGLAND)
register_staff_actions(
    "tracker.commitment_added", role="responder", organisation_of=_commitment_added_by
)
register_staff_actions(
    "tracker.commitment_updated",
    "tracker.commitment_withdrawn",
    role="responder",
    organisation_of=_update_posted_by,
)
