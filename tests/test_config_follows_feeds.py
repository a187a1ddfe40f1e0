"""`radar follow feed` / `radar unfollow feed` edit [[feeds]] in radar.toml, keeping comments."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from radar.config.follows import add_feed, remove_feed
from radar.config.schema import validate_text
from radar.config.settings import load_settings
from radar.errors import ConfigError
from tests.conftest import invoke

NATURE = "https://www.nature.com/nature.rss"
BIORXIV = "https://connect.biorxiv.org/biorxiv_xml/plant_biology"
COMMENTED = f"""\
# my radar
[follow]
authors = ["Ada Lovelace"]  # first

# journals I read
[[feeds]]
name = "Nature"  # weekly
url = "{NATURE}"

[llm]
model = "gpt-4o-mini" # cheap
"""


def feeds_of(path: Path) -> list[dict[str, str]]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("feeds", [])


@pytest.fixture
def config(radar_home: Path) -> Path:
    path = radar_home / "radar.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def test_follow_feed_appends_a_table_and_unfollow_restores_the_file(config: Path) -> None:
    result = invoke("follow", "feed", BIORXIV, "--name", "bioRxiv Plant Biology", "--kind", "rss")
    assert result.exit_code == 0
    assert "following feed 'bioRxiv Plant Biology'" in result.stderr
    assert feeds_of(config) == [
        {"name": "Nature", "url": NATURE},
        {"name": "bioRxiv Plant Biology", "url": BIORXIV, "kind": "rss"},
    ]
    text = config.read_text(encoding="utf-8")
    assert "# journals I read" in text and "# weekly" in text and "# cheap" in text
    assert load_settings().follow.feeds[1].name == "bioRxiv Plant Biology"
    result = invoke("unfollow", "feed", "BIORXIV plant biology")  # any case
    assert result.exit_code == 0
    assert "unfollowed feed 'bioRxiv Plant Biology'" in result.stderr
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_unfollow_by_url_and_last_feed_removes_the_table(config: Path) -> None:
    assert invoke("unfollow", "feed", NATURE).exit_code == 0
    assert feeds_of(config) == []
    assert "[[feeds]]" not in config.read_text(encoding="utf-8")
    assert "# journals I read" in config.read_text(encoding="utf-8")


def test_following_the_same_url_again_is_a_no_op(config: Path) -> None:
    result = invoke("follow", "feed", NATURE, "--name", "Nature again")
    assert result.exit_code == 0
    assert "already following that URL as feed 'Nature'" in result.stderr
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_name_defaults_to_the_host(config: Path) -> None:
    assert invoke("follow", "feed", "https://www.pnas.org/feed.rss").exit_code == 0
    assert feeds_of(config)[-1] == {"name": "pnas.org", "url": "https://www.pnas.org/feed.rss"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["follow", "feed", "https://other.org/rss", "--name", "nature"],
            "a feed named 'nature' already exists",
        ),
        (
            ["follow", "feed", "ftp://x.org/rss", "--name", "X"],
            "'ftp://x.org/rss' is not a feed URL",
        ),
        (["follow", "feed", "nature.rss", "--name", "X"], "is not a feed URL"),
        (["follow", "feed", "https://x.org/rss", "--name", "  "], "the feed name is empty"),
        (
            ["unfollow", "feed", "Science"],
            "not following a feed named 'Science' (hint: followed feeds: 'Nature'",
        ),
    ],
)
def test_invalid_feed_edits_write_nothing(config: Path, args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_bad_kind_is_a_usage_error(config: Path) -> None:
    assert invoke("follow", "feed", BIORXIV, "--kind", "json").exit_code == 2
    assert config.read_text(encoding="utf-8") == COMMENTED


def test_first_feed_follow_creates_config_from_the_example(radar_home: Path) -> None:
    result = invoke("follow", "feed", NATURE, "--name", "Nature")
    assert result.exit_code == 0 and "created" in result.stderr
    config = radar_home / "radar.toml"
    assert feeds_of(config) == [{"name": "Nature", "url": NATURE}]
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    assert data["follow"]["categories"] == []  # only what was asked: not the example's samples
    assert '# name = "PLOS ONE"' in config.read_text(encoding="utf-8")
    listed = invoke("follows", "--format", "json")
    assert '"name": "Nature"' in listed.stdout


def test_add_feed_validates_the_whole_file_before_writing(config: Path) -> None:
    # kind is checked by the config schema, so add_feed with a bad kind must write nothing.
    settings = load_settings()
    with pytest.raises(ConfigError, match=r"feeds\.kind"):
        add_feed(settings, BIORXIV, "B", "json")
    assert config.read_text(encoding="utf-8") == COMMENTED
    with pytest.raises(ConfigError):
        remove_feed(settings, "nobody")


def test_example_lists_useful_feeds_that_validate_when_uncommented() -> None:
    root = Path(__file__).resolve().parent.parent
    text = (root / "radar.toml.example").read_text(encoding="utf-8")
    uncommented = re.sub(r"(?m)^# (\[\[feeds\]\]|name =|url =|kind =)", r"\1", text)
    feeds = validate_text(uncommented, root / "radar.toml.example")["feeds"]
    names = " ".join(f["name"] for f in feeds)
    for wanted in (
        "bioRxiv",
        "medRxiv",
        "Nature",
        "Science",
        "PNAS",
        "Cell",
        "PLOS ONE",
        "JMLR",
        "ACL Anthology",
    ):
        assert wanted in names
    assert all(f["url"].startswith("https://") for f in feeds)
