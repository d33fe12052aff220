"""Communication needs (ADR 0036): recording them, who can see them, the audit of every
secretariat look, and what e-mails do with them."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from nhs_citizen.accounts.models import CommunicationNeeds
from nhs_citizen.accounts.needs_services import check_save_needs, needs_for_confirmed_members
from nhs_citizen.accounts.services import do_delete_account
from nhs_citizen.accounts.tests.needs_factories import panel_with_members, person_with_needs
from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.notifications.emails import single_email
from nhs_citizen.notifications.services import do_notify
from nhs_citizen.tracker.tests import factories as tracker

pytestmark = pytest.mark.django_db


def _html(message) -> str:
    return message.alternatives[0][0]


# Recording your own needs --------------------------------------------------------------------


def test_a_person_records_changes_and_removes_their_needs(client, signed_in, citizen):
    signed_in(citizen)
    url = reverse("accounts:communication_needs")
    response = client.post(
        url,
        {
            "needs": ["large_print", "bsl_interpreter"],
            "language": "pl",
            "something_else": "  A quiet room for breaks ",
        },
    )
    assert response.status_code == 302
    record = CommunicationNeeds.objects.get(user=citizen)
    assert record.needs == ["large_print", "bsl_interpreter"]
    assert (record.language, record.something_else) == ("pl", "A quiet room for breaks")
    page = client.get(reverse("accounts:your_account")).content.decode()
    assert "A British Sign Language (BSL) interpreter" in page
    assert "Information in Polish" in page

    client.post(url, {"needs": ["step_free"], "language": "", "something_else": ""})
    record.refresh_from_db()
    assert (record.needs, record.language, record.something_else) == (["step_free"], "", "")

    client.post(url, {"action": "remove"})
    assert not CommunicationNeeds.objects.filter(user=citizen).exists()
    actions = list(
        AuditEntry.objects.filter(actor=citizen, action__startswith="accounts.needs")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["accounts.needs_changed", "accounts.needs_changed", "accounts.needs_removed"]
    # The audit log keeps no needs: it cannot be changed, and the needs are gone now.
    for entry in AuditEntry.objects.filter(actor=citizen):
        assert "Polish" not in json.dumps(entry.data) + entry.summary
        assert not entry.is_public


def test_choosing_nothing_removes_the_needs(client, signed_in, citizen):
    check_save_needs(user=citizen, needs=["easy_read"])
    signed_in(citizen)
    client.post(reverse("accounts:communication_needs"), {"language": "", "something_else": ""})
    assert not CommunicationNeeds.objects.filter(user=citizen).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"needs": ["large_print", "telepathy"]}, "Select only the options shown"),
        ({"needs": ["large_print"], "language": "klingon"}, "Select one of the options"),
        ({"needs": ["large_print"], "something_else": "x" * 501}, "500 characters or fewer"),
    ],
)
def test_bad_needs_get_a_clear_error_and_change_nothing(client, signed_in, citizen, data, message):
    check_save_needs(user=citizen, needs=["easy_read"])
    signed_in(citizen)
    response = client.post(reverse("accounts:communication_needs"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CommunicationNeeds.objects.get(user=citizen).needs == ["easy_read"]


def test_the_service_refuses_bad_needs_too(citizen):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        check_save_needs(user=citizen, needs=["large_print"], language="xx")
    assert error.value.message_dict == {"language": ["Select a language from the list"]}
    assert not CommunicationNeeds.objects.filter(user=citizen).exists()


def test_a_visitor_is_asked_to_sign_in(client):
    response = client.get(reverse("accounts:communication_needs"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# Who can see whose needs ------------------------------------------------------------------------


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sol Secretariat", roles=("secretariat",))


@pytest.fixture
def planned_panel(secretariat):
    bsl = person_with_needs("bsl@example.com", "Bea Signer", needs=["bsl_interpreter"])
    both = person_with_needs(
        "both@example.com", "Dev Wheels", needs=["bsl_interpreter", "step_free"]
    )
    invited = person_with_needs("invited@example.com", "Ivy Invited", needs=["large_print"])
    plain = make_user("plain@example.com", display_name="Pat Plain")
    panel = panel_with_members(
        secretariat,
        [(bsl, "confirmed"), (both, "confirmed"), (invited, "invited"), (plain, "confirmed")],
    )
    return panel


def test_the_secretariat_sees_confirmed_members_needs_on_the_member_list_and_it_is_audited(
    client, signed_in, secretariat, planned_panel
):
    signed_in(secretariat)
    before = AuditEntry.objects.count()
    page = client.get(reverse("panels:manage_panel", args=[planned_panel.pk])).content.decode()
    assert "2 need a BSL interpreter" in page
    assert "1 needs step-free access" in page
    assert "Bea Signer" in page and "Dev Wheels" in page
    # Invited, not confirmed: their needs stay hidden, and nobody counts them.
    assert "Large print" not in page
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "accounts.member_needs_viewed"
    assert entry.actor == secretariat
    assert not entry.is_public
    assert (entry.target_type, entry.target_id) == ("panels.panel", str(planned_panel.pk))
    assert len(entry.data["people"]) == 2
    assert "member list" in entry.summary
    # Every look is recorded, not only the first.
    client.get(reverse("panels:manage_panel", args=[planned_panel.pk]))
    assert AuditEntry.objects.filter(action="accounts.member_needs_viewed").count() == 2


def test_the_secretariat_sees_the_members_needs_when_planning_the_meeting(
    client, signed_in, secretariat, planned_panel
):
    cycle = tracker.make_cycle(created_by=secretariat)
    tracker.make_meeting(cycle, members_panel=planned_panel)
    signed_in(secretariat)
    page = client.get(reverse("meetings:set_up_meeting", args=[cycle.slug])).content.decode()
    assert "2 need a BSL interpreter" in page
    entry = AuditEntry.objects.filter(action="accounts.member_needs_viewed").get()
    assert cycle.name in entry.summary
    # The meeting's public page shows nothing of them, even to the secretariat: it links to
    # the planning page.
    public = client.get(reverse("meetings:meeting_detail", args=[cycle.slug])).content.decode()
    assert "BSL interpreter" not in public
    assert "Plan for the members' communication needs" in public


@pytest.mark.parametrize("who", ["visitor", "citizen", "member", "moderator", "curator"])
def test_nobody_else_can_see_members_needs(client, signed_in, planned_panel, who):
    if who != "visitor":
        roles = {"moderator": ("moderator",), "curator": ("curator",)}.get(who, ())
        user = make_user(f"{who}@example.com", roles=roles)
        if who == "member":
            # Even a confirmed member of the same panel cannot see the others' needs.
            user = planned_panel.members.filter(status="confirmed").first().pool_member.user
        signed_in(user)
    before = AuditEntry.objects.count()
    for url in (
        reverse("panels:manage_panel", args=[planned_panel.pk]),
        reverse("panels:panel_detail", args=[planned_panel.pk]),
        reverse("accounts:format_requests"),
    ):
        response = client.get(url)
        assert response.status_code in (403, 200, 302)
        if response.status_code == 200:
            assert url == reverse("panels:panel_detail", args=[planned_panel.pk])
            assert "BSL interpreter" not in response.content.decode()
        elif url != reverse("panels:panel_detail", args=[planned_panel.pk]):
            assert response.status_code == 403
    assert AuditEntry.objects.count() == before


def test_the_service_refuses_anyone_but_the_secretariat(planned_panel):
    from django.core.exceptions import PermissionDenied

    moderator = make_user("mod@example.com", roles=("moderator",))
    with pytest.raises(PermissionDenied):
        needs_for_confirmed_members(
            viewer=moderator, user_ids=[1], target=planned_panel, where="a test"
        )


def test_needs_are_not_in_the_open_api(client, planned_panel):
    for path in ("/api/v1/", "/api/v1/schema/"):
        response = client.get(path)
        if response.status_code == 200:
            body = response.content.decode()
            assert "communication" not in body.lower() and "bsl" not in body.lower()


# Your data, and deleting your account ---------------------------------------------------------


def test_needs_are_in_your_data_and_go_with_your_account(client, signed_in, citizen):
    check_save_needs(user=citizen, needs=["hearing_loop"], language="cy")
    signed_in(citizen)
    export = json.loads(client.get(reverse("accounts:download_your_data")).content)
    assert export["communication_needs"]["communication_needs"] == [
        "A hearing loop",
        "Information in Welsh",
    ]
    do_delete_account(user=citizen)
    assert not CommunicationNeeds.objects.filter(user=citizen).exists()


# E-mails ---------------------------------------------------------------------------------------


def _email_for(user):
    do_notify(user=user, subject="Your flag was answered", body="It was.")
    return single_email(user.notifications.get())


def test_an_email_to_someone_with_no_needs_is_unchanged(citizen):
    message = _email_for(citizen)
    html = _html(message)
    assert "font-size:19px" in html
    assert "Easy Read" not in html and "Easy Read" not in message.body


def test_large_print_makes_the_emails_text_larger(citizen):
    check_save_needs(user=citizen, needs=["large_print"])
    html = _html(_email_for(citizen))
    assert "font-size:24px;line-height:1.47" in html
    assert "font-size:19px" not in html
    assert "font-size:40px" in html


def test_easy_read_adds_a_line_linking_to_the_easy_read_version(citizen):
    check_save_needs(user=citizen, needs=["easy_read"])
    message = _email_for(citizen)
    html = _html(message)
    assert "font-size:19px" in html
    assert "Ask for the Easy Read version" in html
    assert "/account/other-formats/?format=easy_read&amp;document=The+email" in html
    assert "Ask for the Easy Read version: http" in message.body


def test_easy_read_also_links_the_easy_read_pages(citizen):
    check_save_needs(user=citizen, needs=["easy_read"])
    message = _email_for(citizen)
    home = f"{settings.SITE_URL}/easy-read/"
    assert (
        f'<a href="{home}" style="color:#005eb8">Read about NHS Citizen in Easy Read</a>'
        in _html(message)
    )
    assert f"Read about NHS Citizen in Easy Read: {home}\n" in message.body
    check_save_needs(user=citizen, needs=["large_print"])
    citizen.notifications.all().delete()
    message = _email_for(citizen)
    assert "/easy-read/" not in _html(message) and "/easy-read/" not in message.body


def test_another_language_adds_a_line_in_its_own_name(citizen):
    check_save_needs(user=citizen, needs=[], language="ur")
    message = _email_for(citizen)
    html = _html(message)
    assert '<span lang="ur" dir="rtl">اردو</span>: you can have this email in Urdu.' in html
    assert "format=another_language&amp;language=ur" in html
    assert "اردو: you can have this email in Urdu." in message.body
