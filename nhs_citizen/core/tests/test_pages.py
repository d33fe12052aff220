import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("core:home", "NHS Citizen"),
    ("core:about", "About"),
    ("core:accessibility", "Accessibility statement"),
    ("core:privacy", "Privacy notice"),
    ("core:house_rules", "House rules"),
    ("core:cookies", "Cookies"),
    ("core:open_data", "Open data"),
    ("core:discover", "Discover"),
    ("core:gather", "Gather"),
    ("core:assembly", "Assembly"),
    ("core:tracker", "Tracker"),
    ("core:audit_log", "Audit log"),
    ("core:organisation_list", "Organisations"),
]


@pytest.mark.parametrize("name, title", PAGES)
def test_each_public_page_renders_in_the_nhs_layout(client, name, title):
    response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>" in content and title in content.split("<title>")[1].split("</title>")[0]
    assert content.count("<h1") == 1
    assert 'class="nhsuk-header' in content
    for space in ("Discover", "Gather", "Assembly", "Tracker"):
        assert f">{space}</a>" in content or f">{space}</strong>" in content
    for footer_link in (
        "Accessibility statement",
        "Privacy notice",
        "House rules",
        "Open data",
        "Cookies",
    ):
        assert footer_link in content


def test_the_current_space_is_marked_in_the_navigation(client):
    content = client.get(reverse("gather:flag_list")).content.decode()
    assert (
        'aria-current="page" href="/gather/"' in content
        or 'href="/gather/" aria-current="page"' in content
    )


def test_pages_send_a_content_security_policy_with_a_nonce(client):
    response = client.get(reverse("core:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_unknown_address_gets_the_nhs_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert 'class="nhsuk-header' in content


def test_a_server_error_gets_the_nhs_error_page(rf):
    from nhs_citizen.core.views.errors import server_error

    request = rf.get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_bad_request_gets_the_nhs_error_page(rf):
    from nhs_citizen.core.views.errors import bad_request

    response = bad_request(rf.get("/"))
    assert response.status_code == 400
    assert "problem with your request" in response.content.decode()


def test_a_form_sent_without_its_security_token_gets_a_clear_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "we could not save your answer" in response.content.decode()


def test_static_assets_are_served(client):
    response = client.get("/assets/nhsuk/nhsuk-frontend.min.css")
    assert response.status_code == 200


def test_the_ceiling_page_is_the_site_layout_without_any_database_query(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/_ceiling/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="nhsuk-header' in content and 'class="nhsuk-footer' in content
    assert content.count("<h1") == 1
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in content


def test_the_ceiling_page_is_not_linked_and_asks_not_to_be_indexed(client):
    response = client.get("/_ceiling/")
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "/_ceiling/" not in client.get(reverse("core:home")).content.decode()
    assert "/_ceiling/" not in client.get(reverse("core:about")).content.decode()
