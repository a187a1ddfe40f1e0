"""`radar brief` and `radar briefs` as a user runs them: stdout, stderr, files, exit codes.

Also the cache as seen from the command line, and which paths never import litellm.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from radar.brief import llm
from radar.cli import app
from radar.store import Store
from tests.brief_data import make_papers, quant_ph_day
from tests.conftest import SRC, heavy_imports
from tests.fake_llm import HALLUCINATED_ID, FakeLLM

DAY = "2026-11-20"


@pytest.fixture
def home(radar_home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A RADAR_HOME whose radar.toml points [llm] at the fake server, with 6 papers cached."""
    monkeypatch.setenv("RADAR_TODAY", DAY)
    monkeypatch.setattr(llm, "BACKOFF_BASE", 0.0)
    write_config(radar_home, fake_llm)
    with Store.open(radar_home / "radar.db") as store:
        store.upsert_papers(make_papers(6))
    return radar_home


def write_config(home: Path, fake: FakeLLM, extra: str = "", api_base: str | None = None) -> None:
    (home / "radar.toml").write_text(
        '[follow]\nauthors = ["Yantao Li"]\ncategories = ["cs.AI"]\n\n'
        f'[llm]\nmodel = "{fake.model}"\napi_base = "{api_base or fake.api_base}"\n'
        f"max_retries = 1\n{extra}"
    )


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_brief_prints_only_markdown_on_stdout(home: Path, fake_llm: FakeLLM) -> None:
    result = run("brief", "--today")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"# Research brief: {DAY} · 6 papers\n")
    assert "## Appendix: all 6 papers" in result.stdout
    assert "brief #1: 1 call," in result.stderr and "tokens in" in result.stderr
    assert "cost unknown" in result.stderr
    assert "brief #" not in result.stdout and len(fake_llm.calls) == 1


def test_second_run_comes_from_the_cache_without_any_http_call(
    home: Path, fake_llm: FakeLLM
) -> None:
    first = run("brief", "--date", DAY)
    fake_llm.calls.clear()
    again = run("brief", "--date", DAY)
    assert again.exit_code == 0
    assert again.stdout == first.stdout
    assert "from the cache" in again.stderr and fake_llm.calls == []
    refreshed = run("brief", "--date", DAY, "--refresh")
    assert refreshed.exit_code == 0 and len(fake_llm.calls) == 1


def test_filters_select_the_papers(home: Path, fake_llm: FakeLLM) -> None:
    result = run("brief", "--since", DAY, "--category", "cs.AI")
    assert result.exit_code == 0, result.stderr
    prompt = fake_llm.calls[0].prompt
    assert "2611.10000" in prompt and "2611.10005" in prompt  # both cs.AI
    assert "2611.10001" not in prompt
    assert "· 2 papers" in result.stdout


def test_output_file_is_written_and_stdout_stays_empty(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "brief.md"
    umask = os.umask(0o022)
    try:
        result = run("brief", "--today", "-o", str(target))
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text().startswith("# Research brief")
    assert f"wrote {target}" in result.stderr
    assert [p.name for p in target.parent.iterdir()] == ["brief.md"]
    assert target.stat().st_mode & 0o777 == 0o644  # not the temp file's private 0600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_llm_exits_1_and_leaves_the_output_untouched(
    home: Path, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    write_config(home, fake_llm, api_base=f"http://127.0.0.1:{free_port()}/v1")
    target = tmp_path / "brief.md"
    yesterday = "# Research brief: 2026-11-19 · 4 papers\n"
    target.write_text(yesterday)
    result = run("brief", "--today", "-o", str(target))
    assert result.exit_code == 1
    assert "error: cannot reach the LLM at http://127.0.0.1:" in result.stderr
    assert "--no-llm" in result.stderr
    assert target.read_text() == yesterday
    assert [p.name for p in tmp_path.iterdir() if p.name != "radar-home"] == ["brief.md"]
    assert result.stdout == ""


def test_server_errors_are_retried_then_succeed(home: Path, fake_llm: FakeLLM) -> None:
    fake_llm.fail_first = 1
    fake_llm.fail_status = 503
    result = run("brief", "--today")
    assert result.exit_code == 0, result.stderr
    assert "retry 1 of 1" in result.stderr
    assert [c.status for c in fake_llm.calls] == [503, 200]


def test_missing_api_key_is_a_clear_error(
    home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    result = run("brief", "--today")
    assert result.exit_code == 1
    assert "OPENAI_API_KEY" in result.stderr and "--no-llm" in result.stderr
    assert fake_llm.calls == []


@pytest.mark.parametrize("status", [200, 401])
def test_api_key_is_never_printed_or_stored(
    home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-0123456789")
    if status == 401:  # the provider rejects the key and quotes it back in its error
        fake_llm.fail_first, fake_llm.fail_status = 1, 401
    result = run("brief", "--today")
    assert result.exit_code == (0 if status == 200 else 1), result.stderr
    assert [c.status for c in fake_llm.calls][:1] == [status]
    if status == 401:
        assert "rejected the credentials" in result.stderr
    assert "sk-secret" not in result.stdout + result.stderr
    for path in home.iterdir():
        assert b"sk-secret" not in path.read_bytes()


def test_hallucinated_id_is_reported_on_stderr(home: Path, fake_llm: FakeLLM) -> None:
    fake_llm.hallucinate = True
    result = run("brief", "--today")
    assert result.exit_code == 0
    assert f"cited 1 arXiv id(s) not among the papers ({HALLUCINATED_ID})" in result.stderr
    assert f"arxiv.org/abs/{HALLUCINATED_ID}" not in result.stdout


def test_dry_run_makes_no_call_and_shows_the_plan(home: Path, fake_llm: FakeLLM) -> None:
    with Store.open(home / "radar.db") as store:
        store.upsert_papers(quant_ph_day())
    write_config(home, fake_llm, "max_input_tokens = 8000\nmax_output_tokens = 800\n")
    result = run("brief", "--date", "2025-04-28", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert fake_llm.calls == []
    assert "papers:   81 (2025-04-28; quant-ph 62, " in result.stdout
    assert "batches:  " in result.stdout and "1 synthesis" in result.stdout
    assert "cost unknown" in result.stdout
    assert run("briefs", "--format", "json").stdout.strip() == "[]"


def test_model_and_prompt_file_flags_override_the_config(
    home: Path, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    prompt = tmp_path / "prompt.md"
    prompt.write_text("Summarise $paper_count papers for a chemist.\n$task\n")
    result = run("brief", "--today", "--model", "openai/other-model", "--prompt-file", str(prompt))
    assert result.exit_code == 0, result.stderr
    body = fake_llm.calls[0].body
    assert body["model"] == "other-model"
    assert body["messages"][0]["content"].startswith("Summarise 6 papers for a chemist.")


def test_bad_prompt_template_is_a_config_error(home: Path, tmp_path: Path) -> None:
    prompt = tmp_path / "prompt.md"
    prompt.write_text("Summarise $papers\n")
    result = run("brief", "--today", "--prompt-file", str(prompt))
    assert result.exit_code == 1
    assert "unknown template variable $papers" in result.stderr


def test_no_papers_exits_1(home: Path, fake_llm: FakeLLM) -> None:
    result = run("brief", "--date", "2020-01-01")
    assert result.exit_code == 1
    assert "no papers match" in result.stderr and fake_llm.calls == []


def test_no_llm_digest_groups_by_follow_and_category(home: Path, fake_llm: FakeLLM) -> None:
    result = run("brief", "--today", "--no-llm")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith(f"# Digest: {DAY} · 6 papers")
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[0] == "## Followed author: Yantao Li"
    assert "## cs.AI (followed)" in sections
    assert "We study" in text and "Second sentence" not in text
    assert "[2611.10003](https://arxiv.org/abs/2611.10003)" in text
    assert fake_llm.calls == []


def test_briefs_lists_and_show_reprints(home: Path) -> None:
    written = run("brief", "--today").stdout
    listed = run("briefs", "--format", "json")
    data = json.loads(listed.stdout)
    assert len(data) == 1 and data[0]["id"] == 1 and data[0]["papers"] == 6
    assert data[0]["model"] == "openai/fake-brief-model"
    table = run("briefs")
    assert table.stdout.split()[0] == "1" and "Research brief" in table.stdout
    shown = run("brief", "--show", "1")
    assert shown.exit_code == 0 and shown.stdout == written
    missing = run("brief", "--show", "99")
    assert missing.exit_code == 1 and "no stored brief with id 99" in missing.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "--today", "--no-llm"],
        ["brief", "--today", "--dry-run"],
        ["brief", "--today", "--dry-run", "--model", "anthropic/claude-haiku-4-5"],
        ["briefs"],
        ["brief", "--help"],
    ],
)
def test_paths_without_a_model_do_not_import_litellm(home: Path, args: list[str]) -> None:
    env = {"RADAR_HOME": str(home), "RADAR_TODAY": DAY}
    imported, result = heavy_imports(*args, env=env, heavy=("litellm", "openai"))
    assert imported == [], result.stderr
    assert result.stdout.strip()


def test_terminal_escapes_in_abstracts_never_reach_stdout(home: Path) -> None:
    paper = make_papers(1)[0]
    with Store.open(home / "radar.db") as store:
        store.upsert_papers([replace(paper, id="2611.20000", abstract="Bad \x1b[31mred\x1b[0m.")])
    result = run("brief", "--today", "--no-llm")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "Bad \\x1b" in result.stdout


def test_brief_without_filters_briefs_the_latest_day_and_says_so(home: Path) -> None:
    with Store.open(home / "radar.db") as store:  # an older day that must not be briefed
        store.upsert_papers(make_papers(20, day=date(2026, 11, 19))[10:])
    result = run("brief", "--no-llm")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"# Digest: {DAY} · 6 papers\n")
    assert "2611.10019" not in result.stdout
    assert "no filter given: briefing the latest announcement day (as --today)" in result.stderr


def test_brief_into_a_closed_pipe_ends_quietly(home: Path) -> None:
    """`radar brief | head -1` once head has its line and is gone: no traceback, exit 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has left: every write now fails with EPIPE
    brief = subprocess.Popen(
        [sys.executable, "-m", "radar", "brief", "--today", "--no-llm"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    os.close(write_end)
    assert brief.stderr is not None
    stderr = brief.stderr.read().decode()
    assert brief.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "Broken" not in stderr, stderr
