"""Test data for conversations, built through the app's own services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from nhs_citizen.accounts.models import Role
from nhs_citizen.conftest import make_user
from nhs_citizen.conversations.services.conversations import check_open_conversation
from nhs_citizen.gather.tests.factories import next_email, raise_flag

SEEDS = [
    "Evening GP appointments would help people who work",
    "Booking online should be as easy as booking by phone",
    "Receptionists should not ask why you need to see a doctor",
    "I would rather wait longer to see the same GP every time",
    "Video appointments are fine for most problems",
    "The 8am phone queue is unfair to people without a phone",
    "Pharmacists could deal with more minor illnesses",
    "Surgeries should tell you where you are in the queue",
]


def curator():
    return make_user(next_email("curator"), display_name="Cara Curator", roles=(Role.CURATOR,))


def open_conversation(*, opener=None, flag=None, seeds=SEEDS, days=30, question=None):
    opener = opener or curator()
    flag = flag or raise_flag()
    return check_open_conversation(
        opener=opener,
        question=question or "How should GP surgeries make it easier to get an appointment?",
        seeds=seeds,
        closes_at=timezone.now() + datetime.timedelta(days=days),
        flag=flag,
    )


def person(prefix="voter"):
    return make_user(next_email(prefix), display_name="Val Voter")
