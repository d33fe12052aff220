"""Moving the test database back and forth through migrations, for tests that check a data
migration keeps existing rows: ``migrate_to`` a state, make rows with the historical models it
returns, ``migrate_to`` the next state and check them. The ``back_to_the_latest`` fixture (in the
root conftest) leaves the database at the newest migrations afterwards."""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> Apps:
    """Migrate the test database to ``targets`` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
