"""Who may do what on the tracker (rules.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import Organisation
from nhs_citizen.gather.models import Outcome
from nhs_citizen.gather.tests.factories import next_email, responder_for
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    board_member,
    draft,
    make_agenda_item,
    make_cycle,
    make_meeting,
    make_panel,
    published_call,
    record_board_response,
    remote_post,
    secretariat_member,
)

pytestmark = pytest.mark.django_db


def test_record_board_response():
    assert board_member().has_perm("tracker.record_board_response")
    for person in (secretariat_member(), make_user(next_email()), AnonymousUser()):
        assert not person.has_perm("tracker.record_board_response")


def test_add_commitment():
    answer, responder = answered_referral()
    not_ours, not_ours_responder = answered_referral(outcome=Outcome.NOT_OURS)
    call = published_call()
    unpublished = published_call(published=False)
    response = record_board_response()
    other = responder_for(Organisation.objects.get(type="icb", code="QOQ"))
    assert responder.has_perm("tracker.add_commitment", answer)
    assert not other.has_perm("tracker.add_commitment", answer)
    assert not not_ours_responder.has_perm("tracker.add_commitment", not_ours)
    assert call.opened_by.has_perm("tracker.add_commitment", call)
    assert not call.opened_by.has_perm("tracker.add_commitment", unpublished)
    assert board_member().has_perm("tracker.add_commitment", response)
    assert not responder.has_perm("tracker.add_commitment", response)
    assert not AnonymousUser().has_perm("tracker.add_commitment", answer)
    assert not secretariat_member().has_perm("tracker.add_commitment", answer)


def test_update_commitment():
    answer, responder = answered_referral()
    commitment = services.check_add_commitment(by=responder, to=answer, draft=draft())
    board_commitment = record_board_response().commitments.get()
    member = board_member()
    assert responder.has_perm("tracker.update_commitment", commitment)
    assert secretariat_member().has_perm("tracker.update_commitment", commitment)
    assert secretariat_member().has_perm("tracker.update_commitment", board_commitment)
    assert member.has_perm("tracker.update_commitment", board_commitment)
    assert not member.has_perm("tracker.update_commitment", commitment)
    assert not responder.has_perm("tracker.update_commitment", board_commitment)
    assert not make_user(next_email()).has_perm("tracker.update_commitment", commitment)
    assert not AnonymousUser().has_perm("tracker.update_commitment", commitment)


def test_reflect():
    member, poster, outsider = (make_user(next_email(p)) for p in ("m", "p", "o"))
    meeting = make_meeting(make_cycle(), members_panel=make_panel([member]))
    item = make_agenda_item(meeting=meeting)
    remote_post(item, poster)
    response = record_board_response(item)
    assert member.has_perm("tracker.reflect", response)
    assert poster.has_perm("tracker.reflect", response)
    assert not outsider.has_perm("tracker.reflect", response)
    assert not AnonymousUser().has_perm("tracker.reflect", response)


def test_generate_stocktake():
    assert secretariat_member().has_perm("tracker.generate_stocktake")
    assert not board_member().has_perm("tracker.generate_stocktake")


def test_see_own_commitments():
    _answer, responder = answered_referral()
    assert responder.has_perm("tracker.see_own_commitments")
    assert board_member().has_perm("tracker.see_own_commitments")
    assert secretariat_member().has_perm("tracker.see_own_commitments")
    assert not make_user(next_email()).has_perm("tracker.see_own_commitments")
