"""Paper rendering: Rich table and cards, every export format, and literal network text."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date

import pytest
from rich.console import Console

from radar.paper import Paper, Sighting
from radar.render.console import make_console
from radar.render.export import CSV_FIELDS, JSON_FIELDS, PaperFormat, bibtex_key, export, to_bibtex
from radar.render.papers import plain_line, print_papers
from tests.reading_samples import sample_papers

EVIL = "[bold]Evil[/bold] [link=https://evil.example]x[/link] \x1b[31mred\x1b]0;pwned\x07 \x9b2J"
SCHEMA = {
    "id": str,
    "version": (int, type(None)),
    "title": str,
    "authors": list,
    "categories": list,
    "primary_category": (str, type(None)),
    "published": (str, type(None)),
    "updated": (str, type(None)),
    "announced": (str, type(None)),
    "abstract": str,
    "doi": (str, type(None)),
    "journal_ref": (str, type(None)),
    "comment": (str, type(None)),
    "url": (str, type(None)),
    "pdf_url": (str, type(None)),
    "sources": list,
    "starred": bool,
    "read": bool,
}


@pytest.fixture
def papers() -> list[Paper]:
    return sample_papers()


def terminal(width: int = 120, *, no_color: bool = False) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=True, width=width, no_color=no_color, highlight=False
    )
    return console, buffer


def evil_paper() -> Paper:
    return Paper(
        id="2611.00001",
        version=2,
        title=EVIL,
        abstract="Abstract with [italic]markup[/italic] and $\\mathcal{O}(n^2)$\n   wrapped.",
        authors=("[red]Mallory[/red]", "Yantao Li"),
        categories=("cs.CR",),
        announced=date(2026, 11, 27),
        comment="\x1b[2J clears",
        sources=(Sighting("feed:[b]x[/b]", "[b]Feed[/b]"),),
    )


def _visible(output: str) -> str:
    """Terminal output without SGR colour codes and OSC 8 hyperlinks (what a reader sees)."""
    output = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", output)
    return re.sub(r"\x1b\[[0-9;]*m", "", output)


@pytest.mark.parametrize("fmt", [PaperFormat.table, PaperFormat.cards])
def test_markup_and_escapes_in_network_text_print_as_characters(fmt: PaperFormat) -> None:
    console, buffer = terminal(width=400)
    print_papers(console, [evil_paper()], fmt)
    output = buffer.getvalue()
    visible = _visible(output)
    assert "[bold]Evil[/bold]" in visible
    assert "[link=https://evil.example]x[/link]" in visible
    assert "\\x1b[31mred" in visible and "\\x9b2J" in visible
    assert "evil.example" not in re.findall(r"\x1b\]8;[^;]*;([^\x1b]*)", output)
    # The only escape sequences left are Rich's own styles and links, never the title's.
    assert "\x1b[31m" not in output and "\x1b]0;" not in output and "\x9b" not in output
    if fmt is PaperFormat.cards:
        assert "[red]Mallory[/red]" in visible and "[italic]markup[/italic]" in visible


def test_show_card_has_every_detail_literal() -> None:
    from radar.render.terminal import full_card

    console, buffer = terminal(width=300)
    paper = replace(
        evil_paper(), doi="10.1/x", journal_ref="J. Test 1 (2026)", versions=(1, 2), starred=True
    )
    console.print(full_card(paper, followed=set()))
    visible = _visible(buffer.getvalue())
    for expected in [
        "2611.00001v2",
        "[red]Mallory[/red], Yantao Li",
        "cs.CR",
        "\\x1b[2J clears",
        "J. Test 1 (2026)",
        "10.1/x",
        "https://doi.org/10.1/x",
        "v1, v2",
        "[b]Feed[/b]",
        "https://arxiv.org/abs/2611.00001",
        "https://arxiv.org/pdf/2611.00001",
        "★ starred",
    ]:
        assert expected in visible, expected
    assert "\x1b[2J" not in buffer.getvalue()


def test_card_header_title_link_and_followed_author_highlight(papers: list[Paper]) -> None:
    console, buffer = terminal(width=200)
    rdd = papers[0]
    print_papers(console, [rdd], PaperFormat.cards, followed_authors=["Li, Jiachen"])
    output = buffer.getvalue()
    lines = _visible(output).splitlines()
    assert lines[0] == "arXiv (cs.RO) · 2026-11-27"
    assert lines[1].startswith("RDD: Retrieval-Based Demonstration Decomposer")
    assert "\x1b]8;id=" in output and "https://arxiv.org/abs/2510.14968" in output
    # The followed author is styled (bold yellow), the others are not.
    assert re.search(r"\x1b\[1;33mJiachen Li\x1b\[0m", output)
    assert not re.search(r"\x1b\[[0-9;]+mMingxuan Yan", output)


def test_latex_stays_and_whitespace_collapses() -> None:
    paper = evil_paper()
    console, buffer = terminal(width=400)
    print_papers(console, [paper], PaperFormat.cards)
    assert "$\\mathcal{O}(n^2)$ wrapped." in _visible(buffer.getvalue())
    assert "$\\mathcal{O}(n^2)$ wrapped." in plain_line(replace(paper, title=paper.abstract))


def test_table_has_one_row_per_paper_with_marks(papers: list[Paper]) -> None:
    console, buffer = terminal(width=160)
    marked = [replace(papers[0], starred=True), replace(papers[2], read=True)]
    print_papers(console, marked, PaperFormat.table)
    visible = _visible(buffer.getvalue())
    assert visible.splitlines()[0].split()[:4] == ["id", "date", "category", "title"]
    assert "2510.14968" in visible and "cs.RO" in visible and "★" in visible
    assert "1201.4869" in visible and "✓" in visible
    assert "Mingxuan Yan, Yuping Wang" in visible


def test_no_color_keeps_styles_out_of_colour(papers: list[Paper]) -> None:
    console, buffer = terminal(no_color=True)
    print_papers(console, papers[:2], PaperFormat.cards, followed_authors=["Jiachen Li"])
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", buffer.getvalue())


def test_make_console_honours_no_color_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not make_console().no_color
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_console().no_color
    monkeypatch.setenv("NO_COLOR", "")
    assert not make_console().no_color
    assert make_console(no_color=True).no_color


def test_piped_default_is_tab_separated_plain_text(papers: list[Paper]) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False)
    print_papers(console, [papers[0], evil_paper()], None)
    lines = buffer.getvalue().splitlines()
    assert lines[0].split("\t") == [
        "2510.14968",
        "2026-11-27",
        "arXiv (cs.RO)",
        "RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks",
        "Mingxuan Yan, Yuping Wang, Zechun Liu, Jiachen Li",
        "",
    ]
    assert len(lines[1].split("\t")) == 6
    assert "\x1b" not in buffer.getvalue() and "\\x1b[31mred" in lines[1]


def test_json_matches_the_schema_and_keeps_text_exact(papers: list[Paper]) -> None:
    data = json.loads(export([*papers, evil_paper()], PaperFormat.json))
    assert len(data) == 13
    for record in data:
        assert tuple(record) == JSON_FIELDS
        for key, kind in SCHEMA.items():
            assert isinstance(record[key], kind), (key, record[key])
    rdd = data[0]
    assert rdd["id"] == "2510.14968" and rdd["version"] == 1
    assert rdd["categories"][0] == rdd["primary_category"] == "cs.RO"
    assert rdd["authors"][:2] == ["Mingxuan Yan", "Yuping Wang"]
    assert rdd["announced"] == "2026-11-27" and rdd["published"] == "2025-10-16"
    assert rdd["url"] == "https://arxiv.org/abs/2510.14968"
    assert rdd["pdf_url"] == "https://arxiv.org/pdf/2510.14968v1"  # the version radar holds
    assert rdd["sources"] == ["arXiv (cs.RO)"]
    assert data[2]["doi"] == "10.1142/S021797921244002X"
    assert data[-1]["title"] == EVIL  # exact, though escaped in the JSON text
    assert "\x1b" not in export([evil_paper()], PaperFormat.json)
    assert "\x9b" not in export([evil_paper()], PaperFormat.json)


def test_jsonl_is_one_object_per_line(papers: list[Paper]) -> None:
    lines = export(papers, PaperFormat.jsonl).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [p.id for p in papers]


def test_csv_round_trips(papers: list[Paper]) -> None:
    rows = list(csv.DictReader(io.StringIO(export([*papers, evil_paper()], PaperFormat.csv))))
    assert tuple(rows[0]) == CSV_FIELDS
    assert len(rows) == 13
    for row, paper in zip(rows, papers, strict=False):
        assert row["id"] == paper.id
        assert row["title"] == paper.title
        assert row["authors"].split("; ") == list(paper.authors)
        assert row["categories"].split(" ") == list(paper.categories)
        assert row["abstract"] == paper.abstract
        assert row["doi"] == (paper.doi or "")
    assert rows[-1]["title"] == EVIL.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace(
        "\x9b", "\\x9b"
    )


def test_markdown_escapes_markup_and_links_to_arxiv(papers: list[Paper]) -> None:
    text = export([papers[2], evil_paper()], PaperFormat.markdown)
    assert "## [A Luttinger Liquid Core Inside Helium-4 Filled Nanopores]" in text
    assert "(https://arxiv.org/abs/1201.4869)" in text
    assert "[PDF](https://arxiv.org/pdf/1201.4869v1)" in text
    assert "\\[bold\\]Evil" in text and "](https://evil.example)" not in text
    assert "$\\mathcal{O}(n^2)$" in text


def _parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """A strict little BibTeX reader: @type{key, name = {balanced value}, ...}."""
    entries = []
    pos = 0
    header = re.compile(r"\s*@(\w+)\{([^,\s]+),\n")
    field = re.compile(r"\s*(\w+) = \{")
    while pos < len(text.rstrip()):
        match = header.match(text, pos)
        assert match, text[pos : pos + 80]
        kind, key, pos = match.group(1), match.group(2), match.end()
        fields: dict[str, str] = {}
        while True:
            fmatch = field.match(text, pos)
            assert fmatch, text[pos : pos + 80]
            depth, start, i = 1, fmatch.end(), fmatch.end()
            while depth:
                if text[i] == "\\":
                    i += 2
                    continue
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            fields[fmatch.group(1)] = text[start : i - 1]
            if text.startswith(",\n", i):
                pos = i + 2
                continue
            assert text.startswith("\n}\n", i), text[i : i + 20]
            pos = i + 3
            break
        entries.append((kind, key, fields))
        pos = len(text) if not text[pos:].strip() else text.index("@", pos)
    return entries


def test_bibtex_parses_with_arxiv_fields_and_unique_keys(papers: list[Paper]) -> None:
    unbalanced = replace(evil_paper(), title="Half {open and 100% & #1 $x_{1}$")
    twin = replace(papers[3], id="cond-mat/0412499")  # same author, year and title word
    entries = _parse_bibtex(to_bibtex([*papers, twin, unbalanced]))
    assert len(entries) == 14
    keys = [key for _, key, _ in entries]
    assert len(set(keys)) == len(keys)
    kind, key, fields = entries[2]
    assert (kind, key) == ("misc", "maestro2012luttinger")
    assert fields["eprint"] == "1201.4869"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["primaryClass"] == "cond-mat.mes-hall"
    assert fields["doi"] == "10.1142/S021797921244002X"
    assert fields["author"] == "Adrian Del Maestro"
    assert fields["year"] == "2012"
    assert "doi" not in entries[0][2]  # none known
    assert entries[0][2]["author"].split(" and ")[:2] == ["Mingxuan Yan", "Yuping Wang"]
    assert keys[3] + "a" == keys[12]
    # Unbalanced braces are escaped; LaTeX specials &, %, # too.
    assert entries[-1][2]["title"] == r"Half \{open and 100\% \& \#1 $x_\{1\}$"


def test_bibtex_key_is_ascii(papers: list[Paper]) -> None:
    paper = replace(papers[0], authors=("José Ñúñez",), title="Über die Theorie")
    assert bibtex_key(paper) == "nunez2025uber"
    assert bibtex_key(replace(paper, authors=(), published=None, announced=None, title="")) == (
        "paper251014968"
    )


LINK_ID = re.compile(r"\x1b\]8;id=[^;]*;")


@pytest.mark.parametrize("width", [20, 60, 80, 120, 200])
@pytest.mark.parametrize("no_color", [False, True], ids=["color", "no-color"])
def test_table_is_written_without_rich_byte_for_byte_as_rich_writes_it(
    papers: list[Paper], width: int, no_color: bool
) -> None:
    from rich.style import Style
    from rich.text import Text

    from radar.render.table import table_lines, table_text

    shown = [
        replace(
            papers[0],
            starred=True,
            score=0.87,
            snippet=(("a lead of words before the ", False), ("match", True), (" [b]x", False)),
        ),
        replace(papers[1], read=True, version=4, announce_type="replace"),
        *papers[2:],
        evil_paper(),
        Paper(id="cond-mat/0412498", title="漢字 wide " * 9, authors=("A B",) * 12),
    ]
    console, buffer = terminal(width, no_color=no_color)
    for line in table_lines(shown, width):
        text = Text(no_wrap=True, overflow="ellipsis")
        for piece in line:
            text.append(piece.text, Style.parse(" ".join(piece.style) or "none"))
            if piece.link:
                text.stylize(Style(link=piece.link), len(text) - len(piece.text))
        console.print(text)
    mine = table_text(shown, width=width, styles="mono" if no_color else "color")
    assert LINK_ID.sub("", mine) == LINK_ID.sub("", buffer.getvalue())
    assert all(len(_visible(line)) <= width for line in mine.splitlines())


def test_terminal_styles_and_size_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from radar.render.console import terminal_size, terminal_styles

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "97")
    assert terminal_styles(io.StringIO()) == "color"
    assert terminal_styles(io.StringIO(), no_color=True) == "mono"
    assert terminal_size()[0] == 97
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_styles(io.StringIO()) == "mono"
    monkeypatch.setenv("TERM", "dumb")  # no escapes at all, and Rich's 80 columns
    assert terminal_styles(io.StringIO()) == "none" and terminal_size() == (80, 25)
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    monkeypatch.setenv("TERM", "xterm")
    assert terminal_styles(io.StringIO()) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ASCII",
        "Sánchez, Øystein, Łukasz, ǅ ʃ",
        "α-β ∑",
        "漢字",
        "e\u0301",
        "★✓",
        "…",
        "—",
    ],
)
def test_cells_are_counted_as_rich_counts_them(text: str) -> None:
    from rich.cells import cell_len

    from radar.render.columns import cells

    assert cells(text) == cell_len(text)
