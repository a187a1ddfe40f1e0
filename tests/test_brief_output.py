"""`radar brief -o FILE` never destroys what a user keeps: the cache, the config, the prompt,
or any file radar did not write, unless --force says so (and the first three not even then).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from radar.brief import llm
from radar.cli import app
from radar.store import Store
from tests.brief_data import make_papers
from tests.fake_llm import FakeLLM

DAY = "2026-11-20"


@pytest.fixture
def home(radar_home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RADAR_TODAY", DAY)
    monkeypatch.setattr(llm, "BACKOFF_BASE", 0.0)
    (radar_home / "radar.toml").write_text(
        '[follow]\ncategories = ["cs.AI"]\n\n'
        f'[llm]\nmodel = "{fake_llm.model}"\napi_base = "{fake_llm.api_base}"\nmax_retries = 1\n'
    )
    with Store.open(radar_home / "radar.db") as store:
        store.upsert_papers(make_papers(3))
    store_star(radar_home / "radar.db")
    return radar_home


def store_star(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO user_state (paper_id, starred, updated_at) SELECT id, 1, 'now' FROM papers"
        )
    conn.close()


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def refused(result: object, fragment: str) -> None:
    assert result.exit_code == 2, result.stderr  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("error: refusing"), lines
    assert fragment in lines[0]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_cache_and_its_journal_are_never_overwritten(
    home: Path, fake_llm: FakeLLM, suffix: str
) -> None:
    target = home / f"radar.db{suffix}"
    before = target.read_bytes() if target.exists() else None
    result = run("brief", "--today", "--force", "-o", str(target))
    refused(result, "the cache database")
    assert (target.read_bytes() if target.exists() else None) == before
    assert fake_llm.calls == []  # refused before any paid call
    with Store.open(home / "radar.db") as store:
        stars = store.conn.execute("SELECT count(*) FROM user_state WHERE starred = 1")
        assert stars.fetchone()[0] == 3


def test_a_symlink_to_the_cache_is_the_cache(home: Path, tmp_path: Path) -> None:
    link = tmp_path / "innocent.md"
    link.symlink_to(home / "radar.db")
    refused(run("brief", "--today", "--no-llm", "-o", str(link)), "the cache database")
    with Store.open(home / "radar.db") as store:
        assert store.conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 3


def test_the_config_in_use_is_never_overwritten(home: Path) -> None:
    config = home / "radar.toml"
    before = config.read_text()
    refused(run("brief", "--today", "--no-llm", "--force", "-o", str(config)), "config")
    assert config.read_text() == before
    other = home.parent / "other.toml"
    other.write_text(before)
    result = run("--config", str(other), "brief", "--today", "--no-llm", "-o", str(other))
    refused(result, "the config file in use")


def test_the_prompt_file_is_never_overwritten(home: Path) -> None:
    prompt = home / "my-prompt.md"
    prompt.write_text("You brief papers.\n\n$task\n")
    result = run("brief", "--today", "--prompt-file", str(prompt), "-o", str(prompt), "--force")
    refused(result, "the prompt file")
    assert prompt.read_text() == "You brief papers.\n\n$task\n"


def test_an_existing_file_radar_did_not_write_needs_force(home: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# My thesis notes\n\nprecious\n")
    refused(run("brief", "--today", "--no-llm", "-o", str(notes)), "not a brief radar wrote")
    assert notes.read_text() == "# My thesis notes\n\nprecious\n"
    forced = run("brief", "--today", "--no-llm", "-o", str(notes), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert notes.read_text().startswith(f"# Digest: {DAY} · 3 papers\n")


def test_a_brief_radar_wrote_is_replaced_without_force(
    home: Path, tmp_path: Path, fake_llm: FakeLLM
) -> None:
    target = tmp_path / "today.md"
    assert run("brief", "--today", "--no-llm", "-o", str(target)).exit_code == 0
    again = run("brief", "--today", "-o", str(target))
    assert again.exit_code == 0, again.stderr
    assert target.read_text().startswith(f"# Research brief: {DAY} · 3 papers\n")
    empty = tmp_path / "empty.md"
    empty.touch()
    assert run("brief", "--today", "--no-llm", "-o", str(empty)).exit_code == 0


def test_a_binary_file_is_not_taken_for_a_brief(home: Path, tmp_path: Path) -> None:
    blob = tmp_path / "data.bin"
    blob.write_bytes(b"\xff\xfe# Digest: x \xc2\xb7 3 papers\n")
    refused(run("brief", "--today", "--no-llm", "-o", str(blob)), "not a brief")
    assert os.path.getsize(blob) == 26
