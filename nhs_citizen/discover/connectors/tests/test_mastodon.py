from datetime import UTC, datetime

import pytest

from nhs_citizen.discover.connectors import ConnectorError, check_config, fetch

from .conftest import fixture_json, mastodon_timeline

PATH = "/api/v1/timelines/tag/nhs"


@pytest.fixture
def server(web):
    statuses = fixture_json("mastodon_tag_nhs.json")
    web.statuses = statuses
    web.routes[PATH] = mastodon_timeline(web, statuses, page_cap=2)
    return web


def config(web, **extra):
    return {"instance": web.base_url, "hashtag": "nhs"} | extra


def test_statuses_with_provenance_reblogs_skipped_html_stripped(server):
    result = fetch("mastodon", config(server))
    ids = [i.original_id for i in result.items]
    # Oldest first; the boost (…030) is left out; paging followed over 3 pages of 2.
    assert ids == [
        "113500000000000010",
        "113500000000000020",
        "113500000000000040",
        "113500000000000050",
    ]
    assert result.cursor == "113500000000000050"
    newest = result.items[-1]
    assert newest.text == (
        "Six hours in A&E last night with my dad. Staff were run off their feet but so kind. #NHS"
    )
    assert newest.said_at == datetime(2026, 11, 21, 9, 40, 12, tzinfo=UTC)
    assert newest.url == "https://mastodon.example.social/@amira/113500000000000050"
    assert newest.group == "127.0.0.1"  # a local account: the server we asked
    gp = result.items[2]
    assert gp.text.startswith("Our GP surgery now only books appointments online.\nMy nan")
    assert gp.group == "health.example.net"  # a remote account: its home server
    warned = result.items[1]
    assert warned.text.startswith("mental health\n\nI waited 14 weeks")
    assert all("<" not in i.text for i in result.items)
    # Paging used the Link headers (max_id), with small pages.
    assert [r.query.get("max_id") for r in server.requests if r.path == PATH][:3] == [
        None,
        "113500000000000040",
        "113500000000000020",
    ]


def test_cursor_gives_only_newer_and_no_repeats(server):
    first = fetch("mastodon", config(server))
    again = fetch("mastodon", config(server), first.cursor)
    assert again.items == [] and again.cursor == first.cursor

    server.statuses.extend(fixture_json("mastodon_tag_nhs_newer.json"))
    later = fetch("mastodon", config(server), first.cursor)
    assert [i.original_id for i in later.items] == ["113500000000000060", "113500000000000070"]
    assert later.cursor == "113500000000000070"

    fresh = fetch("mastodon", config(server))
    assert {i.original_id for i in fresh.items} == {
        i.original_id for i in first.items + later.items
    }


def test_limit_never_leaves_a_gap(server):
    first = fetch("mastodon", config(server), limit=1)
    assert [i.original_id for i in first.items] == ["113500000000000050"]  # the newest
    server.statuses.extend(fixture_json("mastodon_tag_nhs_newer.json"))
    got, cursor = [], first.cursor
    for _ in range(4):
        result = fetch("mastodon", config(server), cursor, limit=1)
        got += [i.original_id for i in result.items]
        cursor = result.cursor
    assert got == ["113500000000000060", "113500000000000070"]


def test_access_token_is_sent(server):
    fetch("mastodon", config(server, access_token="s3cret-token"))
    assert server.requests[0].headers["authorization"] == "Bearer s3cret-token"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retryable(web, status):
    web.fail(PATH, status)
    with pytest.raises(ConnectorError) as caught:
        fetch("mastodon", config(web))
    assert caught.value.retryable is True


def test_rate_limit_is_retryable_and_does_not_sleep(web):
    web.fail(PATH, 429)
    with pytest.raises(ConnectorError) as caught:
        fetch("mastodon", config(web))
    assert caught.value.retryable is True


def test_bad_token_and_wrong_address_are_not_retryable(web):
    web.fail(PATH, 401)
    with pytest.raises(ConnectorError) as caught:
        fetch("mastodon", config(web, access_token="wrong"))
    assert caught.value.retryable is False
    assert "access token" in caught.value.message
    with pytest.raises(ConnectorError) as caught:
        fetch("mastodon", {"instance": web.base_url + "/nothing-here", "hashtag": "nhs"})
    assert caught.value.retryable is False


def test_timeout_is_retryable(web):
    import time

    def slow(request):
        time.sleep(0.5)
        return 200, {"Content-Type": "application/json"}, b"[]"

    web.routes[PATH] = slow
    with pytest.raises(ConnectorError) as caught:
        fetch("mastodon", config(web), timeout=0.1)
    assert caught.value.retryable is True


def test_check_config():
    good = {"instance": "https://mastodon.social", "hashtag": "NHS"}
    assert check_config("mastodon", good) == []
    assert check_config("mastodon", {}) == [
        "Enter the Mastodon server address.",
        "Enter the hashtag to follow.",
    ]
    assert check_config("mastodon", good | {"hashtag": "#NHS"}) == [
        "Write the hashtag without the # sign."
    ]
    assert check_config("mastodon", good | {"hashtag": "waiting times"}) == [
        "A hashtag can only have letters, numbers and underscores."
    ]
    assert check_config("mastodon", good | {"instance": "mastodon.social"}) == [
        "The Mastodon server address must start with https:// (or http://)."
    ]
