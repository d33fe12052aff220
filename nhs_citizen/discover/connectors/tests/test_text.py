from datetime import UTC, datetime

from nhs_citizen.discover.connectors import KINDS, ConnectorError, check_config, fetch
from nhs_citizen.discover.connectors.base import TimeCursor, make_item, parse_datetime
from nhs_citizen.discover.connectors.text import MAX_TEXT, clip, html_to_text, to_plain


def test_html_to_text():
    html = (
        "<div><h2>Title</h2><p>First &amp; <b>bold</b>.</p><p>Second<br>line</p>"
        "<script>bad()</script><style>p{}</style><ul><li>one</li><li>two</li></ul>"
        "<table><tr><td>a</td><td>b</td></tr></table>&nbsp;<img alt='a smiling nurse'></div>"
    )
    assert html_to_text(html) == (
        "Title\n\nFirst & bold.\n\nSecond\nline\n\none\ntwo\n\na b\na smiling nurse"
    )
    assert to_plain("a < b and c > d") == "a < b and c > d"  # not HTML: left alone
    assert to_plain("  lots   of\n\n\n\nspace ") == "lots of\n\nspace"


def test_clip():
    text = "word " * 2000
    clipped = clip(text.strip())
    assert len(clipped) <= MAX_TEXT and clipped.endswith("word…")
    assert make_item("x", text, None).text == clipped


def test_parse_datetime():
    assert parse_datetime("2026-11-21T09:15:00Z") == datetime(2026, 11, 21, 9, 15, tzinfo=UTC)
    assert parse_datetime("Sat, 21 Nov 2026 09:15:00 +0100") == datetime(
        2026, 11, 21, 8, 15, tzinfo=UTC
    )
    assert parse_datetime(1795176000000) == datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert parse_datetime("soon") is None


def test_time_cursor_round_trip_and_garbage():
    cursor = TimeCursor()
    items = [
        make_item("a", "x", datetime(2026, 1, 1, tzinfo=UTC)),
        make_item("b", "x", datetime(2026, 1, 2, tzinfo=UTC)),
        make_item("c", "x", None),
    ]
    assert cursor.take_new(items, 10) == [items[0], items[1], items[2]]
    again = TimeCursor.load(cursor.dump())
    assert again.take_new(items, 10) == []
    assert TimeCursor.load("not json at all").newest is None


def test_unknown_kind_and_bad_config():
    assert set(KINDS) == {"rss", "mastodon", "bluesky", "imap", "json_feed"}
    assert check_config("twitter", {}) == ["We do not know the source type 'twitter'."]
    try:
        fetch("mastodon", {"instance": "https://m.example"})
    except ConnectorError as error:
        assert error.retryable is False
        assert error.message == "Enter the hashtag to follow."
    else:  # pragma: no cover
        raise AssertionError("expected ConnectorError")
