"""The vector index behind similar flags (core/vectors.py): each backend finds the same
neighbours, the on-disk one is shared between processes and rebuilt when it is out of date."""

import numpy as np
import pytest

from nhs_citizen.core import vectors

needs_usearch = pytest.mark.skipif(
    not vectors._usearch_installed(), reason="usearch is not installed (pip install usearch)"
)


def _unit(*values):
    vector = np.zeros(vectors.DIMENSIONS, dtype=np.float32)
    for index, value in enumerate(values):
        vector[index] = value
    return vector / np.linalg.norm(vector)


ROWS = {
    1: _unit(1, 0, 0),
    2: _unit(0.9, 0.1, 0),
    3: _unit(0, 1, 0),
    4: _unit(0, 0, 1),
    5: _unit(0.7, 0.7, 0),
}


def _source(rows):
    return lambda: iter(sorted(rows.items()))


@pytest.mark.parametrize(
    "setting, vendor, has_pgvector, expected",
    [
        ("auto", "sqlite", False, "numpy"),
        ("auto", "postgresql", True, "pgvector"),
        ("auto", "postgresql", False, "usearch"),
        ("numpy", "postgresql", True, "numpy"),
        ("USEARCH", "sqlite", False, "usearch"),
    ],
)
def test_it_chooses_the_backend_from_the_setting_and_the_database(
    setting, vendor, has_pgvector, expected, monkeypatch
):
    monkeypatch.setattr(vectors, "_usearch_installed", lambda: True)
    assert vectors.choose_backend(setting, vendor, lambda: has_pgvector) == expected


def test_without_usearch_postgresql_falls_back_to_the_scan(monkeypatch):
    monkeypatch.setattr(vectors, "_usearch_installed", lambda: False)
    assert vectors.choose_backend("auto", "postgresql", lambda: False) == "numpy"


def test_it_refuses_a_backend_it_does_not_know():
    with pytest.raises(ValueError, match="VECTOR_INDEX"):
        vectors.choose_backend("faiss", "sqlite", lambda: False)


def test_the_numpy_scan_finds_the_closest_first():
    index = vectors.NumpyIndex("test", _source(ROWS))
    found = index.search(_unit(1, 0.05, 0), 3)
    assert [pk for pk, _ in found] == [1, 2, 5]
    assert found[0][1] == pytest.approx(float(ROWS[1] @ _unit(1, 0.05, 0)), abs=1e-5)


@needs_usearch
def test_usearch_finds_the_same_neighbours_as_the_scan(tmp_path):
    index = vectors.UsearchIndex("test", _source(ROWS), tmp_path)
    scan = vectors.NumpyIndex("test", _source(ROWS))
    for query in (_unit(1, 0.05, 0), _unit(0, 0.2, 1), _unit(0.6, 0.5, 0.1)):
        assert [pk for pk, _ in index.search(query, 3)] == [pk for pk, _ in scan.search(query, 3)]
        scores = [score for _, score in index.search(query, 3)]
        assert scores == pytest.approx([score for _, score in scan.search(query, 3)], abs=2e-3)


@needs_usearch
def test_usearch_builds_from_the_source_adds_removes_and_shares_the_file(tmp_path):
    rows = dict(ROWS)
    first = vectors.UsearchIndex("test", _source(rows), tmp_path)
    assert len(first) == 5 and (tmp_path / "test.usearch").exists()
    first.add([6], [_unit(0, 0, 0.9, 0.1)])
    first.remove([4])
    # Another worker process opens the same file and sees both changes.
    second = vectors.UsearchIndex("test", _source({}), tmp_path)
    assert [pk for pk, _ in second.search(_unit(0, 0, 1), 1)] == [6]
    assert 4 not in [pk for pk, _ in second.search(_unit(0, 0, 1), 6)]
    # A change made by the second is seen by the first.
    second.add([4], [ROWS[4]])
    assert [pk for pk, _ in first.search(_unit(0, 0, 1), 1)] == [4]


@needs_usearch
def test_usearch_a_change_appends_to_the_journal_instead_of_writing_the_file_again(tmp_path):
    index = vectors.UsearchIndex("test", _source(ROWS), tmp_path)
    assert len(index) == 5
    graph = tmp_path / "test.usearch"
    before = graph.stat()
    index.add([6], [_unit(0, 0, 0.9, 0.1)])
    index.remove([1])
    after = graph.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert (tmp_path / "test.journal").stat().st_size == 2 * index._record_size
    other = vectors.UsearchIndex("test", _source({}), tmp_path)
    assert len(other) == 5 and [pk for pk, _ in other.search(_unit(0, 0, 0.9, 0.1), 1)] == [6]
    assert 1 not in [pk for pk, _ in other.search(_unit(1, 0, 0), 5)]


@needs_usearch
def test_usearch_folds_a_full_journal_into_the_file(tmp_path):
    index = vectors.UsearchIndex("test", _source(ROWS), tmp_path)
    index.JOURNAL_LIMIT = 3
    assert len(index) == 5
    other = vectors.UsearchIndex("test", _source({}), tmp_path)
    assert len(other) == 5  # reads the file before it is folded
    inode = (tmp_path / "test.usearch").stat().st_ino
    index.add([6, 7], [_unit(0, 0, 0.9, 0.1), _unit(0, 0.2, 0.8)])
    assert (tmp_path / "test.usearch").stat().st_ino == inode
    index.add([8], [_unit(0.2, 0, 0.8)])
    assert (tmp_path / "test.usearch").stat().st_ino != inode  # saved whole
    assert (tmp_path / "test.journal").stat().st_size == 0
    # The other process sees a new file and an empty journal: it reads the file again.
    assert len(other) == 8
    assert sorted(pk for pk, _ in other.search(_unit(0, 0, 1), 8)) == [1, 2, 3, 4, 5, 6, 7, 8]


@needs_usearch
def test_usearch_ignores_a_record_cut_short_and_writes_over_it(tmp_path):
    index = vectors.UsearchIndex("test", _source(ROWS), tmp_path)
    index.add([6], [_unit(0, 0, 0.9, 0.1)])
    with open(tmp_path / "test.journal", "ab") as journal:
        journal.write(b"a" + b"\x07" * 20)  # a crash in the middle of writing a record
    other = vectors.UsearchIndex("test", _source({}), tmp_path)
    assert len(other) == 6
    other.add([7], [_unit(0, 0.2, 0.8)])
    assert (tmp_path / "test.journal").stat().st_size == 2 * other._record_size
    assert len(index) == 7


@needs_usearch
def test_usearch_adding_an_id_again_replaces_its_vector(tmp_path):
    index = vectors.UsearchIndex("test", _source(ROWS), tmp_path)
    index.add([1], [_unit(0, 0, 1)])
    assert len(index) == 5
    assert {pk for pk, _ in index.search(_unit(0, 0, 1), 2)} == {1, 4}


@needs_usearch
def test_usearch_rebuilds_when_it_does_not_hold_what_the_database_holds(tmp_path):
    rows = dict(ROWS)
    index = vectors.UsearchIndex("test", _source(rows), tmp_path)
    assert index.ensure_fresh((5, 15)) is True, "no file yet: built"
    assert index.ensure_fresh((5, 15)) is False
    rows[7] = _unit(0, 0.1, 1)  # a flag that a failed job never added
    assert index.ensure_fresh((6, 22)) is True
    assert index.fingerprint() == (6, 22)
    assert [pk for pk, _ in index.search(_unit(0, 0.1, 1), 1)] == [7]


@needs_usearch
def test_usearch_rebuilds_a_file_it_cannot_read(tmp_path):
    (tmp_path / "test.usearch").write_bytes(b"not an index")
    index = vectors.UsearchIndex("test", _source(ROWS), tmp_path)
    assert [pk for pk, _ in index.search(ROWS[3], 1)] == [3]


@pytest.mark.django_db
def test_vector_index_uses_the_scan_on_sqlite_and_an_index_on_postgresql(settings):
    from django.db import connection

    settings.VECTOR_INDEX = "auto"
    vectors.forget_indexes()
    index = vectors.vector_index("test", _source(ROWS))
    if connection.vendor == "sqlite":
        assert index.backend == "numpy"
    elif vectors.pgvector_available():
        assert index.backend == "pgvector"
    else:
        assert index.backend == ("usearch" if vectors._usearch_installed() else "numpy")
    assert [pk for pk, _ in index.search(ROWS[4], 1)] == [4]


@pytest.mark.django_db
def test_pgvector_stores_and_searches_vectors_when_postgresql_has_it():
    if not vectors.pgvector_available():
        pytest.skip("This PostgreSQL has no pgvector extension (untested here).")
    index = vectors.PgvectorIndex("pgvector_test", _source(ROWS))
    index.rebuild()
    assert index.fingerprint() == (5, 15)
    index.remove([1])
    index.add([9], [_unit(1, 0, 0)])
    assert [pk for pk, _ in index.search(_unit(1, 0, 0), 2)] == [9, 2]
