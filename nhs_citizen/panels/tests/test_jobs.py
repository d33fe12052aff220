"""Draws and checks of draws run as background jobs, with a progress page; the public check page
shows the stored result of the latest check and never recomputes the draw."""

import hashlib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nhs_citizen.conftest import make_user
from nhs_citizen.core.models import AuditEntry
from nhs_citizen.panels import selection
from nhs_citizen.panels.models import (
    DrawJob,
    JobKind,
    JobStage,
    JobStatus,
    MemberStatus,
    Panel,
    PanelStatus,
)
from nhs_citizen.panels.services import draws, jobs
from nhs_citizen.panels.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(db):
    return make_user("sec@example.com", display_name="Sam Secretariat", roles=("secretariat",))


@pytest.fixture
def staff_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _progress_url(job):
    return reverse("panels:job_progress", args=[job.panel_id, job.pk])


def _valued(secretariat, pool=None, **kwargs):
    """A panel whose public value has been typed in, ready to draw (without the draw job that
    typing it in queues: tests make the jobs they need)."""
    panel = factories.committed_panel(secretariat, pool or factories.make_pool(), **kwargs)
    with mock.patch.object(jobs, "_enqueue"):  # the draw job is not run
        draws.do_enter_public_value(panel=panel, entered_by=secretariat, value="1 2 3 4 5 6")
    DrawJob.objects.filter(panel=panel).delete()
    panel.refresh_from_db()
    return panel


def test_it_makes_the_lottery_as_a_background_job_from_start_to_finish(
    staff_client, secretariat, django_capture_on_commit_callbacks
):
    panel = factories.frozen_panel(secretariat, factories.make_pool())

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("panels:make_lottery", args=[panel.pk]))

    job = DrawJob.objects.get(panel=panel, kind=JobKind.LOTTERY)
    assert response.status_code == 302 and response["Location"] == _progress_url(job)
    assert job.status == JobStatus.DONE and job.stage == JobStage.FINISHED, job.error
    assert job.requested_by == secretariat and job.started_at and job.finished_at
    assert 0 < job.progress["minimum_proved"] <= 1 and job.progress["panels_found"] >= 1
    assert job.result["lottery_size"] == 1000
    panel.refresh_from_db()
    assert panel.status == PanelStatus.LOTTERY_PUBLISHED and not panel.seed
    assert job.result["lottery_sha256"] == panel.lottery_sha256
    assert panel.summary["minimum"] == pytest.approx(job.result["minimum_probability"])
    assert (
        AuditEntry.objects.filter(action="panels.lottery_published", actor=secretariat).count() == 1
    )
    assert not panel.members.exists()

    page = staff_client.get(_progress_url(job)).content.decode()
    assert "The lottery is published" in page
    assert 'http-equiv="refresh"' not in page
    assert reverse("panels:commit_seed", args=[panel.pk]) in page


def test_typing_in_the_public_value_runs_the_draw_as_a_background_job(
    staff_client, secretariat, django_capture_on_commit_callbacks
):
    panel = factories.committed_panel(secretariat, factories.make_pool())

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("panels:enter_public_value", args=[panel.pk]), {"public_value": "1 2 3"}
        )

    job = DrawJob.objects.get(panel=panel, kind=JobKind.DRAW)
    assert response["Location"] == _progress_url(job)
    assert job.status == JobStatus.DONE, job.error
    assert job.result["selected"] == 10 and job.result["reserves"] == 4
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SEED_REVEALED
    assert panel.members.filter(status=MemberStatus.INVITED).count() == 10
    assert AuditEntry.objects.filter(action="panels.drawn", actor=secretariat).count() == 1
    page = staff_client.get(_progress_url(job)).content.decode()
    assert "The panel has been drawn." in page and "secret seed is revealed" in page


def test_a_second_lottery_is_refused_while_one_is_waiting_or_running(staff_client, secretariat):
    panel = factories.frozen_panel(secretariat, factories.make_pool())
    for status in (JobStatus.QUEUED, JobStatus.RUNNING):
        DrawJob.objects.all().delete()
        running = factories.job(panel, kind=JobKind.LOTTERY, status=status)

        with pytest.raises(ValidationError, match="cannot be made twice"):
            jobs.do_request_lottery(panel=panel, requested_by=secretariat)
        response = staff_client.post(reverse("panels:make_lottery", args=[panel.pk]), follow=True)

        assert "The lottery is already being made." in response.content.decode()
        assert list(DrawJob.objects.values_list("pk", flat=True)) == [running.pk]
        panel.refresh_from_db()
        assert panel.status == PanelStatus.INPUTS_FROZEN and not panel.published_lottery


def test_a_second_draw_is_refused_while_one_is_waiting_or_running(staff_client, secretariat):
    panel = _valued(secretariat)
    for status in (JobStatus.QUEUED, JobStatus.RUNNING):
        DrawJob.objects.all().delete()
        running = factories.job(panel, status=status)

        with pytest.raises(ValidationError, match="cannot run twice"):
            jobs.do_request_draw(panel=panel, requested_by=secretariat)
        response = staff_client.post(reverse("panels:run_draw", args=[panel.pk]), follow=True)

        assert "The draw has already started. It cannot run twice" in response.content.decode()
        assert list(DrawJob.objects.values_list("pk", flat=True)) == [running.pk]
        panel.refresh_from_db()
        assert panel.status == PanelStatus.SEED_COMMITTED and not panel.members.exists()


def test_the_database_itself_allows_only_one_active_draw_per_panel(secretariat):
    panel = factories.committed_panel(secretariat, factories.make_pool())
    factories.job(panel, status=JobStatus.RUNNING)
    factories.job(panel, kind=JobKind.CHECK, status=JobStatus.QUEUED)  # another kind is fine
    factories.job(panel, status=JobStatus.FAILED)  # finished ones are fine

    with pytest.raises(IntegrityError), transaction.atomic():
        DrawJob.objects.create(panel=panel, kind=JobKind.DRAW, status=JobStatus.QUEUED)


def test_a_lottery_that_fails_while_computing_leaves_the_panel_as_it_was_and_says_why(
    staff_client, secretariat, django_capture_on_commit_callbacks
):
    panel = factories.frozen_panel(secretariat, factories.make_pool())

    with (
        mock.patch.object(selection, "make_lottery", side_effect=RuntimeError("solver crashed")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        staff_client.post(reverse("panels:make_lottery", args=[panel.pk]))

    job = DrawJob.objects.get(panel=panel)
    assert job.status == JobStatus.FAILED and job.finished_at
    assert "fault on our side. Nothing has changed" in job.error
    assert "solver crashed" not in job.error  # no technical detail for the secretariat
    panel.refresh_from_db()
    assert panel.status == PanelStatus.INPUTS_FROZEN and panel.published_lottery is None
    assert not AuditEntry.objects.filter(action="panels.lottery_published").exists()
    page = staff_client.get(_progress_url(job)).content.decode()
    assert "Making the lottery did not finish" in page and "Nothing has changed" in page
    manage = staff_client.get(reverse("panels:manage_panel", args=[panel.pk])).content.decode()
    assert "The last try did not finish" in manage and "Make the lottery" in manage


def test_a_lottery_that_breaks_its_promise_is_never_published(
    secretariat, django_capture_on_commit_callbacks
):
    panel = factories.frozen_panel(secretariat, factories.make_pool())
    from nhs_citizen.panels.algorithms import lottery

    reason = "Could not make a lottery of 1000 panels that keeps its promise to everyone."
    with (
        mock.patch.object(lottery, "round_to_lottery", side_effect=lottery.RoundingError(reason)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = jobs.do_request_lottery(panel=panel, requested_by=secretariat)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and reason in job.error
    panel.refresh_from_db()
    assert panel.status == PanelStatus.INPUTS_FROZEN and panel.published_lottery is None


def test_a_draw_that_fails_while_saving_rolls_back_everything(
    secretariat, django_capture_on_commit_callbacks
):
    panel = _valued(secretariat)
    audit_before = AuditEntry.objects.count()

    with (
        mock.patch.object(draws, "_invite", side_effect=RuntimeError("mail is down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = jobs.do_request_draw(panel=panel, requested_by=secretariat)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    panel.refresh_from_db()
    assert panel.status == PanelStatus.SEED_COMMITTED and panel.drawn_at is None
    assert not panel.members.exists() and panel.published_result is None
    assert AuditEntry.objects.count() == audit_before
    # And the secretariat can try again.
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.do_request_draw(panel=panel, requested_by=secretariat)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE


def test_a_draw_job_for_a_panel_drawn_meanwhile_fails_without_drawing_twice(secretariat):
    panel = _valued(secretariat)
    job = factories.job(panel, status=JobStatus.QUEUED)
    draws.do_run_draw(panel=panel, drawn_by=secretariat)  # drawn by someone else first

    assert jobs.do_run_job(job.pk) == "failed"

    job.refresh_from_db()
    assert job.error == draws.NOT_READY_TO_DRAW
    assert AuditEntry.objects.filter(action="panels.drawn").count() == 1
    assert panel.members.count() == 14


def test_a_job_runs_once(secretariat, django_capture_on_commit_callbacks):
    panel = _valued(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.do_request_draw(panel=panel, requested_by=secretariat)

    assert jobs.do_run_job(job.pk) == "not waiting"
    assert AuditEntry.objects.filter(action="panels.drawn").count() == 1


def test_a_job_that_stopped_long_ago_does_not_block_the_draw(secretariat):
    panel = _valued(secretariat)
    long_ago = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    stuck = factories.job(panel, status=JobStatus.RUNNING, updated_at=long_ago)

    new = jobs.do_request_draw(panel=panel, requested_by=secretariat)

    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and "stopped without finishing" in stuck.error
    assert new.status == JobStatus.QUEUED


def test_the_progress_page_while_running_shows_stage_time_and_what_is_proved(
    staff_client, secretariat
):
    panel = factories.frozen_panel(secretariat, factories.make_pool())
    job = factories.job(
        panel,
        kind=JobKind.LOTTERY,
        status=JobStatus.RUNNING,
        stage=JobStage.ROUNDING,
        started_at=timezone.now() - timedelta(seconds=65),
        progress={"minimum_proved": 0.03125, "panels_found": 1432},
        requested_by=secretariat,
    )

    with time_machine.travel(job.started_at + timedelta(seconds=65), tick=False):
        page = staff_client.get(_progress_url(job)).content.decode()

    # A timed refresh fails WCAG 2.2.1 unless the reader chose it, so it is off until asked for.
    assert 'http-equiv="refresh"' not in page
    assert "Making the lottery is running" in page
    assert "Rounding the chances to a lottery of 1,000 panels" in page
    assert "1 minute 5 seconds" in page
    assert "3.12%" in page and "1,432" in page
    assert "Sam Secretariat" in page
    still = staff_client.get(_progress_url(job) + "?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in still and "See the latest progress" in still
    again = staff_client.get(_progress_url(job) + "?refresh=on").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in again


def test_the_progress_page_while_waiting_says_so_and_refreshes_only_if_asked(
    staff_client, secretariat
):
    panel = factories.committed_panel(secretariat, factories.make_pool())
    job = factories.job(panel, status=JobStatus.QUEUED)

    page = staff_client.get(_progress_url(job)).content.decode()
    asked = staff_client.get(_progress_url(job) + "?refresh=on").content.decode()

    assert "The draw is waiting to start" in page and 'http-equiv="refresh"' not in page
    assert 'http-equiv="refresh"' in asked


def test_the_progress_page_when_done_links_onwards_and_stops_refreshing(staff_client, secretariat):
    panel = factories.drawn_panel(secretariat, factories.make_pool())
    job = factories.job(
        panel,
        status=JobStatus.DONE,
        stage=JobStage.FINISHED,
        result={"selected": 10, "reserves": 4},
    )

    page = staff_client.get(_progress_url(job)).content.decode()

    assert 'http-equiv="refresh"' not in page
    assert "The panel has been drawn." in page and "secret seed is revealed" in page
    assert reverse("panels:check_draw", args=[panel.pk]) in page
    assert reverse("panels:manage_panel", args=[panel.pk]) in page


def test_the_progress_page_when_failed_says_why(staff_client, secretariat):
    panel = factories.committed_panel(secretariat, factories.make_pool())
    job = factories.job(
        panel,
        status=JobStatus.FAILED,
        stage=JobStage.DISTRIBUTION,
        error="No panel meets the quotas and the one-per-household rule.",
    )

    page = staff_client.get(_progress_url(job)).content.decode()

    assert 'http-equiv="refresh"' not in page
    assert "The draw did not finish" in page
    assert "No panel meets the quotas and the one-per-household rule." in page


@pytest.mark.parametrize("roles", [(), ("curator",), ("administrator",)])
def test_only_the_secretariat_sees_progress_and_starts_jobs(client, roles, secretariat):
    panel = factories.committed_panel(secretariat, factories.make_pool())
    job = factories.job(panel, status=JobStatus.RUNNING)
    if roles:
        client.force_login(make_user("x@example.com", roles=roles))

    assert client.get(_progress_url(job)).status_code == 403
    assert client.post(reverse("panels:run_draw", args=[panel.pk])).status_code == 403
    assert client.post(reverse("panels:check_again", args=[panel.pk])).status_code == 403
    assert DrawJob.objects.count() == 1


def test_a_job_of_another_panel_is_not_found(staff_client, secretariat):
    pool = factories.make_pool()
    one = factories.committed_panel(secretariat, pool, title="One")
    other = factories.committed_panel(secretariat, pool, title="Other")
    job = factories.job(one)

    url = reverse("panels:job_progress", args=[other.pk, job.pk])
    assert staff_client.get(url).status_code == 404


def test_the_draw_checks_itself_in_the_background_against_the_published_file(
    secretariat, django_capture_on_commit_callbacks
):
    panel = _valued(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        draws.do_run_draw(panel=panel, drawn_by=secretariat)

    check = DrawJob.objects.get(panel=panel, kind=JobKind.CHECK)
    assert check.status == JobStatus.DONE and check.requested_by is None
    assert check.result["checks_out"] is True and check.result["problems"] == []
    published = Client().get(reverse("panels:draw_inputs", args=[panel.pk])).content
    assert check.result["file_sha256"] == hashlib.sha256(published).hexdigest()
    assert check.result["file_name"] == f"panel-{panel.pk}-draw.json"


def test_a_tampered_draw_fails_its_stored_check(client, secretariat):
    panel = factories.drawn_panel(secretariat, factories.make_pool())
    result = dict(panel.published_result)
    others = [
        p["id"] for p in panel.published_inputs["people"] if p["id"] not in result["selected"]
    ]
    result["selected"] = result["selected"][:-1] + [others[0]]
    Panel.objects.filter(pk=panel.pk).update(published_result=result)
    job = jobs.queue_job(panel=panel, kind=JobKind.CHECK, requested_by=None)

    jobs.do_run_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["checks_out"] is False
    page = client.get(reverse("panels:check_draw", args=[panel.pk])).content.decode()
    assert "The draw could not be confirmed" in page
    assert "The people chosen are not the ones the seed picks from the lottery." in page
    assert "This draw checks out" not in page


def test_the_secretariat_can_check_the_draw_again_but_not_twice_at_once(
    staff_client, secretariat, django_capture_on_commit_callbacks
):
    panel = factories.drawn_panel(secretariat, factories.make_pool())
    manage = staff_client.get(reverse("panels:manage_panel", args=[panel.pk])).content.decode()
    assert "Check the draw again" in manage and "has not been checked yet" in manage

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("panels:check_again", args=[panel.pk]))

    job = DrawJob.objects.get(panel=panel, kind=JobKind.CHECK)
    assert response["Location"] == _progress_url(job)
    assert job.status == JobStatus.DONE and job.requested_by == secretariat
    page = staff_client.get(_progress_url(job)).content.decode()
    assert "The check has finished" in page and job.result["file_sha256"] in page

    factories.job(panel, kind=JobKind.CHECK, status=JobStatus.RUNNING)
    response = staff_client.post(reverse("panels:check_again", args=[panel.pk]), follow=True)
    assert "The draw is already being checked" in response.content.decode()
    assert DrawJob.objects.filter(panel=panel, kind=JobKind.CHECK).count() == 2


def test_a_draw_whose_seed_is_not_revealed_cannot_be_checked(secretariat):
    panel = _valued(secretariat)

    with pytest.raises(ValidationError, match="has not been revealed"):
        jobs.do_request_check(panel=panel, requested_by=secretariat)
    assert not DrawJob.objects.exists()


@pytest.fixture
def no_recomputing():
    """Any attempt to recompute a draw fails the test."""
    boom = AssertionError("The check page recomputed the draw")
    with (
        mock.patch.object(draws, "check_draw", side_effect=boom) as check_draw,
        mock.patch.object(selection, "check_published_file", side_effect=boom) as check_file,
        mock.patch.object(selection.drawing, "verify_record", side_effect=boom) as verify,
    ):
        yield [check_draw, check_file, verify]
    assert not any(m.called for m in [check_draw, check_file, verify])


def test_the_check_page_says_honestly_when_the_draw_is_not_checked_yet(
    client, secretariat, no_recomputing
):
    panel = factories.drawn_panel(secretariat, factories.make_pool())
    url = reverse("panels:check_draw", args=[panel.pk])

    assert "This draw has not been checked yet." in client.get(url).content.decode()

    factories.job(panel, kind=JobKind.CHECK, status=JobStatus.RUNNING)
    page = client.get(url).content.decode()
    assert "This draw is being checked now." in page and "checks out" not in page


def test_the_check_page_shows_the_stored_result_when_it_ran_and_the_file_it_checked(
    client, secretariat, no_recomputing
):
    panel = factories.drawn_panel(secretariat, factories.make_pool())
    checked_at = timezone.now().replace(year=2026, month=3, day=14, hour=15, minute=9)
    factories.job(
        panel,
        kind=JobKind.CHECK,
        status=JobStatus.DONE,
        finished_at=checked_at,
        result={
            "checks_out": True,
            "problems": [],
            "file_name": f"panel-{panel.pk}-draw.json",
            "file_sha256": "ab" * 32,
        },
    )
    url = reverse("panels:check_draw", args=[panel.pk])

    page = client.get(url).content.decode()

    assert "This draw checks out" in page
    assert "14 March 2026" in page and "ab" * 32 in page
    assert f"panel-{panel.pk}-draw.json" in page

    # Checked again now: the last result stays, and the page says a check is running.
    factories.job(panel, kind=JobKind.CHECK, status=JobStatus.RUNNING)
    page = client.get(url).content.decode()
    assert "This draw checks out" in page and "We are checking it again now." in page


def test_the_check_page_says_when_a_check_could_not_finish(client, secretariat, no_recomputing):
    panel = factories.drawn_panel(secretariat, factories.make_pool())
    factories.job(
        panel, kind=JobKind.CHECK, status=JobStatus.FAILED, error="The check of the draw stopped."
    )

    page = client.get(reverse("panels:check_draw", args=[panel.pk])).content.decode()

    assert "We could not finish checking this draw" in page
    assert "The check of the draw stopped." in page and "checks out" not in page


def test_the_check_page_before_the_seed_is_revealed(client, secretariat, no_recomputing):
    panel = factories.committed_panel(secretariat, factories.make_pool())

    page = client.get(reverse("panels:check_draw", args=[panel.pk])).content.decode()

    assert "The seed has not been revealed yet, so the draw cannot be checked." in page


def test_verify_draw_still_recomputes_from_the_published_file(secretariat, tmp_path, capsys):
    from django.core.management import call_command

    panel = factories.drawn_panel(secretariat, factories.make_pool())
    path = tmp_path / "draw.json"
    path.write_bytes(Client().get(reverse("panels:draw_inputs", args=[panel.pk])).content)

    with mock.patch.object(
        selection.drawing, "verify_record", wraps=selection.drawing.verify_record
    ) as verify:
        call_command("verify_draw", str(path))

    assert verify.called
    out = capsys.readouterr().out
    assert out.startswith("The draw checks out.") and "10 people and 4 reserves" in out


def test_a_job_not_heard_from_for_long_says_it_seems_stopped_and_the_draw_can_run_again(
    staff_client, secretariat
):
    panel = _valued(secretariat)
    long_ago = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    stuck = factories.job(panel, status=JobStatus.RUNNING, updated_at=long_ago)

    page = staff_client.get(_progress_url(stuck)).content.decode()
    manage = staff_client.get(reverse("panels:manage_panel", args=[panel.pk])).content.decode()

    assert "The draw seems to have stopped" in page and 'http-equiv="refresh"' not in page
    assert "seems to have stopped" in manage
    assert reverse("panels:run_draw", args=[panel.pk]) in manage


def test_check_draws_queues_a_check_of_each_revealed_draw_never_checked(
    secretariat, django_capture_on_commit_callbacks, capsys
):
    from django.core.management import call_command

    pool = factories.make_pool()
    unchecked = factories.drawn_panel(secretariat, pool, title="Unchecked")
    checked = factories.drawn_panel(secretariat, pool, title="Checked")
    factories.job(checked, kind=JobKind.CHECK, status=JobStatus.DONE, result={"checks_out": True})
    factories.committed_panel(secretariat, pool, title="Not revealed")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_draws")

    assert capsys.readouterr().out == "Queued 1 check(s) of draws.\n"
    job = DrawJob.objects.get(panel=unchecked, kind=JobKind.CHECK)
    assert job.status == JobStatus.DONE and job.result["checks_out"] is True
    call_command("check_draws")
    assert capsys.readouterr().out == "Queued 0 check(s) of draws.\n"


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_queue_one_draw(secretariat):
    import threading

    from django.db import connection

    panel = _valued(secretariat)
    start = threading.Barrier(2)
    outcomes = []

    def request_draw():
        try:
            start.wait()
            jobs.do_request_draw(panel=panel, requested_by=secretariat)
            outcomes.append("queued")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    with mock.patch.object(jobs, "_enqueue"):  # leave the job waiting, as a worker would
        threads = [threading.Thread(target=request_draw) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(outcomes) == sorted(["queued", jobs.ALREADY_ACTIVE[JobKind.DRAW]])
    assert DrawJob.objects.filter(panel=panel, kind=JobKind.DRAW).count() == 1
