"""The review panel's queue, the responders' queue and a person's own flags (on their account
page) go page by page by key: each page costs the same number of queries with 5 and with 50
rows, page 2 follows on from page 1, and a bad page token shows page 1."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather import account as account_section
from nhs_citizen.gather.models import Referral
from nhs_citizen.gather.services import flags as services
from nhs_citizen.gather.services import review
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for

pytestmark = pytest.mark.django_db


class Queues:
    """Flags in review, flags referred to one ICB, and one person behind all of them."""

    def __init__(self):
        self.size = 0
        self.person = make_user(next_email("citizen"), display_name="Pat Person")
        self.curator = make_user(next_email("curator"), roles=("curator",))
        self.reviewer = make_user(next_email("reviewer"), roles=("review_panel",))
        self.icb = Organisation.objects.get(type="icb", code="QWO")
        self.responder = responder_for(self.icb)
        self.in_review: list = []
        self.referred: list = []

    def grow_to(self, n: int) -> None:
        for i in range(self.size, n):
            waiting = raise_flag(title=f"Waiting flag {i}")
            services.do_follow_flag(user=self.person, flag=waiting)
            services.check_put_forward(curator=self.curator, flag=waiting, reason="Ready")
            self.in_review.append(waiting)
            sent = raise_flag(user=self.person, title=f"Sent flag {i}")
            services.check_put_forward(curator=self.curator, flag=sent, reason="Ready")
            review.check_record_decision(
                reviewer=self.reviewer,
                flag=sent,
                decision="refer",
                is_national=False,
                within_remit=False,
                reasons="Local",
                organisation=self.icb,
            )
            self.referred.append(Referral.objects.get(flag=sent))
        self.size = n


@pytest.fixture
def queues(db):
    return Queues()


@pytest.fixture
def small_pages(monkeypatch):
    """Three to a page, so a few rows make several pages."""
    from nhs_citizen.gather.views import response_views, review_views

    for module in (review_views, response_views):
        real = module.keyset_page

        def three(request, queryset, ordering, per_page=20, total=None, _real=real):
            return _real(request, queryset, ordering, 3, total)

        monkeypatch.setattr(module, "keyset_page", three)
    monkeypatch.setattr(account_section, "YOUR_FLAGS_PER_PAGE", 3)


def _queries(client, url: str) -> int:
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _ids(response, name: str) -> list[int]:
    context = response.context
    if name == "review":
        return [card.flag.pk for card in context["cards"]]
    if name == "referrals":
        return [row["referral"].pk for row in context["rows"]]
    return [card.flag.pk for card in context["your_flags"]]


URLS = {
    "review": lambda: reverse("gather:review_queue"),
    "referrals": lambda: reverse("gather:referral_queue"),
    "account": lambda: reverse("accounts:your_account"),
}
PAGINATION = {"review": "pagination", "referrals": "pagination", "account": "your_flags_pagination"}
WHO = {"review": "reviewer", "referrals": "responder", "account": "person"}


def _next(client, name: str, response) -> str:
    return URLS[name]() + response.context[PAGINATION[name]]["next"]["href"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["review", "referrals", "account"])
def test_each_page_of_the_queue_costs_the_same_with_5_and_with_50_rows(
    queues, client, signed_in, small_pages, name
):
    signed_in(getattr(queues, WHO[name]))
    counts = {}
    for n in (5, 50):
        queues.grow_to(n)
        first = client.get(URLS[name]())
        second = _next(client, name, first)
        counts[n] = (_queries(client, URLS[name]()), _queries(client, second))
    assert counts[50] == counts[5]


@pytest.mark.parametrize("name", ["review", "referrals", "account"])
def test_page_2_shows_the_next_rows_and_a_bad_token_shows_page_1(
    queues, client, signed_in, small_pages, name
):
    queues.grow_to(7)
    signed_in(getattr(queues, WHO[name]))
    first = client.get(URLS[name]())
    assert first.status_code == 200
    seen, response = _ids(first, name), first
    while response.context[PAGINATION[name]] and "next" in response.context[PAGINATION[name]]:
        response = client.get(_next(client, name, response))
        assert response.status_code == 200
        assert len(_ids(response, name)) <= 3
        seen += _ids(response, name)
    assert len(seen) == len(set(seen))
    page_2 = client.get(_next(client, name, first))
    assert _ids(page_2, name) == seen[3:6]
    assert "Previous" in page_2.content.decode() and "Next" in page_2.content.decode()
    for bad in ("nonsense", "e30:1abc", ""):
        response = client.get(URLS[name](), {"after": bad})
        assert response.status_code == 200
        assert _ids(response, name) == seen[:3]
    if name == "review":
        assert seen == [flag.pk for flag in queues.in_review]
    elif name == "referrals":
        assert sorted(seen) == sorted(referral.pk for referral in queues.referred)
        assert "7 flags" in first.content.decode()
    else:
        # Raised 7, followed 7: most recently active first.
        assert len(seen) == 14
