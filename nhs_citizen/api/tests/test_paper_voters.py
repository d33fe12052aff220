"""The API says how many voted on paper once a cycle's scores are published, and not before."""

import pytest
from django.utils import timezone

from nhs_citizen.assembly.tests.factories import make_cycle

pytestmark = pytest.mark.django_db


def test_paper_voters_appear_with_the_published_scores(client):
    cycle = make_cycle()
    cycle.voters, cycle.paper_voters = 40, 3
    cycle.save()

    def shown():
        found = client.get(f"/api/v1/cycles/{cycle.slug}")
        assert found.status_code == 200
        return found.json()["voters"], found.json()["paper_voters"]

    assert shown() == (None, None)
    cycle.scores_published_at = timezone.now()
    cycle.save()
    assert shown() == (40, 3)
