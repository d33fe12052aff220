"""Every tracker and culture-change page costs the same number of queries with 5 and with 50 of
everything: bodies, commitments, updates, answers, responses, stories, flags sent."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.culture.services.figures import do_refresh_culture_measures
from nhs_citizen.culture.tests.factories import Maker, at, body, next_email, published_story
from nhs_citizen.gather.models import CallForViews
from nhs_citizen.tracker.models import CommitmentStatus
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.stocktake import do_generate_stocktake
from nhs_citizen.tracker.services.summaries import do_refresh_tracker_summaries
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    draft,
    icb,
    make_cycle,
    published_call,
    record_board_response,
    secretariat_member,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MADE = datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC)
SEEN = datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)
STATUSES = [
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.DONE,
    CommitmentStatus.NOT_DONE,
]


class World:
    """Grows to n of everything, made through the apps' services and test factories."""

    def __init__(self):
        # The newest response of each kind comes a day after everything else, so that the
        # latest responses shown are of the same kinds however much else there is.
        with time_machine.travel(MADE + datetime.timedelta(days=1), tick=False):
            self.answer, self.responder = answered_referral()
            self.response = record_board_response()
            published_call()
        with time_machine.travel(MADE, tick=False):
            self.make = Maker()
            self.secretariat = secretariat_member()
            self.curator = make_user(next_email("curator"), roles=("curator",))
            self.first = services.check_add_commitment(
                by=self.responder, to=self.answer, draft=draft("The first one", due_in_days=30)
            )
            self.cycle = make_cycle(stocktake_date=datetime.date(2027, 3, 10))
        self.n = 0

    def grow_to(self, n: int) -> None:
        with time_machine.travel(MADE, tick=False):
            for i in range(self.n, n):
                self._one_more(i)
        self.n = n

    def _one_more(self, i: int) -> None:
        status = STATUSES[i % len(STATUSES)]
        # A new body with a flag it answered, one still waiting, and a commitment.
        organisation = body(f"Trust number {i}")
        self.make.referral(
            organisation,
            sent=at(MADE.date() - datetime.timedelta(days=30)),
            due=MADE.date() - datetime.timedelta(days=2),
            answered=at(MADE.date() - datetime.timedelta(days=20 - i % 10)),
        )
        self.make.referral(
            organisation,
            sent=at(MADE.date()),
            due=MADE.date() + datetime.timedelta(days=20),
        )
        made = self.make.commitment(organisation, due=MADE.date() + datetime.timedelta(days=20))
        # More commitments on the ICB's answer, each updated; and more updates on the first.
        commitment = services.check_add_commitment(
            by=self.responder,
            to=self.answer,
            draft=draft(f"Commitment {i}", due_in_days=10 + i),
        )
        for target in (made, commitment, self.first):
            services.check_update_commitment(
                by=self.secretariat,
                commitment=target,
                status=status if target is not self.first else CommitmentStatus.IN_PROGRESS,
                note=f"Update {i}",
                reasons="It could not be done." if status == CommitmentStatus.NOT_DONE else "",
            )
        published_story(self.curator, title=f"Story {i}", organisation=organisation)
        if i % 5 == 0:
            call = CallForViews.objects.get(pk=made.call_for_views_id)
            call.outcome_published_at = at(MADE.date())
            call.save(update_fields=["outcome_published_at"])

    def urls(self) -> dict[str, str]:
        slug = icb().slug
        return {
            "tracker": reverse("tracker:index"),
            "tracker overdue": reverse("tracker:index") + "?status=overdue",
            "tracker by body": reverse("tracker:index") + f"?body={slug}&status=open",
            "tracker by topic": reverse("tracker:index") + "?topic=mental-health",
            "bodies": reverse("tracker:body_list"),
            "a body": reverse("tracker:body_detail", args=[slug]),
            "responses": reverse("tracker:response_list"),
            "responses of a body": reverse("tracker:response_list") + f"?body={slug}",
            "a commitment": reverse("tracker:commitment_detail", args=[self.first.pk]),
            "an answer": reverse("tracker:answer_detail", args=[self.answer.pk]),
            "the Board's response": reverse("tracker:board_response", args=[self.response.pk]),
            "stock-take": reverse("tracker:stocktake", args=[self.cycle.slug]),
            "league table": reverse("culture:league_table"),
            "league table, trusts": reverse("culture:league_table") + "?kind=nhs_trust",
            "culture body": reverse("culture:body_detail", args=["trust-number-1"]),
            "culture body of the ICB": reverse("culture:body_detail", args=[slug]),
            "flags sent to the ICB": reverse("culture:body_flags", args=[slug]),
            "stories": reverse("culture:story_list"),
        }

    def query_counts(self, client) -> dict[str, int]:
        with time_machine.travel(SEEN, tick=False):
            # The jobs, as cron runs them: the pages only read what they stored.
            do_generate_stocktake(self.cycle, by=None)
            do_refresh_tracker_summaries()
            do_refresh_culture_measures()
            counts = {}
            for name, url in self.urls().items():
                cache.clear()  # cached counts are counted again each time
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                assert response.status_code == 200, name
                counts[name] = len(queries)
        return counts


def test_every_page_costs_the_same_with_5_and_with_50_of_everything(client):
    world = World()
    world.grow_to(5)
    few = world.query_counts(client)
    world.grow_to(50)
    many = world.query_counts(client)
    assert many == few
    # The lists are paged, so the second page of the tracker is there, and costs the same.
    with time_machine.travel(SEEN, tick=False):
        first = client.get(reverse("tracker:index"))
        assert first.context["count"] > 50
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            second = client.get(
                reverse("tracker:index") + first.context["pagination"]["next"]["href"]
            )
        assert len(queries) == few["tracker"]
        assert len(second.context["rows"]) == 20


def test_a_deep_page_of_the_tracker_follows_on_from_the_one_before(client):
    world = World()
    world.grow_to(12)
    with time_machine.travel(SEEN, tick=False):
        do_refresh_tracker_summaries()
        seen, url = [], reverse("tracker:index")
        while url:
            page = client.get(url)
            seen += [row.commitment.pk for row in page.context["rows"]]
            pagination = page.context["pagination"] or {}
            url = (
                reverse("tracker:index") + pagination["next"]["href"]
                if "next" in pagination
                else None
            )
        statuses = page.context["totals"]
    assert len(seen) == len(set(seen)) == statuses.total
