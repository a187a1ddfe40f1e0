"""radar.toml lookup, precedence and validation: what `radar config` and `radar path` report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radar.config.settings import DEFAULT_CATEGORIES, load_settings
from radar.errors import ConfigError
from tests.conftest import invoke


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_uses_default_follows(radar_home: Path) -> None:
    settings = load_settings()
    assert not settings.config_exists
    assert settings.follow.categories == DEFAULT_CATEGORIES
    assert settings.follow.authors == ()
    assert settings.db_path == radar_home / "radar.db"


def test_default_follows_are_announced_once_on_stderr() -> None:
    first = invoke("follows")
    second = invoke("follows")
    assert "following the defaults cs.AI, cs.CV" in first.stderr
    assert "radar follow" in first.stderr
    assert "defaults" not in second.stderr
    assert first.stdout == "category\tcs.AI\ncategory\tcs.CV\n"  # piped: tab-separated


def test_config_lookup_order(
    tmp_path: Path, radar_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home_cfg = write(radar_home / "radar.toml", '[follow]\nauthors = ["Home"]\n')
    env_cfg = write(tmp_path / "env.toml", '[follow]\nauthors = ["Env"]\n')
    flag_cfg = write(tmp_path / "flag.toml", '[follow]\nauthors = ["Flag"]\n')
    assert load_settings().config_path == home_cfg
    monkeypatch.setenv("RADAR_CONFIG", str(env_cfg))
    assert load_settings().follow.authors == ("Env",)
    assert load_settings(config_flag=flag_cfg).follow.authors == ("Flag",)


def test_platform_config_dir_when_no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_HOME")
    settings = load_settings()
    assert settings.config_path == tmp_path / "xdg-config" / "radar" / "radar.toml"
    assert settings.db_path == tmp_path / "xdg-data" / "radar" / "radar.db"


def test_db_path_precedence(
    tmp_path: Path, radar_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(radar_home / "radar.toml", 'db_path = "papers/cache.db"\n')
    assert load_settings().db_path == radar_home / "papers" / "cache.db"
    monkeypatch.setenv("RADAR_DB", str(tmp_path / "env.db"))
    assert load_settings().db_path == tmp_path / "env.db"
    assert load_settings(db_flag=tmp_path / "flag.db").db_path == tmp_path / "flag.db"


def test_config_command_reports_origins(tmp_path: Path, radar_home: Path) -> None:
    write(radar_home / "radar.toml", "[arxiv]\ndelay_seconds = 5\n")
    result = invoke("--db", str(tmp_path / "x.db"), "config", "--format", "json")
    values = json.loads(result.stdout)
    assert values["arxiv.delay_seconds"] == {"value": 5.0, "origin": "radar.toml"}
    assert values["arxiv.timeout_seconds"] == {"value": 30.0, "origin": "default"}
    assert values["db_path"] == {"value": str(tmp_path / "x.db"), "origin": "--db"}
    assert values["config_path"]["origin"] == "env RADAR_HOME"


def test_config_file_with_no_follows_follows_nothing(radar_home: Path) -> None:
    write(radar_home / "radar.toml", "[follow]\nauthors = []\ncategories = []\n")
    settings = load_settings()
    assert not settings.follow
    result = invoke("follows")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing is followed" in result.stderr


def test_path_command(radar_home: Path) -> None:
    result = invoke("path", "--format", "json")
    data = json.loads(result.stdout)
    assert data["config"] == str(radar_home / "radar.toml")
    assert data["database"] == str(radar_home / "radar.db")
    assert data["config_exists"] is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[follow\nauthors = []\n", "invalid TOML"),
        (
            "[arxiv]\ndelay_secnds = 2\n",
            "line 2: arxiv.delay_secnds: unknown key (did you mean 'delay_seconds'?)",
        ),
        (
            '[arxiv]\n\ntimeout_seconds = "slow"\n',
            "line 3: arxiv.timeout_seconds: expected a number from 0.1 to 3,600, got 'slow'",
        ),
        (
            '[follow]\ncategories = ["cs.AI", "cs.XYZ"]\n',
            "line 2: follow.categories: 'cs.XYZ' is not an arXiv category",
        ),
        ('[follow]\nauthors = ["  "]\n', "line 2: follow.authors: an author name is empty"),
        ('[follow]\nauthors = "Yantao Li"\n', "line 2: follow.authors: expected a list of strings"),
        (
            "[llm]\nconcurrency = 0\n",
            "line 2: llm.concurrency: expected a whole number from 1 to 64, got 0",
        ),
        ('[[feeds]]\nname = "X"\n', "feeds: a [[feeds]] table has no 'url'"),
        ("colour = true\n", "line 1: colour: unknown key"),
    ],
)
def test_bad_config_is_one_clear_line_exit_1(radar_home: Path, text: str, message: str) -> None:
    path = write(radar_home / "radar.toml", text)
    result = invoke("follows")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}")
    assert message in lines[0]
    with pytest.raises(ConfigError):
        load_settings()


def test_debug_env_shows_traceback(radar_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(radar_home / "radar.toml", "[follow\n")
    monkeypatch.setenv("RADAR_DEBUG", "1")
    with pytest.raises(ConfigError):
        invoke("follows")


def test_config_error_hint_does_not_send_the_user_to_a_failing_command(tmp_path: Path) -> None:

    broken = tmp_path / "typo.toml"
    broken.write_text("[arxiv]\ndelay_secnds = 3\n[ui]\npager = false\n", encoding="utf-8")
    result = invoke("--config", str(broken), "config")
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "line 2: arxiv.delay_secnds: unknown key (did you mean 'delay_seconds'?)" in line
    hint = line.split("(hint: ", 1)[1]
    assert "radar.toml.example" in hint and "`radar" not in hint
    broken.write_text("[ui]\npager = 'no'\n", encoding="utf-8")
    assert "ui.pager: expected true or false" in invoke("--config", str(broken), "path").stderr


def test_path_table_says_where_each_file_is_and_whether_it_exists(radar_home: Path) -> None:
    lines = invoke("path").stdout.splitlines()
    assert lines == [
        f"config\t{radar_home / 'radar.toml'}\tmissing: built-in defaults in use",
        f"database\t{radar_home / 'radar.db'}\tcreated by the first sync",
    ]
    (radar_home / "radar.toml").write_text('[follow]\ncategories = ["quant-ph"]\n')
    assert invoke("path").stdout.splitlines()[0].endswith("\texists")


def test_config_table_shows_each_value_and_where_it_came_from(radar_home: Path) -> None:
    (radar_home / "radar.toml").write_text(
        '[arxiv]\ndelay_seconds = 7\n[follow]\ncategories = ["quant-ph"]\n'
    )
    result = invoke("config")
    assert result.exit_code == 0, result.stderr
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in result.stdout.splitlines()}
    assert rows["arxiv.delay_seconds"] == ["7.0", "radar.toml"]
    assert rows["follow.categories"] == ["quant-ph", "radar.toml"]
    assert rows["arxiv.timeout_seconds"] == ["30.0", "default"]
    assert rows["db_path"] == [str(radar_home / "radar.db"), "env RADAR_HOME"]


def test_an_unreadable_config_is_one_error_line_for_every_command(radar_home: Path) -> None:
    (radar_home / "radar.toml").write_bytes(b"\xff\xfe[arxiv]\ndelay_seconds = 7\n")
    for command in (["list"], ["config"], ["sync", "--dry-run"]):
        result = invoke(*command)
        assert result.exit_code == 1, (command, result.stdout)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            f"error: cannot read {radar_home / 'radar.toml'}: 'utf-8' codec can't decode"
        ), (command, lines)
        assert "Traceback" not in result.stderr


def test_a_folder_where_the_config_should_be_is_an_error_not_an_empty_config(
    tmp_path: Path, radar_home: Path
) -> None:
    folder = tmp_path / "radar.toml"
    folder.mkdir()
    flagged = invoke("--config", str(folder), "list")
    assert flagged.exit_code == 1
    assert flagged.stderr.strip().splitlines() == [
        f"error: --config {folder} is a folder, not a config file (hint: fix the path; without "
        "--config radar reads $RADAR_CONFIG, $RADAR_HOME/radar.toml or the file `radar path` shows)"
    ]
    (radar_home / "radar.toml").mkdir()
    result = invoke("list")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {radar_home / 'radar.toml'} (")
    assert "is not a file" in lines[0]
