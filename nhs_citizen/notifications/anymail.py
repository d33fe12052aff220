"""Bounces and complaints from the mail provider, through django-anymail's tracking webhooks.

We do not depend on anymail here. Once the project sends through anymail (an ESP backend and
its tracking webhook URL), connect this receiver in an AppConfig.ready():

    from anymail.signals import tracking
    from nhs_citizen.notifications.anymail import receive_tracking_event
    tracking.connect(receive_tracking_event, dispatch_uid="notifications.suppress")

anymail calls it with an ``AnymailTrackingEvent`` (``event_type``, ``recipient``,
``description``, ``mta_response``) for every event the provider reports. Bounces, complaints
and rejections put the address on the suppression list; every other event is ignored.
"""

from __future__ import annotations

from typing import Any

from nhs_citizen.notifications.models import SuppressionReason

# anymail's event_type values that mean "stop e-mailing this address".
SUPPRESSING_EVENTS = {
    "bounced": SuppressionReason.BOUNCED,
    "complained": SuppressionReason.COMPLAINED,
    "rejected": SuppressionReason.REJECTED,
}


def receive_tracking_event(sender: Any = None, event: Any = None, esp_name: str = "", **kwargs):
    """anymail's ``tracking`` signal receiver. Returns True if the address was added."""
    from nhs_citizen.notifications.services import do_suppress_address

    reason = SUPPRESSING_EVENTS.get(getattr(event, "event_type", None) or "")
    recipient = getattr(event, "recipient", None) or ""
    if reason is None or "@" not in recipient:
        return False
    detail = getattr(event, "description", None) or getattr(event, "mta_response", None) or ""
    prefix = f"{esp_name}: " if esp_name else ""
    return do_suppress_address(email=recipient, reason=reason, detail=f"{prefix}{detail}")
