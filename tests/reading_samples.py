"""Realistic papers for the reading tests, from recorded arXiv API responses in tests/data.

`sample_papers()` gives them announcement days around a weekend; `fill_cache` stores them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

from radar.config.settings import load_settings
from radar.paper import Paper, Sighting, collapse_whitespace, parse_arxiv_id
from radar.store import Store

DATA = Path(__file__).parent / "data" / "arxiv-api"  # unchanged copies, see SOURCES.md there
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
DEL_MAESTRO = "legacy2016_author_au_del_maestro_10of31.xml"
ROBOTICS = "legacy2025_cat_query_cs.RO_AND_neural_2of5619_6cats.xml"

THURSDAY = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)


def atom_papers(name: str) -> list[Paper]:
    """The entries of a recorded arXiv API response as Papers (a minimal test-side parser)."""
    root = ET.parse(DATA / name).getroot()
    papers = []
    for entry in root.iter(f"{ATOM}entry"):
        parsed = parse_arxiv_id(entry.findtext(f"{ATOM}id", ""))
        assert parsed is not None
        base, version = parsed
        primary = entry.find(f"{ARXIV}primary_category")
        cats = [c.get("term", "") for c in entry.iter(f"{ATOM}category")]
        if primary is not None:
            cats = [primary.get("term", ""), *(c for c in cats if c != primary.get("term"))]
        papers.append(
            Paper(
                id=base,
                version=version,
                title=collapse_whitespace(entry.findtext(f"{ATOM}title", "")),
                abstract=collapse_whitespace(entry.findtext(f"{ATOM}summary", "")),
                authors=tuple(n.findtext(f"{ATOM}name", "") for n in entry.iter(f"{ATOM}author")),
                categories=tuple(cats),
                published=date.fromisoformat(entry.findtext(f"{ATOM}published", "")[:10]),
                updated=date.fromisoformat(entry.findtext(f"{ATOM}updated", "")[:10]),
                comment=_text(entry, "comment"),
                journal_ref=_text(entry, "journal_ref"),
                doi=_text(entry, "doi"),
                sources=(Sighting("arxiv-api:query", "arXiv API"),),
            )
        )
    return papers


def _text(entry: ET.Element, name: str) -> str | None:
    value = entry.findtext(f"{ARXIV}{name}")
    return collapse_whitespace(value) if value else None


def sample_papers() -> list[Paper]:
    """12 papers: the two cs.RO ones announced Friday 2026-11-27 via RSS, one more on
    Thursday, and the Del Maestro papers (condensed matter) dated by publication only."""
    robotics = [
        replace(
            p,
            announced=FRIDAY,
            sources=(Sighting("arxiv-rss:cs.RO", "arXiv (cs.RO)", "new", FRIDAY),),
        )
        for p in atom_papers(ROBOTICS)
    ]
    maestro = atom_papers(DEL_MAESTRO)
    # One Del Maestro paper re-announced on Thursday, seen in a followed journal feed too.
    thursday = replace(
        maestro[0],
        announced=THURSDAY,
        sources=(
            Sighting("arxiv-rss:cond-mat.mes-hall", "arXiv (cond-mat.mes-hall)", "replace"),
            Sighting("feed:Physical Review B", "Physical Review B"),
        ),
    )
    return [*robotics, thursday, *maestro[1:]]


def fill_store(store: Store, papers: list[Paper] | None = None) -> list[Paper]:
    papers = sample_papers() if papers is None else papers
    store.upsert_papers(papers)
    return papers


def fill_cache(papers: list[Paper] | None = None) -> list[Paper]:
    """Store papers in the cache the CLI will open (RADAR_HOME of the running test)."""
    with Store.open(load_settings().db_path) as store:
        return fill_store(store, papers)


def printed_ids(command: str, *args: str) -> list[str]:
    """`radar COMMAND ARGS` piped: the id column of each printed line (asserts exit 0)."""
    from tests.conftest import invoke

    result = invoke(command, *args)
    assert result.exit_code == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]
