"""Stories of change as a content kind for the moderation app."""

from __future__ import annotations

from nhs_citizen.culture.models import StoryStatus
from nhs_citizen.moderation.registry import ContentKind, register_content_kind


def _can_hide(story) -> str | None:
    if story.status != StoryStatus.PUBLISHED:
        return "Only a published story can be hidden."
    return None


STORY = ContentKind(
    kind="story",
    model="culture.Story",
    noun="story",
    author_field="author",
    author_label="Told by",
    describe=lambda story: f"story “{story.title}”",
    # The title stays out of the log: it may be the very thing that broke the rules.
    public_label=lambda story: f"story of change {story.pk}",
    url=lambda story: story.get_absolute_url(),
    parts=lambda story: [("Story", story.body), ("Title", story.title)],
    placeholder="This story has been hidden",
    place="the story",
    # A story waiting for a curator, or not published, is nobody else's business.
    visible_to=lambda user, story: user.has_perm("culture.view_story", story),
    can_hide=_can_hide,
)


def register() -> None:
    register_content_kind(STORY)
