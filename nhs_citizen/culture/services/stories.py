"""Stories of change: telling one, a curator publishing it or saying why not, a moderator
hiding it, and what happens to them in "Your data" and when an account is deleted.

Audit entries name no person and, until a story is published, not its title either."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nhs_citizen.core.models import Organisation
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.culture.models import Story, StoryStatus, Teller

REASON_MAX_LENGTH = 300  # decision_reason and hidden_reason


def _notify(**kwargs: Any) -> None:
    from nhs_citizen.notifications.services import do_notify

    do_notify(**kwargs)


def _clean_reason(reason: str, missing: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
        )
    return reason


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update().select_related("author").get(pk=story.pk)


# Telling a story -------------------------------------------------------------------------------
def check_tell_story(
    *, author, title: str, body: str, teller: str, organisation: Organisation | None = None
) -> Story:
    """Anyone signed in can tell a story. A curator checks it before anyone else sees it."""
    if not getattr(author, "is_authenticated", False) or author.deleted_at:
        raise ValidationError("Sign in to tell your story.")
    title = " ".join((title or "").split())
    body = (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter a title for your story"
    elif len(title) > 150:
        errors["title"] = "The title must be 150 characters or fewer"
    if not body:
        errors["body"] = "Enter your story"
    elif len(body) > 5000:
        errors["body"] = "Your story must be 5,000 characters or fewer"
    if teller not in Teller.values:
        errors["teller"] = "Select who you are"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        story = Story.objects.create(
            title=title, body=body, teller=teller, organisation=organisation, author=author
        )
        record_audit_entry(
            actor=author,
            action="culture.story_told",
            summary="Sent a story of change for a curator to check",
            target=story,
            data={
                "story_id": story.pk,
                "organisation_id": organisation.pk if organisation else None,
            },
        )
    return story


# Curators decide -------------------------------------------------------------------------------
def _check_can_decide(curator, story: Story) -> None:
    if story.status != StoryStatus.WAITING:
        raise ValidationError("A curator has already decided about this story.")
    if story.author_id == curator.pk:
        raise ValidationError("You cannot decide about your own story. Another curator will.")


def check_publish_story(*, curator, story: Story, reason: str = "") -> Story:
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}
        )
    with transaction.atomic():
        story = _lock(story)
        _check_can_decide(curator, story)
        story.status = StoryStatus.PUBLISHED
        story.published_at = timezone.now()
        story.decided_by = curator
        story.decision_reason = reason
        story.save(update_fields=["status", "published_at", "decided_by", "decision_reason"])
        record_audit_entry(
            actor=curator,
            action="culture.story_published",
            # Not the title: if the story is hidden later, the log must not keep showing it.
            summary=f"Published story of change {story.pk}",
            target=story,
            reason=reason,
            data={"story_id": story.pk, "organisation_id": story.organisation_id},
            public=True,
        )
        _notify(
            user=story.author,
            subject="Your story of change is published",
            body=(
                f"Thank you for telling your story “{story.title}”. A curator has checked it "
                "and it is now on NHS Citizen for everyone to read."
            ),
            link=story.get_absolute_url(),
        )
    return story


def check_decline_story(*, curator, story: Story, reason: str) -> Story:
    """The story is not published; its teller is told why. The story itself stays private."""
    reason = _clean_reason(reason, "Enter why the story cannot be published, so the person knows")
    with transaction.atomic():
        story = _lock(story)
        _check_can_decide(curator, story)
        story.status = StoryStatus.NOT_PUBLISHED
        story.decided_by = curator
        story.decision_reason = reason
        story.save(update_fields=["status", "decided_by", "decision_reason"])
        record_audit_entry(
            actor=curator,
            action="culture.story_not_published",
            summary=f"Did not publish story of change {story.pk}",
            target=story,
            reason=reason,
            data={"story_id": story.pk},
        )
        _notify(
            user=story.author,
            subject="We could not publish your story",
            body=(
                f"Thank you for telling your story “{story.title}”. A curator checked it "
                f"against the house rules and could not publish it, because: {reason}"
            ),
            link=story.get_absolute_url(),
        )
    return story


# Moderators hide and put back stories through the moderation app: see culture/moderation.py.


# Your data, and deleting an account ------------------------------------------------------------
def export_for_user(user) -> list[dict[str, Any]]:
    return [
        {
            "id": story.pk,
            "title": story.title,
            "story": story.body,
            "who_you_are": story.get_teller_display(),
            "organisation": story.organisation.name if story.organisation_id else None,
            "told": story.created_at.isoformat(),
            "status": story.get_status_display(),
            "published": story.published_at.isoformat() if story.published_at else None,
            "curator_reason": story.decision_reason,
            "hidden_by_a_moderator": story.hidden_at.isoformat() if story.hidden_at else None,
            "hidden_reason": story.hidden_reason,
        }
        for story in Story.objects.filter(author=user)
        .select_related("organisation")
        .order_by("created_at", "pk")
    ]


def forget_user(user) -> None:
    """Published stories stay, as told by a "Former member": they are part of the public
    record. Stories nobody else has seen (waiting for a curator, or not published) go."""
    Story.objects.filter(author=user).exclude(status=StoryStatus.PUBLISHED).delete()
