"""Preferences, fan-out in batches, summaries at most once a period, unsubscribing and the
suppression list (ADR 0031)."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.gather.models import Support
from nhs_citizen.gather.services.notify import notify_flag_audience
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.notifications import services
from nhs_citizen.notifications.anymail import receive_tracking_event
from nhs_citizen.notifications.emails import unsubscribe_token, unsubscribe_url
from nhs_citizen.notifications.kinds import Delivery, Kind
from nhs_citizen.notifications.models import Digest, Notification, Preference, SuppressedAddress

pytestmark = pytest.mark.django_db

User = get_user_model()


def _supporters(flag, n: int, prefix: str = "sup") -> list:
    people = User.objects.bulk_create(
        [User(email=f"{prefix}{i}-{flag.pk}@example.com", display_name=f"P {i}") for i in range(n)]
    )
    people = list(
        User.objects.filter(email__startswith=prefix, email__endswith=f"-{flag.pk}@example.com")
    )
    Support.objects.bulk_create([Support(flag=flag, user=p) for p in people], ignore_conflicts=True)
    return people


# Preferences ------------------------------------------------------------------------------------


def test_defaults_authors_straight_away_supporters_daily():
    user = make_user()
    chosen = services.preferences_for(user)
    assert chosen[Kind.YOUR_FLAGS] == Delivery.IMMEDIATELY
    assert chosen[Kind.BACKED_FLAGS] == Delivery.DAILY
    assert chosen[Kind.ANSWERS] == Delivery.DAILY


def test_a_choice_is_stored_once_per_kind_and_bad_choices_change_nothing():
    user = make_user()
    services.do_set_preferences(user=user, choices={Kind.ANSWERS: Delivery.WEEKLY})
    services.do_set_preferences(user=user, choices={Kind.ANSWERS: Delivery.OFF})
    assert Preference.objects.get(user=user, kind=Kind.ANSWERS).delivery == Delivery.OFF
    with pytest.raises(ValidationError) as error:
        services.do_set_preferences(
            user=user, choices={Kind.ANSWERS: Delivery.DAILY, Kind.COMMITMENTS: "hourly"}
        )
    assert "commitments" in error.value.message_dict
    assert Preference.objects.get(user=user, kind=Kind.ANSWERS).delivery == Delivery.OFF
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(user=user, kind=Kind.ANSWERS, delivery=Delivery.DAILY)


def test_the_settings_page_saves_and_shows_an_error_per_question(client, signed_in):
    user = make_user()
    signed_in(user)
    url = reverse("notifications:settings")
    page = client.get(url).content.decode()
    assert "How often we email you" in page
    data = services.preferences_for(user)
    data[Kind.ANSWERS] = "hourly"
    del data[Kind.COMMITMENTS]
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select how often we email you about answers to flags" in body
    assert "Select how often we email you about promises made" in body
    assert not Preference.objects.filter(user=user).exists()
    data = services.preferences_for(user)
    data[Kind.BACKED_FLAGS] = Delivery.WEEKLY
    response = client.post(url, data)
    assert response.status_code == 302
    assert services.preferences_for(user)[Kind.BACKED_FLAGS] == Delivery.WEEKLY
    account = client.get(reverse("accounts:your_account")).content.decode()
    assert "Emails we send you" in account
    assert "Flags you support or follow: once a week" in account


def test_the_settings_page_needs_signing_in(client):
    response = client.get(reverse("notifications:settings"))
    assert response.status_code == 302


# Fan-out ----------------------------------------------------------------------------------------


def test_the_request_costs_the_same_however_many_support_the_flag(
    django_capture_on_commit_callbacks,
):
    small, large = raise_flag(), raise_flag(title="Shorter waits for hearing tests")
    _supporters(small, 3, "small")
    _supporters(large, 60, "large")
    counts = []
    for flag in (small, large):
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                notify_flag_audience(flag, "Your flag moved", "It moved.")
        counts.append(len(queries))
        assert len(callbacks) == 1  # one job for everyone
    assert counts[0] == counts[1]


def test_the_job_writes_messages_in_batches_by_preference(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    flag = raise_flag()
    people = _supporters(flag, 25)
    services.do_set_preferences(user=people[0], choices={Kind.BACKED_FLAGS: Delivery.IMMEDIATELY})
    services.do_set_preferences(user=people[1], choices={Kind.BACKED_FLAGS: Delivery.OFF})
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            notify_flag_audience(flag, "Your flag moved", "It moved.")
    inserts = [
        q
        for q in queries
        if q["sql"].startswith("INSERT") and '"notifications_notification"' in q["sql"][:60]
    ]
    assert len(inserts) == 1 + 3  # the author, then 25 supporters in batches of 10
    told = Notification.objects.filter(subject="Your flag moved")
    assert told.count() == 26
    assert told.get(user=flag.raised_by).delivery == Delivery.IMMEDIATELY
    assert told.get(user=people[0]).delivery == Delivery.IMMEDIATELY
    assert told.get(user=people[1]).delivery == Delivery.OFF
    assert told.filter(delivery=Delivery.DAILY).count() == 23
    assert sorted(m.to[0] for m in mail.outbox) == sorted([flag.raised_by.email, people[0].email])
    # Told again (a retry, or the same change twice): nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        notify_flag_audience(flag, "Your flag moved", "It moved.")
    assert told.count() == 26
    assert len(mail.outbox) == 2


def test_the_author_who_also_supports_is_told_once_as_the_author(
    django_capture_on_commit_callbacks,
):
    flag = raise_flag()
    Support.objects.get_or_create(flag=flag, user=flag.raised_by)
    with django_capture_on_commit_callbacks(execute=True):
        notify_flag_audience(flag, "Your flag moved", "It moved.")
    assert Notification.objects.get(user=flag.raised_by).kind == Kind.YOUR_FLAGS


# Summaries --------------------------------------------------------------------------------------


def test_each_person_gets_at_most_one_summary_per_period(django_capture_on_commit_callbacks):
    flag = raise_flag()
    people = _supporters(flag, 5)
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notify_flag_audience(flag, f"Change {n}", f"Body {n}.")
    mail.outbox.clear()
    assert services.do_send_digests(Delivery.DAILY) == 5
    assert len(mail.outbox) == 5
    for message in mail.outbox:
        assert message.subject == "Your daily summary from NHS Citizen: 3 updates"
        assert all(f"Body {n}." in message.body for n in range(3))
    # Something new the same day waits for tomorrow's summary.
    with django_capture_on_commit_callbacks(execute=True):
        notify_flag_audience(flag, "Change 4", "Body 4.")
    mail.outbox.clear()  # the author's own e-mail, straight away
    services.do_send_digests(Delivery.DAILY)
    assert mail.outbox == []
    assert Digest.objects.filter(period=Delivery.DAILY, sent_at__isnull=False).count() == 5
    with pytest.raises(IntegrityError), transaction.atomic():
        Digest.objects.create(
            user=people[0], period=Delivery.DAILY, period_start=Digest.objects.first().period_start
        )
    # The next day it goes.
    tomorrow = datetime(2099, 1, 2, 9, tzinfo=ZoneInfo("Europe/London"))
    services.do_send_digests(Delivery.DAILY, now=tomorrow)
    assert len(mail.outbox) == 5
    assert "Body 4." in mail.outbox[-1].body


def test_weekly_summaries_start_on_monday():
    wednesday = datetime(2026, 12, 2, 12, tzinfo=ZoneInfo("Europe/London"))
    assert services.period_start(Delivery.WEEKLY, wednesday).isoformat() == "2026-11-30"
    assert services.period_start(Delivery.DAILY, wednesday).isoformat() == "2026-12-02"


# E-mails and unsubscribing ----------------------------------------------------------------------


def test_every_email_is_html_and_text_with_one_click_unsubscribe_headers(
    django_capture_on_commit_callbacks,
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_notify(user=user, subject="Your story is published", body="Thank you.")
    message = mail.outbox[0]
    assert message.subject == "NHS Citizen: Your story is published"
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Thank you." in html and 'lang="en-GB"' in html
    link = unsubscribe_url(user.pk, [Kind.ACCOUNT])
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body and link in html


def test_unsubscribing_asks_first_then_turns_off_without_signing_in(client):
    user = make_user()
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk, [Kind.ANSWERS])])
    page = client.get(url)
    assert page.status_code == 200 and "Stop these emails" in page.content.decode()
    assert not Preference.objects.filter(user=user).exists()
    response = client.post(url)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert services.preferences_for(user)[Kind.ANSWERS] == Delivery.OFF
    assert services.preferences_for(user)[Kind.COMMITMENTS] == Delivery.DAILY


def test_a_mail_providers_one_click_post_unsubscribes_at_once():
    from django.test import Client

    user = make_user()
    url = reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(user.pk, [Kind.BACKED_FLAGS])]
    )
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert services.preferences_for(user)[Kind.BACKED_FLAGS] == Delivery.OFF


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_changed_link_changes_nothing(client, method):
    user = make_user()
    token = unsubscribe_token(user.pk, [Kind.ANSWERS])
    someone_else = make_user(next_email())
    # Someone else's details with this person's signature, and a link signed with another key.
    other = unsubscribe_token(someone_else.pk, [Kind.ANSWERS])
    forged = other.rsplit(":", 1)[0] + ":" + token.rsplit(":", 1)[1]
    wrong_key = signing.dumps([user.pk, [Kind.ANSWERS]], key="not-our-secret-key-at-all")
    assert forged != other and forged != token
    for bad in (token[:-2] + "xx", forged, wrong_key, "nonsense", token + "a"):
        response = getattr(client, method)(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not Preference.objects.exists()


def test_off_means_no_email_but_the_message_is_still_on_the_account_page(
    django_capture_on_commit_callbacks,
):
    user = make_user()
    services.do_set_preferences(user=user, choices={Kind.ACCOUNT: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        services.do_notify(user=user, subject="S", body="B")
    assert mail.outbox == []
    assert user.notifications.count() == 1
    services.do_send_digests(Delivery.DAILY)
    assert mail.outbox == []


# Suppression list -------------------------------------------------------------------------------


def test_suppressed_addresses_get_nothing(django_capture_on_commit_callbacks):
    bounced = make_user("Bounced@Example.com")
    fine = make_user(next_email())
    services.do_suppress_address(email="bounced@example.com", reason="bounced")
    for person in (bounced, fine):
        services.do_set_preferences(user=person, choices={Kind.ANSWERS: Delivery.DAILY})
        with django_capture_on_commit_callbacks(execute=True):
            services.do_notify(user=person, subject="Now", body="B")
            services.do_notify(user=person, subject="Later", body="B", kind=Kind.ANSWERS)
    services.do_send_digests(Delivery.DAILY)
    assert {m.to[0] for m in mail.outbox} == {fine.email}
    assert len(mail.outbox) == 2


def test_the_anymail_receiver_adds_bounces_and_complaints_only():
    def event(kind, to):
        return SimpleNamespace(event_type=kind, recipient=to, description="550 no such user")

    assert receive_tracking_event(
        sender=None, event=event("bounced", "A@Example.com"), esp_name="Amazon SES"
    )
    assert receive_tracking_event(event=event("complained", "b@example.com"))
    assert not receive_tracking_event(event=event("delivered", "c@example.com"))
    assert not receive_tracking_event(event=event("bounced", "A@example.com"))  # already there
    assert not receive_tracking_event(event=event("bounced", ""))
    assert set(SuppressedAddress.objects.values_list("email", "reason")) == {
        ("a@example.com", "bounced"),
        ("b@example.com", "complained"),
    }
    assert services.is_suppressed("A@EXAMPLE.COM")
    with pytest.raises(ValidationError):
        services.do_suppress_address(email="not an address", reason="bounced")


def test_the_cron_command_sends_the_weekly_summaries(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    user = make_user()
    services.do_set_preferences(user=user, choices={Kind.ACCOUNT: Delivery.WEEKLY})
    with django_capture_on_commit_callbacks(execute=True):
        services.do_notify(user=user, subject="S", body="Weekly news.")
    assert mail.outbox == []
    call_command("send_digests", "daily")
    assert mail.outbox == []
    call_command("send_digests", "weekly")
    assert [m.subject for m in mail.outbox] == ["Your weekly summary from NHS Citizen: 1 update"]
    call_command("send_digests", "weekly")
    assert len(mail.outbox) == 1
