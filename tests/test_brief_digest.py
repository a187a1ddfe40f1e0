"""radar.brief.digest: the parts of a brief radar writes itself, and the --no-llm digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from radar.brief.digest import FollowIndex, appendix, digest, first_sentence, title
from radar.config.settings import Follows
from tests.brief_data import make_papers


def test_first_sentence_stops_at_the_first_full_stop() -> None:
    assert (
        first_sentence("We show X, e.g. in 3.5 cases. Then Y.") == "We show X, e.g. in 3.5 cases."
    )
    assert first_sentence("") == ""
    assert first_sentence("word " * 200).endswith("…")


def test_title_names_the_date_range_and_count() -> None:
    papers = make_papers(2) + make_papers(1, day=date(2026, 11, 27))
    assert title(papers) == "Research brief: 2026-11-20 to 2026-11-27 · 3 papers"


def test_followed_authors_match_through_aliases_and_spelling() -> None:
    paper = replace(make_papers(1)[0], authors=("Li, Yàntao", "Other Person"))
    follows = Follows(authors=("Yantao Li", "Ada Lovelace"), aliases={"Ada Lovelace": ("A. King",)})
    index = FollowIndex(follows)
    assert index.authors_of(paper) == ["Yantao Li"]
    aliased = replace(paper, authors=("A. King",))
    assert index.authors_of(aliased) == ["Ada Lovelace"]


def test_network_text_cannot_inject_markdown_links() -> None:
    paper = replace(make_papers(1)[0], title="Evil [click](https://evil.example) <script>")
    text = appendix([paper])
    assert "[click](https://evil.example)" not in text
    assert "\\[click\\]" in text and "\\<script\\>" in text


def test_digest_lists_each_paper_once_followed_first() -> None:
    papers = make_papers(10)
    text = digest(papers, Follows(authors=("Yantao Li",), categories=("stat.ML",)))
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Followed author: Yantao Li"
    assert headings[1] == "## stat.ML (followed)"
    for paper in papers:
        assert text.count(f"[{paper.id}](") == 1


def test_labels_name_every_follow_a_paper_matches() -> None:
    from radar.config.settings import FeedSettings
    from radar.paper import Sighting

    paper = replace(
        make_papers(1)[0],
        categories=("cs.AI", "cs.CV"),
        sources=(Sighting("feed:Nature", "Nature"),),
    )
    follows = Follows(
        authors=("Yantao Li",),
        categories=("cs.CV",),
        feeds=(FeedSettings(name="Nature", url="https://nature.example/rss"),),
    )
    assert FollowIndex(follows).labels(paper) == [
        "author Yantao Li",
        "category cs.CV",
        "feed Nature",
    ]
