"""The SQLite cache: open + migrate, transactional upserts of papers, user state, sync state.

Nothing here touches the network; every write happens inside `Store.transaction()`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.errors import NotFoundError, StorageError, StoreError
from radar.paper import Paper, bounded
from radar.store.connect import connect_read_only, connect_writable, may_write, require_cache
from radar.store.failures import explain_sqlite
from radar.store.hydrate import hydrate
from radar.store.identity import (
    DoiIndex,
    doi_key,
    gains_doi,
    incoming_wins,
    move_records,
    move_user_state,
    surviving_id,
)
from radar.store.inserts import (
    SIGHTING_UPSERT,
    insert_new_papers,
    new_ids_without_merges,
    next_pk,
    norm_name,
)
from radar.store.migrations import migrations
from radar.store.records import (
    PAPER_COLUMNS,
    SyncState,
    UpsertCounts,
    chunks,
    iso,
    merge_papers,
    now_iso,
    paper_row,
    prefixed_columns,
    row_to_paper,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

# Fields whose change makes an existing paper count as "updated" in a sync summary.
_SAVEPOINTS = itertools.count()  # unique savepoint names for nested transactions
# Every column paper_row() writes, so that _merge rewrites only what really changed: without
# day and authors_text every re-sighting rewrote the lookup rows and re-indexed the full text.
_MERGE_COLUMNS = f"{PAPER_COLUMNS}, day, primary_category, authors_text"
_CONTENT_FIELDS = ("version", "title", "abstract", "authors", "categories", "doi", "journal_ref")

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
        seen_at = seen_at or now_iso()
        batch = [bounded(p) for p in papers]  # no field beyond paper.FIELD_LIMITS is stored
        outcomes: Counter[str] = Counter()
        with self.transaction():
            existing = self._rows_by_id([p.id for p in batch])
            dois = DoiIndex(self.conn, _MERGE_COLUMNS)
            dois.load(p.doi for p in batch if p.doi and p.id not in existing)
            plain = new_ids_without_merges(batch, existing, dois)
            pending: list[Paper] = []
            for paper in batch:
                if paper.id in plain:
                    pending.append(paper)
                    continue
                # Written before the next paper, so pks come out as if inserted one by one.
                self._insert_plain(pending, existing, dois, seen_at)
                pending = []
                outcomes[self._upsert_one(paper, existing, dois, seen_at)] += 1
            self._insert_plain(pending, existing, dois, seen_at)
            if self.after_upsert is not None:
                self.after_upsert(batch)
        return UpsertCounts(
            len(plain) + outcomes["new"], outcomes["updated"], outcomes["unchanged"]
        )

    def _insert_plain(
        self,
        papers: list[Paper],
        existing: dict[str, dict[str, Any]],
        dois: DoiIndex,
        seen_at: str,
    ) -> None:
        """Insert the papers `new_ids_without_merges` picked: one statement per table."""
        if not papers:
            return
        rows = insert_new_papers(self.conn, papers, first_pk=next_pk(self.conn), seen_at=seen_at)
        for row in rows:
            if row["doi"]:
                dois.put(row)
            existing[row["id"]] = row

    def _upsert_one(
        self,
        paper: Paper,
        existing: dict[str, dict[str, Any]],
        dois: DoiIndex,
        seen_at: str,
    ) -> str:
        """Insert or merge one paper (folding records of its DOI); returns its outcome."""
        row = existing.get(paper.id) or dois.match(paper)
        if row is None:
            pk = self._insert(paper, seen_at)
            outcome = "new"
            merged = paper
        else:
            pk = row["pk"]
            merged, changed = self._merge(row, paper, seen_at)
            outcome = "updated" if changed else "unchanged"
            existing.pop(row["id"], None)
        self._record_sightings(pk, paper, seen_at)
        current = {**paper_row(merged), "pk": pk}
        new_doi = gains_doi(row, merged.doi)
        if new_doi or pk in dois.key_of:
            dois.put(current)
        if new_doi and (found := dois.duplicates(pk, merged.doi or "")):
            current = self._fold(*found, existing, dois, seen_at)
        existing[current["id"]] = current
        return outcome

    def _fold(
        self,
        target: dict[str, Any],
        others: list[dict[str, Any]],
        existing: dict[str, dict[str, Any]],
        dois: DoiIndex,
        seen_at: str,
    ) -> dict[str, Any]:
        """Fold other records of one DOI into `target`; returns the surviving row."""
        for other in others:
            existing.pop(other["id"], None)
            dois.drop(other["pk"])
            merged, _ = self._merge(target, row_to_paper(other), seen_at)
            move_records(self.conn, other["pk"], target["pk"])
            move_user_state(self.conn, other["id"], merged.id)
            target = {**paper_row(merged), "pk": target["pk"]}
            dois.put(target)
        return target

    def _rows_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(ids))
        for chunk in chunks(unique):
            marks = ",".join("?" * len(chunk))
            cursor = self.conn.execute(
                f"SELECT {_MERGE_COLUMNS} FROM papers WHERE id IN ({marks})", chunk
            )
            rows.update({r["id"]: dict(r) for r in cursor})
        return rows

    def _insert(self, paper: Paper, seen_at: str) -> int:
        row = {**paper_row(paper), "first_seen": seen_at, "last_seen": seen_at}
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self.conn.execute(
            f"INSERT INTO papers ({columns}) VALUES ({marks})", list(row.values())
        )
        pk = cursor.lastrowid
        assert pk is not None
        self._write_lookups(pk, paper)
        return pk

    def _merge(self, row: dict[str, Any], paper: Paper, seen_at: str) -> tuple[Paper, bool]:
        """Combine what is stored with what arrived; returns (merged paper, content changed)."""
        stored = row_to_paper(row)
        wins = incoming_wins(self.conn, row["pk"], stored, paper)
        merged = merge_papers(stored, paper, incoming_wins=wins)
        if (survivor := surviving_id(stored.id, paper.id)) != stored.id:
            merged = replace(merged, id=survivor)
            move_user_state(self.conn, stored.id, survivor)
        new_row = paper_row(merged)
        changed = any(new_row[f] != row.get(f) for f in _CONTENT_FIELDS)
        differs = {k: v for k, v in new_row.items() if v != row.get(k)}
        differs["last_seen"] = seen_at
        assignments = ", ".join(f"{k} = ?" for k in differs)
        self.conn.execute(
            f"UPDATE papers SET {assignments} WHERE pk = ?", [*differs.values(), row["pk"]]
        )
        if {"authors", "categories", "day"} & differs.keys():
            self._write_lookups(row["pk"], merged)
        return merged, changed

    def _write_lookups(self, pk: int, paper: Paper) -> None:
        day = iso(paper.day)
        self.conn.execute("DELETE FROM paper_authors WHERE paper_pk = ?", (pk,))
        self.conn.executemany(
            "INSERT INTO paper_authors (paper_pk, position, name, norm, day) "
            "VALUES (?, ?, ?, ?, ?)",
            [(pk, i, name, norm_name(name), day) for i, name in enumerate(paper.authors)],
        )
        self.conn.execute("DELETE FROM paper_categories WHERE paper_pk = ?", (pk,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO paper_categories (paper_pk, category, position, day) "
            "VALUES (?, ?, ?, ?)",
            [(pk, cat, i, day) for i, cat in enumerate(paper.categories)],
        )

    def _record_sightings(self, pk: int, paper: Paper, seen_at: str) -> None:
        if paper.version is not None:
            self.conn.execute(
                "INSERT OR IGNORE INTO paper_versions (paper_pk, version, first_seen) "
                "VALUES (?, ?, ?)",
                (pk, paper.version, seen_at),
            )
        self.conn.executemany(
            SIGHTING_UPSERT,
            [
                (pk, s.source, s.label, s.announce_type, iso(s.announced), seen_at, seen_at)
                for s in paper.sources
            ],
        )

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
        return set(self._rows_by_id(ids))

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
