"""Demo paper ballots (ADR 0034), through the real services at the times they would have
happened, in a cycle whose vote is open (called by seed_assembly before the vote closes, so the
papers are in the count and the recount like any other vote):

- a short list of paper voters without an account, added well before the cycle's cut-off, and
  one person with an account who has no internet at home;
- papers sent out the day after the vote opens, one lost in the post, cancelled and sent again;
- most of them back and typed in during the vote, some not back (yet)."""

from __future__ import annotations

import random

import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from nhs_citizen.assembly.models import Cycle, OfflineVoter, PaperStatus
from nhs_citizen.assembly.services import paper
from nhs_citizen.nonprod.personas import DEMO_DOMAIN

PAPER_VOTERS = [
    ("Doreen Ashworth", "14 Mill Lane\nHebden Bridge\nWest Yorkshire", "HX7 8AA"),
    ("Harold Pickering", "3 Chapel Row\nBishop Auckland\nCounty Durham", "DL14 7JE"),
    ("Margaret Nwosu", "Flat 6, Wellington Court\nWolverhampton", "WV1 4LT"),
    ("Bill Trelawny", "22 Fore Street\nCamborne\nCornwall", "TR14 8AZ"),
    ("Agnieszka Nowak", "9 Beech Grove\nBoston\nLincolnshire", "PE21 8TS"),
    ("Eric Lund", "1 Harbour View\nWhitby\nNorth Yorkshire", "YO21 3PN"),
]
ACCOUNT = ("stanley.briggs", "Stanley Briggs")


def _paper_voters(secretariat, when) -> list[OfflineVoter]:
    people = []
    for name, address, postcode in PAPER_VOTERS:
        person = OfflineVoter.objects.filter(full_name=name).first()
        if person is None:
            with time_machine.travel(when, tick=False):
                person = paper.check_add_offline_voter(
                    by=secretariat, full_name=name, postal_address=address, postcode=postcode
                )
        people.append(person)
    return people


def _account(when):
    """Someone with an account (made for him at a library session) but no internet at home."""
    User = get_user_model()
    email = f"{ACCOUNT[0]}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        with time_machine.travel(when, tick=False):
            user = User(email=email, display_name=ACCOUNT[1])
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def seed_paper_ballots(cycle: Cycle, at, secretariat, *, returned: int = 4) -> int:
    """Papers for ``cycle`` (its vote open), with ``at(days_ago)`` as in
    seed_assembly. Returns how many papers were typed in."""
    if cycle.papers.exists():
        return 0
    opens_days = (at(0) - cycle.vote_opens).days
    closes_days = (at(0) - cycle.vote_closes).days
    people = _paper_voters(secretariat, at(opens_days + 40))
    account = _account(at(opens_days + 90))
    rng = random.Random(cycle.pk)
    recipients = [{"offline_voter": p} for p in people[: returned + 1]] + [{"voter": account}]
    papers = []
    for n, person in enumerate(recipients):
        with time_machine.travel(at(opens_days - 1 + n * 0.05), tick=False):
            papers.append(paper.check_issue_paper(cycle=cycle, by=secretariat, **person))
    # Lost in the post: cancelled a few days later, and a new paper sent.
    with time_machine.travel(at(opens_days - 3), tick=False):
        papers[1] = paper.check_cancel_paper(
            paper=papers[1],
            by=secretariat,
            reason="Not delivered: Royal Mail returned it with the wrong flat number.",
            reissue=True,
        )
    entries = list(cycle.entries.order_by("shortlisted_at", "pk"))
    last = max(closes_days, 0) + 1
    typed = 0
    # The account holder's paper and all but one of the others come back.
    for n, sent in enumerate([papers[-1], *papers[: returned - 1]]):
        days = opens_days - 5 - n * max((opens_days - 5 - last) / (returned + 1), 0.1)
        chosen = rng.sample(entries, k=min(len(entries), rng.randint(2, cycle.max_choices)))
        with time_machine.travel(at(days), tick=False):
            paper.check_enter_paper(cycle=cycle, number=sent.number, entries=chosen, by=secretariat)
        typed += 1
    assert cycle.papers.filter(status=PaperStatus.ISSUED).count() == len(recipients) - typed
    return typed
