"""The rate limit's client address behind our own proxies: X-Forwarded-For is read only as far
as ``API_TRUSTED_PROXY_COUNT`` says, never by default."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from nhs_citizen.api.conventions import client_of

SOCKET = "10.0.0.5"


def _request(forwarded: str | None = None):
    extra = {"REMOTE_ADDR": SOCKET}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/api/v1/flags", **extra)


def test_by_default_the_header_is_ignored(settings):
    assert settings.API_TRUSTED_PROXY_COUNT == 0
    assert client_of(_request("203.0.113.9")) == SOCKET


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote its own entry first: only the one our proxy added counts.
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "203.0.113.9:5123", "203.0.113.9"),
        # Fewer entries than proxies, or not an address: the socket's address, never a guess.
        (2, "203.0.113.9", SOCKET),
        (1, "not-an-address", SOCKET),
        (1, "", SOCKET),
    ],
)
def test_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.API_TRUSTED_PROXY_COUNT = proxies
    assert client_of(_request(forwarded)) == expected


@pytest.mark.django_db
def test_clients_behind_one_proxy_are_counted_apart(client, settings):
    settings.API_TRUSTED_PROXY_COUNT = 1
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_WINDOW = 3600

    def get(address):
        return client.get("/api/v1/flags", HTTP_X_FORWARDED_FOR=f"9.9.9.9, {address}")

    assert [get("203.0.113.1").status_code for _ in range(3)] == [200, 200, 429]
    # Another client behind the same proxy still has its own allowance.
    assert get("203.0.113.2").status_code == 200
    # Writing a different address of one's own in front changes nothing.
    assert (
        client.get("/api/v1/flags", HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.1").status_code == 429
    )
