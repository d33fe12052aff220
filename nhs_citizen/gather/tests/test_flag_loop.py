"""The accountability loop on the flag's page: each answer and commitment in place, with its
status and a link to it on the tracker; the tracker links back; after "We will act" the
responder goes straight on to adding the commitment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.gather.models import Outcome
from nhs_citizen.tracker.models import Commitment, CommitmentStatus
from nhs_citizen.tracker.services import commitments as tracker_services
from nhs_citizen.tracker.tests.factories import answered_referral, draft, record_board_response

pytestmark = pytest.mark.django_db


def _due(days=60) -> str:
    due = timezone.localdate() + datetime.timedelta(days=days)
    return f"{due.day} {due.month} {due.year}"


def test_the_flag_shows_the_answer_and_each_commitment_with_links_both_ways(client):
    answer, responder = answered_referral()
    flag = answer.referral.flag
    first = tracker_services.check_add_commitment(
        by=responder, to=answer, draft=draft("Run a shuttle bus for a year", owner="Transport lead")
    )
    second = tracker_services.check_add_commitment(
        by=responder, to=answer, draft=draft("Publish the bus timetable", owner="Estates team")
    )
    tracker_services.check_update_commitment(
        by=responder, commitment=first, status=CommitmentStatus.IN_PROGRESS, note="Bus ordered."
    )
    page = client.get(flag.get_absolute_url())
    html = page.content.decode()
    answer_url = reverse("tracker:answer_detail", args=[answer.pk])
    assert f'href="{answer_url}"' in html
    for commitment, words in ((first, "In progress"), (second, "Not started")):
        assert f'href="{commitment.get_absolute_url()}"' in html
        assert commitment.what in html
        assert words in html
    assert "owned by Transport lead" in html
    # The history links each step to its page on the tracker.
    timeline = dict(
        (entry.action + str(entry.data.get("commitment_id", "")), link)
        for entry, link in page.context["timeline"]
    )
    assert timeline["gather.referral_answered"].href == answer_url
    assert timeline[f"tracker.commitment_updated{first.pk}"].href == first.get_absolute_url()
    assert timeline[f"tracker.commitment_added{second.pk}"].href == second.get_absolute_url()
    # And the tracker links back to the flag.
    flag_url = flag.get_absolute_url()
    assert f'href="{flag_url}"' in client.get(first.get_absolute_url()).content.decode()
    assert f'href="{flag_url}"' in client.get(answer_url).content.decode()


def test_an_answer_with_no_commitment_yet_says_so(client):
    answer, _ = answered_referral()
    html = client.get(answer.referral.flag.get_absolute_url()).content.decode()
    assert "has not added a commitment yet" in html


def test_the_boards_commitments_show_on_the_flag(client):
    response = record_board_response()
    flag = response.agenda_item.entry.flag
    commitment = Commitment.objects.get(board_response=response)
    page = client.get(flag.get_absolute_url())
    html = page.content.decode()
    assert "The NHS England Board's commitments" in html.replace("&#39;", "'")
    assert f'href="{commitment.get_absolute_url()}"' in html
    links = [link for entry, link in page.context["timeline"] if link]
    assert reverse("tracker:board_response", args=[response.pk]) in [link.href for link in links]


def test_the_flag_page_does_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    answer, responder = answered_referral()
    for n in range(3):
        tracker_services.check_add_commitment(
            by=responder, to=answer, draft=draft(f"Thing {n}", owner="Estates team")
        )
    url = answer.referral.flag.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for n in range(3, 10):
        tracker_services.check_add_commitment(
            by=responder, to=answer, draft=draft(f"Thing {n}", owner="Estates team")
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


# The responder's flow --------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.WILL_ACT, Outcome.IN_PART])
def test_we_will_act_goes_straight_on_to_adding_the_commitment(client, signed_in, outcome):
    from nhs_citizen.gather.models import Referral, Response

    answer, responder = answered_referral(outcome=outcome)
    referral = answer.referral
    # Answer again from the page: undo the factory's answer first.
    Response.objects.filter(pk=answer.pk).delete()
    Referral.objects.filter(pk=referral.pk).update(status="awaiting")
    signed_in(responder)
    sent = client.post(
        reverse("gather:respond", args=[referral.pk]),
        {"outcome": outcome, "reasons": "We will run a shuttle bus."},
    )
    answer = Response.objects.get(referral=referral)
    add_url = reverse("tracker:add_answer_commitment", args=[answer.pk])
    assert sent["Location"] == add_url + "?after=answer"
    form = client.get(sent["Location"])
    html = form.content.decode()
    assert "Your answer has been published" in html
    assert "Add it and add another" in html
    assert referral.flag.get_absolute_url() in html
    # Add one and another, then the last one.
    another = client.post(
        add_url,
        {
            "after": "answer",
            "another": "1",
            "what": "Run a shuttle bus",
            "owner": "Transport lead",
            "due_date": _due(),
        },
    )
    assert another["Location"] == add_url + "?after=answer"
    assert "Run a shuttle bus" in client.get(another["Location"]).content.decode()
    last = client.post(
        add_url,
        {
            "after": "answer",
            "what": "Publish the timetable",
            "owner": "Estates team",
            "due_date": _due(),
        },
    )
    made = list(Commitment.objects.filter(referral_response=answer).order_by("pk"))
    assert [c.what for c in made] == ["Run a shuttle bus", "Publish the timetable"]
    assert last["Location"] == made[1].get_absolute_url()


@pytest.mark.parametrize("outcome", [Outcome.WILL_NOT_ACT])
def test_other_answers_go_back_to_the_flag(client, signed_in, outcome):
    from nhs_citizen.gather.models import Referral, Response

    answer, responder = answered_referral(outcome=outcome)
    referral = answer.referral
    Response.objects.filter(pk=answer.pk).delete()
    Referral.objects.filter(pk=referral.pk).update(status="awaiting")
    signed_in(responder)
    sent = client.post(
        reverse("gather:respond", args=[referral.pk]),
        {"outcome": outcome, "reasons": "It is not possible this year."},
    )
    assert sent["Location"] == referral.flag.get_absolute_url()
