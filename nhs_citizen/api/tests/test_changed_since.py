"""``changed_since`` finds changes that do not touch the row's own timestamp: a flag whose
commitment moved, a flag put back by a moderator, a referral gone overdue, a call answered or
closed, a Board response reflected on. Last-Modified follows the same moments."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django.utils.http import parse_http_date

from nhs_citizen.conftest import make_user
from nhs_citizen.gather.tests.factories import next_email, raise_flag
from nhs_citizen.moderation.services import check_hide, check_restore
from nhs_citizen.tracker.models import CommitmentStatus, Reflection
from nhs_citizen.tracker.services import commitments as commitment_services
from nhs_citizen.tracker.tests.factories import answered_referral, draft, record_board_response

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=20)
SINCE = "2027-03-08"


def _ids(client, path: str) -> list[int]:
    response = client.get(f"{path}?changed_since={SINCE}&limit=200")
    assert response.status_code == 200, response.content[:200]
    return [row["id"] for row in response.json()["results"]]


def test_a_flag_whose_commitment_was_updated_is_changed(client):
    with time_machine.travel(LONG_AGO, tick=False):
        answer, responder = answered_referral()
        commitment = commitment_services.check_add_commitment(
            by=responder, to=answer, draft=draft("Print a timetable", due_in_days=60)
        )
        quiet = raise_flag(title="Nothing happens to this one")
    flag_id = answer.referral.flag_id
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/flags") == []
        commitment_services.check_update_commitment(
            by=responder, commitment=commitment, status=CommitmentStatus.IN_PROGRESS, note="Begun."
        )
        assert _ids(client, "/api/v1/flags") == [flag_id]
        assert quiet.pk not in _ids(client, "/api/v1/flags")
        detail = client.get(f"/api/v1/flags/{flag_id}")
        assert parse_http_date(detail["Last-Modified"]) == int(NOW.timestamp())


def test_a_flag_put_back_by_a_moderator_is_changed(client):
    moderator = make_user(next_email("moderator"), roles=("moderator",))
    other = make_user(next_email("moderator"), roles=("moderator",))
    with time_machine.travel(LONG_AGO, tick=False):
        flag = raise_flag(title="Hidden then put back")
        check_hide(moderator=moderator, kind="flag", object_id=flag.pk, reason="It named a person")
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/flags") == []
        check_restore(moderator=other, kind="flag", object_id=flag.pk, reason="The name is gone")
        assert _ids(client, "/api/v1/flags") == [flag.pk]


def test_a_flag_whose_referral_went_overdue_is_changed(client):
    from nhs_citizen.gather.models import Referral, ReferralStatus

    with time_machine.travel(LONG_AGO, tick=False):
        answer, _ = answered_referral()
    referral = answer.referral
    # Waiting for an answer, due the day before yesterday: overdue since midnight yesterday.
    Referral.objects.filter(pk=referral.pk).update(
        status=ReferralStatus.AWAITING, due_date=dt.date(2027, 3, 8)
    )
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/flags") == [referral.flag_id]
        response = client.get("/api/v1/flags?changed_since=2027-03-10T00:30:00Z")
        assert response.json()["results"] == []


def _open_call(closes_on: dt.date):
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.gather.models import Scope
    from nhs_citizen.gather.services import calls
    from nhs_citizen.gather.services.flags import Place
    from nhs_citizen.gather.tests.factories import responder_for

    organisation = Organisation.objects.get(slug="nhs-england")
    return calls.check_open_call(
        responder=responder_for(organisation),
        organisation=organisation,
        title="Evening GP appointments",
        background="We are thinking about opening GP surgeries in the evening.",
        place=Place(Scope.NATIONAL),
        closes_on=closes_on,
        questions=[("What would help?", "free_text", []), ("Evenings?", "choice", ["Yes", "No"])],
    )


def test_calls_answered_or_closed_are_changed(client):
    from nhs_citizen.gather.services import calls

    with time_machine.travel(LONG_AGO, tick=False):
        call = _open_call(dt.date(2027, 3, 20))
    first, second = call.questions.order_by("position")
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/calls") == []
        calls.check_answer_call(
            user=make_user(next_email("answerer")),
            call=call,
            answers={first.pk: "Evenings", second.pk: "Yes"},
        )
        assert _ids(client, "/api/v1/calls") == [call.pk]
        detail = client.get(f"/api/v1/calls/{call.pk}")
        assert detail.json()["answers"] == 1
        assert detail.json()["answer_rows"] is None  # not public while open
        assert parse_http_date(detail["Last-Modified"]) == int(NOW.timestamp())
    # Shortly after midnight at the end of its last day it has closed: its answers are public.
    after = dt.datetime(2027, 3, 21, 0, 30, tzinfo=dt.UTC)
    with time_machine.travel(after, tick=False):
        for since, expected in (("2027-03-20T22:00:00Z", [call.pk]), ("2027-03-21", [call.pk])):
            response = client.get(f"/api/v1/calls?changed_since={since}")
            assert [row["id"] for row in response.json()["results"]] == expected, since
        detail = client.get(f"/api/v1/calls/{call.pk}").json()
        assert detail["open"] is False
        assert detail["answer_rows"] == [["Evenings", "Yes"]]
    with time_machine.travel(after + dt.timedelta(days=3), tick=False):
        response = client.get("/api/v1/calls?changed_since=2027-03-22")
        assert response.json()["results"] == []


def test_a_board_response_reflected_on_is_changed(client):
    with time_machine.travel(LONG_AGO, tick=False):
        response = record_board_response()
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/board-responses") == []
        Reflection.objects.create(
            response=response,
            user=make_user(next_email("member")),
            verdict="yes",
            updated_at=timezone.now(),
            created_at=timezone.now(),
        )
        assert _ids(client, "/api/v1/board-responses") == [response.pk]
        row = client.get(f"/api/v1/board-responses/{response.pk}").json()
        assert row["reflections"] == {"yes": 1, "partly": 0, "no": 0}


def test_cycles_and_meetings_changed_by_events_about_them(client):
    from nhs_citizen.core.services.audit import record_audit_entry
    from nhs_citizen.meetings.models import AgendaItem, Meeting

    with time_machine.travel(LONG_AGO, tick=False):
        build_meeting = record_board_response()
    item = AgendaItem.objects.get(pk=build_meeting.agenda_item_id)
    meeting = Meeting.objects.get(pk=item.meeting_id)
    actor = make_user(next_email("secretariat"))
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/cycles") == []
        assert _ids(client, "/api/v1/meetings") == []
        record_audit_entry(
            actor=actor, action="meetings.item_moved", summary="Moved", target=item, public=True
        )
        assert _ids(client, "/api/v1/meetings") == [meeting.pk]
        assert _ids(client, "/api/v1/cycles") == []
        record_audit_entry(
            actor=actor,
            action="assembly.cycle_changed",
            summary="Dates changed",
            target=meeting.cycle,
            public=True,
        )
        assert _ids(client, "/api/v1/cycles") == [meeting.cycle_id]


def test_a_commitment_gone_overdue_is_changed(client):
    from nhs_citizen.tracker.models import Commitment

    with time_machine.travel(LONG_AGO, tick=False):
        answer, responder = answered_referral()
        late = commitment_services.check_add_commitment(
            by=responder, to=answer, draft=draft("Print a timetable", due_in_days=17)
        )
        commitment_services.check_add_commitment(
            by=responder, to=answer, draft=draft("Paint the bus stop", due_in_days=60)
        )
    assert Commitment.objects.get(pk=late.pk).due_date == dt.date(2027, 3, 7)
    with time_machine.travel(NOW, tick=False):
        # Due on 7 March: overdue from midnight at the start of 8 March.
        assert _ids(client, "/api/v1/commitments") == [late.pk]
        response = client.get("/api/v1/commitments?changed_since=2027-03-08T06:00:00Z")
        assert response.json()["results"] == []


def test_a_comment_hidden_changes_the_flag_and_its_discussion(client):
    from nhs_citizen.gather.services import flags as flag_services

    moderator = make_user(next_email("moderator"), roles=("moderator",))
    with time_machine.travel(LONG_AGO, tick=False):
        flag = raise_flag(title="Talked about")
        comment = flag_services.check_add_comment(
            user=make_user(next_email("talker")), flag=flag, body="Ring Nurse Jones on 0113"
        )
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/flags") == []
        assert _ids(client, f"/api/v1/flags/{flag.pk}/comments") == []
        check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="A name")
        assert _ids(client, "/api/v1/flags") == [flag.pk]
        rows = client.get(f"/api/v1/flags/{flag.pk}/comments?changed_since={SINCE}").json()
        assert rows["results"] == [
            {
                "id": comment.pk,
                "parent_id": None,
                "hidden": True,
                "hidden_reason": "A name",
                "author": None,
                "stance": None,
                "text": None,
                "posted_at": rows["results"][0]["posted_at"],
            }
        ]
    assert client.get("/api/v1/flags/999999/comments").status_code == 404


def test_a_stocktake_item_changes_with_its_agenda_and_its_commitment(client):
    from nhs_citizen.tracker.services.stocktake import do_generate_stocktake
    from nhs_citizen.tracker.tests.factories import make_cycle

    with time_machine.travel(LONG_AGO, tick=False):
        answer, responder = answered_referral()
        late, updated, quiet = (
            commitment_services.check_add_commitment(
                by=responder, to=answer, draft=draft(what, due_in_days=days)
            )
            for what, days in [("Print a timetable", 17), ("Fix the shelter", 60), ("Paint", 60)]
        )
        cycle = make_cycle()
        items = {item.commitment_id: item.pk for item in do_generate_stocktake(cycle)}
    with time_machine.travel(NOW, tick=False):
        # The first went overdue on 8 March: its "now" column changed with the date.
        assert _ids(client, "/api/v1/stock-take") == [items[late.pk]]
        commitment_services.check_update_commitment(
            by=responder, commitment=updated, status=CommitmentStatus.IN_PROGRESS, note="Begun."
        )
        assert _ids(client, "/api/v1/stock-take") == [items[late.pk], items[updated.pk]]
        row = client.get(f"/api/v1/stock-take/{items[updated.pk]}")
        assert row.json()["status"] == CommitmentStatus.IN_PROGRESS
        assert row.json()["status_then"] != CommitmentStatus.IN_PROGRESS
        assert parse_http_date(row["Last-Modified"]) == int(NOW.timestamp())
        do_generate_stocktake(cycle)  # brought up to date: the two that changed move on
        assert items[quiet.pk] not in _ids(client, "/api/v1/stock-take")
        made = client.get(f"/api/v1/stock-take?cycle={cycle.slug}").json()["results"]
        assert [row["made_at"][:10] for row in made] == ["2027-03-10", "2027-03-10", "2027-02-18"]
        assert made[0]["was_overdue"] and made[0]["status_then_words"] == "Overdue"
        later = client.get("/api/v1/stock-take?changed_since=2027-03-11").json()["results"]
        assert later == []
    assert client.get("/api/v1/stock-take/999999").status_code == 404


def test_a_body_changes_when_its_culture_figures_are_worked_out_again(client):
    from nhs_citizen.core.models import Organisation
    from nhs_citizen.culture.models import BodyFigures
    from nhs_citizen.culture.services.figures import do_refresh_culture_measures

    with time_machine.travel(LONG_AGO, tick=False):
        answer, _ = answered_referral()
        do_refresh_culture_measures()
    body = answer.referral.organisation
    measured = set(BodyFigures.objects.values_list("organisation_id", flat=True))
    assert body.pk in measured
    unmeasured = Organisation.objects.exclude(pk__in=measured).values_list("slug", flat=True)
    with time_machine.travel(NOW, tick=False):
        assert _ids(client, "/api/v1/bodies") == []
        do_refresh_culture_measures()
        assert set(_ids(client, "/api/v1/bodies")) == measured
        detail = client.get(f"/api/v1/bodies/{body.slug}")
        assert parse_http_date(detail["Last-Modified"]) == int(NOW.timestamp())
        for slug in unmeasured[:3]:
            quiet = client.get(f"/api/v1/bodies/{slug}")
            assert parse_http_date(quiet["Last-Modified"]) < int(NOW.timestamp())
