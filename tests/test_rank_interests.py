"""radar.rank.interests: what the reader told radar, and when that makes the model stale."""

from __future__ import annotations

from pathlib import Path

from radar.config.settings import load_settings
from radar.rank.interests import Interests
from radar.store import Store


def interests(home: Path, toml: str) -> Interests:
    (home / "radar.toml").write_text(toml)
    settings = load_settings()
    with Store.open(settings.db_path) as store:
        return Interests.load(store, settings)


def test_a_followed_authors_aliases_count_as_the_author(radar_home: Path) -> None:
    found = interests(
        radar_home,
        '[follow]\nauthors = ["Yantao Li"]\n'
        '[follow.aliases]\n"Li, Yantao" = ["Yan-Tao Li", "Y. Li"]\n"Ann Other" = ["A. Other"]\n',
    )
    assert found.authors == ("y li", "yan tao li", "yantao li")  # not "a other"
