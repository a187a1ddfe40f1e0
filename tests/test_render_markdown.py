"""The markdown subset a stored brief is shown with on the page: blocks, spans, safe links."""

from __future__ import annotations

from radar.render.markdown import Block, Link, Span, inline, parse, safe_url
from tests.brief_data import make_papers


def text_of(spans: tuple[Span, ...]) -> str:
    return "".join(s.text + text_of(s.children) for s in spans)


def test_blocks_of_a_brief() -> None:
    blocks = parse(
        "# Title\n\nOne\nparagraph.\n\n## Themes\n- first item\n  continued\n- second\n\n"
        "1. one\n2. two\n\n> quoted\n\n```\n<code> & more\n```\n---\n"
    )
    kinds = [(b.kind, b.level) for b in blocks]
    assert kinds == [
        ("heading", 1),
        ("paragraph", 0),
        ("heading", 2),
        ("list", 0),
        ("list", 0),
        ("quote", 0),
        ("code", 0),
        ("rule", 0),
    ]
    assert text_of(blocks[1].spans) == "One paragraph."
    assert [text_of(i) for i in blocks[3].items] == ["first item continued", "second"]
    assert blocks[4].ordered and not blocks[3].ordered
    assert blocks[6].text == "<code> & more"


def test_inline_spans_and_escapes() -> None:
    spans = inline(r"**bold** *em* _em_ ~~gone~~ `x < y` snake_case 2\*3 \[not a link\]")
    assert [s.kind for s in spans if s.kind != "text"] == ["strong", "em", "em", "del", "code"]
    assert text_of(spans).endswith("snake_case 2*3 [not a link]")


def test_links_keep_only_http_targets() -> None:
    (link,) = [s for s in inline("see [this](https://example.org/a_(b)) now") if s.link]
    assert link.link == Link("https://example.org/a_(b)") and text_of(link.children) == "this"
    for target in (
        "javascript:alert(1)",
        "data:text/html,x",
        "/etc/passwd",
        "ftp://x",
        "vbscript:x",
    ):
        spans = inline(f"[click]({target})")
        assert all(s.kind != "link" for s in spans) and text_of(spans) == "click"
    assert safe_url(" https://arxiv.org/abs/2611.10000 ") == "https://arxiv.org/abs/2611.10000"


def test_citations_resolve_to_cards_on_the_page() -> None:
    from radar.render.page import brief_view

    ids = [p.id for p in make_papers(2)]
    view = brief_view(
        markdown=f"- [{ids[0]}](https://arxiv.org/abs/{ids[0]}) and [x](https://arxiv.org/abs/2501.00001)",
        paper_ids=ids,
    )
    (block,) = view.blocks
    links = [s.link for s in block.items[0] if s.link]
    assert links == [
        Link(f"#paper-{ids[0]}", cite=ids[0]),
        Link("https://arxiv.org/abs/2501.00001"),
    ]
    assert isinstance(block, Block)
