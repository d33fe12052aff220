"""The demo data loads once, and every persona sees what its role allows and nothing more.

Loading the demo replays half a year of history (and draws a jury), so one test loads it and
checks everything about it, other apps' parts of the demo included."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from markupsafe import escape

from nhs_citizen.accounts.models import RoleAssignment, User
from nhs_citizen.conftest import totp_code
from nhs_citizen.core.models import AuditEntry, Membership, Organisation
from nhs_citizen.core.services.audit import verify_audit_log
from nhs_citizen.nonprod.personas import DEMO_PASSWORD, PERSONAS
from nhs_citizen.notifications.models import Notification

pytestmark = pytest.mark.django_db

PERSONA = {persona.key: persona for persona in PERSONAS}


def _counts():
    from nhs_citizen.assembly.models import Ballot, Cycle, CycleDecision, CycleEntry
    from nhs_citizen.gather.models import Flag
    from nhs_citizen.meetings.models import AgendaItem, RemotePost, WorkshopNote
    from nhs_citizen.panels.models import Panel, PoolMember
    from nhs_citizen.tracker.models import BoardResponse, Commitment, CommitmentUpdate, Reflection

    return {
        model.__name__: model.objects.count()
        for model in (
            Cycle,
            CycleEntry,
            CycleDecision,
            Ballot,
            AgendaItem,
            WorkshopNote,
            RemotePost,
            BoardResponse,
            Commitment,
            CommitmentUpdate,
            Reflection,
            User,
            Organisation,
            Membership,
            RoleAssignment,
            AuditEntry,
            Authenticator,
            Notification,
            Flag,
            Panel,
            PoolMember,
        )
    }


def test_there_is_a_persona_for_every_role():
    assert {persona.role_label for persona in PERSONAS} == {
        "Citizen",
        "Organisation member",
        "Responder",
        "Curator",
        "Moderator",
        "Review panel member",
        "Secretariat",
        "Board member",
        "Administrator",
    }


def test_demo_data_is_refused_in_production(settings):
    from django.core.management import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("seed_demo_data")


def _loading_the_demo_again_changes_nothing_and_it_has_every_kind_of_thing():
    from nhs_citizen.gather.models import Flag, FlagStatus, Referral, ReferralStatus
    from nhs_citizen.panels.models import Panel, PanelStatus
    from nhs_citizen.panels.services.draws import check_draw

    before = _counts()
    call_command("seed_demo_data")
    assert _counts() == before
    assert verify_audit_log() == []
    assert set(Flag.objects.values_list("status", flat=True)) == set(FlagStatus.values)
    assert Referral.objects.overdue().count() >= 2
    assert Referral.objects.filter(status=ReferralStatus.ANSWERED).count() >= 2
    assert Referral.objects.filter(status=ReferralStatus.PASSED_ON).exists()
    assert Flag.objects.filter(hidden_at__isnull=False).exists()
    jury = Panel.objects.get(purpose="jury")
    assert jury.members.filter(status="replaced").count() == 1
    for panel in Panel.objects.all():
        assert panel.status == PanelStatus.SEED_REVEALED
        assert check_draw(panel) == []
    from nhs_citizen.conversations.models import Conversation, Vote

    conversations = list(Conversation.objects.select_related("result"))
    assert {bool(c.flag_id) for c in conversations} == {True, False}
    assert any(c.agenda_item_id for c in conversations)
    assert Vote.objects.count() >= 600
    assert all(c.result.figures["k"] >= 2 and c.result.figures["consensus"] for c in conversations)


def _the_demo_has_paper_ballots_counted_in_the_past_cycle_and_out_in_the_current_one():
    """ADR 0034."""
    from nhs_citizen.assembly.models import Cycle, PaperStatus
    from nhs_citizen.assembly.services import vote
    from nhs_citizen.nonprod.seed_assembly import CURRENT, PAST

    past = Cycle.objects.get(name=PAST)
    assert past.paper_voters == 4 and past.recount_matches
    assert vote.count_from_ballots(past) == vote.recount_from_audit(past)
    assert vote.count_from_ballots(past).paper == 4
    statuses = list(past.papers.values_list("status", flat=True))
    assert statuses.count(PaperStatus.RETURNED) == 4
    assert statuses.count(PaperStatus.CANCELLED) == 1
    assert statuses.count(PaperStatus.ISSUED) == 2
    current = Cycle.objects.get(name=CURRENT)
    assert current.papers.filter(status=PaperStatus.RETURNED).count() == 1
    assert current.papers.filter(status=PaperStatus.ISSUED).count() == 2


def _the_demo_has_a_paper_form_and_a_large_print_paper_voter():
    from nhs_citizen.accounts.models import CommunicationNeeds
    from nhs_citizen.assisted import services
    from nhs_citizen.assisted.models import OnBehalfRecord

    record = OnBehalfRecord.objects.get(organisation__slug="nhs-england", kind="flag")
    assert record.paper_reference == "WH20260117"
    assert services.flag_on_behalf(record.flag).line.startswith("Sent in on paper")
    stanley = CommunicationNeeds.objects.get(user__display_name="Stanley Briggs")
    assert stanley.needs == ["large_print"]
    assert OnBehalfRecord.objects.filter(organisation__slug="nhs-england").count() == 2


def _the_demo_records_for_people_at_healthwatch_leeds():
    from nhs_citizen.assisted import services
    from nhs_citizen.assisted.models import OnBehalfRecord
    from nhs_citizen.gather.models import Flag

    records = OnBehalfRecord.objects.filter(organisation__slug="healthwatch-leeds")
    kinds = set(records.values_list("kind", flat=True))
    assert {"flag", "support", "story", "pool_entry"} <= kinds
    bus = Flag.objects.get(title__startswith="Bring back the hospital bus")
    assert services.flag_on_behalf(bus).recorded_by == "Healthwatch Leeds"
    assert services.flag_on_behalf(bus).supports == 5


def _the_demo_has_a_complete_past_cycle_and_a_current_one_in_its_vote():
    from nhs_citizen.assembly.models import Cycle, Stage
    from nhs_citizen.assembly.services.vote import count_from_ballots, recount_from_audit
    from nhs_citizen.meetings.models import PanelCommission
    from nhs_citizen.tracker.models import Commitment, CommitmentStatus, StockTakeItem

    past, current = Cycle.objects.order_by("flag_cutoff")
    assert past.stage == Stage.STOCK_TAKE
    assert past.jury_panel is not None
    assert past.entries.filter(to_jury=True).count() == 10
    assert past.entries.filter(jury_choice__chosen=True).count() == 5
    items = list(past.meeting.items.all())
    assert len(items) == 5 and all(hasattr(item, "board_response") for item in items)
    assert past.meeting.minutes_published_at is not None
    assert PanelCommission.objects.get().board_response is not None
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert {CommitmentStatus.DONE, CommitmentStatus.IN_PROGRESS} <= statuses
    assert Commitment.objects.overdue().count() >= 2
    assert StockTakeItem.objects.filter(cycle=past).exists()
    assert current.stage == Stage.VOTING
    assert current.entries.filter(rolled_over_from=past).exists()
    assert current.ballots.count() > 0
    assert count_from_ballots(current) == recount_from_audit(current)
    citizen = User.objects.get(email=PERSONA["citizen"].email)
    assert not current.ballots.filter(voter=citizen).exists()


def _sign_in(client, key):
    from django.core.cache import cache

    persona = PERSONA[key]
    client.logout()
    cache.clear()  # a two-step code works once; signing the same persona in again needs a fresh slate
    response = client.post(
        reverse("account_login"), {"login": persona.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    if persona.needs_second_factor:
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(
            reverse("mfa_authenticate"), {"code": totp_code(persona.totp_secret)}
        )
        assert response.status_code == 302
    assert "_auth_user_id" in client.session


STAFF_PAGES = {
    "staff_area": "accounts:staff_area",
    "people": "accounts:people",
    "full_audit_log": "core:full_audit_log",
    "membership_requests": "core:membership_requests",
    "review_queue": "gather:review_queue",
    "referral_queue": "gather:referral_queue",
    "moderation_queue": "moderation:queue",
    "panels": "panels:create_panel",
}

ALLOWED = {
    "citizen": set(),
    "member": set(),
    "responder": {"staff_area", "referral_queue"},
    "curator": {"staff_area"},
    "moderator": {"staff_area", "moderation_queue"},
    "reviewer": {"staff_area", "review_queue"},
    "secretariat": {"staff_area", "panels"},
    "board": {"staff_area"},
    # Administrators decide appeals when no other moderator can: the queue shows only those.
    "admin": {"staff_area", "people", "full_audit_log", "membership_requests", "moderation_queue"},
}


@pytest.mark.slow
def test_the_demo_loads_twice_the_same_has_everything_and_each_persona_sees_only_its_role(
    client, django_capture_on_commit_callbacks
):
    """The only test that loads the whole demo: loading it replays half a year of history, so
    everything checked of the demo is checked here, on one load (and a second that must change
    nothing)."""
    call_command("seed_demo_data")
    _loading_the_demo_again_changes_nothing_and_it_has_every_kind_of_thing()
    _the_demo_has_a_complete_past_cycle_and_a_current_one_in_its_vote()
    _the_demo_has_paper_ballots_counted_in_the_past_cycle_and_out_in_the_current_one()
    _the_demo_has_a_paper_form_and_a_large_print_paper_voter()
    _the_demo_records_for_people_at_healthwatch_leeds()
    _each_persona_signs_in_and_sees_only_what_its_role_allows(client)


def _each_persona_signs_in_and_sees_only_what_its_role_allows(client):
    for key, allowed in ALLOWED.items():
        _sign_in(client, key)
        response = client.get(reverse("accounts:your_account"))
        assert response.status_code == 200
        assert str(escape(PERSONA[key].display_name)) in response.content.decode()
        for page, name in STAFF_PAGES.items():
            status = client.get(reverse(name)).status_code
            expected = 200 if page in allowed else 403
            assert status == expected, f"{key} got {status} for {page}"
    # What some personas see in particular.
    _sign_in(client, "responder")
    assert (
        "NHS West Yorkshire Integrated Care Board"
        in client.get(reverse("accounts:staff_area")).content.decode()
    )
    queue = client.get(reverse("gather:referral_queue")).content.decode()
    assert (
        "NHS dentists for children in Leeds" in queue
        and "Ambulances take too long in rural Cornwall" not in queue
    )
    _sign_in(client, "member")
    assert "Healthwatch Leeds" in client.get(reverse("accounts:your_account")).content.decode()
    _sign_in(client, "admin")
    assert client.get(reverse("core:membership_requests")).context["page"].paginator.count == 2
    _sign_in(client, "citizen")
    assert (
        "Your answers for selection by lot"
        in client.get(reverse("panels:your_answers")).content.decode()
    )
