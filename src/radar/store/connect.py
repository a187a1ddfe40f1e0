"""Connections to the cache file: writable (created, WAL, NORMAL sync) or read-only.

A read-only connection is for commands that only read a cache radar may not write (a
read-only file, folder or file system, a full disk): nothing is created for them.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from radar.errors import NoCacheError
from radar.store.failures import explain_os, explain_sqlite


def configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row  # rows by column name, everywhere in the store
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def connect_writable(path: Path) -> sqlite3.Connection:
    """The cache at `path`, created with its folder if needed; raises RadarError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise explain_os(exc, path.parent) from None
    try:
        # isolation_level=None: transactions are explicit, see Store.transaction().
        conn = configure(sqlite3.connect(path, isolation_level=None, timeout=10.0))
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        raise explain_sqlite(exc, path) from None
    return conn


def require_cache(path: Path) -> None:
    """NoCacheError (or a one-line folder error) unless a cache file exists at `path`."""
    if not path.exists():
        raise NoCacheError(
            f"there is no cache at {path}",
            hint="run `radar sync` to create it, or check --db / RADAR_DB (`radar path`)",
        )
    if path.is_dir():
        raise explain_sqlite(sqlite3.OperationalError("unable to open"), path)


def may_write(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """The existing cache at `path`, read-only; raises RadarError."""
    try:
        return _read_only(path, "mode=ro")
    except sqlite3.DatabaseError:
        pass  # a WAL cache in a read-only folder has no -shm to share: nobody can write there
    try:
        return _read_only(path, "immutable=1")
    except sqlite3.Error as exc:
        raise explain_sqlite(exc, path) from None


def _read_only(path: Path, mode: str) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?{mode}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10.0)
    try:
        configure(conn).execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn
