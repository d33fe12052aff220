"""Tell everyone who raised, supports, follows or discussed a flag what happened to it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q


def flag_audience_ids(flag_id: int) -> list[int]:
    from nhs_citizen.gather.models import Comment, Flag, Follow, Support

    User = get_user_model()
    flag = Flag.objects.only("raised_by_id").get(pk=flag_id)
    # Subqueries, not joins: joining supports, follows and comments at once multiplies rows.
    return list(
        User.objects.filter(
            Q(pk=flag.raised_by_id)
            | Q(pk__in=Support.objects.filter(flag_id=flag_id).values("user_id"))
            | Q(pk__in=Follow.objects.filter(flag_id=flag_id).values("user_id"))
            | Q(pk__in=Comment.objects.filter(flag_id=flag_id).values("author_id")),
            deleted_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


FLAG_AUDIENCE = "nhs_citizen.gather.services.notify.flag_audience"


def flag_audience(flag_id: int, kind: str) -> list:
    """For the notifications fan-out (ADR 0031): whoever raised the flag hears about it as
    "your flags"; everyone who supports, follows or discussed it, as ``kind``."""
    from nhs_citizen.gather.models import Comment, Flag, Follow, Support
    from nhs_citizen.notifications.kinds import Kind

    flag = Flag.objects.only("raised_by_id").get(pk=flag_id)
    backers = (
        Q(pk__in=Support.objects.filter(flag_id=flag_id).values("user_id"))
        | Q(pk__in=Follow.objects.filter(flag_id=flag_id).values("user_id"))
        | Q(pk__in=Comment.objects.filter(flag_id=flag_id).values("author_id"))
    )
    return [(Kind.YOUR_FLAGS, Q(pk=flag.raised_by_id)), (kind, backers)]


def call_answerers_audience(call_id: int, kind: str) -> list:
    """Everyone who answered a call for views."""
    from nhs_citizen.gather.models import CallSubmission

    return [(kind, Q(pk__in=CallSubmission.objects.filter(call_id=call_id).values("user_id")))]


def notify_flag_audience(flag, subject: str, body: str, kind: str = "backed_flags") -> None:
    """Queue one job that tells everyone behind the flag, once the change has been saved."""
    from nhs_citizen.notifications.services import notify_audience

    notify_audience(
        FLAG_AUDIENCE,
        subject=subject,
        body=body,
        link=flag.get_absolute_url(),
        flag_id=flag.pk,
        kind=kind,
    )


def do_send_flag_update(flag_id: int, subject: str, body: str) -> int:
    """For jobs queued before the fan-out existed. Safe to run twice: people already told
    about this update are skipped."""
    from nhs_citizen.gather.models import Flag
    from nhs_citizen.notifications.models import Broadcast
    from nhs_citizen.notifications.services import do_fan_out, notify_audience

    link = Flag.objects.get(pk=flag_id).get_absolute_url()
    broadcast = Broadcast.objects.filter(
        audience=FLAG_AUDIENCE, subject=subject, link=link, params__flag_id=flag_id
    ).first() or notify_audience(
        FLAG_AUDIENCE, subject=subject, body=body, link=link, flag_id=flag_id, kind="backed_flags"
    )
    return do_fan_out(broadcast.pk)
