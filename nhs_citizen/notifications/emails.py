"""Building the e-mails: HTML and plain text in NHS.UK style, each with a one-click unsubscribe
link (RFC 8058). No sending and no database writes here."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template import engines
from django.urls import reverse
from django.utils.http import urlencode

from nhs_citizen.notifications.kinds import Delivery, Kind

UNSUBSCRIBE_SALT = "nhs_citizen.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kinds: Iterable[str]) -> str:
    """Signed, so nobody can make a link for someone else; no expiry, so an old e-mail's link
    still works."""
    return signing.dumps([user_id, sorted(set(kinds))], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]] | None:
    """The person and kinds in a link, or None if the link was changed or is not ours."""
    try:
        user_id, kinds = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    valid = set(Kind.values)
    if not isinstance(user_id, int) or not isinstance(kinds, list) or not kinds:
        return None
    if not all(isinstance(k, str) and k in valid for k in kinds):
        return None
    return user_id, kinds


def unsubscribe_url(user_id: int, kinds: Iterable[str]) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kinds)])
    return f"{settings.SITE_URL}{path}"


@functools.cache
def _template(name: str):
    """The e-mail templates are Django templates: ask that engine directly, once, rather than
    looking through the Jinja2 directories first for every e-mail."""
    return engines["django"].get_template(name)


_TEXT = "notifications/email.txt"
_HTML = "notifications/email.html"


def _communication_needs(user, subject: str) -> dict:
    """What the person's communication needs change in the e-mail (ADR 0036): a larger base
    font for large print, and lines offering it in Easy Read (with a link to the Easy Read pages,
    ADR 0037) or in their language."""
    from nhs_citizen.accounts.needs import email_adjustments
    from nhs_citizen.accounts.needs_services import person_needs_for_email

    needs = email_adjustments(person_needs_for_email(user))
    ask = f"{settings.SITE_URL}{reverse('accounts:ask_for_format')}"
    document = f"The email: {subject}"[:300]
    return {
        "needs": needs,
        "font_size": 24 if needs.large_print else 19,
        "heading_size": 40 if needs.large_print else 32,
        "subheading_size": 30 if needs.large_print else 22,
        "small_size": 22 if needs.large_print else 16,
        "easy_read_url": f"{ask}?{urlencode({'format': 'easy_read', 'document': document})}"
        if needs.easy_read
        else "",
        "easy_read_home_url": f"{settings.SITE_URL}{reverse('easyread:home')}"
        if needs.easy_read
        else "",
        "language_url": f"{ask}?"
        + urlencode(
            {"format": "another_language", "language": needs.language, "document": document}
        )
        if needs.language
        else "",
    }


def build_email(
    *,
    user,
    subject: str,
    heading: str,
    intro: str,
    notifications: Sequence,
    connection=None,
) -> EmailMultiAlternatives:
    """One e-mail to one person about one or more messages."""
    kinds = sorted({n.kind for n in notifications})
    link = unsubscribe_url(user.pk, kinds)
    context = {
        "user": user,
        "heading": heading,
        "intro": intro,
        "notifications": notifications,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": link,
        "settings_url": f"{settings.SITE_URL}{reverse('notifications:settings')}",
        "kind_labels": [Kind(k).label.lower() for k in kinds],
        **_communication_needs(user, subject),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=_template(_TEXT).render(context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    message.attach_alternative(_template(_HTML).render(context), "text/html")
    return message


def single_email(notification, *, connection=None) -> EmailMultiAlternatives:
    return build_email(
        user=notification.user,
        subject=f"NHS Citizen: {notification.subject}",
        heading=notification.subject,
        intro="",
        notifications=[notification],
        connection=connection,
    )


def digest_email(user, period: str, notifications: Sequence, *, connection=None):
    word = "daily" if period == Delivery.DAILY else "weekly"
    count = len(notifications)
    updates = f"{count} update{'' if count == 1 else 's'}"
    return build_email(
        user=user,
        subject=f"Your {word} summary from NHS Citizen: {updates}",
        heading=f"Your {word} summary",
        intro=f"Here is what happened on NHS Citizen since your last summary: {updates}.",
        notifications=notifications,
        connection=connection,
    )
