"""Asking for a document in another format or language (ADR 0036): due dates in working days
like a referral, the secretariat's queue with what is overdue, and the requester's status."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from nhs_citizen.accounts.models import FormatRequest
from nhs_citizen.accounts.needs_services import check_mark_request_sent, check_request_format
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db

# A Friday in London, in the morning.
FRIDAY = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sol Secretariat", roles=("secretariat",))


def _ask(user, **overrides):
    values = {
        "document": "The information pack for the Assembly Meeting",
        "format": "large_print",
        "send_by": "email",
    }
    values.update(overrides)
    return check_request_format(requester=user, **values)


def test_a_request_is_due_ten_working_days_later_and_the_requester_sees_it(
    client, signed_in, citizen
):
    signed_in(citizen)
    with time_machine.travel(FRIDAY, tick=False):
        response = client.post(
            reverse("accounts:ask_for_format"),
            {
                "document": "  The information pack   for the Assembly Meeting ",
                "format": "large_print",
                "language": "",
                "send_by": "post",
                "postal_address": "12 Park Road\nLeeds\nLS1 4AB",
            },
            follow=True,
        )
    asked = FormatRequest.objects.get(requester=citizen)
    assert asked.document == "The information pack for the Assembly Meeting"
    assert asked.due_date == dt.date(2026, 12, 18)
    assert asked.postal_address == "12 Park Road\nLeeds\nLS1 4AB"
    page = response.content.decode()
    assert "We will send it by 18 December 2026" in page
    assert "We will send it by 18 December 2026." in page
    entry = AuditEntry.objects.get(action="accounts.format_requested")
    assert entry.actor == citizen and not entry.is_public
    assert "Leeds" not in entry.summary + str(entry.data)


def test_a_link_can_fill_in_what_to_ask_for(client, signed_in, citizen):
    signed_in(citizen)
    page = client.get(
        reverse("accounts:ask_for_format")
        + "?format=another_language&language=pl&document=The+email%3A+Your+flag"
    ).content.decode()
    assert 'value="The email: Your flag"' in page
    assert '<option value="pl" selected>Polish</option>' in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"document": ""}, "Enter which document or page you want"),
        ({"format": "smoke_signals"}, "Select one of the options"),
        ({"format": "another_language", "language": ""}, "Select the language you want"),
        ({"send_by": "post", "postal_address": "  "}, "Enter the address to post it to"),
        ({"send_by": ""}, "Select how you want us to send it"),
        ({"document": "x" * 301}, "300 characters or fewer"),
    ],
)
def test_a_bad_request_gets_a_clear_error_and_nothing_is_made(
    client, signed_in, citizen, changes, message
):
    signed_in(citizen)
    data = {
        "document": "The privacy notice",
        "format": "braille",
        "language": "",
        "send_by": "email",
        "postal_address": "",
        **changes,
    }
    response = client.post(reverse("accounts:ask_for_format"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FormatRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.format_requested").exists()


def test_the_queue_shows_overdue_requests_and_the_secretariat_marks_one_sent(
    client, signed_in, citizen, secretariat
):
    with time_machine.travel(FRIDAY - dt.timedelta(days=30), tick=False):
        late = _ask(citizen, document="The Board's response")
    with time_machine.travel(FRIDAY, tick=False):
        fresh = _ask(citizen, format="another_language", language="ro")
        signed_in(secretariat)
        page = client.get(reverse("accounts:format_requests")).content.decode()
        assert "1 request is overdue" in page
        assert "Overdue: it was due by 18 November 2026" in page
        assert "Waiting: due by 18 December 2026" in page
        assert "Romanian" in page
        response = client.post(
            reverse("accounts:format_request", args=[late.pk]),
            {"note": "Emailed a large print PDF"},
        )
        assert response.status_code == 302
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.is_done and late.done_by == secretariat and late.note == "Emailed a large print PDF"
    assert not fresh.is_done
    entry = AuditEntry.objects.get(action="accounts.format_request_sent")
    assert entry.data == {"on_time": False}
    assert "after the date it was due" in entry.summary

    signed_in(citizen)
    with time_machine.travel(FRIDAY, tick=False):
        page = client.get(reverse("accounts:your_account")).content.decode()
    assert "We sent it on 4 December 2026." in page


def test_a_request_cannot_be_marked_sent_twice(client, signed_in, citizen, secretariat):
    asked = _ask(citizen)
    check_mark_request_sent(request=asked, done_by=secretariat)
    signed_in(secretariat)
    response = client.post(reverse("accounts:format_request", args=[asked.pk]), {"note": "Again"})
    assert response.status_code == 200
    assert "already been marked as sent" in response.content.decode()
    asked.refresh_from_db()
    assert asked.note == ""
    assert AuditEntry.objects.filter(action="accounts.format_request_sent").count() == 1


@pytest.mark.parametrize("who", ["visitor", "citizen", "moderator", "board_member"])
def test_only_the_secretariat_sees_the_queue_and_marks_requests(client, signed_in, citizen, who):
    asked = _ask(citizen, send_by="post", postal_address="1 High Street, York")
    if who == "citizen":
        signed_in(citizen)
    elif who != "visitor":
        signed_in(make_user(f"{who}@example.com", roles=(who,)))
    assert client.get(reverse("accounts:format_requests")).status_code == 403
    response = client.get(reverse("accounts:format_request", args=[asked.pk]))
    assert response.status_code == 403
    assert client.post(reverse("accounts:format_request", args=[asked.pk])).status_code == 403
    asked.refresh_from_db()
    assert not asked.is_done


def test_the_staff_area_counts_the_waiting_requests(client, signed_in, citizen, secretariat):
    _ask(citizen)
    _ask(citizen, format="audio")
    signed_in(secretariat)
    page = client.get(reverse("accounts:staff_area")).content.decode()
    assert "Requests for other formats" in page
    assert "2 requests waiting" in page
