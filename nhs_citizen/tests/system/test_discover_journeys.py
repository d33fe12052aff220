"""Discover in the browser, every page checked with axe: a visitor explores the dashboard and a
topic (with and without JavaScript); a host uploads workshop notes and sees them appear; a
curator merges topics and takes one to Gather."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Membership, Organisation
from nhs_citizen.discover.models import Item, SourceKind
from nhs_citizen.discover.services import pipeline
from nhs_citizen.discover.tests.helpers import THEMES, all_theme_texts, ingest_texts, make_source
from nhs_citizen.tests.system.conftest import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

JS = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-javascript", "without-javascript"]
)


def _conversation():
    pipeline.reset_caches()
    source = make_source("Healthwatch Leeds news", kind=SourceKind.RSS)
    ingest_texts(source, all_theme_texts(), place="LS6")
    pipeline.do_process_waiting()
    return source


def _topic_name(text: str) -> str:
    return Item.objects.get(raw_text=text).topic.name


@JS
def test_a_visitor_explores_the_dashboard_and_a_topic(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    _conversation()
    parking = _topic_name(THEMES["parking"][0])

    page.goto("/")
    page.get_by_role("link", name="Discover", exact=True).first.click()
    expect(page.get_by_role("heading", name="What people are saying about the NHS")).to_be_visible()
    table = page.get_by_role("table", name="Topics by size, trend, feeling and place")
    expect(table).to_be_visible()
    expect(page.get_by_role("img", name="The biggest topics (times said)")).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_label("NHS region").select_option(label="North East and Yorkshire")
    page.get_by_role("button", name="Show topics").click()
    expect(table.get_by_role("link", name=parking)).to_be_visible()
    table.get_by_role("link", name=parking).click()
    expect(page.get_by_role("heading", name=parking, level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Times said each week")).to_be_visible()
    expect(page.get_by_text(THEMES["parking"][0]).first).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_role("link", name="Read all").click()
    expect(page.get_by_role("heading", name="What people said")).to_be_visible()
    expect(page.get_by_text(THEMES["parking"][0]).first).to_be_visible()
    page.get_by_label("Topic").select_option(label="All topics")
    page.get_by_label("Search what people said").fill("car park")
    page.get_by_role("button", name="Show statements").click()
    expect(page.get_by_text("The car park is always full").first).to_be_visible()
    assert_accessible(page, browser)

    page.goto("/discover/network/")
    expect(page.get_by_role("heading", name="Where the conversation comes from")).to_be_visible()
    assert_accessible(page, browser)


def test_a_host_uploads_workshop_notes_and_sees_them_appear(page, browser, tmp_path):
    org = (
        Organisation.objects.get(slug="healthwatch-leeds")
        if Organisation.objects.filter(slug="healthwatch-leeds").exists()
        else Organisation.objects.get(code="QWO")
    )
    host = make_user("host@example.com", display_name="Hana Host")
    Membership.objects.create(user=host, organisation=org, verified_at="2026-01-01T00:00:00Z")
    notes = tmp_path / "carers-cafe.csv"
    notes.write_text(
        "What people said,Table,Postcode\n"
        "The bus to the hospital stops running at 6pm,Table 1,LS6 1AA\n"
        "Carers should get free parking when they visit,Table 2,LS6 2BB\n"
        "Call Jo on 07700 900777 about the carers group,Table 2,\n",
        encoding="utf-8",
    )
    sign_in(page, host, browser)
    page.goto("/discover/upload/")
    expect(page.get_by_role("heading", name="Add notes from an event")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Choose a file to upload")).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_label("Your file of notes").set_input_files(str(notes))
    page.get_by_label("Name of the event").fill("Carers' café")
    page.get_by_label("Date of the event").fill("14/11/2026")
    page.get_by_label("Which organisation hosted it?").select_option(label=org.name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Match your columns")).to_be_visible()
    expect(page.get_by_label("Which column holds what people said?")).to_have_value(
        "What people said"
    )
    assert_accessible(page, browser)
    page.get_by_label("Which column holds the group or table? (optional)").select_option("Table")
    page.get_by_role("button", name="Add these comments").click()

    expect(page.get_by_text("We added 3 comments from your file")).to_be_visible()
    expect(page.get_by_text("The bus to the hospital stops running at 6pm")).to_be_visible()
    expect(page.get_by_text("[phone number]")).to_be_visible()
    assert "07700 900777" not in page.content()
    assert_accessible(page, browser)


def test_a_curator_merges_topics_and_takes_one_to_gather(page, browser):
    _conversation()
    curator = make_user("curator@example.com", display_name="Cora Curator", roles=("curator",))
    parking = Item.objects.get(raw_text=THEMES["parking"][0]).topic
    waiting = Item.objects.get(raw_text=THEMES["waiting"][0]).topic
    assert parking.pk != waiting.pk
    sign_in(page, curator, browser)

    page.goto(f"/discover/topics/{parking.pk}/")
    page.get_by_role("link", name="Merge into another topic").click()
    expect(page.get_by_role("heading", name="Merge topics")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Merge topics").click()
    expect(page.get_by_role("link", name="Choose the topic to merge into")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("Merge this topic into").select_option(label=waiting.name)
    page.get_by_label("Reason (this will be public)").fill("Both are about getting care in time")
    page.get_by_role("button", name="Merge topics").click()
    expect(page.get_by_text(f"into “{waiting.name}”")).to_be_visible()
    expect(page.get_by_role("heading", name=waiting.name, level=1)).to_be_visible()
    assert_accessible(page, browser)

    page.get_by_role("link", name="Take this topic to Gather").click()
    expect(page.get_by_role("heading", name="Take a topic to Gather")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("Title of the flag").fill("Cut waiting times and parking costs")
    page.get_by_label("What should change?").fill("Shorter waits, and fair parking for patients.")
    page.get_by_label("Topic", exact=True).select_option(index=1)
    page.get_by_label("All of England").check()
    page.get_by_role("button", name="Raise the flag").click()
    expect(page.get_by_role("heading", name="Cut waiting times and parking costs")).to_be_visible()
    link = page.get_by_role("link", name="What people said in Discover")
    expect(link).to_be_visible()
    assert_accessible(page, browser)
    # The evidence link is an absolute address on the site; follow its path on this server.
    href = link.get_attribute("href")
    assert re.search(r"/discover/flags/\d+/$", href)
    page.goto(href[href.index("/discover/") :])
    expect(page.get_by_role("heading", name="Where this flag came from")).to_be_visible()
    expect(page.get_by_text(THEMES["parking"][0]).first).to_be_visible()
    assert_accessible(page, browser)


def test_a_visitor_tells_us_something_and_a_curator_s_other_pages_pass_axe(page, browser):
    _conversation()
    page.goto("/discover/tell-us/")
    expect(page.get_by_role("heading", name="Tell us what matters to you")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("link", name="Enter what you want the NHS to know")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("What do you want the NHS to know?").fill(
        "The minor injuries unit should open at weekends"
    )
    page.get_by_label("I understand that what I write will be public").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    assert_accessible(page, browser)

    curator = make_user("curator2@example.com", display_name="Cora Curator", roles=("curator",))
    topic = Item.objects.get(raw_text=THEMES["kindness"][0]).topic
    item = Item.objects.get(raw_text=THEMES["kindness"][1])
    sign_in(page, curator, browser)
    page.goto("/discover/pipeline/")
    expect(page.get_by_role("heading", name="Discover pipeline")).to_be_visible()
    # The jobs run at once in the tests, so the message sent above is already processed.
    expect(page.get_by_text("0 items are waiting to be processed")).to_be_visible()
    assert Item.objects.get(raw_text__startswith="The minor injuries unit").processed_at
    assert_accessible(page, browser)
    page.goto("/discover/sources/new/")
    page.get_by_role("button", name="Save source").click()
    expect(
        page.get_by_role("link", name="Enter a name for this source")
        .or_(page.get_by_text("Error:").first)
        .first
    ).to_be_visible()
    assert_accessible(page, browser)
    for path, heading in [
        (f"/discover/topics/{topic.pk}/rename/", "Rename a topic"),
        (f"/discover/topics/{topic.pk}/split/", "Split a topic in two"),
        (f"/discover/topics/{topic.pk}/hide/", "Hide a topic"),
        (f"/discover/statements/{item.pk}/hide/", "Hide a statement"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page, browser)
    page.get_by_role("button", name="Hide the statement").click()
    expect(page.get_by_role("link", name="Enter a reason. It will be public")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_label("Reason (this will be public)").fill("It names a member of staff")
    page.get_by_role("button", name="Hide the statement").click()
    expect(page.get_by_text("Only curators can see this statement")).to_be_visible()
    assert_accessible(page, browser)
