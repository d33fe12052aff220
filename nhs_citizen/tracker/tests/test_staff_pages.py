"""The pages where the Board records responses and bodies add and update commitments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.core.models import Organisation
from nhs_citizen.tracker.models import BoardResponse, Commitment, CommitmentStatus
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    board_member,
    draft,
    icb,
    make_agenda_item,
    make_commission,
    published_call,
    record_board_response,
    secretariat_member,
)

pytestmark = pytest.mark.django_db


def _in(days: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.day} {day.month} {day.year}"


def _response_form(**extra):
    data = {
        "commitment_count": "1",
        "outcome": "will_act",
        "summary": "The Board will publish waiting times every month.",
        "reasons": "Members said people cannot plan without knowing how long they will wait.",
        "commitment_1_what": "Publish waiting times every month",
        "commitment_1_owner": "Director of Mental Health",
        "commitment_1_organisation": "nhs-england",
        "commitment_1_due_date": _in(90),
    }
    data.update(extra)
    return data


def test_the_board_queue_lists_what_waits_for_a_response(client):
    item = make_agenda_item(title="Mental health waits")
    commission = make_commission(item.meeting)
    client.force_login(board_member())
    page = client.get(reverse("tracker:board_queue"))
    html = page.content.decode()
    assert reverse("tracker:respond_to_item", args=[item.pk]) in html
    assert reverse("tracker:respond_to_commission", args=[commission.pk]) in html


def test_a_board_member_records_a_response_on_the_page(client):
    item = make_agenda_item(title="Mental health waits")
    client.force_login(board_member())
    url = reverse("tracker:respond_to_item", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="nhs-england" selected' in page.content.decode()
    response = client.post(url, _response_form())
    board_response = BoardResponse.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:board_response", args=[board_response.pk])
    commitment = board_response.commitments.get()
    assert commitment.what == "Publish waiting times every month"
    # Going back to the form goes to the response.
    assert client.get(url)["Location"] == board_response.get_absolute_url()


def test_add_another_commitment_works_without_javascript(client):
    item = make_agenda_item()
    client.force_login(board_member())
    url = reverse("tracker:respond_to_item", args=[item.pk])
    # Ask for room for a second commitment: nothing is checked or saved yet.
    page = client.post(url, _response_form(action="add", summary=""))
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" not in html
    assert 'id="commitment-2"' in html
    assert 'name="commitment_count" value="2"' in html
    assert "Publish waiting times every month" in html  # what was typed is kept
    trust = Organisation.objects.get(type="icb", code="QWO")
    response = client.post(
        url,
        _response_form(
            commitment_count="2",
            action="publish",
            commitment_2_what="Fund 50 more therapists",
            commitment_2_owner="Workforce team",
            commitment_2_organisation=trust.slug,
            commitment_2_due_date=_in(200),
        ),
    )
    assert response.status_code == 302
    assert sorted(Commitment.objects.values_list("what", "organisation__slug")) == [
        ("Fund 50 more therapists", trust.slug),
        ("Publish waiting times every month", "nhs-england"),
    ]


def test_an_empty_commitment_is_left_out(client):
    item = make_agenda_item()
    client.force_login(board_member())
    url = reverse("tracker:respond_to_item", args=[item.pk])
    response = client.post(
        url, _response_form(commitment_count="2", commitment_2_organisation="nhs-england")
    )
    assert response.status_code == 302
    assert Commitment.objects.count() == 1


def test_the_form_names_each_problem_and_the_commitment_it_is_in(client):
    item = make_agenda_item()
    client.force_login(board_member())
    url = reverse("tracker:respond_to_item", args=[item.pk])
    page = client.post(
        url,
        _response_form(
            commitment_count="2",
            summary="",
            commitment_2_what="Fund more therapists",
            commitment_2_due_date="31 2 2027",
        ),
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "summary": ["Enter the response in one sentence"],
        "commitment_2_due_date": ["The due date of commitment 2 must be a real date"],
        "commitment_2_owner": ["Commitment 2: enter the team or role that owns it"],
    }
    assert "<title>Error: " in html
    assert 'href="#id_commitment_2_owner"' in html
    assert not BoardResponse.objects.exists()


def test_a_response_that_will_act_needs_a_commitment_on_the_page(client):
    item = make_agenda_item()
    client.force_login(board_member())
    url = reverse("tracker:respond_to_item", args=[item.pk])
    page = client.post(
        url,
        _response_form(commitment_1_what="", commitment_1_owner="", commitment_1_due_date=""),
    )
    assert "Enter at least one commitment" in page.content.decode()
    assert not BoardResponse.objects.exists()


def test_a_board_member_responds_to_a_citizen_panel_report(client):
    item = make_agenda_item()
    commission = make_commission(item.meeting, item=item)
    client.force_login(board_member())
    url = reverse("tracker:respond_to_commission", args=[commission.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _response_form()).status_code == 302
    assert BoardResponse.objects.get().commission == commission


def test_a_board_member_adds_a_commitment_to_a_response_later(client):
    response = record_board_response()
    client.force_login(board_member())
    url = reverse("tracker:add_board_commitment", args=[response.pk])
    posted = client.post(
        url, {"what": "Report back in a year", "owner": "Board secretary", "due_date": _in(365)}
    )
    assert posted.status_code == 302
    assert response.commitments.count() == 2


# Commitments on a body's answers ---------------------------------------------------------------


def test_a_responder_adds_a_commitment_to_an_answer_on_the_page(client):
    answer, responder = answered_referral()
    client.force_login(responder)
    url = reverse("tracker:add_answer_commitment", args=[answer.pk])
    page = client.get(url)
    assert page.status_code == 200
    errors = client.post(url, {"what": "", "owner": "", "due_date": "soon"})
    assert errors.context["form"].errors == {
        "what": ["Enter what will be done"],
        "owner": ["Enter the team or role that owns it"],
        "due_date": ["Enter the due date as a day, month and year, for example 31 3 2027"],
    }
    past = client.post(url, {"what": "Run a bus", "owner": "Transport", "due_date": _in(-2)})
    assert past.context["form"].errors == {"due_date": ["The due date must be in the future"]}
    done = client.post(url, {"what": "Run a bus", "owner": "Transport", "due_date": _in(60)})
    commitment = Commitment.objects.get()
    assert done["Location"] == commitment.get_absolute_url()


def test_a_responder_adds_a_commitment_to_a_call_for_views_on_the_page(client):
    call = published_call()
    client.force_login(call.opened_by)
    url = reverse("tracker:add_call_commitment", args=[call.pk])
    done = client.post(
        url, {"what": "Open late", "owner": "Primary care team", "due_date": _in(60)}
    )
    assert done.status_code == 302
    assert Commitment.objects.get().call_for_views == call


def test_another_bodys_responder_cannot_add_a_commitment(client):
    answer, _ = answered_referral()
    _, other = answered_referral(Organisation.objects.get(type="icb", code="QOQ"))
    client.force_login(other)
    url = reverse("tracker:add_answer_commitment", args=[answer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"what": "x", "owner": "y", "due_date": _in(10)}).status_code == 403


# Updates ----------------------------------------------------------------------------------------


def test_the_owner_updates_a_commitment_on_the_page(client):
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    client.force_login(responder)
    url = reverse("tracker:update_commitment", args=[commitment.pk])
    page = client.get(url)
    assert 'value="not_started" checked' in page.content.decode()
    errors = client.post(url, {"status": "not_done", "note": "We stopped."})
    assert errors.context["form"].errors == {
        "reasons": ["Enter why it was not done. The reasons will be published"]
    }
    done = client.post(
        url,
        {
            "status": "in_progress",
            "note": "The first buses run next week.",
            "evidence_title": "Timetable",
            "evidence_url": "https://example.org/timetable",
            "due_date": _in(120),
        },
    )
    assert done["Location"] == commitment.get_absolute_url()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.due_date == timezone.localdate() + datetime.timedelta(days=120)
    detail = client.get(commitment.get_absolute_url()).content.decode()
    assert "The first buses run next week." in detail
    assert "The due date moved" in detail
    assert 'href="https://example.org/timetable"' in detail


def test_the_secretariat_can_update_any_commitment(client):
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    client.force_login(secretariat_member())
    url = reverse("tracker:update_commitment", args=[commitment.pk])
    client.post(url, {"status": "in_progress", "note": "Chased by the secretariat."})
    assert commitment.updates.get().posted_as == "NHS Citizen secretariat"


def test_your_commitments_lists_a_responders_work(client):
    answer, responder = answered_referral()
    services.check_add_commitment(by=responder, to=answer, draft=draft("Run a bus"))
    record_board_response()  # NHS England's: not this responder's
    client.force_login(responder)
    page = client.get(reverse("tracker:your_commitments"))
    assert [row.commitment.what for row in page.context["rows"]] == ["Run a bus"]
    assert [a.pk for a, _title in page.context["answers"]] == [answer.pk]
    assert icb().name in page.content.decode()


def test_board_members_see_nhs_englands_commitments(client):
    answer, responder = answered_referral()
    services.check_add_commitment(by=responder, to=answer, draft=draft("Run a bus"))
    record_board_response(commitments=[draft("Publish waits")])
    client.force_login(board_member())
    page = client.get(reverse("tracker:your_commitments"))
    assert [row.commitment.what for row in page.context["rows"]] == ["Publish waits"]
