"""Reporting content that breaks the house rules, and what moderators decide about it.

Every decision is public: the reason shows where the item was, the author is told, and the
decision goes in the public audit log (which the moderation log reads). Entries name no
person: not the author, not the person who reported it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.middleware import invalidate_page_cache
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.core.services.audit import record_audit_entry
from nhs_citizen.moderation.models import (
    Appeal,
    AppealStatus,
    ContentKind,
    Report,
    ReportReason,
    ReportStatus,
)

VISITOR_REPORTS_PER_HOUR = 10
DETAILS_MAX_LENGTH = 1000
PUBLIC_REASON_MAX_LENGTH = 300  # the length of hidden_reason on flags, comments and evidence

NOT_FOUND = "We could not find what you are reporting. It may have been removed."


# What can be reported ------------------------------------------------------------------------
@dataclass(frozen=True)
class KindInfo:
    model_name: str
    author_field: str
    noun: str  # "a comment", as in "Hid a comment"


KINDS: dict[str, KindInfo] = {
    ContentKind.FLAG: KindInfo("Flag", "raised_by", "flag"),
    ContentKind.COMMENT: KindInfo("Comment", "author", "comment"),
    ContentKind.EVIDENCE: KindInfo("Evidence", "added_by", "piece of evidence"),
}


def content_model(kind: str) -> type[models.Model] | None:
    from nhs_citizen.gather import models as gather_models

    info = KINDS.get(kind)
    return getattr(gather_models, info.model_name) if info else None


def find_content(kind: str, object_id: int) -> Any | None:
    """The flag, comment or evidence, or None if the kind or the number is not known."""
    model = content_model(kind)
    if model is None:
        return None
    queryset = model.objects.all()
    if kind != ContentKind.FLAG:
        queryset = queryset.select_related("flag")
    return queryset.filter(pk=object_id).first()


def is_hidden(item) -> bool:
    return item.hidden_at is not None


def noun(kind: str) -> str:
    return KINDS[kind].noun


def author_of(kind: str, item) -> Any:
    return getattr(item, KINDS[kind].author_field)


def flag_id_of(kind: str, item) -> int:
    return item.pk if kind == ContentKind.FLAG else item.flag_id


def item_url(kind: str, object_id: int, flag_id: int) -> str:
    """Where the item is shown: the flag's page, at the comment or evidence."""
    url = reverse("gather:flag_detail", args=[flag_id])
    if kind == ContentKind.FLAG:
        return url
    return f"{url}#{kind}-{object_id}"


def _describe(kind: str, item) -> str:
    """For messages to the author: "your comment on the flag “…”"."""
    if kind == ContentKind.FLAG:
        return f"your flag “{item.title}”"
    return f"your {noun(kind)} on the flag “{item.flag.title}”"


def _audit_data(kind: str, item, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "object_id": item.pk, "flag_id": flag_id_of(kind, item), **extra}


def _what(kind: str, item) -> str:
    """For the public log: "flag 12", "a comment on flag 12". Never the text itself, which
    may be the very thing that broke the rules."""
    if kind == ContentKind.FLAG:
        return f"flag {item.pk}"
    return f"a {noun(kind)} on flag {item.flag_id}"


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
    model = content_model(kind)
    if model is None:
        raise ValidationError(NOT_FOUND)
    item = model.objects.select_for_update().filter(pk=object_id).first()
    if item is None:
        raise ValidationError(NOT_FOUND)
    if kind != ContentKind.FLAG:
        item.flag  # noqa: B018 - load the flag now, for the messages below
    return item


def _notify(**kwargs: Any) -> None:
    from nhs_citizen.notifications.services import do_notify

    do_notify(**kwargs)


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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


def check_report(
    *, reporter, kind: str, object_id: int, reason: str, details: str = "", ip: str | None = None
) -> Report:
    """Anyone can report something they think breaks the house rules. People who are not
    signed in are limited to a few reports an hour from one internet connection."""
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    item = find_content(kind, object_id)
    if item is None:
        raise ValidationError(NOT_FOUND)
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
            f"A moderator has already hidden this {noun(kind)}. You do not need to report it."
        )
    if kind != ContentKind.FLAG and is_hidden(item.flag):
        raise ValidationError(
            "A moderator has already hidden the flag this is on. You do not need to report it."
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
    author_id = getattr(item, f"{KINDS[kind].author_field}_id")
    reporter_ids = {r.reporter_id for r in reports if r.reporter_id and r.reporter_id != author_id}
    if not reporter_ids:
        return
    from django.contrib.auth import get_user_model

    if kind == ContentKind.FLAG:
        what = f"the flag “{item.title}”"
    else:
        what = f"a {noun(kind)} on the flag “{item.flag.title}”"
    if hidden:
        subject = f"We hid the {noun(kind)} you reported"
        body = f"Thank you for reporting {what}. A moderator has hidden it, because: {reason}"
    else:
        subject = f"We checked the {noun(kind)} you reported"
        body = (
            f"Thank you for reporting {what}. A moderator checked it against the house rules "
            f"and left it in place, because: {reason}"
        )
    link = item_url(kind, item.pk, flag_id_of(kind, item))
    for user in get_user_model().objects.filter(pk__in=reporter_ids):
        _notify(user=user, subject=subject, body=body, link=link)


def check_hide(*, moderator, kind: str, object_id: int, reason: str):
    """Hide a flag, comment or evidence. The reason is shown to everyone in its place."""
    reason = _clean_public_reason(reason, "Enter why you are hiding it. Everyone will see this")
    now = timezone.now()
    with transaction.atomic():
        item = _lock(kind, object_id)
        if is_hidden(item):
            raise ValidationError(f"This {noun(kind)} has already been hidden.")
        item.hidden_at = now
        item.hidden_reason = reason
        item.save(update_fields=["hidden_at", "hidden_reason"])
        # Visitors who are not signed in must not go on seeing it in a cached page.
        transaction.on_commit(invalidate_page_cache)
        reports = list(Report.objects.open().about(kind, item.pk))
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(
            status=ReportStatus.UPHELD, handled_by=moderator, handled_at=now, decision_reason=reason
        )
        record_audit_entry(
            actor=moderator,
            action="moderation.hidden",
            summary=f"Hid {_what(kind, item)}",
            target=item,
            reason=reason,
            data=_audit_data(kind, item, reports_upheld=len(reports)),
            public=True,
        )
        _notify(
            user=author_of(kind, item),
            subject=f"A moderator hid your {noun(kind)}",
            body=(
                f"A moderator hid {_describe(kind, item)}, because: {reason}\n\n"
                f"Everyone can see this reason in place of your {noun(kind)}.\n\n"
                "If you think the moderator got this wrong, you can ask for the decision to be "
                "looked at again. This is called an appeal. A different moderator will check it. "
                "To appeal, go to "
                f"{_site_url(reverse('moderation:appeal', args=[kind, item.pk]))}"
            ),
            link=item_url(kind, item.pk, flag_id_of(kind, item)),
        )
        _tell_reporters(reports, kind=kind, item=item, hidden=True, reason=reason)
    return item


def check_restore(*, moderator, kind: str, object_id: int, reason: str):
    """Put back something that was hidden, for example after an appeal."""
    reason = _clean_public_reason(reason, "Enter why you are putting it back")
    now = timezone.now()
    with transaction.atomic():
        item = _lock(kind, object_id)
        if not is_hidden(item):
            raise ValidationError(
                f"This {noun(kind)} is not hidden, so there is nothing to put back."
            )
        item.hidden_at = None
        item.hidden_reason = ""
        item.save(update_fields=["hidden_at", "hidden_reason"])
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
        record_audit_entry(
            actor=moderator,
            action="moderation.restored",
            summary=f"Put back {_what(kind, item)}",
            target=item,
            reason=reason,
            data=_audit_data(kind, item, after_appeal=bool(appeals)),
            public=True,
        )
        _notify(
            user=author_of(kind, item),
            subject=f"A moderator put your {noun(kind)} back",
            body=(
                f"A moderator has put back {_describe(kind, item)}. Everyone can see it again. "
                f"The reason they gave: {reason}"
            ),
            link=item_url(kind, item.pk, flag_id_of(kind, item)),
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
    reason = _clean_public_reason(reason, "Enter why you are leaving it in place")
    with transaction.atomic():
        item = _lock(kind, object_id)
        reports = list(Report.objects.open().about(kind, item.pk))
        if not reports:
            raise ValidationError(f"There are no reports about this {noun(kind)} waiting.")
        return _dismiss(moderator=moderator, kind=kind, item=item, reports=reports, reason=reason)


# Appeals ---------------------------------------------------------------------------------------
def hidden_by_id(kind: str, object_id: int) -> int | None:
    """Who hid the item most recently, from the audit log."""
    model = content_model(kind)
    entry = (
        AuditEntry.objects.filter(
            action="moderation.hidden",
            target_type=model._meta.label_lower,
            target_id=str(object_id),
        )
        .order_by("-sequence")
        .values("actor_id", "created_at")
        .first()
    )
    return entry["actor_id"] if entry else None


def can_appeal(user, kind: str, item) -> bool:
    return bool(
        user.is_authenticated
        and item is not None
        and is_hidden(item)
        and getattr(item, f"{KINDS[kind].author_field}_id") == user.pk
    )


def check_appeal(*, appellant, kind: str, object_id: int, reason: str) -> Appeal:
    """The author asks for the decision to hide their contribution to be looked at again.
    One appeal each time something is hidden."""
    item = find_content(kind, object_id)
    if item is None:
        raise ValidationError(NOT_FOUND)
    if not can_appeal(appellant, kind, item):
        raise ValidationError(
            f"You can only appeal when a moderator has hidden a {noun(kind)} that you wrote."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you think it should be put back"})
    if len(reason) > DETAILS_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Your reason must be {DETAILS_MAX_LENGTH:,} characters or fewer"}
        )
    already = (
        f"You have already appealed against hiding this {noun(kind)}. "
        "We will tell you what the moderator decides."
    )
    if Appeal.objects.about(kind, item.pk).filter(created_at__gte=item.hidden_at).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                kind=kind, object_id=item.pk, appellant=appellant, reason=reason
            )
            record_audit_entry(
                actor=appellant,
                action="moderation.appealed",
                summary=f"Appealed against the decision to hide {_what(kind, item)}",
                target=item,
                data=_audit_data(kind, item),
                # Private: in public it would tie the author's name to what was hidden.
                public=False,
            )
    except IntegrityError as error:
        raise ValidationError(already) from error
    return appeal


def check_refuse_appeal(*, moderator, appeal: Appeal, reason: str) -> Appeal:
    """Look again and keep the item hidden. Someone other than the moderator who hid it must
    decide, so that every appeal gets a fresh pair of eyes."""
    reason = _clean_public_reason(reason, "Enter why it should stay hidden")
    if hidden_by_id(appeal.kind, appeal.object_id) == moderator.pk:
        raise ValidationError("You hid this, so a different moderator must decide the appeal.")
    with transaction.atomic():
        item = _lock(appeal.kind, appeal.object_id)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != AppealStatus.OPEN:
            raise ValidationError("This appeal has already been decided.")
        appeal.status = AppealStatus.REFUSED
        appeal.handled_by = moderator
        appeal.handled_at = timezone.now()
        appeal.decision_reason = reason
        appeal.save(update_fields=["status", "handled_by", "handled_at", "decision_reason"])
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
                subject=f"Your appeal about your {noun(appeal.kind)}",
                body=(
                    f"A different moderator looked again at {_describe(appeal.kind, item)}. "
                    f"They decided it should stay hidden, because: {reason}"
                ),
                link=item_url(appeal.kind, item.pk, flag_id_of(appeal.kind, item)),
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
