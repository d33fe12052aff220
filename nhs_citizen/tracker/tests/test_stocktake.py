import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from nhs_citizen.assembly.models import Stage
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.tracker.models import CommitmentStatus, StockTakeItem
from nhs_citizen.tracker.services import commitments as services
from nhs_citizen.tracker.services.stocktake import (
    cycles_due_for_stocktake,
    do_generate_stocktake,
)
from nhs_citizen.tracker.tests.factories import (
    answered_referral,
    draft,
    make_cycle,
    secretariat_member,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 1, 4, 12, tzinfo=datetime.UTC)
LATER = datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def commitments():
    with time_machine.travel(START, tick=False):
        answer, responder = answered_referral()
        made = {
            what: services.check_add_commitment(
                by=responder, to=answer, draft=draft(what, due_in_days=days)
            )
            for what, days in [
                ("Due in summer", 200),
                ("Long overdue", 10),
                ("Just overdue", 40),
                ("Finished", 20),
            ]
        }
        services.check_update_commitment(
            by=responder, commitment=made["Finished"], status=CommitmentStatus.DONE, note="Done."
        )
    made["responder"] = responder
    return made


def _agenda(cycle):
    return [
        (item.commitment.what, item.was_overdue)
        for item in StockTakeItem.objects.filter(cycle=cycle).order_by("position")
    ]


def test_the_agenda_is_every_open_commitment_overdue_first(commitments):
    cycle = make_cycle()
    with time_machine.travel(LATER, tick=False):
        items = do_generate_stocktake(cycle, by=secretariat_member())
    assert [i.position for i in items] == [1, 2, 3]
    assert _agenda(cycle) == [
        ("Long overdue", True),
        ("Just overdue", True),
        ("Due in summer", False),
    ]
    entry = AuditEntry.objects.get(action="tracker.stocktake_generated")
    assert entry.is_public and entry.data["items"] == 3 and entry.data["overdue"] == 2


def test_making_it_again_changes_nothing_and_duplicates_nothing(commitments):
    cycle = make_cycle()
    with time_machine.travel(LATER, tick=False):
        do_generate_stocktake(cycle)
        before = list(StockTakeItem.objects.filter(cycle=cycle).values_list("pk", "generated_at"))
        do_generate_stocktake(cycle)
        do_generate_stocktake(cycle)
    assert (
        list(StockTakeItem.objects.filter(cycle=cycle).values_list("pk", "generated_at")) == before
    )
    assert AuditEntry.objects.filter(action="tracker.stocktake_generated").count() == 1


def test_making_it_again_brings_it_up_to_date(commitments):
    cycle = make_cycle()
    with time_machine.travel(LATER, tick=False):
        do_generate_stocktake(cycle)
        first_ids = dict(
            StockTakeItem.objects.filter(cycle=cycle).values_list("commitment__what", "pk")
        )
        services.check_update_commitment(
            by=commitments["responder"],
            commitment=commitments["Long overdue"],
            status=CommitmentStatus.DONE,
            note="Done at last.",
        )
        services.check_add_commitment(
            by=commitments["responder"],
            to=commitments["Due in summer"].referral_response,
            draft=draft("A new one", due_in_days=5),
        )
    with time_machine.travel(LATER + datetime.timedelta(days=10), tick=False):
        do_generate_stocktake(cycle)
    assert _agenda(cycle) == [
        ("Just overdue", True),
        ("A new one", True),
        ("Due in summer", False),
    ]
    # The same rows, moved; never a second row for the same commitment.
    again = dict(StockTakeItem.objects.filter(cycle=cycle).values_list("commitment__what", "pk"))
    assert again["Just overdue"] == first_ids["Just overdue"]
    assert StockTakeItem.objects.filter(cycle=cycle).count() == 3


def test_each_cycle_has_its_own_agenda(commitments):
    first, second = make_cycle(), make_cycle()
    with time_machine.travel(LATER, tick=False):
        do_generate_stocktake(first)
        do_generate_stocktake(second)
    assert StockTakeItem.objects.filter(cycle=first).count() == 3
    assert StockTakeItem.objects.filter(cycle=second).count() == 3


def test_an_empty_agenda_is_recorded_once(db):
    cycle = make_cycle()
    assert do_generate_stocktake(cycle) == []
    assert do_generate_stocktake(cycle) == []
    assert AuditEntry.objects.filter(action="tracker.stocktake_generated").count() == 1


def test_the_command_makes_the_agenda_of_cycles_whose_stock_take_is_near(commitments):
    soon = make_cycle(stocktake_date=datetime.date(2027, 3, 10))
    far = make_cycle(stocktake_date=datetime.date(2027, 6, 10))
    done = make_cycle(stocktake_date=datetime.date(2027, 3, 5), stage=Stage.STOCK_TAKE)
    with time_machine.travel(LATER, tick=False):
        assert list(cycles_due_for_stocktake()) == [soon]
        call_command("generate_stocktakes")
        call_command("generate_stocktakes")
    assert StockTakeItem.objects.filter(cycle=soon).count() == 3
    assert not StockTakeItem.objects.filter(cycle__in=[far, done]).exists()
    with time_machine.travel(LATER, tick=False):
        call_command("generate_stocktakes", "--cycle", far.slug)
    assert StockTakeItem.objects.filter(cycle=far).count() == 3


def test_the_stock_take_page(client, commitments):
    cycle = make_cycle()
    url = reverse("tracker:stocktake", args=[cycle.slug])
    with time_machine.travel(LATER, tick=False):
        page = client.get(url)
        assert "The agenda has not been made yet" in page.content.decode()
        assert client.post(url).status_code == 403
        client.force_login(secretariat_member())
        assert client.post(url).status_code == 302
        page = client.get(url)
    html = page.content.decode()
    assert [row["commitment"].what for row in page.context["rows"]] == [
        "Long overdue",
        "Just overdue",
        "Due in summer",
    ]
    assert html.count('<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>') >= 2
    assert "Update the agenda now" in html


def test_only_the_secretariat_makes_the_agenda_by_hand(client, commitments):
    cycle = make_cycle()
    client.force_login(commitments["responder"])
    assert client.post(reverse("tracker:stocktake", args=[cycle.slug])).status_code == 403
    assert not StockTakeItem.objects.exists()
