"""Reporting content that breaks the house rules, and what moderators decide about it.

Every decision is public: the reason shows where the item was, the author is told, and the
decision goes in the public audit log (which the moderation log reads). Entries name no
person: not the author, not the person who reported it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.accounts.models import Role
from nhs_citizen.core.middleware import invalidate_page_cache
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.moderation.models import (
    Appeal,
    AppealStatus,
    QueueEntry,
    Report,
    ReportReason,
    ReportStatus,
)
from nhs_citizen.moderation.registry import ContentKind, get_kind

VISITOR_REPORTS_PER_HOUR = 10
DETAILS_MAX_LENGTH = 1000
PUBLIC_REASON_MAX_LENGTH = 300  # the shortest hidden_reason of the registered kinds

NOT_FOUND = "We could not find what you are reporting. It may have been removed."


# What can be reported ---------------------------------------------------------------------------
def kind_or_none(kind: str) -> ContentKind | None:
    return get_kind(kind)


def _kind(kind: str) -> ContentKind:
    spec = get_kind(kind)
    if spec is None:
        raise ValidationError(NOT_FOUND)
    return spec


def find_content(kind: str, object_id: int) -> Any | None:
    """The item, or None if the kind or the number is not known."""
    spec = get_kind(kind)
    if spec is None:
        return None
    return spec.queryset().filter(pk=object_id).first()


def is_hidden(item) -> bool:
    return item.hidden_at is not None


def noun(kind: str) -> str:
    return _kind(kind).noun


def author_of(kind: str, item) -> Any:
    return _kind(kind).author(item)


def _describe(kind: str, item) -> str:
    """For messages to the author: "your comment on the flag “…”"."""
    return f"your {_kind(kind).describe(item)}"


def _audit_data(kind: str, item, **extra: Any) -> dict[str, Any]:
    spec = _kind(kind)
    data = {"kind": kind, "object_id": item.pk, "url": spec.url(item), **extra}
    if hasattr(item, "flag_id"):
        data["flag_id"] = item.flag_id
    elif kind == "flag":
        data["flag_id"] = item.pk
    return data


def _what(kind: str, item) -> str:
    """For the public log: "flag 12", "a comment on flag 12". Never the text itself, which
    may be the very thing that broke the rules."""
    return _kind(kind).public_label(item)


def _clean_public_reason(reason: str, missing: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > PUBLIC_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {PUBLIC_REASON_MAX_LENGTH} characters or fewer"}
        )
    return reason


def _lock(kind: str, object_id: int):
    spec = _kind(kind)
    item = spec.queryset().select_for_update(of=("self",)).filter(pk=object_id).first()
    if item is None:
        raise ValidationError(NOT_FOUND)
    return item


def _notify(**kwargs: Any) -> None:
    from nhs_citizen.notifications.services import do_notify

    do_notify(**kwargs)


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# The stored queue ------------------------------------------------------------------------------
def sync_queue(kind: str, object_id: int) -> QueueEntry | None:
    """Bring the item's row in the moderators' queue up to date with its open reports and
    appeal: made when something is waiting, removed when nothing is. Call inside the
    transaction that changed the reports or appeals."""
    reports = Report.objects.open().about(kind, object_id)
    first_report = reports.order_by("created_at").values_list("created_at", flat=True).first()
    appeal = Appeal.objects.open().about(kind, object_id).first()
    if first_report is None and appeal is None:
        QueueEntry.objects.filter(kind=kind, object_id=object_id).delete()
        return None
    waiting_since = min(
        moment for moment in (first_report, appeal.created_at if appeal else None) if moment
    )
    values = {
        "waiting_since": waiting_since,
        "open_reports": reports.count(),
        "appeal": appeal,
        "hidden_by_id": appeal.hidden_by_id if appeal else None,
        "assigned_to_id": appeal.assigned_to_id if appeal else None,
    }
    try:
        with transaction.atomic():
            entry, _ = QueueEntry.objects.update_or_create(
                kind=kind, object_id=object_id, defaults=values
            )
    except IntegrityError:
        # Someone else's report about the same item made the row a moment ago.
        entry, _ = QueueEntry.objects.update_or_create(
            kind=kind, object_id=object_id, defaults=values
        )
    return entry


# Reporting -------------------------------------------------------------------------------------
def _rate_key(ip: str | None) -> str:
    # Only a hash of the address, and only for an hour.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ip or 'unknown'}".encode()).hexdigest()
    return f"moderation:visitor-reports:{digest}"


def _count_visitor_report(ip: str | None) -> None:
    key = _rate_key(ip)
    cache.add(key, 0, timeout=60 * 60)
    try:
        cache.incr(key)
    except ValueError:  # the hour ran out in between
        cache.set(key, 1, timeout=60 * 60)


OWN_CONTENT = (
    "You cannot report something you wrote yourself. If you want to change it, or take it "
    "down, go back to it instead."
)


def is_own(user, kind: str, item) -> bool:
    spec = _kind(kind)
    return bool(
        user is not None
        and user.is_authenticated
        and spec.author_id(item) is not None
        and spec.author_id(item) == user.pk
    )


def check_report(
    *, reporter, kind: str, object_id: int, reason: str, details: str = "", ip: str | None = None
) -> Report:
    """Anyone can report something they think breaks the house rules, except its author.
    People who are not signed in are limited to a few reports an hour from one internet
    connection."""
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    spec = get_kind(kind)
    item = find_content(kind, object_id)
    anonymous = reporter or AnonymousUser()
    if spec is None or item is None or not spec.visible_to(anonymous, item):
        raise ValidationError(NOT_FOUND)
    if is_own(reporter, kind, item):
        raise ValidationError(OWN_CONTENT)
    if reason not in ReportReason.values:
        raise ValidationError({"reason": "Select why you are reporting this"})
    details = (details or "").strip()
    if reason == ReportReason.OTHER and not details:
        raise ValidationError({"details": "Enter what is wrong with it"})
    if len(details) > DETAILS_MAX_LENGTH:
        raise ValidationError(
            {"details": f"What is wrong with it must be {DETAILS_MAX_LENGTH:,} characters or fewer"}
        )
    if is_hidden(item):
        raise ValidationError(
            f"A moderator has already hidden this {spec.noun}. You do not need to report it."
        )
    if spec.hidden_by_parent(item) is not None:
        raise ValidationError(
            f"A moderator has already hidden {spec.place} this {spec.noun} is on. "
            "You do not need to report it."
        )
    already = (
        "You have already reported this. A moderator will check it soon. "
        "We will tell you what they decide."
    )
    if reporter is not None:
        if Report.objects.open().about(kind, item.pk).filter(reporter=reporter).exists():
            raise ValidationError(already)
    elif cache.get(_rate_key(ip), 0) >= VISITOR_REPORTS_PER_HOUR:
        raise ValidationError(
            f"Only {VISITOR_REPORTS_PER_HOUR} reports an hour can be sent from one internet "
            "connection without signing in. Wait an hour and try again, or sign in to report it."
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind, object_id=item.pk, reporter=reporter, reason=reason, details=details
            )
            sync_queue(kind, item.pk)
            record_audit_entry(
                actor=reporter,
                action="moderation.reported",
                summary=(
                    f"Reported {_what(kind, item)}"
                    if reporter
                    else f"A visitor reported {_what(kind, item)}"
                ),
                target=report,
                # The details stay out of the log: they may hold personal information.
                data=_audit_data(kind, item, reason=reason),
            )
    except IntegrityError as error:
        raise ValidationError(already) from error
    if reporter is None:
        _count_visitor_report(ip)
    return report


# Deciding --------------------------------------------------------------------------------------
def _tell_reporters(reports: list[Report], *, kind: str, item, hidden: bool, reason: str) -> None:
    """Tell each signed-in person who reported it what was decided."""
    spec = _kind(kind)
    author_id = spec.author_id(item)
    reporter_ids = {r.reporter_id for r in reports if r.reporter_id and r.reporter_id != author_id}
    if not reporter_ids:
        return
    what = f"the {spec.describe(item)}"
    if hidden:
        subject = f"We hid the {spec.noun} you reported"
        body = f"Thank you for reporting {what}. A moderator has hidden it, because: {reason}"
    else:
        subject = f"We checked the {spec.noun} you reported"
        body = (
            f"Thank you for reporting {what}. A moderator checked it against the house rules "
            f"and left it in place, because: {reason}"
        )
    link = spec.url(item)
    for user in get_user_model().objects.filter(pk__in=reporter_ids):
        _notify(user=user, subject=subject, body=body, link=link)


def _tell_author(spec: ContentKind, item, *, subject: str, body: str) -> None:
    author = spec.author(item)
    if author is not None:
        _notify(user=author, subject=subject, body=body, link=spec.url(item))


def check_hide(*, moderator, kind: str, object_id: int, reason: str):
    """Hide an item of any registered kind. The reason is shown to everyone in its place."""
    spec = _kind(kind)
    reason = _clean_public_reason(reason, "Enter why you are hiding it. Everyone will see this")
    now = timezone.now()
    with transaction.atomic():
        item = _lock(kind, object_id)
        if is_hidden(item):
            raise ValidationError(f"This {spec.noun} has already been hidden.")
        if (cannot := spec.can_hide(item)) is not None:
            raise ValidationError(cannot)
        item.hidden_at = now
        item.hidden_reason = reason
        item.save(update_fields=["hidden_at", "hidden_reason"])
        # Visitors who are not signed in must not go on seeing it in a cached page.
        transaction.on_commit(invalidate_page_cache)
        spec.after_change(item)
        reports = list(Report.objects.open().about(kind, item.pk))
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(
            status=ReportStatus.UPHELD, handled_by=moderator, handled_at=now, decision_reason=reason
        )
        sync_queue(kind, item.pk)
        record_audit_entry(
            actor=moderator,
            action="moderation.hidden",
            summary=f"Hid {_what(kind, item)}",
            target=item,
            reason=reason,
            data=_audit_data(kind, item, reports_upheld=len(reports)),
            public=True,
        )
        appeal_note = (
            "If you think the moderator got this wrong, you can ask for the decision to be "
            "looked at again. This is called an appeal. A different moderator will check it. "
            f"To appeal, go to {_site_url(reverse('moderation:appeal', args=[kind, item.pk]))}"
        )
        _tell_author(
            spec,
            item,
            subject=f"A moderator hid your {spec.noun}",
            body=(
                f"A moderator hid {_describe(kind, item)}, because: {reason}\n\n"
                f"Everyone can see this reason in place of your {spec.noun}.\n\n{appeal_note}"
            ),
        )
        _tell_reporters(reports, kind=kind, item=item, hidden=True, reason=reason)
    return item


def _refuse_if_hid_it(moderator, appeal: Appeal | None) -> None:
    if (
        appeal is not None
        and appeal.hidden_by_id is not None
        and appeal.hidden_by_id == moderator.pk
    ):
        raise ValidationError(
            "You hid this, so someone else must decide the appeal. It has been sent to "
            "a different moderator."
        )


def check_restore(*, moderator, kind: str, object_id: int, reason: str):
    """Put back something that was hidden, for example after an appeal. When the author has
    appealed, only someone other than the moderator who hid it may decide."""
    spec = _kind(kind)
    reason = _clean_public_reason(reason, "Enter why you are putting it back")
    now = timezone.now()
    with transaction.atomic():
        item = _lock(kind, object_id)
        if not is_hidden(item):
            raise ValidationError(
                f"This {spec.noun} is not hidden, so there is nothing to put back."
            )
        if (cannot := spec.can_hide(item)) is not None:
            raise ValidationError(cannot)
        open_appeal = Appeal.objects.select_for_update().open().about(kind, item.pk).first()
        _refuse_if_hid_it(moderator, open_appeal)
        item.hidden_at = None
        item.hidden_reason = ""
        item.save(update_fields=["hidden_at", "hidden_reason"])
        transaction.on_commit(invalidate_page_cache)
        spec.after_change(item)
        appeals = (
            Appeal.objects.open()
            .about(kind, item.pk)
            .update(
                status=AppealStatus.UPHELD,
                handled_by=moderator,
                handled_at=now,
                decision_reason=reason,
            )
        )
        sync_queue(kind, item.pk)
        record_audit_entry(
            actor=moderator,
            action="moderation.restored",
            summary=f"Put back {_what(kind, item)}",
            target=item,
            reason=reason,
            data=_audit_data(kind, item, after_appeal=bool(appeals)),
            public=True,
        )
        _tell_author(
            spec,
            item,
            subject=f"A moderator put your {spec.noun} back",
            body=(
                f"A moderator has put back {_describe(kind, item)}. Everyone can see it again. "
                f"The reason they gave: {reason}"
            ),
        )
    return item


def _dismiss(*, moderator, kind: str, item, reports: list[Report], reason: str) -> int:
    now = timezone.now()
    dismissed = Report.objects.filter(
        pk__in=[r.pk for r in reports], status=ReportStatus.OPEN
    ).update(
        status=ReportStatus.DISMISSED, handled_by=moderator, handled_at=now, decision_reason=reason
    )
    if not dismissed:
        raise ValidationError("These reports have already been dealt with.")
    sync_queue(kind, item.pk)
    record_audit_entry(
        actor=moderator,
        action="moderation.dismissed",
        summary=(
            f"Left {_what(kind, item)} in place after checking "
            f"{dismissed} {'report' if dismissed == 1 else 'reports'}"
        ),
        target=item,
        reason=reason,
        # Who reported it stays private: only how many reports there were.
        data=_audit_data(kind, item, reports_dismissed=dismissed),
        public=True,
    )
    _tell_reporters(reports, kind=kind, item=item, hidden=False, reason=reason)
    return dismissed


def check_dismiss(*, moderator, report: Report, reason: str) -> Report:
    """Decide that one report does not show a broken rule. The item stays as it is."""
    reason = _clean_public_reason(reason, "Enter why you are leaving it in place")
    with transaction.atomic():
        item = _lock(report.kind, report.object_id)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.OPEN:
            raise ValidationError("This report has already been dealt with.")
        _dismiss(moderator=moderator, kind=report.kind, item=item, reports=[report], reason=reason)
        report.refresh_from_db()
    return report


def check_dismiss_reports(*, moderator, kind: str, object_id: int, reason: str) -> int:
    """Decide that every open report about an item does not show a broken rule."""
    spec = _kind(kind)
    reason = _clean_public_reason(reason, "Enter why you are leaving it in place")
    with transaction.atomic():
        item = _lock(kind, object_id)
        reports = list(Report.objects.open().about(kind, item.pk))
        if not reports:
            raise ValidationError(f"There are no reports about this {spec.noun} waiting.")
        return _dismiss(moderator=moderator, kind=kind, item=item, reports=reports, reason=reason)


# Appeals ---------------------------------------------------------------------------------------
# Before the registry, stories were hidden under their own action name.
_HIDDEN_ACTIONS = ("moderation.hidden", "culture.story_hidden")


def hidden_by_id(kind: str, object_id: int) -> int | None:
    """Who hid the item most recently, from the audit log."""
    spec = get_kind(kind)
    if spec is None:
        return None
    entry = (
        AuditEntry.objects.filter(
            action__in=_HIDDEN_ACTIONS,
            target_type=spec.model_class._meta.label_lower,
            target_id=str(object_id),
        )
        .order_by("-sequence")
        .values("actor_id")
        .first()
    )
    return entry["actor_id"] if entry else None


def _people_with_role(role: str, *, leave_out: set[int]):
    return (
        get_user_model()
        .objects.filter(role_assignments__role=role, is_active=True, deleted_at__isnull=True)
        .exclude(pk__in=leave_out)
    )


def choose_appeal_decider(*, hidden_by: int | None, appellant_id: int | None):
    """A different moderator from the one who hid it: the one with the fewest appeals waiting
    for them, then the longest-standing. When there is no other moderator, an administrator
    (chosen the same way). None only when nobody at all is left to decide."""
    leave_out = {pk for pk in (hidden_by, appellant_id) if pk is not None}
    for role in (Role.MODERATOR, Role.ADMINISTRATOR):
        person = (
            _people_with_role(role, leave_out=leave_out)
            .annotate(
                waiting=Count(
                    "moderation_appeals_to_decide",
                    filter=Q(moderation_appeals_to_decide__status=AppealStatus.OPEN),
                )
            )
            .order_by("waiting", "pk")
            .first()
        )
        if person is not None:
            return person
    return None


def may_decide_appeal(user, appeal: Appeal | None) -> bool:
    """Moderators other than the one who hid it may decide; so may the administrator it was
    sent to when there was no other moderator."""
    if appeal is None or not user.is_authenticated:
        return False
    if appeal.hidden_by_id is not None and appeal.hidden_by_id == user.pk:
        return False
    return user.has_role(Role.MODERATOR) or appeal.assigned_to_id == user.pk


def can_appeal(user, kind: str, item) -> bool:
    spec = get_kind(kind)
    return bool(
        spec is not None
        and user.is_authenticated
        and item is not None
        and is_hidden(item)
        and spec.author_id(item) == user.pk
    )


def check_appeal(*, appellant, kind: str, object_id: int, reason: str) -> Appeal:
    """The author asks for the decision to hide their contribution to be looked at again.
    One appeal each time something is hidden. It goes to someone other than the moderator
    who hid it."""
    spec = _kind(kind)
    item = find_content(kind, object_id)
    if item is None:
        raise ValidationError(NOT_FOUND)
    if not can_appeal(appellant, kind, item):
        raise ValidationError(
            f"You can only appeal when a moderator has hidden a {spec.noun} that you wrote."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you think it should be put back"})
    if len(reason) > DETAILS_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Your reason must be {DETAILS_MAX_LENGTH:,} characters or fewer"}
        )
    already = (
        f"You have already appealed against hiding this {spec.noun}. "
        "We will tell you what the moderator decides."
    )
    if Appeal.objects.about(kind, item.pk).filter(created_at__gte=item.hidden_at).exists():
        raise ValidationError(already)
    hider = hidden_by_id(kind, item.pk)
    decider = choose_appeal_decider(hidden_by=hider, appellant_id=appellant.pk)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                kind=kind,
                object_id=item.pk,
                appellant=appellant,
                reason=reason,
                hidden_by_id=hider,
                assigned_to=decider,
            )
            sync_queue(kind, item.pk)
            record_audit_entry(
                actor=appellant,
                action="moderation.appealed",
                summary=f"Appealed against the decision to hide {_what(kind, item)}",
                target=item,
                data=_audit_data(kind, item),
                # Private: in public it would tie the author's name to what was hidden.
                public=False,
            )
            if decider is not None:
                _notify(
                    user=decider,
                    subject="An appeal for you to decide",
                    body=(
                        f"The author of a {spec.noun} that another moderator hid has asked for "
                        "the decision to be looked at again. You have been chosen to decide, "
                        "because you did not hide it."
                    ),
                    link=reverse("moderation:decide", args=[kind, item.pk]),
                )
    except IntegrityError as error:
        raise ValidationError(already) from error
    return appeal


def check_refuse_appeal(*, moderator, appeal: Appeal, reason: str) -> Appeal:
    """Look again and keep the item hidden. Someone other than the moderator who hid it must
    decide, so that every appeal gets a fresh pair of eyes."""
    reason = _clean_public_reason(reason, "Enter why it should stay hidden")
    spec = _kind(appeal.kind)
    with transaction.atomic():
        item = _lock(appeal.kind, appeal.object_id)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        _refuse_if_hid_it(moderator, appeal)
        if appeal.status != AppealStatus.OPEN:
            raise ValidationError("This appeal has already been decided.")
        appeal.status = AppealStatus.REFUSED
        appeal.handled_by = moderator
        appeal.handled_at = timezone.now()
        appeal.decision_reason = reason
        appeal.save(update_fields=["status", "handled_by", "handled_at", "decision_reason"])
        sync_queue(appeal.kind, item.pk)
        record_audit_entry(
            actor=moderator,
            action="moderation.appeal_refused",
            summary=f"Looked again at {_what(appeal.kind, item)} and kept it hidden",
            target=item,
            reason=reason,
            data=_audit_data(appeal.kind, item),
            public=True,
        )
        if appeal.appellant_id:
            _notify(
                user=appeal.appellant,
                subject=f"Your appeal about your {spec.noun}",
                body=(
                    f"Someone other than the moderator who hid it looked again at "
                    f"{_describe(appeal.kind, item)}. They decided it should stay hidden, "
                    f"because: {reason}"
                ),
                link=spec.url(item),
            )
    return appeal


# Your data -------------------------------------------------------------------------------------
def export_for_user(user) -> dict[str, Any]:
    return {
        "reports_you_made": [
            {
                "about": f"{r.kind} {r.object_id}",
                "reason": r.get_reason_display(),
                "details": r.details,
                "made": r.created_at.isoformat(),
                "outcome": r.get_status_display(),
            }
            for r in Report.objects.filter(reporter=user)
        ],
        "appeals_you_made": [
            {
                "about": f"{a.kind} {a.object_id}",
                "reason": a.reason,
                "made": a.created_at.isoformat(),
                "outcome": a.get_status_display(),
            }
            for a in Appeal.objects.filter(appellant=user)
        ],
    }


def forget_user(user) -> None:
    """Reports and appeals stay, so that moderators can still see the history of an item,
    but no longer say who made them."""
    Report.objects.filter(reporter=user).update(reporter=None)
    Appeal.objects.filter(appellant=user).update(appellant=None)
