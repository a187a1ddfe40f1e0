"""store/connect.py, read through a real cache file (mutation-checked: docs/testing.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from radar.errors import NoCacheError, StorageError, StoreError
from radar.store.connect import connect_read_only, connect_writable, may_write, require_cache


def _wal_cache(path: Path) -> None:
    """A cache with one row, in WAL mode, closed (its -wal and -shm files gone)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.execute("INSERT INTO t VALUES ('kept')")
    conn.commit()
    conn.close()


def test_a_new_cache_is_created_with_its_folders_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "radar.db"
    conn = connect_writable(path)
    assert path.is_file()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.execute("INSERT INTO t VALUES ('x')")
    assert conn.execute("SELECT name FROM t").fetchone()["name"] == "x"  # rows by column name
    # no implicit transaction: what is written is there for another connection at once
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT name FROM t").fetchall() == [("x",)]
    conn.close()


def test_an_existing_cache_in_another_journal_mode_is_switched_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE t (name TEXT)")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connect_writable(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("under", [("sub", "radar.db"), ("radar.db",)])
def test_a_cache_path_under_a_file_is_one_error_naming_the_folder(
    tmp_path: Path, under: tuple[str, ...]
) -> None:
    # --db afile/sub/radar.db, and --db afile/radar.db (mkdir of afile: "File exists")
    (tmp_path / "afile").write_text("")
    with pytest.raises(StorageError) as caught:
        connect_writable(tmp_path.joinpath("afile", *under))
    folder = tmp_path.joinpath("afile", *under[:-1])
    assert caught.value.message == f"cannot use {folder}: part of its path is a file, not a folder"
    assert caught.value.hint == "fix the path"


def test_opening_a_damaged_or_folder_cache_for_writing_is_one_error(tmp_path: Path) -> None:
    junk = tmp_path / "radar.db"
    junk.write_bytes(b"not sqlite" * 500)
    with pytest.raises(StoreError, match=r"is damaged \(file is not a database\)"):
        connect_writable(junk)
    with pytest.raises(StorageError, match="is a folder, not a file"):
        connect_writable(tmp_path)


def test_a_reading_command_without_a_cache_says_how_to_make_one(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    with pytest.raises(NoCacheError) as caught:
        require_cache(path)
    assert caught.value.message == f"there is no cache at {path}"
    assert caught.value.hint == (
        "run `radar sync` to create it, or check --db / RADAR_DB (`radar path`)"
    )
    assert not path.exists()
    with pytest.raises(StorageError) as folder:
        require_cache(tmp_path)
    assert folder.value.message == f"the cache path {tmp_path} is a folder, not a file"
    _wal_cache(path)
    require_cache(path)  # a cache is there: no error


def test_a_cache_may_be_written_only_when_it_and_its_folder_are_writable(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    assert not may_write(path)  # nothing there to write
    _wal_cache(path)
    assert may_write(path)
    assert not may_write(tmp_path / "missing" / "radar.db")


def test_a_read_only_connection_reads_the_cache_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "radar db #1.db"  # a name that needs quoting in a URI
    _wal_cache(path)
    conn = connect_read_only(path)
    assert conn.execute("SELECT name FROM t").fetchone()["name"] == "kept"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("INSERT INTO t VALUES ('new')")
    conn.close()


def test_a_cache_whose_log_cannot_be_opened_is_still_read_as_immutable(tmp_path: Path) -> None:
    # SQLite cannot open the write-ahead log (a folder stands in for the read-only folder
    # tests/test_store_failures.py builds under `unshare`): the file is read as it is.
    path = tmp_path / "radar.db"
    _wal_cache(path)
    (tmp_path / "radar.db-wal").mkdir()
    conn = connect_read_only(path)
    assert [tuple(row) for row in conn.execute("SELECT name FROM t")] == [("kept",)]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("INSERT INTO t VALUES ('new')")
    conn.close()


def test_a_damaged_cache_opened_read_only_is_the_damaged_cache_error(tmp_path: Path) -> None:
    path = tmp_path / "radar.db"
    path.write_bytes(b"not sqlite" * 500)
    with pytest.raises(StoreError) as caught:
        connect_read_only(path)
    assert caught.value.message == f"the cache at {path} is damaged (file is not a database)"


def test_a_missing_or_folder_cache_opened_read_only_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder, not a file"):
        connect_read_only(tmp_path)
