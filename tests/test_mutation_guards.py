"""Behaviours a mutation probe found unguarded (issue 14): each test here fails on the named bug.

Each was checked by hand: the mutation in the test's docstring applied to src/radar, the test
seen failing, the mutation reverted.
"""

from __future__ import annotations

import itertools
import os
import random
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from radar.brief.prompts import load_template
from radar.brief.writer import BriefRequest, plan_brief
from radar.cli import app
from radar.config.settings import Follows, LLMSettings
from radar.errors import ExitStatus
from radar.files import write_atomic
from radar.filters import Filters
from radar.paper import Paper, Sighting, normalize_name
from radar.store import Store, fulltext, queries, selection
from tests.brief_data import make_papers

# --- the filter path for a big category or source -----------------------------------------


def _big_cache(store: Store, count: int = 120) -> None:
    store.upsert_papers(
        [
            Paper(
                id=f"2611.{i:05d}",
                title=f"paper {i}",
                authors=(f"Author {i}",),
                categories=("cs.LG",) if i % 3 == 0 else ("cs.AI", "cs.CV"),
                announced=date(2026, 11, 1 + i % 27),
                sources=(
                    (Sighting("feed:Nature", "Nature"),)
                    if i % 4 == 0
                    else (Sighting("arxiv-rss:cs.AI", "arXiv (cs.AI)"),)
                ),
            )
            for i in range(count)
        ]
    )


def _expected(store: Store, where: str) -> list[str]:
    rows = store.conn.execute(f"SELECT id FROM papers p WHERE {where} ORDER BY day DESC, id DESC")
    return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("filters", "where"),
    [
        (
            Filters(categories=("cs.LG", "hep-th")),
            "pk IN (SELECT paper_pk FROM paper_categories WHERE category IN ('cs.LG','hep-th'))",
        ),
        (
            Filters(sources=("nature",)),
            "pk IN (SELECT paper_pk FROM paper_sources WHERE source = 'feed:Nature')",
        ),
        (
            Filters(categories=("cs.AI", "cs.LG"), sources=("nature",)),
            "pk IN (SELECT paper_pk FROM paper_sources WHERE source = 'feed:Nature')",
        ),
    ],
    ids=["categories", "source", "both"],
)
def test_a_big_category_or_source_filter_returns_exactly_its_papers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: Filters, where: str
) -> None:
    """Mutation: `m.{column} IN (...)` -> `NOT IN` in the >= SPARSE path of `Selection.member`."""
    monkeypatch.setattr(selection, "SPARSE", 20)  # 120 papers stand for >= 5,000 rows
    with Store.open(tmp_path / "big.db") as store:
        _big_cache(store)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        got = [p.id for p in queries.select_papers(store, filters)]
        store.conn.set_trace_callback(None)
        assert any("EXISTS (SELECT 1 FROM" in s for s in statements)  # the big-set path ran
        assert got == _expected(store, where)
        assert got  # a filter that matched nothing would pass vacuously


# --- radar brief -o: temp file + rename, nothing left behind, one error line ---------------


def test_write_atomic_replaces_the_file_instead_of_rewriting_it(tmp_path: Path) -> None:
    """Mutation: `write_atomic` writing `path` in place (no temp file, no rename).

    A reader holding the old file (a pager, an editor, a sync client) keeps a whole old file:
    the new text arrives as a new file renamed over the name, never as a half-rewritten one.
    """
    folder = tmp_path / "briefs"
    folder.mkdir()
    target = folder / "brief.md"
    target.write_text("old brief\n")
    reader = folder / "held-by-a-reader.md"
    os.link(target, reader)
    write_atomic(target, "new brief\n")
    assert target.read_text() == "new brief\n"
    assert reader.read_text() == "old brief\n"
    assert sorted(p.name for p in folder.iterdir()) == ["brief.md", "held-by-a-reader.md"]


def test_write_atomic_leaves_no_temp_file_when_it_fails(tmp_path: Path) -> None:
    """Mutation: the `Path(temp).unlink(...)` cleanup removed from `write_atomic`."""
    folder = tmp_path / "briefs"
    target = folder / "brief.md"
    target.mkdir(parents=True)  # the rename over a directory fails after the temp file is written
    with pytest.raises(OSError):
        write_atomic(target, "text\n")
    assert [p.name for p in folder.iterdir()] == ["brief.md"]
    assert list(target.iterdir()) == []


@pytest.fixture
def brief_home(radar_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-20")
    (radar_home / "radar.toml").write_text('[follow]\ncategories = ["cs.AI"]\n')
    with Store.open(radar_home / "radar.db") as store:
        store.upsert_papers(make_papers(3))
    return radar_home


def test_brief_to_an_unwritable_path_is_one_error_line(brief_home: Path, tmp_path: Path) -> None:
    """Mutation: `write_brief_file` letting the OSError through (a traceback, no hint)."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder would be\n")
    target = blocker / "brief.md"
    result = CliRunner().invoke(app, ["brief", "--today", "--no-llm", "-o", str(target)])
    assert result.exit_code == ExitStatus.STORAGE, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot use {target}: "), lines
    assert "(hint: " in lines[0] and "Traceback" not in result.output
    assert blocker.read_text() == "a file where a folder would be\n"


# --- map-reduce batches are balanced --------------------------------------------------------


def _fewest_max(sizes: list[int], groups: int) -> int:
    """The smallest possible largest batch when `sizes` are cut into `groups` contiguous runs."""
    best = sum(sizes)
    for cuts in itertools.combinations(range(1, len(sizes)), groups - 1):
        edges = (0, *cuts, len(sizes))
        best = min(best, max(sum(sizes[a:b]) for a, b in itertools.pairwise(edges)))
    return best


def test_twelve_papers_are_split_into_even_batches_not_greedily() -> None:
    """Mutation: `_balanced` returning `_greedy(sizes, budget)` (first batch filled to the brim).

    Batches run concurrently, so the slowest (largest) decides how long a brief takes.
    """
    papers = make_papers(12, words=80)
    settings = LLMSettings(model="openai/fake", max_input_tokens=3000, max_output_tokens=300)
    request = BriefRequest(llm=settings, follows=Follows(), template=load_template(None))
    plan = plan_brief(papers, request, estimate=True)
    assert len(plan.batches) == 2
    assert sum(len(b) for b in plan.batches) == 12
    sizes = [t // len(b) for t, b in zip(plan.batch_tokens, plan.batches, strict=True)]
    assert max(plan.batch_tokens) - min(plan.batch_tokens) <= max(sizes) + 1
    assert [len(b) for b in plan.batches] == [6, 6]


def test_balanced_batches_have_the_smallest_possible_largest_batch() -> None:
    """Same mutation, on uneven sizes: the largest batch is the optimum over all cuts."""
    from radar.brief.plan import _balanced

    for sizes, budget in [
        ([90, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 90], 200),
        ([50, 60, 70, 80, 90, 100, 40, 30, 20, 10, 5, 5], 250),
        ([100] * 12, 700),
    ]:
        groups = _balanced(sizes, budget)
        assert [i for g in groups for i in g] == list(range(12))  # all, in order
        loads = [sum(sizes[i] for i in g) for g in groups]
        assert max(loads) <= budget
        assert max(loads) == _fewest_max(sizes, len(groups)), (sizes, loads)


def test_balanced_batches_are_the_fewest_and_evenest_for_any_sizes() -> None:
    """Against brute force: the fewest batches under the budget (papers that fill it exactly
    make one batch), and among those the smallest largest batch."""
    from radar.brief.plan import _balanced

    draw = random.Random(14)
    cases = [([50, 50], 100), ([30, 30, 40], 100), ([60, 40, 60, 40], 100)]
    cases += [([3, 9, 10, 3, 2, 9, 5], 12), ([7, 8, 6, 7, 6, 1], 25)]  # search steps of one
    for _ in range(40):
        sizes = [draw.randint(5, 120) for _ in range(draw.randint(2, 10))]
        cases.append((sizes, draw.randint(max(sizes), sum(sizes))))
    for sizes, budget in cases:
        groups = _balanced(sizes, budget)
        assert [i for g in groups for i in g] == list(range(len(sizes)))
        fewest = next(n for n in range(1, len(sizes) + 1) if _fewest_max(sizes, n) <= budget)
        loads = [sum(sizes[i] for i in g) for g in groups]
        assert (len(groups), max(loads)) == (fewest, _fewest_max(sizes, fewest)), (sizes, budget)


# --- search: a match in the title ranks above one in the abstract ---------------------------


def test_a_title_match_ranks_above_abstract_matches(tmp_path: Path) -> None:
    """Mutation: `_BM25` weights made equal (`bm25(papers_fts, 1.0, 1.0, 1.0)`)."""
    filler = " ".join(f"word{i}" for i in range(40))
    papers = [
        Paper(id="2611.00001", title="Quasar lensing survey", abstract=filler, authors=("A B",)),
        Paper(
            id="2611.00002",
            title="A note on galaxies",
            abstract="quasar lensing quasar lensing in a short abstract",
            authors=("C D",),
        ),
        Paper(
            id="2611.00003",
            title="Clusters",
            abstract=f"{filler} quasar lensing {filler}",
            authors=("E F",),
        ),
    ]
    with Store.open(tmp_path / "search.db") as store:
        store.upsert_papers(papers)
        got = [p.id for p in fulltext.search(store, "quasar lensing", Filters())]
    assert got == ["2611.00001", "2611.00002", "2611.00003"]


# --- author names: punctuation separates name parts -----------------------------------------


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Y.-T. Li", "Y. T. Li"),
        ("Anna-Lena Müller", "Anna Lena Muller"),
        ("O'Brien, J.", "J O Brien"),
    ],
)
def test_punctuation_in_names_separates_parts(tmp_path: Path, written: str, typed: str) -> None:
    """Mutation: `normalize_name` deleting punctuation instead of turning it into a space."""
    assert normalize_name(written) == normalize_name(typed)
    with Store.open(tmp_path / "names.db") as store:
        store.upsert_papers(
            [
                Paper(id="2611.00001", title="one", authors=(written, "Someone Else")),
                Paper(id="2611.00002", title="two", authors=("Other Person",)),
            ]
        )
        assert [p.id for p in queries.select_papers(store, Filters(authors=(typed,)))] == [
            "2611.00001"
        ]


def test_names_fold_to_their_parts() -> None:
    """Same mutation, the folded forms themselves (what the cache's name index holds)."""
    assert normalize_name("Y.-T. Li") == "y t li"
    assert normalize_name("Anna-Lena Müller") == "anna lena muller"
    assert normalize_name("Li, Y.-T.") == "y t li"


def test_write_atomic_creates_missing_folders_and_keeps_the_files_mode(tmp_path: Path) -> None:
    """Found by mutmut on files.py: `mkdir(parents=False)` and a dropped `os.chmod` survived."""
    target = tmp_path / "briefs" / "2026" / "brief.md"
    write_atomic(target, "first\n")  # `radar brief -o briefs/2026/brief.md` on a fresh machine
    assert target.read_text() == "first\n"
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    target.chmod(0o640)  # the user's own choice survives a rewrite
    write_atomic(target, "second\n")
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["brief.md"]
