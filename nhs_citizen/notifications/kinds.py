"""What a message is about (its kind) and how often a person wants e-mails about it."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    YOUR_FLAGS = "your_flags", "Flags you raised"
    BACKED_FLAGS = "backed_flags", "Flags you support or follow"
    ANSWERS = "answers", "Answers to flags"
    COMMITMENTS = "commitments", "Promises made about flags and calls for views"
    ASSEMBLY = "assembly", "Citizens' Assembly dates and invitations"
    CALLS_FOR_VIEWS = "calls_for_views", "Calls for views"
    ACCOUNT = "account", "Your account and what you post"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Straight away"
    DAILY = "daily", "Once a day, in a daily summary"
    WEEKLY = "weekly", "Once a week, in a weekly summary"
    OFF = "off", "Never (you will still see them on your account page)"


# Hints shown under each kind on the settings page.
KIND_HINTS = {
    Kind.YOUR_FLAGS: "When a flag you raised changes, is answered or gets a promise.",
    Kind.BACKED_FLAGS: "When a flag you support, follow or commented on changes.",
    Kind.ANSWERS: "When an organisation or the NHS England Board answers a flag you back, "
    "or something you took part in.",
    Kind.COMMITMENTS: "New promises, and news about them, on flags you back or calls for views "
    "you answered.",
    Kind.ASSEMBLY: "When you are chosen by lot, and when dates are set or changed for a "
    "Citizens' Assembly you take part in.",
    Kind.CALLS_FOR_VIEWS: "When a call for views opens in your area, and when an organisation "
    "says what it did about one you answered.",
    Kind.ACCOUNT: "News about your account, your organisations and things you posted.",
}

# Authors hear straight away; people who back a flag get a daily summary (issue 15).
DEFAULT_DELIVERY = {
    Kind.YOUR_FLAGS: Delivery.IMMEDIATELY,
    Kind.BACKED_FLAGS: Delivery.DAILY,
    Kind.ANSWERS: Delivery.DAILY,
    Kind.COMMITMENTS: Delivery.DAILY,
    Kind.ASSEMBLY: Delivery.IMMEDIATELY,
    Kind.CALLS_FOR_VIEWS: Delivery.IMMEDIATELY,
    Kind.ACCOUNT: Delivery.IMMEDIATELY,
}

DIGEST_PERIODS = (Delivery.DAILY, Delivery.WEEKLY)
