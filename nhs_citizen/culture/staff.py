"""Culture change's staff tools, and how the public audit log credits its actions (ADR 0026)."""

from nhs_citizen.accounts.staff_tools import StaffTool, register_staff_tool
from nhs_citizen.core.audit_credit import NHS_ENGLAND, register_staff_actions


def _stories_waiting(user):
    from nhs_citizen.culture.models import Story, StoryStatus

    return Story.objects.filter(status=StoryStatus.WAITING)


register_staff_tool(
    StaffTool(
        key="culture.story_queue",
        title="Stories of change to check",
        description="Publish or decline stories of change, with a reason.",
        url_name="culture:story_queue",
        permission="culture.curate_stories",
        order=110,
        waiting=_stories_waiting,
        waiting_noun=("story", "stories"),
    )
)

register_staff_actions("culture.story_published", role="curator", organisation=NHS_ENGLAND)
# Moderators are never named in public, as in the moderation log.
register_staff_actions("culture.story_hidden", "culture.story_restored", role="moderator")
