"""Every numeric setting has a documented valid range, checked with the usual one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.config.schema import RANGES, shown
from tests.conftest import invoke

README = Path(__file__).parent.parent / "README.md"
SETTINGS = [(table, key) for table, keys in RANGES.items() for key in keys]


def config(home: Path, table: str, key: str, value: object) -> None:
    (home / "radar.toml").write_text(f"[{table}]\n{key} = {value}\n")


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("arxiv", "timeout_seconds", 0),
        ("arxiv", "max_retries", 1_000_000_000),
        ("arxiv", "page_size", 100_000_000),
        ("arxiv", "delay_seconds", -1),
        ("llm", "concurrency", 0),
        ("llm", "temperature", 7.5),
    ],
)
def test_the_issues_examples_are_rejected_in_one_line(
    radar_home: Path, table: str, key: str, value: object
) -> None:
    config(radar_home, table, key, value)
    result = invoke("config")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "Traceback" not in result.stderr  # type: ignore[attr-defined]
    low, high = RANGES[table][key]
    assert f"line 2: {table}.{key}: expected a" in lines[0]
    assert f"from {shown(low)} to {shown(high)}, got {value}" in lines[0]


@pytest.mark.parametrize(("table", "key"), SETTINGS)
def test_both_ends_of_every_range_are_accepted_and_beyond_them_rejected(
    radar_home: Path, table: str, key: str
) -> None:
    low, high = RANGES[table][key]
    for value, ok in ((low, True), (high, True), (high * 10 + 1, False)):
        shown = int(value) if float(value).is_integer() else value
        config(radar_home, table, key, shown)
        assert (invoke("config").exit_code == 0) is ok, (key, value)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("table", "key"), SETTINGS)
def test_every_range_is_documented_in_the_readme(table: str, key: str) -> None:
    text = README.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(f"| `[{table}] {key}`"))
    low, high = RANGES[table][key]
    assert f"valid: {shown(low)} to {shown(high)} |" in row, row
