"""Build the old-schema caches the upgrade tests open (tests/test_store_old_caches.py).

    PYTHONPATH=src python tests/data/caches/make_old_caches.py

For each schema step N on main (m001, m002, ...) writes `cache-mNNN.db`: a cache migrated up to
step N only (as the radar release that ended at that step left it) holding what a user keeps:
four papers with their authors, categories, sources and versions, two stars, two notes, a read
mark, a sync cursor and two stored briefs. Released steps are never edited, so running the
first N current steps is what that release ran. Writes are plain SQL against the step-N
schema (no radar store code), so a change to today's Store cannot change these files.

Rerun it after adding a migration: it writes the new step's file and leaves the existing ones
(`--all` rebuilds every file; their applied_at times then change, nothing else).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from radar.paper import normalize_name
from radar.store.migrations import migrations

HERE = Path(__file__).parent
SEEN = "2025-04-29T06:00:00+00:00"

# id, version, title, abstract, authors, categories, day, doi, source
PAPERS = [
    (
        "2504.18264",
        2,
        "Quantum walks on Søren's graphs",
        "We study quantum walks. Second sentence.",
        ["M. R. Nirmal", "Yàntao Li", "Anna-Lena Müller"],
        ["quant-ph", "cs.DS"],
        "2025-04-28",
        None,
        "arxiv-rss:quant-ph",
    ),
    (
        "2504.18121",
        1,
        "Error mitigation for noisy devices",
        "Mitigating errors on near-term hardware.",
        ["Michal Hajdušek", "Y.-T. Li"],
        ["quant-ph"],
        "2025-04-28",
        "10.1103/PhysRevA.111.042601",
        "arxiv-rss:quant-ph",
    ),
    (
        "cond-mat/0412498",
        1,
        "Luttinger liquids in nanotubes",
        "An old paper with an old-style id.",
        ["Adrian Del Maestro"],
        ["cond-mat.str-el"],
        "2004-12-20",
        None,
        "arxiv-api:author:Adrian Del Maestro",
    ),
    (
        "f:10.1038/s41586-025-00001-x",
        None,
        "A journal letter on superconductivity",
        "Published in a journal feed, no arXiv id.",
        ["Jane Doe", "John Smith"],
        [],
        "2025-04-27",
        "10.1038/s41586-025-00001-x",
        "feed:Nature",
    ),
]
# paper id -> (starred, read, note); keyed by id, no foreign key, as in m001
USER_STATE = {
    "2504.18264": (1, 1, "my note: read §3 again"),
    "2504.18121": (1, 0, None),
    "cond-mat/0412498": (0, 1, "thesis background"),
}
BRIEFS = [
    ("key-one", "2025-04-28T07:00:00", "Research brief: 2025-04-28 · 2 papers", "gpt-4o-mini",
     ["2504.18264", "2504.18121"], "# Research brief: 2025-04-28 · 2 papers\n\nText one.\n"),
    ("key-two", "2025-04-29T07:00:00", "Digest: 2025-04-28 · 1 paper", None,
     ["2504.18121"], "# Digest: 2025-04-28 · 1 paper\n\nText two.\n"),
]  # fmt: skip


def build(step: int, path: Path) -> None:
    path.unlink(missing_ok=True)
    db = Database(path)
    runner = Migrations(migrations.name)
    for name, function in migrations._steps[:step]:
        runner(name=name)(function)
    runner.apply(db)
    conn = db.conn
    with conn:
        fill(conn, step)
    conn.execute("VACUUM")
    conn.close()


def fill(conn: sqlite3.Connection, step: int) -> None:
    for pk, (pid, version, title, abstract, authors, cats, day, doi, source) in enumerate(
        PAPERS, start=1
    ):
        conn.execute(
            "INSERT INTO papers (pk, id, version, title, abstract, authors, authors_text, "
            "categories, primary_category, published, updated, announced, day, doi, url, "
            "first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (pk, pid, version, title, abstract, json.dumps(authors), " ".join(authors),
             json.dumps(cats), cats[0] if cats else None, day, day, day, day, doi,
             f"https://arxiv.org/abs/{pid}", SEEN, SEEN),
        )  # fmt: skip
        for position, name in enumerate(authors):
            conn.execute(
                "INSERT INTO paper_authors VALUES (?,?,?,?,?)",
                (pk, position, name, normalize_name(name), day),
            )
        for position, category in enumerate(cats):
            conn.execute(
                "INSERT INTO paper_categories VALUES (?,?,?,?)", (pk, category, position, day)
            )
        label = source.split(":", 1)[1]
        conn.execute(
            "INSERT INTO paper_sources VALUES (?,?,?,?,?,?,?)",
            (pk, source, label, "new" if source.startswith("arxiv-rss") else None, day, SEEN, SEEN),
        )
        if version:
            conn.execute("INSERT INTO paper_versions VALUES (?,?,?)", (pk, version, SEEN))
    for pid, (starred, read, note) in USER_STATE.items():
        conn.execute("INSERT INTO user_state VALUES (?,?,?,?,?)", (pid, starred, read, note, SEEN))
    for key, created, title, model, ids, markdown in BRIEFS:
        conn.execute(
            "INSERT INTO briefs (key, created_at, title, model, paper_ids, markdown, calls) "
            "VALUES (?,?,?,?,?,?,?)",
            (key, created, title, model, json.dumps(ids), markdown, 1 if model else 0),
        )
    conn.execute(
        "INSERT INTO sync_state (follow, high_water, last_attempt, last_success) "
        "VALUES ('category:quant-ph', '2025-04-28', ?, ?)",
        (SEEN, SEEN),
    )
    if step >= 2:  # m002 added the resume cursor of an interrupted API walk
        conn.execute(
            "INSERT INTO sync_state (follow, high_water, cursor) "
            "VALUES ('author:Adrian Del Maestro', NULL, '{\"start\": 200}')"
        )


def main() -> int:
    for step in range(1, len(migrations.names) + 1):
        path = HERE / f"cache-m{step:03d}.db"
        if path.exists() and "--all" not in sys.argv:
            continue
        build(step, path)
        print(f"wrote {path.name} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
