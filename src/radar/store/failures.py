"""What went wrong with a file radar reads or writes, as one line whose hint fits the cause.

A read-only file is not "damaged", a full disk is not "read-only", a folder is not a file.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from radar.errors import RadarError, StorageError, StoreError


def explain_sqlite(exc: sqlite3.Error, path: Path) -> RadarError:
    """A SQLite error met while using the cache at `path`."""
    text = str(exc).lower()
    if "full" in text or ("i/o" in text and _no_space(path)):
        return disk_full(path)
    if "readonly" in text or "read-only" in text:
        return read_only(path)
    if "unable to open" in text:
        return cannot_open(path, exc)
    if "locked" in text or "busy" in text:
        return StorageError(
            f"the cache at {path} stayed locked by another radar for 10 s",
            hint="wait for the other command (a sync?) to finish and run this again",
        )
    if "i/o" in text:
        return StorageError(
            f"reading or writing the cache {path} failed (disk I/O error)",
            hint="check the disk (free space, `dmesg`) and run the command again",
        )
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return damaged(path, exc)
    if "malformed" in text or "not a database" in text:
        return damaged(path, exc)
    return StorageError(f"the cache at {path} failed: {exc}", hint="run the command again")


def _no_space(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def explain_os(exc: OSError, fallback: Path | None = None) -> RadarError:
    """An operating-system error on a file radar writes (lock, config, brief, page)."""
    where = Path(exc.filename) if exc.filename else fallback
    name = str(where) if where is not None else "a file"
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return StorageError(
            f"no space left to write {name}; nothing was changed",
            hint="free some disk space and run the command again",
        )
    if exc.errno == errno.EROFS:
        return StorageError(
            f"cannot write {name}: it is on a read-only file system",
            hint="remount it read-write, or point radar elsewhere (--db, --config, RADAR_HOME)",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StorageError(
            f"cannot write {name}: permission denied",
            hint=f"check the permissions of {name} and its folder (ls -ld), or point radar "
            "elsewhere (--db, --config, RADAR_HOME)",
        )
    if exc.errno == errno.EISDIR:
        return StorageError(f"{name} is a folder, not a file", hint="give the path of a file")
    # mkdir of a folder the path needs, where a file of that name is: EEXIST, not ENOTDIR
    exists_as_file = exc.errno == errno.EEXIST and where is not None and where.is_file()
    if exc.errno == errno.ENOTDIR or exists_as_file:
        return StorageError(
            f"cannot use {name}: part of its path is a file, not a folder",
            hint="fix the path",
        )
    return StorageError(f"cannot use {name}: {exc.strerror or exc}", hint="check the path")


def disk_full(path: Path) -> StorageError:
    return StorageError(
        f"the disk holding the cache {path} is full; nothing of this command was written",
        hint="free some disk space and run the command again",
    )


def read_only(path: Path) -> StorageError:
    folder = path.parent
    if _read_only_mount(path if path.exists() else folder):
        what = f"the cache {path} is on a read-only file system"
        fix = "remount it read-write"
    elif path.exists() and not os.access(path, os.W_OK):
        what = f"the cache {path} is read-only"
        fix = f"make it writable (chmod u+w {path})"
    elif not os.access(folder, os.W_OK):
        what = f"the folder of the cache, {folder}, is read-only"
        fix = f"make {folder} writable (SQLite writes its journal beside the cache)"
    else:
        what = f"the cache {path} cannot be written (read-only file system?)"
        fix = "remount it read-write"
    return StorageError(
        f"{what}; nothing was changed",
        hint=f"{fix}, or use another cache with --db; reading commands (list, search) still work",
    )


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def cannot_open(path: Path, exc: sqlite3.Error) -> StorageError:
    if path.is_dir():
        return StorageError(
            f"the cache path {path} is a folder, not a file",
            hint=f"point --db (or RADAR_DB, db_path) at a file, e.g. {path / 'radar.db'}",
        )
    if _no_space(path):
        return disk_full(path)
    if not path.parent.is_dir():
        return StorageError(
            f"there is no folder {path.parent} for the cache {path}",
            hint="create the folder, or fix --db / RADAR_DB / db_path",
        )
    return read_only(path)


def damaged(path: Path, exc: sqlite3.Error) -> StoreError:
    return StoreError(
        f"the cache at {path} is damaged ({exc})",
        hint=f"move it aside (mv {path} {path}.damaged) and run `radar sync` to rebuild; your "
        f"stars and notes are in the old file: `sqlite3 {path}.damaged .recover` can save them",
    )
