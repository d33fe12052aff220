"""Citizen Panels commissioned by the Assembly: the public list and page, and the
secretariat's pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from nhs_citizen.meetings.models import PanelCommission
from nhs_citizen.meetings.services import commissions as services
from nhs_citizen.meetings.tests.factories import (
    citizen_user,
    make_panel,
    meeting_with_agenda,
)
from nhs_citizen.panels.models import PanelPurpose, PanelStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _commission(meeting, secretariat, question="Should the NHS use AI to read scans?", **kw):
    return services.check_commission_panel(
        secretariat=secretariat,
        meeting=meeting,
        question=question,
        remit="Look at safety.",
        size=kw.pop("size", 24),
        quotas_note="At least 4 carers.",
        report_due=kw.pop("report_due", timezone.localdate() + datetime.timedelta(days=90)),
        reasons="Members disagreed.",
        **kw,
    )


def test_the_secretariat_records_a_commission_from_the_meeting(client, signed_in):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    signed_in(secretariat)
    url = reverse("meetings:commission_panel", args=[meeting.cycle.slug])
    page = client.get(f"{url}?item={items[0].pk}").content.decode()
    assert f'value="{items[0].pk}" selected' in page
    response = client.post(url, {"size": "1", "report_due": "31 2 2027"})
    content = response.content.decode()
    assert "Enter the question the panel will answer" in content
    assert "A panel has between 2 and 500 people" in content
    assert "must be a real date" in content
    due = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        url,
        {
            "item": items[0].pk,
            "question": "Should the NHS use AI to read scans?",
            "remit": "Look at safety.",
            "size": "24",
            "quotas_note": "At least 4 carers.",
            "report_due": f"{due.day} {due.month} {due.year}",
            "reasons": "Members disagreed.",
        },
    )
    commission = PanelCommission.objects.get()
    assert response["Location"] == commission.get_absolute_url()
    assert commission.item == items[0] and commission.report_due == due
    content = client.get(commission.get_absolute_url()).content.decode()
    assert "Commissioned: panel not chosen yet" in content
    assert "Link the panel drawn by lot" in content


def test_the_secretariat_links_the_panel_and_publishes_the_report(
    client, signed_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting, items, secretariat = meeting_with_agenda(("One",))
    commission = _commission(meeting, secretariat)
    signed_in(secretariat)
    link_url = reverse("meetings:link_panel", args=[commission.pk])
    assert "There is no Citizen Panel of 24 people" in client.get(link_url).content.decode()
    panel = make_panel(
        PanelPurpose.CITIZEN_PANEL, size=24, title="AI scans panel", status=PanelStatus.DRAWN
    )
    make_panel(PanelPurpose.CITIZEN_PANEL, size=12, title="Too small panel")
    page = client.get(link_url).content.decode()
    assert "AI scans panel" in page and "Too small panel" not in page
    response = client.post(link_url, {"panel": panel.pk})
    assert response["Location"] == commission.get_absolute_url()
    report_url = reverse("meetings:publish_report", args=[commission.pk])
    response = client.post(report_url, {"report_summary": "Found things"})
    assert "web address or choose its PDF" in response.content.decode()
    response = client.post(
        report_url,
        {"report_summary": "Found things", "report_file": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert response.status_code == 302
    client.logout()
    content = client.get(commission.get_absolute_url()).content.decode()
    assert "Report published" in content and "Found things" in content
    file_url = reverse("meetings:report_file", args=[commission.pk])
    assert file_url in content
    assert reverse("panels:panel_detail", args=[panel.pk]) in content
    served = client.get(file_url)
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF


def test_an_unpublished_report_file_is_not_served(client):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    commission = _commission(meeting, secretariat)
    assert client.get(reverse("meetings:report_file", args=[commission.pk])).status_code == 404


def test_the_board_response_to_a_report_is_linked_once_there_is_one(client):
    from nhs_citizen.tracker.models import BoardOutcome, BoardResponse

    meeting, items, secretariat = meeting_with_agenda(("One",))
    commission = _commission(meeting, secretariat)
    response = BoardResponse.objects.create(
        commission=commission,
        outcome=BoardOutcome.WILL_ACT,
        summary="We will act",
        reasons="Because",
        recorded_by=secretariat,
        due_date=timezone.localdate(),
        on_time=True,
    )
    content = client.get(commission.get_absolute_url()).content.decode()
    try:
        expected = response.get_absolute_url()
    except NoReverseMatch:  # the tracker's page is being built beside this app
        assert "Read the Board" not in content
    else:
        assert f'href="{expected}"' in content


def test_the_public_list_shows_each_commission_with_its_status_in_a_fixed_number_of_queries(
    client,
):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    overdue = _commission(meeting, secretariat, question="Overdue question")
    PanelCommission.objects.filter(pk=overdue.pk).update(
        report_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("meetings:commission_list"))
    for number in range(4):
        made = _commission(meeting, secretariat, question=f"Question {number}")
        services.check_link_commission_panel(
            secretariat=secretariat,
            commission=made,
            panel=make_panel(PanelPurpose.CITIZEN_PANEL, size=24),
        )
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("meetings:commission_list"))
    assert len(five) == len(one)
    content = response.content.decode()
    assert "5 panels commissioned" in content
    assert "Report overdue" in content and "Panel being chosen by lot" in content
    assert "For the secretariat" not in content


@pytest.mark.parametrize("name", ["meetings:link_panel", "meetings:publish_report"])
def test_commission_staff_pages_are_for_the_secretariat_only(client, signed_in, name):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    commission = _commission(meeting, secretariat)
    url = reverse(name, args=[commission.pk])
    signed_in(citizen_user())
    assert client.get(url).status_code == 403
    signed_in(secretariat)
    assert client.get(url).status_code == 200
    url = reverse("meetings:commission_panel", args=[meeting.cycle.slug])
    assert client.get(url).status_code == 200
    assert "Record a panel commissioned at the Assembly Meeting" in (
        client.get(reverse("meetings:commission_list")).content.decode()
    )
