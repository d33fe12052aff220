"""The header and footer are drawn once and kept; what each person sees must still be theirs."""

import pytest

from nhs_citizen.accounts.models import Role
from nhs_citizen.conftest import make_user

pytestmark = pytest.mark.django_db


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_each_person_sees_their_own_name_escaped(client, signed_in):
    first = make_user("one@example.com", display_name="Ann <b>Bold</b> & Co")
    second = make_user("two@example.com", display_name="Bob Brown")
    header = _header(signed_in(first).get("/gather/").content.decode())
    assert "Ann &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in header
    assert "<b>Bold</b>" not in header
    client.logout()
    header = _header(signed_in(second).get("/gather/").content.decode())
    assert "Bob Brown" in header and "Ann" not in header
    assert "Staff area" not in header and "Sign out" in header


def test_staff_see_the_staff_area_and_visitors_see_sign_in(client, signed_in):
    visitor = _header(client.get("/gather/").content.decode())
    assert "Sign in" in visitor and "Create an account" in visitor and "Sign out" not in visitor
    curator = make_user("c@example.com", display_name="Cat Curator", roles=(Role.CURATOR,))
    header = _header(signed_in(curator).get("/gather/").content.decode())
    assert "Staff area" in header and "Cat Curator" in header


def test_the_current_space_is_marked_on_each_page(client):
    gather = _header(client.get("/gather/").content.decode())
    tracker = _header(client.get("/tracker/").content.decode())
    assert gather != tracker
    assert 'href="/gather/"' in gather and 'aria-current="page"' in gather


def test_the_footer_links_every_public_page(client):
    html = client.get("/about/").content.decode()
    footer = html[html.index("<footer") : html.index("</footer>")]
    for text in ("Accessibility statement", "Privacy notice", "Open data", "Audit log", "Cookies"):
        assert text in footer
    assert "AGPL-3.0-or-later" in footer
