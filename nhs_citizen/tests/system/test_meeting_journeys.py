"""The Assembly Meeting in the browser, each page checked with axe: the secretariat sets up the
meeting and its agenda and records a workshop note; a remote participant posts to an item's
thread, with and without JavaScript; the secretariat records a Citizen Panel the Assembly
commissioned and publishes its report."""

import re

import pytest
from playwright.sync_api import expect

from nhs_citizen.meetings.models import Meeting, PanelCommission, RemotePost, WorkshopNote
from nhs_citizen.meetings.services import meetings as meeting_services
from nhs_citizen.meetings.tests.factories import (
    citizen_user,
    jury_chooses,
    make_cycle,
    make_panel,
    meeting_with_agenda,
    secretariat_user,
)
from nhs_citizen.panels.models import PanelPurpose, PanelStatus
from nhs_citizen.tests.system.conftest import assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

JS = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-javascript", "without-javascript"]
)


def test_the_secretariat_sets_up_the_meeting_and_agenda_and_records_a_workshop_note(page):
    secretariat = secretariat_user()
    cycle = make_cycle(by=secretariat)
    jury_chooses(
        cycle,
        ["Shorter waits for GP appointments", "Free hospital parking for carers"],
        rejected=["A flag the jury did not choose"],
        by=secretariat,
    )
    make_panel(PanelPurpose.ASSEMBLY, title="Spring 2027 Assembly members")
    sign_in(page, secretariat)

    page.goto(f"/assembly/{cycle.slug}/meeting/")
    expect(page.get_by_text("has not been arranged yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Set up the meeting").click()
    expect(page.get_by_role("heading", name="Set up the meeting")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save the meeting").click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill("15 5 2027")
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("End time").fill("4pm")
    page.get_by_label("Where is the meeting?").fill("Leeds Town Hall, The Headrow, Leeds")
    page.get_by_label("Webcast link (optional)").fill("https://www.youtube.com/watch?v=nhs")
    page.get_by_label("Members").select_option(label="Spring 2027 Assembly members")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("The meeting has been set up.")).to_be_visible()
    expect(page.get_by_text("Saturday 15 May 2027 from 10am to 4pm")).to_be_visible()
    expect(page.get_by_role("link", name="Watch the meeting live")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Set the agenda and its order").click()
    assert_accessible(page)
    page.get_by_role("button", name="Put the jury's choices on the agenda").click()
    expect(page.get_by_text("2 items have been added to the agenda.")).to_be_visible()
    page.get_by_role("button", name="Move up Free hospital parking for carers", exact=True).click()
    expect(page.locator("tbody tr").first).to_contain_text("Free hospital parking for carers")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the meeting").click()
    agenda = page.locator(".app-agenda li")
    expect(agenda.first).to_contain_text("Free hospital parking for carers")
    expect(page.get_by_text("A flag the jury did not choose")).to_have_count(0)

    page.get_by_role("link", name="Shorter waits for GP appointments").click()
    expect(page.get_by_role("heading", name="Information pack")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a workshop note").click()
    assert_accessible(page)
    page.get_by_label("What better looks like").check()
    page.get_by_label("Table or group").fill("Table 4")
    page.get_by_label("What did the workshop say?").fill("Seeing a GP in the same week.")
    page.get_by_role("button", name="Record the note").click()
    expect(page.get_by_text("The note from Table 4 has been recorded.")).to_be_visible()
    expect(page.get_by_text("Seeing a GP in the same week.")).to_be_visible()
    assert_accessible(page)
    note = WorkshopNote.objects.get()
    assert note.question == "better" and note.item.title == "Shorter waits for GP appointments"
    assert Meeting.objects.get().members_panel.title == "Spring 2027 Assembly members"


@JS
def test_a_remote_participant_posts_to_an_items_thread(request, browser, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    meeting, items, secretariat = meeting_with_agenda(("Shorter waits for GP appointments",))
    meeting_services.do_set_remote_posting(secretariat=secretariat, meeting=meeting, open=True)
    participant = citizen_user("Pat Participant")
    sign_in(page, participant)
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_text("Posting is open.")).to_be_visible()
    assert_accessible(page, browser)
    page.get_by_role("link", name="Shorter waits for GP appointments").click()
    assert_accessible(page, browser)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page, browser)
    page.get_by_label("The situation now").check()
    page.get_by_label("Your post").fill("In my town the wait is three weeks.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Your post has been added to the thread.")).to_be_visible()
    post = page.locator(f"#post-{RemotePost.objects.get().pk}")
    expect(post).to_contain_text("Pat Participant")
    expect(post).to_contain_text("In my town the wait is three weeks.")
    expect(post).to_contain_text("The situation now")
    assert_accessible(page, browser)


def test_the_secretariat_records_a_commission_and_publishes_its_report(page):
    meeting, items, secretariat = meeting_with_agenda(("Use of AI in reading scans",))
    make_panel(
        PanelPurpose.CITIZEN_PANEL, size=24, title="AI scans panel", status=PanelStatus.DRAWN
    )
    sign_in(page, secretariat)
    page.goto(items[0].get_absolute_url())
    page.get_by_role(
        "link", name="Record a Citizen Panel the Assembly commissioned on this item"
    ).click()
    assert_accessible(page)
    page.get_by_label("The question the panel will answer").fill(
        "Should the NHS use AI to read scans?"
    )
    page.get_by_label("Remit").fill("Look at safety, fairness and cost.")
    page.get_by_label("How many people?").fill("24")
    page.get_by_label("Who must be on the panel").fill("At least 4 people who had a scan.")
    page.get_by_label("Report due").fill("30 11 2099")
    page.get_by_label("Why did the Assembly ask for this panel?").fill("Members disagreed.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The Assembly's decision has been recorded.")).to_be_visible()
    expect(page.get_by_text("Commissioned: panel not chosen yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Link the panel drawn by lot").click()
    assert_accessible(page)
    page.get_by_label("AI scans panel").check()
    page.get_by_role("button", name="Link the panel").click()
    expect(page.get_by_text("Panel drawn by lot, working on its report")).to_be_visible()
    page.get_by_role("link", name="Publish the panel's report").click()
    assert_accessible(page)
    page.get_by_label("Summary of the report").fill("The panel supports careful use of AI.")
    page.get_by_label("Web address of the report (if it is online)").fill(
        "https://example.org/report"
    )
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_text("The report has been published.")).to_be_visible()
    expect(page.get_by_text("Report published", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto("/assembly/panels-commissioned/")
    expect(page.get_by_role("link", name="Should the NHS use AI to read scans?")).to_be_visible()
    assert_accessible(page)
    commission = PanelCommission.objects.get()
    assert commission.report_url == "https://example.org/report"
    assert commission.item == items[0]
