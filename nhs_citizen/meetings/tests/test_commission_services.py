"""Citizen Panels the Assembly commissions: the decision, the panel, the report."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nhs_citizen.assembly.models import CycleDecision
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.meetings.models import CommissionStatus
from nhs_citizen.meetings.services import commissions as services
from nhs_citizen.meetings.tests.factories import make_panel, meeting_with_agenda
from nhs_citizen.panels.models import PanelPurpose, PanelStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def commission(meeting, secretariat, **changes):
    values = {
        "question": "Should the NHS use AI to read scans?",
        "remit": "Look at safety, fairness and cost.",
        "size": 24,
        "quotas_note": "At least 4 people who have had a scan this year.",
        "report_due": timezone.localdate() + datetime.timedelta(days=90),
        "reasons": "Members disagreed strongly.",
    }
    values.update(changes)
    return services.check_commission_panel(secretariat=secretariat, meeting=meeting, **values)


def test_commissioning_a_panel_is_the_assemblys_decision_recorded_by_the_secretariat():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    made = commission(meeting, secretariat, item=items[0])
    assert made.status == CommissionStatus.COMMISSIONED and made.item == items[0]
    decision = CycleDecision.objects.get(kind="panel_commissioned")
    assert decision.decided_by_role == "The Assembly Meeting, recorded by the secretariat"
    assert decision.reasons == "Members disagreed strongly."
    assert "24 people" in decision.summary
    assert AuditEntry.objects.get(action="meetings.panel_commissioned").is_public


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"question": ""}, "question", "Enter the question"),
        ({"remit": ""}, "remit", "Enter the panel's remit"),
        ({"size": 1}, "size", "between 2 and 500"),
        ({"quotas_note": ""}, "quotas_note", "which groups"),
        ({"report_due": datetime.date(2020, 1, 1)}, "report_due", "in the future"),
        ({"reasons": ""}, "reasons", "Enter why"),
    ],
)
def test_a_commission_needs_every_part_of_the_decision(changes, field, message):
    meeting, items, secretariat = meeting_with_agenda(("One",))
    with pytest.raises(ValidationError) as error:
        commission(meeting, secretariat, **changes)
    assert message in " ".join(error.value.message_dict[field])


def test_a_commission_can_only_name_an_item_on_its_own_meetings_agenda():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    other_meeting, other_items, _ = _other_meeting()
    with pytest.raises(ValidationError, match="this meeting's agenda"):
        commission(meeting, secretariat, item=other_items[0])


def _other_meeting():
    from nhs_citizen.meetings.services import meetings as meeting_services
    from nhs_citizen.meetings.tests.factories import (
        jury_chooses,
        make_cycle,
        make_meeting,
        secretariat_user,
    )

    secretariat = secretariat_user()
    cycle = make_cycle(name="Autumn 2027", slug="autumn-2027", by=secretariat)
    jury_chooses(cycle, ["Other"], by=secretariat)
    meeting = make_meeting(cycle, secretariat)
    return (
        meeting,
        meeting_services.check_set_agenda(secretariat=secretariat, meeting=meeting),
        secretariat,
    )


def test_the_linked_panel_must_be_a_citizen_panel_of_the_size_asked_for():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    made = commission(meeting, secretariat)
    with pytest.raises(ValidationError, match="set up as a Citizen Panel"):
        services.check_link_commission_panel(
            secretariat=secretariat, commission=made, panel=make_panel(PanelPurpose.JURY, size=24)
        )
    with pytest.raises(ValidationError, match="asked for 24 people"):
        services.check_link_commission_panel(
            secretariat=secretariat,
            commission=made,
            panel=make_panel(PanelPurpose.CITIZEN_PANEL, size=30),
        )
    panel = make_panel(PanelPurpose.CITIZEN_PANEL, size=24, status=PanelStatus.SEED_REVEALED)
    assert list(services.panels_to_link(made)) == [panel]
    services.check_link_commission_panel(secretariat=secretariat, commission=made, panel=panel)
    made.refresh_from_db()
    assert made.panel == panel and made.status == CommissionStatus.DRAWN
    assert AuditEntry.objects.get(action="meetings.commission_panel_linked").is_public
    second = commission(meeting, secretariat)
    assert list(services.panels_to_link(second)) == []
    with pytest.raises(ValidationError, match="already linked"):
        services.check_link_commission_panel(
            secretariat=secretariat, commission=second, panel=panel
        )


def test_a_panel_not_yet_drawn_leaves_the_commission_waiting_for_its_draw():
    meeting, items, secretariat = meeting_with_agenda(("One",))
    made = commission(meeting, secretariat)
    panel = make_panel(PanelPurpose.CITIZEN_PANEL, size=24)
    services.check_link_commission_panel(secretariat=secretariat, commission=made, panel=panel)
    made.refresh_from_db()
    assert made.status == CommissionStatus.COMMISSIONED and made.panel == panel


def test_the_report_is_published_with_a_summary_and_a_link_or_a_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, items, secretariat = meeting_with_agenda(("One",))
    made = commission(meeting, secretariat)
    with pytest.raises(ValidationError, match="Link the panel"):
        services.check_publish_commission_report(
            secretariat=secretariat, commission=made, summary="S", url="https://example.org"
        )
    panel = make_panel(PanelPurpose.CITIZEN_PANEL, size=24, status=PanelStatus.DRAWN)
    services.check_link_commission_panel(secretariat=secretariat, commission=made, panel=panel)
    made.refresh_from_db()
    with pytest.raises(ValidationError, match="Enter a summary"):
        services.check_publish_commission_report(
            secretariat=secretariat, commission=made, summary="", url="https://example.org"
        )
    with pytest.raises(ValidationError, match="web address or choose its PDF"):
        services.check_publish_commission_report(
            secretariat=secretariat, commission=made, summary="S"
        )
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.check_publish_commission_report(
            secretariat=secretariat,
            commission=made,
            summary="S",
            upload=SimpleUploadedFile("r.png", PNG),
        )
    services.check_publish_commission_report(
        secretariat=secretariat,
        commission=made,
        summary="The panel found…",
        upload=SimpleUploadedFile("report.pdf", PDF),
    )
    made.refresh_from_db()
    assert made.status == CommissionStatus.REPORTED and made.report_file.name.endswith(".pdf")
    assert made.report_published_at is not None
    assert CycleDecision.objects.get(kind="panel_report_published").decided_by == secretariat
    assert AuditEntry.objects.get(action="meetings.commission_report_published").is_public
    with pytest.raises(ValidationError, match="already been published"):
        services.check_publish_commission_report(
            secretariat=secretariat, commission=made, summary="S", url="https://example.org"
        )
    with pytest.raises(ValidationError, match="cannot change"):
        services.check_link_commission_panel(secretariat=secretariat, commission=made, panel=panel)
