"""Demo data for conversations (issue 17): one on a demo flag about GP access, opened by the
curator, and one on an Assembly agenda item, opened by the secretariat a fortnight before the
meeting. Demo voters (from seed_assembly) vote in two loose camps, with a few statements that
nearly everyone agrees with, so the report shows groups and consensus. Made up, like the rest."""

from __future__ import annotations

import datetime
import random

import time_machine
from django.utils import timezone

from nhs_citizen.conversations.models import Conversation
from nhs_citizen.conversations.services import results
from nhs_citizen.conversations.services.conversations import check_open_conversation
from nhs_citizen.conversations.services.statements import check_add_statement
from nhs_citizen.conversations.services.votes import check_vote
from nhs_citizen.gather.models import Flag
from nhs_citizen.meetings.models import AgendaItem
from nhs_citizen.nonprod.seed_assembly import _user, _voters

# (statement, leaning of camp 1, leaning of camp 2): 1 agree, -1 disagree, 0 either way.
GP_STATEMENTS = [
    ("Everyone should be able to book a GP appointment online", 1, 1),
    ("The 8am phone queue is unfair to people who work shifts", 1, 1),
    ("Receptionists should not ask why you need to see a doctor", 1, -1),
    ("Video appointments are fine for most problems", 1, -1),
    ("I would rather wait longer to see the same GP every time", -1, 1),
    ("Pharmacists should deal with more minor illnesses", 1, 0),
    ("Surgeries should keep some appointments for people who walk in", -1, 1),
    ("Older people need a phone line that is answered by a person", 1, 1),
    ("Texts about appointments are better than letters", 1, -1),
    ("Evening and weekend appointments matter more than quick ones", -1, 1),
]
GP_ADDED = [
    ("eleanor", "Carers should be able to book for the person they look after"),
    ("kwame", "The practice website should say how long the wait is today"),
]
ITEM_STATEMENTS = [
    ("Waiting lists should be published for each hospital, every month", 1, 1),
    ("People waiting should be told who to call if they get worse", 1, 1),
    ("Money should go to community services before hospitals", 1, -1),
    ("Private hospitals should be used to cut NHS waiting lists", -1, 1),
    ("Patients should be able to choose a hospital further away to be seen sooner", -1, 1),
    ("Mental health waits matter as much as waits for operations", 1, 0),
    ("Extra clinics on Saturdays would cut waits fastest", -1, 1),
    ("Local people should help decide which services come first", 1, -1),
]
CITIZENS = ("joseph", "siobhan", "arjun", "eleanor", "kwame", "beth", "mohammed", "lucy")


def _votes(conversation, people, spec, rng: random.Random) -> int:
    """Each person is in camp 1 or 2 and votes on most statements, mostly with their camp's
    leaning (a random one where the camp has none)."""
    leanings = {text: (one, two) for text, one, two in spec}
    # Marked as queued while the demo votes, so no job is queued per vote; worked out once after.
    Conversation.objects.filter(pk=conversation.pk).update(recompute_queued_at=timezone.now())
    count = 0
    statements = list(conversation.statements.order_by("number"))
    for position, person in enumerate(people):
        camp = 0 if position % 5 < 3 else 1  # three in five in camp 1
        for statement in statements:
            if rng.random() < 0.2:
                continue  # did not get to it
            lean = leanings.get(statement.text, (0, 0))[camp] or rng.choice((1, -1))
            roll = rng.random()
            choice = lean if roll < 0.8 else (0 if roll < 0.9 else -lean)
            check_vote(user=person, statement=statement, choice=choice)
            count += 1
    return count


def seed_conversations(at) -> int:
    """Returns how many votes it added (0 if the conversations are there already)."""
    if Conversation.objects.filter(slug__in=["gp-access-demo", "waiting-lists-demo"]).exists():
        return 0
    rng = random.Random(1717)
    curator, secretariat = _user("curator"), _user("secretariat")
    people = [_user(key) for key in CITIZENS] + _voters()[:60]
    votes = 0

    flag = (
        Flag.objects.visible()
        .filter(title__icontains="GP")
        .order_by("-support_count", "pk")
        .first()
        or Flag.objects.visible().order_by("-support_count", "pk").first()
    )
    if flag is not None:
        with time_machine.travel(at(12), tick=False):
            conversation = check_open_conversation(
                opener=curator,
                question="What would make it easier to get a GP appointment?",
                about=(
                    "This flag has many supporters. Before it goes to review, tell us which ideas "
                    "you agree with, so we can see where people agree and where they do not."
                ),
                seeds=[text for text, _, _ in GP_STATEMENTS],
                closes_at=timezone.now() + datetime.timedelta(days=40),
                flag=flag,
            )
            Conversation.objects.filter(pk=conversation.pk).update(slug="gp-access-demo")
            conversation.slug = "gp-access-demo"
        with time_machine.travel(at(10), tick=False):
            for key, text in GP_ADDED:
                check_add_statement(user=_user(key), conversation=conversation, text=text)
        with time_machine.travel(at(5), tick=False):
            votes += _votes(conversation, people, GP_STATEMENTS, rng)
        results.do_recompute(conversation.pk)

    item = (
        AgendaItem.objects.select_related("meeting__cycle")
        .order_by("-meeting__starts_at", "position")
        .first()
    )
    if item is not None:
        opened = item.meeting.starts_at - datetime.timedelta(days=14)
        with time_machine.travel(opened, tick=False):
            conversation = check_open_conversation(
                opener=secretariat,
                question=f"{item.title}: what matters most to you?",
                about=(
                    "The Assembly will discuss this at its meeting. Facilitators will use what "
                    "people agree on here to start the discussion."
                ),
                seeds=[text for text, _, _ in ITEM_STATEMENTS],
                closes_at=item.meeting.starts_at,
                agenda_item=item,
            )
            Conversation.objects.filter(pk=conversation.pk).update(slug="waiting-lists-demo")
            conversation.slug = "waiting-lists-demo"
        with time_machine.travel(opened + datetime.timedelta(days=3), tick=False):
            votes += _votes(conversation, people, ITEM_STATEMENTS, rng)
        results.do_recompute(conversation.pk)
    return votes
