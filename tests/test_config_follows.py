"""`radar follow` / `radar unfollow` edit radar.toml in place and never write invalid input."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import invoke

COMMENTED = """\
# my radar
[follow]
# people I read
authors = ["Ada Lovelace"]  # first
categories = ["cs.AI"]

[arxiv]
delay_seconds = 4.0 # be extra polite
"""


def follows_of(path: Path) -> dict[str, list[str]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["follow"]


def test_first_follow_creates_config_following_only_what_was_asked(radar_home: Path) -> None:
    result = invoke("follow", "category", "quant-ph")
    assert result.exit_code == 0
    config = radar_home / "radar.toml"
    assert "created" in result.stderr
    # Not the example's sample follows (Yantao Li, cs.AI, cs.CV); its comments are kept.
    assert follows_of(config) == {"authors": [], "categories": ["quant-ph"]}
    assert "# arXiv's terms: one request every 3 s" in config.read_text()
    assert json.loads(invoke("follows", "--format", "json").stdout)["categories"] == ["quant-ph"]


def test_first_unfollow_keeps_the_other_default(radar_home: Path) -> None:
    assert invoke("unfollow", "category", "cs.CV").exit_code == 0
    assert follows_of(radar_home / "radar.toml") == {"authors": [], "categories": ["cs.AI"]}


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "empty"),
        ("X", "too short"),
        ("A" * 201, "201 characters"),
        ("Yantao\x1b[31mLi", "control characters"),
    ],
)
def test_follow_author_rejects_what_cannot_be_a_name(radar_home: Path, name: str, why: str) -> None:
    result = invoke("follow", "author", name)
    assert result.exit_code == 1 and why in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (radar_home / "radar.toml").exists()


def test_follow_and_unfollow_round_trip_keeps_comments(radar_home: Path) -> None:
    config = radar_home / "radar.toml"
    config.write_text(COMMENTED, encoding="utf-8")
    assert invoke("follow", "author", "Yantao Li").exit_code == 0
    assert invoke("follow", "category", "cs.CV", "q-bio.NC").exit_code == 0
    assert follows_of(config) == {
        "authors": ["Ada Lovelace", "Yantao Li"],
        "categories": ["cs.AI", "cs.CV", "q-bio.NC"],
    }
    assert invoke("unfollow", "author", "Yantao Li").exit_code == 0
    assert invoke("unfollow", "category", "cs.CV", "q-bio.NC").exit_code == 0
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_edits_keep_the_config_files_permissions(radar_home: Path) -> None:
    config = radar_home / "radar.toml"
    config.write_text(COMMENTED, encoding="utf-8")
    config.chmod(0o640)
    assert invoke("follow", "author", "Yantao Li").exit_code == 0
    assert config.stat().st_mode & 0o777 == 0o640  # not the temp file's 0600
    assert not [p for p in radar_home.iterdir() if p.name.endswith(".tmp")]


def test_follow_twice_is_a_no_op_with_a_message(radar_home: Path) -> None:
    config = radar_home / "radar.toml"
    config.write_text(COMMENTED, encoding="utf-8")
    result = invoke("follow", "author", "lovelace, ada")
    assert result.exit_code == 0
    assert "already following author" in result.stderr
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_category_codes_are_canonicalised(radar_home: Path) -> None:
    (radar_home / "radar.toml").write_text(COMMENTED, encoding="utf-8")
    invoke("follow", "category", "CS.lg")
    assert follows_of(radar_home / "radar.toml")["categories"] == ["cs.AI", "cs.LG"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["follow", "category", "cs.AII"],
            "'cs.AII' is not an arXiv category (hint: did you mean 'cs.AI'?)",
        ),
        (["follow", "category", "cs.CV", "nonsense"], "'nonsense' is not an arXiv category"),
        (["follow", "author", "  "], "an author name is empty"),
        (["unfollow", "author", "Nobody"], "not following author 'Nobody'"),
    ],
)
def test_invalid_follow_writes_nothing(radar_home: Path, args: list[str], message: str) -> None:
    config = radar_home / "radar.toml"
    config.write_text(COMMENTED, encoding="utf-8")
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_follow_refuses_to_edit_an_invalid_file(radar_home: Path) -> None:
    config = radar_home / "radar.toml"
    config.write_text("[arxiv]\nspeed = 1\n", encoding="utf-8")
    result = invoke("follow", "author", "Yantao Li")
    assert result.exit_code == 1
    assert "arxiv.speed: unknown key" in result.stderr
    assert config.read_text(encoding="utf-8") == "[arxiv]\nspeed = 1\n"


def test_follow_without_values_is_a_usage_error() -> None:
    assert invoke("follow", "author").exit_code == 2
