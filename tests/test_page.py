"""`radar page` as a user runs it: the file it writes, what the HTML holds, what it refuses.

The page's behaviour in a browser is in test_page_browser.py; here the HTML is parsed as text.
"""

from __future__ import annotations

import os
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from radar.paper import Paper, Sighting
from radar.store import Store
from radar.store.briefs import save_brief
from radar.store.records import Brief
from tests.conftest import heavy_imports, invoke
from tests.reading_samples import FRIDAY, fill_cache, printed_ids, sample_papers

HOSTILE_TITLE = "<script>alert('title')</script> & Friends"


class Page(HTMLParser):
    """The elements of a page as (tag, attrs, text) for the checks below."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in ("meta", "input", "hr", "br", "link"):
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            index = self._open.pop()
            if self.elements[index][0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.elements[index][2].append(data)

    def find(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str], str]]:
        return [
            (attrs, "".join(text))
            for name, attrs, text in self.elements
            if name == tag and (cls is None or cls in attrs.get("class", "").split())
        ]

    def text_of(self, tag: str, cls: str | None = None) -> list[str]:
        return [text for _, text in self.find(tag, cls)]


def hostile_paper() -> Paper:
    base = sample_papers()[0]
    return replace(
        base,
        id="2611.99999",
        title=HOSTILE_TITLE,
        abstract='Energy $E=mc^2$ where <img src=x onerror="alert(1)"> & x < y.',
        authors=("Ada <b>Lovelace</b>", "Yantao Li"),
    )


def feed_paper(url: str) -> Paper:
    return Paper(
        id="feed:Physical Review B:10.1103/x",
        title="A feed paper",
        abstract="From a journal feed.",
        authors=("Someone Else",),
        journal="Physical Review B",
        url=url,
        doi="10.1103/PhysRevB.1.1",
        announced=FRIDAY,
        sources=(Sighting("feed:Physical Review B", "Physical Review B"),),
    )


def write_page(tmp_path: Path, *args: str) -> tuple[Page, str]:
    out = tmp_path / "out.html"
    result = invoke("page", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    return Page(html), html


def test_page_writes_radar_html_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = fill_cache()
    monkeypatch.chdir(tmp_path / "radar-home")
    result = invoke("page")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote radar.html: {len(papers)} papers" in result.stderr
    page = Page((tmp_path / "radar-home" / "radar.html").read_text(encoding="utf-8"))
    newest_first = printed_ids("list", "--limit", "0")
    assert [a["data-id"] for a, _ in page.find("article", "paper")] == newest_first
    assert len(papers) == len(newest_first)
    left = {p.name for p in (tmp_path / "radar-home").iterdir()}
    assert left == {"radar.html", "radar.db"}  # no temp file left


def test_dash_writes_the_page_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_cache()
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    result = invoke("page", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!doctype html>")
    assert '<meta name="generator" content="radar">' in result.stdout
    assert list((tmp_path / "cwd").iterdir()) == []


def test_html_contracts_cards_authors_controls(tmp_path: Path) -> None:
    papers = fill_cache()
    page, _ = write_page(tmp_path)
    first = papers[0]
    assert page.text_of("button", "author")[: len(first.authors)] == list(first.authors)
    assert page.text_of("button").count("Shuffle") == 1
    assert page.text_of("button").count("Newest") == 1
    assert [a.get("type") for a, _ in page.find("input")] == ["search"]
    assert page.text_of("output") == [f"{len(papers)} of {len(papers)} papers"]
    titles = page.text_of("h2", "title")
    assert titles[0] == first.title
    links = [a["href"] for a, _ in page.find("a")]
    assert f"https://arxiv.org/abs/{first.id}" in links
    assert f"https://arxiv.org/pdf/{first.id}v{first.version}" in links  # the version held
    assert "arXiv (cs.RO)" in page.text_of("span", "source")
    assert "new" in page.text_of("span", "announce")
    assert "replaced v1" in page.text_of("span", "announce")  # re-announced on Thursday


def test_self_contained_no_network_resource(tmp_path: Path) -> None:
    fill_cache()
    page, html = write_page(tmp_path)
    assert page.find("link") == [] and page.find("img") == [] and page.find("iframe") == []
    assert all("src" not in attrs for attrs, _ in page.find("script"))
    csp = [a["content"] for a, _ in page.find("meta") if a.get("http-equiv")]
    assert csp and csp[0].startswith("default-src 'none';")
    assert "@import" not in html and "url(" not in html and "fetch(" not in html


def test_network_text_is_escaped_never_markup(tmp_path: Path) -> None:
    fill_cache([*sample_papers(), hostile_paper()])
    page, html = write_page(tmp_path)
    assert HOSTILE_TITLE in page.text_of("h2", "title")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Lovelace" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; Friends" in html
    assert "Ada <b>Lovelace</b>" in page.text_of("button", "author")
    abstracts = page.text_of("p", "abstract")
    assert 'Energy $E=mc^2$ where <img src=x onerror="alert(1)"> & x < y.' in abstracts
    assert len(page.find("script")) == 1


def test_feed_links_only_when_http_and_doi_link(tmp_path: Path) -> None:
    fill_cache([feed_paper("javascript:alert(1)")])
    page, _ = write_page(tmp_path)
    hrefs = [a["href"] for a, _ in page.find("a")]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert "https://doi.org/10.1103/PhysRevB.1.1" in hrefs
    assert page.text_of("span", "source") == ["Physical Review B"]
    assert page.text_of("button", "category") == ["Physical Review B"]
    fill_cache([replace(feed_paper("https://journals.aps.org/prb/x"), id="feed:PRB:2")])
    page, _ = write_page(tmp_path)
    assert "https://journals.aps.org/prb/x" in [a["href"] for a, _ in page.find("a")]


def test_filters_of_list_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    papers = fill_cache()
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")  # a Saturday: --today is Friday
    result = invoke("page", "-o", str(tmp_path / "p.html"), "--today")
    assert result.exit_code == 0
    assert "showing 2026-11-27" in result.stderr
    ids = [a["data-id"] for a, _ in Page((tmp_path / "p.html").read_text()).find("article")]
    assert ids == [p.id for p in papers if p.announced == FRIDAY]
    page, _ = write_page(tmp_path, "--author", "del maestro, adrian", "--limit", "3")
    assert len(page.find("article", "paper")) == 3
    page, _ = write_page(tmp_path, "--category", "cs.RO", "--starred")
    assert page.find("article", "paper") == []
    assert "No papers in this selection." in page.text_of("p", "empty")


def test_followed_authors_star_and_read_marks(tmp_path: Path, radar_home: Path) -> None:
    papers = fill_cache()
    (radar_home / "radar.toml").write_text('[follow]\nauthors = ["Adrian del maestro"]\n')
    assert invoke("star", papers[2].id).exit_code == 0
    assert invoke("read", papers[3].id).exit_code == 0
    page, _ = write_page(tmp_path)
    assert set(page.text_of("button", "followed")) == {"Adrian Del Maestro"}
    cards = {a["data-id"]: a["class"] for a, _ in page.find("article")}
    assert "is-read" in cards[papers[3].id] and "is-read" not in cards[papers[2].id]
    assert page.text_of("span", "star") == ["★ starred"]
    from radar.config.settings import load_settings

    with Store.open(load_settings().db_path) as store:
        store.set_user_state(papers[2].id, note="read <b>this</b> & that")
    page, _ = write_page(tmp_path)
    assert page.text_of("p", "note") == ["Note: read <b>this</b> & that"]


def test_long_abstracts_get_more_and_many_authors_stay_small(tmp_path: Path) -> None:
    crowd = tuple(f"Author Number{n}" for n in range(3000))
    fill_cache([replace(sample_papers()[0], authors=crowd)])
    page, html = write_page(tmp_path)
    assert page.text_of("button", "more") == ["more"]
    assert len(page.text_of("button", "author")) == 25
    assert page.text_of("button", "more-authors") == ["+2975 more"]
    assert "Author Number2999" in html and len(html) < 150_000


class TestOverwriting:
    def test_refuses_a_file_radar_did_not_write(self, tmp_path: Path) -> None:
        fill_cache()
        mine = tmp_path / "notes.html"
        mine.write_text("<html>my own notes</html>")
        result = invoke("page", "-o", str(mine))
        assert result.exit_code == 2
        assert result.stderr.startswith(
            f"error: refusing to overwrite {mine}: it exists and is not a page radar wrote"
        )
        assert "--force" in result.stderr
        assert mine.read_text() == "<html>my own notes</html>"
        assert invoke("page", "-o", str(mine), "--force").exit_code == 0
        assert "generator" in mine.read_text()

    def test_an_empty_file_is_fine_to_replace(self, tmp_path: Path) -> None:
        fill_cache()
        (tmp_path / "radar.html").touch()
        assert invoke("page", "-o", str(tmp_path / "radar.html")).exit_code == 0

    def test_replaces_its_own_page_keeping_the_mode(self, tmp_path: Path) -> None:
        fill_cache()
        out = tmp_path / "radar.html"
        assert invoke("page", "-o", str(out), "--limit", "1").exit_code == 0
        out.chmod(0o640)
        assert invoke("page", "-o", str(out)).exit_code == 0
        assert len(Page(out.read_text()).find("article")) == 12
        assert out.stat().st_mode & 0o777 == 0o640

    @pytest.mark.parametrize("name", ["radar.db", "radar.toml", "radar.db-wal"])
    def test_never_the_database_or_config_even_forced(self, radar_home: Path, name: str) -> None:
        fill_cache()
        (radar_home / "radar.toml").write_text("[follow]\n")
        target = radar_home / name
        target.touch()
        before = target.read_bytes()
        result = invoke("page", "-o", str(target), "--force")
        assert result.exit_code == 2
        assert f"refusing to write the page to {target}: it is radar's" in result.stderr
        assert target.read_bytes() == before

    def test_through_a_symlink_to_the_database(self, radar_home: Path, tmp_path: Path) -> None:
        fill_cache()
        link = tmp_path / "page.html"
        os.symlink(radar_home / "radar.db", link)
        assert invoke("page", "-o", str(link), "--force").exit_code == 2
        assert Store.open(radar_home / "radar.db").conn.execute("SELECT count(*) FROM papers")


def stored_brief(papers: list[Paper], markdown: str) -> int:
    from radar.config.settings import load_settings

    with Store.open(load_settings().db_path) as store:
        saved = save_brief(
            store,
            Brief(
                markdown=markdown,
                title="Research brief: test",
                model="test/model",
                paper_ids=tuple(p.id for p in papers),
                key=f"key-{len(markdown)}-{len(papers)}",
            ),
        )
    assert saved.brief_id is not None
    return saved.brief_id


class TestBrief:
    def test_brief_on_top_citations_link_to_cards(self, tmp_path: Path) -> None:
        papers = fill_cache()
        cited = papers[1].id
        brief_id = stored_brief(
            papers,
            f"# Research brief\n\n## Themes\n\n- **Robots** plan: [{cited}]"
            f"(https://arxiv.org/abs/{cited}) and [elsewhere](https://example.org/x).\n",
        )
        page, _ = write_page(tmp_path, "--brief")
        cite = [a for a, text in page.find("a", "cite") if text == cited]
        assert cite and cite[0]["href"] == f"#paper-{cited}"
        assert f"paper-{cited}" in [a.get("id") for a, _ in page.find("article")]
        assert "https://example.org/x" in [a["href"] for a, _ in page.find("a")]
        assert page.text_of("h3") == ["Themes"] and page.text_of("strong") == ["Robots"]
        summary = next(t for t in page.text_of("summary") if "brief #" in t)
        assert f"brief #{brief_id}" in summary and "test/model" in summary

    def test_brief_markdown_is_never_html(self, tmp_path: Path) -> None:
        papers = fill_cache()
        stored_brief(
            papers,
            "<script>alert(1)</script> [click](javascript:alert(2)) "
            '<img src=x onerror="alert(3)"> **bold <i>x</i>**\n',
        )
        page, _ = write_page(tmp_path, "--brief")
        assert len(page.find("script")) == 1 and page.find("img") == [] and page.find("i") == []
        assert not any("javascript" in a.get("href", "") for a, _ in page.find("a"))
        text = page.text_of("p")
        assert any("<script>alert(1)</script> click <img" in t for t in text)
        assert "bold <i>x</i>" in page.text_of("strong")

    def test_brief_by_id_and_when_none_matches(self, tmp_path: Path) -> None:
        papers = fill_cache()
        result = invoke("page", "-o", str(tmp_path / "p.html"), "--brief")
        assert result.exit_code == 1
        assert "no stored brief covers the papers of this page" in result.stderr
        assert not (tmp_path / "p.html").exists()
        other = stored_brief(papers[:2], "# Two papers\n")
        page, _ = write_page(tmp_path, "--brief", str(other), "--category", "cs.RO")
        assert page.text_of("h2")[0] == "Two papers"
        result = invoke("page", "-o", str(tmp_path / "p.html"), "--brief", "99")
        assert result.exit_code == 1 and "no stored brief with id 99" in result.stderr
        result = invoke("page", "--brief", "latest-ish")
        assert result.exit_code == 1 and "--brief takes a brief id" in result.stderr

    def test_a_brief_written_by_radar_brief_for_the_same_filters(
        self, tmp_path: Path, radar_home: Path, fake_llm: object, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from tests.fake_llm import FakeLLM

        assert isinstance(fake_llm, FakeLLM)
        fill_cache()
        (radar_home / "radar.toml").write_text(
            f'[llm]\nmodel = "{fake_llm.model}"\napi_base = "{fake_llm.api_base}"\n'
        )
        monkeypatch.setenv("RADAR_TODAY", "2026-11-27")
        assert invoke("brief", "--today").exit_code == 0
        page, _ = write_page(tmp_path, "--today", "--brief")
        cited = {a["data-cite"] for a, _ in page.find("a", "cite")}
        assert cited == {a["data-id"] for a, _ in page.find("article")}


def test_page_is_documented_and_jinja2_stays_off_light_paths(radar_home: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "## The page" in readme and "radar page --today -o ~/public_html/radar.html" in readme
    imported, _ = heavy_imports(
        "list", env={"RADAR_HOME": str(radar_home)}, heavy=("jinja2", "markupsafe")
    )
    assert imported == []


@pytest.mark.parametrize("require", ["", "require"])
def test_browser_tests_skip_without_chromium_unless_ci_requires_them(
    tmp_path: Path, require: str
) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PATH": str(tmp_path), "RADAR_BROWSER_TESTS": require}
    env.pop("RADAR_CHROMIUM", None)
    test = "tests/test_page_browser.py::test_more_opens_the_whole_abstract"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", test],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if require:
        assert result.returncode != 0
        assert "browser tests required (RADAR_BROWSER_TESTS=require) but no chromium" in (
            result.stdout
        )
    else:
        assert result.returncode == 0, result.stdout
        assert "browser tests skipped: no chromium on PATH; to run them: apt-get install" in (
            result.stdout
        )
    ci = (root / ".ci" / "run").read_text()
    assert "apt-get install -y -qq chromium" in ci and "RADAR_BROWSER_TESTS=require" in ci


def test_sorted_by_relevance_shows_scores_in_the_order_of_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.rank_samples import about, fill_corpus, star

    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    star(*about(fill_corpus(), "entangle")[:4])
    listed = printed_ids("list", "--sort", "relevance", "--limit", "0")
    page, _ = write_page(tmp_path, "--sort", "relevance", "--limit", "0")
    assert [a["data-id"] for a, _ in page.find("article", "paper")] == listed
    scores = [float(t.split()[1]) for t in page.text_of("span", "score")]
    assert len(scores) == len(listed) and scores == sorted(scores, reverse=True)
    assert page.text_of("button").count("Relevance") == 1
    assert "best first" in page.text_of("p", "selection")[0]
    page, _ = write_page(tmp_path, "--min-score", "0.5", "--limit", "0")
    kept = [float(t.split()[1]) for t in page.text_of("span", "score")]
    assert kept and all(s >= 0.5 for s in kept) and "Relevance" not in page.text_of("button")
