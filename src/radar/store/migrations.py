"""Numbered schema steps for the SQLite cache, applied in order when the cache is opened.

A released migration is never edited: change the schema by adding the next `mNNN_` step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

Step = TypeVar("Step", bound=Callable[["Database"], None])


class MigrationSteps:
    """The ordered steps, registered with `@migrations`: a step's name is its function's name,
    `mNNN_what`, numbered one after the other (sqlite-utils' own registry does the same).

    Importing sqlite-utils costs ~25 ms, more than a whole `radar list` query: so the store
    compares `names` with the cache's record itself and builds the sqlite-utils runner only
    when a step is pending.
    """

    table = "_sqlite_migrations"  # where sqlite-utils records applied steps

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Callable[[Database], None]]] = []

    def __call__(self, step: Step) -> Step:
        name = step.__name__
        expected = f"m{len(self._steps) + 1:03d}_"
        if not name.startswith(expected) or name in self.names:
            raise ValueError(f"migration {name!r}: the next step must be named {expected}...")
        self._steps.append((name, step))
        return step

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self._steps)

    def runner(self) -> Migrations:
        """sqlite-utils' `Migrations` holding every step, to check and apply them."""
        from sqlite_utils.migrations import Migrations

        runner = Migrations(self.name)
        for name, step in self._steps:
            runner(name=name)(step)
        return runner


migrations = MigrationSteps("radar")

_M001 = [
    # One row per paper. `id` is the arXiv base id (2602.22495, astro-ph/0601001) or a feed
    # paper's key; `pk` is a stable integer key (tables without one may renumber on VACUUM).
    # authors/categories are denormalised JSON (in order, primary category first) so reading
    # never has to join; the normalised tables below exist for look-ups.
    """
    CREATE TABLE papers (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        authors_text TEXT NOT NULL DEFAULT '',
        categories TEXT NOT NULL DEFAULT '[]',
        primary_category TEXT,
        published TEXT,
        updated TEXT,
        announced TEXT,
        day TEXT,
        comment TEXT,
        journal_ref TEXT,
        doi TEXT,
        url TEXT,
        pdf_url TEXT,
        journal TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    )
    """,
    "CREATE INDEX papers_day ON papers (day, id)",
    "CREATE INDEX papers_doi ON papers (doi) WHERE doi IS NOT NULL",
    # `norm` is normalize_name(name); `day` is copied from papers so "an author's newest papers"
    # and "a category's papers of a day" are answered from the index alone.
    """
    CREATE TABLE paper_authors (
        paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        norm TEXT NOT NULL,
        day TEXT,
        PRIMARY KEY (paper_pk, position)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX paper_authors_norm ON paper_authors (norm, day, paper_pk)",
    """
    CREATE TABLE paper_categories (
        paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
        category TEXT NOT NULL,
        position INTEGER NOT NULL,
        day TEXT,
        PRIMARY KEY (paper_pk, category)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX paper_categories_category ON paper_categories (category, day, paper_pk)",
    # Every place a paper was seen: "arxiv-rss:cs.AI", "arxiv-api:author:Yantao Li", "feed:Nature".
    """
    CREATE TABLE paper_sources (
        paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
        source TEXT NOT NULL,
        label TEXT NOT NULL,
        announce_type TEXT,
        announced TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (paper_pk, source)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX paper_sources_source ON paper_sources (source, paper_pk)",
    """
    CREATE TABLE paper_versions (
        paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (paper_pk, version)
    ) WITHOUT ROWID
    """,
    # The user's own marks, keyed by the public id and deliberately without a foreign key:
    # no sync, re-import or schema change of papers may ever drop them.
    """
    CREATE TABLE user_state (
        paper_id TEXT PRIMARY KEY,
        starred INTEGER NOT NULL DEFAULT 0,
        read INTEGER NOT NULL DEFAULT 0,
        note TEXT,
        updated_at TEXT NOT NULL
    )
    """,
    # Per follow ("author:Yantao Li", "category:cs.AI", "feed:Nature"): how far sync has got.
    """
    CREATE TABLE sync_state (
        follow TEXT PRIMARY KEY,
        high_water TEXT,
        last_attempt TEXT,
        last_success TEXT,
        last_error TEXT,
        etag TEXT,
        last_modified TEXT
    )
    """,
    # Stored briefings, keyed by a hash of paper set, model, prompt and parameters.
    """
    CREATE TABLE briefs (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        title TEXT NOT NULL,
        model TEXT,
        paper_ids TEXT NOT NULL DEFAULT '[]',
        params TEXT NOT NULL DEFAULT '{}',
        markdown TEXT NOT NULL,
        calls INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost REAL
    )
    """,
    """
    CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, abstract, authors_text,
        content='papers', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
        INSERT INTO papers_fts (rowid, title, abstract, authors_text)
        VALUES (new.pk, new.title, new.abstract, new.authors_text);
    END
    """,
    """
    CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors_text)
        VALUES ('delete', old.pk, old.title, old.abstract, old.authors_text);
    END
    """,
    """
    CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors_text ON papers BEGIN
        INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors_text)
        VALUES ('delete', old.pk, old.title, old.abstract, old.authors_text);
        INSERT INTO papers_fts (rowid, title, abstract, authors_text)
        VALUES (new.pk, new.title, new.abstract, new.authors_text);
    END
    """,
]


@migrations
def m001_initial(db: Database) -> None:
    for statement in _M001:
        db.execute(statement)


@migrations
def m002_sync_cursor(db: Database) -> None:
    # Where an interrupted multi-page API walk (an author's history, a category backfill)
    # resumes, committed with each page so a killed sync continues instead of starting over.
    db.execute("ALTER TABLE sync_state ADD COLUMN cursor TEXT")


@migrations
def m003_doi_identity(db: Database) -> None:
    # Papers are matched across feeds and arXiv by DOI, case-insensitively (DOIs are), so the
    # exact-case DOI index (which no query used) becomes one on lower(doi). Partial: most arXiv
    # papers have no DOI; queries say `doi IS NOT NULL AND lower(doi) ...` to use it.
    db.execute("DROP INDEX IF EXISTS papers_doi")
    db.execute("CREATE INDEX papers_doi_lower ON papers (lower(doi)) WHERE doi IS NOT NULL")


@migrations
def m004_relevance(db: Database) -> None:
    # The relevance model `radar rank` trained (one row: the current one; `body` is its JSON)
    # and each paper's score under a model version. A score of another version is stale: reads
    # by relevance only use the current model's, so a retrain never mixes two models' scales.
    db.execute(
        """
        CREATE TABLE rank_model (
            version TEXT PRIMARY KEY,
            interests TEXT NOT NULL,
            trained_at TEXT NOT NULL,
            body TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE paper_scores (
            paper_pk INTEGER PRIMARY KEY REFERENCES papers (pk) ON DELETE CASCADE,
            model TEXT NOT NULL,
            score REAL NOT NULL
        )
        """
    )
    # "The best papers of the whole cache" walks this index instead of sorting every score.
    db.execute("CREATE INDEX paper_scores_model_score ON paper_scores (model, score)")


@migrations
def m005_affiliations_announce_type(db: Database) -> None:
    # Per author affiliations (JSON list of lists, parallel to `authors`; NULL when the source
    # gave none) and the type of the paper's latest announcement (new, cross, replace, ...).
    db.execute("ALTER TABLE papers ADD COLUMN affiliations TEXT")
    db.execute("ALTER TABLE papers ADD COLUMN announce_type TEXT")
    # The type was already kept per sighting: the paper's is its sightings' on its latest day.
    db.execute(
        """
        UPDATE papers SET announce_type = (
            SELECT s.announce_type FROM paper_sources s
            WHERE s.paper_pk = papers.pk AND s.announced = papers.announced
              AND s.announce_type IN ('new', 'replace', 'cross', 'replace-cross')
            ORDER BY CASE s.announce_type
                WHEN 'new' THEN 0 WHEN 'replace' THEN 1 WHEN 'cross' THEN 2 ELSE 3 END
            LIMIT 1)
        WHERE announced IS NOT NULL
          AND pk IN (SELECT paper_pk FROM paper_sources WHERE announce_type IS NOT NULL)
        """
    )
    from radar.store.repair import refold_author_names, repair_arxiv_text

    repair_arxiv_text(db.conn)
    refold_author_names(db.conn)


@migrations
def m006_sync_runs(db: Database) -> None:
    # One row per `radar sync` (and `radar author --fetch`): `radar list --new` lists the papers
    # the last finished run added. Paper keys only grow, and one sync runs at a time (the lock),
    # so those are the papers with pk_before < pk <= pk_after: exact even when two runs fall in
    # the same second of `first_seen`. `status` is ok, failed or interrupted.
    db.execute(
        """
        CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT,
            new INTEGER,
            pk_before INTEGER NOT NULL,
            pk_after INTEGER
        )
        """
    )
    # --new-since DATE selects by first_seen: a range on this index, not a scan of papers.
    db.execute("CREATE INDEX papers_first_seen ON papers (first_seen)")


@migrations
def m007_rank_terms(db: Database) -> None:
    # The current relevance model's weights, a row per feature (rank_model.body holds them too,
    # as JSON): the "terms" of a table by relevance look up the few hundred features of the
    # papers shown instead of parsing the whole model (~2 MB of JSON for 60,000 features).
    db.execute(
        """
        CREATE TABLE rank_terms (
            term TEXT PRIMARY KEY,
            idf REAL NOT NULL,
            weight REAL NOT NULL
        ) WITHOUT ROWID
        """
    )
    import json

    for (body,) in db.execute("SELECT body FROM rank_model").fetchall():
        terms = json.loads(body).get("terms") or {}
        db.conn.executemany(
            "INSERT OR REPLACE INTO rank_terms (term, idf, weight) VALUES (?, ?, ?)",
            [(term, float(idf), float(weight)) for term, (idf, weight) in terms.items()],
        )
