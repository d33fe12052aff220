"""The notifications section of the "Your account" page (accounts.sections)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nhs_citizen.notifications.kinds import Delivery, Kind


def email_choices_section(request: HttpRequest) -> dict[str, Any]:
    from nhs_citizen.notifications.services import preferences_for

    return {
        "email_choices": [
            (Kind(kind).label, Delivery(delivery).label)
            for kind, delivery in preferences_for(request.user).items()
        ]
    }
