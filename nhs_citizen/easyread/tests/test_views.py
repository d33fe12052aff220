"""Easy Read pages, the links to them from the standard pages, the paper form and print CSS."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.assembly.tests.factories import (
    DAY,
    cut_off,
    make_cycle,
    open_vote,
    shortlisted_flag,
)
from nhs_citizen.easyread.pages import PAGES

pytestmark = pytest.mark.django_db

# Each standard page that has an Easy Read version, by its Easy Read key.
STANDARD_PAGES = {
    "home": "/",
    "discover": "/discover/how-it-works/",
    "gather": "/gather/how-it-works/",
    "assembly": "/assembly/how-it-works/",
    "tracker": "/tracker/how-it-works/",
    "culture": "/culture-change/",
    "privacy": "/privacy-notice/",
    "join_pool": "/selection-by-lot/",
}


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("key", list(STANDARD_PAGES))
def test_each_standard_page_links_its_easy_read_version(client, key):
    page = _text(client.get(STANDARD_PAGES[key]))
    link = f'<a href="{reverse("easyread:" + key)}">Easy Read version of this page</a>'
    assert link in page


@pytest.mark.parametrize("key", list(PAGES))
def test_each_easy_read_page_links_back_to_its_standard_page(client, key):
    page = _text(client.get(reverse(f"easyread:{key}")))
    standard = STANDARD_PAGES.get(key, "/assembly/")
    assert f'<a href="{standard}">Standard version of this page</a>' in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize("key", list(PAGES))
def test_each_idea_on_an_easy_read_page_has_a_picture_with_alt_text(client, key):
    main = _main(_text(client.get(reverse(f"easyread:{key}"))))
    lines = re.findall(r'<li class="app-easy-read__line">(.*?)</li>', main, flags=re.S)
    assert len(lines) >= 5
    for line in lines:
        picture = re.search(
            r'<img class="app-easy-read__picture" src="([^"]+)" alt="([^"]+)"', line
        )
        assert picture, line
        assert finders.find(picture.group(1).removeprefix("/assets/")), picture.group(1)


def test_the_priority_vote_links_its_easy_read_version_and_back(client):
    cycle = make_cycle("Spring 2027", timezone.now() - 2 * DAY)
    shortlisted_flag("Shorter waits for hearing tests", cycle.flag_cutoff - 20 * DAY)
    cut_off(cycle)
    open_vote(cycle)
    vote_page = _text(client.get(f"/assembly/{cycle.slug}/vote/"))
    assert '<a href="/easy-read/priority-vote/">Easy Read version of this page</a>' in vote_page
    easy = _text(client.get("/easy-read/priority-vote/"))
    assert f'<a href="/assembly/{cycle.slug}/vote/">Standard version of this page</a>' in easy


def test_without_a_vote_open_the_easy_read_vote_page_points_to_the_assembly(client):
    easy = _text(client.get("/easy-read/priority-vote/"))
    assert '<a href="/assembly/">Standard version of this page</a>' in easy


def test_the_volunteer_form_links_the_easy_read_pool_page(client):
    from nhs_citizen.conftest import make_user

    client.force_login(make_user("pool@example.com"))
    page = _text(client.get("/selection-by-lot/join/"))
    assert 'href="/easy-read/join-the-pool/">Easy Read version of this page' in page


def test_the_paper_flag_form_has_boxes_to_write_in(client):
    main = _main(_text(client.get("/paper/raise-a-flag/")))
    for words in (
        "What should change?",
        "Where is the change needed?",
        "How does this affect you",
        "How should we tell you what happens?",
        "I agree that NHS Citizen can put what I wrote",
        "Reference (office use)",
    ):
        assert words in main, words
    assert main.count('class="app-paper-box') >= 8
    assert "<input" not in main and "<textarea" not in main


def test_the_raise_a_flag_and_gather_pages_link_the_paper_form(client):
    from nhs_citizen.conftest import make_user

    assert 'href="/paper/raise-a-flag/"' in _text(client.get("/gather/how-it-works/"))
    assert 'href="/paper/raise-a-flag/"' in _text(client.get("/easy-read/gather/"))
    client.force_login(make_user("flagger@example.com"))
    assert 'href="/paper/raise-a-flag/"' in _text(client.get("/gather/raise/"))


def test_every_page_links_the_print_stylesheet_and_it_is_served(client):
    page = _text(client.get("/gather/how-it-works/"))
    assert '<link rel="stylesheet" href="/assets/app/print.css" media="print">' in page
    response = client.get("/assets/app/print.css")
    assert response.status_code == 200
    css = b"".join(response.streaming_content).decode()
    assert "@media print" in css
    assert ".nhsuk-header" in css and ".nhsuk-footer" in css and ".nhsuk-button" in css
    assert 'content: " (" attr(href) ")"' in css


def test_a_printed_page_says_where_it_came_from_with_the_sites_own_address(client, settings):
    page = _text(client.get("/gather/how-it-works/?from=paper"))
    assert (
        '<p class="app-print-only nhsuk-body-s">Printed from NHS Citizen: '
        f"{settings.SITE_URL}/gather/how-it-works/?from=paper</p>"
    ) in page


def test_a_request_with_a_bad_host_still_gets_its_error_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Printed from NHS Citizen" in response.content.decode()


def test_the_privacy_notice_covers_needs_helpers_and_paper_voters(client):
    main = _main(_text(client.get("/privacy-notice/")))
    for heading in (
        '<h2 id="communication-needs">Your communication needs</h2>',
        '<h2 id="community-helpers">If a community helper adds things for you</h2>',
        '<h2 id="paper-voters">If you vote on paper</h2>',
    ):
        assert heading in main
    assert (
        f'<a href="{reverse("accounts:communication_needs")}">your communication needs</a>' in main
    )
    assert "It does not say what the needs are." in main
    assert "Ask the group that helped you, and give them your reference." in main
    assert "To have your name and address taken off the list, email us." in main
    easy = _main(_text(client.get(reverse("easyread:privacy"))))
    assert "<p>How you need information.</p>" in easy
    assert "<p>A helper can add what you say for you.</p>" in easy
    assert "<p>You can vote on paper.</p>" in easy


def test_the_privacy_notice_sections_read_at_grade_6_or_below(client):
    import importlib.util
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[3] / "bench" / "readability.py"
    spec = importlib.util.spec_from_file_location("bench_readability_privacy", bench)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module._syllables_by_hyphenation()
    page = _text(client.get("/privacy-notice/"))
    main = _main(page)
    start = main.index('<h2 id="communication-needs">')
    end = main.index("<h2>Why we can use your data</h2>")
    _, ours = module.main_text(f"<main>{main[start:end]}</main>")
    assert module.score("page", "privacy", "/privacy-notice/", ours).grade <= 6
    _, easy = module.main_text(_text(client.get(reverse("easyread:privacy"))))
    assert module.score("page", "easy", "/easy-read/privacy-notice/", easy).grade <= 4
