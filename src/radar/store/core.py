"""The SQLite cache: open + migrate, transactions, papers in and out, user state, sync state.

Nothing here touches the network; every write happens inside `Store.transaction()`. Writing
a batch of papers (merging, folding one DOI's records) is `radar.store.upsert`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.errors import NotFoundError, StorageError, StoreError
from radar.paper import Paper, bounded
from radar.store.connect import connect_read_only, connect_writable, may_write, require_cache
from radar.store.failures import explain_sqlite
from radar.store.hydrate import hydrate
from radar.store.identity import doi_key
from radar.store.migrations import migrations
from radar.store.records import SyncState, UpsertCounts, chunks, now_iso, prefixed_columns
from radar.store.upsert import PaperWriter, rows_by_id

if TYPE_CHECKING:
    from sqlite_utils import Database

_SAVEPOINTS = itertools.count()  # unique savepoint names for nested transactions

# Hears that an older cache is about to be upgraded: its path and the pending migration names.
# Upgrading a large cache takes minutes, so the command line says why it waits; the store
# itself never prints.
UpgradeNotice = Callable[[Path, Sequence[str]], None]


class Store:
    """An open radar cache. Use `Store.open(path)`; close it (or use it as a context manager)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._db: Database | None = None
        # Called with each batch `upsert_papers` wrote, inside its transaction (sync's scoring).
        self.after_upsert: Callable[[Sequence[Paper]], None] | None = None

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection, imported on first use (writes, migrations)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    @classmethod
    def open(
        cls, path: Path, *, readonly: bool = False, on_upgrade: UpgradeNotice | None = None
    ) -> Store:
        """Open (creating if needed) the cache at `path` and apply pending migrations.

        `readonly`: for commands that only read. Nothing is created (no cache there is a
        NoCacheError), and a cache radar may not write is opened read-only.
        `on_upgrade` is called before an older cache's pending migrations are applied.
        """
        if readonly:
            require_cache(path)
            if may_write(path):
                try:
                    return cls.open(path, on_upgrade=on_upgrade)
                except StorageError:
                    pass  # a full disk, say: reading needs no writes, so read it read-only
            store = cls(connect_read_only(path), path)
            store._require_current()
            return store
        store = cls(connect_writable(path), path)
        try:
            store._migrate(on_upgrade)
        except sqlite3.Error as exc:
            store.close()
            raise explain_sqlite(exc, path) from None
        return store

    def _require_current(self) -> None:
        """A read-only cache cannot be migrated: it must be this radar's schema already."""
        try:
            applied = self.applied_migrations()
        except sqlite3.Error as exc:
            self.close()
            raise explain_sqlite(exc, self.path) from None
        if set(applied) != set(migrations.names):
            self.close()
            raise StoreError(
                f"the cache at {self.path} is read-only and was written by another radar version",
                hint="make it writable and run radar once (it upgrades the cache), or use the "
                "radar that wrote it",
            )

    def _migrate(self, on_upgrade: UpgradeNotice | None) -> None:
        applied = self.applied_migrations()
        if set(applied) == set(migrations.names):
            return  # up to date: the everyday case, decided without loading sqlite-utils
        newer = [name for name in applied if name not in migrations.names]
        if newer:
            raise StoreError(
                f"the cache at {self.path} was written by a newer radar (migration {newer[0]})",
                hint="upgrade radar (pip install -U radar-papers)",
            )
        runner = migrations.runner()
        if runner.pending(self.db):
            if applied and on_upgrade is not None:  # an older cache, not a new one
                on_upgrade(self.path, [name for name in migrations.names if name not in applied])
            runner.apply(self.db)

    def applied_migrations(self) -> list[str]:
        """Names of the radar migrations recorded in the cache, in the order applied."""
        try:
            rows = self.conn.execute(
                f"SELECT name FROM {migrations.table} WHERE migration_set = ? ORDER BY rowid",
                (migrations.name,),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise
        return [name for (name,) in rows]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all (nested calls use savepoints).

        Plain SQL (what sqlite-utils' `atomic()` does): starring a paper imports no sqlite-utils.
        """
        conn = self.conn
        if conn.in_transaction:
            name = f"radar_{next(_SAVEPOINTS)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN")
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # --- papers ---------------------------------------------------------------------------

    def upsert_papers(self, papers: Iterable[Paper], *, seen_at: str | None = None) -> UpsertCounts:
        """Insert or merge papers with their sightings, in one transaction.

        A paper is found by its id, else by its DOI (see `radar.store.identity`): records of one
        DOI become one paper with several sources, under the arXiv id when there is one.
        A newer version updates the paper and is recorded; older data never overwrites newer.
        Stars, read marks and notes are never changed; they move with a paper whose id changes.
        """
        batch = [bounded(p) for p in papers]  # no field beyond paper.FIELD_LIMITS is stored
        with self.transaction():
            counts = PaperWriter(self.conn, seen_at or now_iso()).write(batch)
            if self.after_upsert is not None:
                self.after_upsert(batch)
        return counts

    def get_paper(self, paper_id: str) -> Paper | None:
        """One paper by its id, with sources, versions and user state; None if not cached.

        Also accepted: any spelling of an arXiv id, a DOI (`10.x/y`, `doi:...`, a doi.org URL,
        matched against every record's DOI) and a feed paper's link (see `radar.identity`).
        """
        from radar.identity import candidate_ids, doi_from_link, is_handle, normalize_doi

        papers = self.papers_where("p.id = ?", [paper_id])
        if not papers:
            ids = candidate_ids(paper_id)
            papers = self.papers_where(f"p.id IN ({','.join('?' * len(ids))})", ids)
        doi = normalize_doi(paper_id) or doi_from_link(paper_id)
        if not papers and doi:
            papers = self.papers_where(
                "p.doi IS NOT NULL AND lower(p.doi) = ?", [doi_key(doi)], order="p.pk"
            )
            papers.sort(key=lambda p: not p.is_arxiv)
        if not papers and is_handle(paper_id):
            papers = self.papers_where("p.id = ?", [self.id_of_handle(paper_id) or ""])
        return papers[0] if papers else None

    def id_of_handle(self, handle: str) -> str | None:
        """The feed paper whose `short_handle` this is (feed ids only: a few index ranges)."""
        from radar.identity import FEED_ID_PREFIXES, short_handle

        wanted = handle.strip().lower()
        for prefix in FEED_ID_PREFIXES:
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            rows = self.conn.execute(
                "SELECT id FROM papers WHERE id >= ? AND id < ?", (prefix, upper)
            )
            for (paper_id,) in rows:
                if short_handle(paper_id) == wanted:
                    return str(paper_id)
        return None

    def require_paper(self, paper_id: str) -> Paper:
        paper = self.get_paper(paper_id)
        if paper is None:
            raise NotFoundError(f"paper {paper_id} is not in the cache")
        return paper

    def papers_where(
        self, where: str, params: Sequence[Any], *, order: str = "p.day DESC, p.id DESC"
    ) -> list[Paper]:
        """Papers matching a SQL condition on `papers p`, hydrated (for store.* modules)."""
        sql = f"SELECT {prefixed_columns()} FROM papers p WHERE {where} ORDER BY {order}"
        return self.hydrate(self.conn.execute(sql, list(params)))

    def hydrate(self, cursor: sqlite3.Cursor) -> list[Paper]:
        """Papers from rows of `PAPER_COLUMNS`, with sources, versions and user state."""
        return hydrate(self.conn, cursor)

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of `ids` are already cached."""
        return set(rows_by_id(self.conn, ids))

    def count_papers(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM papers").fetchone()[0])

    # --- user state -----------------------------------------------------------------------

    def set_user_state(
        self,
        paper_id: str,
        *,
        starred: bool | None = None,
        read: bool | None = None,
        note: str | None = None,
    ) -> None:
        """Set the user's marks on a cached paper; fields left as None keep their value."""
        paper_id = self.require_paper(paper_id).id  # a DOI or link names the paper's own id
        with self.transaction():
            self.conn.execute(
                "INSERT INTO user_state (paper_id, updated_at) VALUES (?, ?) "
                "ON CONFLICT (paper_id) DO NOTHING",
                (paper_id, now_iso()),
            )
            for column, value in (("starred", starred), ("read", read), ("note", note)):
                if column == "note" and isinstance(value, str) and not value.strip():
                    value = None  # an empty note removes it
                    self.conn.execute(
                        "UPDATE user_state SET note = NULL, updated_at = ? WHERE paper_id = ?",
                        (now_iso(), paper_id),
                    )
                elif value is not None:
                    self.conn.execute(
                        f"UPDATE user_state SET {column} = ?, updated_at = ? WHERE paper_id = ?",
                        (value, now_iso(), paper_id),
                    )

    def set_read_many(self, paper_ids: Sequence[str], *, read: bool) -> None:
        """Mark many cached papers (their own ids) read or unread, in one transaction."""
        now = now_iso()
        with self.transaction():
            for chunk in chunks(list(paper_ids)):
                self.conn.executemany(
                    "INSERT INTO user_state (paper_id, read, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (paper_id) DO UPDATE SET read = excluded.read, "
                    "updated_at = excluded.updated_at",
                    [(paper_id, int(read), now) for paper_id in chunk],
                )

    # --- sync state -----------------------------------------------------------------------

    def sync_state(self, follow: str) -> SyncState:
        cursor = self.conn.execute("SELECT * FROM sync_state WHERE follow = ?", (follow,))
        row = cursor.fetchone()
        if row is None:
            return SyncState(follow)
        return SyncState(**dict(row))

    def save_sync_state(self, state: SyncState) -> None:
        """Write a follow's sync state; call inside the transaction that wrote its papers."""
        with self.transaction():
            self.upsert_row("sync_state", dict(state.__dict__), key="follow")

    def upsert_row(self, table: str, row: dict[str, Any], *, key: str) -> None:
        """Insert `row` into `table`, or update every other column where `key` already exists.

        `table` and the column names come from radar's code, never from user input.
        """
        columns = ", ".join(row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k != key)
        self.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}",
            list(row.values()),
        )
