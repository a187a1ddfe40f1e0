"""radar.rank.interests: what the reader told radar, and when that makes the model stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.rank.interests import Interests
from radar.store import Store
from tests.conftest import invoke


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


def test_keywords_and_exclusions_are_compared_lower_cased_and_single_spaced(
    radar_home: Path,
) -> None:
    found = interests(
        radar_home,
        '[interests]\nkeywords = ["Knowledge  Distillation", "knowledge distillation", " ", "GNN"]'
        '\nexclude = ["Survey", "  "]\n',
    )
    assert found.keywords == ("gnn", "knowledge distillation")
    assert found.exclude == ("survey",)
    assert not found.empty


def test_without_stars_authors_or_keywords_there_is_nothing_to_rank_by(radar_home: Path) -> None:
    from radar.rank.interests import NoInterestsError

    found = interests(
        radar_home, '[follow]\ncategories = ["quant-ph"]\n[interests]\nexclude = ["survey"]\n'
    )
    assert found.empty  # followed categories and exclusions only push papers down or sample
    with pytest.raises(NoInterestsError):
        found.require()
    result = invoke("list", "--sort", "relevance")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "error: radar does not know your interests yet: nothing to rank by (hint: star a few "
        'papers you liked (radar star ID), or radar follow keyword "your topic")\n'
    )
    for toml in ('[follow]\nauthors = ["Yantao Li"]\n', '[interests]\nkeywords = ["gnn"]\n'):
        found = interests(radar_home, toml)
        assert not found.empty
        found.require()  # no NoInterestsError


def test_followed_categories_are_interests_and_blank_aliases_are_not(radar_home: Path) -> None:
    def following(*categories: str) -> Interests:
        return interests(
            radar_home,
            f'[follow]\nauthors = ["Yantao Li"]\ncategories = {list(categories)!r}\n'
            '[follow.aliases]\n"Yantao Li" = ["", " -- "]\n',
        )

    two = following("quant-ph", "cs.LG")
    assert two.authors == ("yantao li",)  # a blank alias would match papers' blank names
    assert two.categories == ("cs.LG", "quant-ph")  # what negatives are sampled from
    one = following("quant-ph")
    assert one.categories == ("quant-ph",)
    # Following another category makes the stored model stale, as a new star or keyword does.
    assert one.fingerprint != two.fingerprint
    assert following("quant-ph").fingerprint == one.fingerprint
