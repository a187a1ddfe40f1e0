"""A real corpus for the relevance tests: the recorded quant-ph RSS day (81 abstracts) plus the
reading samples, stored in the test's cache; helpers to star papers and read scores back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from radar.config.settings import load_settings
from radar.paper import Paper
from radar.sources.arxiv_rss import parse_feed
from radar.store import Store
from tests.fake_arxiv import RSS_FILE, recorded
from tests.reading_samples import sample_papers


def quant_ph_day() -> list[Paper]:
    return list(parse_feed(recorded(RSS_FILE), ["quant-ph"]).papers)


def fill_corpus() -> list[Paper]:
    """Store the quant-ph day and the reading samples; returns the quant-ph day's 81 papers."""
    papers = quant_ph_day()
    with Store.open(load_settings().db_path) as store:
        store.upsert_papers(papers + sample_papers())
    return papers


def about(papers: list[Paper], word: str) -> list[str]:
    """Ids of the papers whose title or abstract mentions `word` (case-insensitive)."""
    return [p.id for p in papers if word in f"{p.title} {p.abstract}".lower()]


def star(*ids: str) -> None:
    with Store.open(load_settings().db_path) as store:
        for paper_id in ids:
            store.set_user_state(paper_id, starred=True)


def stored_scores() -> dict[str, float]:
    """paper id -> score under the current model, read straight from the cache file."""
    path: Path = load_settings().db_path
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT p.id, s.score FROM paper_scores s JOIN papers p ON p.pk = s.paper_pk "
            "JOIN rank_model m ON m.version = s.model"
        )
        return dict(rows.fetchall())
