"""The public audit log credits a community helper's record to their organisation and opening
a conversation to NHS England's curators: never the person (ADR 0026)."""

import datetime

import pytest
from django.utils import timezone

from nhs_citizen.core.audit_credit import CreditedEntry, public_credits
from nhs_citizen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _credit(action: str) -> str | None:
    entry = AuditEntry.objects.filter(action=action).latest("sequence")
    credited = CreditedEntry(
        sequence=entry.sequence,
        action=entry.action,
        actor_id=entry.actor_id,
        target_type=entry.target_type,
        target_id=entry.target_id,
        data=entry.data,
    )
    return public_credits([credited])[entry.sequence]


def test_opening_and_closing_a_conversation_on_a_flag_is_credited_to_nhs_england_curators():
    from nhs_citizen.conversations.services.conversations import check_close_conversation
    from nhs_citizen.conversations.tests.factories import curator, open_conversation

    conversation = open_conversation()
    assert _credit("conversations.opened") == "NHS England, curator"
    check_close_conversation(
        actor=curator(), conversation=conversation, reason="The trust has answered the flag."
    )
    assert _credit("conversations.closed_early") == "NHS England, curator"


def test_a_helpers_record_is_credited_to_their_organisation():
    from nhs_citizen.assisted.services import Consent, check_add_person, check_record_support
    from nhs_citizen.conftest import make_user
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.core.services.organisations import (
        check_request_membership,
        do_verify_membership,
    )
    from nhs_citizen.gather.tests.factories import raise_flag

    helper = make_user("helper-credit@example.com", display_name="Grace Helper")
    healthwatch = Organisation.objects.create(
        name="Healthwatch Calderdale", slug="healthwatch-calderdale", type="healthwatch"
    )
    membership = check_request_membership(user=helper, organisation=healthwatch, role="member")
    do_verify_membership(
        membership=membership,
        verified_by=make_user("verifier-credit@example.com", roles=("administrator",)),
    )
    person = check_add_person(
        helper=helper,
        organisation=healthwatch,
        name="Doreen Smith",
        contact_by="letter",
        address="1 Mill Lane",
    )
    check_record_support(
        helper=helper,
        person=person,
        flag=raise_flag(),
        consent=Consent(
            given_by="Doreen Smith", how="letter", on=timezone.localdate() - datetime.timedelta(1)
        ),
        paper_reference="PF-0009",
    )
    credit = _credit("assisted.support_recorded")
    assert credit == "Healthwatch Calderdale, community helper"
    assert "Grace" not in credit and "Doreen" not in credit
