"""Who the public audit log credits (ADR 0026): staff by organisation and role, citizens by
their display name; names of staff stay in the full log only, and the chain still verifies."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhs_citizen.conftest import make_user
from nhs_citizen.core import audit_chain
from nhs_citizen.core.audit_credit import (
    AUTOMATIC,
    UNREGISTERED,
    credit_rule,
    is_registered,
)
from nhs_citizen.core.models import AuditEntry, Organisation
from nhs_citizen.core.services.audit import record_audit_entry, verify_audit_log
from nhs_citizen.gather.models import Referral
from nhs_citizen.gather.services import flags as flag_services
from nhs_citizen.gather.services import review
from nhs_citizen.gather.services.responses import check_respond
from nhs_citizen.gather.tests.factories import next_email, raise_flag, responder_for

SOURCE = Path(__file__).resolve().parents[2]


# Every public action is registered -----------------------------------------------------------


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)


def _actions(node: ast.expr, path: Path) -> list[str]:
    """The action names (or, for an f-string, its fixed start followed by "x") in a call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _actions(node.body, path) + _actions(node.orelse, path)
    if isinstance(node, ast.JoinedStr):
        first = node.values[0]
        assert isinstance(first, ast.Constant), f"{path}: an action must start with text"
        return [first.value + "x"]
    if isinstance(node, ast.Name):
        return [getattr(importlib.import_module(_module_name(path)), node.id)]
    raise AssertionError(f"{path}: cannot read the action {ast.unparse(node)}")


def _public_actions() -> list[tuple[str, str]]:
    found = []
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "migrations" in parts or parts[0] == "nonprod":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name != "record_audit_entry":
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            public = keywords.get("public")
            if public is None or (isinstance(public, ast.Constant) and public.value is False):
                continue
            actor = keywords.get("actor")
            if isinstance(actor, ast.Constant) and actor.value is None:
                continue  # the service acting by itself: credited as automatic
            for action in _actions(keywords["action"], path):
                found.append((str(path.relative_to(SOURCE)), action))
    return found


def test_every_public_action_says_how_it_is_credited():
    actions = _public_actions()
    assert len(actions) > 40  # the scan found the services
    assert [(path, action) for path, action in actions if not is_registered(action)] == []


def test_only_raising_a_flag_is_credited_to_the_citizen_by_name():
    citizen_actions = {action for _, action in _public_actions() if credit_rule(action).citizen}
    assert citizen_actions == {"gather.flag_raised"}


# The public log, the full log and the open data -----------------------------------------------


@pytest.fixture
def answered(db):
    """A citizen's flag, referred to an ICB by the review panel and answered by its responder."""
    icb = Organisation.objects.get(type="icb", code="QWO")
    citizen = make_user(next_email("citizen"), display_name="Cara Citizen")
    curator = make_user(next_email("curator"), display_name="Colm Curator", roles=("curator",))
    reviewer = make_user(
        next_email("reviewer"), display_name="Rhiannon Reviewer", roles=("review_panel",)
    )
    responder = responder_for(icb)
    responder.display_name = "Priya Responder"
    responder.save(update_fields=["display_name"])
    flag = raise_flag(user=citizen, title="Longer opening hours at the walk-in centre")
    flag_services.check_put_forward(curator=curator, flag=flag, reason="Ready for review")
    review.check_record_decision(
        reviewer=reviewer,
        flag=flag,
        decision="refer",
        is_national=False,
        within_remit=False,
        reasons="A local matter",
        organisation=icb,
    )
    check_respond(
        responder=responder,
        referral=Referral.objects.get(flag=flag),
        outcome="will_act",
        reasons="We will open until 10pm",
    )
    board = make_user(next_email("board"), display_name="Bola Board", roles=("board_member",))
    record_audit_entry(
        actor=board,
        action="tracker.board_response_recorded",
        summary="The NHS England Board responded to an Assembly item: it will act",
        public=True,
    )
    return icb


STAFF_NAMES = ("Colm Curator", "Rhiannon Reviewer", "Priya Responder", "Bola Board")


def _stream(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_public_log_credits_organisation_and_role_and_names_only_the_citizen(client, answered):
    content = client.get(reverse("core:audit_log")).content.decode()
    for name in STAFF_NAMES:
        assert name not in content
    assert "Cara Citizen" in content
    assert f"{answered.name}, responder" in content
    assert "NHS England, curator" in content
    assert "NHS England, review panel member" in content
    assert "NHS England, Board member" in content


def test_the_full_log_still_names_staff(client, signed_in, answered, administrator):
    signed_in(administrator)
    content = client.get(reverse("core:full_audit_log")).content.decode()
    assert f"Priya Responder ({answered.name}, responder)" in content
    assert "Bola Board (NHS England, Board member)" in content
    assert "Cara Citizen" in content


def _export(client, name: str) -> tuple[str, list[dict]]:
    body = _stream(client.get(reverse(name)))
    if name.endswith("jsonl"):
        return body, [json.loads(line) for line in body.splitlines()]
    return body, json.loads(body)["entries"]


@pytest.mark.parametrize("name", ["core:audit_log_json", "core:audit_log_jsonl"])
def test_the_open_data_carries_no_staff_name(client, answered, name):
    body, entries = _export(client, name)
    for staff_name in STAFF_NAMES:
        assert staff_name not in body
    by_action = {entry["action"]: entry for entry in entries if entry["is_public"]}
    assert by_action["gather.flag_raised"]["actor"] == "Cara Citizen"
    assert by_action["gather.referral_answered"]["actor"] == f"{answered.name}, responder"
    assert by_action["gather.flag_put_forward"]["actor"] == "NHS England, curator"


@pytest.mark.parametrize("name", ["core:audit_log_json", "core:audit_log_jsonl"])
def test_anyone_can_still_check_every_public_entry_from_the_open_data(client, answered, name):
    """The steps on the open data page: each link, and each public entry's own hash."""
    _, entries = _export(client, name)
    assert entries, "the journey wrote entries"
    previous = audit_chain.GENESIS_HASH
    for entry in entries:
        assert entry["previous_hash"] == previous
        if entry["is_public"]:
            assert audit_chain.entry_hash(entry) == entry["entry_hash"], entry["action"]
        previous = entry["entry_hash"]


def test_the_chain_still_verifies_and_nothing_stored_changed(answered):
    assert verify_audit_log(full=True) == []
    # The stored entry still holds the person: only what is shown changed.
    answer = AuditEntry.objects.get(action="gather.referral_answered")
    assert answer.actor.display_name == "Priya Responder"
    assert answer.entry_hash == answer.compute_hash()


def test_automatic_and_unregistered_actions_name_nobody(client, db):
    someone = make_user(next_email("someone"), display_name="Uma Unregistered")
    record_audit_entry(actor=None, action="gather.flag_reached_threshold", summary="A", public=True)
    record_audit_entry(actor=someone, action="test.unknown", summary="B", public=True)
    content = client.get(reverse("core:audit_log")).content.decode()
    assert AUTOMATIC in content and UNREGISTERED in content
    assert "Uma Unregistered" not in content


def test_a_moderators_action_stays_a_moderator(client, db):
    moderator = make_user(next_email("mod"), display_name="Morgan Moderator", roles=("moderator",))
    record_audit_entry(actor=moderator, action="moderation.hidden", summary="Hid", public=True)
    content = client.get(reverse("core:audit_log")).content.decode()
    assert "A moderator" in content and "Morgan Moderator" not in content


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return len(captured.captured_queries)


def _record_body_actions(n: int, responder, referral_id: int, organisation_id: int) -> None:
    for i in range(n):
        record_audit_entry(
            actor=responder,
            action="gather.referral_answered",
            summary=f"Answered {i}",
            data={"referral_id": referral_id},
            public=True,
        )
        record_audit_entry(
            actor=responder,
            action="gather.call_opened",
            summary=f"Opened {i}",
            data={"organisation_id": organisation_id},
            public=True,
        )


@pytest.mark.parametrize("name", ["core:audit_log", "core:audit_log_jsonl"])
def test_crediting_organisations_costs_the_same_queries_at_5_and_50(client, answered, name):
    responder = AuditEntry.objects.get(action="gather.referral_answered").actor
    referral = Referral.objects.get(organisation=answered)
    _record_body_actions(5, responder, referral.pk, answered.pk)
    at_5 = _queries(client, reverse(name))
    _record_body_actions(45, responder, referral.pk, answered.pk)
    assert _queries(client, reverse(name)) == at_5
