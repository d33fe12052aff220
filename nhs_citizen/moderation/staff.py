"""Moderation's staff tool, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import register_staff_actions


def _waiting_for(user):
    """Reports and appeals this person may decide: the stored queue as they see it (a
    moderator never sees appeals against their own decisions; an administrator sees the
    appeals sent to them)."""
    from nhs_citizen.moderation.presenters import queue_for

    return queue_for(user)


register_staff_tool(
    StaffTool(
        key="moderation.queue",
        title="Reports to moderate",
        description=(
            "Check reported flags, comments, evidence, stories, remote meeting posts and "
            "Discover statements against the house rules, and decide appeals."
        ),
        url_name="moderation:queue",
        permission="moderation.see_queue",
        order=120,
        waiting=_waiting_for,
        waiting_noun=("item", "items"),
    )
)

# Moderators act for the service; naming them in public invites harassment. "A moderator", as
# the public moderation log says.
register_staff_actions("moderation.*", role="moderator")
