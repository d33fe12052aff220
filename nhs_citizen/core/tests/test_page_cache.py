"""Whole pages are cached for visitors who are not signed in, with fresh CSP nonces, ETags and
304s; nobody signed in ever gets or makes a cached page."""

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.views.decorators.cache import never_cache

from nhs_citizen.core.middleware import invalidate_page_cache

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def counted(request):
    CALLS.append(request.get_full_path())
    return HttpResponse("<p>counted</p>")


def sets_a_cookie(request):
    CALLS.append("cookie")
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def adds_a_message(request):
    CALLS.append("message")
    messages.info(request, "Something happened")
    return HttpResponse("<p>message</p>")


@never_cache
def never_cached(request):
    CALLS.append("never")
    return HttpResponse("<p>never</p>")


def breaks(request):
    CALLS.append("boom")
    raise RuntimeError("boom")


urlpatterns = [
    path("_test/counted/", counted),
    path("_test/cookie/", sets_a_cookie),
    path("_test/message/", adds_a_message),
    path("_test/never/", never_cached),
    path("_test/boom/", breaks),
    path("", include("nhs_citizen.config.urls")),
]
handler404 = "nhs_citizen.core.views.errors.page_not_found"
handler500 = "nhs_citizen.core.views.errors.server_error"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 30
    settings.ROOT_URLCONF = __name__
    CALLS.clear()


def nonce_of(response) -> str:
    return response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    first = client.get(reverse("core:open_data"))
    assert first.status_code == 200
    assert first.headers["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(reverse("core:open_data"))
    assert second.status_code == 200
    assert second.headers["X-Page-Cache"] == "hit"
    assert "Open data" in second.content.decode()
    assert second.content.replace(nonce_of(second).encode(), b"") == first.content.replace(
        nonce_of(first).encode(), b""
    )


def test_each_cached_copy_has_a_fresh_nonce_that_matches_its_header(client):
    responses = [Client().get(reverse("core:about")) for _ in range(3)]
    assert [r.headers["X-Page-Cache"] for r in responses] == ["miss", "hit", "hit"]
    nonces = [nonce_of(r) for r in responses]
    assert len(set(nonces)) == 3
    for response, nonce in zip(responses, nonces, strict=True):
        content = response.content.decode()
        assert f'nonce="{nonce}"' in content
        assert "nhs-citizen-csp-nonce" not in content
        assert content.count("nonce=") == content.count(f'nonce="{nonce}"')


def test_cached_pages_keep_the_security_headers(client):
    client.get(reverse("core:about"))
    cached = Client().get(reverse("core:about"))
    assert cached.headers["X-Page-Cache"] == "hit"
    assert cached.headers["X-Frame-Options"] == "DENY"
    assert cached.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert cached.headers["Content-Type"].startswith("text/html")
    assert int(cached.headers["Content-Length"]) == len(cached.content)


def test_anonymous_pages_are_public_for_a_short_time_and_vary_on_cookies(client):
    for response in (client.get(reverse("core:about")), Client().get(reverse("core:about"))):
        assert "public" in response.headers["Cache-Control"]
        assert "max-age=30" in response.headers["Cache-Control"]
        assert "Cookie" in response.headers["Vary"]
        assert response.headers["ETag"].startswith('W/"')
        assert response.headers["Last-Modified"].endswith("GMT")


def test_the_etag_is_the_same_for_every_copy_whatever_its_nonce(client):
    first = client.get(reverse("core:about"))
    second = Client().get(reverse("core:about"))
    assert nonce_of(first) != nonce_of(second)
    assert first.headers["ETag"] == second.headers["ETag"]


def test_a_matching_if_none_match_gets_304_not_modified(client):
    etag = client.get(reverse("core:about")).headers["ETag"]
    response = Client().get(reverse("core:about"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    changed = Client().get(reverse("core:about"), HTTP_IF_NONE_MATCH='W/"something-else"')
    assert changed.status_code == 200


def test_if_modified_since_the_cached_copy_was_made_gets_304(client):
    last_modified = client.get(reverse("core:about")).headers["Last-Modified"]
    response = Client().get(reverse("core:about"), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    older = Client().get(
        reverse("core:about"), HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT"
    )
    assert older.status_code == 200


def test_a_head_request_is_answered_from_the_cache(client):
    client.get("/_test/counted/")
    response = Client().head("/_test/counted/")
    assert response.status_code == 200
    assert response.headers["X-Page-Cache"] == "hit"
    assert CALLS == ["/_test/counted/"]


def test_a_signed_in_visitor_is_never_served_a_cached_page(client, citizen, signed_in):
    Client().get(reverse("core:about"))
    response = signed_in(citizen).get(reverse("core:about"))
    assert response.status_code == 200
    assert "X-Page-Cache" not in response.headers
    assert "Sign out" in response.content.decode()
    assert "private" in response.headers["Cache-Control"]
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_signed_in_visitor_is_never_cached(client, citizen, signed_in):
    signed_in(citizen).get(reverse("core:about"))
    anonymous = Client().get(reverse("core:about"))
    assert anonymous.headers["X-Page-Cache"] == "miss"
    assert "Sign out" not in anonymous.content.decode()
    assert "Sign in" in anonymous.content.decode()


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "primary_reads"])
def test_a_visitor_with_a_session_messages_or_recent_write_cookie_bypasses_the_cache(cookie):
    Client().get("/_test/counted/")
    visitor = Client()
    visitor.cookies[cookie] = "anything"
    response = visitor.get("/_test/counted/")
    assert "X-Page-Cache" not in response.headers
    assert CALLS == ["/_test/counted/", "/_test/counted/"]


def test_production_cookie_names_are_the_ones_checked(settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    Client().get("/_test/counted/")
    visitor = Client()
    visitor.cookies["__Host-sessionid"] = "anything"
    assert "X-Page-Cache" not in visitor.get("/_test/counted/").headers
    assert len(CALLS) == 2


def test_a_page_that_sets_a_cookie_is_not_cached():
    for _ in range(2):
        response = Client().get("/_test/cookie/")
        assert "seen" in response.cookies
        assert "X-Page-Cache" not in response.headers
    assert CALLS == ["cookie", "cookie"]


def test_a_page_that_adds_a_message_is_not_cached():
    for _ in range(2):
        assert "X-Page-Cache" not in Client().get("/_test/message/").headers
    assert CALLS == ["message", "message"]


def test_a_page_with_a_form_sets_the_csrf_cookie_and_is_never_cached(settings):
    for _ in range(2):
        response = Client().get(reverse("account_login"))
        assert response.status_code == 200
        assert settings.CSRF_COOKIE_NAME in response.cookies
        assert "X-Page-Cache" not in response.headers


def test_a_never_cache_page_is_not_cached():
    for _ in range(2):
        assert "X-Page-Cache" not in Client().get("/_test/never/").headers
    assert CALLS == ["never", "never"]


def test_not_found_pages_are_not_cached():
    for _ in range(2):
        response = Client().get("/no-such-page/")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response.headers


def test_server_errors_are_not_cached():
    for _ in range(2):
        response = Client(raise_request_exception=False).get("/_test/boom/")
        assert response.status_code == 500
        assert "X-Page-Cache" not in response.headers
    assert CALLS == ["boom", "boom"]


def test_posts_are_never_answered_from_the_cache():
    Client().get("/_test/counted/")
    response = Client(enforce_csrf_checks=False).post("/_test/counted/")
    assert "X-Page-Cache" not in response.headers
    assert len(CALLS) == 2


def test_the_query_string_is_part_of_the_key_in_any_order():
    Client().get("/_test/counted/?a=1&b=2")
    assert Client().get("/_test/counted/?b=2&a=1").headers["X-Page-Cache"] == "hit"
    assert Client().get("/_test/counted/?a=1&b=3").headers["X-Page-Cache"] == "miss"
    assert Client().get("/_test/counted/").headers["X-Page-Cache"] == "miss"
    assert len(CALLS) == 3


def test_the_host_is_part_of_the_key():
    Client().get("/_test/counted/", HTTP_HOST="localhost")
    assert Client().get("/_test/counted/", HTTP_HOST="127.0.0.1").headers["X-Page-Cache"] == "miss"
    assert Client().get("/_test/counted/", HTTP_HOST="localhost").headers["X-Page-Cache"] == "hit"


def test_invalidating_the_page_cache_drops_every_page():
    Client().get("/_test/counted/")
    invalidate_page_cache()
    assert Client().get("/_test/counted/").headers["X-Page-Cache"] == "miss"
    assert Client().get("/_test/counted/").headers["X-Page-Cache"] == "hit"
    assert len(CALLS) == 2


def test_zero_seconds_turns_the_page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Page-Cache" not in Client().get("/_test/counted/").headers
    assert len(CALLS) == 2


def test_the_ceiling_page_is_never_cached(django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(0):
            response = Client().get(reverse("ceiling"))
        assert response.status_code == 200
        assert "X-Page-Cache" not in response.headers


def test_signed_in_pages_are_private_even_with_the_page_cache_off(settings, citizen, signed_in):
    settings.PAGE_CACHE_SECONDS = 0
    response = signed_in(citizen).get(reverse("core:about"))
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


def test_every_response_says_how_long_it_took_and_how_long_it_waited_for_the_audit_lock(client):
    response = client.get("/about/")
    timing = response["Server-Timing"]
    assert timing.startswith("app;dur=") and "audit-lock;dur=" in timing
