"""Fetching from sources on a schedule: back-off when a source fails, no duplicates when it is
fetched again, secrets stored encrypted, and settings checked in plain English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.discover import connectors
from nhs_citizen.discover.models import Batch, BatchStatus, Item, Source, SourceKind
from nhs_citizen.discover.services import sources
from nhs_citizen.discover.tests.helpers import incoming, make_source

pytestmark = pytest.mark.django_db


class FakeFeed:
    def __init__(self):
        self.calls = []
        self.outcomes = []

    def __call__(self, kind, config, cursor="", **kwargs):
        self.calls.append((kind, dict(config), cursor))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@pytest.fixture
def feed(monkeypatch):
    fake = FakeFeed()
    monkeypatch.setattr(connectors, "fetch", fake)
    return fake


def _result(ids, cursor):
    return connectors.FetchResult(
        items=[
            incoming(f"Statement number {i} about the clinic", original_id=f"id-{i}") for i in ids
        ],
        cursor=cursor,
    )


def test_a_failing_source_waits_longer_each_time_and_recovers(feed):
    source = make_source(poll_every_minutes=10)
    now = timezone.now()
    feed.outcomes = [
        connectors.ConnectorError("The feed did not answer in time.", retryable=True),
        connectors.ConnectorError("The feed did not answer in time.", retryable=True),
        _result([1, 2], "c1"),
    ]
    batch = sources.do_poll_source(source.pk, now=now)
    source.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert source.failures == 1
    assert source.next_poll_at == now + dt.timedelta(minutes=20)
    assert "did not answer" in source.last_error
    # Not due yet: nothing happens.
    assert sources.do_poll_source(source.pk, now=now + dt.timedelta(minutes=5)) is None
    later = now + dt.timedelta(minutes=21)
    sources.do_poll_source(source.pk, now=later)
    source.refresh_from_db()
    assert source.failures == 2
    assert source.next_poll_at == later + dt.timedelta(minutes=40)
    latest = later + dt.timedelta(minutes=41)
    batch = sources.do_poll_source(source.pk, now=latest)
    source.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.new_count == 2
    assert (source.failures, source.last_error, source.cursor) == (0, "", "c1")
    assert source.next_poll_at == latest + dt.timedelta(minutes=10)


def test_a_problem_that_will_not_fix_itself_waits_a_day():
    assert sources.wait_after_failure(10, 1, retryable=False) == dt.timedelta(hours=24)
    assert sources.wait_after_failure(10, 30, retryable=True) == dt.timedelta(hours=24)


def test_an_unexpected_error_is_caught_and_the_source_backs_off(feed):
    source = make_source(poll_every_minutes=15)
    feed.outcomes = [RuntimeError("boom")]
    batch = sources.do_poll_source(source.pk)
    source.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert source.failures == 1 and "try again" in source.last_error


def test_fetching_again_passes_the_cursor_and_never_duplicates(feed):
    source = make_source()
    feed.outcomes = [_result([1, 2, 3], "c1"), _result([2, 3, 4], "c2")]
    sources.do_poll_source(source.pk, force=True)
    batch = sources.do_poll_source(source.pk, force=True)
    assert feed.calls[1][2] == "c1"
    assert batch.new_count == 1
    assert Item.objects.filter(source=source).count() == 4


def test_due_sources_are_fetched_and_paused_ones_are_not(feed):
    due = make_source("Due", next_poll_at=timezone.now() - dt.timedelta(minutes=1))
    make_source("Later", next_poll_at=timezone.now() + dt.timedelta(hours=1))
    make_source("Paused", active=False)
    Source.objects.create(name="Tell us", kind=SourceKind.TELL_US)
    feed.outcomes = [_result([1], "x")]
    batches = sources.do_poll_due_sources()
    assert [b.source_id for b in batches] == [due.pk]


def test_secrets_are_encrypted_and_kept_when_the_form_leaves_them_empty(feed):
    curator = make_user("c@example.com", roles=("curator",))
    feed.outcomes = []
    source = sources.check_save_source(
        curator=curator,
        source=None,
        name="Patient inbox",
        kind=SourceKind.IMAP,
        settings_values={
            "host": "127.0.0.1",
            "port": 1143,
            "ssl": False,
            "username": "listen",
            "password": "s3cret-password",
            "folder": "INBOX",
        },
    )
    assert "s3cret-password" not in source.secret
    assert "password" not in source.config
    assert sources.decrypt_secrets(source.secret)["password"] == "s3cret-password"
    source = sources.check_save_source(
        curator=curator,
        source=source,
        name="Patient inbox",
        kind=SourceKind.IMAP,
        settings_values={
            "host": "127.0.0.1",
            "port": 1143,
            "ssl": False,
            "username": "listen",
            "password": "",
        },
    )
    assert sources.decrypt_secrets(source.secret)["password"] == "s3cret-password"


def test_bad_settings_are_explained_and_nothing_is_saved():
    curator = make_user("c@example.com", roles=("curator",))
    with pytest.raises(ValidationError) as error:
        sources.check_save_source(
            curator=curator,
            source=None,
            name="Feed",
            kind=SourceKind.RSS,
            settings_values={"url": "not a web address"},
        )
    assert error.value.messages
    with pytest.raises(ValidationError):
        sources.check_save_source(
            curator=curator, source=None, name="", kind="telegraph", settings_values={}
        )
    assert Source.objects.count() == 0
    assert Batch.objects.count() == 0
