"""Raising, supporting, following, discussing and curating flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from nhs_citizen.core.counting import cached_count, forget_count
from nhs_citizen.core.markdown import render_markdown
from nhs_citizen.core.models import Icb, Membership, Organisation, Region, Topic
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.gather.models import (
    Comment,
    Evidence,
    Flag,
    FlagStatus,
    Follow,
    Roundup,
    Scope,
    Stance,
    Support,
)
from nhs_citizen.gather.services import similar
from nhs_citizen.gather.services.evidence import check_evidence_file
from nhs_citizen.gather.services.notify import notify_flag_audience


def support_threshold() -> int:
    return settings.NHS_CITIZEN["SUPPORT_THRESHOLD"]


@dataclass
class Place:
    scope: str
    region: Region | None = None
    icb: Icb | None = None
    place_name: str = ""


def check_place(place: Place) -> Place:
    """Make the place consistent, or say what is missing."""
    if place.scope == Scope.NATIONAL:
        return Place(Scope.NATIONAL)
    if place.scope == Scope.REGION:
        if place.region is None:
            raise ValidationError({"region": "Select the NHS region"})
        return Place(Scope.REGION, region=place.region)
    if place.scope == Scope.ICB:
        if place.icb is None:
            raise ValidationError({"icb": "Select the local NHS area"})
        return Place(Scope.ICB, region=place.icb.region, icb=place.icb)
    if place.scope == Scope.LOCAL:
        name = " ".join((place.place_name or "").split())
        if not name:
            raise ValidationError({"place_name": "Enter the name of the town, city or place"})
        icb = place.icb
        return Place(
            Scope.LOCAL, region=icb.region if icb else place.region, icb=icb, place_name=name[:100]
        )
    raise ValidationError({"scope": "Select where this applies"})


def find_similar_flags(title: str, what: str = "", limit: int = 5, exclude: int | None = None):
    """The visible flags closest in meaning to this text, best first. Loads the sentence model:
    for background jobs and commands only (pages read the stored results, see similar.py)."""
    ids = similar.find_similar_to_text(title, what, limit=limit + (1 if exclude else 0))
    return similar.flags_in_order([pk for pk in ids if pk != exclude][:limit])


FOLLOWERS_KEY = "gather:followers:{}"
DUPLICATE_COMMENT_WINDOW = timedelta(minutes=1)


def follower_count(flag: Flag) -> int:
    """How many people follow the flag, counted at most every few minutes (and again after
    anyone starts or stops following it here)."""
    return cached_count(Follow.objects.filter(flag_id=flag.pk), FOLLOWERS_KEY.format(flag.pk))


def _followers_changed(flag_id: int) -> None:
    forget_count(FOLLOWERS_KEY.format(flag_id))


def do_recount_comments(flag_id: int) -> int:
    """Count the flag's comments that are not hidden again (after a moderator hides or puts
    back a comment): one count over one flag's comments."""
    count = Comment.objects.filter(flag_id=flag_id, hidden_at__isnull=True).count()
    Flag.objects.filter(pk=flag_id).update(comment_count=count)
    return count


def check_raise_flag(
    *,
    user,
    title: str,
    what_should_change: str,
    why: str,
    topic: Topic,
    place: Place,
    raised_for: Organisation | None = None,
    evidence_links: list[tuple[str, str]] | None = None,
    evidence_files: list[tuple[str, object]] | None = None,
) -> Flag:
    place = check_place(place)
    if (
        raised_for is not None
        and not Membership.objects.verified().filter(user=user, organisation=raised_for).exists()
    ):
        raise ValidationError(
            {
                "raised_for": "You can only raise a flag for an organisation you have been confirmed to act for"
            }
        )
    checked_files = [(name, check_evidence_file(upload)) for name, upload in (evidence_files or [])]
    now = timezone.now()
    with transaction.atomic():
        flag = Flag.objects.create(
            title=title.strip(),
            what_should_change=what_should_change.strip(),
            why=why.strip(),
            topic=topic,
            scope=place.scope,
            region=place.region,
            icb=place.icb,
            place_name=place.place_name,
            raised_by=user,
            raised_for=raised_for,
            created_at=now,
            last_activity_at=now,
        )
        # The person who raises a flag supports and follows it.
        Support.objects.create(flag=flag, user=user)
        Follow.objects.create(flag=flag, user=user)
        Flag.objects.filter(pk=flag.pk).update(support_count=1)
        flag.support_count = 1
        for link_title, url in evidence_links or []:
            Evidence.objects.create(flag=flag, added_by=user, title=link_title or url, url=url)
        for file_title, checked in checked_files:
            _save_evidence_file(flag, user, file_title, checked)
        record_audit_entry(
            actor=user,
            action="gather.flag_raised",
            summary=f"Raised the flag “{flag.title}”"
            + (f" for {raised_for.name}" if raised_for else ""),
            target=flag,
            public=True,
        )
        # Embedding the text and finding similar flags is a background job.
        similar.queue_similar_flags(flag.pk)
    _followers_changed(flag.pk)
    _move_to_review_if_threshold_reached(flag.pk)
    return flag


def _save_evidence_file(flag: Flag, user, title: str, checked) -> Evidence:
    evidence = Evidence(
        flag=flag,
        added_by=user,
        title=title or checked.original_name,
        file_type=checked.mime,
        file_size=checked.size,
    )
    evidence.file.save(checked.safe_name, checked.upload, save=False)
    evidence.save()
    return evidence


def _touch(flag_id: int) -> None:
    Flag.objects.filter(pk=flag_id).update(last_activity_at=timezone.now())


def _move_to_review_if_threshold_reached(flag_id: int) -> bool:
    """Move an open flag to review the first time its support reaches the threshold.
    A conditional update, so that however many supports arrive at once, it happens once."""
    now = timezone.now()
    with transaction.atomic():
        moved = Flag.objects.filter(
            pk=flag_id,
            status=FlagStatus.OPEN,
            support_count__gte=support_threshold(),
            threshold_reached_at__isnull=True,
        ).update(status=FlagStatus.IN_REVIEW, threshold_reached_at=now, last_activity_at=now)
        if not moved:
            return False
        flag = Flag.objects.get(pk=flag_id)
        record_audit_entry(
            actor=None,
            action="gather.flag_reached_threshold",
            summary=f"“{flag.title}” reached {support_threshold()} supporters and went to the review panel",
            target=flag,
            public=True,
        )
        notify_flag_audience(
            flag,
            "A flag you support is being reviewed",
            f"“{flag.title}” has reached {support_threshold()} supporters. The independent review panel "
            "will now decide what happens next, and will publish its reasons.",
        )
    return True


def _check_can_take_part(flag: Flag) -> None:
    if flag.status == FlagStatus.MERGED:
        raise ValidationError(
            "This flag has been merged into another one. Support that one instead."
        )
    if flag.is_hidden:
        raise ValidationError("This flag has been hidden by a moderator.")


def do_support_flag(*, user, flag: Flag) -> bool:
    """Add one support. Returns False (and changes nothing) if the person already supports it."""
    _check_can_take_part(flag)
    try:
        with transaction.atomic():
            Support.objects.create(flag=flag, user=user)
            Flag.objects.filter(pk=flag.pk).update(
                support_count=F("support_count") + 1, last_activity_at=timezone.now()
            )
            Follow.objects.get_or_create(flag=flag, user=user)
    except IntegrityError:
        return False
    _followers_changed(flag.pk)
    _move_to_review_if_threshold_reached(flag.pk)
    return True


def do_withdraw_support(*, user, flag: Flag) -> bool:
    if flag.raised_by_id == user.pk:
        raise ValidationError("You raised this flag, so your support stays with it.")
    with transaction.atomic():
        deleted, _ = Support.objects.filter(flag=flag, user=user).delete()
        if deleted:
            Flag.objects.filter(pk=flag.pk, support_count__gt=0).update(
                support_count=F("support_count") - 1
            )
    return bool(deleted)


def do_follow_flag(*, user, flag: Flag) -> bool:
    _, created = Follow.objects.get_or_create(flag=flag, user=user)
    if created:
        _followers_changed(flag.pk)
    return created


def do_unfollow_flag(*, user, flag: Flag) -> bool:
    deleted, _ = Follow.objects.filter(flag=flag, user=user).delete()
    if deleted:
        _followers_changed(flag.pk)
    return bool(deleted)


def check_add_comment(
    *, user, flag: Flag, body: str, stance: str = Stance.COMMENT, parent: Comment | None = None
) -> Comment:
    _check_can_take_part(flag)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter your comment"})
    if len(body) > 5000:
        raise ValidationError({"body": "Your comment must be 5,000 characters or fewer"})
    if stance not in Stance.values:
        raise ValidationError({"stance": "Select what kind of comment this is"})
    if parent is not None:
        if parent.flag_id != flag.pk:
            raise ValidationError("You can only reply to a comment on the same flag.")
        if parent.parent_id is not None:
            parent = (
                parent.parent
            )  # replies are one level deep: a reply to a reply joins the thread
    with transaction.atomic():
        # The same words from the same person on the same flag within a minute are a double
        # click or a resend, not a second comment.
        if Comment.objects.filter(
            flag=flag,
            author=user,
            body=body,
            created_at__gte=timezone.now() - DUPLICATE_COMMENT_WINDOW,
        ).exists():
            raise ValidationError(
                {"body": "You posted exactly this comment a moment ago. It is already on the flag"}
            )
        comment = Comment.objects.create(
            flag=flag,
            author=user,
            parent=parent,
            stance=stance,
            body=body,
            body_html=render_markdown(body),
        )
        Flag.objects.filter(pk=flag.pk).update(
            comment_count=F("comment_count") + 1, last_activity_at=timezone.now()
        )
        _, following = Follow.objects.get_or_create(flag=flag, user=user)
    if following:
        _followers_changed(flag.pk)
    return comment


def check_add_evidence(*, user, flag: Flag, title: str, url: str = "", upload=None) -> Evidence:
    _check_can_take_part(flag)
    title = (title or "").strip()
    if not url and upload is None:
        raise ValidationError("Add a link or choose a file")
    if url and upload is not None:
        raise ValidationError("Add a link or a file, not both")
    checked = check_evidence_file(upload) if upload is not None else None
    with transaction.atomic():
        if checked:
            evidence = _save_evidence_file(flag, user, title, checked)
        else:
            evidence = Evidence.objects.create(
                flag=flag, added_by=user, title=title or url, url=url
            )
        _touch(flag.pk)
    return evidence


def check_put_forward(*, curator, flag: Flag, reason: str) -> Flag:
    """A curator sends a flag to review before it reaches the threshold."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why this flag should be reviewed now"})
    now = timezone.now()
    with transaction.atomic():
        moved = Flag.objects.filter(pk=flag.pk, status=FlagStatus.OPEN).update(
            status=FlagStatus.IN_REVIEW, put_forward_by=curator, last_activity_at=now
        )
        if not moved:
            raise ValidationError(
                "Only a flag that is gathering support can be put forward for review."
            )
        flag.refresh_from_db()
        record_audit_entry(
            actor=curator,
            action="gather.flag_put_forward",
            summary=f"Put “{flag.title}” forward to the review panel",
            target=flag,
            reason=reason.strip(),
            public=True,
        )
        notify_flag_audience(
            flag,
            "A flag you support is being reviewed",
            f"A curator has put “{flag.title}” forward to the review panel. Their reason: {reason.strip()}",
        )
    return flag


def check_merge_flags(*, curator, source: Flag, target: Flag, reason: str) -> Flag:
    """Merge a duplicate (source) into target: supporters and followers carried over once each,
    discussion and evidence kept, the old address redirects to the target."""
    if source.pk == target.pk:
        raise ValidationError({"target": "Choose a different flag to merge into"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why these flags are the same"})
    with transaction.atomic():
        source = Flag.objects.select_for_update().get(pk=source.pk)
        target = Flag.objects.select_for_update().get(pk=target.pk)
        if source.status == FlagStatus.MERGED:
            raise ValidationError("This flag has already been merged.")
        if target.status == FlagStatus.MERGED:
            raise ValidationError(
                {"target": "That flag has itself been merged. Choose the flag it was merged into"}
            )
        target_supporters = set(
            Support.objects.filter(flag=target).values_list("user_id", flat=True)
        )
        Support.objects.filter(flag=source, user_id__in=target_supporters).delete()
        Support.objects.filter(flag=source).update(flag=target)
        target_followers = set(Follow.objects.filter(flag=target).values_list("user_id", flat=True))
        Follow.objects.filter(flag=source, user_id__in=target_followers).delete()
        Follow.objects.filter(flag=source).update(flag=target)
        Comment.objects.filter(flag=source).update(flag=target)
        Evidence.objects.filter(flag=source).update(flag=target)
        # Supports a community helper recorded for people who are offline move too, once each.
        from nhs_citizen.assisted.services import move_on_behalf_supports

        on_behalf = move_on_behalf_supports(source=source, target=target)
        count = Support.objects.filter(flag=target).count() + on_behalf
        comments = Comment.objects.filter(flag=target, hidden_at__isnull=True).count()
        Flag.objects.filter(pk=target.pk).update(
            support_count=count, comment_count=comments, last_activity_at=timezone.now()
        )
        Flag.objects.filter(pk=source.pk).update(
            status=FlagStatus.MERGED, merged_into=target, support_count=0, comment_count=0
        )
        # The merged flag leaves every "similar flags" list (a background job).
        similar.queue_visibility_changed(source.pk)
        record_audit_entry(
            actor=curator,
            action="gather.flags_merged",
            summary=f"Merged “{source.title}” into “{target.title}”",
            target=target,
            reason=reason.strip(),
            data={"merged_flag_id": source.pk, "into_flag_id": target.pk},
            public=True,
        )
        target.refresh_from_db()
        notify_flag_audience(
            target,
            "Two flags you care about are now one",
            f"A curator found that “{source.title}” was about the same thing as “{target.title}”, so they "
            f"are now one flag. Your support and the discussion have moved with it. Their reason: {reason.strip()}",
        )
    _followers_changed(source.pk)
    _followers_changed(target.pk)
    _move_to_review_if_threshold_reached(target.pk)
    return target


def check_write_roundup(
    *,
    curator,
    flag: Flag,
    change_needed: str,
    action: str,
    who_should_act: str,
    organisation: Organisation | None = None,
) -> Roundup:
    errors = {}
    if not change_needed.strip():
        errors["change_needed"] = "Enter the change needed"
    if not action.strip():
        errors["action"] = "Enter the action"
    if not who_should_act.strip() and organisation is None:
        errors["who_should_act"] = "Enter who should act"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        roundup, created = Roundup.objects.update_or_create(
            flag=flag,
            defaults={
                "change_needed": change_needed.strip(),
                "action": action.strip(),
                "who_should_act": who_should_act.strip() or organisation.name,
                "organisation": organisation,
                "written_by": curator,
                "updated_at": timezone.now(),
            },
        )
        _touch(flag.pk)
        record_audit_entry(
            actor=curator,
            action="gather.roundup_written" if created else "gather.roundup_updated",
            summary=("Wrote" if created else "Updated") + f" the roundup of “{flag.title}”",
            target=flag,
            public=True,
        )
    return roundup
