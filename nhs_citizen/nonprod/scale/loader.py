"""Fast loading of generated rows: COPY on PostgreSQL (psycopg 3), ``bulk_create`` in batches on
SQLite. Rows are tuples in the order of the field names given (attribute names, such as
``flag_id``); every other concrete field gets its model default, so a field added to a model
later with a default does not break the loader.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, models


@dataclass
class TableTiming:
    table: str
    rows: int = 0
    seconds: float = 0.0


@dataclass
class Loader:
    batch_size: int = 1000
    timings: dict[str, TableTiming] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)

    @property
    def postgres(self) -> bool:
        return connection.vendor == "postgresql"

    def next_id(self, model: type[models.Model]) -> int:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
            return int(cursor.fetchone()[0]) + 1

    def _defaults(self, model, given: list[str]) -> tuple[list[str], list, list]:
        """Columns not given: their names, values ready for COPY, and attname/value pairs."""
        names, values, pairs = [], [], []
        for f in model._meta.concrete_fields:
            if f.attname in given or (f.primary_key and isinstance(f, models.AutoField)):
                continue
            if getattr(f, "generated", False):  # computed by the database
                continue
            value = f.get_default()
            pairs.append((f.attname, value))
            names.append(f.column)
            if isinstance(f, models.JSONField):
                values.append(None if value is None else json.dumps(value))
            else:
                values.append(f.get_db_prep_save(value, connection))
        return names, values, pairs

    def write(
        self,
        model: type[models.Model],
        fields: list[str],
        rows: Iterable[tuple],
        rebuild: bool = False,
    ) -> int:
        """Load rows. With ``rebuild`` (for big tables, PostgreSQL only), the table's secondary
        indexes, unique and foreign key constraints are dropped first and made again from their
        own definitions after the COPY: building an index once is much faster than growing it
        row by row, and a foreign key is checked by one join instead of a trigger per row. It
        all happens inside the caller's transaction, so a failure leaves the table as it was."""
        label = model._meta.db_table
        started = time.perf_counter()
        if self.postgres:
            saved = self._drop_indexes(label) if rebuild else None
            count = self._copy(model, fields, rows)
            if saved:
                self._restore_indexes(label, saved)
        else:
            count = self._bulk_create(model, fields, rows)
        timing = self.timings.setdefault(label, TableTiming(label))
        timing.rows += count
        timing.seconds += time.perf_counter() - started
        self.tables.add(label)
        return count

    def _copy(self, model, fields: list[str], rows: Iterable[tuple]) -> int:
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        columns = [by_attname[name].column for name in fields]
        json_positions = [
            i for i, name in enumerate(fields) if isinstance(by_attname[name], models.JSONField)
        ]
        extra_names, extra_values, _ = self._defaults(model, fields)
        tail = tuple(extra_values)
        column_sql = ", ".join(f'"{c}"' for c in columns + extra_names)
        sql = f'COPY "{model._meta.db_table}" ({column_sql}) FROM STDIN'
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(sql) as copy:
                write = copy.write_row
                if json_positions:
                    for row in rows:
                        row = list(row)
                        for i in json_positions:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                        write((*row, *tail))
                        count += 1
                elif tail:
                    for row in rows:
                        write(row + tail)
                        count += 1
                else:
                    for row in rows:
                        write(row)
                        count += 1
        return count

    def _bulk_create(self, model, fields: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        batch = []
        for row in rows:
            batch.append(model(**dict(zip(fields, row, strict=True))))
            if len(batch) >= self.batch_size:
                model.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
            count += len(batch)
        return count

    def _drop_indexes(self, table: str) -> tuple[list[str], list[tuple[str, str]]]:
        with connection.cursor() as cursor:
            # Check what is waiting to be checked now: a table with pending checks cannot be
            # altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
                [f'"{table}"'],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
                "AND c.conrelid = i.indrelid)",
                [f'"{table}"'],
            )
            indexes = cursor.fetchall()
            for name, _ in constraints:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        return [definition for _, definition in indexes], constraints

    def _restore_indexes(self, table: str, saved) -> None:
        indexes, constraints = saved
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in indexes:
                cursor.execute(definition)
            # Unique constraints first (ordered so above), then foreign keys.
            for name, definition in sorted(constraints, key=lambda c: "FOREIGN" in c[1]):
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in sorted(self.tables):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX("id") FROM "{table}"), 0) + 1, false)'
                )

    def analyze(self) -> float:
        if not self.postgres:
            return 0.0
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in sorted(self.tables):
                cursor.execute(f'ANALYZE "{table}"')
        return time.perf_counter() - started
