"""The draw's order (ADR 0021): inputs fixed, lottery published, seed committed with a named
public value, value typed in, draw. Every forgery or tampering fails its check, with a reason."""

import copy
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels import selection
from nhs_citizen.panels.algorithms import draw as drawing
from nhs_citizen.panels.models import DrawJob, JobKind, MemberStatus, Panel, PanelStatus
from nhs_citizen.panels.services import draws, jobs
from nhs_citizen.panels.tests import factories

pytestmark = pytest.mark.django_db

LOTTERY_SIZE = 200  # small, so the tests are quick


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))


def _small(panel: Panel) -> Panel:
    Panel.objects.filter(pk=panel.pk).update(lottery_size=LOTTERY_SIZE)
    panel.refresh_from_db()
    return panel


@pytest.fixture
def drawn(secretariat):
    pool = factories.make_pool(40)
    panel = _small(factories.make_panel(secretariat, pool))
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        draws.do_freeze_inputs(panel=panel, frozen_by=secretariat)
        draws.do_make_lottery(panel=panel, made_by=secretariat)
        draws.do_commit_seed(
            panel=panel,
            committed_by=secretariat,
            public_value_name=factories.PUBLIC_VALUE_NAME,
            public_value_date=timezone.localdate() + timedelta(days=2),
        )
    draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="07, 12, 23, 31, 40, 52")
    panel = draws.do_run_draw(panel=panel, drawn_by=secretariat)
    return panel


def _file(panel) -> dict:
    return json.loads(draws.draw_file(panel))


def _rehash(data: dict) -> dict:
    """A forger who also rewrites the codes in the file."""
    lottery = data["lottery"]
    data["lottery_sha256"] = drawing.panels_sha256(lottery["panels"])
    data["probabilities_sha256"] = drawing.sha256_json(lottery["probabilities"])
    return data


def _redraw(data: dict) -> dict:
    """... and the result the seed gives from the forged lottery."""
    problem = drawing.problem_from_inputs(data["inputs"])
    from nhs_citizen.panels.algorithms.lottery import lottery_from_panels

    lottery = lottery_from_panels(problem, data["lottery"]["panels"])
    data["result"] = drawing.draw_result(
        lottery, data["seed"]["final_seed"], data["inputs"]["reserves"]
    )
    return data


def test_an_honest_draw_checks_out_in_the_file_in_the_command_and_in_the_stored_check(
    drawn, tmp_path, capsys, django_capture_on_commit_callbacks
):
    data = _file(drawn)
    assert data["format"] == "nhs-citizen/sortition/v2"
    assert selection.check_published_file(data) == []
    assert selection.check_published_file(data, public_value="7 12 23 31 40 52") == []
    assert draws.check_draw(drawn) == []
    path = tmp_path / "draw.json"
    path.write_bytes(draws.draw_file(drawn))
    call_command("verify_draw", str(path), "--public-value", "7, 12, 23, 31, 40, 52")
    out = capsys.readouterr().out
    assert "The draw checks out." in out and drawn.lottery_sha256 in out
    # The check job that drawing queued stores the result the public page shows.
    job = DrawJob.objects.get(panel=drawn, kind=JobKind.CHECK)
    jobs.do_run_job(job.pk)
    job.refresh_from_db()
    assert job.result["checks_out"] is True, job.result


def test_a_lottery_of_one_panel_repeated_fails_with_the_reason(drawn):
    data = _file(drawn)
    chosen = data["result"]["selected"]
    data["lottery"]["panels"] = [sorted(chosen)] * LOTTERY_SIZE
    problems = selection.check_published_file(_redraw(_rehash(copy.deepcopy(data))))
    assert any(
        "everyone was promised" in p or "more than one more than their fair share" in p
        for p in problems
    ), problems
    problems = selection.check_published_file(_redraw(data))
    assert any(
        "The lottery of panels is not what was published before the seed" in p for p in problems
    )


def test_a_lottery_of_one_panel_with_chances_to_match_fails_the_lowest_chance_proof(drawn):
    data = _file(drawn)
    chosen = set(data["result"]["selected"])
    data["lottery"]["panels"] = [sorted(chosen)] * LOTTERY_SIZE
    data["lottery"]["probabilities"] = {
        pid: (1.0 if pid in chosen else 0.0) for pid in data["lottery"]["probabilities"]
    }
    data["lottery"]["minimum_probability"] = 0.0
    problems = selection.check_published_file(_redraw(_rehash(data)))
    assert any("does not show that the lowest chance is the best possible" in p for p in problems)


def test_a_panel_swapped_after_the_seed_fails_even_when_the_file_is_rewritten(drawn, secretariat):
    data = _file(drawn)
    number = data["result"]["lottery_index"]
    other = next(p for p in data["lottery"]["panels"] if p != data["lottery"]["panels"][number])
    data["lottery"]["panels"][number] = other
    problems = selection.check_published_file(data)
    assert any(
        "The lottery of panels is not what was published before the seed" in p for p in problems
    )
    # A forger who also rewrites the file's code is caught by the public audit log.
    Panel.objects.filter(pk=drawn.pk).update(
        published_lottery={**drawn.published_lottery, "panels": data["lottery"]["panels"]},
        lottery_sha256=drawing.panels_sha256(data["lottery"]["panels"]),
    )
    drawn.refresh_from_db()
    problems = draws.check_draw(drawn)
    assert any("lottery sha256 is not the one in the public audit log" in p for p in problems)


def test_a_changed_probability_fails(drawn):
    data = _file(drawn)
    some = sorted(data["lottery"]["probabilities"])[0]
    data["lottery"]["probabilities"][some] += 0.01
    problems = selection.check_published_file(data)
    assert any(
        "Everyone's chances are not what was published before the seed" in p for p in problems
    )


def test_a_public_value_other_than_the_named_draw_fails(drawn, tmp_path, capsys):
    data = _file(drawn)
    problems = selection.check_published_file(data, public_value="7 12 23 31 40 53")
    assert problems == [
        "The public value used ('07, 12, 23, 31, 40, 52') is not the one you gave for "
        f"“{factories.PUBLIC_VALUE_NAME}” ('7 12 23 31 40 53')."
    ]
    path = tmp_path / "draw.json"
    path.write_bytes(draws.draw_file(drawn))
    with pytest.raises(CommandError, match="does not check out"):
        call_command("verify_draw", str(path), "--public-value", "1 2 3 4 5 6")
    assert "is not the one you gave" in capsys.readouterr().err
    # Changing the value in the file changes the final seed, so that fails too.
    data["public_value"]["value"] = "1 2 3 4 5 6"
    problems = selection.check_published_file(data)
    assert any("final seed is not the one made from the secret" in p for p in problems)


def test_a_seed_that_does_not_match_its_commitment_fails(drawn):
    data = _file(drawn)
    data["seed"]["secret"] = drawing.new_seed()
    data["seed"]["final_seed"] = drawing.mix_seed(data["seed"]["secret"], "7 12 23 31 40 52")
    problems = selection.check_published_file(_redraw(data))
    assert any("secret revealed does not match the SHA-256 code committed" in p for p in problems)


def test_a_result_not_given_by_the_seed_fails(drawn):
    data = _file(drawn)
    data["result"]["reserves"] = list(reversed(data["result"]["reserves"]))
    data["result"]["lottery_index"] = (data["result"]["lottery_index"] + 1) % LOTTERY_SIZE
    problems = selection.check_published_file(data)
    assert any("The seed picks panel" in p for p in problems)
    assert "The reserves, or their order, are not the ones the seed gives." in problems


def test_steps_out_of_order_fail(drawn):
    data = _file(drawn)
    data["seed_commitment"]["committed_at"] = data["inputs_frozen_at"]
    problems = selection.check_published_file(data)
    assert any("seed was committed before the lottery was published" in p for p in problems)


def test_an_old_format_file_is_refused_with_the_reason(drawn, tmp_path, capsys):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"seed": "ab", "seed_sha256": "cd", "inputs": {}, "result": {}}))
    with pytest.raises(CommandError):
        call_command("verify_draw", str(path))
    assert "old format" in capsys.readouterr().err


def test_the_seed_cannot_be_committed_before_the_lottery_is_published(secretariat):
    panel = factories.frozen_panel(secretariat, factories.make_pool(40))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="Publish the lottery before you commit the seed"):
        draws.do_commit_seed(
            panel=panel, committed_by=secretariat, public_value_name="X", public_value_date=tomorrow
        )
    panel.refresh_from_db()
    assert panel.status == PanelStatus.INPUTS_FROZEN and not panel.seed_hash


def test_a_public_value_date_that_is_not_after_today_is_refused_and_changes_nothing(secretariat):
    panel = _small(factories.frozen_panel(secretariat, factories.make_pool(40)))
    draws.do_make_lottery(panel=panel, made_by=secretariat)
    before = AuditEntry.objects.count()
    for day in (timezone.localdate(), timezone.localdate() - timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            draws.do_commit_seed(
                panel=panel, committed_by=secretariat, public_value_name="X", public_value_date=day
            )
        assert "must be after today" in str(error.value)
    with pytest.raises(ValidationError, match="Enter the name of a public random value"):
        draws.do_commit_seed(
            panel=panel,
            committed_by=secretariat,
            public_value_name="  ",
            public_value_date=timezone.localdate() + timedelta(days=1),
        )
    panel.refresh_from_db()
    assert panel.status == PanelStatus.LOTTERY_PUBLISHED and not panel.seed
    assert AuditEntry.objects.count() == before


def test_the_public_value_cannot_be_typed_in_before_its_date(secretariat):
    panel = _small(factories.published_panel(secretariat, factories.make_pool(40)))
    panel = draws.do_commit_seed(
        panel=panel,
        committed_by=secretariat,
        public_value_name="Lotto on Saturday",
        public_value_date=timezone.localdate() + timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="You can type in the public value from"):
        draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="1 2 3")
    panel.refresh_from_db()
    assert not panel.public_value and not DrawJob.objects.filter(panel=panel).exists()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        with pytest.raises(ValidationError, match="Enter the public value"):
            draws.do_enter_public_value(panel=panel, entered_by=secretariat, value=" ,, ")
        job = draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="1 2 3")
    assert job.kind == JobKind.DRAW
    with pytest.raises(ValidationError, match="can be typed in once"):
        draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="4 5 6")


def test_a_panel_cannot_be_drawn_twice_nor_before_its_value(drawn, secretariat):
    with pytest.raises(ValidationError, match="A panel is drawn once"):
        draws.do_run_draw(panel=drawn, drawn_by=secretariat)
    with pytest.raises(ValidationError, match="A panel is drawn once"):
        jobs.do_request_draw(panel=drawn, requested_by=secretariat)
    assert drawn.members.filter(status=MemberStatus.INVITED).count() == 10
    committed = factories.committed_panel(secretariat, factories.make_pool(40), title="Other")
    with pytest.raises(ValidationError, match="A panel is drawn once"):
        draws.do_run_draw(panel=committed, drawn_by=secretariat)
    with pytest.raises(ValidationError, match="inputs of this panel are already fixed"):
        draws.do_freeze_inputs(panel=committed, frozen_by=secretariat)
    with pytest.raises(ValidationError, match="lottery is made once"):
        jobs.do_request_lottery(panel=committed, requested_by=secretariat)


def test_each_step_is_in_the_public_audit_log_in_order(drawn):
    entries = list(
        AuditEntry.objects.filter(target_id=str(drawn.pk), action__startswith="panels.")
        .exclude(action__in=["panels.panel_created", "panels.quotas_set"])
        .order_by("sequence")
    )
    assert [e.action for e in entries] == [
        "panels.inputs_frozen",
        "panels.lottery_published",
        "panels.seed_committed",
        "panels.public_value_entered",
        "panels.drawn",
    ]
    assert all(e.is_public for e in entries)
    assert entries[1].data["lottery_sha256"] == drawn.lottery_sha256
    assert entries[2].data["public_value_name"] == factories.PUBLIC_VALUE_NAME
    assert entries[4].data["seed"] == drawn.seed


def test_fewer_reserves_than_asked_says_how_many_and_why(secretariat, client):
    pool = factories.make_pool(14)
    panel = _small(factories.make_panel(secretariat, pool, reserves=10))
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        draws.do_freeze_inputs(panel=panel, frozen_by=secretariat)
        draws.do_make_lottery(panel=panel, made_by=secretariat)
        draws.do_commit_seed(
            panel=panel,
            committed_by=secretariat,
            public_value_name="Lotto",
            public_value_date=timezone.localdate() + timedelta(days=1),
        )
    draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="1 2 3")
    panel = draws.do_run_draw(panel=panel, drawn_by=secretariat)
    available = len(panel.published_result["reserves"])
    assert available < 10
    note = panel.published_result["reserves_short_reason"]
    assert note.startswith(
        f"Only {available} people could stand in for a member"
    ) or note.startswith("Nobody could stand in")
    assert "not 10" in note
    assert note in client.get(reverse("panels:panel_detail", args=[panel.pk])).content.decode()


def test_enough_reserves_gives_the_number_asked_for(drawn):
    assert len(drawn.published_result["reserves"]) == 4
    assert drawn.published_result["reserves_short_reason"] == ""


@pytest.mark.parametrize("roles", [(), ("moderator",)])
def test_only_the_secretariat_can_act_on_a_draw(client, roles, secretariat):
    panel = factories.frozen_panel(secretariat, factories.make_pool(40))
    client.force_login(make_user("other@example.com", roles=roles))
    for name, method in [
        ("freeze_inputs", "post"),
        ("make_lottery", "post"),
        ("commit_seed", "get"),
        ("commit_seed", "post"),
        ("enter_public_value", "get"),
        ("enter_public_value", "post"),
        ("run_draw", "post"),
        ("manage_panel", "get"),
    ]:
        response = getattr(client, method)(reverse(f"panels:{name}", args=[panel.pk]))
        assert response.status_code == 403, name
    assert not DrawJob.objects.exists()
    panel.refresh_from_db()
    assert panel.status == PanelStatus.INPUTS_FROZEN


def test_visitors_see_the_public_parts(client, drawn):
    page = client.get(reverse("panels:panel_detail", args=[drawn.pk])).content.decode()
    assert drawn.lottery_sha256 in page and drawn.seed_hash in page and drawn.seed in page
    assert factories.PUBLIC_VALUE_NAME in page
    check = client.get(reverse("panels:check_draw", args=[drawn.pk])).content.decode()
    assert "07, 12, 23, 31, 40, 52" in check
    download = client.get(reverse("panels:draw_inputs", args=[drawn.pk]))
    assert download.status_code == 200 and json.loads(download.content)["seed"]["secret"]


def test_the_secret_is_not_published_before_the_draw(client, secretariat):
    panel = factories.committed_panel(secretariat, factories.make_pool(40))
    data = json.loads(client.get(reverse("panels:draw_inputs", args=[panel.pk])).content)
    assert data["seed"] is None and data["result"] is None
    assert data["seed_commitment"]["secret_sha256"] == panel.seed_hash
    assert panel.seed not in json.dumps(data)
    page = client.get(reverse("panels:panel_detail", args=[panel.pk])).content.decode()
    assert panel.seed not in page and panel.seed_hash in page


def test_the_secretariat_pages_walk_through_the_order(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    panel = _small(factories.make_panel(secretariat, factories.make_pool(40)))
    client.post(reverse("panels:freeze_inputs", args=[panel.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("panels:make_lottery", args=[panel.pk]))
    job = DrawJob.objects.get(panel=panel, kind=JobKind.LOTTERY)
    assert response["Location"] == reverse("panels:job_progress", args=[panel.pk, job.pk])
    panel.refresh_from_db()
    assert panel.status == PanelStatus.LOTTERY_PUBLISHED, job.error
    response = client.post(
        reverse("panels:commit_seed", args=[panel.pk]),
        {"public_value_name": "Lotto", "public_value_date": "1 1 2020"},
    )
    assert "The date must be after today" in response.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(
        reverse("panels:commit_seed", args=[panel.pk]),
        {"public_value_name": "Lotto", "public_value_date": tomorrow.strftime("%d %m %Y")},
    )
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SEED_COMMITTED
    response = client.post(
        reverse("panels:enter_public_value", args=[panel.pk]), {"public_value": "1"}
    )
    assert "You can type in the public value from" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("panels:enter_public_value", args=[panel.pk]), {"public_value": "1 2"}
            )
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SEED_REVEALED
    assert panel.members.filter(status=MemberStatus.INVITED).count() == 10


def test_a_panel_drawn_the_old_way_says_its_draw_cannot_be_confirmed(drawn, client):
    from nhs_citizen.panels.models import DrawProtocol

    Panel.objects.filter(pk=drawn.pk).update(protocol=DrawProtocol.V1)
    drawn.refresh_from_db()
    assert _file(drawn)["format"] == "nhs-citizen/sortition/v1"
    assert draws.check_draw(drawn) == [drawing.OLD_FORMAT_PROBLEM]
    job = DrawJob.objects.get(panel=drawn, kind=JobKind.CHECK)  # queued by the draw
    jobs.do_run_job(job.pk)
    page = client.get(reverse("panels:check_draw", args=[drawn.pk])).content.decode()
    assert "The draw could not be confirmed" in page and "old format" in page
    detail = client.get(reverse("panels:panel_detail", args=[drawn.pk])).content.decode()
    assert "drawn the old way" in detail


def test_the_lottery_uses_the_time_budget_settings(secretariat, settings):
    from unittest import mock

    settings.PANEL_DISTRIBUTION_TIME_LIMIT = 7
    settings.PANEL_ROUNDING_TIME_LIMIT = 3
    panel = _small(factories.frozen_panel(secretariat, factories.make_pool(40)))
    with mock.patch.object(selection, "make_lottery", wraps=selection.make_lottery) as made:
        draws.do_make_lottery(panel=panel, made_by=secretariat)
    assert made.call_args.kwargs["time_limit"] == 7
    assert made.call_args.kwargs["rounding_time_limit"] == 3


def test_a_lowest_chance_not_proved_in_time_publishes_nothing(secretariat):
    from unittest import mock

    from nhs_citizen.panels.algorithms import bound

    panel = _small(factories.frozen_panel(secretariat, factories.make_pool(40)))
    with (
        mock.patch.object(bound, "optimality_certificate", side_effect=ValueError("no proof")),
        pytest.raises(ValidationError, match="We could not prove, within 120 seconds"),
    ):
        draws.do_make_lottery(panel=panel, made_by=secretariat)
    panel.refresh_from_db()
    assert panel.status == PanelStatus.INPUTS_FROZEN and panel.published_lottery is None
    assert not AuditEntry.objects.filter(action="panels.lottery_published").exists()
