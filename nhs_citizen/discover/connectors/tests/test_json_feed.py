from datetime import UTC, datetime

import pytest

from nhs_citizen.discover.connectors import ConnectorError, check_config, fetch

CUSTOM_FIELDS = {
    "id": "ref",
    "text": "attributes.body",
    "date": "attributes.submitted",
    "url": "links.self",
    "place": "attributes.location.postcode_district",
    "group": "attributes.organisation.name",
}


@pytest.fixture
def feeds(web):
    web.serve_file("/feed.json", "jsonfeed.json", "application/feed+json")
    web.serve_file("/api/listening", "custom.json", "application/json")
    return web


def test_json_feed_items(feeds):
    result = fetch("json_feed", {"url": feeds.url("/feed.json")})
    assert [i.original_id for i in result.items] == ["pv-2026-116", "pv-2026-117", "pv-2026-118"]
    crisis = result.items[-1]
    assert crisis.text == (
        "I called the crisis line at 2am and a real person answered within two minutes."
    )
    assert crisis.url == "https://patient-voice.example.org/posts/118"
    assert crisis.said_at == datetime(2026, 11, 20, 22, 10, tzinfo=UTC)
    assert crisis.group == "Riverside Patient Voice"
    assert result.items[0].text == "Our dentist stopped taking NHS patients."  # text preferred


def test_custom_json_with_nested_fields(feeds):
    config = {
        "url": feeds.url("/api/listening"),
        "items_path": "data.results",
        "fields": CUSTOM_FIELDS,
    }
    result = fetch("json_feed", config)
    assert [i.original_id for i in result.items] == ["5013", "5012"]  # empty body skipped
    walk_in = result.items[-1]
    assert walk_in.text == "The new walk-in centre is great \u2014 I was seen in 20 minutes."
    assert walk_in.said_at == datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # epoch seconds
    assert walk_in.place == "RV3"
    assert walk_in.group == "Riverside Tenants Association"
    assert walk_in.url == "https://survey.example.org/r/5012"


def test_cursor_and_stable_ids(feeds):
    config = {
        "url": feeds.url("/api/listening"),
        "items_path": "data.results",
        "fields": CUSTOM_FIELDS,
    }
    first = fetch("json_feed", config)
    assert fetch("json_feed", config, first.cursor).items == []
    assert fetch("json_feed", config).items == first.items
    one = fetch("json_feed", {"url": feeds.url("/feed.json")}, limit=1)
    two = fetch("json_feed", {"url": feeds.url("/feed.json")}, one.cursor, limit=5)
    assert [i.original_id for i in one.items + two.items] == [
        "pv-2026-116",
        "pv-2026-117",
        "pv-2026-118",
    ]


def test_errors(web):
    web.fail("/feed.json", 503)
    with pytest.raises(ConnectorError) as caught:
        fetch("json_feed", {"url": web.url("/feed.json")})
    assert caught.value.retryable is True

    web.routes["/bad.json"] = lambda r: (200, {"Content-Type": "application/json"}, b"{nope")
    with pytest.raises(ConnectorError) as caught:
        fetch("json_feed", {"url": web.url("/bad.json")})
    assert caught.value.retryable is False

    web.serve_file("/feed2.json", "jsonfeed.json", "application/json")
    with pytest.raises(ConnectorError) as caught:
        fetch("json_feed", {"url": web.url("/feed2.json"), "items_path": "data.results"})
    assert caught.value.retryable is False
    assert "data.results" in caught.value.message


def test_check_config():
    assert check_config("json_feed", {"url": "https://x.org/feed.json"}) == []
    assert check_config(
        "json_feed", {"url": "https://x.org/f", "fields": {"body": "attributes.body"}}
    ) == ["'body' is not a field we know. Use: id, text, date, url, place, group."]
    assert check_config("json_feed", {"url": "https://x.org/f", "fields": {"text": ""}}) == [
        "The path for 'text' must be text, like content.body."
    ]
