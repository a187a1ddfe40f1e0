"""`radar page` in a real browser: Debian's chromium, headless, driven by Playwright.

No browser is ever downloaded: the tests use the system's chromium (or $RADAR_CHROMIUM) and skip
with one line saying how to enable them when there is none. CI sets RADAR_BROWSER_TESTS=require,
which turns that skip into a failure. Screenshots go to test-artifacts/ (not committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from benchmarks import chromium

from radar.paper import Paper
from tests.brief_data import quant_ph_day
from tests.conftest import invoke
from tests.reading_samples import fill_cache, sample_papers

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("RADAR_TEST_ARTIFACTS") or ROOT / "test-artifacts") / "page"
REQUIRE = os.environ.get("RADAR_BROWSER_TESTS") == "require"
HOW = "apt-get install chromium (or set RADAR_CHROMIUM=/path/to/chromium) and pip install '.[test]'"
HOSTILE_TITLE = "<script>alert('title')</script> & Friends"
VISIBLE = "els => els.filter(e => getComputedStyle(e).display !== 'none').map(e => e.dataset.id)"


def _unavailable(why: str) -> None:
    if REQUIRE:
        pytest.fail(f"browser tests required (RADAR_BROWSER_TESTS=require) but {why}")
    pytest.skip(f"browser tests skipped: {why}; to run them: {HOW}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium.executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not executable:
        _unavailable("no chromium on PATH")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=chromium.ARGS)
        yield launched
        launched.close()


class Opened:
    """A page open in the browser, and every console error, page error and dialog it caused."""

    def __init__(self, browser: Any, url: str, width: int = 1440, dark: bool = False) -> None:
        self.problems: list[str] = []
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light"
        )
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_selector("html[data-ready]", state="attached")

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def visible(self) -> list[str]:
        return list(self.page.eval_on_selector_all("article.paper", VISIBLE))

    def order(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all("article.paper", "els => els.map(e => e.dataset.id)")
        )

    def count(self) -> str:
        return str(self.page.inner_text("#count"))


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    opened: list[Opened] = []

    def open_(url: str, **kwargs: Any) -> Opened:
        opened.append(Opened(browser, url, **kwargs))
        return opened[-1]

    yield open_
    for item in opened:
        item.context.close()


def written_page(tmp_path: Path, papers: list[Paper] | None = None, *args: str) -> str:
    """A page of `papers` (the recorded sample papers by default) written by `radar page`."""
    fill_cache(papers)
    out = tmp_path / "radar.html"
    result = invoke("page", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out.as_uri()


def by_author(papers: list[Paper], name: str) -> set[str]:
    return {p.id for p in papers if name in p.authors}


def test_click_an_author_then_clear_the_chip(tmp_path: Path, open_page: Any) -> None:
    papers = sample_papers()
    view = open_page(written_page(tmp_path))
    name = "Adrian Del Maestro"
    view.page.locator("button.author", has_text=name).first.click()
    assert set(view.visible()) == by_author(papers, name) and len(view.visible()) > 1
    assert view.count() == f"{len(view.visible())} of {len(papers)} papers"
    chip = view.page.locator(".chip")
    assert chip.count() == 1 and name in chip.inner_text() and "×" in chip.inner_text()
    chip.get_by_role("button", name=f"Clear the author filter {name}").click()
    assert len(view.visible()) == len(papers) and view.page.locator(".chip").count() == 0
    assert view.count() == f"{len(papers)} of {len(papers)} papers"
    assert view.problems == []


def test_search_box_filters_as_you_type(tmp_path: Path, open_page: Any) -> None:
    papers = sample_papers()
    view = open_page(written_page(tmp_path))
    view.page.locator('input[type="search"]').press_sequentially("helium")
    expected = {
        p.id
        for p in papers
        if "helium" in f"{p.title} {p.abstract} {' '.join(p.authors)}".casefold()
    }
    assert set(view.visible()) == expected and 0 < len(expected) < len(papers)
    assert view.count() == f"{len(expected)} of {len(papers)} papers"
    view.page.keyboard.press("Escape")
    assert len(view.visible()) == len(papers)
    assert view.problems == []


def test_shuffle_changes_the_order_newest_restores_it(tmp_path: Path, open_page: Any) -> None:
    view = open_page(written_page(tmp_path))
    newest = view.order()
    shuffle = view.page.get_by_role("button", name="Shuffle", exact=True)
    shuffle.click()
    first = view.order()
    assert first != newest and sorted(first) == sorted(newest)
    shuffle.click()
    again = view.order()
    assert again != first and sorted(again) == sorted(newest)
    assert "shuffle=" in view.page.evaluate("location.hash")
    view.page.get_by_role("button", name="Newest", exact=True).click()
    assert view.order() == newest
    assert view.problems == []


def test_more_opens_the_whole_abstract(tmp_path: Path, open_page: Any) -> None:
    view = open_page(written_page(tmp_path))
    card = view.page.locator("article.paper").first
    abstract = card.locator(".abstract")
    clamped = abstract.bounding_box()["height"]
    more = card.locator("button.more")
    assert more.inner_text() == "more"
    more.click()
    assert abstract.bounding_box()["height"] > clamped * 1.5
    assert more.get_attribute("aria-expanded") == "true" and more.inner_text() == "less"
    assert view.problems == []


def test_a_script_title_is_text_and_nothing_from_data_runs(tmp_path: Path, open_page: Any) -> None:
    hostile = replace(
        sample_papers()[0],
        id="2611.99999",
        title=HOSTILE_TITLE,
        abstract='Energy $E=mc^2$ <img src=x onerror="alert(1)"> & x < y <b>bold</b>',
        authors=("<img src=y onerror=alert(2)>", "Ada Lovelace"),
    )
    view = open_page(written_page(tmp_path, [*sample_papers(), hostile]))
    card = view.page.locator('article.paper[data-id="2611.99999"]')
    assert card.locator(".title").inner_text() == HOSTILE_TITLE
    assert "<img src=x" in card.locator(".abstract").inner_text()
    card.locator("button.author").first.click()  # its text goes into a chip and the URL
    assert "<img src=y onerror=alert(2)>" in view.page.locator(".chip").inner_text()
    assert view.page.locator("img, b").count() == 0
    assert view.page.evaluate("document.scripts.length") == 1
    assert view.problems == []


def test_a_filtered_view_is_a_bookmark(tmp_path: Path, open_page: Any) -> None:
    papers = sample_papers()
    url = written_page(tmp_path)
    view = open_page(url)
    view.page.locator("article.paper button.category", has_text="cs.RO").first.click()
    view.page.locator('input[type="search"]').fill("decomposer")
    bookmark = view.page.evaluate("location.href")
    assert "#" in bookmark and "category=cs.RO" in bookmark
    again = open_page(bookmark)
    assert again.visible() == view.visible() and len(again.visible()) == 1
    assert again.page.locator('input[type="search"]').input_value() == "decomposer"
    chip = again.page.locator(".chip")
    assert "cs.RO" in chip.inner_text() and "×" in chip.inner_text()
    assert len(papers) > 1 and again.problems == []


def test_keyboard_only_with_visible_focus(tmp_path: Path, open_page: Any) -> None:
    view = open_page(written_page(tmp_path))
    page = view.page
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Shuffle"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert outline != "none" and width >= 2
    author = page.locator("article.paper button.author").first
    author.focus()
    page.keyboard.press("Enter")
    assert page.locator(".chip").count() == 1
    assert view.problems == []


def test_a_brief_citation_leads_to_its_card(tmp_path: Path, open_page: Any) -> None:
    from radar.config.settings import load_settings
    from radar.store import Store
    from radar.store.briefs import save_brief
    from radar.store.records import Brief

    papers = sample_papers()
    target = papers[-1]
    fill_cache(papers)
    markdown = f"# Brief\n\n- Helium: [{target.id}](https://arxiv.org/abs/{target.id})\n"
    with Store.open(load_settings().db_path) as store:
        ids = tuple(p.id for p in papers)
        save_brief(store, Brief(markdown=markdown, title="t", model="m", paper_ids=ids, key="k"))
    view = open_page(written_page(tmp_path, papers, "--brief"))
    view.page.locator("button.author", has_text="Mingxuan Yan").first.click()
    assert target.id not in view.visible()
    view.page.locator("a.cite").click()
    assert target.id in view.visible()
    assert view.page.evaluate("document.activeElement.dataset.id") == target.id
    assert view.problems == []


@pytest.mark.parametrize("width", [375, 1440])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_at_phone_and_desktop_widths(
    tmp_path: Path, radar_home: Path, open_page: Any, width: int, scheme: str
) -> None:
    """A real day (81 quant-ph papers from rss.arxiv.org) with a followed author; the
    screenshots are kept in test-artifacts/page/ (docs/page.png is one of them)."""
    papers = quant_ph_day()
    first_shown = max(papers, key=lambda p: p.id)  # newest first, then the highest id
    (radar_home / "radar.toml").write_text(f'[follow]\nauthors = ["{first_shown.authors[1]}"]\n')
    view = open_page(written_page(tmp_path, papers), width=width, dark=scheme == "dark")
    page = view.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert (sum(channels) < 150) == (scheme == "dark")
    title_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.title')).fontSize)"
    )
    assert title_size >= 16
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{width}-{scheme}.png"))
    assert view.problems == []


def test_a_relevance_page_can_go_back_to_relevance_after_newest(
    tmp_path: Path, open_page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.rank_samples import about, fill_corpus, star

    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    star(*about(fill_corpus(), "entangle")[:4])
    out = tmp_path / "ranked.html"
    assert invoke("page", "-o", str(out), "--sort", "relevance", "--limit", "0").exit_code == 0
    view = open_page(out.as_uri())
    best = view.order()
    view.page.get_by_role("button", name="Newest", exact=True).click()
    newest = view.order()
    assert newest != best and sorted(newest) == sorted(best)
    assert "order=newest" in view.page.evaluate("location.hash")
    view.page.get_by_role("button", name="Relevance", exact=True).click()
    assert view.order() == best
    assert view.problems == []
