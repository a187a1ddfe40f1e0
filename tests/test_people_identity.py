"""Following a person by arXiv author id or ORCID: radar.toml, the author listing, sync, list."""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

from radar.config.person_ids import check_orcid, check_person_id, orcid_checksum
from radar.errors import ConfigError
from radar.sources.arxiv_author import feed_url, parse_author_feed
from tests.author_feed import api_entries, author_feed
from tests.conftest import invoke
from tests.fake_arxiv import FakeArxiv

DEL_MAESTRO_PAGE = "arxiv-api/legacy2016_author_au_del_maestro_10of31.xml"
MURRAY_ET_AL = "arxiv-api/legacy2016_idlist_1111.2011v2_doi_journalref_2cats.xml"
ORCID = "0000-0002-1825-0097"  # ORCID's own documented example identifier


def del_maestro_feed(person_id: str = "delmaestro_a_1") -> bytes:
    """Adrian Del Maestro's listing: 11 real papers, signed "Adrian Del Maestro" or "A. Del
    Maestro"."""
    return author_feed(person_id, "Adrian Del Maestro", api_entries(DEL_MAESTRO_PAGE, MURRAY_ET_AL))


def write_config(home: Path, fake: FakeArxiv, follow: str) -> None:
    (home / "radar.toml").write_text(fake.config() + "[follow]\ncategories = []\n" + follow)


def ids_listed(*args: str) -> list[str]:
    result = invoke("list", "--format", "json", "--limit", "0", *args)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return [p["id"] for p in json.loads(result.stdout)]  # type: ignore[attr-defined]


# --- checks ---------------------------------------------------------------------------------


def test_orcid_check_digit_is_iso_7064() -> None:
    assert orcid_checksum("000000021825009") == "7"
    assert orcid_checksum("000000021694233") == "X"  # ORCID's example with an X check digit
    assert check_orcid("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X"
    with pytest.raises(ConfigError, match="check digit"):
        check_orcid("0000-0002-1825-0098")
    with pytest.raises(ConfigError, match="not an ORCID"):
        check_orcid("0000-0002-1825")


def test_person_ids_take_the_forms_users_paste() -> None:
    assert check_person_id("li_y_1") == "li_y_1"
    assert check_person_id("https://arxiv.org/a/Grabec_I_1.html") == "grabec_i_1"
    assert check_person_id(ORCID) == ORCID
    with pytest.raises(ConfigError, match="not an arXiv author id"):
        check_person_id("Yantao Li")


# --- radar.toml -----------------------------------------------------------------------------


def test_follow_by_arxiv_id_and_orcid_writes_identities(radar_home: Path) -> None:
    first = invoke("follow", "author", "Adrian Del Maestro", "--arxiv-id", "delmaestro_a_1")
    assert first.exit_code == 0  # type: ignore[attr-defined]
    assert "following 'Adrian Del Maestro' as delmaestro_a_1" in first.stderr  # type: ignore[attr-defined]
    invoke("follow", "author", "Yantao Li", "--orcid", ORCID)
    config = tomllib.loads((radar_home / "radar.toml").read_text())
    assert config["follow"]["identities"] == {
        "Adrian Del Maestro": "delmaestro_a_1",
        "Yantao Li": ORCID,
    }
    assert config["follow"]["authors"] == []  # an identity is not a name follow
    shown = invoke("follows").stdout  # type: ignore[attr-defined]
    assert "person\tAdrian Del Maestro · arXiv author id delmaestro_a_1" in shown
    assert f"person\tYantao Li · ORCID {ORCID}" in shown


def test_a_bad_orcid_is_refused_and_nothing_is_written(radar_home: Path) -> None:
    result = invoke("follow", "author", "Yantao Li", "--orcid", "0000-0002-1825-0098")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "check digit is wrong" in result.stderr  # type: ignore[attr-defined]
    assert not (radar_home / "radar.toml").exists()


def test_a_bad_identity_in_radar_toml_names_the_line(radar_home: Path) -> None:
    (radar_home / "radar.toml").write_text('[follow.identities]\n"Yantao Li" = "Yantao Li"\n')
    result = invoke("follows")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "line 2: follow.identities.Yantao Li" in result.stderr  # type: ignore[attr-defined]


def test_unfollow_author_drops_the_identity(radar_home: Path) -> None:
    invoke("follow", "author", "Yantao Li", "--arxiv-id", "li_y_1")
    result = invoke("unfollow", "author", "yantao li")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "identities" not in tomllib.loads((radar_home / "radar.toml").read_text())["follow"]


# --- the listing ----------------------------------------------------------------------------


def test_listing_papers_are_versionless_ids_with_their_version_from_the_pdf_link() -> None:
    feed = parse_author_feed(del_maestro_feed())
    assert feed.display_name == "Adrian Del Maestro"
    papers = {p.id: p for p in feed.papers}
    assert len(papers) == 11
    assert papers["1111.2011"].version == 2
    assert papers["1111.2011"].categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert papers["1303.6954"].authors == ("B. Kulchytskyy", "G. Gervais", "A. Del Maestro")
    assert papers["cond-mat/0412498"].published is not None
    assert feed_url("http://x/a", ORCID) == f"http://x/a/{ORCID}.atom"


def test_listing_in_the_earlier_arxiv_browse_format_reads_the_same() -> None:
    """Before its rewrite on ElementTree, author.py wrote `metadata.arxiv_id_v` (a bare,
    versioned id) as the entry id and `str(datetime)` dates (a space, not a T)."""
    current = del_maestro_feed().decode()
    earlier = re.sub(r"<id>https://arxiv.org/abs/(\S+?)</id>", _versioned, current)
    earlier = re.sub(r"(<(?:published|updated)>\d{4}-\d\d-\d\d)T", r"\1 ", earlier)
    assert "<id>1303.6954v2</id>" in earlier and "<published>2013-03-27 " in earlier
    old, new = parse_author_feed(current.encode()), parse_author_feed(earlier.encode())
    assert old == new


def _versioned(match: re.Match[str]) -> str:
    pdf = re.search(rf"/pdf/{re.escape(match.group(1))}(v\d+)", del_maestro_feed().decode())
    assert pdf is not None
    return f"<id>{match.group(1)}{pdf.group(1)}</id>"


# --- sync -----------------------------------------------------------------------------------


def test_identity_follow_lists_papers_signed_differently(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_author("delmaestro_a_1", del_maestro_feed())
    write_config(
        radar_home, fake_arxiv, '[follow.identities]\n"Adrian Del Maestro" = "delmaestro_a_1"\n'
    )
    result = invoke("sync", "-v")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "identity:Adrian Del Maestro: 11 new" in result.stdout  # type: ignore[attr-defined]
    assert [r.path for r in fake_arxiv.requests()] == ["/a/delmaestro_a_1.atom"]
    listed = ids_listed("--author", "Adrian Del Maestro")
    assert len(listed) == 11
    assert "1303.6954" in listed  # signed "A. Del Maestro"
    assert "1111.2011" in listed  # a co-author's paper, on his listing
    assert len(ids_listed("--followed")) == 11


def test_orcid_form_fetches_the_orcid_listing(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_author(ORCID, del_maestro_feed(ORCID))
    write_config(radar_home, fake_arxiv, f'[follow.identities]\n"A. Del Maestro" = "{ORCID}"\n')
    result = invoke("sync")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert [r.path for r in fake_arxiv.requests()] == [f"/a/{ORCID}.atom"]
    assert len(ids_listed("--author", "a del maestro")) == 11


def test_unknown_id_fails_that_follow_with_one_clear_line(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    fake_arxiv.add_author("delmaestro_a_1", del_maestro_feed())
    write_config(
        radar_home,
        fake_arxiv,
        '[follow.identities]\n"Yantao Li" = "li_y_9"\n"Adrian Del Maestro" = "delmaestro_a_1"\n',
    )
    result = invoke("sync")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    errors = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert errors == [
        "error: identity:Yantao Li: arXiv has no author listing for 'li_y_9' "
        "(Author li_y_9 not found, HTTP 400)"
    ]
    assert len(fake_arxiv.requests("/a/li_y_9")) == 1  # a 400 is an answer: never retried
    with sqlite3.connect(radar_home / "radar.db") as conn:
        (count,) = conn.execute("SELECT count(*) FROM papers").fetchone()
        (error,) = conn.execute(
            "SELECT last_error FROM sync_state WHERE follow = 'identity:Yantao Li'"
        ).fetchone()
    assert count == 11  # the other person synced
    assert "li_y_9" in error


def test_sync_author_option_selects_the_identity(radar_home: Path, fake_arxiv: FakeArxiv) -> None:
    fake_arxiv.add_author("delmaestro_a_1", del_maestro_feed())
    write_config(
        radar_home,
        fake_arxiv,
        'authors = ["Someone Else"]\n'
        '[follow.identities]\n"Adrian Del Maestro" = "delmaestro_a_1"\n',
    )
    result = invoke("sync", "--author", "adrian del maestro", "--dry-run")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert result.stdout.startswith(f"GET {fake_arxiv.author_feed_url}delmaestro_a_1.atom")  # type: ignore[attr-defined]
    assert "Someone" not in result.stdout  # type: ignore[attr-defined]


def test_identity_alone_lists_the_listing_and_with_the_name_the_signed_papers_too(
    radar_home: Path, fake_arxiv: FakeArxiv
) -> None:
    from tests.test_sync_run import exact_author_ids, serve_author_pages

    entries = [
        e
        for e in api_entries(DEL_MAESTRO_PAGE, MURRAY_ET_AL)
        if "1201.4869" not in (e.findtext("{http://www.w3.org/2005/Atom}id") or "")
    ]
    fake_arxiv.add_author("delmaestro_a_1", author_feed("delmaestro_a_1", "A. D. M.", entries))
    serve_author_pages(fake_arxiv)  # the API's au:"Adrian Del Maestro" pages
    identity = '[follow.identities]\n"Adrian Del Maestro" = "delmaestro_a_1"\n'
    (radar_home / "radar.toml").write_text(
        fake_arxiv.config() + '[follow]\nauthors = ["Adrian Del Maestro"]\n' + identity
    )
    assert invoke("sync").exit_code == 0  # type: ignore[attr-defined]
    assert "1201.4869" in exact_author_ids()  # signed so, but not on the listing
    both = set(ids_listed("--author", "Adrian Del Maestro"))
    assert len(both) == 11 and "1201.4869" in both
    write_config(radar_home, fake_arxiv, identity)  # the identity alone
    alone = set(ids_listed("--author", "Adrian Del Maestro"))
    assert alone == both - {"1201.4869"}
