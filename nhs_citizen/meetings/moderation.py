"""Remote participants' posts to an agenda item's thread, as a content kind for moderation."""

from __future__ import annotations

from nhs_citizen.moderation.registry import ContentKind, register_content_kind


def _url(post) -> str:
    return f"{post.item.get_absolute_url()}#post-{post.pk}"


REMOTE_POST = ContentKind(
    kind="remote_post",
    model="meetings.RemotePost",
    noun="post",
    author_field="author",
    describe=lambda post: f"post on “{post.item.title}” at the Assembly Meeting",
    # Never the text itself, which may be the very thing that broke the rules.
    public_label=lambda post: f"a post on the Assembly Meeting item “{post.item.title}”",
    url=_url,
    parts=lambda post: [("Post", post.body)],
    context=lambda post: [("On the agenda item", post.item.title)],
    placeholder="This post was hidden by a moderator",
    place="the thread",
    related=("item__meeting__cycle",),
)


def register() -> None:
    register_content_kind(REMOTE_POST)
