"""Never a traceback: read-only caches and folders, a full disk, a damaged cache, a missing
--config, no cache at all, Ctrl-C. Each is one line naming the file, and a documented code.

Read-only and full file systems are real: a read-only bind mount and a 2 MB tmpfs inside a
private mount namespace (`unshare -rm`), because CI runs as root and chmod does not stop
root. Where user namespaces are not allowed, those tests skip (they say so).
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from radar.errors import ExitStatus
from radar.store import Store
from tests.brief_data import make_papers
from tests.conftest import SRC, invoke, run_radar
from tests.fake_arxiv import RSS_FILE, FakeArxiv, recorded


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt 2>/dev/null || exit 1"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _can_unshare(), reason="needs `unshare -rm` (user + mount namespaces) for real RO/full FS"
)


def radar_in_namespace(
    setup: str, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run `setup` (mounts) then `python -m radar ARGS` in a private mount namespace."""
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "radar", *args))
    full_env = {**os.environ, **env, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{setup} && exec {command}"],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def cache(radar_home: Path) -> Path:
    db = radar_home / "radar.db"
    with Store.open(db) as store:
        store.upsert_papers(make_papers(3))
    return db


def one_error_line(result: object) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    return lines[0]


# --- read-only ------------------------------------------------------------------------------


@needs_namespaces
def test_list_reads_a_cache_in_a_read_only_folder(radar_home: Path, cache: Path) -> None:
    ro = f"mount --bind -o ro {shlex.quote(str(radar_home))} {shlex.quote(str(radar_home))}"
    result = radar_in_namespace(ro, "list", env={"RADAR_HOME": str(radar_home)})
    assert result.returncode == 0, result.stderr
    assert "2611.10000" in result.stdout


@needs_namespaces
@pytest.mark.parametrize("args", [("star", "2611.10000"), ("sync",), ("follow", "author", "X Y")])
def test_writes_to_a_read_only_folder_are_one_line_naming_the_file(
    radar_home: Path, cache: Path, args: tuple[str, ...]
) -> None:
    ro = f"mount --bind -o ro {shlex.quote(str(radar_home))} {shlex.quote(str(radar_home))}"
    result = radar_in_namespace(ro, *args, env={"RADAR_HOME": str(radar_home)})
    assert result.returncode == ExitStatus.STORAGE, result.stderr
    line = one_error_line(result)
    assert str(radar_home) in line and "read-only file system" in line
    assert "damaged" not in line


@needs_namespaces
def test_a_read_only_cache_file_is_read_only_not_damaged(radar_home: Path, cache: Path) -> None:
    ro = f"mount --bind -o ro {shlex.quote(str(cache))} {shlex.quote(str(cache))}"
    env = {"RADAR_HOME": str(radar_home)}
    starred = radar_in_namespace(ro, "star", "2611.10000", env=env)
    assert starred.returncode == ExitStatus.STORAGE
    line = one_error_line(starred)
    assert f"the cache {cache} is on a read-only file system" in line and "damaged" not in line
    listed = radar_in_namespace(ro, "list", env=env)
    assert listed.returncode == 0 and "2611.10000" in listed.stdout


# --- full disk ------------------------------------------------------------------------------


@needs_namespaces
def test_a_full_disk_is_one_line_and_the_cache_survives(tmp_path: Path, cache: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    db = full / "radar.db"
    setup = (
        f"mount -t tmpfs -o size=2m tmpfs {full} && cp {cache} {db} && "
        f"(dd if=/dev/zero of={full}/pad bs=4k 2>/dev/null; true)"
    )
    result = radar_in_namespace(setup, "--db", str(db), "star", "2611.10001", env={})
    assert result.returncode == ExitStatus.STORAGE, result.stderr
    line = one_error_line(result)
    assert f"the disk holding the cache {db} is full" in line and "free some disk space" in line
    reading = radar_in_namespace(setup, "--db", str(db), "list", env={})
    assert reading.returncode == 0 and "2611.10001" in reading.stdout


@needs_namespaces
def test_sync_on_a_full_disk_is_one_line_and_the_cache_survives(
    radar_home: Path, tmp_path: Path, cache: Path, fake_arxiv: FakeArxiv
) -> None:
    from tests.test_cli_sync import write_config

    fake_arxiv.add_rss("quant-ph", recorded(RSS_FILE))
    write_config(radar_home, fake_arxiv, categories=("quant-ph",))
    full = tmp_path / "full"
    full.mkdir()
    db = full / "radar.db"
    setup = (
        f"mount -t tmpfs -o size=2m tmpfs {full} && cp {cache} {db} && "
        f"(dd if=/dev/zero of={full}/pad bs=4k 2>/dev/null; true)"
    )
    result = radar_in_namespace(setup, "--db", str(db), "sync", env={})
    assert result.returncode == ExitStatus.STORAGE, result.stderr
    line = one_error_line(result)
    assert f"no space left to write {db}" in line and "free some disk space" in line
    reading = radar_in_namespace(setup, "--db", str(db), "list", env={})
    assert reading.returncode == 0 and "2611.10001" in reading.stdout


def test_a_device_is_never_replaced_by_a_brief(radar_home: Path, cache: Path) -> None:
    # as root, a rename over /dev/full would replace the device with a regular file
    result = run_radar("brief", "--today", "--no-llm", "-o", "/dev/full", "--force")
    assert result.returncode == ExitStatus.USAGE
    assert one_error_line(result).endswith(
        "it is not a regular file (hint: leave out -o to "
        "print the brief on stdout (and redirect it as you like))"
    )
    assert Path("/dev/full").is_char_device()


@needs_namespaces
def test_a_config_edit_on_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    config = full / "radar.toml"
    setup = (
        f"mount -t tmpfs -o size=1m tmpfs {full} && printf '[follow]\\nauthors = []\\n' > {config}"
        f" && (dd if=/dev/zero of={full}/pad bs=4k 2>/dev/null; true)"
    )
    result = radar_in_namespace(setup, "--config", str(config), "follow", "author", "X Y", env={})
    assert result.returncode == ExitStatus.STORAGE, result.stderr
    assert f"no space left to write {config}" in one_error_line(result)


# --- damaged, missing -----------------------------------------------------------------------


def _damage(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page but the header page
        data[offset + 8 : offset + 600] = b"\xab" * 592
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "args", [("list", "-n", "0"), ("search", "graph"), ("brief", "--no-llm", "--today")]
)
def test_damage_found_after_open_is_one_line_with_a_recovery_hint(
    radar_home: Path, args: tuple[str, ...]
) -> None:
    db = radar_home / "radar.db"
    with Store.open(db) as store:
        store.upsert_papers(make_papers(300))
    _damage(db)
    result = run_radar(*args, env={"RADAR_TODAY": "2026-11-20"})
    assert result.returncode != 0
    line = one_error_line(result)
    assert f"the cache at {db} is damaged" in line and ".recover" in line


def test_a_reading_command_never_creates_a_folder_or_a_cache(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "x.db"
    result = invoke("--db", str(db), "list")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert f"there is no cache at {db}" in result.stderr  # type: ignore[attr-defined]
    assert not (tmp_path / "no").exists()
    for args in (
        ("brief", "--no-llm"),
        ("brief", "--show", "1"),
        ("briefs",),
        ("sync", "--dry-run"),
    ):
        invoke("--db", str(db), *args)
        assert not (tmp_path / "no").exists(), args
    shown = invoke("--db", str(db), "show", "2611.10000")
    assert shown.exit_code == 1 and f"there is no cache at {db}" in shown.stderr  # type: ignore[attr-defined]
    assert not (tmp_path / "no").exists()


def test_a_missing_config_flag_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    result = invoke("--config", str(tmp_path / "radr.toml"), "sync")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    line = one_error_line(result)
    assert f"--config {tmp_path / 'radr.toml'} does not exist" in line


def test_a_folder_as_the_cache_is_named_as_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_DB", str(tmp_path))
    result = invoke("star", "2611.10000")
    line = one_error_line(result)
    assert "is a folder" in line and "damaged" not in line


# --- Ctrl-C ---------------------------------------------------------------------------------


def test_ctrl_c_prints_one_line_and_exits_130(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.fail_next("hang")
    (radar_home / "radar.toml").write_text(
        fake_arxiv.config(timeout_seconds=60) + '[follow]\ncategories = ["cs.AI"]\n'
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen(
        [sys.executable, "-m", "radar", "sync"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        from tests.test_cli_sync import wait_for

        wait_for(lambda: len(fake_arxiv.requests()) > 0)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == ExitStatus.INTERRUPTED == 130
    # sync's own line: what it committed before Ctrl-C (the day's RSS, finished pages) stays
    assert stderr.strip() == (
        "interrupted: what was fetched so far is kept (the page in progress is not); "
        "the next `radar sync` continues where this one stopped"
    )


# --- each cause, its message and hint (store/failures.py, called directly) ------------------

# The messages above come from these functions; here each cause is given to them directly (an
# exception as SQLite or the OS raises it, a real path), so every wording and hint is checked.

from radar.errors import RadarError, StorageError, StoreError  # noqa: E402
from radar.store.failures import (  # noqa: E402
    cannot_open,
    explain_os,
    explain_sqlite,
    read_only,
)

# Root may write any file: "not writable" is checked by a process with every capability dropped.
DROP_POWERS = ["setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all"]


def said(error: RadarError) -> tuple[type, str, str | None]:
    return type(error), error.message, error.hint


def without_root_powers(code: str) -> str:
    """The output of python `code` run without root's power to write any file."""
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to drop root's capabilities")
    result = subprocess.run(
        [*DROP_POWERS, sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def read_only_said(path: Path) -> str:
    """`str(read_only(path))` for a user who cannot write there."""
    here = str(read_only(path))  # also run here: mutmut links a test to what it runs itself
    if os.geteuid() != 0:
        return here
    code = (
        "from pathlib import Path; from radar.store.failures import read_only; "
        f"print(read_only(Path({str(path)!r})))"
    )
    return without_root_powers(code)


def test_sqlite_errors_each_get_their_own_line_and_hint(tmp_path: Path) -> None:
    db = tmp_path / "radar.db"
    db.write_bytes(b"")
    full = said(explain_sqlite(sqlite3.OperationalError("database or disk is full"), db))
    assert full == (
        StorageError,
        f"the disk holding the cache {db} is full; nothing of this command was written",
        "free some disk space and run the command again",
    )
    locked = explain_sqlite(sqlite3.OperationalError("database is locked"), db)
    assert said(locked) == (
        StorageError,
        f"the cache at {db} stayed locked by another radar for 10 s",
        "wait for the other command (a sync?) to finish and run this again",
    )
    busy = explain_sqlite(sqlite3.OperationalError("database table is busy"), db)
    assert said(busy) == said(locked)
    io = explain_sqlite(sqlite3.OperationalError("disk I/O error"), db)  # with free space
    assert said(io) == (
        StorageError,
        f"reading or writing the cache {db} failed (disk I/O error)",
        "check the disk (free space, `dmesg`) and run the command again",
    )
    other = explain_sqlite(sqlite3.OperationalError("no such table: x"), db)
    assert said(other) == (
        StorageError,
        f"the cache at {db} failed: no such table: x",
        "run the command again",
    )


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.DatabaseError("file is not a database"),
        sqlite3.OperationalError("database disk image is malformed"),
        sqlite3.OperationalError("file is not a database"),
        sqlite3.IntegrityError("whatever it says"),
    ],
)
def test_a_damaged_cache_is_named_with_how_to_rebuild_and_recover(
    tmp_path: Path, exc: sqlite3.Error
) -> None:
    db = tmp_path / "radar.db"
    assert said(explain_sqlite(exc, db)) == (
        StoreError,
        f"the cache at {db} is damaged ({exc})",
        f"move it aside (mv {db} {db}.damaged) and run `radar sync` to rebuild; your stars and "
        f"notes are in the old file: `sqlite3 {db}.damaged .recover` can save them",
    )


def test_a_readonly_database_error_is_read_only_not_damaged(tmp_path: Path) -> None:
    db = tmp_path / "radar.db"
    db.write_bytes(b"")
    for text in ("attempt to write a readonly database", "read-only file"):
        error = explain_sqlite(sqlite3.OperationalError(text), db)
        assert said(error) == (
            StorageError,
            f"the cache {db} cannot be written (read-only file system?); nothing was changed",
            "remount it read-write, or use another cache with --db; reading commands "
            "(list, search) still work",
        )


def test_a_cache_the_user_cannot_write_says_what_to_make_writable(tmp_path: Path) -> None:
    folder = tmp_path / "home"
    folder.mkdir()
    db = folder / "radar.db"
    db.write_bytes(b"")
    db.chmod(0o444)
    assert read_only_said(db) == (
        f"the cache {db} is read-only; nothing was changed (hint: make it writable "
        f"(chmod u+w {db}), or use another cache with --db; reading commands (list, search) "
        "still work)"
    )
    db.chmod(0o644)
    folder.chmod(0o555)
    new = folder / "new.db"
    assert read_only_said(new) == (
        f"the folder of the cache, {folder}, is read-only; nothing was changed (hint: make "
        f"{folder} writable (SQLite writes its journal beside the cache), or use another cache "
        "with --db; reading commands (list, search) still work)"
    )


def test_a_cache_that_cannot_be_opened_says_why(tmp_path: Path) -> None:
    unable = sqlite3.OperationalError("unable to open database file")
    assert said(explain_sqlite(unable, tmp_path)) == (
        StorageError,
        f"the cache path {tmp_path} is a folder, not a file",
        f"point --db (or RADAR_DB, db_path) at a file, e.g. {tmp_path / 'radar.db'}",
    )
    nowhere = tmp_path / "no" / "radar.db"
    assert said(cannot_open(nowhere, unable)) == (
        StorageError,
        f"there is no folder {nowhere.parent} for the cache {nowhere}",
        "create the folder, or fix --db / RADAR_DB / db_path",
    )
    plain = tmp_path / "radar.db"
    assert said(cannot_open(plain, unable)) == said(read_only(plain))


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        (
            errno.ENOSPC,
            "no space left to write {name}; nothing was changed",
            "free some disk space and run the command again",
        ),
        (
            errno.EDQUOT,
            "no space left to write {name}; nothing was changed",
            "free some disk space and run the command again",
        ),
        (
            errno.EROFS,
            "cannot write {name}: it is on a read-only file system",
            "remount it read-write, or point radar elsewhere (--db, --config, RADAR_HOME)",
        ),
        (
            errno.EACCES,
            "cannot write {name}: permission denied",
            "check the permissions of {name} and its folder (ls -ld), or point radar "
            "elsewhere (--db, --config, RADAR_HOME)",
        ),
        (
            errno.EPERM,
            "cannot write {name}: permission denied",
            "check the permissions of {name} and its folder (ls -ld), or point radar "
            "elsewhere (--db, --config, RADAR_HOME)",
        ),
        (errno.EISDIR, "{name} is a folder, not a file", "give the path of a file"),
        (
            errno.ENOTDIR,
            "cannot use {name}: part of its path is a file, not a folder",
            "fix the path",
        ),
        (errno.ENOENT, "cannot use {name}: No such file or directory", "check the path"),
    ],
)
def test_os_errors_name_the_file_and_the_fix(code: int, message: str, hint: str) -> None:
    exc = OSError(code, os.strerror(code), "/data/radar.toml")
    name = "/data/radar.toml"
    assert said(explain_os(exc, Path("/elsewhere"))) == (
        StorageError,
        message.format(name=name),
        hint.format(name=name),
    )


def test_an_os_error_without_a_file_names_the_fallback_or_a_file() -> None:
    exc = OSError(errno.ENOSPC, "No space left on device")
    assert explain_os(exc, Path("/data/radar.db")).message == (
        "no space left to write /data/radar.db; nothing was changed"
    )
    assert explain_os(exc).message == "no space left to write a file; nothing was changed"
    bare = explain_os(OSError("something odd"), Path("/data/x"))
    assert said(bare) == (StorageError, "cannot use /data/x: something odd", "check the path")


def python_in_namespace(setup: str, code: str) -> str:
    """The output of python `code` run after `setup` (mounts) in a private mount namespace."""
    command = shlex.join([sys.executable, "-c", code])
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{setup} && exec {command}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def explained(path: Path, text: str) -> str:
    """Python code printing what radar says of a SQLite error `text` on `path`."""
    return (
        "import sqlite3; from pathlib import Path; from radar.store.failures import "
        f"explain_sqlite; print(explain_sqlite(sqlite3.OperationalError({text!r}), "
        f"Path({str(path)!r})))"
    )


@needs_namespaces
def test_a_cache_on_a_read_only_mount_says_remount(tmp_path: Path) -> None:
    folder = tmp_path / "home"
    folder.mkdir()
    db = folder / "radar.db"
    db.write_bytes(b"")
    # here (writable): the cause is a guess; on the mount: named
    assert "(read-only file system?)" in str(read_only(db))
    ro = f"mount --bind -o ro {shlex.quote(str(folder))} {shlex.quote(str(folder))}"
    hint = (
        "remount it read-write, or use another cache with --db; reading commands (list, "
        "search) still work"
    )
    for path in (db, folder / "new.db"):
        said_there = python_in_namespace(
            ro, explained(path, "attempt to write a readonly database")
        )
        assert said_there == (
            f"the cache {path} is on a read-only file system; nothing was changed (hint: {hint})"
        )


@needs_namespaces
def test_a_full_disk_is_named_whatever_sqlite_calls_the_error(tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    db = full / "radar.db"
    setup = (
        f"mount -t tmpfs -o size=1m tmpfs {full} && : > {db} && "
        f"(dd if=/dev/zero of={full}/pad bs=4k 2>/dev/null; true)"
    )
    # here (free space): an I/O error is an I/O error, a cache that cannot be opened no full disk
    assert "(disk I/O error)" in str(explain_sqlite(sqlite3.OperationalError("disk I/O error"), db))
    unable = sqlite3.OperationalError("unable to open database file")
    assert str(cannot_open(db, unable)).startswith(f"the cache {db} cannot be written")
    expected = (
        f"the disk holding the cache {db} is full; nothing of this command was written "
        "(hint: free some disk space and run the command again)"
    )
    assert python_in_namespace(setup, explained(db, "disk I/O error")) == expected
    assert python_in_namespace(setup, explained(db, "unable to open database file")) == expected


# --- a read-only cache radar cannot upgrade (store/core.py's _require_current) ---------------


@needs_namespaces
def test_an_older_cache_in_a_read_only_folder_says_why_it_cannot_be_read(
    radar_home: Path,
) -> None:
    db = radar_home / "radar.db"
    shutil.copyfile(Path(__file__).parent / "data" / "caches" / "cache-m005.db", db)
    ro = f"mount --bind -o ro {shlex.quote(str(radar_home))} {shlex.quote(str(radar_home))}"
    result = radar_in_namespace(ro, "list", env={"RADAR_HOME": str(radar_home)})
    assert result.returncode != 0
    assert one_error_line(result) == (
        f"error: the cache at {db} is read-only and was written by another radar version "
        "(hint: make it writable and run radar once (it upgrades the cache), or use the radar "
        "that wrote it)"
    )


@needs_namespaces
def test_a_read_only_cache_with_a_foreign_migration_table_is_one_error_naming_it(
    radar_home: Path,
) -> None:
    import sqlite3

    db = radar_home / "radar.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE _sqlite_migrations (name TEXT)")  # not sqlite-migrate's
    ro = f"mount --bind -o ro {shlex.quote(str(radar_home))} {shlex.quote(str(radar_home))}"
    result = radar_in_namespace(ro, "list", env={"RADAR_HOME": str(radar_home)})
    assert result.returncode != 0
    line = one_error_line(result)
    assert str(db) in line and "migration_set" in line, line


def test_a_folder_radar_must_create_where_a_file_is_says_so(tmp_path: Path) -> None:
    # `--db afile/radar.db`: creating the folder afile where a file is fails with EEXIST
    afile = tmp_path / "afile"
    afile.write_text("")
    exists = FileExistsError(errno.EEXIST, "File exists", str(afile))
    assert said(explain_os(exists)) == (
        StorageError,
        f"cannot use {afile}: part of its path is a file, not a folder",
        "fix the path",
    )
    # an existing folder, or another error on a file, keeps the system's words
    folder = FileExistsError(errno.EEXIST, "File exists", str(tmp_path))
    assert explain_os(folder).message == f"cannot use {tmp_path}: File exists"
    odd = OSError(errno.EIO, "Input/output error", str(afile))
    assert explain_os(odd).message == f"cannot use {afile}: Input/output error"
