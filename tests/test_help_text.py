"""Every --help at 80 columns, piped and on a terminal (both plain text): no type names, choices
that wrap between words, examples on their own lines at the end, one meaning per short option."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from radar.cli import COMMANDS, app

SUBCOMMANDS = {
    "follow": ["author", "category", "feed", "keyword", "alias"],
    "unfollow": ["author", "alias"],
}
SCREENS = [[name] for name in COMMANDS] + [
    [group, sub] for group, subs in SUBCOMMANDS.items() for sub in subs
]
LEAKS = re.compile(
    r"<(?:bool|str|int|float|list|path|file|text|int range|float range)[^>]*>|\{\w+\}"
)
ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


def help_screen(args: list[str], monkeypatch: pytest.MonkeyPatch, *, terminal: bool) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    if terminal:
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="radar")
    assert result.exit_code == 0, result.stderr
    return ESCAPES.sub("", result.stdout)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
def test_help_reads_well_at_80_columns(
    args: list[str], terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_screen(args, monkeypatch, terminal=terminal)
    assert not LEAKS.search(text), LEAKS.search(text)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Shuffle button" not in text and "Docs: README.md" not in text
    assert " | radar " not in text  # examples are lines, not a pipe-looking run-on
    for word in ("markdown", "bibtex", "jsonl"):  # --format's choices never split mid-word
        if "--format" in text and "bibtex" in text:
            assert word in re.sub(r"\s*[│|]\s*", " ", text)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("args", [a for a in SCREENS if a not in (["follow"], ["unfollow"])])
def test_each_command_ends_with_examples_on_their_own_lines(
    args: list[str], terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_screen(args, monkeypatch, terminal=terminal)
    lines = [line.strip(" │") for line in text.splitlines() if line.strip(" │")]
    start = max(i for i, line in enumerate(lines) if line in ("Examples:", "Example:"))
    examples = lines[start + 1 :]  # the help ends with them
    assert 1 <= len(examples) <= 3 and all(e.startswith("radar ") for e in examples), text


def test_short_options_mean_the_same_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    meanings: dict[str, set[str]] = {}
    for args in SCREENS:
        for short, long in re.findall(
            r"(-[a-z]), (--[a-z-]+)", help_screen(args, monkeypatch, terminal=False)
        ):
            meanings.setdefault(short, set()).add(long)
    assert meanings["-l"] == {"--long"}
    assert meanings["-n"] <= {"--limit", "--number"}
    assert all(len(longs) == 1 for short, longs in meanings.items() if short != "-n"), meanings


def test_usage_names_arguments_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_screen(["show"], monkeypatch, terminal=False)
    assert "show [OPTIONS] ID..." in text
    assert (
        "FORMAT" in text
        and "One of: table, cards, json, jsonl, csv, markdown, bibtex." in " ".join(text.split())
    )


def test_completion_is_offered_and_completes_values(
    monkeypatch: pytest.MonkeyPatch, radar_home
) -> None:  # type: ignore[no-untyped-def]
    from radar.cli import app

    text = help_screen([], monkeypatch, terminal=False)
    assert "--install-completion" in text and "--show-completion" in text
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Yantao Li"]\ncategories = ["quant-ph"]\n'
        '[[feeds]]\nname = "Nature"\nurl = "https://www.nature.com/nature.rss"\n',
        encoding="utf-8",
    )

    def complete(words: str) -> list[str]:
        monkeypatch.setenv("_RADAR_COMPLETE", "complete_bash")
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv(
            "COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1))
        )
        result = CliRunner().invoke(app, [], prog_name="radar")
        return result.stdout.splitlines()

    assert complete("radar list --category cs.A") == ["cs.AI", "cs.AR"]
    assert complete("radar list --author Yan") == ["Yantao Li"]
    assert "Nature" in complete("radar list --source N")
    assert complete("radar unfollow category ") == ["quant-ph"]
    assert complete("radar sync --feed Na") == ["Nature"]


SNAPSHOTS = Path(__file__).parent / "data" / "help"


def snapshot_name(args: list[str]) -> str:
    return "radar-" + "-".join(args) + ".txt"


@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
def test_help_at_80_columns_matches_its_reviewed_snapshot(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/data/help/ holds every help screen as a reader sees it at 80 columns, so a change
    to any help text shows up in review. After an intended change, rewrite them with
    `RADAR_UPDATE_HELP=1 pytest tests/test_help_text.py` and read the diff."""
    text = help_screen(args, monkeypatch, terminal=False)
    path = SNAPSHOTS / snapshot_name(args)
    if os.environ.get("RADAR_UPDATE_HELP") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with RADAR_UPDATE_HELP=1"
    assert text == path.read_text(encoding="utf-8")


def test_no_snapshot_is_left_from_a_removed_help_screen() -> None:
    assert {p.name for p in SNAPSHOTS.glob("*.txt")} == {snapshot_name(a) for a in SCREENS}


@pytest.mark.parametrize("args", SCREENS, ids=" ".join)
def test_readme_documents_every_option_of_every_help_screen(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    text = help_screen(args, monkeypatch, terminal=False)
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text)) - {"--help"}
    missing = sorted(o for o in options if o not in readme)
    assert not missing, f"README.md does not mention {missing} of `radar {' '.join(args)}`"
