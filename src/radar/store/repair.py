"""One-time repairs of papers cached by older radar versions (run once, by migration m005).

TeX accents in arXiv names and titles are decoded, authors split inside an affiliation are joined
again, and author look-up keys are refolded ("Stanisław" now matches "Stanislaw").
"""

from __future__ import annotations

import json
import sqlite3

from radar.paper import normalize_name
from radar.sources.arxiv_rss import split_creators
from radar.sources.tex import decode_tex


def repair_arxiv_text(conn: sqlite3.Connection) -> int:
    """Re-read arXiv papers' names, titles and abstracts as today's parsers do; returns how many
    papers changed. Nothing else on the row (and nothing the user saved) is touched."""
    rows = conn.execute(
        "SELECT pk, title, abstract, authors, affiliations, day FROM papers "
        "WHERE instr(id, ':') = 0 AND (instr(authors, '\\') OR instr(authors, '(') "
        "OR instr(title, '\\') OR instr(abstract, '\\'))"
    ).fetchall()
    changed = 0
    for pk, title, abstract, authors_json, affiliations_json, day in rows:
        authors = json.loads(authors_json or "[]")
        names, affiliations = _rejoined(authors)
        if affiliations_json is not None:  # stored by a radar that already kept them
            names, affiliations = [decode_tex(a) for a in authors], None
        new_title, new_abstract = decode_tex(title), decode_tex(abstract)
        if (names, new_title, new_abstract) == (authors, title, abstract) and not affiliations:
            continue
        changed += 1
        conn.execute(
            "UPDATE papers SET title = ?, abstract = ?, authors = ?, authors_text = ?, "
            "affiliations = coalesce(?, affiliations) WHERE pk = ?",
            (
                new_title,
                new_abstract,
                json.dumps(names, ensure_ascii=False),
                ", ".join(names),
                json.dumps(affiliations, ensure_ascii=False) if affiliations else None,
                pk,
            ),
        )
        if names != authors:
            conn.execute("DELETE FROM paper_authors WHERE paper_pk = ?", (pk,))
            conn.executemany(
                "INSERT INTO paper_authors (paper_pk, position, name, norm, day) "
                "VALUES (?, ?, ?, ?, ?)",
                [(pk, i, name, normalize_name(name), day) for i, name in enumerate(names)],
            )
    return changed


def _rejoined(authors: list[str]) -> tuple[list[str], list[list[str]] | None]:
    """Names as `split_creators` reads them from the old comma-split list (an affiliation in
    brackets had been cut at every comma), TeX decoded; affiliations when any were found."""
    pieces: list[str] = []
    for name in authors:
        if pieces and pieces[-1].count("(") > pieces[-1].count(")"):
            pieces[-1] += ", " + name
        else:
            pieces.append(name)
    creators = split_creators(decode_tex(", ".join(pieces)))
    names = [name for name, _ in creators]
    affiliations = [list(a) for _, a in creators]
    if len(creators) != len(pieces):  # a comma inside a name we cannot place: keep names as are
        return [decode_tex(a) for a in authors], None
    return names, affiliations if any(affiliations) else None


def refold_author_names(conn: sqlite3.Connection) -> int:
    """Recompute the look-up key of names with non-ASCII letters; returns how many changed."""
    rows = conn.execute(
        "SELECT paper_pk, position, name, norm FROM paper_authors WHERE name GLOB '*[^ -~]*'"
    ).fetchall()
    updates = [
        (new, pk, position)
        for pk, position, name, norm in rows
        if (new := normalize_name(name)) != norm
    ]
    conn.executemany(
        "UPDATE paper_authors SET norm = ? WHERE paper_pk = ? AND position = ?", updates
    )
    return len(updates)
