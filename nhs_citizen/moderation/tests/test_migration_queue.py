"""Migration 0002 starts the stored queue from the reports and appeals already open, and tells
each open appeal who hid the item (from the audit log), so that they cannot decide it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nhs_citizen.moderation.services import check_appeal, check_hide, check_report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [("moderation", "0001_initial")]
AFTER = [("moderation", "0002_registry_kinds_appeal_assignment_and_queue")]


@pytest.fixture
def back_to_the_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_open_reports_and_appeals_fill_the_queue(
    back_to_the_latest, moderator, author, flag, comment, evidence
):
    check_report(reporter=None, kind="flag", object_id=flag.pk, reason="hate", ip="1")
    check_report(reporter=None, kind="flag", object_id=flag.pk, reason="advert", ip="2")
    check_hide(moderator=moderator, kind="comment", object_id=comment.pk, reason="Rude")
    check_appeal(appellant=author, kind="comment", object_id=comment.pk, reason="It was not")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    QueueEntry = new.get_model("moderation", "QueueEntry")
    Appeal = new.get_model("moderation", "Appeal")
    rows = {
        (q.kind, q.object_id): (q.open_reports, q.appeal_id, q.hidden_by_id)
        for q in QueueEntry.objects.all()
    }
    appeal = Appeal.objects.get()
    assert appeal.hidden_by_id == moderator.pk
    assert rows == {
        ("flag", flag.pk): (2, None, None),
        ("comment", comment.pk): (0, appeal.pk, moderator.pk),
    }
