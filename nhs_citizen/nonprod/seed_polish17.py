"""Demo data for changing and closing conversations (ADR 0039): a conversation on a flag about
hospital parking, opened by the curator, its question reworded two days later, and closed early
when the trust announced free parking for carers. Its final map stays to read. Made up, like the
rest of the demo."""

from __future__ import annotations

import datetime
import random

import time_machine

from nhs_citizen.conversations.models import Conversation
from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services.conversations import (
    check_change_conversation,
    check_close_conversation,
    check_open_conversation,
)
from nhs_citizen.gather.models import Flag
from nhs_citizen.nonprod.seed_assembly import _user, _voters
from nhs_citizen.nonprod.seed_conversations import CITIZENS, _votes

SLUG = "hospital-parking-demo"
PARKING_STATEMENTS = [
    ("Carers visiting every day should park for free", 1, 1),
    ("Parking charges should pay for more buses to the hospital", 1, -1),
    ("Staff should have their own car park", -1, 1),
    ("Blue badge bays should be nearer the main doors", 1, 1),
    ("The first half hour should always be free", 1, -1),
    ("Paying by phone is harder than paying at a machine", -1, 1),
    ("The hospital should tell you the cost before you park", 1, 1),
    ("A park and ride would be better than a bigger car park", 1, -1),
]


def seed_polish17(at) -> int:
    """Returns how many votes it added (0 if the conversation is there already)."""
    if Conversation.objects.filter(slug=SLUG).exists():
        return 0
    flag = (
        Flag.objects.visible()
        .filter(conversations__isnull=True)
        .order_by("-support_count", "pk")
        .first()
    )
    if flag is None:
        return 0
    curator = _user("curator")
    people = [_user(key) for key in CITIZENS] + _voters()[20:70]
    opened, changed, voted, closed = at(20), at(18), at(15), at(6)  # worked out before travelling
    with time_machine.travel(opened, tick=False):
        conversation = check_open_conversation(
            opener=curator,
            question="How should the hospital charge for parking?",
            about=(
                "People on this flag say parking costs too much. Tell us which ideas you agree "
                "with before the trust decides."
            ),
            seeds=[text for text, _, _ in PARKING_STATEMENTS],
            closes_at=opened + datetime.timedelta(days=30),
            flag=flag,
        )
        Conversation.objects.filter(pk=conversation.pk).update(slug=SLUG)
        conversation.slug = SLUG
    with time_machine.travel(changed, tick=False):
        check_change_conversation(
            actor=curator,
            conversation=conversation,
            question="What would make parking at the hospital fairer?",
            closes_at=conversation.closes_at,
            reason="People said the first question was about money only.",
        )
    with time_machine.travel(voted, tick=False):
        votes = _votes(conversation, people, PARKING_STATEMENTS, random.Random(1718))
    with time_machine.travel(closed, tick=False):
        check_close_conversation(
            actor=curator,
            conversation=conversation,
            reason=(
                "The trust has decided: carers who visit every day now park for free. Thank "
                "you for your views."
            ),
        )
    results.do_recompute(conversation.pk)
    return votes
