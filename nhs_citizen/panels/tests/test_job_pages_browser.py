"""The progress page and the public check page in each of their states, checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nhs_citizen.conftest import make_user
from nhs_citizen.panels.models import JobKind, JobStage, JobStatus
from nhs_citizen.panels.tests import factories
from nhs_citizen.tests.browser import _new_context, assert_accessible
from nhs_citizen.tests.system.test_gather_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_progress_and_check_pages_are_accessible_in_every_state(browser, live_server):
    secretariat = make_user(
        "sec@example.com", display_name="Sam Secretariat", roles=("secretariat",)
    )
    pool = factories.make_pool()
    waiting = factories.committed_panel(secretariat, pool, title="Waiting")
    drawn = factories.drawn_panel(secretariat, pool, title="Drawn")
    running = factories.job(
        waiting,
        stage=JobStage.DISTRIBUTION,
        started_at=timezone.now() - timedelta(seconds=30),
        progress={"minimum_proved": 0.05, "panels_found": 12},
    )
    done_check = factories.job(
        drawn,
        kind=JobKind.CHECK,
        status=JobStatus.DONE,
        stage=JobStage.FINISHED,
        result={
            "checks_out": True,
            "problems": [],
            "file_name": "f.json",
            "file_sha256": "ab" * 32,
        },
    )

    page = _new_context(browser, live_server, javascript=True).new_page()
    sign_in(page, secretariat)
    page.goto(f"/selection-by-lot/panels/{waiting.pk}/jobs/{running.pk}/?refresh=off")
    expect(page.get_by_role("heading", name="The draw is running")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/selection-by-lot/panels/{drawn.pk}/jobs/{done_check.pk}/")
    expect(page.get_by_role("heading", name="The check has finished")).to_be_visible()
    assert_accessible(page)
    running.status, running.error = JobStatus.FAILED, "The draw stopped. Nothing has changed."
    running.save()
    page.goto(f"/selection-by-lot/panels/{waiting.pk}/jobs/{running.pk}/")
    expect(page.get_by_text("The draw stopped. Nothing has changed.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/selection-by-lot/panels/{drawn.pk}/manage/")
    assert_accessible(page)
    frozen = factories.frozen_panel(secretariat, pool, title="Fixed")
    making = factories.job(
        frozen,
        kind=JobKind.LOTTERY,
        stage=JobStage.PROVING,
        progress={"minimum_proved": 0.05, "panels_found": 40, "minimum_after_rounding": 0.049},
    )
    page.goto(f"/selection-by-lot/panels/{frozen.pk}/jobs/{making.pk}/?refresh=off")
    expect(page.get_by_role("heading", name="Making the lottery is running")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/selection-by-lot/panels/{frozen.pk}/manage/")
    expect(page.get_by_text("Making the lottery has started")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/selection-by-lot/panels/{drawn.pk}/check/")
    expect(page.get_by_text("This draw checks out")).to_be_visible()
    assert_accessible(page)
    page.context.close()
