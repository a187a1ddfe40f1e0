"""radar.identity: DOIs, links and the ids non-arXiv papers are stored under."""

from __future__ import annotations

import pytest

from radar.identity import candidate_ids, clean_link, doi_from_link, normalize_doi, paper_id


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("doi:10.1101/743294", "10.1101/743294"),
        ("doi: 10.3390/fluids9060120", "10.3390/fluids9060120"),
        ("info:doi/10.1126/science.abj4606", "10.1126/science.abj4606"),
        ("https://doi.org/10.1038/s41586-021-1.", "10.1038/s41586-021-1"),
        ("10.1016/S0140-6736(20)30183-5", "10.1016/S0140-6736(20)30183-5"),
        ("(10.1000/abc)", None),
        ("hwp:resource-id:sci;372/6544/769", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_doi(text: str | None, doi: str | None) -> None:
    assert normalize_doi(text) == doi


def test_doi_from_publisher_links() -> None:
    assert doi_from_link("https://www.science.org/doi/abs/10.1126/science.x?af=R") == (
        "10.1126/science.x"
    )
    assert doi_from_link("https://www.nature.com/articles/s41586-021-1") is None


def test_clean_link_keeps_meaningful_query() -> None:
    assert clean_link("HTTP://Biorxiv.org/c/1v1?rss=1&utm_medium=x&page=2#f") == (
        "http://biorxiv.org/c/1v1?page=2"
    )
    assert clean_link("  ") is None


def test_paper_id_prefers_doi_and_maps_arxiv() -> None:
    assert paper_id("10.1101/ABC", "https://e.org/x") == "doi:10.1101/abc"
    assert paper_id("10.48550/arXiv.2602.22495", None) == "2602.22495"
    assert paper_id(None, "https://e.org/x/") == "url:e.org/x"
    assert paper_id(None, None) is None


def test_candidate_ids_accept_what_users_type() -> None:
    assert "doi:10.1101/743294" in candidate_ids("10.1101/743294")
    assert "doi:10.1101/743294" in candidate_ids("https://doi.org/10.1101/743294")
    assert "url:e.org/a" in candidate_ids("https://www.e.org/a/?utm_source=x")
    assert "2602.22495" in candidate_ids("arXiv:2602.22495v2")
