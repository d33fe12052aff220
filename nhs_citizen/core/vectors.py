"""Nearest neighbours by cosine similarity, behind one small interface, for background jobs.

    index = vector_index("flags", source=rows)   # rows(): every (id, vector) that belongs in it
    index.add(ids, vectors); index.remove(ids)
    index.search(vector, k) -> [(id, score), ...]  best first, score = cosine similarity

Three backends, chosen by ``settings.VECTOR_INDEX`` (``auto`` by default):

- ``pgvector``: a ``vector`` column in a table of its own (``vectors_<name>``) with an HNSW index,
  on PostgreSQL that has the ``vector`` extension. The database is the index.
- ``usearch``: an HNSW index in one file under ``settings.VECTOR_INDEX_DIR`` (default
  ``DATA_DIR/vectors``), loaded by the job worker that uses it, and rebuilt from ``source`` when
  it is missing or does not hold what the database holds. Each change is appended to a journal
  beside it (a few hundred bytes, under a file lock) instead of writing the whole file again;
  every process replays what it has not seen, and the journal is folded into the file once it
  holds ``JOURNAL_LIMIT`` changes.
- ``numpy``: no index: every search reads ``source`` and compares with each vector. Right for
  SQLite and small data.

``auto`` picks pgvector when the extension is there, usearch on other PostgreSQL, NumPy on
SQLite. Vectors are unit length (cosine = dot product). Nothing here loads a model; only
background jobs should call this module, never a web request.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DIMENSIONS = 384
BACKENDS = ("auto", "pgvector", "usearch", "numpy")
_BATCH = 2000

Rows = Callable[[], Iterable[tuple[int, np.ndarray]]]


def _unit(vector) -> np.ndarray:
    return np.asarray(vector, dtype=np.float32).reshape(-1)


# NumPy ------------------------------------------------------------------------------------------
class NumpyIndex:
    """The scan: every search compares with every row of ``source``. Keeps nothing."""

    backend = "numpy"

    def __init__(self, name: str, source: Rows, dimensions: int = DIMENSIONS):
        self.name, self.source, self.dimensions = name, source, dimensions

    def add(self, ids: Sequence[int], vectors) -> None:  # the source is the store
        return None

    def remove(self, ids: Sequence[int]) -> None:
        return None

    def ensure_fresh(self, expected: tuple[int, int] | None = None) -> bool:
        return False

    def __len__(self) -> int:
        return sum(1 for _ in self.source())

    def search(self, vector, k: int) -> list[tuple[int, float]]:
        query = _unit(vector)
        best: list[tuple[int, float]] = []
        ids: list[int] = []
        rows: list[np.ndarray] = []

        def flush() -> None:
            nonlocal best, ids, rows
            if not ids:
                return
            scores = np.vstack(rows) @ query
            best = sorted(
                best + [(int(i), float(s)) for i, s in zip(ids, scores, strict=True)],
                key=lambda pair: (-pair[1], pair[0]),
            )[:k]
            ids, rows = [], []

        for pk, row in self.source():
            ids.append(pk)
            rows.append(_unit(row))
            if len(ids) >= _BATCH:
                flush()
        flush()
        return best


# usearch ----------------------------------------------------------------------------------------
class UsearchIndex:
    """An HNSW graph in one file plus a journal of the changes since it was saved, shared by the
    worker processes through a file lock. Each change reads whatever other processes wrote
    since, applies it, and appends one record to the journal; once the journal holds
    ``JOURNAL_LIMIT`` records the graph is saved whole and the journal emptied."""

    backend = "usearch"
    JOURNAL_LIMIT = 2000
    _ADD, _REMOVE = b"a", b"r"

    def __init__(self, name: str, source: Rows, directory: Path, dimensions: int = DIMENSIONS):
        self.name, self.source, self.dimensions = name, source, dimensions
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{name}.usearch"
        self.meta_path = directory / f"{name}.json"
        self.lock_path = directory / f"{name}.lock"
        self.journal_path = directory / f"{name}.journal"
        # One record: the kind (1 byte), the id (8 bytes), the vector (float32; zeros to remove).
        self._record_size = 1 + 8 + 4 * dimensions
        self._index = None
        self._loaded_stamp: tuple[int, int, int] | None = None
        self._journal_read = 0  # bytes of the journal already applied to self._index
        self._checked = False

    # files --
    def _new(self):
        from usearch.index import Index

        # Half-precision vectors: half the size on disk and in memory, same neighbours.
        return Index(ndim=self.dimensions, metric="cos", dtype="f16")

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _load(self) -> None:
        """Read the file if it changed since this process last read it, then apply the journal
        records this process has not applied yet."""
        stamp = self._stamp()
        if stamp is None:
            self._index, self._loaded_stamp, self._journal_read = None, None, 0
            return
        if stamp != self._loaded_stamp or self._index is None:
            try:
                index = self._new()
                index.load(str(self.path))
            except Exception:  # a torn or foreign file: rebuild it
                log.warning("The %s vector index could not be read; it will be rebuilt", self.name)
                self._index, self._loaded_stamp, self._journal_read = None, None, 0
                return
            self._index, self._loaded_stamp, self._journal_read = index, stamp, 0
        self._replay()

    def _replay(self) -> None:
        try:
            with open(self.journal_path, "rb") as journal:
                size = journal.seek(0, os.SEEK_END)
                if size < self._journal_read:  # emptied by another process: read it all again
                    self._index, self._loaded_stamp, self._journal_read = None, None, 0
                    self._load()
                    return
                journal.seek(self._journal_read)
                # Whole records only: a record cut short by a crash is left unread.
                data = journal.read(
                    (size - self._journal_read) // self._record_size * self._record_size
                )
        except FileNotFoundError:
            return
        for start in range(0, len(data), self._record_size):
            record = data[start : start + self._record_size]
            kind, key = record[:1], int.from_bytes(record[1:9], "little")
            if self._index.contains(key):
                self._index.remove(key)
            if kind == self._ADD:
                self._index.add(key, np.frombuffer(record[9:], dtype=np.float32))
        self._journal_read += len(data)

    def _append(self, records: list[bytes]) -> None:
        with open(self.journal_path, "ab") as journal:
            journal.seek(self._journal_read)
            journal.truncate()  # drop a record cut short by a crash, never read by anyone
            journal.write(b"".join(records))
            journal.flush()
            os.fsync(journal.fileno())
        self._journal_read += sum(len(r) for r in records)
        if self._journal_read >= self.JOURNAL_LIMIT * self._record_size:
            self._save()

    def _record(self, kind: bytes, key: int, vector=None) -> bytes:
        values = np.zeros(self.dimensions, dtype=np.float32) if vector is None else vector
        return (
            kind + int(key).to_bytes(8, "little") + np.asarray(values, dtype=np.float32).tobytes()
        )

    def _save(self) -> None:
        """Write the whole graph, then empty the journal it now contains."""
        temporary = self.path.with_suffix(".tmp")
        self._index.save(str(temporary))
        os.replace(temporary, self.path)
        with open(self.journal_path, "wb"):
            pass
        self._journal_read = 0
        self.meta_path.write_text(json.dumps({"count": len(self._index)}))
        self._loaded_stamp = self._stamp()

    def _rebuild_locked(self) -> None:
        index = self._new()
        ids: list[int] = []
        rows: list[np.ndarray] = []
        for pk, row in self.source():
            ids.append(pk)
            rows.append(_unit(row))
            if len(ids) >= _BATCH:
                index.add(np.array(ids, dtype=np.uint64), np.vstack(rows))
                ids, rows = [], []
        if ids:
            index.add(np.array(ids, dtype=np.uint64), np.vstack(rows))
        self._index = index
        self._save()

    # interface --
    def rebuild(self) -> None:
        with self._locked():
            self._rebuild_locked()

    def fingerprint(self) -> tuple[int, int]:
        """(how many vectors, the sum of their ids): compared with the database's."""
        with self._locked():
            self._ready()
            return self._fingerprint()

    def _fingerprint(self) -> tuple[int, int]:
        keys = np.asarray(self._index.keys, dtype=np.uint64)
        return len(keys), int(keys.sum(dtype=np.uint64)) if len(keys) else 0

    def ensure_fresh(self, expected: tuple[int, int] | None = None) -> bool:
        """Rebuild when the file is missing or unreadable, or when it does not hold the ids the
        database says it should (``expected``: their number and their sum). True if it did."""
        with self._locked():
            self._load()
            if self._index is None or (
                expected is not None and self._fingerprint() != tuple(expected)
            ):
                self._rebuild_locked()
                return True
        return False

    def _ready(self) -> None:
        self._load()
        if self._index is None:
            self._rebuild_locked()

    def add(self, ids: Sequence[int], vectors) -> None:
        if not len(ids):
            return
        keys = [int(key) for key in ids]
        matrix = np.vstack([_unit(v) for v in vectors]).astype(np.float32)
        with self._locked():
            self._ready()
            for key, row in zip(keys, matrix, strict=True):
                if self._index.contains(key):
                    self._index.remove(key)
                self._index.add(key, row)
            self._append(
                [self._record(self._ADD, k, row) for k, row in zip(keys, matrix, strict=True)]
            )

    def remove(self, ids: Sequence[int]) -> None:
        if not len(ids):
            return
        with self._locked():
            self._ready()
            present = [int(key) for key in ids if self._index.contains(int(key))]
            if present:
                for key in present:
                    self._index.remove(key)
                self._append([self._record(self._REMOVE, key) for key in present])

    def __len__(self) -> int:
        with self._locked():
            self._ready()
            return len(self._index)

    def search(self, vector, k: int) -> list[tuple[int, float]]:
        with self._locked():
            self._ready()
            index = self._index
        if len(index) == 0 or k <= 0:
            return []
        matches = index.search(_unit(vector), min(k, len(index)))
        return [
            (int(key), float(1.0 - distance))
            for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]


# pgvector ---------------------------------------------------------------------------------------
class PgvectorIndex:
    """A table ``vectors_<name>(id bigint primary key, embedding vector(N))`` with an HNSW index
    for cosine distance. Untested here (our PostgreSQL has no pgvector): keep it small."""

    backend = "pgvector"

    def __init__(self, name: str, source: Rows, alias: str = "default", dimensions=DIMENSIONS):
        if not name.isidentifier():
            raise ValueError("A vector index name must be a plain identifier.")
        self.name, self.source, self.alias, self.dimensions = name, source, alias, dimensions
        self.table = f"vectors_{name}"
        self._created = False

    def _cursor(self):
        from django.db import connections

        return connections[self.alias].cursor()

    @staticmethod
    def _literal(vector) -> str:
        return "[" + ",".join(f"{x:.7g}" for x in _unit(vector)) + "]"

    def _create(self) -> None:
        if self._created:
            return
        with self._cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} "
                f"(id bigint PRIMARY KEY, embedding vector({int(self.dimensions)}) NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_hnsw ON {self.table} "
                "USING hnsw (embedding vector_cosine_ops)"
            )
        self._created = True

    def add(self, ids: Sequence[int], vectors) -> None:
        self._create()
        rows = [(int(pk), self._literal(v)) for pk, v in zip(ids, vectors, strict=True)]
        if not rows:
            return
        with self._cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (id, embedding) VALUES (%s, %s::vector) "
                "ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding",
                rows,
            )

    def remove(self, ids: Sequence[int]) -> None:
        self._create()
        if not len(ids):
            return
        with self._cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE id = ANY(%s)", [[int(pk) for pk in ids]]
            )

    def __len__(self) -> int:
        self._create()
        with self._cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table}")
            return int(cursor.fetchone()[0])

    def rebuild(self) -> None:
        self._create()
        with self._cursor() as cursor:
            cursor.execute(f"TRUNCATE {self.table}")
        ids: list[int] = []
        rows: list[np.ndarray] = []
        for pk, row in self.source():
            ids.append(pk)
            rows.append(row)
            if len(ids) >= _BATCH:
                self.add(ids, rows)
                ids, rows = [], []
        self.add(ids, rows)

    def fingerprint(self) -> tuple[int, int]:
        self._create()
        with self._cursor() as cursor:
            cursor.execute(f"SELECT count(*), coalesce(sum(id), 0) FROM {self.table}")
            count, total = cursor.fetchone()
        return int(count), int(total)

    def ensure_fresh(self, expected: tuple[int, int] | None = None) -> bool:
        if expected is not None and self.fingerprint() != tuple(expected):
            self.rebuild()
            return True
        return False

    def search(self, vector, k: int) -> list[tuple[int, float]]:
        self._create()
        literal = self._literal(vector)
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT id, 1 - (embedding <=> %s::vector) FROM {self.table} "
                "ORDER BY embedding <=> %s::vector LIMIT %s",
                [literal, literal, int(k)],
            )
            return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


# Choosing ---------------------------------------------------------------------------------------
def pgvector_available(alias: str = "default") -> bool:
    """PostgreSQL with the ``vector`` extension installed, or installable here."""
    from django.db import connections

    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
        if cursor.fetchone():
            return True
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        return cursor.fetchone() is not None


def _usearch_installed() -> bool:
    try:
        import usearch.index  # noqa: F401
    except ImportError:
        return False
    return True


def choose_backend(setting: str, vendor: str, has_pgvector: Callable[[], bool]) -> str:
    """The backend for a ``VECTOR_INDEX`` setting and a database vendor."""
    setting = (setting or "auto").lower()
    if setting not in BACKENDS:
        raise ValueError(f"VECTOR_INDEX must be one of {', '.join(BACKENDS)}, not {setting!r}.")
    if setting != "auto":
        return setting
    if vendor != "postgresql":
        return "numpy"
    if has_pgvector():
        return "pgvector"
    return "usearch" if _usearch_installed() else "numpy"


_cache: dict[tuple, object] = {}
_cache_lock = threading.Lock()


def _directory(alias: str) -> Path:
    from django.conf import settings
    from django.db import connections

    base = Path(getattr(settings, "VECTOR_INDEX_DIR", None) or Path(settings.DATA_DIR) / "vectors")
    # One folder per database, so a test database never reads the real one's index.
    database = str(connections[alias].settings_dict.get("NAME"))
    return base / hashlib.sha256(database.encode()).hexdigest()[:12]


def vector_index(name: str, source: Rows, alias: str = "default"):
    """The index called ``name`` (one per process and database), with the backend the settings
    and the database choose. ``source`` gives every (id, vector) that belongs in it: it is read
    to rebuild the index, and by every search of the NumPy scan."""
    from django.conf import settings
    from django.db import connections

    backend = choose_backend(
        getattr(settings, "VECTOR_INDEX", "auto"),
        connections[alias].vendor,
        lambda: pgvector_available(alias),
    )
    directory = _directory(alias) if backend == "usearch" else None
    key = (name, backend, alias, directory)
    with _cache_lock:
        index = _cache.get(key)
        if index is None:
            if backend == "pgvector":
                index = PgvectorIndex(name, source, alias)
            elif backend == "usearch":
                index = UsearchIndex(name, source, directory)
            else:
                index = NumpyIndex(name, source)
            _cache[key] = index
        index.source = source
        return index


def forget_indexes() -> None:
    """Drop this process's open indexes (tests, and after the files were replaced)."""
    with _cache_lock:
        _cache.clear()
