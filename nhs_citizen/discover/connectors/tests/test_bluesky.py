from datetime import UTC, datetime

import pytest

from nhs_citizen.discover.connectors import ConnectorError, check_config, fetch

from .conftest import bluesky_search, fixture_json

PATH = "/xrpc/app.bsky.feed.searchPosts"


@pytest.fixture
def server(web):
    posts = fixture_json("bluesky_search_posts.json")["posts"]
    web.posts = posts
    web.routes[PATH] = bluesky_search(posts, page_cap=2)
    return web


def config(web, **extra):
    return {"query": "#NHS", "service": web.base_url} | extra


def test_posts_with_provenance(server):
    result = fetch("bluesky", config(server))
    assert len(result.items) == 5
    newest = result.items[-1]
    assert (
        newest.original_id
        == "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbx2k4vuzk2a"
    )
    assert newest.url == (
        "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/post/3lbx2k4vuzk2a"
    )
    assert newest.text == "Ambulance took 3 hours to come for my neighbour who fell. #NHS"
    assert newest.said_at == datetime(2026, 11, 21, 9, 50, 1, 123000, tzinfo=UTC)
    maternity = next(i for i in result.items if "Maternity" in i.text)
    assert maternity.text == "Maternity unit at Riverside General was amazing.\nThank you midwives!"
    # A post claiming a date next year is placed at the time Bluesky saw it.
    future = next(i for i in result.items if "Clock set wrong" in i.text)
    assert future.said_at == datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    assert [i.said_at for i in result.items] == sorted(i.said_at for i in result.items)
    first = server.requests[0].query
    assert first["q"] == "#NHS" and first["sort"] == "latest" and "since" not in first
    assert [r.query.get("cursor") for r in server.requests] == [None, "2", "4"]


def test_cursor_gives_no_repeats_and_ids_are_stable(server):
    first = fetch("bluesky", config(server))
    again = fetch("bluesky", config(server), first.cursor)
    assert again.items == []
    # The 'since' time is sent, so the server only returns the boundary post, which we skip.
    assert server.requests[-1].query["since"] == "2026-11-21T09:50:01.123000Z"

    server.posts.extend(fixture_json("bluesky_search_posts_newer.json")["posts"])
    later = fetch("bluesky", config(server), again.cursor)
    assert [i.text for i in later.items] == ["Second run: the walk-in centre has reopened. #NHS"]

    fresh = fetch("bluesky", config(server))
    assert {i.original_id for i in fresh.items} == {
        i.original_id for i in first.items + later.items
    }


def test_limit_keeps_the_newest(server):
    result = fetch("bluesky", config(server), limit=2)
    assert [i.said_at.day for i in result.items] == [21, 21]
    assert len(server.requests) == 1  # stopped paging once it had enough


def test_login_with_app_password(web):
    import base64
    import json

    def jwt(payload):
        part = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
        return f"eyJhbGciOiJIUzI1NiJ9.{part}.c2lnbmF0dXJl"

    session = {
        "did": "did:plc:riversidevoice0000000000",
        "handle": "riverside-voice.bsky.social",
        "accessJwt": jwt({"exp": 4102444800, "iat": 1795000000, "scope": "com.atproto.appPass"}),
        "refreshJwt": jwt({"exp": 4102444800, "iat": 1795000000, "scope": "com.atproto.refresh"}),
        "active": True,
    }
    web.routes["/xrpc/com.atproto.server.createSession"] = lambda r: (
        200,
        {"Content-Type": "application/json"},
        json.dumps(session).encode(),
    )
    web.routes[PATH] = bluesky_search(fixture_json("bluesky_search_posts.json")["posts"])
    result = fetch(
        "bluesky", config(web, handle="riverside-voice.bsky.social", app_password="abcd-efgh")
    )
    assert len(result.items) == 5
    search = [r for r in web.requests if r.path == PATH][0]
    assert search.headers["authorization"] == f"Bearer {session['accessJwt']}"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retryable(web, status):
    web.fail(PATH, status)
    with pytest.raises(ConnectorError) as caught:
        fetch("bluesky", config(web))
    assert caught.value.retryable is True


def test_rate_limit_is_retryable(web):
    web.fail(PATH, 429)
    with pytest.raises(ConnectorError) as caught:
        fetch("bluesky", config(web))
    assert caught.value.retryable is True


def test_refused_and_bad_request_are_not_retryable(web):
    web.fail(PATH, 403)
    with pytest.raises(ConnectorError) as caught:
        fetch("bluesky", config(web))
    assert caught.value.retryable is False
    assert "signed-in accounts" in caught.value.message
    web.fail("/xrpc/com.atproto.server.createSession", 401)
    with pytest.raises(ConnectorError) as caught:
        fetch("bluesky", config(web, handle="me.bsky.social", app_password="wrong"))
    assert caught.value.retryable is False
    assert "handle and app password" in caught.value.message
    web.fail(PATH, 400)
    with pytest.raises(ConnectorError) as caught:
        fetch("bluesky", config(web))
    assert caught.value.retryable is False


def test_timeout_is_retryable(web):
    import time

    def slow(request):
        time.sleep(0.5)
        return 200, {"Content-Type": "application/json"}, b'{"posts": []}'

    web.routes[PATH] = slow
    with pytest.raises(ConnectorError) as caught:
        fetch("bluesky", config(web), timeout=0.1)
    assert caught.value.retryable is True


def test_check_config():
    assert check_config("bluesky", {"query": "NHS dentist"}) == []
    assert check_config("bluesky", {}) == ["Enter the words to search for."]
    assert check_config("bluesky", {"query": "x", "handle": "me.bsky.social"}) == [
        "Enter the app password for the Bluesky account, or remove the handle."
    ]
    assert check_config("bluesky", {"query": "x", "service": "bsky.social"}) == [
        "The Bluesky service address must start with https:// (or http://)."
    ]
