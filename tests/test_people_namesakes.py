"""Namesakes: two real, unrelated groups of papers signed with one name, told apart and pinned.

The test copy renames Adrian Del Maestro (condensed matter, 2004-2014, 11 papers) and three
software-testing researchers (cs.SE, 2019-2025, 6 papers) to one name, "Yantao Li".
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.author_feed import api_entries, api_page, renamed
from tests.conftest import invoke
from tests.fake_arxiv import FakeArxiv

NAME = "Yantao Li"
QUERY = 'au:"Yantao Li"'
PHYSICS = ("Adrian Del Maestro", "A. Del Maestro")
SOFTWARE = ("Hong Zhu", "Helge Spieker", "Leonardo Mariani")
PAGES = (
    "arxiv-api/legacy2016_author_au_del_maestro_10of31.xml",
    "arxiv-api/legacy2016_idlist_1111.2011v2_doi_journalref_2cats.xml",
    "arxiv-api/api2026_query_testing_start0_max10.json",
    "arxiv-api/api2026_query_testing_start10_max10.json",
)
PHYSICS_IDS = {
    "1201.4869", "cond-mat/0412498", "cond-mat/0603029", "1005.5383", "1303.6954", "1312.6177",
    "1412.6529", "cond-mat/0607501", "cond-mat/0702661", "0807.2873", "1111.2011",
}  # fmt: skip
SOFTWARE_IDS = {"1912.09881", "1912.04900", "2202.12139", "2407.18756", "2502.07719", "2301.13615"}


def one_name(name: str) -> str:
    return NAME if name in PHYSICS + SOFTWARE else name


def serve_namesakes(fake: FakeArxiv) -> None:
    """The API's answer to au:"Yantao Li": the two groups' 17 papers, now all signed NAME."""
    entries = [renamed(e, one_name) for e in api_entries(*PAGES)]
    mine = [
        e
        for e in entries
        if any(n.text == NAME for n in e.iter("{http://www.w3.org/2005/Atom}name"))
    ]
    assert len(mine) == 17
    fake.add_api(QUERY, 0, api_page(mine, PAGES[0]))


def configure(home: Path, fake: FakeArxiv) -> None:
    (home / "radar.toml").write_text(fake.config() + f'[follow]\nauthors = ["{NAME}"]\n')


def synced(home: Path, fake: FakeArxiv) -> None:
    serve_namesakes(fake)
    configure(home, fake)
    result = invoke("sync")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]


def ids_listed(*args: str) -> set[str]:
    result = invoke("list", "--format", "json", "--limit", "0", *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return {p["id"] for p in json.loads(result.stdout)}  # type: ignore[attr-defined]


def test_radar_author_separates_the_two_people(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    synced(radar_home, fake_arxiv)
    assert ids_listed("--author", NAME) == PHYSICS_IDS | SOFTWARE_IDS  # a name follow takes all
    result = invoke("author", NAME, "--format", "json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    people = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [set(p["papers"]) for p in people] == [PHYSICS_IDS, SOFTWARE_IDS]
    physics, software = people
    assert physics["person"] == 1 and software["person"] == 2
    assert physics["years"] == [2004, 2014] and software["years"] == [2019, 2025]
    assert set(physics["categories"]) >= {"cond-mat.str-el", "cond-mat.stat-mech"}
    assert all(c.startswith("cond-mat") or c == "quant-ph" for c in physics["categories"])
    assert physics["categories"]["cond-mat.stat-mech"] == 6
    assert "Subir Sachdev" in physics["coauthors"] and NAME not in physics["coauthors"]
    assert set(software["categories"]) == {"cs.SE", "cs.AI", "cs.LG"}
    assert physics["papers"][0] == "1412.6529"  # newest first


def test_radar_author_table_shows_each_person_on_a_line(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    synced(radar_home, fake_arxiv)
    lines = invoke("author", NAME).stdout.splitlines()  # type: ignore[attr-defined]
    assert [line.split("\t")[:3] for line in lines] == [
        ["1", "11", "2004-2014"],
        ["2", "6", "2019-2025"],
    ]
    assert "cond-mat.stat-mech (6)" in lines[0] and "Subir Sachdev" in lines[0]


def test_pinning_a_paper_keeps_only_that_person(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    synced(radar_home, fake_arxiv)
    result = invoke("follow", "author", NAME, "--paper", "1303.6954v1")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    config = tomllib.loads((radar_home / "radar.toml").read_text())
    assert config["follow"]["pins"] == {NAME: ["1303.6954"]}
    assert ids_listed("--author", NAME) == PHYSICS_IDS
    assert ids_listed("--followed") == PHYSICS_IDS
    assert ids_listed("--author", "yantao  LI") == PHYSICS_IDS  # any spelling of the name
    digest = invoke("brief", "--no-llm", "--since", "2000-01-01").stdout  # type: ignore[attr-defined]
    followed = digest.split(f"## Followed author: {NAME}")[1].split("\n## ")[0]
    assert "1303.6954" in followed and "1912.09881" not in followed
    shown = invoke("follows").stdout  # type: ignore[attr-defined]
    assert f"author\t{NAME} · pinned to 1303.6954" in shown
    table = invoke("author", NAME).stdout.splitlines()  # type: ignore[attr-defined]
    assert [line.split("\t")[-1] for line in table] == ["followed", "set aside"]
    follows = json.loads(invoke("follows", "--format", "json").stdout)  # type: ignore[attr-defined]
    assert (follows["authors"], follows["pins"]) == ([NAME], {NAME: ["1303.6954"]})


def test_sync_says_how_many_papers_it_set_aside(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    synced(radar_home, fake_arxiv)
    invoke("follow", "author", NAME, "--paper", "2407.18756")  # the software-testing person
    result = invoke("sync", "-v")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert (
        f"note: author:{NAME}: 11 papers signed '{NAME}' look like someone else; "
        f"see radar author '{NAME}'"
    ) in result.stderr  # type: ignore[attr-defined]
    assert ids_listed("--author", NAME) == SOFTWARE_IDS
    as_json = json.loads(invoke("sync", "--json").stdout)  # type: ignore[attr-defined]
    assert as_json["follows"][0]["notes"][0].startswith("11 papers signed")


def test_pinning_a_paper_the_name_did_not_sign_is_refused(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    synced(radar_home, fake_arxiv)
    before = (radar_home / "radar.toml").read_text()
    result = invoke("follow", "author", "Subir Sachdev", "--paper", "1303.6954")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "1303.6954 is not signed 'Subir Sachdev'" in result.stderr  # type: ignore[attr-defined]
    assert (radar_home / "radar.toml").read_text() == before


def test_author_fetch_gets_the_names_papers_first(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    serve_namesakes(fake_arxiv)
    (radar_home / "radar.toml").write_text(fake_arxiv.config() + "[follow]\nauthors = []\n")
    result = invoke("author", NAME, "--fetch", "--format", "json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "fetched papers signed 'Yantao Li': 17 new" in result.stderr  # type: ignore[attr-defined]
    assert [len(p["papers"]) for p in json.loads(result.stdout)] == [11, 6]  # type: ignore[attr-defined]


def test_author_with_nothing_cached_says_what_to_do(radar_home: Path) -> None:
    result = invoke("author", NAME)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "--fetch" in result.stderr  # type: ignore[attr-defined]
