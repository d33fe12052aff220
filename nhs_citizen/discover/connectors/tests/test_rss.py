from datetime import UTC, datetime

import pytest

from nhs_citizen.discover.connectors import ConnectorError, check_config, fetch


@pytest.fixture
def feeds(web):
    web.serve_file("/feed.xml", "rss2.xml", "application/rss+xml; charset=utf-8")
    web.serve_file("/atom.xml", "atom.xml", "application/atom+xml", etag='"atom-v1"')
    return web


def test_rss_items_have_provenance_and_plain_text(feeds):
    result = fetch("rss", {"url": feeds.url("/feed.xml")})
    by_id = {item.original_id: item for item in result.items}
    assert set(by_id) == {
        "hw-riverside-2026-0457",
        "hw-riverside-2026-0456",
        "https://healthwatch-riverside.example.org/stories/pharmacy",  # no guid: the link
        "hw-riverside-2026-0450",
    }
    gp = by_id["hw-riverside-2026-0457"]
    assert gp.text == (
        "Waiting for a GP appointment\n\n"
        "I rang the surgery at 8am every day for a week & still couldn\u2019t get through.\n\n"
        "In the end I went to A&E."
    )
    assert "<" not in gp.text and "alert" not in gp.text
    assert gp.said_at == datetime(2026, 11, 21, 9, 15, tzinfo=UTC)
    assert gp.url == "https://healthwatch-riverside.example.org/stories/gp-waits"
    assert gp.group == "Healthwatch Riverside: What you told us"
    ward = by_id["hw-riverside-2026-0456"]
    assert "Robin Ward explained everything" in ward.text  # full content wins over summary
    assert "They were patient\nThey listened" in ward.text
    assert "£14" in by_id["hw-riverside-2026-0450"].text
    # Oldest first, so a cut-off by ``limit`` never leaves a gap.
    assert [i.said_at for i in result.items] == sorted(i.said_at for i in result.items)


def test_rss_cursor_gives_no_repeats_and_ids_are_stable(feeds):
    first = fetch("rss", {"url": feeds.url("/feed.xml")})
    again = fetch("rss", {"url": feeds.url("/feed.xml")}, first.cursor)
    assert again.items == []
    fresh = fetch("rss", {"url": feeds.url("/feed.xml")})
    assert [i.original_id for i in fresh.items] == [i.original_id for i in first.items]


def test_rss_limit_carries_on_next_time_without_gaps_even_with_equal_times(feeds):
    config = {"url": feeds.url("/feed.xml")}
    seen, cursor = [], ""
    for _ in range(5):
        result = fetch("rss", config, cursor, limit=1)
        seen += [i.original_id for i in result.items]
        cursor = result.cursor
    # Two entries share 20 Nov 16:00; both come through, once each.
    assert sorted(seen) == sorted(i.original_id for i in fetch("rss", config).items)
    assert len(seen) == len(set(seen)) == 4


def test_atom_feed_and_etag(feeds):
    first = fetch("rss", {"url": feeds.url("/atom.xml")})
    texts = {i.original_id: i for i in first.items}
    respite = texts["tag:carers-forum.example.org,2026:post-901"]
    assert respite.text.startswith("Respite care is hard to find\n\nThere is a six month wait")
    assert respite.url == "https://carers-forum.example.org/t/901"
    assert respite.group == "Riverside Carers Forum"
    nurses = texts["tag:carers-forum.example.org,2026:post-899"]
    assert nurses.said_at == datetime(2026, 11, 19, 17, 20, tzinfo=UTC)  # +01:00 made UTC
    assert "always on time" in nurses.text
    discharge = texts["tag:carers-forum.example.org,2026:post-880"]
    assert "no care plan & no medication" in discharge.text  # double-escaped entity decoded
    assert discharge.said_at == datetime(2026, 11, 12, 10, 0, tzinfo=UTC)  # updated only

    second = fetch("rss", {"url": feeds.url("/atom.xml")}, first.cursor)
    assert second.items == [] and second.cursor == first.cursor
    assert feeds.requests[-1].headers.get("if-none-match") == '"atom-v1"'


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retryable(web, status):
    web.fail("/feed.xml", status)
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": web.url("/feed.xml")})
    assert caught.value.retryable is True
    assert "try again later" in caught.value.message


def test_not_found_and_not_a_feed_are_not_retryable(web):
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": web.url("/missing.xml")})
    assert caught.value.retryable is False
    assert "404" in caught.value.message

    web.routes["/page"] = lambda r: (200, {"Content-Type": "text/html"}, b"<html>Hi</html>")
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": web.url("/page")})
    assert caught.value.retryable is False


def test_timeout_is_retryable(web):
    import time

    def slow(request):
        time.sleep(0.5)
        return 200, {}, b""

    web.routes["/slow.xml"] = slow
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": web.url("/slow.xml")}, timeout=0.1)
    assert caught.value.retryable is True


def test_connection_refused_is_retryable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": f"http://127.0.0.1:{port}/feed.xml"}, timeout=2)
    assert caught.value.retryable is True


def test_size_cap(web, monkeypatch):
    from nhs_citizen.discover.connectors import base

    monkeypatch.setattr(base, "MAX_DOWNLOAD_BYTES", 100)
    web.serve_file("/feed.xml", "rss2.xml", "application/rss+xml")
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": web.url("/feed.xml")})
    assert "too big" in caught.value.message and caught.value.retryable is False


def test_check_config():
    assert check_config("rss", {"url": "https://example.org/feed.xml"}) == []
    assert check_config("rss", {}) == ["Enter the feed address."]
    assert check_config("rss", {"url": "file:///etc/passwd"}) == [
        "The feed address must start with https:// (or http://)."
    ]
    assert check_config("rss", {"url": "ftp://example.org/x"})
    with pytest.raises(ConnectorError) as caught:
        fetch("rss", {"url": "file:///etc/passwd"})
    assert caught.value.retryable is False
